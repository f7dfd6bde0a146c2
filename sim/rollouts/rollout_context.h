// Internal to the Rollout controller: one reconcile's view of a Rollout (its spec, ReplicaSets,
// the status it had and the status being built) and the pause context of rollout/pause.go
// (pause reasons added or removed, abort added or removed during this reconcile).
#ifndef FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTEXT_H_
#define FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "sim/cluster/live_object.h"
#include "sim/rollouts/analysis.h"
#include "sim/rollouts/canary_steps.h"
#include "sim/rollouts/replica_split.h"
#include "sim/rollouts/rollout_controller.h"

namespace fleetsim::rollouts {

inline constexpr std::string_view kHashLabel = "rollouts-pod-template-hash";
inline constexpr std::string_view kRevisionAnnotation = "rollout.argoproj.io/revision";
inline constexpr std::string_view kScaleDownDeadlineAnnotation =
    "argo-rollouts.argoproj.io/scale-down-deadline";

// status.canary.currentStepAnalysisRunStatus and its siblings.
struct RunStatus {
  std::string name;
  std::string status;  // the run's phase
  std::string message;
  bool operator==(const RunStatus&) const = default;
};

using TimeParser = std::function<SimTime(const std::string&)>;  // RFC 3339 → virtual time
using TimeStamper = std::function<std::string(SimTime)>;

// The Rollout status fields the controller writes, read from and written to JSON.
struct WorkStatus {
  RolloutStatus core;  // pause, abort, hashes, step index, counts, weights
  int32_t ready_replicas = 0;
  std::string step_hash;
  std::string aborted_at;  // RFC 3339, "" when not aborted
  RunStatus step_run, background_run, pre_run, post_run;
  std::string active_selector, preview_selector;
  bool scale_up_preview_check_point = false;
  Json conditions = Json::array();
  std::string phase, message, observed_generation, selector;

  static WorkStatus FromJson(const Json& status, const TimeParser& parse);
  Json ToJson(bool canary, const std::string& canary_service, const std::string& stable_service,
              const TimeStamper& stamp) const;
};

// blueGreen strategy fields (reference 1.11).
struct BlueGreenSpec {
  std::string active_service, preview_service;
  bool auto_promotion_enabled = true;
  int32_t auto_promotion_seconds = 0;
  std::optional<int32_t> preview_replica_count;
  int32_t scale_down_delay_seconds = 30;
  bool scale_down_delay_set = false;
  int32_t abort_scale_down_delay_seconds = 30;
  Json pre_promotion_analysis;   // null when absent
  Json post_promotion_analysis;  // null when absent
};

struct RolloutController::Context {
  LiveObject live;
  ObjectKey key;
  SimTime now;
  RolloutSpec spec;
  BlueGreenSpec bg;
  std::string hash;       // the pod template's hash (the new ReplicaSet's)
  std::string step_hash;  // of the canary steps
  int64_t revision = 0;   // the new ReplicaSet's revision

  std::vector<ReplicaSetState> states;         // every owned ReplicaSet, by revision
  std::map<std::string, std::string> hash_of;  // ReplicaSet name → its hash label
  std::map<std::string, LiveObject> rs_live;   // ReplicaSet name → object
  std::optional<ReplicaSetState> new_rs, stable_rs;
  CanaryReplicaSets sets;  // points into new_rs / stable_rs
  bool scaled = false;

  WorkStatus old_status;
  WorkStatus status;  // being built

  // rollout/pause.go pauseContext.
  std::vector<std::string> add_pause, remove_pause;
  bool clear_pause = false;
  bool add_abort = false, remove_abort = false;
  std::string abort_message;
  bool IsAborted() const { return !remove_abort && (add_abort || old_status.core.abort); }
  bool HasAddPause() const { return !add_pause.empty(); }

  std::vector<std::pair<std::string, std::string>> events;  // (event, detail) after the write
  std::string step_run_phase;          // the current step's AnalysisRun phase ("" when none)
  std::set<std::string> current_runs;  // names of the runs this reconcile keeps

  const ReplicaSetState* FindState(const std::string& hash) const;
  RolloutStatus OldCore() const;  // old status with its conditions for the pure cores
};

// Progress between the old and the new status (conditions.RolloutProgressing).
bool MadeProgress(const RolloutSpec& spec, const WorkStatus& before, const WorkStatus& after,
                  bool blue_green);

// Sets a condition with upstream's SetRolloutCondition rule: the same status and reason change
// nothing; otherwise it replaces the type's condition (lastTransitionTime kept when the status
// does not change). Returns whether anything changed.
bool SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now);
const Json* FindConditionJson(const Json& conditions, std::string_view type);
void RemoveConditionJson(Json& conditions, std::string_view type);
// conditions as the pure cores take them (times parsed by `parse`).
std::vector<RolloutCondition> CoreConditions(const Json& conditions, const TimeParser& parse);

BlueGreenSpec ParseBlueGreen(const Json& rollout);

// An AnalysisRun's status.phase; "" (not yet measured) is Pending.
AnalysisPhase ParsePhase(std::string_view phase);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTEXT_H_
