// Canary step logic and phases. Reference 1.4, 1.9, 1.10; argo-rollouts
// utils/replicaset/canary.go (GetCurrentCanaryStep, GetCurrentSetWeight, UseSetCanaryScale),
// rollout/pause.go (CompletedCanaryPauseStep), rollout/sync.go (isIndefiniteStep),
// utils/conditions/conditions.go (RolloutTimedOut), utils/rollout/rolloututil.go.
#include "sim/rollouts/canary_steps.h"

#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

RolloutSpec Spec(const std::string& steps, bool routed = false) {
  json doc = {
      {"spec", {{"replicas", 4}, {"strategy", {{"canary", {{"steps", json::parse(steps)}}}}}}}};
  if (routed) doc["spec"]["strategy"]["canary"]["trafficRouting"] = json::object();
  Result<RolloutSpec> spec = ParseRollout(doc);
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error());
  return spec.ok() ? *spec : RolloutSpec{};
}

RolloutStatus AtStep(int32_t index) {
  RolloutStatus status;
  status.current_step_index = index;
  status.stable_rs = "a";
  status.current_pod_hash = "b";
  return status;
}

SimTime At(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

const char* kSteps = R"([{"setWeight": 20}, {"pause": {}}, {"setWeight": 50},
                         {"pause": {"duration": "1m"}}, {"analysis": {}}])";

// Reference 1.4 "current weight": the nearest setWeight at or before the current step.
TEST(CanaryStepsTest, CurrentWeightWalksBackToLastSetWeight) {
  RolloutSpec spec = Spec(kSteps);
  EXPECT_EQ(CurrentSetWeight(spec, AtStep(0)), 20);
  EXPECT_EQ(CurrentSetWeight(spec, AtStep(1)), 20);
  EXPECT_EQ(CurrentSetWeight(spec, AtStep(3)), 50);
}

TEST(CanaryStepsTest, CurrentWeightZeroBeforeAnySetWeight) {
  EXPECT_EQ(CurrentSetWeight(Spec(R"([{"pause": {}}, {"setWeight": 10}])"), AtStep(0)), 0);
}

TEST(CanaryStepsTest, CurrentWeightIsMaxOnceAllStepsDone) {
  RolloutSpec spec = Spec(kSteps);
  EXPECT_EQ(CurrentSetWeight(spec, AtStep(5)), 100);
  EXPECT_EQ(CurrentStep(spec, AtStep(5)), nullptr);
  EXPECT_EQ(CurrentSetWeight(Spec("[]"), AtStep(0)), 100);
}

TEST(CanaryStepsTest, CurrentWeightZeroWhileAborted) {
  RolloutStatus status = AtStep(3);
  status.abort = true;
  EXPECT_EQ(CurrentSetWeight(Spec(kSteps), status), 0);
}

TEST(CanaryStepsTest, UnsetStepIndexMeansFirstStep) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status;
  int32_t index = -1;
  const CanaryStep* step = CurrentStep(spec, status, &index);
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(index, 0);
  EXPECT_EQ(step->kind, StepKind::kSetWeight);
}

// Reference 1.6: the last setCanaryScale at or before the current step wins.
TEST(CanaryStepsTest, LastSetCanaryScaleWins) {
  RolloutSpec spec = Spec(R"([{"setCanaryScale": {"replicas": 2}}, {"setWeight": 10},
                             {"setCanaryScale": {"weight": 40}}, {"pause": {}},
                             {"setCanaryScale": {"matchTrafficWeight": true}}, {"pause": {}}])",
                          true);
  EXPECT_EQ(ActiveSetCanaryScale(spec, AtStep(1))->replicas, 2);
  EXPECT_EQ(ActiveSetCanaryScale(spec, AtStep(3))->weight, 40);
  EXPECT_FALSE(ActiveSetCanaryScale(spec, AtStep(5)).has_value());
  EXPECT_FALSE(ActiveSetCanaryScale(spec, AtStep(6)).has_value());  // all done
}

TEST(CanaryStepsTest, SetCanaryScaleIgnoredWithoutRouterOrWhileAborted) {
  const char* steps = R"([{"setCanaryScale": {"replicas": 2}}, {"pause": {}}])";
  EXPECT_FALSE(ActiveSetCanaryScale(Spec(steps, false), AtStep(1)).has_value());
  RolloutSpec routed = Spec(steps, true);
  RolloutStatus aborted = AtStep(1);
  aborted.abort = true;
  EXPECT_FALSE(ActiveSetCanaryScale(routed, aborted).has_value());
  routed.strategy.abort_scale_down_delay_seconds = 0;  // keep the canary scaled on abort
  EXPECT_EQ(ActiveSetCanaryScale(routed, aborted)->replicas, 2);
}

