// Argo CD's application controller (reference section 1; argo-cd controller/appcontroller.go):
// watches Applications in the management cluster, refreshes them on the status processors
// (compare target with live state), decides automated syncs, runs sync and deletion operations on
// the operation processors, and reports every change of state to the trace.
#ifndef FLEETSIM_SIM_ARGOCD_APP_CONTROLLER_H_
#define FLEETSIM_SIM_ARGOCD_APP_CONTROLLER_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/name_index.h"
#include "engine/random.h"
#include "engine/rate_limiter.h"
#include "engine/simulator.h"
#include "engine/timer.h"
#include "engine/trace.h"
#include "engine/work_queue.h"
#include "sim/argocd/app_project.h"
#include "sim/argocd/app_state.h"
#include "sim/argocd/cluster_directory.h"
#include "sim/argocd/live_state_cache.h"
#include "sim/argocd/progressive_sync_host.h"
#include "sim/argocd/repo_server.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

class ApplicationController final : public ProgressiveSyncHost {
 public:
  // REQUIRES: every reference outlives the controller. `management` is in-cluster's API, where
  // Application objects live (namespace `argocd`).
  ApplicationController(Simulator& sim, Trace& trace, const ArgoCdSettings& settings,
                        RepoServer& repo_server, ClusterApi& management,
                        const ClusterDirectory& clusters, uint64_t run_seed, int64_t start_unix);
  ~ApplicationController();

  // Starts the watches and the resync ticker.
  void Start();
  // The control plane is lost (argocd-destroyed): the watches and the resync end and the
  // controller forgets every Application, so work already queued or scheduled finds nothing to do.
  // It is not started again: a new controller replaces it.
  void Stop();
  // The controller's pod restarts (app_controller_restart.cc): its memory is lost at once and,
  // after `downtime` (pod start and cache warm-up), it lists everything again and resumes. A
  // restart while one is under way changes nothing.
  void Restart(SimDuration downtime);
  bool restarting() const { return restarting_; }

  // People's actions (argocd CLI). Each returns an error for an unknown app.
  Status Sync(const std::string& app);
  Status Refresh(const std::string& app, bool hard);
  // Webhook: refresh (normal) every app whose source is `repo_url`.
  void OnPush(const std::string& repo_url);

  // ProgressiveSyncHost: what the ApplicationSet controller reads of an app's status, and the sync
  // operation its RollingSync writes.
  std::optional<AppProgressView> ProgressView(const std::string& app) const override;
  Status SyncFromAppSet(const std::string& app, bool prune) override;
  // Called with the app's name when its sync or health status or its operation changes (what an
  // update of the Application's status would tell a watcher).
  void set_status_listener(std::function<void(const std::string&)> listener) {
    status_listener_ = std::move(listener);
  }
  // Where sync windows' time zones come from; without one every zone reads as UTC.
  // REQUIRES: `zones` outlives the controller; set before Start().
  void set_time_zones(TimeZoneDatabase* zones) { zones_ = zones; }

  const std::map<std::string, std::unique_ptr<AppState>>& apps() const { return apps_; }
  const AppState* Find(const std::string& app) const;
  uint64_t refreshes() const { return refreshes_; }

  // The comparison levels (CompareWith: kRecent, kLatest, kForceResolve) and, for a request,
  // kHard (the refresh annotation's "hard"); kNone: no comparison.
  enum class RefreshLevel { kNone, kRecent, kLatest, kForceResolve, kHard };

