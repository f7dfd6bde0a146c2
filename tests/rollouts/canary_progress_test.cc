// Step completion and reactions to AnalysisRuns. Reference 1.4, 1.7; argo-rollouts
// rollout/canary.go (completedCurrentCanaryStep) and rollout/analysis.go.
#include "sim/rollouts/canary_progress.h"

#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

RolloutSpec Spec(const std::string& canary) {
  Result<RolloutSpec> spec = ParseRollout(
      json{{"spec", {{"replicas", 2}, {"strategy", {{"canary", json::parse(canary)}}}}}});
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error());
  return spec.ok() ? *spec : RolloutSpec{};
}

RolloutStatus AtStep(int32_t index) {
  RolloutStatus status;
  status.current_step_index = index;
  status.stable_rs = "stable";
  status.current_pod_hash = "canary";
  return status;
}

const char* kSteps = R"({"steps": [{"setWeight": 50}, {"analysis": {}}, {"experiment": {}},
                                   {"pause": {"duration": 10}}]})";

TEST(CanaryProgressTest, SetWeightCompletesAtTargetCounts) {
  RolloutSpec spec = Spec(kSteps);
  ReplicaSetState stable{.name = "stable", .spec_replicas = 1, .replicas = 1, .available = 1};
  ReplicaSetState canary{.name = "canary", .spec_replicas = 1, .replicas = 1, .available = 0};
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  StepObservations seen{.sets = &sets};
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(0), seen));
  canary.available = 1;
  EXPECT_TRUE(CurrentStepCompleted(spec, AtStep(0), seen));
  seen.weights = TrafficWeights{.canary = 50, .stable = 50, .verified = false};
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(0), seen));  // weight not yet verified
}

TEST(CanaryProgressTest, AnalysisAndExperimentStepsNeedSuccessful) {
  RolloutSpec spec = Spec(kSteps);
  StepObservations seen{.step_analysis = AnalysisPhase::kRunning};
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(1), seen));
  seen.step_analysis = AnalysisPhase::kInconclusive;
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(1), seen));
  seen.step_analysis = AnalysisPhase::kSuccessful;
  EXPECT_TRUE(CurrentStepCompleted(spec, AtStep(1), seen));
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(2), seen));
  seen.experiment = AnalysisPhase::kSuccessful;
  EXPECT_TRUE(CurrentStepCompleted(spec, AtStep(2), seen));
}

TEST(CanaryProgressTest, NothingCompletesWhileManuallyPausedOrAfterLastStep) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = AtStep(3);
  status.pause_conditions.push_back({std::string(kPauseReasonCanaryPauseStep), SimTime::Zero()});
  StepObservations seen{.now = SimTime::Zero() + SimDuration::Seconds(10)};
  EXPECT_TRUE(CurrentStepCompleted(spec, status, seen));
  spec.paused = true;
  EXPECT_FALSE(CurrentStepCompleted(spec, status, seen));
  spec.paused = false;
  EXPECT_FALSE(CurrentStepCompleted(spec, AtStep(4), seen));
}

// Reference 1.7: created when templates are set, not initial deploy, not fully promoted and
// currentStepIndex >= startingStep.
TEST(CanaryProgressTest, BackgroundAnalysisWindow) {
  RolloutSpec spec = Spec(R"({"steps": [{"setWeight": 10}, {"setWeight": 50}],
      "analysis": {"templates": [{"templateName": "t"}], "startingStep": 1}})");
  EXPECT_FALSE(BackgroundAnalysisActive(spec, AtStep(0)));
  EXPECT_TRUE(BeforeStartingStep(spec, AtStep(0)));
  EXPECT_TRUE(BackgroundAnalysisActive(spec, AtStep(1)));
  RolloutStatus initial = AtStep(1);
  initial.stable_rs.clear();
  EXPECT_FALSE(BackgroundAnalysisActive(spec, initial));
  RolloutStatus promoted = AtStep(2);
  promoted.stable_rs = "canary";
  EXPECT_FALSE(BackgroundAnalysisActive(spec, promoted));
  spec.strategy.analysis->starting_step.reset();
  EXPECT_TRUE(BackgroundAnalysisActive(spec, AtStep(0)));
  spec.strategy.analysis->templates.clear();
  EXPECT_FALSE(BackgroundAnalysisActive(spec, AtStep(0)));
}

// Reference 1.4 / 1.7 reaction table.
TEST(CanaryProgressTest, ReactionsToAnalysisPhases) {
  AnalysisReaction r = ReactToAnalysis(AnalysisSource::kStep, AnalysisPhase::kInconclusive, "");
  EXPECT_EQ(r.kind, AnalysisReaction::Kind::kPause);
  EXPECT_EQ(r.message, "InconclusiveAnalysisRun");
  r = ReactToAnalysis(AnalysisSource::kStep, AnalysisPhase::kFailed,
                      "Metric \"m\" assessed Failed");
  EXPECT_EQ(r.kind, AnalysisReaction::Kind::kAbort);
  EXPECT_EQ(r.message, "Step-based analysis phase error/failed: Metric \"m\" assessed Failed");
  r = ReactToAnalysis(AnalysisSource::kBackground, AnalysisPhase::kError, "");
  EXPECT_EQ(r.message, "Background analysis phase error/failed");
  EXPECT_EQ(ReactToAnalysis(AnalysisSource::kBackground, AnalysisPhase::kSuccessful, "").kind,
            AnalysisReaction::Kind::kNone);
  EXPECT_EQ(ReactToAnalysis(AnalysisSource::kStep, AnalysisPhase::kRunning, "").kind,
            AnalysisReaction::Kind::kNone);
}

}  // namespace
}  // namespace fleetsim::rollouts
