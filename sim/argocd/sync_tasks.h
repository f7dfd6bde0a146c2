// One unit of sync work (apply a target, prune a live object, or run a hook in one phase) and the
// exact order gitops-engine runs them in. Reference section 2.2; gitops-engine
// pkg/sync/sync_task.go, sync_tasks.go (kindOrder, Less, Sort, adjustDeps, multiStep) and
// sync_context.go (getSyncTasks: prune-wave mirroring and PruneLast).
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_TASKS_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_TASKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/argocd/hooks.h"
#include "sim/manifest/object.h"

namespace fleetsim {

struct SyncOptions;

// common.OperationPhase, for the operation and for one task. A task with no phase yet is pending.
enum class OperationPhase { kRunning, kTerminating, kFailed, kError, kSucceeded };
std::string_view OperationPhaseName(OperationPhase phase);
constexpr bool IsCompleted(OperationPhase p) {
  return p == OperationPhase::kFailed || p == OperationPhase::kError ||
         p == OperationPhase::kSucceeded;
}

// common.ResultCode of one resource in the sync result.
enum class ResultCode { kSynced, kSyncFailed, kPruned, kPruneSkipped };
std::string_view ResultCodeName(ResultCode code);

struct SyncTask {
  SyncPhase phase = SyncPhase::kSync;
  ObjectPtr target;      // null: prune the live object
  ObjectPtr live;        // null: not on the cluster (yet)
  bool is_hook = false;  // hook.IsHook(obj()), fixed at construction
  bool modified = true;  // the comparison found a diff (ApplyOutOfSyncOnly)
  bool skip_dry_run = false;
  std::optional<int64_t> wave_override;  // prune mirroring, PruneLast, adjustDeps
  // Progress restored from the operation's results on every pass.
  std::optional<ResultCode> result;
  std::optional<OperationPhase> state;  // nullopt: pending
  std::string message;

  // REQUIRES: target or live is set.
  static SyncTask Make(SyncPhase phase, ObjectPtr target, ObjectPtr live, bool modified = true);

  const Object& obj() const { return target ? *target : *live; }  // target, else live
  const ObjectKey& key() const { return obj().key(); }            // the result key's resource part
  // The key on the cluster: the live object's when there is one (its namespace is right for
  // cluster-scoped objects, whose targets carry the app namespace), else the target's.
  const ObjectKey& cluster_key() const { return live ? live->key() : target->key(); }
  int64_t wave() const { return wave_override ? *wave_override : SyncWave(obj()); }
  bool is_prune() const { return target == nullptr; }
  bool pending() const { return !state.has_value(); }
  bool running() const { return state == OperationPhase::kRunning; }
  bool completed() const { return state && IsCompleted(*state); }
  bool successful() const { return state == OperationPhase::kSucceeded; }
  bool pruned() const { return result == ResultCode::kPruned; }
  bool HasDeletePolicy(HookDeletePolicy policy) const;  // false for non-hooks
  // A pending hook whose previous object is still there (BeforeHookCreation).
  bool delete_before_creation() const {
    return live && pending() && HasDeletePolicy(HookDeletePolicy::kBeforeHookCreation);
  }
  bool delete_on_success() const {
    return live && HasDeletePolicy(HookDeletePolicy::kHookSucceeded);
  }
  bool delete_on_failure() const { return live && HasDeletePolicy(HookDeletePolicy::kHookFailed); }
};

// kindOrder: Helm's install order, value = index - 35 (Namespace -35 … APIService -1); 0 for any
// other kind. Only the kind is looked at, never the group.
int KindOrder(std::string_view kind);

// syncTasks.Less: phase, wave, kind order, name. Go's sort.Sort is not stable and leaves ties in no
// defined order; fleetsim breaks them by namespace, then group, then apply before prune, and keeps
// any remaining tie in input order (stable sort), so the order is a pure function of the input.
bool SyncTaskLess(const SyncTask& a, const SyncTask& b);

// Prune-wave rewrites of getSyncTasks, applied before sorting: prune tasks take the mirror of their
// wave among the distinct prune waves ({1,3,4} → {4,3,1}); then prune tasks with PruneLast (app
// level or on the live object) go to (highest Sync-phase wave, never below 0) + 1.
void AssignPruneWaves(std::vector<SyncTask>& tasks, const SyncOptions& options);

// syncTasks.Sort: sort by SyncTaskLess, then adjustDeps twice: a Namespace (core group) moves to
// just before the first task located in it, and a CustomResourceDefinition before the first object
// of its spec.group/spec.names.kind; a moved task takes that task's phase and wave.
void SortSyncTasks(std::vector<SyncTask>& tasks);

// syncTasks.multiStep over a sorted list: first and last task differ in phase or wave.
bool IsMultiStep(const std::vector<SyncTask>& tasks);

// "group/kind/name" as gitops-engine prints a task in messages ("/Pod/my-pod" for the core group).
std::string TaskRef(const SyncTask& task);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_TASKS_H_
