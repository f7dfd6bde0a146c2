// Canary step logic as pure functions of a Rollout's spec and status (reference 1.2, 1.4, 1.9,
// 1.10): the current step, the "current weight" rule (GetCurrentSetWeight), the last
// setCanaryScale in effect (UseSetCanaryScale), pause-step completion, the progress-deadline
// exemptions and timeout (isIndefiniteStep, RolloutTimedOut), and the phase the controller
// writes to status.phase (utils/rollout/rolloututil.go CalculateRolloutPhase) or a client shows
// (GetRolloutPhase). Upstream: utils/replicaset/canary.go, rollout/pause.go, rollout/sync.go,
// utils/conditions/conditions.go.
#ifndef FLEETSIM_SIM_ROLLOUTS_CANARY_STEPS_H_
#define FLEETSIM_SIM_ROLLOUTS_CANARY_STEPS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sim_time.h"
#include "sim/rollouts/canary_strategy.h"

namespace fleetsim::rollouts {

// Pause reasons (exact strings, reference 1.2).
inline constexpr std::string_view kPauseReasonCanaryPauseStep = "CanaryPauseStep";
inline constexpr std::string_view kPauseReasonInconclusiveAnalysis = "InconclusiveAnalysisRun";
inline constexpr std::string_view kPauseReasonInconclusiveExperiment = "InconclusiveExperiment";
inline constexpr std::string_view kPauseReasonBlueGreenPause = "BlueGreenPause";

// Condition types and reasons (utils/conditions/conditions.go).
inline constexpr std::string_view kConditionProgressing = "Progressing";
inline constexpr std::string_view kConditionInvalidSpec = "InvalidSpec";
inline constexpr std::string_view kConditionPaused = "Paused";
inline constexpr std::string_view kReasonRolloutAborted = "RolloutAborted";
inline constexpr std::string_view kReasonProgressDeadlineExceeded = "ProgressDeadlineExceeded";
inline constexpr std::string_view kReasonRolloutPaused = "RolloutPaused";
inline constexpr std::string_view kReasonReplicaSetUpdated = "ReplicaSetUpdated";

struct PauseCondition {
  std::string reason;
  SimTime start_time;
};

struct RolloutCondition {
  std::string type;
  std::string status;  // "True", "False", "Unknown"
  std::string reason;
  std::string message;
  SimTime last_update_time;
};

// status.canary.weights: what the traffic router was last set to.
struct TrafficWeights {
  int32_t canary = 0;
  int32_t stable = 100;
  std::optional<bool> verified;
};

struct RolloutStatus {
  std::optional<int32_t> current_step_index;
  std::vector<PauseCondition> pause_conditions;
  bool controller_pause = false;
  bool abort = false;
  bool promote_full = false;
  std::string stable_rs;         // pod-template hash of the stable RS
  std::string current_pod_hash;  // pod-template hash of the desired RS
  std::vector<RolloutCondition> conditions;
  int32_t replicas = 0;
  int32_t updated_replicas = 0;
  int32_t available_replicas = 0;
  bool restart_pending = false;  // spec.restartAt not yet reached status.restartedAt
  std::optional<TrafficWeights> weights;
  bool generation_observed = true;  // status.observedGeneration == metadata.generation
};

// IsFullyPromoted: stableRS == currentPodHash.
bool IsFullyPromoted(const RolloutStatus& status);

// GetCurrentCanaryStep: the step at currentStepIndex (0 when unset), or null when there are no
// steps or all are done. `index` (optional) receives the index, also when all are done.
const CanaryStep* CurrentStep(const RolloutSpec& spec, const RolloutStatus& status,
                              int32_t* index = nullptr);

// GetCurrentSetWeight: 0 while aborted; maxTrafficWeight when there are no steps or all are
// done; else the nearest setWeight at or before the current step, or 0 when there is none.
int32_t CurrentSetWeight(const RolloutSpec& spec, const RolloutStatus& status);

// UseSetCanaryScale: the last setCanaryScale at or before the current step, unless it is
// matchTrafficWeight; only with trafficRouting; ignored while aborted unless
// abortScaleDownDelaySeconds is explicitly 0.
std::optional<SetCanaryScale> ActiveSetCanaryScale(const RolloutSpec& spec,
                                                   const RolloutStatus& status);

// The Paused condition's reason `reason`, if present.
const PauseCondition* FindPauseCondition(const RolloutStatus& status, std::string_view reason);

// CompletedCanaryPauseStep: promoted (controllerPause without a CanaryPauseStep condition),
// or a timed pause whose duration has elapsed since the condition's start. Upstream compares
// with time.After (strictly later); in virtual time the pause completes at start + duration.
bool PauseStepCompleted(const CanaryStep& step, const RolloutStatus& status, SimTime now);
// When a timed pause step completes; nullopt for an indefinite pause or before it started.
std::optional<SimTime> PauseStepDeadline(const CanaryStep& step, const RolloutStatus& status);

// isIndefiniteStep: the current step is a pause, analysis or experiment step, or the Paused
// condition is True. The progress deadline is not evaluated then (reference 1.9).
bool IsIndefiniteStep(const RolloutSpec& spec, const RolloutStatus& status);

// conditions.RolloutTimedOut: false without a Progressing condition or when its reason is
// RolloutAborted or RolloutPaused; true when it already is ProgressDeadlineExceeded; else
// whether progressDeadlineSeconds have passed since its lastUpdateTime (strictly before now).
bool RolloutTimedOut(const RolloutSpec& spec, const RolloutStatus& status, SimTime now);

// Whether the controller marks the rollout ProgressDeadlineExceeded now: not at an indefinite
// step, not aborted, and timed out. (Waiting for an old RS's scale-down deadline also exempts;
// the caller knows about ReplicaSets.)
bool ProgressDeadlineApplies(const RolloutSpec& spec, const RolloutStatus& status, SimTime now);

enum class RolloutPhase { kHealthy, kProgressing, kPaused, kDegraded };
std::string_view RolloutPhaseName(RolloutPhase phase);

struct PhaseAndMessage {
  RolloutPhase phase = RolloutPhase::kHealthy;
  std::string message;
};

// CalculateRolloutPhase, first match wins (reference 1.10): an InvalidSpec condition
// ("InvalidSpec: <msg>") or a condition with reason RolloutAborted or ProgressDeadlineExceeded
// ("<reason>: <msg>") → Degraded, scanning conditions in order; spec.paused → Paused
// ("manually paused"); a pause condition → Paused (its reason); a pending restart,
// updated < replicas, available < updated → Progressing; basic canary with old replicas →
// Progressing; not fully promoted → Progressing ("waiting for all steps to complete");
// otherwise Healthy.
PhaseAndMessage CalculatePhase(const RolloutSpec& spec, const RolloutStatus& status);

// GetRolloutPhase (what the kubectl plugin and Argo CD's health show): Progressing while the
// generation is not observed or while unpausing (controllerPause with no pause condition),
// else CalculatePhase.
PhaseAndMessage ClientPhase(const RolloutSpec& spec, const RolloutStatus& status);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_CANARY_STEPS_H_
