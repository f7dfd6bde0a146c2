#include "engine/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetsim {
namespace {

constexpr int64_t kNano = 1'000'000'000;  // nano-tokens per token
constexpr int64_t kMaxBurst = std::numeric_limits<int64_t>::max() / kNano / 4;

}  // namespace

TokenBucket::TokenBucket(double qps, int64_t burst)
    : milli_qps_(qps > 0 ? std::max<int64_t>(1, std::llround(qps * 1000.0)) : 0),
      burst_(std::clamp<int64_t>(burst, 1, kMaxBurst)),
      nano_tokens_(burst_ * kNano) {}

int64_t TokenBucket::BalanceAt(SimTime now) const {
  const int64_t full = burst_ * kNano;
  if (nano_tokens_ >= full) return full;
  const int64_t elapsed = std::max<int64_t>(0, (now - last_).micros());
  const int64_t missing = full - nano_tokens_;
  // elapsed * rate >= missing, written so that it cannot overflow.
  if (elapsed >= (missing + milli_qps_ - 1) / milli_qps_) return full;
  return nano_tokens_ + elapsed * milli_qps_;
}

SimTime TokenBucket::Reserve(SimTime now) {
  if (unlimited()) return now;
  const int64_t balance = BalanceAt(now) - kNano;
  nano_tokens_ = balance;
  last_ = now;
  if (balance >= 0) return now;
  const int64_t wait_us = (-balance + milli_qps_ - 1) / milli_qps_;
  return now + SimDuration::Micros(wait_us);
}

bool TokenBucket::TryAccept(SimTime now) {
  if (unlimited()) return true;
  const int64_t balance = BalanceAt(now);
  if (balance < kNano) return false;
  nano_tokens_ = balance - kNano;
  last_ = now;
  return true;
}

double TokenBucket::tokens(SimTime now) const {
  if (unlimited()) return std::numeric_limits<double>::infinity();
  return static_cast<double>(BalanceAt(now)) / static_cast<double>(kNano);
}

}  // namespace fleetsim
