#include "sim/argocd/comparison.h"

#include "sim/argocd/hooks.h"
#include "sim/argocd/tracking.h"
#include "sim/manifest/kinds.h"

namespace fleetsim {
namespace {

using json = Json;

bool IsNamespaced(ClusterApi* cluster, const Object& obj) {
  if (cluster != nullptr) {
    Result<ApiResource> r = cluster->Discover(obj.api_version(), obj.kind());
    if (r.ok()) return r->namespaced;
  }
  return !IsClusterScopedBuiltInKind(obj.group(), obj.kind());
}

// IsNamespaced for the targets of one comparison, asking discovery once per apiVersion and kind
// (an app's targets are mostly a few kinds).
class ScopeOf {
 public:
  explicit ScopeOf(ClusterApi* cluster) : cluster_(cluster) {}
  bool Namespaced(const Object& obj) {
    for (const Known& k : known_) {
      if (k.api_version == obj.api_version() && k.kind == obj.kind()) return k.namespaced;
    }
    bool namespaced = IsNamespaced(cluster_, obj);
    known_.push_back({obj.api_version(), obj.kind(), namespaced});
    return namespaced;
  }

 private:
  struct Known {
    std::string_view api_version;  // of a target, which outlives the comparison
    std::string_view kind;
    bool namespaced;
  };
  ClusterApi* cluster_;
  std::vector<Known> known_;
};

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

// A target the comparison leaves out: annotated exactly `hook: Skip`.
bool LeftOut(const Object& target) {
  return target.annotation("argocd.argoproj.io/hook") == "Skip";
}

// Whether `prev` was computed from exactly these inputs: the same app and namespace, the same
// rendered objects in the same order with the same scope, and the same live objects. Everything a
// comparison computes is a function of those, so it would come out the same.
bool SameInputs(const CompareInputs& in, const ComparisonResult& prev, ScopeOf& scope) {
  if (prev.prepared_app != in.app || prev.prepared_namespace != in.dest_namespace) return false;
  size_t i = 0;
  for (const ObjectPtr& raw : *in.targets) {
    if (LeftOut(*raw)) continue;
    if (i >= prev.prepared.size() || prev.prepared[i].rendered != raw ||
        prev.prepared[i].namespaced != scope.Namespaced(*raw)) {
      return false;
    }
    ++i;
  }
  if (i != prev.prepared.size()) return false;
  if (in.live_version != 0 && prev.live_set == in.live && prev.live_version == in.live_version) {
    return true;
  }
  auto r = prev.resources.begin();
  for (const auto& [key, live] : *in.live) {
    while (r != prev.resources.end() && r->live == nullptr) ++r;
    if (r == prev.resources.end() || r->live != live.object) return false;
    ++r;
  }
  while (r != prev.resources.end() && r->live == nullptr) ++r;
  return r == prev.resources.end();
}

// The comparison, reusing from `prev` (when given) what it computed from the same inputs.
ComparisonResult Compare(const CompareInputs& in, const ComparisonResult* prev, ScopeOf& scope) {
  ComparisonResult out;
  const bool same_app = prev != nullptr && prev->prepared_app == in.app &&
                        prev->prepared_namespace == in.dest_namespace;
  out.prepared_app = in.app;
  out.prepared_namespace = in.dest_namespace;
  out.live_set = in.live;
  out.live_version = in.live_version;
  std::map<ObjectKey, ResourceStatus> by_key;
  for (const ObjectPtr& raw : *in.targets) {
    if (LeftOut(*raw)) continue;
    const bool namespaced = scope.Namespaced(*raw);
    const size_t i = out.prepared.size();
    const PreparedTarget* reusable =
        same_app && i < prev->prepared.size() ? &prev->prepared[i] : nullptr;
    ObjectPtr target = reusable != nullptr && reusable->prepared != nullptr &&
                               reusable->rendered == raw && reusable->namespaced == namespaced
                           ? reusable->prepared
                           : PrepareTarget(*raw, in.app, in.dest_namespace, namespaced);
    out.prepared.push_back({raw, namespaced, target});
    if (IsHook(*target)) {
      out.hooks.push_back(target);
      continue;
    }
    ResourceStatus& r = by_key[target->key()];
    r.key = target->key();
    r.target = target;
    r.prepared_index = static_cast<uint32_t>(i);
  }
  for (const auto& [key, live] : *in.live) {
    ResourceStatus& r = by_key[key];
    r.key = key;
    r.live = live.object;
    if (!r.target && IsHook(*live.object)) r.hook = true;
  }
  // The previous resources are ordered by key too: walk them alongside.
  static const std::vector<ResourceStatus> kNone;
  const std::vector<ResourceStatus>& before = prev != nullptr ? prev->resources : kNone;
  size_t b = 0;
  bool out_of_sync = false;
  for (auto& [key, r] : by_key) {
    while (b < before.size() && before[b].key < key) ++b;
    const ResourceStatus* old = b < before.size() && before[b].key == key ? &before[b] : nullptr;
    if (r.live) {
      r.health = old != nullptr && old->live == r.live ? old->health : GetResourceHealth(*r.live);
    }
    if (r.hook) {
      r.status = SyncStatusCode::kSynced;
    } else if (r.target && r.live) {
      r.modified = old != nullptr && old->target == r.target && old->live == r.live
                       ? old->modified
                       : !MatchesDesired(r.target->doc(), r.live->doc());
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
  ScopeOf scope(in.cluster);
  return Compare(in, nullptr, scope);
}

bool RecompareAppState(const CompareInputs& in, ComparisonResult* result) {
  ScopeOf scope(in.cluster);
  if (SameInputs(in, *result, scope)) return false;
  *result = Compare(in, result, scope);
  return true;
}

void ReleasePrepared(ComparisonResult* result) {
  if (result->released) return;
  for (ResourceStatus& r : result->resources) {
    if (r.prepared_index == ResourceStatus::kNoTarget) continue;
    r.target = nullptr;
    result->prepared[r.prepared_index].prepared = nullptr;
  }
  result->released = true;
}

void RestorePrepared(ComparisonResult* result) {
  if (!result->released) return;
  for (ResourceStatus& r : result->resources) {
    if (r.prepared_index == ResourceStatus::kNoTarget) continue;
    PreparedTarget& p = result->prepared[r.prepared_index];
    if (p.prepared == nullptr) {
      p.prepared = PrepareTarget(*p.rendered, result->prepared_app, result->prepared_namespace,
                                 p.namespaced);
    }
    r.target = p.prepared;
  }
  result->released = false;
}

}  // namespace fleetsim
