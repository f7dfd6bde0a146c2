#include "sim/argocd/app_controller.h"

#include <fmt/format.h>

#include "sim/argocd/hooks.h"
#include "sim/argocd/tracking.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

constexpr std::string_view kArgoNamespace = "argocd";
bool IsApplicationEvent(const WatchEvent& e) {
  const ObjectKey& k = e.object.key();
  return k.group == "argoproj.io" && k.kind == "Application" && k.ns == kArgoNamespace;
}
bool IsProjectEvent(const WatchEvent& e) {
  const ObjectKey& k = e.object.key();
  return k.group == "argoproj.io" && k.kind == "AppProject" && k.ns == kArgoNamespace;
}

}  // namespace

ApplicationController::ApplicationController(Simulator& sim, Trace& trace,
                                             const ArgoCdSettings& settings,
                                             RepoServer& repo_server, ClusterApi& management,
                                             const ClusterDirectory& clusters, uint64_t run_seed,
                                             int64_t start_unix)
    : sim_(sim),
      trace_(trace),
      settings_(settings),
      repo_server_(repo_server),
      management_(management),
      clusters_(clusters),
      jitter_(run_seed, "argocd/application-controller/jitter"),
      cache_([this](const std::string& c, const std::string& a, const ObjectKey& k) {
        OnLiveChange(c, a, k);
      }),
      refresh_queue_(sim, static_cast<int>(settings.status_processors),
                     [this](uint32_t id, ProcessorPool<uint32_t>::Completion done) {
                       ProcessRefresh(id, done);
                     }),
      operation_queue_(
          sim, static_cast<int>(settings.operation_processors),
          [this](const std::string& name, ProcessorPool<std::string>::Completion done) {
            ProcessOperation(name, done);
          }),
      resync_stream_(run_seed, "argocd/application-controller/resync"),
      start_unix_(start_unix) {}

ApplicationController::~ApplicationController() {
  if (app_watch_ != 0) management_.Unwatch(app_watch_);
  if (project_watch_ != 0) management_.Unwatch(project_watch_);
}

void ApplicationController::Start() {
  app_watch_ = management_.Watch([this](const WatchEvent& e) {
    if (IsApplicationEvent(e)) OnApplicationEvent(e);
  });
  project_watch_ = management_.Watch([this](const WatchEvent& e) {
    if (IsProjectEvent(e)) OnProjectEvent(e);
  });
  for (const ClusterEndpoint* c : clusters_.All()) cache_.Watch(*c->api);
  if (settings_.reconcile_interval > SimDuration::Zero()) {
    resync_ = std::make_unique<PeriodicTimer>(sim_, resync_stream_, settings_.reconcile_interval,
                                              SimDuration::Zero(), [this] { ResyncTick(); });
    resync_->Start(settings_.reconcile_interval);
  }
}

const AppState* ApplicationController::Find(const std::string& app) const {
  auto it = apps_.find(app);
  return it == apps_.end() ? nullptr : it->second.get();
}

uint32_t ApplicationController::IdOf(const std::string& name) {
  auto [it, added] = app_ids_.try_emplace(name, static_cast<uint32_t>(apps_by_id_.size()));
  if (added) apps_by_id_.push_back(nullptr);
  return it->second;
}

void ApplicationController::Record(std::string_view event, const AppState& app,
                                   std::string_view object, std::string_view detail, bool change) {
  trace_.Append(TraceRecordView{.t = sim_.now(),
                                .event = event,
                                .cluster = app.destination_cluster,
                                .app = app.name,
                                .object = object,
                                .detail = detail,
                                .change = change});
}

