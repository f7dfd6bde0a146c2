// SyncOperation's task execution: gitops-engine sync_context.go runTasks, processCreateTasks,
// applyObject, pruneObject, deleteHooks, executeSyncFailPhase, setRunningPhase, Terminate.
#include <algorithm>
#include <cctype>
#include <set>

#include "sim/argocd/sync_operation.h"
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

OperationPhase PhaseFor(ResultCode code) {
  switch (code) {
    case ResultCode::kSynced:
      return OperationPhase::kRunning;
    case ResultCode::kSyncFailed:
      return OperationPhase::kFailed;
    case ResultCode::kPruned:
    case ResultCode::kPruneSkipped:
      return OperationPhase::kSucceeded;
  }
  return OperationPhase::kFailed;
}

// getOperationPhase: a hook's state from its live health.
std::pair<OperationPhase, std::string> HookPhase(const SyncTask& task, SyncTarget& cluster) {
  std::optional<HealthStatus> health = cluster.Health(task.cluster_key());
  std::pair<OperationPhase, std::string> out{OperationPhase::kSucceeded,
                                             task.obj().name() + " created"};
  if (!health) return out;
  switch (health->code) {
    case HealthCode::kUnknown:
    case HealthCode::kDegraded:
      return {OperationPhase::kFailed, health->message};
    case HealthCode::kProgressing:
    case HealthCode::kSuspended:
      return {OperationPhase::kRunning, health->message};
    case HealthCode::kHealthy:
      return {OperationPhase::kSucceeded, health->message};
    case HealthCode::kMissing:
      break;  // not in upstream's switch: stays "<name> created"
  }
  return out;
}

std::string Reasons(const TaskList& tasks, const std::string& message) {
  std::set<std::string> reasons;  // a Go map upstream; sorted here
  for (const SyncTask* t : tasks) reasons.insert(t->message);
  if (reasons.empty()) return message;
  std::string out = message + ", reason: ";
  for (auto it = reasons.begin(); it != reasons.end(); ++it) {
    if (it != reasons.begin()) out += ",";
    out += *it;
  }
  return out;
}

// kubectl's one-line report, e.g. "deployment.apps/web created".
std::string KubectlMessage(const Object& obj, std::string_view verb) {
  std::string resource = obj.kind();
  std::transform(resource.begin(), resource.end(), resource.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!obj.group().empty()) resource += "." + obj.group();
  return resource + "/" + obj.name() + " " + std::string(verb);
}

ApplyMode ModeFor(const SyncTask& t, bool validate, const SyncOperationSpec& spec) {
  ApplyMode mode;
  mode.validate = validate;
  mode.force = EffectiveForce(t.target.get(), t.live.get(), spec.force);
  if (EffectiveReplace(t.target.get(), t.live.get(), spec.options)) {
    const Object& o = *t.target;
    const bool crd = o.kind() == "CustomResourceDefinition" && o.group() == "apiextensions.k8s.io";
    // Replacing a CRD or Namespace would delete everything in it: those get an update.
    if (!t.live) {
      mode.strategy = ApplyStrategy::kCreate;
    } else if (crd || o.kind() == "Namespace") {
      mode.strategy = ApplyStrategy::kUpdate;
    } else {
      mode.strategy = ApplyStrategy::kReplace;
    }
  } else if (EffectiveServerSideApply(t.target.get(), spec.options)) {
    mode.strategy = ApplyStrategy::kServerSideApply;
  }
  return mode;
}

std::string_view VerbFor(ApplyStrategy strategy, bool exists) {
  switch (strategy) {
    case ApplyStrategy::kApply:
      return exists ? "configured" : "created";
    case ApplyStrategy::kServerSideApply:
      return "serverside-applied";
    case ApplyStrategy::kReplace:
      return "replaced";
    case ApplyStrategy::kCreate:
      return "created";
    case ApplyStrategy::kUpdate:
      return "updated";
  }
  return "configured";
}

}  // namespace

// Running tasks take their state from live health (prune tasks never run).
void SyncOperation::RefreshRunning(std::vector<SyncTask>& tasks, SyncTarget& cluster) {
  for (SyncTask& task : tasks) {
    if (!task.running() || !task.live) continue;
    if (task.is_hook) {
      auto [state, message] = HookPhase(task, cluster);
      SetResult(task, task.result, state, message);
      if (state == OperationPhase::kSucceeded) Emit(SyncEventKind::kHookSucceeded, task, message);
      if (state == OperationPhase::kFailed) Emit(SyncEventKind::kHookFailed, task, message);
      continue;
    }
    std::optional<HealthStatus> health = cluster.Health(task.cluster_key());
    if (!health) {
      SetResult(task, task.result, OperationPhase::kSucceeded, task.message);
    } else if (health->code == HealthCode::kHealthy) {
      SetResult(task, task.result, OperationPhase::kSucceeded, health->message);
    } else if (health->code == HealthCode::kDegraded) {
      SetResult(task, task.result, OperationPhase::kFailed, health->message);
    }
  }
}

