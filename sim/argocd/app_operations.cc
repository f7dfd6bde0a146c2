// The application controller's operation path: sync operations driven one pass at a time, their
// retries (reference 1.6), and cascade deletion with the resources finalizer (reference 3.2).
#include <fmt/format.h>

#include <algorithm>

#include "sim/argocd/app_controller.h"
#include "sim/argocd/cluster_sync_target.h"
#include "sim/argocd/hooks.h"
#include "sim/argocd/tracking.h"
#include "sim/scenario/rfc3339.h"

namespace fleetsim {
namespace {

// A pass of the operation processor costs at least this much controller time.
constexpr SimDuration kOperationPassCost = SimDuration::Millis(5);

// NextRetryAt: finishedAt + min(maxDuration, duration * factor^retryCount) (reference 1.6).
SimDuration RetryDelay(const RetryPolicy& retry, int64_t count) {
  SimDuration d = retry.backoff_duration;
  for (int64_t i = 0; i < count && d < retry.backoff_max; ++i) d = d * retry.backoff_factor;
  return std::min(d, retry.backoff_max);
}

}  // namespace

// argocd.argoproj.io/deletion-approved: an RFC 3339 time (argocd app confirm-deletion writes now).
std::optional<SimTime> ApplicationController::DeletionApprovedAt(const Object& app) const {
  std::string_view text = app.annotation(kAnnotationDeletionApproved);
  if (text.empty()) return std::nullopt;
  Result<int64_t> unix_time = ParseRfc3339(text);
  if (!unix_time.ok()) return std::nullopt;
  return SimTime::Zero() + SimDuration::Seconds(*unix_time - start_unix_);
}

TokenBucket& ApplicationController::LimiterFor(const std::string& cluster) {
  auto it = limiters_.find(cluster);
  if (it == limiters_.end()) {
    it = limiters_.try_emplace(cluster, settings_.kube_client_qps, settings_.kube_client_burst)
             .first;
  }
  return it->second;
}

void ApplicationController::RequeueOperation(const std::string& name, SimTime at) {
  sim_.At(at, [this, name] {
    if (FindApp(name) != nullptr) operation_queue_.Add(name);
  });
}

void ApplicationController::StartOperation(AppState& app, Operation op) {
  op.started_at = sim_.now();
  app.operation = std::move(op);
  operation_queue_.Add(app.name);
  NotifyStatus(app);
}

void ApplicationController::NotifyStatus(const AppState& app) {
  if (status_listener_) status_listener_(app.name);
}

std::optional<AppProgressView> ApplicationController::ProgressView(const std::string& name) const {
  const AppState* app = Find(name);
  if (app == nullptr) return std::nullopt;
  AppProgressView view;
  view.sync = std::string(SyncStatusName(app->sync));
  view.health = std::string(HealthCodeName(app->health.code));
  for (const CommitId& c : app->revisions) view.revisions.push_back(c.hex());
  view.reconciled_at = app->reconciled_at;
  if (app->operation) {
    view.operation_started_at = app->operation->started_at;
    view.operation_phase = "Running";
    view.operation_running = true;
  } else if (app->last_sync) {
    view.operation_started_at = app->last_sync->started_at;
    view.operation_phase = std::string(OperationPhaseName(app->last_sync->phase));
  }
  view.has_error = !app->spec_error.empty();
  return view;
}

Status ApplicationController::SyncFromAppSet(const std::string& name, bool prune) {
  auto it = apps_.find(name);
  if (it == apps_.end()) return Status::Error("application \"" + name + "\" not found");
  AppState& app = *it->second;
  if (app.operation) return Status::Error("another operation is already in progress");
  if (!app.spec) return Status::Error(app.spec_error);
  Operation op;
  op.automated = true;  // initiatedBy: applicationset-controller, automated
  op.prune = prune;
  op.revisions = app.revisions;
  op.retry = app.spec->retry.value_or(RetryPolicy{.limit = 5});
  StartOperation(app, std::move(op));
  return Status::Ok();
}

Status ApplicationController::Sync(const std::string& name) {
  auto it = apps_.find(name);
  if (it == apps_.end()) return Status::Error("application \"" + name + "\" not found");
  AppState& app = *it->second;
  if (app.operation) return Status::Error("another operation is already in progress");
  if (!app.spec) return Status::Error(app.spec_error);
  // The API server checks the windows before it writes the operation (server/application Sync).
  Result<bool> window = WindowsAllow(app, /*manual=*/true, std::nullopt);
  if (!window.ok()) return Status::Error("cannot sync: invalid sync window: " + window.error());
  if (!*window) return Status::Error("cannot sync: blocked by sync window");
  Operation op;
  op.manual_resolve = true;
  op.prune = false;
  op.revisions = app.revisions;
  op.retry = app.spec->retry.value_or(RetryPolicy{});
  StartOperation(app, std::move(op));
  return Status::Ok();
}

void ApplicationController::ProcessOperation(const std::string& name,
                                             ProcessorPool<std::string>::Completion done) {
  AppState* found = FindApp(name);
  if (found == nullptr) return done();
  AppState& app = *found;
  if (app.deletion_timestamp) {
    StepDeletion(app);
  } else if (app.operation) {
    if (app.operation->retry_at && sim_.now() < *app.operation->retry_at) {
      RequeueOperation(name, *app.operation->retry_at);
    } else {
      StepSync(app);
    }
  }
  sim_.After(kOperationPassCost, [done] { done(); });
}

void ApplicationController::StepSync(AppState& app) {
  Operation& op = *app.operation;
  const ClusterEndpoint* dest = Destination(app);
  // syncWindowPreventsSync, re-checked on every pass: a blocked operation waits (Running) until a
  // pass finds the windows open; the refreshes kick it.
  Result<bool> window = WindowsAllow(app, !op.automated, op.started_at);
  if (!window.ok() || !*window) {
    std::string message = "Sync operation blocked by sync window";
    if (!window.ok()) message += ": " + window.error();
    if (op.last_message != message) Record("SyncBlocked", app, app.key_text, message);
    op.last_message = std::move(message);
    return;
  }
  if (!op.sync) {
    if (!app.comparison_error.empty() || dest == nullptr) {
      op.last_message = app.comparison_error;
      Record("SyncFailed", app, app.key_text, "Error: " + app.comparison_error);
      app.last_sync = SyncRecord{op.revisions, app.spec->source_hash, OperationPhase::kError,
                                 sim_.now(),   op.self_heal_attempts, op.started_at};
      app.operation.reset();
      NotifyStatus(app);
      return;
    }
    SyncOperationSpec spec;
    spec.revision = op.revisions.empty() ? std::string() : op.revisions.front().hex();
    spec.started_at = sim_.now();
    spec.destination_namespace = app.spec->dest_namespace;
    RestorePrepared(&app.comparison);
    for (const ResourceStatus& r : app.comparison.resources) {
      if (r.hook) continue;
      if (!op.resources.empty() &&
          std::find(op.resources.begin(), op.resources.end(), r.key) == op.resources.end()) {
        continue;
      }
      spec.resources.push_back({r.target, r.live, r.modified});
    }
    spec.skip_hooks = !op.resources.empty();
    if (!spec.skip_hooks) spec.hooks = app.comparison.hooks;
    spec.options = app.spec->sync_options;
    if (Result<const AppProject*> project = ProjectOf(app);
        project.ok() && *project != &default_project_) {
      // validateSyncPermissions, with a copy: the project may change while the sync runs.
      spec.permitted = [project = **project,
                        cluster = ResolvedDestination{dest->name, dest->server},
                        api = dest->api](const Object& obj) {
        Result<ApiResource> res = api->Discover(obj.api_version(), obj.kind());
        if (!res.ok()) {
          return Status::Error(
              fmt::format("failed to get API resource info for {}/{}: unable to verify permissions",
                          obj.group(), obj.kind()));
        }
        return ValidateSyncPermissions(project, cluster, obj, res->namespaced);
      };
    }
    spec.prune = op.prune;
    spec.wave_delay = settings_.sync_wave_delay;
    op.sync = std::make_unique<SyncOperation>(std::move(spec));
    Record("SyncStarted", app, app.key_text,
           fmt::format("{}{} to {}", op.automated ? "automated" : "manual",
                       op.resources.empty() ? "" : " partial",
                       op.revisions.empty() ? "" : op.revisions.front().hex().substr(0, 7)));
  }
  ClusterSyncTarget target(*dest->api, LimiterFor(dest->name), sim_.now(),
                           std::string(kCauseArgoCdPrune));
  SyncStepResult step = op.sync->Step(target, DeletionApprovedAt(*app.object));
  for (const SyncEvent& e : step.events) {
    Record(std::string(SyncEventKindName(e.kind)), app, e.key.ToString(), e.message);
  }
  if (IsCompleted(step.phase)) {
    CompleteOperation(app);
    return;
  }
  // A pass that changed something writes the operation state, and that update of the Application
  // queues it again (after the wave delay when one applies); a pass that found nothing to do
  // waits for the next kick (a watched resource changed, the resync).
  bool progressed = !step.events.empty() || step.message != op.last_message;
  op.last_message = step.message;
  if (progressed || step.delay > SimDuration::Zero()) {
    RequeueOperation(app.name, std::max(target.done_at(), sim_.now()) + step.delay);
  }
}

void ApplicationController::CompleteOperation(AppState& app) {
  Operation& op = *app.operation;
  OperationPhase phase = op.sync->phase();
  std::string message = op.sync->message();
  if (phase == OperationPhase::kSucceeded) {
    Record("SyncSucceeded", app, app.key_text, message);
  } else {
    bool can_retry = op.retry.limit < 0 || op.retry_count < op.retry.limit;
    if (can_retry) {
      ++op.retry_count;
      op.retry_at = sim_.now() + RetryDelay(op.retry, op.retry_count);
      op.sync.reset();
      Record("SyncFailed", app, app.key_text,
             fmt::format("{}: {}. Retrying attempt #{}", OperationPhaseName(phase), message,
                         op.retry_count));
      RequeueOperation(app.name, *op.retry_at);
      return;
    }
    Record("SyncFailed", app, app.key_text,
           fmt::format("{}: {}", OperationPhaseName(phase), message));
  }
  app.last_sync = SyncRecord{op.revisions, app.spec->source_hash, phase,
                             sim_.now(),   op.self_heal_attempts, op.started_at};
  bool automated = op.automated;
  app.operation.reset();
  NotifyStatus(app);
  RequestRefresh(app, automated ? RefreshLevel::kLatest : RefreshLevel::kForceResolve);
}

void ApplicationController::StepDeletion(AppState& app) {
  const ClusterEndpoint* dest = Destination(app);
  DeletionInputs in;
  in.finalizers = app.object->finalizers();
  in.deletion_timestamp = *app.deletion_timestamp;
  in.deletion_approved_at = DeletionApprovedAt(*app.object);
  in.destination_resolvable = dest != nullptr;
  in.app_key = app.key;
  if (app.spec) {
    in.destination_namespace = app.spec->dest_namespace;
    in.app_options = app.spec->sync_options;
  }
  std::vector<ObjectPtr> managed;
  if (dest != nullptr) {
    for (const auto& [key, live] : cache_.Tracked(dest->name, app.name).objects) {
      managed.push_back(live.object);
      if (app.spec &&
          (EffectiveDelete(live.object.get(), in.app_options) == RemovalOption::kConfirm ||
           EffectivePrune(live.object.get(), in.app_options) == RemovalOption::kConfirm)) {
        in.confirmation_required.insert(key);
      }
    }
  }
  for (const ObjectPtr& t : app.targets) {
    if (IsPreDeleteHook(*t) || IsPostDeleteHook(*t)) in.delete_hooks.push_back(t);
  }
  TokenBucket unlimited(0, 1);
  ClusterSyncTarget target(dest ? *dest->api : management_,
                           dest ? LimiterFor(dest->name) : unlimited, sim_.now(),
                           std::string(kCauseArgoCdCascade), std::move(managed));
  DeletionStep step = FinalizeApplicationDeletion(in, target);
  for (const ObjectKey& key : step.deleted)
    Record("ResourceDeleted", app, key.ToString(), "cascade");
  for (const ObjectKey& key : step.left_behind) Record("ResourceOrphaned", app, key.ToString(), "");
  if (step.finished) app.deletion_finalized = true;
  if (step.error) Record("DeletionError", app, app.key_text, *step.error);
  if (step.finalizers != in.finalizers) {
    Json patch = {{"metadata", {{"finalizers", step.finalizers}}}};
    Result<LiveObject> patched = management_.Patch(app.key, patch);
    (void)patched;  // the Application disappears once no finalizer is left (watch: Deleted)
  }
  if (!step.finished)
    RequeueOperation(app.name, std::max(target.done_at(), sim_.now()) + SimDuration::Seconds(5));
}

}  // namespace fleetsim
