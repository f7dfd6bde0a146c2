#include "sim/argocd/sync_operation.h"

#include <algorithm>
#include <set>
#include <utility>

#include "sim/argocd/sync_task_builder.h"

namespace fleetsim {
namespace {

using TaskList = std::vector<SyncTask*>;

template <typename Pred>
TaskList Filter(const TaskList& tasks, Pred pred) {
  TaskList out;
  for (SyncTask* t : tasks) {
    if (pred(*t)) out.push_back(t);
  }
  return out;
}

template <typename Pred>
bool Any(const TaskList& tasks, Pred pred) {
  return std::any_of(tasks.begin(), tasks.end(), [&](const SyncTask* t) { return pred(*t); });
}

TaskList All(std::vector<SyncTask>& tasks) {
  TaskList out;
  for (SyncTask& t : tasks) out.push_back(&t);
  return out;
}

}  // namespace

std::string_view SyncEventKindName(SyncEventKind kind) {
  switch (kind) {
    case SyncEventKind::kApplied:
      return "ResourceApplied";
    case SyncEventKind::kApplyFailed:
      return "ResourceApplyFailed";
    case SyncEventKind::kPruned:
      return "ResourcePruned";
    case SyncEventKind::kPruneFailed:
      return "ResourcePruneFailed";
    case SyncEventKind::kHookCreated:
      return "HookStarted";
    case SyncEventKind::kHookSucceeded:
      return "HookSucceeded";
    case SyncEventKind::kHookFailed:
      return "HookFailed";
    case SyncEventKind::kHookDeleted:
      return "HookDeleted";
  }
  return "";
}

SyncOperation::SyncOperation(SyncOperationSpec spec) : spec_(std::move(spec)) {}

std::vector<ResourceResult> SyncOperation::results() const {
  std::vector<ResourceResult> out;
  for (const auto& [key, result] : results_) out.push_back(result);
  std::sort(out.begin(), out.end(),
            [](const ResourceResult& a, const ResourceResult& b) { return a.order < b.order; });
  return out;
}

SyncStepResult SyncOperation::Snapshot() const {
  return SyncStepResult{phase_, message_, events_, delay_};
}

void SyncOperation::SetPhase(OperationPhase phase, std::string message) {
  phase_ = phase;
  message_ = std::move(message);
}

void SyncOperation::RecordResult(const ObjectKey& key, SyncPhase phase, bool hook,
                                 std::optional<ResultCode> code,
                                 std::optional<OperationPhase> state, const std::string& message) {
  auto [it, inserted] = results_.try_emplace(ResultKey{key, phase});
  ResourceResult& r = it->second;
  if (inserted) {
    r.key = key;
    r.sync_phase = phase;
    r.hook = hook;
    r.order = static_cast<int>(results_.size());
  }
  r.status = code;
  r.hook_phase = state;
  if (!message.empty()) r.message = message;
}

void SyncOperation::SetResult(SyncTask& task, std::optional<ResultCode> code,
                              std::optional<OperationPhase> state, const std::string& message) {
  task.result = code;
  task.state = state;
  if (!message.empty()) task.message = message;  // the latest message is always kept
  RecordResult(task.key(), task.phase, task.is_hook, code, state, task.message);
}

void SyncOperation::Emit(SyncEventKind kind, const SyncTask& task, std::string message) {
  events_.push_back(SyncEvent{kind, task.cluster_key(), task.phase, std::move(message)});
}

std::vector<SyncTask> SyncOperation::PrepareTasks(SyncTarget& cluster, bool* valid) {
  BuiltTasks built = BuildSyncTasks(spec_, cluster);
  for (const InvalidTask& bad : built.invalid) {
    RecordResult(bad.key, bad.phase, bad.hook, ResultCode::kSyncFailed, std::nullopt, bad.message);
  }
  *valid = built.invalid.empty();
  for (SyncTask& task : built.tasks) {
    auto it = results_.find(ResultKey{task.key(), task.phase});
    if (it == results_.end()) continue;
    task.result = it->second.status;
    task.state = it->second.hook_phase;
    task.message = it->second.message;
  }
  return std::move(built.tasks);
}

SyncStepResult SyncOperation::Step(SyncTarget& cluster,
                                   std::optional<SimTime> deletion_approved_at) {
  events_.clear();
  delay_ = SimDuration::Zero();
  if (completed()) return Snapshot();
  // WithPruneConfirmed(app.IsDeletionConfirmed(startedAt)).
  prune_confirmed_ = deletion_approved_at && *deletion_approved_at >= spec_.started_at;
  // controller/sync.go checks shared resources before the engine runs.
  if (spec_.options.fail_on_shared_resource && !spec_.shared_resource_message.empty()) {
    SetPhase(OperationPhase::kFailed, "Shared resource found: " + spec_.shared_resource_message);
    return Snapshot();
  }
  bool valid = true;
  std::vector<SyncTask> tasks = PrepareTasks(cluster, &valid);
  if (!valid) {
    std::set<std::string> errors;
    for (const auto& [key, r] : results_) {
      if (r.status == ResultCode::kSyncFailed && !r.message.empty()) errors.insert(r.message);
    }
    std::string msg = "one or more synchronization tasks are not valid";
    std::string sep = ": ";
    for (const std::string& e : errors) {
      msg += sep + e;
      sep = "; ";
    }
    SetPhase(OperationPhase::kFailed, std::move(msg));
    return Snapshot();
  }
  Sync(tasks, cluster);
  return Snapshot();
}

// The first pass creates the destination namespace if a task does so, then dry-runs everything.
bool SyncOperation::FirstPass(std::vector<SyncTask>& tasks, SyncTarget& cluster) {
  TaskList dry_run = All(tasks);
  auto ns_task = std::find_if(tasks.begin(), tasks.end(), [&](const SyncTask& t) {
    return !t.live && t.target && t.target->group().empty() && t.target->kind() == "Namespace" &&
           t.target->name() == spec_.destination_namespace;
  });
  if (ns_task != tasks.end()) {
    TaskList ns_tasks{&*ns_task};
    if (RunTasks(ns_tasks, false, cluster) == RunState::kFailed) {
      ExecuteSyncFailPhase({}, ns_tasks, "the namespace failed to apply", cluster);
      return false;
    }
    dry_run.erase(std::find(dry_run.begin(), dry_run.end(), &*ns_task));
  }
  if (spec_.options.apply_out_of_sync_only) dry_run = FilterOutOfSync(dry_run);
  if (RunTasks(dry_run, true, cluster) == RunState::kFailed) {
    SetPhase(OperationPhase::kFailed, "one or more objects failed to apply (dry run)");
    return false;
  }
  return true;
}

void SyncOperation::Sync(std::vector<SyncTask>& tasks, SyncTarget& cluster) {
  if (!started() && !FirstPass(tasks, cluster)) return;
  RefreshRunning(tasks, cluster);

  // Wait while (a) the sync is multi-step and a task runs, or (b) a hook runs.
  const bool multi_step = IsMultiStep(tasks);
  TaskList all = All(tasks);
  TaskList running =
      Filter(all, [&](const SyncTask& t) { return (multi_step || t.is_hook) && t.running(); });
  if (!running.empty()) {
    for (SyncTask* t : running) {
      if (t->live || cluster.GetLive(t->cluster_key())) continue;
      SetResult(*t, ResultCode::kSyncFailed, OperationPhase::kError,
                "Resource " + TaskRef(*t) + " is missing, it might have been deleted");
    }
    SetRunningPhase(running, false);
    return;
  }
  TaskList pruning = Filter(all, [&](const SyncTask& t) {
    return t.pruned() && t.live && cluster.IsBeingDeleted(t.cluster_key());
  });
  if (!pruning.empty()) {
    SetRunningPhase(pruning, true);
    return;
  }

  TaskList delete_on_success = Filter(all, [](const SyncTask& t) {
    return t.is_hook && t.live && !t.running() && t.delete_on_success();
  });
  TaskList delete_on_failure = Filter(all, [](const SyncTask& t) {
    return t.is_hook && t.live && !t.running() && t.delete_on_failure();
  });
  TaskList sync_fail =
      Filter(all, [](const SyncTask& t) { return t.phase == SyncPhase::kSyncFail; });
  TaskList rest = Filter(all, [](const SyncTask& t) { return t.phase != SyncPhase::kSyncFail; });
  TaskList failed =
      Filter(rest, [](const SyncTask& t) { return t.result == ResultCode::kSyncFailed; });
  if (Any(rest, [](const SyncTask& t) { return t.completed() && !t.successful(); })) {
    DeleteHooks(delete_on_failure, cluster);
    ExecuteSyncFailPhase(sync_fail, failed,
                         "one or more synchronization tasks completed unsuccessfully", cluster);
    return;
  }

  TaskList pending = Filter(rest, [](const SyncTask& t) { return t.pending(); });
  if (spec_.options.apply_out_of_sync_only) pending = FilterOutOfSync(pending);
  if (pending.empty()) {
    DeleteHooks(delete_on_success, cluster);
    SetPhase(OperationPhase::kSucceeded, "successfully synced (no more tasks)");
    return;
  }
  RunWave(std::move(pending), sync_fail, delete_on_failure, cluster);
  if (phase_ == OperationPhase::kSucceeded) DeleteHooks(delete_on_success, cluster);
}

// Runs the first (phase, wave) of the pending tasks and sets the outcome of the pass.
void SyncOperation::RunWave(TaskList pending, const TaskList& sync_fail,
                            const TaskList& hooks_delete_on_failure, SyncTarget& cluster) {
  const SyncPhase phase = pending.front()->phase;
  const int64_t wave = pending.front()->wave();
  const bool final_wave = phase == pending.back()->phase && wave == pending.back()->wave();
  TaskList wave_tasks =
      Filter(pending, [&](const SyncTask& t) { return t.phase == phase && t.wave() == wave; });
  const bool last = wave_tasks.size() == pending.size();

  SetPhase(OperationPhase::kRunning, "one or more tasks are running");
  const RunState state = RunTasks(wave_tasks, false, cluster);
  // The SyncWaveHook sleeps ARGOCD_SYNC_WAVE_DELAY after every wave that did not fail, unless
  // final.
  if (state != RunState::kFailed && !final_wave) delay_ = spec_.wave_delay;

  if (state == RunState::kFailed) {
    TaskList failed =
        Filter(wave_tasks, [](const SyncTask& t) { return t.result == ResultCode::kSyncFailed; });
    // Named "runningHooks" upstream, but any task of the wave that applied is running.
    TaskList running = Filter(wave_tasks, [](const SyncTask& t) { return t.running(); });
    if (!running.empty()) {
      if (!sync_fail.empty() &&
          !ExecuteSyncFailPhase(sync_fail, failed, "one or more objects failed to apply",
                                cluster)) {
        running.insert(running.end(), sync_fail.begin(), sync_fail.end());
      }
      SetRunningPhase(running, false);
    } else if (ExecuteSyncFailPhase(sync_fail, failed, "one or more objects failed to apply",
                                    cluster)) {
      DeleteHooks(hooks_delete_on_failure, cluster);
    }
  } else if (state == RunState::kSuccessful) {
    // The last wave without hooks succeeds at once, even if its objects later degrade.
    if (last && !Any(wave_tasks, [](const SyncTask& t) { return t.is_hook; })) {
      SetPhase(OperationPhase::kSucceeded, "successfully synced (all tasks run)");
    } else {
      SetRunningPhase(wave_tasks, false);
    }
  } else {
    SetRunningPhase(Filter(wave_tasks,
                           [](const SyncTask& t) {
                             return t.delete_before_creation() || (t.is_prune() && t.pending());
                           }),
                    true);
  }
}

}  // namespace fleetsim
