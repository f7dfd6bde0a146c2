// The application controller's view of AppProjects (reference 5.1, 5.2): the project informer
// (changes take effect at each app's next refresh, as upstream's project cache is invalidated,
// not the apps requeued), getAppProj, refreshAppConditions' permission conditions, and the sync
// windows' verdict.
#include <fmt/format.h>

#include "sim/argocd/app_controller.h"

namespace fleetsim {

void ApplicationController::OnProjectEvent(const WatchEvent& event) {
  const std::string& name = event.object.key().name;
  if (event.type == WatchEventType::kDeleted) {
    projects_.erase(name);
    return;
  }
  Result<AppProject> project = ParseAppProject(*event.object.object);
  if (project.ok()) ResolveSyncWindows(project->sync_windows, zones_);
  projects_.insert_or_assign(name, std::move(project));
}

Result<const AppProject*> ApplicationController::ProjectOf(const AppState& app) const {
  const std::string& name = app.spec->project.empty() ? "default" : app.spec->project;
  auto it = projects_.find(name);
  if (it == projects_.end()) {
    if (name == "default") return &default_project_;  // argocd-server creates it
    return Status::Error("InvalidSpecError: Application referencing project " + app.spec->project +
                         " which does not exist");
  }
  if (!it->second.ok()) {
    return Status::Error(
        fmt::format("UnknownError: could not retrieve AppProject '{}' from cache: {}", name,
                    it->second.error()));
  }
  return &*it->second;
}

std::string ApplicationController::ProjectConditions(const AppState& app,
                                                     const ClusterEndpoint* dest) const {
  Result<const AppProject*> project = ProjectOf(app);
  if (!project.ok()) return project.error();
  if (*project == &default_project_) return "";  // permits every repo and destination
  std::vector<std::string> repos;
  for (const ApplicationSource& s : app.spec->sources) repos.push_back(s.repo_url);
  std::vector<std::string> conditions;
  for (const std::string& url : repos) {
    if (!IsSourcePermitted(**project, url)) {
      conditions.push_back(fmt::format("application repo {} is not permitted in project '{}'", url,
                                       (*project)->name));
    }
  }
  if (dest != nullptr) {
    conditions = ValidatePermissions(**project, repos, {dest->name, dest->server},
                                     app.spec->dest_server.empty(), app.spec->dest_namespace);
  }
  // FormatAppConditions: "Type: message" joined by ";".
  std::string out;
  for (const std::string& c : conditions)
    out += (out.empty() ? "" : ";") + ("InvalidSpecError: " + c);
  return out;
}

int64_t ApplicationController::NowUnixMicros(SimTime t) const {
  return start_unix_ * 1000000 + t.micros();
}

Result<bool> ApplicationController::WindowsAllow(const AppState& app, bool manual,
                                                 std::optional<SimTime> op_started) const {
  Result<const AppProject*> project = ProjectOf(app);
  if (!project.ok() || (*project)->sync_windows.empty()) return true;
  WindowTarget target{app.name, app.spec->dest_name, app.spec->dest_server,
                      app.spec->dest_namespace};
  std::vector<const SyncWindow*> windows = MatchWindows((*project)->sync_windows, target);
  std::optional<int64_t> started;
  if (op_started) started = NowUnixMicros(*op_started);
  return CanSync(windows, manual, NowUnixMicros(sim_.now()), started);
}

std::string ApplicationController::BlockingWindows(const AppState& app) const {
  Result<const AppProject*> project = ProjectOf(app);
  if (!project.ok()) return "";
  WindowTarget target{app.name, app.spec->dest_name, app.spec->dest_server,
                      app.spec->dest_namespace};
  std::string deny, outside;
  for (const SyncWindow* w : MatchWindows((*project)->sync_windows, target)) {
    Result<bool> active = WindowActive(*w, NowUnixMicros(sim_.now()));
    if (!active.ok()) continue;
    if (*active && w->kind == "deny") deny += (deny.empty() ? "" : ", ") + w->Describe();
    if (!*active && w->kind == "allow") outside += (outside.empty() ? "" : ", ") + w->Describe();
  }
  if (!deny.empty()) return deny;
  return outside.empty() ? "" : "outside " + outside;
}

}  // namespace fleetsim
