#include "sim/argocd/app_controller.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/time_sort.h"
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
  // The informer's resync period: timeout.reconciliation, or timeout.hard.reconciliation when
  // that is set and shorter (reference 1.2, the Application informer).
  SimDuration period = settings_.reconcile_interval;
  const SimDuration hard = settings_.hard_reconcile_interval;
  if (hard > SimDuration::Zero() && (period <= SimDuration::Zero() || hard < period)) period = hard;
  if (period > SimDuration::Zero()) {
    resync_ = std::make_unique<PeriodicTimer>(sim_, resync_stream_, period, SimDuration::Zero(),
                                              [this] { ResyncTick(); });
    resync_->Start(period);
  }
}

void ApplicationController::Stop() {
  DropProcessState();
  resync_order_.clear();
  for (auto& [name, app] : apps_) {
    app_index_.Erase(app.get());
    apps_by_id_[app->id] = nullptr;
  }
  apps_.clear();
}

void ApplicationController::DropProcessState() {
  for (WatchId* watch : {&app_watch_, &project_watch_}) {
    if (*watch != 0) management_.Unwatch(*watch);
    *watch = 0;
  }
  for (const ClusterEndpoint* c : clusters_.All()) cache_.Forget(c->name);
  resync_.reset();
  if (resync_event_ != 0) sim_.Cancel(resync_event_);
  resync_event_ = 0;
  resync_plan_.clear();
  resync_next_ = 0;
  for (auto& [name, app] : apps_) {
    if (app->delayed_refresh != 0) sim_.Cancel(app->delayed_refresh);
    app->delayed_refresh = 0;
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
    resync_order_.clear();
    return;
  }
  auto [it, created] = apps_.try_emplace(name);
  if (created) it->second = std::make_unique<AppState>();
  AppState& app = *it->second;
  app.name = name;
  if (created) {
    resync_order_.clear();
    app_index_.Insert(&app);
    app.id = IdOf(name);
    apps_by_id_[app.id] = &app;
  }
  // automatedSyncEnabled: automated sync, or its selfHeal, switched on by this update.
  const bool was_automated = app.spec && app.spec->automated;
  const bool was_self_healing = app.spec && app.spec->automated && app.spec->self_heal;
  app.key = event.object.key();
  app.key_text = app.key.ToString();
  app.object = event.object.object;
  Result<ApplicationSpec> spec = ParseApplicationSpec(*app.object);
  app.destination_generation = 0;
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
  // The informer's add and update handlers queue the app; only the refresh annotation and
  // automated sync being switched on ask for a level. A new app has no reconciledAt, a changed
  // source or destination differs from the one compared: needRefreshAppStatus sees to those.
  std::string_view refresh = app.object->annotation(kAnnotationRefresh);
  if (!refresh.empty()) {
    RequestAnnotatedRefresh(app, refresh == "hard");
  } else {
    const bool automated = app.spec && app.spec->automated;
    const bool enabled =
        (!was_automated && automated) || (!was_self_healing && automated && app.spec->self_heal);
    RequestRefresh(app, enabled ? RefreshLevel::kLatest : RefreshLevel::kNone);
  }
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
// The queueing events are planned here (their sequences reserved, so they run exactly where events
// scheduled now would) and handed to the simulator one at a time, which keeps its queue small.
void ApplicationController::ResyncTick() {
  if (resync_order_.empty()) {
    resync_order_.reserve(apps_.size());
    for (const auto& [name, app] : apps_) resync_order_.push_back(app->id);
  }
  if (resync_event_ != 0 && sim_.Cancel(resync_event_)) {
    resync_plan_.push_back(resync_due_);  // planned by an earlier tick, not run yet
  }
  resync_event_ = 0;
  resync_plan_.erase(resync_plan_.begin(),
                     resync_plan_.begin() + static_cast<std::ptrdiff_t>(resync_next_));
  resync_next_ = 0;
  if (!resync_plan_.empty() && resync_epoch_ != sim_.renumberings()) {
    // Sequences reserved before a renumbering mean nothing now: schedule the rest plainly.
    std::sort(resync_plan_.begin(), resync_plan_.end());
    for (const PlannedResync& p : resync_plan_) sim_.At(p.at, [this, id = p.id] { Resync(id); });
    resync_plan_.clear();
  }
  // What is left of the last plan (rare: a tick comes before its jitter has run out) is sorted
  // apart; the new entries come in sequence order, so a stable sort by time orders them fully.
  std::sort(resync_plan_.begin(), resync_plan_.end());
  const size_t carried = resync_plan_.size();
  const uint64_t first = sim_.ReserveSequences(resync_order_.size());
  resync_epoch_ = sim_.renumberings();
  for (size_t i = 0; i < resync_order_.size(); ++i) {
    SimDuration delay =
        settings_.reconcile_jitter > SimDuration::Zero()
            ? jitter_.UniformDuration(SimDuration::Zero(),
                                      settings_.reconcile_jitter - SimDuration::Micros(1))
            : SimDuration::Zero();
    resync_plan_.push_back({sim_.now() + delay, first + i, resync_order_[i]});
  }
  StableSortByTime(resync_plan_, carried, resync_scratch_);
  std::inplace_merge(resync_plan_.begin(),
                     resync_plan_.begin() + static_cast<std::ptrdiff_t>(carried),
                     resync_plan_.end());
  ScheduleNextResync();
}

void ApplicationController::ScheduleNextResync() {
  if (resync_next_ == resync_plan_.size()) {
    resync_plan_.clear();
    resync_next_ = 0;
    return;
  }
  resync_due_ = resync_plan_[resync_next_++];
  if (resync_epoch_ != sim_.renumberings()) {
    resync_event_ = sim_.At(resync_due_.at, [this] { OnResyncDue(); });
    return;
  }
  resync_event_ = sim_.AtReserved(resync_due_.at, resync_due_.seq, [this] { OnResyncDue(); });
}

void ApplicationController::OnResyncDue() {
  const uint32_t id = resync_due_.id;
  resync_event_ = 0;
  ScheduleNextResync();
  if (resync_next_ < resync_plan_.size()) PrefetchReferenced(resync_plan_[resync_next_].id);
  if (resync_next_ + 1 < resync_plan_.size()) PrefetchState(resync_plan_[resync_next_ + 1].id);
  Resync(id);
}

namespace {

void PrefetchRange(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t i = 0; i < bytes; i += 64) __builtin_prefetch(c + i);
}

void PrefetchString(const std::string& s) { __builtin_prefetch(s.data()); }

}  // namespace