SyncOperation::TaskList SyncOperation::FilterOutOfSync(const TaskList& tasks) const {
  return Filter(tasks,
                [](const SyncTask& t) { return t.is_hook || t.modified || !t.target || !t.live; });
}

SyncOperation::RunState SyncOperation::RunTasks(const TaskList& tasks, bool dry_run,
                                                SyncTarget& cluster) {
  dry_run = dry_run || spec_.dry_run;
  TaskList prune = Filter(tasks, [](const SyncTask& t) { return t.is_prune(); });
  TaskList create = Filter(tasks, [](const SyncTask& t) { return !t.is_prune(); });

  // Prune first; a prune needing confirmation holds the whole wave.
  if (!prune_confirmed_) {
    for (const SyncTask* t : prune) {
      if (EffectivePrune(t->live.get(), spec_.options) == RemovalOption::kConfirm) {
        return RunState::kPending;
      }
    }
  }
  RunState state = RunState::kSuccessful;
  for (SyncTask* t : prune) {
    auto [code, message] = PruneObject(*t, dry_run, cluster);
    if (code == ResultCode::kSyncFailed) state = RunState::kFailed;
    if (!dry_run || spec_.dry_run || code == ResultCode::kSyncFailed) {
      SetResult(*t, code, PhaseFor(code), message);
    }
  }
  if (state != RunState::kSuccessful) return state;

  // Delete hooks due for BeforeHookCreation, then come back once they are gone.
  for (SyncTask* t : Filter(create, [](const SyncTask& x) { return x.delete_before_creation(); })) {
    if (dry_run) continue;
    Status s = cluster.Delete(t->cluster_key(), spec_.options.prune_propagation_policy);
    if (!s.ok()) {
      state = RunState::kFailed;
      SetResult(*t, t->result, OperationPhase::kError, "failed to delete resource: " + s.message());
    } else {
      state = std::max(state, RunState::kPending);
      Emit(SyncEventKind::kHookDeleted, *t, "BeforeHookCreation");
    }
  }
  if (state != RunState::kSuccessful) return state;

  // Apply in groups of consecutive tasks of one kind; every group runs even after a failure.
  TaskList group;
  for (SyncTask* t : create) {
    if (!group.empty() && group.front()->target->kind() != t->obj().kind()) {
      state = ProcessCreateTasks(state, group, dry_run, cluster);
      group.clear();
    }
    group.push_back(t);
  }
  if (!group.empty()) state = ProcessCreateTasks(state, group, dry_run, cluster);
  return state;
}

SyncOperation::RunState SyncOperation::ProcessCreateTasks(RunState state, const TaskList& group,
                                                          bool dry_run, SyncTarget& cluster) {
  for (SyncTask* t : group) {
    if (dry_run && t->skip_dry_run) continue;
    const bool validate = EffectiveValidate(t->target.get(), spec_.options);
    auto [code, message] = ApplyObject(*t, dry_run, validate, cluster);
    const bool failed = code == ResultCode::kSyncFailed;
    if (failed) state = RunState::kFailed;
    if (!dry_run || spec_.dry_run || failed) {
      OperationPhase phase = PhaseFor(code);
      // Nothing is created in a dry-run operation: a valid object is done.
      if (spec_.dry_run && phase == OperationPhase::kRunning) phase = OperationPhase::kSucceeded;
      SetResult(*t, code, phase, message);
    }
    if (dry_run) continue;
    if (failed) {
      Emit(SyncEventKind::kApplyFailed, *t, message);
    } else {
      Emit(t->is_hook ? SyncEventKind::kHookCreated : SyncEventKind::kApplied, *t, message);
    }
  }
  return state;
}

std::pair<ResultCode, std::string> SyncOperation::ApplyObject(SyncTask& t, bool dry_run,
                                                              bool validate, SyncTarget& cluster) {
  // Dry runs are always client-side, whatever the options (issue argo-cd#13874).
  if (dry_run) {
    Status s = cluster.DryRun(*t.target);
    if (!s.ok()) return {ResultCode::kSyncFailed, s.message()};
    return {ResultCode::kSynced,
            KubectlMessage(*t.target, t.live ? "configured (dry run)" : "created (dry run)")};
  }
  const ApplyMode mode = ModeFor(t, validate, spec_);
  Status s = cluster.Apply(*t.target, mode);
  if (!s.ok()) return {ResultCode::kSyncFailed, s.message()};
  if (mode.strategy == ApplyStrategy::kUpdate) {
    return {ResultCode::kSynced, t.target->kind() + "/" + t.target->name() + " updated"};
  }
  return {ResultCode::kSynced,
          KubectlMessage(*t.target, VerbFor(mode.strategy, t.live != nullptr))};
}

