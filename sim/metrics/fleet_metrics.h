// The DESIGN.md metrics, computed by observing the trace (never by counters inside controllers):
// every record the model appends passes through Observe, and Compute turns what was seen into the
// metric table at the end of the run.
#ifndef FLEETSIM_SIM_METRICS_FLEET_METRICS_H_
#define FLEETSIM_SIM_METRICS_FLEET_METRICS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sim_time.h"
#include "engine/trace.h"
#include "sim/metrics/metric_value.h"
#include "sim/metrics/notifications.h"

namespace fleetsim {

// Ends the detail of a ServiceUnavailable record about a Service no user reaches
// (a Rollout's previewService or canaryService): its outages are not downtime, nor an impact.
inline constexpr std::string_view kNotUserFacing = "not user-facing";

class FleetMetrics {
 public:
  // `repo_names`: normalised repository URL → scenario repo name, to pair commits with the
  // Applications they change. `bootstrap_is_commit`: the history is empty, so the bootstrap at
  // t=0 counts as the commit for convergence.
  FleetMetrics(std::map<std::string, std::string> repo_names, bool bootstrap_is_commit);

  void Observe(const TraceRecord& r);

  // The metrics at `now` (pairs and outages still open are closed at `now`).
  MetricMap Compute(SimTime now, uint64_t events_processed) const;

 private:
  struct AppView {
    bool synced = false;
    bool healthy = false;
    bool exists = true;
    std::vector<size_t> open_pairs;  // indexes into pairs_
  };
  struct Pair {
    SimTime commit_at;
    std::optional<SimTime> converged_at;
  };
  struct Recovery {
    SimTime healed_at;
    std::set<std::string> waiting;  // apps not yet Synced and Healthy
    std::optional<SimTime> recovered_at;
  };

  // rto_seconds: a cluster destroyed at `destroyed_at`, recovered once, after its rebuild, every
  // Application targeting it has reported Synced and Healthy.
  struct Rto {
    std::string cluster;
    SimTime destroyed_at;
    std::optional<SimTime> rebuilt_at;
    std::set<std::string> waiting;
    std::optional<SimTime> recovered_at;
  };
  void OnRto(const TraceRecord& r);
  void CheckRto(Rto& rto, const std::string& app, bool good, SimTime t);

  void OnComparison(const TraceRecord& r);
  void OnManifestsChanged(const TraceRecord& r);
  void OnFaultHealed(const TraceRecord& r);
  void CheckFleet(SimTime t);
  std::optional<SimTime> FleetConvergedAt() const;
  bool Good(const AppView& a) const { return a.synced && a.healthy; }
  void NoteImpact(const TraceRecord& r);
  void SetGood(AppView& app, bool synced, bool healthy, SimTime t);

  std::map<std::string, std::string> repo_names_;
  bool bootstrap_is_commit_;
  struct Push {
    std::string sha;  // 7 hex digits
    SimTime at;
  };
  std::map<std::string, std::vector<Push>> pushes_;  // repo name → pushes, in order
  std::optional<SimTime> first_change_;              // first commit or fault
  SimTime last_commit_;
  std::optional<SimTime> first_impact_;
  std::vector<std::pair<SimTime, bool>> all_good_changes_;  // when "every app S&H" flipped

  std::map<std::string, AppView> apps_;
  size_t not_good_ = 0;
  std::vector<Pair> pairs_;
  std::vector<Recovery> recoveries_;
  std::vector<Rto> rtos_;
  std::map<std::string, std::string> app_cluster_;  // app → its destination cluster

  int64_t apps_created_ = 0, apps_deleted_ = 0, objects_deleted_ = 0, orphaned_ = 0;
  int64_t pvcs_deleted_ = 0, syncs_ = 0, sync_failures_ = 0, selfheals_ = 0, refreshes_ = 0;
  int64_t rollbacks_ = 0;  // RolloutAborted: an update aborted (by analysis, deadline or a person)
  std::set<std::string> deletion_pending_;
  std::set<std::string> unavailable_;  // "cluster/object" workloads unavailable after being up
  size_t unavailable_max_ = 0;
  std::set<std::string> affected_clusters_;
  std::map<std::string, SimTime> service_down_since_;
  SimDuration downtime_;

  // TrafficShifted (sim/rollouts/traffic_model.h): per "cluster/Service", the failed requests per
  // second served by versions worse than stable and whether a canary serves, since when.
  struct TrafficView {
    double bad_rps = 0;
    bool canary = false;
    SimTime since;
  };
  void OnTrafficShifted(const TraceRecord& r);
  std::map<std::string, TrafficView> traffic_;
  NotificationCounter notifications_;
  double bad_requests_ = 0;  // integrated up to each view's `since`
  size_t canaries_serving_ = 0;
  SimTime canary_since_;
  SimDuration canary_exposure_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_METRICS_FLEET_METRICS_H_