void ApplicationController::PrefetchState(uint32_t id) const {
  if (id >= apps_by_id_.size() || apps_by_id_[id] == nullptr) return;
  PrefetchRange(apps_by_id_[id], sizeof(AppState));
}

void ApplicationController::PrefetchReferenced(uint32_t id) const {
  if (id >= apps_by_id_.size() || apps_by_id_[id] == nullptr) return;
  const AppState& app = *apps_by_id_[id];
  PrefetchString(app.key_text);
  if (!app.revisions.empty()) __builtin_prefetch(app.revisions.data());
  if (!app.compared_parts.empty()) __builtin_prefetch(app.compared_parts.data());
  if (app.live_hint.set != nullptr) PrefetchRange(app.live_hint.set, sizeof(*app.live_hint.set));
  repo_server_.Prefetch(id);
}

void ApplicationController::Resync(uint32_t id) {
  if (AppById(id) == nullptr) return;
  refresh_queue_.Add(id);
}

void ApplicationController::RequestRefresh(AppState& app, RefreshLevel level) {
  app.refresh_level = std::max(app.refresh_level, static_cast<int>(level));
  refresh_queue_.Add(app.id);
}

void ApplicationController::RequestAnnotatedRefresh(AppState& app, bool hard) {
  RefreshLevel level = hard ? RefreshLevel::kHard : RefreshLevel::kForceResolve;
  app.refresh_annotation = std::max(app.refresh_annotation, static_cast<int>(level));
  refresh_queue_.Add(app.id);
}

Status ApplicationController::Refresh(const std::string& name, bool hard) {
  auto it = apps_.find(name);
  if (it == apps_.end()) return Status::Error("application \"" + name + "\" not found");
  RequestAnnotatedRefresh(*it->second, hard);
  return Status::Ok();
}

void ApplicationController::OnPush(const std::string& repo_url) {
  for (auto& [name, app] : apps_) {
    if (!app->spec) continue;
    for (const ApplicationSource& s : app->spec->sources) {
      if (NormalizeRepoUrl(s.repo_url) == NormalizeRepoUrl(repo_url)) {
        RequestAnnotatedRefresh(*app, /*hard=*/false);
        break;
      }
    }
  }
}

const ClusterEndpoint* ApplicationController::Destination(const AppState& app) const {
  if (!app.spec) return nullptr;
  const uint64_t generation = clusters_.generation();
  if (app.destination_generation == generation) return app.destination;
  app.destination = app.spec->dest_server.empty() ? clusters_.FindByName(app.spec->dest_name)
                                                  : clusters_.FindByServer(app.spec->dest_server);
  app.destination_generation = generation;
  return app.destination;
}

}  // namespace fleetsim
