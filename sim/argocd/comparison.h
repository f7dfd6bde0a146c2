// Comparing an Application's target state (rendered from Git) with the live objects it tracks
// (reference 1.3 and 1.4; argo-cd controller/state.go CompareAppState and controller/health.go
// setApplicationHealth, Argo CD 3.5 rules).
#ifndef FLEETSIM_SIM_ARGOCD_COMPARISON_H_
#define FLEETSIM_SIM_ARGOCD_COMPARISON_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/argocd/sync_options.h"
#include "sim/cluster/cluster_api.h"
#include "sim/cluster/health.h"
#include "sim/manifest/object.h"

namespace fleetsim {

enum class SyncStatusCode { kUnknown, kSynced, kOutOfSync };
std::string_view SyncStatusName(SyncStatusCode code);

struct ResourceStatus {
  ObjectKey key;
  ObjectPtr target;  // prepared (namespace defaulted, tracking id); null when only live
  ObjectPtr live;    // null when missing
  SyncStatusCode status = SyncStatusCode::kSynced;
  std::optional<HealthStatus> health;  // of the live object; nullopt: no health check
  bool hook = false;
  bool requires_pruning = false;
  bool modified = false;  // the diff found a change
};

struct ComparisonResult {
  SyncStatusCode sync = SyncStatusCode::kUnknown;
  HealthStatus health;
  std::vector<ResourceStatus> resources;  // by key; hooks included (flagged)
  std::vector<ObjectPtr> hooks;           // hook targets, prepared, in Git order
};

// Whether `live` matches `desired` for every field `desired` sets (a field the server or another
// writer added is no difference, a changed or removed one is): the outcome of Argo CD's diff for
// objects applied with kubectl apply.
bool MatchesDesired(const nlohmann::json& desired, const nlohmann::json& live);

struct CompareInputs {
  std::string app;  // the Application's name (tracking ids)
  ObjectKey app_key;
  std::string dest_namespace;
  const std::vector<ObjectPtr>* targets = nullptr;  // as rendered
  const std::map<ObjectKey, LiveObject>* live = nullptr;
  ClusterApi* cluster = nullptr;  // for discovery (namespaced or not)
};

ComparisonResult CompareAppState(const CompareInputs& in);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_COMPARISON_H_
