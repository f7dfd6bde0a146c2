// A token bucket in virtual time with the behaviour of client-go's
// flowcontrol.NewTokenBucketRateLimiter(qps, burst), i.e. golang.org/x/time/rate.Limiter:
// it starts full with `burst` tokens and refills at `qps` tokens per second up to `burst`.
// Reserve is rate.Limiter.Reserve/Wait: the token is taken now, the balance may go negative, and
// successive reservations queue up one refill interval apart. TryAccept is Allow.
//
// Arithmetic is exact: tokens are counted in units of 10^-9 token and the rate in 10^-3 qps (qps
// is rounded to the nearest 0.001), so a wait is rounded up only to the whole microsecond.
// qps <= 0 means unlimited, as a client-go rest.Config with negative QPS (the caller maps
// client-go's QPS 0 to its default of 5). REQUIRES: burst >= 1 when qps > 0 (less counts as 1).
#ifndef FLEETSIM_ENGINE_RATE_LIMITER_H_
#define FLEETSIM_ENGINE_RATE_LIMITER_H_

#include <cstdint>

#include "engine/sim_time.h"

namespace fleetsim {

class TokenBucket {
 public:
  TokenBucket(double qps, int64_t burst);

  // Takes one token and returns when the caller may proceed: now if a token was available, else
  // the instant the deficit is refilled. REQUIRES: now is not before the previous call's now.
  SimTime Reserve(SimTime now);
  // Takes one token if one is available at now; otherwise changes nothing and returns false.
  bool TryAccept(SimTime now);
  // The balance at now (negative while reservations are queued). Does not change the bucket.
  double tokens(SimTime now) const;

  bool unlimited() const { return milli_qps_ <= 0; }
  double qps() const { return static_cast<double>(milli_qps_) / 1000.0; }
  int64_t burst() const { return burst_; }

 private:
  // The balance, in nano-tokens, after refilling from last_ to now.
  int64_t BalanceAt(SimTime now) const;

  int64_t milli_qps_;  // refill rate: nano-tokens per microsecond
  int64_t burst_;
  int64_t nano_tokens_;
  SimTime last_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_RATE_LIMITER_H_