void ApplicationController::OnApplicationEvent(const WatchEvent& event) {
  const std::string& name = event.object.key().name;
  if (event.type == WatchEventType::kDeleted) {
    auto it = apps_.find(name);
    if (it == apps_.end()) return;
    // Without a resources finalizer nothing cascades: what the app tracked stays, unmanaged.
    const ClusterEndpoint* dest = Destination(*it->second);
    if (dest != nullptr && !it->second->deletion_finalized) {
      for (const auto& [key, live] : cache_.Tracked(dest->name, name).objects) {
        if (!live.being_deleted()) Record("ResourceOrphaned", *it->second, key.ToString(), "");
      }
    }
    Record("ApplicationDeleted", *it->second, event.object.key().ToString(), event.cause);
    app_index_.Erase(it->second.get());
    apps_by_id_[it->second->id] = nullptr;
    apps_.erase(it);
    return;
  }
  auto [it, created] = apps_.try_emplace(name);
  if (created) it->second = std::make_unique<AppState>();
  AppState& app = *it->second;
  app.name = name;
  if (created) {
    app_index_.Insert(&app);
    app.id = IdOf(name);
    apps_by_id_[app.id] = &app;
  }
  app.key = event.object.key();
  app.key_text = app.key.ToString();
  app.object = event.object.object;
  Result<ApplicationSpec> spec = ParseApplicationSpec(*app.object);
  if (spec.ok()) {
    app.spec = std::move(spec).value();
    app.spec_error.clear();
  } else {
    app.spec.reset();
    app.spec_error = spec.error();
  }
  if (const ClusterEndpoint* dest = Destination(app)) app.destination_cluster = dest->name;
  if (created) Record("ApplicationCreated", app, app.key_text, "");
  if (event.object.being_deleted() && !app.deletion_timestamp) {
    app.deletion_timestamp = event.object.deletion_timestamp;
    Record("ApplicationDeletionStarted", app, app.key_text, event.cause);
    operation_queue_.Add(name);
    return;
  }
  std::string_view refresh = app.object->annotation(kAnnotationRefresh);
  RequestRefresh(app, refresh == "hard"  ? RefreshLevel::kHard
                      : !refresh.empty() ? RefreshLevel::kForceResolve
                      : created          ? RefreshLevel::kLatest
                                         : RefreshLevel::kLatest);
}

void ApplicationController::OnLiveChange(const std::string& /*cluster*/, const std::string& app,
                                         const ObjectKey& /*key*/) {
  AppState* state = FindApp(app);
  if (state == nullptr) return;
  RequestRefresh(*state, RefreshLevel::kRecent);
  if (state->operation || state->deletion_timestamp) operation_queue_.Add(app);
}

// The informer's resync: every app gets an event every reconcile interval and is queued after a
// uniform jitter in [0, jitter); the refresh then compares only if the last one has expired.
void ApplicationController::ResyncTick() {
  for (auto& [name, app] : apps_) {
    SimDuration delay =
        settings_.reconcile_jitter > SimDuration::Zero()
            ? jitter_.UniformDuration(SimDuration::Zero(),
                                      settings_.reconcile_jitter - SimDuration::Micros(1))
            : SimDuration::Zero();
    sim_.After(delay, [this, id = app->id] {
      if (AppById(id) == nullptr) return;
      refresh_queue_.Add(id);
    });
  }
}

void ApplicationController::RequestRefresh(AppState& app, RefreshLevel level) {
  app.refresh_level = std::max(app.refresh_level, static_cast<int>(level));
  refresh_queue_.Add(app.id);
}

Status ApplicationController::Refresh(const std::string& name, bool hard) {
  auto it = apps_.find(name);
  if (it == apps_.end()) return Status::Error("application \"" + name + "\" not found");
  RequestRefresh(*it->second, hard ? RefreshLevel::kHard : RefreshLevel::kForceResolve);
  return Status::Ok();
}

void ApplicationController::OnPush(const std::string& repo_url) {
  for (auto& [name, app] : apps_) {
    if (!app->spec) continue;
    for (const ApplicationSource& s : app->spec->sources) {
      if (NormalizeRepoUrl(s.repo_url) == NormalizeRepoUrl(repo_url)) {
        RequestRefresh(*app, RefreshLevel::kForceResolve);
        break;
      }
    }
  }
}

const ClusterEndpoint* ApplicationController::Destination(const AppState& app) const {
  if (!app.spec) return nullptr;
  if (!app.spec->dest_server.empty()) return clusters_.FindByServer(app.spec->dest_server);
  return clusters_.FindByName(app.spec->dest_name);
}

}  // namespace fleetsim
