// Comparing an Application's target state (rendered from Git) with the live objects it tracks
// (reference 1.3 and 1.4; argo-cd controller/state.go CompareAppState and controller/health.go
// setApplicationHealth, Argo CD 3.5 rules).
#ifndef FLEETSIM_SIM_ARGOCD_COMPARISON_H_
#define FLEETSIM_SIM_ARGOCD_COMPARISON_H_

#include <cstdint>
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
  // The index in ComparisonResult::prepared of the target; kNoTarget when only live.
  static constexpr uint32_t kNoTarget = UINT32_MAX;
  uint32_t prepared_index = kNoTarget;
};

// A rendered target and what PrepareTarget made of it.
struct PreparedTarget {
  ObjectPtr rendered;
  bool namespaced = true;
  ObjectPtr prepared;
};

struct ComparisonResult {
  SyncStatusCode sync = SyncStatusCode::kUnknown;
  HealthStatus health;
  std::vector<ResourceStatus> resources;  // by key; hooks included (flagged)
  std::vector<ObjectPtr> hooks;           // hook targets, prepared, in Git order
  // Every target but Skip hooks, in Git order, and the app and namespace they were prepared for:
  // what a later comparison of the same app reuses.
  std::vector<PreparedTarget> prepared;
  std::string prepared_app;
  std::string prepared_namespace;
  // ReleasePrepared dropped the prepared documents of the resources (not of the hooks): every
  // ResourceStatus::target is null until RestorePrepared.
  bool released = false;
  // The live state compared: the map and its version (CompareInputs::live_version).
  const std::map<ObjectKey, LiveObject>* live_set = nullptr;
  uint64_t live_version = 0;
};

// Whether `live` matches `desired` for every field `desired` sets (a field the server or another
// writer added is no difference, a changed or removed one is): the outcome of Argo CD's diff for
// objects applied with kubectl apply.
bool MatchesDesired(const Json& desired, const Json& live);

struct CompareInputs {
  std::string app;  // the Application's name (tracking ids)
  ObjectKey app_key;
  std::string dest_namespace;
  const std::vector<ObjectPtr>* targets = nullptr;  // as rendered
  const std::map<ObjectKey, LiveObject>* live = nullptr;
  ClusterApi* cluster = nullptr;  // for discovery (namespaced or not)
  // A version of `*live` that changes whenever it does and never repeats for that map (the live
  // state cache's); 0 when there is none. Lets RecompareAppState see an unchanged live state
  // without reading it.
  uint64_t live_version = 0;
};

ComparisonResult CompareAppState(const CompareInputs& in);

// CompareAppState(in) into `*result`, the app's last comparison: what that computed from the same
// immutable inputs (a prepared target from the same rendered object, the health of the same live
// object, the diff of the same pair) is reused rather than computed again, and when every input is
// the same it is left as it is. The outcome is the same either way; this is the O(1) path of an
// unchanged app. Returns false when nothing was recomputed.
bool RecompareAppState(const CompareInputs& in, ComparisonResult* result);

// Drops the prepared documents of the resources that `result` compared, keeping what they were
// prepared from: a settled Application (Synced and Healthy, which at fleet scale is nearly every
// one) then holds no per-app copy of its manifests. Nothing computed is lost; a later
// RecompareAppState prepares again what it needs, and RestorePrepared brings the targets back for
// a sync. The hooks are kept.
void ReleasePrepared(ComparisonResult* result);
// Prepares again the targets ReleasePrepared dropped (identical documents); a no-op otherwise.
void RestorePrepared(ComparisonResult* result);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_COMPARISON_H_