 private:
  void Resume();
  // What the process holds only in memory, lost when it stops or restarts: the watches, the
  // cluster caches, the resync ticker and schedule, the delayed refreshes.
  void DropProcessState();
  void OnApplicationEvent(const WatchEvent& event);
  void OnProjectEvent(const WatchEvent& event);
  // getAppProj: the app's AppProject, or the condition ("InvalidSpecError: Application
  // referencing project P which does not exist", "UnknownError: ...").
  Result<const AppProject*> ProjectOf(const AppState& app) const;
  // refreshAppConditions: the project's and ValidatePermissions' conditions, formatted as
  // FormatAppConditions does; empty when there are none.
  std::string ProjectConditions(const AppState& app, const ClusterEndpoint* dest) const;
  // The sync windows' verdict for `app` now (CanSync): ok(true|false) or the windows' error.
  Result<bool> WindowsAllow(const AppState& app, bool manual,
                            std::optional<SimTime> op_started) const;
  int64_t NowUnixMicros(SimTime t) const;
  // For the timeline: the active deny windows selecting `app` ("deny 0 17 * * * 2h
  // Europe/Berlin"), else "outside " and its inactive allow windows.
  std::string BlockingWindows(const AppState& app) const;
  void OnLiveChange(const std::string& cluster, const std::string& app, const ObjectKey& key);
  void ResyncTick();
  void ScheduleNextResync();
  void OnResyncDue();
  void Resync(uint32_t id);
  // Periodic refreshes visit the apps in the resync plan's order, each app's state cold in the
  // CPU cache by then (10,000 apps' states do not stay cached between visits). Two stages of
  // prefetching hide that: the state of the app three refreshes ahead (its spec included); once
  // that is cached, what its pointers lead to (two ahead): the tracked objects, the repo-server's
  // memo, the revisions. A refresh the repo-server's memo answers reads nothing of the source
  // itself. Hints only: nothing computed changes.
  void PrefetchState(uint32_t id) const;
  void PrefetchReferenced(uint32_t id) const;
  // requestAppRefresh: queues the app; a level other than kNone is recorded as requested.
  void RequestRefresh(AppState& app, RefreshLevel level);
  // The argocd.argoproj.io/refresh annotation (CLI, UI, Git webhook): a forced resolve, or a hard
  // refresh.
  void RequestAnnotatedRefresh(AppState& app, bool hard);
  // needRefreshAppStatus: the level this refresh compares at, or kNone when it does not compare
  // (and whether it is a hard refresh). Takes the request that decided it.
  RefreshLevel RefreshLevelFor(AppState& app, bool* hard);
  void ProcessRefresh(uint32_t id, ProcessorPool<uint32_t>::Completion done);
  void FinishRefresh(uint32_t id, RefreshLevel level, bool hard, Result<ManifestResult> manifests,
                     ProcessorPool<uint32_t>::Completion done, bool cached_targets);
  void ApplyComparison(AppState& app, const ManifestResult* manifests, const std::string& error);
  void AutoSync(AppState& app);
  void StartOperation(AppState& app, Operation op);
  void ProcessOperation(const std::string& name, ProcessorPool<std::string>::Completion done);
  void StepSync(AppState& app);
  void StepDeletion(AppState& app);
  void CompleteOperation(AppState& app);
  const ClusterEndpoint* Destination(const AppState& app) const;
  AppState* FindApp(const std::string& name) const { return app_index_.Find(name); }
  // The live app with this id, or null.
  AppState* AppById(uint32_t id) const { return apps_by_id_[id]; }
  uint32_t IdOf(const std::string& name);
  void Record(std::string_view event, const AppState& app, std::string_view object,
              std::string_view detail, bool change = true);
  void SetConditionStatus(AppState& app, SyncStatusCode sync, HealthStatus health);
  void NotifyStatus(const AppState& app);
  TokenBucket& LimiterFor(const std::string& cluster);
  std::optional<SimTime> DeletionApprovedAt(const Object& app) const;
  void RequeueOperation(const std::string& name, SimTime at);

  Simulator& sim_;
  Trace& trace_;
  ArgoCdSettings settings_;
  RepoServer& repo_server_;
  ClusterApi& management_;
  const ClusterDirectory& clusters_;
  RandomStream jitter_;
  LiveStateCache cache_;
  ProcessorPool<uint32_t> refresh_queue_;  // of app ids
  ProcessorPool<std::string> operation_queue_;
  std::map<std::string, std::unique_ptr<AppState>> apps_;  // by name
  // The same apps, for the lookups of every refresh; whatever adds to or erases from apps_ updates
  // it too.
  NameIndex<AppState, &AppState::name> app_index_;
  // Every app name ever seen gets an id for the controller's life (an app deleted and created again
  // keeps its id), so queued ids mean what queued names would; apps_by_id_ holds the live ones.
  std::unordered_map<std::string, uint32_t> app_ids_;  // only looked up, never iterated
  std::vector<AppState*> apps_by_id_;                  // null: no such app now
  // The ids of apps_ in its (name) order, for the resync; emptied whenever an app comes or goes.
  std::vector<uint32_t> resync_order_;
  // The resync's queueing events (see ResyncTick): planned in run order, handed to the simulator
  // one at a time from resync_next_; resync_due_ is the one scheduled as resync_event_.
  struct PlannedResync {
    SimTime at;
    uint64_t seq = 0;
    uint32_t id = 0;
    bool operator<(const PlannedResync& o) const {
      return at < o.at || (at == o.at && seq < o.seq);
    }
  };
  std::vector<PlannedResync> resync_plan_;
  std::vector<PlannedResync> resync_scratch_;  // the plan's sort's buffer, kept between ticks
  size_t resync_next_ = 0;
  PlannedResync resync_due_;
  EventId resync_event_ = 0;
  uint64_t resync_epoch_ = 0;  // the simulator's renumberings() when the sequences were reserved
  WatchId app_watch_ = 0;
  WatchId project_watch_ = 0;
  // AppProjects in namespace argocd by name, as parsed (or the parse error).
  std::map<std::string, Result<AppProject>> projects_;
  AppProject default_project_ = AppProject::Default();  // when no AppProject named default exists
  TimeZoneDatabase* zones_ = nullptr;
  std::unique_ptr<PeriodicTimer> resync_;
  RandomStream resync_stream_;
  std::map<std::string, TokenBucket> limiters_;  // the kube client of each destination cluster
  uint64_t refreshes_ = 0;
  bool restarting_ = false;
  int64_t start_unix_;
  std::function<void(const std::string&)> status_listener_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APP_CONTROLLER_H_
