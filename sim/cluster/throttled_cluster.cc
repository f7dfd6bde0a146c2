#include "sim/cluster/throttled_cluster.h"

#include <algorithm>
#include <cmath>

namespace fleetsim {

void ThrottledCluster::set_limit(std::optional<double> qps) {
  if (!qps || *qps <= 0) {
    bucket_.reset();
    return;
  }
  qps_ = *qps;
  bucket_.emplace(qps_, std::max<int64_t>(1, static_cast<int64_t>(std::ceil(qps_))));
}

Status ThrottledCluster::TooManyRequests() {
  return Status::Error(
      "the server has received too many requests and has asked us to try again later");
}

Status ThrottledCluster::Admit() {
  if (!bucket_) return Status::Ok();
  const SimTime now = sim_.now();
  // The backlog ahead of this call, in seconds of refill: beyond the retry budget it fails.
  if (bucket_->tokens(now) <= -qps_ * static_cast<double>(kMaxRetryWait.whole_seconds())) {
    ++rejected_;
    return TooManyRequests();
  }
  bucket_->Reserve(now);
  return Status::Ok();
}

Result<LiveObject> ThrottledCluster::Get(const ObjectKey& key) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Get(key);
}

Result<std::vector<LiveObject>> ThrottledCluster::List(const ListOptions& options) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.List(options);
}

Result<LiveObject> ThrottledCluster::Create(const Object& obj) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Create(obj);
}

Result<ApplyResult> ThrottledCluster::Apply(const Object& desired, const ApplyOptions& options) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Apply(desired, options);
}

Result<LiveObject> ThrottledCluster::Update(const Object& obj) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Update(obj);
}

Result<LiveObject> ThrottledCluster::Patch(const ObjectKey& key, const Json& patch) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Patch(key, patch);
}

Result<LiveObject> ThrottledCluster::UpdateStatus(const ObjectKey& key, const Json& status) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.UpdateStatus(key, status);
}

Status ThrottledCluster::AddFinalizer(const ObjectKey& key, std::string_view finalizer) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.AddFinalizer(key, finalizer);
}

Status ThrottledCluster::RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.RemoveFinalizer(key, finalizer);
}

Status ThrottledCluster::Delete(const ObjectKey& key, const DeleteOptions& options) {
  if (Status s = Admit(); !s.ok()) return s;
  return inner_.Delete(key, options);
}

}  // namespace fleetsim