// rollout/pause.go CompletedCanaryPauseStep.
TEST(CanaryStepsTest, TimedPauseCompletesAfterDuration) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = AtStep(3);
  status.pause_conditions.push_back({std::string(kPauseReasonCanaryPauseStep), At(100)});
  status.controller_pause = true;
  const CanaryStep& step = spec.strategy.steps[3];
  EXPECT_EQ(PauseStepDeadline(step, status), At(160));
  EXPECT_FALSE(PauseStepCompleted(step, status, At(159)));
  EXPECT_TRUE(PauseStepCompleted(step, status, At(160)));
}

TEST(CanaryStepsTest, IndefinitePauseCompletesOnlyWhenPromoted) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = AtStep(1);
  status.pause_conditions.push_back({std::string(kPauseReasonCanaryPauseStep), At(0)});
  status.controller_pause = true;
  const CanaryStep& step = spec.strategy.steps[1];
  EXPECT_FALSE(PauseStepDeadline(step, status).has_value());
  EXPECT_FALSE(PauseStepCompleted(step, status, At(100000)));
  status.pause_conditions.clear();  // promote clears the condition
  EXPECT_TRUE(PauseStepCompleted(step, status, At(100000)));
}

// Reference 1.9: no deadline at pause, analysis or experiment steps, or while Paused.
TEST(CanaryStepsTest, ProgressDeadlineExemptions) {
  RolloutSpec spec = Spec(kSteps);
  EXPECT_FALSE(IsIndefiniteStep(spec, AtStep(0)));
  EXPECT_TRUE(IsIndefiniteStep(spec, AtStep(1)));
  EXPECT_TRUE(IsIndefiniteStep(spec, AtStep(3)));
  EXPECT_TRUE(IsIndefiniteStep(spec, AtStep(4)));
  RolloutStatus paused = AtStep(0);
  paused.conditions.push_back({.type = "Paused", .status = "True"});
  EXPECT_TRUE(IsIndefiniteStep(spec, paused));
  EXPECT_TRUE(IsIndefiniteStep(Spec(R"([{"experiment": {}}])"), AtStep(0)));
}

RolloutStatus Progressing(std::string_view reason, int64_t last_update) {
  RolloutStatus status = AtStep(0);
  status.conditions.push_back({.type = "Progressing",
                               .status = "True",
                               .reason = std::string(reason),
                               .last_update_time = At(last_update)});
  return status;
}

// conditions.RolloutTimedOut: lastUpdateTime + progressDeadlineSeconds strictly before now.
TEST(CanaryStepsTest, TimedOutAfterProgressDeadline) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = Progressing(kReasonReplicaSetUpdated, 0);
  EXPECT_FALSE(RolloutTimedOut(spec, status, At(600)));
  EXPECT_TRUE(RolloutTimedOut(spec, status, At(601)));
  EXPECT_TRUE(ProgressDeadlineApplies(spec, status, At(601)));
  EXPECT_FALSE(ProgressDeadlineApplies(spec, AtStep(1), At(601)));  // no condition
  RolloutStatus at_pause = Progressing(kReasonReplicaSetUpdated, 0);
  at_pause.current_step_index = 1;
  EXPECT_FALSE(ProgressDeadlineApplies(spec, at_pause, At(10000)));
}

TEST(CanaryStepsTest, NoTimeoutAfterAbortOrPauseReason) {
  RolloutSpec spec = Spec(kSteps);
  EXPECT_FALSE(RolloutTimedOut(spec, Progressing(kReasonRolloutAborted, 0), At(10000)));
  EXPECT_FALSE(RolloutTimedOut(spec, Progressing(kReasonRolloutPaused, 0), At(10000)));
  EXPECT_TRUE(RolloutTimedOut(spec, Progressing(kReasonProgressDeadlineExceeded, 0), At(1)));
}

RolloutStatus Healthy() {
  RolloutStatus status;
  status.stable_rs = status.current_pod_hash = "a";
  status.replicas = status.updated_replicas = status.available_replicas = 4;
  return status;
}

