// What the application controller knows of one Application: its spec, the status it computed
// (sync, health, revision, conditions, the resources) and the operation in progress.
#ifndef FLEETSIM_SIM_ARGOCD_APP_STATE_H_
#define FLEETSIM_SIM_ARGOCD_APP_STATE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/simulator.h"
#include "sim/argocd/application_spec.h"
#include "sim/argocd/cluster_directory.h"
#include "sim/argocd/comparison.h"
#include "sim/argocd/live_state_cache.h"
#include "sim/argocd/sync_operation.h"
#include "sim/git/object_id.h"
#include "sim/manifest/rendered_manifests.h"

namespace fleetsim {

// app.operation plus status.operationState.
struct Operation {
  bool automated = false;
  bool manual_resolve = false;  // a manual sync: re-resolve the revision
  bool prune = false;
  std::vector<ObjectKey> resources;  // a partial (self-heal) sync: only these; empty = all
  std::vector<CommitId> revisions;   // pinned revision, one per source
  RetryPolicy retry;
  int64_t retry_count = 0;
  int64_t self_heal_attempts = 0;
  SimTime started_at;
  std::optional<SimTime> retry_at;  // Running again after a failure: do not restart before this
  std::unique_ptr<SyncOperation> sync;
  std::string last_message;
};

// status.operationState of the last completed sync (what autoSync compares against).
struct SyncRecord {
  std::vector<CommitId> revisions;
  uint64_t source_hash = 0;
  OperationPhase phase = OperationPhase::kSucceeded;
  SimTime finished_at;
  int64_t self_heal_attempts = 0;
  SimTime started_at;
};

// The fields every refresh reads come first, so that an unchanged app's refresh touches few
// cache lines; the rest follow by topic.
struct AppState {
  // read by every refresh
  uint32_t id = 0;  // the controller's id of `name` (see ApplicationController::IdOf)
  // The highest level the controller requested (refreshRequestedApps); kept until a refresh that
  // found no earlier reason to compare takes it (needRefreshAppStatus).
  int refresh_level = 0;
  // The refresh annotation's request (kForceResolve, or kHard for "hard"); 0: none.
  int refresh_annotation = 0;
  SyncStatusCode sync = SyncStatusCode::kUnknown;
  std::optional<SimTime> deletion_timestamp;
  std::optional<SimTime> reconciled_at;
  std::optional<SimTime> repo_error_since;
  uint64_t compared_source_hash = 0;
  uint64_t compared_destination_hash = 0;
  uint64_t comparison_fingerprint = 0;
  // The repo-server's rendered sets the last comparison was made from, held so that the same
  // pointers mean the same manifests (a new commit that leaves the app's sources alone renders
  // to the same cached sets, and needs no new comparison).
  std::vector<RenderedManifestsPtr> compared_parts;
  uint64_t comparisons = 0;  // refreshes that took the comparison's inputs again
  std::vector<CommitId> revisions;
  // The last Destination() answer, valid while the spec and the directory's generation are the
  // ones it was found for (0: none kept).
  mutable const ClusterEndpoint* destination = nullptr;
  mutable uint64_t destination_generation = 0;
  LiveStateCache::Hint live_hint;  // of the last refresh's lookup of the tracked objects
  std::string comparison_error;    // ComparisonError condition
  HealthStatus health{HealthCode::kMissing, ""};
  std::string destination_cluster;  // cluster name of the resolved destination
  std::string name;
  std::string key_text;  // key.ToString(), the object column of the app's trace records
  std::optional<ApplicationSpec> spec;

  ObjectKey key;           // of the Application object in the management cluster
  ObjectPtr object;        // the live Application
  std::string spec_error;  // InvalidSpecError

  // status
  ComparisonResult comparison;
  std::vector<ObjectPtr> targets;  // the rendered manifests of the last comparison
  uint64_t targets_digest = 0;     // of the rendered manifests: a change is a ManifestsChanged
  std::string sync_error;          // SyncError condition
  bool window_blocked = false;     // the last automated sync decision was refused by a sync window
  std::optional<Operation> operation;
  std::optional<SyncRecord> last_sync;

  // deletion
  bool deletion_finalized = false;  // the cascade ran to its end (leftovers already reported)

  // controller bookkeeping
  EventId delayed_refresh = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APP_STATE_H_
