// The api-throttle fault: a ClusterApi decorator that makes the API server answer 429 Too Many
// Requests above a request rate, as API Priority and Fairness does for a client that exceeds its
// share. While a limit is set, each call takes a token from a bucket refilled at `qps` (burst =
// one second's worth). client-go retries a 429 after the server's Retry-After (1 s) up to 10
// times (rest.Request's maxRetries), so a call succeeds as long as its turn comes within
// kMaxRetryWait; beyond that the caller sees the error. Calls have no latency in this model, so a
// call that waited for its turn is indistinguishable from one that did not: only the failures show.
// Discovery is served from the client's cache and watches are long-lived, so neither is throttled.
#ifndef FLEETSIM_SIM_CLUSTER_THROTTLED_CLUSTER_H_
#define FLEETSIM_SIM_CLUSTER_THROTTLED_CLUSTER_H_

#include <optional>
#include <string>
#include <string_view>

#include "engine/rate_limiter.h"
#include "engine/simulator.h"
#include "sim/cluster/cluster_api.h"

namespace fleetsim {

class ThrottledCluster final : public ClusterApi {
 public:
  // client-go: 10 retries, each after the server's Retry-After of 1 s.
  static constexpr SimDuration kMaxRetryWait = SimDuration::Seconds(10);

  // REQUIRES: `inner` and `sim` outlive this object.
  ThrottledCluster(ClusterApi& inner, const Simulator& sim) : inner_(inner), sim_(sim) {}

  // Sets (qps > 0) or clears (nullopt) the limit; a new limit starts with a full bucket.
  void set_limit(std::optional<double> qps);
  bool throttled() const { return bucket_.has_value(); }
  uint64_t rejected() const { return rejected_; }

  const std::string& cluster() const override { return inner_.cluster(); }
  Result<ApiResource> Discover(std::string_view api_version, std::string_view kind) override {
    return inner_.Discover(api_version, kind);
  }
  Status Discoverable(std::string_view api_version, std::string_view kind) override {
    return inner_.Discoverable(api_version, kind);
  }
  Result<LiveObject> Get(const ObjectKey& key) override;
  Result<std::vector<LiveObject>> List(const ListOptions& options) override;
  Result<LiveObject> Create(const Object& obj) override;
  Result<ApplyResult> Apply(const Object& desired, const ApplyOptions& options) override;
  Result<LiveObject> Update(const Object& obj) override;
  Result<LiveObject> Patch(const ObjectKey& key, const Json& merge_patch) override;
  Result<LiveObject> UpdateStatus(const ObjectKey& key, const Json& status) override;
  Status AddFinalizer(const ObjectKey& key, std::string_view finalizer) override;
  Status RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) override;
  Status Delete(const ObjectKey& key, const DeleteOptions& options) override;
  WatchId Watch(WatchObserver observer) override { return inner_.Watch(std::move(observer)); }
  void Unwatch(WatchId id) override { inner_.Unwatch(id); }

  // The text client-go gives a caller whose retries ran out.
  static Status TooManyRequests();

 private:
  // Ok when the call may go through (after retries), else the 429.
  Status Admit();

  ClusterApi& inner_;
  const Simulator& sim_;
  std::optional<TokenBucket> bucket_;
  double qps_ = 0;
  uint64_t rejected_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_THROTTLED_CLUSTER_H_
