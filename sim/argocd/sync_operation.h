// One sync operation of one Application, driven by the application controller one Step() per
// operation pass, as Argo CD re-creates gitops-engine's syncContext on every pass and calls Sync().
// Reference section 2.3–2.7; gitops-engine pkg/sync/sync_context.go (Sync, runTasks,
// executeSyncFailPhase, setRunningPhase, Terminate) and argo-cd controller/sync.go (SyncAppState:
// options, FailOnSharedResource, the 2 s delay between waves).
//
// Each Step re-reads the cluster through SyncTarget (live objects, health, deletion state),
// rebuilds and re-sorts the tasks, restores their progress from the results recorded so far, and
// does at most one wave of work. The caller schedules the next Step, after `delay` when it is
// non-zero.
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_OPERATION_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_OPERATION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/argocd/hooks.h"
#include "sim/argocd/sync_options.h"
#include "sim/argocd/sync_target.h"
#include "sim/argocd/sync_tasks.h"
#include "sim/manifest/object.h"

namespace fleetsim {

// ARGOCD_SYNC_WAVE_DELAY's default (controller/sync.go delayBetweenSyncWaves).
inline constexpr SimDuration kDefaultSyncWaveDelay = SimDuration::Seconds(2);

// One entry of the comparison: a non-hook target and its live object, or a live object the app
// tracks that is no longer in Git (target null: a prune candidate).
struct ResourcePair {
  ObjectPtr target;
  ObjectPtr live;
  bool modified = true;  // the diff found a change (read only with ApplyOutOfSyncOnly)
};

// spec.syncPolicy.managedNamespaceMetadata (CreateNamespace=true).
struct ManagedNamespaceMetadata {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct SyncOperationSpec {
  std::string revision;
  SimTime started_at;           // operation startedAt: Prune=confirm approval must be >= this
  int64_t started_at_unix = 0;  // the same instant as Unix seconds, for generateName hooks
  std::string destination_namespace;
  std::vector<ResourcePair> resources;  // hooks excluded (see PartitionTargetsForSync, IsHook)
  std::vector<ObjectPtr> hooks;         // hook targets from Git
  SyncOptions options;                  // the operation's syncOptions
  bool prune = false;                   // --prune / automated.prune
  bool dry_run = false;                 // --dry-run
  bool force = false;                   // sync strategy force
  bool skip_hooks = false;              // apply strategy, or a selective sync
  std::optional<ManagedNamespaceMetadata> managed_namespace_metadata;
  // Project restrictions for one task's object; empty = everything permitted.
  std::function<Status(const Object&)> permitted;
  // Non-empty when a resource is also tracked by another app (SharedResourceWarning's message).
  std::string shared_resource_message;
  SimDuration wave_delay = kDefaultSyncWaveDelay;
};

// One entry of the operation's syncResult.resources.
struct ResourceResult {
  // The task's object (target, else live), keyed as gitops-engine keys results: a cluster-scoped
  // target carries the destination namespace here, as it does upstream.
  ObjectKey key;
  SyncPhase sync_phase = SyncPhase::kSync;
  bool hook = false;                         // hookType is the sync phase
  std::optional<ResultCode> status;          // unset for a hook deleted before it ran
  std::optional<OperationPhase> hook_phase;  // unset for a task that never ran
  std::string message;
  int order = 0;  // 1-based, in order of first record
};

// What a Step did, for the timeline.
enum class SyncEventKind {
  kApplied,
  kApplyFailed,
  kPruned,
  kPruneFailed,
  kHookCreated,
  kHookSucceeded,
  kHookFailed,
  kHookDeleted,
};
std::string_view SyncEventKindName(SyncEventKind kind);

struct SyncEvent {
  SyncEventKind kind;
  // The live object's key when the task had one, else the target's (which, for a cluster-scoped
  // object, carries the destination namespace; the caller knows the kind's scope).
  ObjectKey key;
  SyncPhase phase = SyncPhase::kSync;
  std::string message;
  bool operator==(const SyncEvent&) const = default;
};

struct SyncStepResult {
  OperationPhase phase = OperationPhase::kRunning;
  std::string message;
  std::vector<SyncEvent> events;  // in the order performed
  SimDuration delay;              // wait before the next Step (non-final wave applied)
};

class SyncOperation {
 public:
  explicit SyncOperation(SyncOperationSpec spec);

  // One operation pass. `deletion_approved_at` is the app's argocd.argoproj.io/deletion-approved
  // time now (nullopt when absent or unparsable). After completed() it changes nothing.
  SyncStepResult Step(SyncTarget& cluster, std::optional<SimTime> deletion_approved_at);
  // Terminates the operation (sync timeout, `argocd app terminate-op`): running hooks are deleted,
  // the operation ends Failed "Operation terminated" (Error when a deletion failed).
  SyncStepResult Terminate(SyncTarget& cluster);

  OperationPhase phase() const { return phase_; }
  const std::string& message() const { return message_; }
  bool completed() const { return IsCompleted(phase_); }
  std::vector<ResourceResult> results() const;  // by order

 private:
  enum class RunState { kSuccessful, kPending, kFailed };  // ordered: merging keeps the worst
  using TaskList = std::vector<SyncTask*>;
  using ResultKey = std::pair<ObjectKey, SyncPhase>;

  bool started() const { return !results_.empty(); }
  SyncStepResult Snapshot() const;
  void SetPhase(OperationPhase phase, std::string message);
  void RecordResult(const ObjectKey& key, SyncPhase phase, bool hook,
                    std::optional<ResultCode> code, std::optional<OperationPhase> state,
                    const std::string& message);
  void SetResult(SyncTask& task, std::optional<ResultCode> code,
                 std::optional<OperationPhase> state, const std::string& message);
  void Emit(SyncEventKind kind, const SyncTask& task, std::string message = "");
  std::vector<SyncTask> PrepareTasks(SyncTarget& cluster, bool* valid);

  void Sync(std::vector<SyncTask>& tasks, SyncTarget& cluster);
  bool FirstPass(std::vector<SyncTask>& tasks, SyncTarget& cluster);
  void RefreshRunning(std::vector<SyncTask>& tasks, SyncTarget& cluster);
  void RunWave(TaskList pending, const TaskList& sync_fail, const TaskList& hooks_delete_on_failure,
               SyncTarget& cluster);
  RunState RunTasks(const TaskList& tasks, bool dry_run, SyncTarget& cluster);
  RunState ProcessCreateTasks(RunState state, const TaskList& group, bool dry_run,
                              SyncTarget& cluster);
  std::pair<ResultCode, std::string> ApplyObject(SyncTask& task, bool dry_run, bool validate,
                                                 SyncTarget& cluster);
  std::pair<ResultCode, std::string> PruneObject(SyncTask& task, bool dry_run, SyncTarget& cluster);
  void DeleteHooks(const TaskList& hooks, SyncTarget& cluster);
  bool ExecuteSyncFailPhase(const TaskList& sync_fail, const TaskList& failed,
                            const std::string& message, SyncTarget& cluster);
  void SetRunningPhase(const TaskList& tasks, bool pending_deletion);
  TaskList FilterOutOfSync(const TaskList& tasks) const;

  SyncOperationSpec spec_;
  OperationPhase phase_ = OperationPhase::kRunning;
  std::string message_;
  std::map<ResultKey, ResourceResult> results_;
  bool prune_confirmed_ = false;
  std::vector<SyncEvent> events_;  // of the current Step
  SimDuration delay_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_OPERATION_H_