// Reference 1.10, in order.
TEST(CanaryStepsTest, PhaseHealthy) {
  PhaseAndMessage p = CalculatePhase(Spec(kSteps), Healthy());
  EXPECT_EQ(p.phase, RolloutPhase::kHealthy);
  EXPECT_EQ(p.message, "");
}

TEST(CanaryStepsTest, PhaseDegradedFromConditions) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = Healthy();
  status.conditions.push_back({.type = "Progressing",
                               .status = "False",
                               .reason = "RolloutAborted",
                               .message = "Rollout aborted update to revision 2"});
  PhaseAndMessage p = CalculatePhase(spec, status);
  EXPECT_EQ(p.phase, RolloutPhase::kDegraded);
  EXPECT_EQ(p.message, "RolloutAborted: Rollout aborted update to revision 2");
  status.conditions = {{.type = "Progressing",
                        .status = "False",
                        .reason = "ProgressDeadlineExceeded",
                        .message = "ReplicaSet \"web-2\" has timed out progressing."}};
  EXPECT_EQ(CalculatePhase(spec, status).message,
            "ProgressDeadlineExceeded: ReplicaSet \"web-2\" has timed out progressing.");
  status.conditions = {{.type = "InvalidSpec",
                        .status = "True",
                        .reason = "InvalidSpec",
                        .message = "The Rollout \"web\" is invalid: x"}};
  EXPECT_EQ(CalculatePhase(spec, status).message, "InvalidSpec: The Rollout \"web\" is invalid: x");
}

TEST(CanaryStepsTest, PhaseDegradedBeatsPaused) {
  RolloutSpec spec = Spec(kSteps);
  spec.paused = true;
  RolloutStatus status = Healthy();
  status.conditions.push_back({.type = "Progressing", .reason = "RolloutAborted"});
  EXPECT_EQ(CalculatePhase(spec, status).phase, RolloutPhase::kDegraded);
}

TEST(CanaryStepsTest, PhasePaused) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = AtStep(1);
  status.pause_conditions.push_back({std::string(kPauseReasonCanaryPauseStep), At(0)});
  PhaseAndMessage p = CalculatePhase(spec, status);
  EXPECT_EQ(p.phase, RolloutPhase::kPaused);
  EXPECT_EQ(p.message, "CanaryPauseStep");
  spec.paused = true;
  EXPECT_EQ(CalculatePhase(spec, status).message, "manually paused");
}

TEST(CanaryStepsTest, PhaseProgressingReasons) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = Healthy();
  status.updated_replicas = 1;
  EXPECT_EQ(CalculatePhase(spec, status).message, "more replicas need to be updated");
  status = Healthy();
  status.available_replicas = 3;
  EXPECT_EQ(CalculatePhase(spec, status).message, "updated replicas are still becoming available");
  status = Healthy();
  status.replicas = 5;
  EXPECT_EQ(CalculatePhase(spec, status).message, "old replicas are pending termination");
  status = Healthy();
  status.current_pod_hash = "b";
  EXPECT_EQ(CalculatePhase(spec, status).message, "waiting for all steps to complete");
  status = Healthy();
  status.restart_pending = true;
  EXPECT_EQ(CalculatePhase(spec, status).message, "rollout is restarting");
}

// With a router the old stable may stay up (scaleDownDelaySeconds): no "pending termination".
TEST(CanaryStepsTest, RoutedOldReplicasDoNotHoldHealthy) {
  RolloutStatus status = Healthy();
  status.replicas = 8;
  EXPECT_EQ(CalculatePhase(Spec(kSteps, true), status).phase, RolloutPhase::kHealthy);
}

TEST(CanaryStepsTest, ClientPhaseWaitsForObservationAndUnpause) {
  RolloutSpec spec = Spec(kSteps);
  RolloutStatus status = Healthy();
  status.generation_observed = false;
  EXPECT_EQ(ClientPhase(spec, status).message, "waiting for rollout spec update to be observed");
  status.generation_observed = true;
  status.controller_pause = true;
  EXPECT_EQ(ClientPhase(spec, status).message, "waiting for rollout to unpause");
  EXPECT_EQ(ClientPhase(spec, status).phase, RolloutPhase::kProgressing);
  EXPECT_EQ(RolloutPhaseName(RolloutPhase::kDegraded), "Degraded");
}

}  // namespace
}  // namespace fleetsim::rollouts
