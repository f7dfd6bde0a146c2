// The application controller's pod restarting (controller-restart, kubectl rollout restart, a
// shard change; argo-cd controller/appcontroller.go). The pod goes, and with it everything the
// controller holds only in memory: the informers, the cluster caches, the work queues and their
// timers. What it wrote to the Applications (status, status.operationState) stays in the API
// server. The new pod lists the Applications and AppProjects, rebuilds each cluster cache by
// listing the cluster (live_state_cache.h), queues every Application, whose refresh compares only
// those whose reconciliation has expired or whose spec changed (needRefreshAppStatus), and
// resumes each operation in progress from its recorded state (processRequestedAppOperation).
#include <set>

#include "sim/argocd/app_controller.h"

namespace fleetsim {

void ApplicationController::Restart(SimDuration downtime) {
  if (restarting_ || app_watch_ == 0) return;  // already coming back, or stopped for good
  restarting_ = true;
  DropProcessState();
  // Queued work is lost with the pod; everything is queued again at start.
  refresh_queue_.set_workers(0);
  operation_queue_.set_workers(0);
  sim_.After(downtime, [this] { Resume(); });
}

void ApplicationController::Resume() {
  restarting_ = false;
  refresh_queue_.set_workers(static_cast<int>(settings_.status_processors));
  operation_queue_.set_workers(static_cast<int>(settings_.operation_processors));
  Start();
  Result<std::vector<LiveObject>> projects =
      management_.List({"argoproj.io", "AppProject", std::string("argocd"), {}});
  if (projects.ok()) {
    for (const LiveObject& p : *projects) {
      OnProjectEvent({.type = WatchEventType::kAdded, .cluster = "in-cluster", .object = p});
    }
  }
  Result<std::vector<LiveObject>> listed =
      management_.List({"argoproj.io", "Application", std::string("argocd"), {}});
  if (!listed.ok()) return;
  std::set<std::string> present;
  for (const LiveObject& live : *listed) present.insert(live.key().name);
  std::vector<std::string> gone;
  for (const auto& [name, app] : apps_) {
    if (present.count(name) == 0) gone.push_back(name);
  }
  for (const std::string& name : gone) {
    AppState& app = *apps_.at(name);
    LiveObject last;
    last.object = app.object;
    if (last.object == nullptr) continue;
    OnApplicationEvent({.type = WatchEventType::kDeleted, .cluster = "in-cluster", .object = last});
  }
  for (const LiveObject& live : *listed) {
    AppState* app = FindApp(live.key().name);
    bool unchanged =
        app != nullptr && app->object != nullptr &&
        (app->object == live.object || app->object->content_hash() == live.object->content_hash());
    if (!unchanged) {
      OnApplicationEvent(
          {.type = app == nullptr ? WatchEventType::kAdded : WatchEventType::kModified,
           .cluster = "in-cluster",
           .object = live,
           .previous = app != nullptr ? app->object : nullptr});
      continue;
    }
    RequestRefresh(*app, RefreshLevel::kNone);
    if (app->operation || app->deletion_timestamp) operation_queue_.Add(app->name);
  }
}

}  // namespace fleetsim
