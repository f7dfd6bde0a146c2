#include "sim/rollouts/canary_progress.h"

namespace fleetsim::rollouts {

bool CurrentStepCompleted(const RolloutSpec& spec, const RolloutStatus& status,
                          const StepObservations& observed) {
  if (spec.paused) return false;
  const CanaryStep* step = CurrentStep(spec, status);
  if (step == nullptr) return false;
  switch (step->kind) {
    case StepKind::kPause:
      return PauseStepCompleted(*step, status, observed.now);
    case StepKind::kSetCanaryScale:
      return observed.sets != nullptr &&
             AtDesiredReplicaCounts(spec, status, *observed.sets, observed.weights);
    case StepKind::kSetWeight:
      if (observed.sets == nullptr ||
          !AtDesiredReplicaCounts(spec, status, *observed.sets, observed.weights)) {
        return false;
      }
      return !(observed.weights && observed.weights->verified && !*observed.weights->verified);
    case StepKind::kExperiment:
      return observed.experiment == AnalysisPhase::kSuccessful;
    case StepKind::kAnalysis:
      return observed.step_analysis == AnalysisPhase::kSuccessful;
    case StepKind::kSetHeaderRoute:
    case StepKind::kSetMirrorRoute:
      return true;
    case StepKind::kPlugin:
      return observed.plugin_completed;
  }
  return false;
}

bool BeforeStartingStep(const RolloutSpec& spec, const RolloutStatus& status) {
  const std::optional<RolloutAnalysis>& analysis = spec.strategy.analysis;
  if (!analysis || !analysis->starting_step) return false;
  int32_t index = 0;
  if (spec.strategy.steps.empty()) return false;
  CurrentStep(spec, status, &index);
  return index < *analysis->starting_step;
}

bool BackgroundAnalysisActive(const RolloutSpec& spec, const RolloutStatus& status) {
  const std::optional<RolloutAnalysis>& analysis = spec.strategy.analysis;
  if (!analysis || analysis->templates.empty()) return false;
  return !IsFullyPromoted(status) && !status.stable_rs.empty() &&
         !status.current_pod_hash.empty() && !BeforeStartingStep(spec, status);
}

AnalysisReaction ReactToAnalysis(AnalysisSource source, AnalysisPhase phase,
                                 const std::string& run_message) {
  if (phase == AnalysisPhase::kInconclusive) {
    return {AnalysisReaction::Kind::kPause, std::string(kPauseReasonInconclusiveAnalysis)};
  }
  if (phase != AnalysisPhase::kFailed && phase != AnalysisPhase::kError) return {};
  std::string message = source == AnalysisSource::kStep ? "Step-based analysis phase error/failed"
                                                        : "Background analysis phase error/failed";
  if (!run_message.empty()) message += ": " + run_message;
  return {AnalysisReaction::Kind::kAbort, message};
}

}  // namespace fleetsim::rollouts