std::pair<ResultCode, std::string> SyncOperation::PruneObject(SyncTask& t, bool dry_run,
                                                              SyncTarget& cluster) {
  if (!spec_.prune) return {ResultCode::kPruneSkipped, "ignored (requires pruning)"};
  if (EffectivePrune(t.live.get(), spec_.options) == RemovalOption::kDisabled) {
    return {ResultCode::kPruneSkipped, "ignored (no prune)"};
  }
  if (dry_run) return {ResultCode::kPruned, "pruned (dry run)"};
  // An object already being deleted is not deleted again (no update hot loop).
  if (!cluster.IsBeingDeleted(t.cluster_key())) {
    Status s = cluster.Delete(t.cluster_key(), spec_.options.prune_propagation_policy);
    if (!s.ok()) {
      Emit(SyncEventKind::kPruneFailed, t, s.message());
      return {ResultCode::kSyncFailed, s.message()};
    }
    Emit(SyncEventKind::kPruned, t, "pruned");
  }
  return {ResultCode::kPruned, "pruned"};
}

void SyncOperation::DeleteHooks(const TaskList& hooks, SyncTarget& cluster) {
  for (SyncTask* t : hooks) {
    Status s = cluster.Delete(t->cluster_key(), spec_.options.prune_propagation_policy);
    if (!s.ok()) {
      SetResult(*t, t->result, OperationPhase::kError, "failed to delete resource: " + s.message());
    } else {
      Emit(SyncEventKind::kHookDeleted, *t);
    }
  }
}

bool SyncOperation::ExecuteSyncFailPhase(const TaskList& sync_fail, const TaskList& failed,
                                         const std::string& message, SyncTarget& cluster) {
  std::string error = Reasons(failed, message);
  if (sync_fail.empty()) {
    SetPhase(OperationPhase::kFailed, std::move(error));
    return true;
  }
  if (std::all_of(sync_fail.begin(), sync_fail.end(),
                  [](const SyncTask* t) { return t->completed(); })) {
    TaskList failed_hooks =
        Filter(sync_fail, [](const SyncTask& t) { return t.result == ResultCode::kSyncFailed; });
    if (!failed_hooks.empty()) {
      error += "\n" + Reasons(failed_hooks, "one or more SyncFail hooks failed");
    }
    SetPhase(OperationPhase::kFailed, std::move(error));
    return true;
  }
  // Start the SyncFail hooks that have not run; the operation fails once they complete.
  TaskList to_run =
      Filter(sync_fail, [](const SyncTask& t) { return !t.completed() && !t.running(); });
  RunTasks(to_run, false, cluster);
  SetRunningPhase(to_run, false);
  return false;
}

void SyncOperation::SetRunningPhase(const TaskList& tasks, bool pending_deletion) {
  if (tasks.empty()) {
    SetPhase(OperationPhase::kRunning, "");
    return;
  }
  TaskList hooks = Filter(tasks, [](const SyncTask& t) { return t.is_hook; });
  TaskList resources = Filter(tasks, [](const SyncTask& t) { return !t.is_hook; });
  std::string reason = hooks.empty() ? "healthy state of" : "completion of hook";
  const std::string task_type = resources.empty() ? "hooks" : "resources";
  if (pending_deletion) reason = hooks.empty() ? "deletion of" : "deletion of hook";
  const SyncTask* first = hooks.empty() ? resources.front() : hooks.front();
  size_t additional = tasks.size() - 1;
  if (!prune_confirmed_) {
    TaskList to_confirm = Filter(tasks, [&](const SyncTask& t) {
      return t.is_prune() && EffectivePrune(t.live.get(), spec_.options) == RemovalOption::kConfirm;
    });
    if (!to_confirm.empty()) {
      reason = "pruning confirmation of";
      first = to_confirm.front();
      additional = to_confirm.size() - 1;
    }
  }
  std::string message = "waiting for " + reason + " " + TaskRef(*first);
  if (additional > 0) {
    message += " and " + std::to_string(additional) + " more " + task_type;
  }
  SetPhase(OperationPhase::kRunning, std::move(message));
}

// terminateHooksPreemptively, then Failed "Operation terminated".
SyncStepResult SyncOperation::Terminate(SyncTarget& cluster) {
  events_.clear();
  delay_ = SimDuration::Zero();
  bool valid = true;
  std::vector<SyncTask> tasks = PrepareTasks(cluster, &valid);
  bool ok = true;
  for (SyncTask& t : tasks) {
    if (!t.is_hook || !t.running()) continue;
    if (!t.live) t.live = cluster.GetLive(t.cluster_key());
    if (!t.live) {
      SetResult(t, t.result, OperationPhase::kSucceeded, "Terminated");
      continue;
    }
    auto [state, message] = HookPhase(t, cluster);
    if (state == OperationPhase::kRunning || t.delete_on_failure()) {
      Status s = cluster.Delete(t.cluster_key(), spec_.options.prune_propagation_policy);
      if (!s.ok()) {
        SetResult(t, t.result, OperationPhase::kFailed, "Failed to delete: " + s.message());
        ok = false;
        continue;
      }
      Emit(SyncEventKind::kHookDeleted, t, "Terminated");
    }
    if (IsCompleted(state)) {
      SetResult(t, t.result, state, message);
    } else if (t.state != OperationPhase::kError) {
      SetResult(t, t.result, OperationPhase::kFailed, "Terminated");
    }
  }
  SetPhase(ok ? OperationPhase::kFailed : OperationPhase::kError,
           ok ? "Operation terminated" : "Operation termination had errors");
  return Snapshot();
}

}  // namespace fleetsim
