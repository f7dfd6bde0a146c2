// When a canary Rollout moves on, and how it reacts to its AnalysisRuns (reference 1.4, 1.7;
// argo-rollouts rollout/canary.go completedCurrentCanaryStep, rollout/analysis.go
// reconcileStepBasedAnalysisRun / reconcileBackgroundAnalysisRun, utils/replicaset/canary.go
// BeforeStartingStep). Pure functions; the Rollout controller applies the outcome.
#ifndef FLEETSIM_SIM_ROLLOUTS_CANARY_PROGRESS_H_
#define FLEETSIM_SIM_ROLLOUTS_CANARY_PROGRESS_H_

#include <optional>
#include <string>

#include "engine/sim_time.h"
#include "sim/rollouts/analysis.h"
#include "sim/rollouts/canary_steps.h"
#include "sim/rollouts/replica_split.h"

namespace fleetsim::rollouts {

// What the current step's completion depends on besides spec and status.
struct StepObservations {
  const CanaryReplicaSets* sets = nullptr;     // required for setWeight / setCanaryScale
  std::optional<TrafficWeights> weights;       // the router's current weights (status.canary)
  std::optional<AnalysisPhase> step_analysis;  // the current step's AnalysisRun phase
  std::optional<AnalysisPhase> experiment;     // the current step's Experiment phase
  bool plugin_completed = false;
  SimTime now;
};

// completedCurrentCanaryStep: never while spec.paused or with no current step; pause → see
// PauseStepCompleted; setWeight → replica counts at target (and the router's weight verified
// when it reports one); setCanaryScale → replica counts; experiment / analysis → Successful;
// setHeaderRoute / setMirrorRoute → at once; plugin → as reported.
bool CurrentStepCompleted(const RolloutSpec& spec, const RolloutStatus& status,
                          const StepObservations& observed);

// BeforeStartingStep: background analysis with startingStep and the current step before it.
bool BeforeStartingStep(const RolloutSpec& spec, const RolloutStatus& status);

// reconcileBackgroundAnalysisRun: a background run exists only with templates, after the initial
// deploy, while not fully promoted and from startingStep on (reference 1.7).
bool BackgroundAnalysisActive(const RolloutSpec& spec, const RolloutStatus& status);

// The Rollout's reaction to an AnalysisRun's phase: Inconclusive → pause with
// InconclusiveAnalysisRun; Failed or Error → abort with "<source> analysis phase error/failed[:
// <run message>]"; otherwise nothing (a Successful step analysis completes the step, see above).
struct AnalysisReaction {
  enum class Kind { kNone, kPause, kAbort };
  Kind kind = Kind::kNone;
  std::string message;  // kPause: the pause reason; kAbort: the abort message
};
enum class AnalysisSource { kStep, kBackground };
AnalysisReaction ReactToAnalysis(AnalysisSource source, AnalysisPhase phase,
                                 const std::string& run_message);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_CANARY_PROGRESS_H_
