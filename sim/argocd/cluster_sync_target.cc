#include "sim/argocd/cluster_sync_target.h"

#include <algorithm>

#include "sim/cluster/health.h"

namespace fleetsim {

ClusterSyncTarget::ClusterSyncTarget(ClusterApi& api, TokenBucket& limiter, SimTime now,
                                     std::string cause, std::vector<ObjectPtr> managed)
    : api_(api),
      limiter_(limiter),
      now_(now),
      done_at_(now),
      cause_(std::move(cause)),
      managed_(std::move(managed)) {}

void ClusterSyncTarget::Pace() {
  ++requests_;
  done_at_ = std::max(done_at_, limiter_.Reserve(now_));
}

Status ClusterSyncTarget::Apply(const Object& obj, const ApplyMode& mode) {
  Pace();
  if (mode.strategy == ApplyStrategy::kCreate) {
    Result<LiveObject> created = api_.Create(obj);
    return created.ok() ? Status::Ok() : created.status();
  }
  if (mode.strategy == ApplyStrategy::kReplace || mode.strategy == ApplyStrategy::kUpdate) {
    Result<LiveObject> updated = api_.Update(obj);
    return updated.ok() ? Status::Ok() : updated.status();
  }
  Result<ApplyResult> applied = api_.Apply(obj, {});
  return applied.ok() ? Status::Ok() : applied.status();
}

Status ClusterSyncTarget::DryRun(const Object& obj) {
  // kubectl apply --dry-run=client consults discovery only.
  Pace();
  Result<ApiResource> r = api_.Discover(obj.api_version(), obj.kind());
  return r.ok() ? Status::Ok() : r.status();
}

Status ClusterSyncTarget::Delete(const ObjectKey& key, PropagationPolicy policy) {
  Pace();
  DeleteOptions options;
  options.cause = cause_;
  switch (policy) {
    case PropagationPolicy::kForeground:
      options.propagation = Propagation::kForeground;
      break;
    case PropagationPolicy::kBackground:
      options.propagation = Propagation::kBackground;
      break;
    case PropagationPolicy::kOrphan:
      options.propagation = Propagation::kOrphan;
      break;
    case PropagationPolicy::kServerDefault:
      break;
  }
  Status s = api_.Delete(key, options);
  if (!s.ok() && s.message().find("not found") != std::string::npos) return Status::Ok();
  return s;
}

ObjectPtr ClusterSyncTarget::GetLive(const ObjectKey& key) {
  Result<LiveObject> live = api_.Get(key);
  return live.ok() ? live->object : nullptr;
}

std::optional<HealthStatus> ClusterSyncTarget::Health(const ObjectKey& key) {
  Result<LiveObject> live = api_.Get(key);
  if (!live.ok()) return HealthStatus{HealthCode::kMissing, ""};
  return GetResourceHealth(*live->object);
}

bool ClusterSyncTarget::IsBeingDeleted(const ObjectKey& key) {
  Result<LiveObject> live = api_.Get(key);
  return live.ok() && live->being_deleted();
}

bool ClusterSyncTarget::ServesKind(std::string_view api_version, std::string_view kind) {
  return api_.Discover(api_version, kind).ok();
}

Status ClusterSyncTarget::Create(const Object& obj) {
  Pace();
  Result<LiveObject> created = api_.Create(obj);
  if (!created.ok() && created.error().find("already exists") != std::string::npos) {
    return Status::Ok();
  }
  return created.ok() ? Status::Ok() : created.status();
}

}  // namespace fleetsim
