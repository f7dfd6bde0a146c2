#include "sim/argocd/comparison.h"

#include "sim/argocd/hooks.h"
#include "sim/argocd/tracking.h"
#include "sim/manifest/kinds.h"

namespace fleetsim {
namespace {

using nlohmann::json;

bool IsNamespaced(ClusterApi* cluster, const Object& obj) {
  if (cluster != nullptr) {
    Result<ApiResource> r = cluster->Discover(obj.api_version(), obj.kind());
    if (r.ok()) return r->namespaced;
  }
  return !IsClusterScopedBuiltInKind(obj.group(), obj.kind());
}

bool IsApplication(const ObjectKey& key) {
  return key.group == "argoproj.io" && key.kind == "Application";
}

// App health (controller/health.go, 3.4+): the worst health over resources that have a check,
// skipping hooks, missing resources, ignore-healthcheck, the app's own object and child
// Applications that are Missing or Unknown; Missing when the app has resources and none is live.
HealthStatus AggregateHealth(const std::vector<ResourceStatus>& resources, const ObjectKey& self) {
  HealthStatus out;
  bool any_target = false;
  bool any_live = false;
  for (const ResourceStatus& r : resources) {
    if (r.hook) continue;
    if (r.target) any_target = true;
    if (!r.live) continue;
    any_live = true;
    if (r.key == self || !r.health) continue;
    if (r.live->annotation("argocd.argoproj.io/ignore-healthcheck") == "true") continue;
    if (IsApplication(r.key) &&
        (r.health->code == HealthCode::kMissing || r.health->code == HealthCode::kUnknown)) {
      continue;
    }
    if (IsWorse(out.code, r.health->code)) out = {r.health->code, ""};
  }
  if (any_target && !any_live) out = {HealthCode::kMissing, ""};
  return out;
}

}  // namespace

std::string_view SyncStatusName(SyncStatusCode code) {
  switch (code) {
    case SyncStatusCode::kUnknown:
      return "Unknown";
    case SyncStatusCode::kSynced:
      return "Synced";
    case SyncStatusCode::kOutOfSync:
      return "OutOfSync";
  }
  return "Unknown";
}

bool MatchesDesired(const json& desired, const json& live) {
  if (desired.is_object()) {
    if (!live.is_object()) return false;
    for (auto it = desired.begin(); it != desired.end(); ++it) {
      auto l = live.find(it.key());
      if (l == live.end()) {
        if (it->is_null()) continue;
        return false;
      }
      if (!MatchesDesired(*it, *l)) return false;
    }
    return true;
  }
  if (desired.is_array()) {
    if (!live.is_array() || live.size() != desired.size()) return false;
    for (size_t i = 0; i < desired.size(); ++i) {
      if (!MatchesDesired(desired[i], live[i])) return false;
    }
    return true;
  }
  if (desired.is_number() && live.is_number()) return desired.get<double>() == live.get<double>();
  return desired == live;
}

ComparisonResult CompareAppState(const CompareInputs& in) {
  ComparisonResult out;
  std::map<ObjectKey, ResourceStatus> by_key;
  for (const ObjectPtr& raw : *in.targets) {
    if (raw->annotation("argocd.argoproj.io/hook") == "Skip") continue;
    ObjectPtr target =
        PrepareTarget(*raw, in.app, in.dest_namespace, IsNamespaced(in.cluster, *raw));
    if (IsHook(*target)) {
      out.hooks.push_back(target);
      continue;
    }
    ResourceStatus& r = by_key[target->key()];
    r.key = target->key();
    r.target = target;
  }
  for (const auto& [key, live] : *in.live) {
    ResourceStatus& r = by_key[key];
    r.key = key;
    r.live = live.object;
    if (!r.target && IsHook(*live.object)) r.hook = true;
  }
  bool out_of_sync = false;
  for (auto& [key, r] : by_key) {
    if (r.live) r.health = GetResourceHealth(*r.live);
    if (r.hook) {
      r.status = SyncStatusCode::kSynced;
    } else if (r.target && r.live) {
      r.modified = !MatchesDesired(r.target->doc(), r.live->doc());
      r.status = r.modified ? SyncStatusCode::kOutOfSync : SyncStatusCode::kSynced;
    } else if (r.target) {
      r.modified = true;
      r.status = SyncStatusCode::kOutOfSync;
    } else {
      r.requires_pruning = true;
      r.modified = true;
      bool ignore_extraneous =
          r.live->annotation("argocd.argoproj.io/compare-options").find("IgnoreExtraneous") !=
          std::string_view::npos;
      r.status = ignore_extraneous ? SyncStatusCode::kSynced : SyncStatusCode::kOutOfSync;
    }
    if (r.status == SyncStatusCode::kOutOfSync) out_of_sync = true;
    out.resources.push_back(std::move(r));
  }
  out.sync = out_of_sync ? SyncStatusCode::kOutOfSync : SyncStatusCode::kSynced;
  out.health = AggregateHealth(out.resources, in.app_key);
  return out;
}

}  // namespace fleetsim
