// The Rollout controller against a cluster model: canary steps, analysis, actions, progress
// deadline, fast rollback and a new template mid-rollout. Each test names the upstream rule
// (argo-rollouts source file, or reference rollouts-secrets.md section) it checks.
#include <gtest/gtest.h>

#include "tests/rollouts/rollout_test_util.h"

namespace fleetsim::rollouts::testing {
namespace {

Json Basic(Json steps) { return {{"canary", {{"steps", std::move(steps)}}}}; }

class CanaryTest : public RolloutFixture {
 public:
  // A healthy rollout "web" with 4 replicas at v1, then v2 applied at t=100.
  std::string Start(Json strategy, int replicas = 4) {
    Apply(Rollout("web", replicas, "web:1", std::move(strategy)));
    Run(60);
    stable = StableHash("web");
    SetImage("web", "web:2");
    Run(100);
    canary = CurrentHash("web");
    return canary;
  }
  std::string stable, canary;
};

// Reference 1.3 / rollout/sync.go shouldFullPromote "Initial deploy": the first ReplicaSet goes
// to full scale, steps skipped, marked stable.
TEST_F(CanaryTest, InitialDeploySkipsSteps) {
  Apply(Rollout("web", 3, "web:1", Basic({{{"setWeight", 20}}, {{"pause", Json::object()}}})));
  Run(30);
  std::string hash = CurrentHash("web");
  EXPECT_EQ(StableHash("web"), hash);
  EXPECT_EQ(StepIndex("web"), 2);
  EXPECT_EQ(Replicas("web", hash), 3);
  EXPECT_EQ(Phase("web"), "Healthy");
  EXPECT_EQ(Health("web"), "Healthy");
  const LiveObject* rs = store.Find({"apps", "ReplicaSet", "default", "web-" + hash});
  ASSERT_NE(rs, nullptr);
  EXPECT_EQ(StringAt(rs->doc(), {"metadata", "labels", "rollouts-pod-template-hash"}), hash);
  EXPECT_EQ(StringAt(rs->doc(), {"metadata", "annotations", "rollout.argoproj.io/revision"}), "1");
  EXPECT_EQ(StringAt(Status("web"), {"observedGeneration"}), "1");
  EXPECT_EQ(Events("RolloutCompleted").size(), 1u);
  EXPECT_TRUE(Events("RolloutStepStarted").empty());
}

// Reference 1.5 (R=4, W=25 → 1/3) and 1.4 setWeight: the step completes once the canary's pods
// are available; then a pause {} holds (Paused → Argo CD Suspended) until promote.
TEST_F(CanaryTest, SetWeightThenIndefinitePauseUntilPromote) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}, {{"setWeight", 50}}}));
  EXPECT_EQ(Replicas("web", canary), 1);
  EXPECT_EQ(Replicas("web", stable), 3);
  EXPECT_EQ(StepIndex("web"), 1);
  EXPECT_EQ(Phase("web"), "Paused");
  EXPECT_EQ(StringAt(Status("web"), {"message"}), "CanaryPauseStep");
  EXPECT_EQ(Health("web"), "Suspended");
  EXPECT_EQ(Events("RolloutScaled").back(), "web: canary=1 stable=3 weight=25");
  Run(1000);
  EXPECT_EQ(StepIndex("web"), 1);  // indefinite
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(1010);
  EXPECT_GE(StepIndex("web"), 2);
  Run(1100);
  EXPECT_EQ(StableHash("web"), canary);
  EXPECT_EQ(Replicas("web", canary), 4);
  EXPECT_EQ(Replicas("web", stable), 0);
  EXPECT_EQ(Phase("web"), "Healthy");
  EXPECT_EQ(Events("RolloutPromoted").size(), 1u);
  EXPECT_EQ(Events("RolloutCompleted").size(), 2u);
}

// rollout/canary.go reconcileCanaryPause + pause.go CompletedCanaryPauseStep: a timed pause ends
// at its start second plus the duration.
TEST_F(CanaryTest, TimedPauseEndsAfterDuration) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", {{"duration", "60s"}}}}, {{"setWeight", 50}}}));
  ASSERT_EQ(StepIndex("web"), 1);
  std::string started = Status("web")["pauseConditions"][0].value("startTime", "");
  EXPECT_FALSE(started.empty());
  Run(124);  // the canary pod was ready at 65 s: the pause runs 65 → 125
  EXPECT_EQ(StepIndex("web"), 1);
  Run(126);
  EXPECT_GE(StepIndex("web"), 2);
  EXPECT_TRUE(JsonAt(Status("web"), {"pauseConditions"}).is_null());
}

// Reference 1.8 promote --full: remaining steps skipped, straight to 100%.
TEST_F(CanaryTest, PromoteFullSkipsEverything) {
  Start(Basic({{{"setWeight", 25}},
               {{"pause", Json::object()}},
               {{"setWeight", 50}},
               {{"pause", Json::object()}}}));
  ASSERT_EQ(Phase("web"), "Paused");
  ASSERT_TRUE(controller.Promote(Key("web"), true).ok());
  Run(200);
  EXPECT_EQ(StableHash("web"), canary);
  EXPECT_EQ(StepIndex("web"), 4);
  EXPECT_FALSE(BoolAt(Status("web"), {"promoteFull"}));
  EXPECT_EQ(Phase("web"), "Healthy");
  EXPECT_EQ(Replicas("web", stable), 0);
}

// Reference 1.8 abort (basic canary: weight 0, rolling back to stable; Degraded,
// RolloutAborted) and retry (from step 0 again).
TEST_F(CanaryTest, AbortThenRetry) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}}));
  ASSERT_TRUE(controller.Abort(Key("web")).ok());
  Run(150);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_EQ(Health("web"), "Degraded");
  EXPECT_EQ(Replicas("web", canary), 0);
  EXPECT_EQ(Replicas("web", stable), 4);
  EXPECT_EQ(StepIndex("web"), 0);
  const Json status = Status("web");
  const Json* progressing = nullptr;
  for (const Json& c : status["conditions"]) {
    if (c["type"] == "Progressing") progressing = &c;
  }
  ASSERT_NE(progressing, nullptr);
  EXPECT_EQ((*progressing)["reason"], "RolloutAborted");
  EXPECT_EQ((*progressing)["message"], "Rollout aborted update to revision 2");
  ASSERT_EQ(Events("RolloutAborted").size(), 1u);

  ASSERT_TRUE(controller.Retry(Key("web")).ok());
  Run(200);
  EXPECT_FALSE(BoolAt(Status("web"), {"abort"}));
  EXPECT_EQ(Replicas("web", canary), 1);
  EXPECT_EQ(Phase("web"), "Paused");
  EXPECT_EQ(StepIndex("web"), 1);
}

// Reference 1.8 pause: spec.paused → Paused "manually paused"; promote unpauses.
TEST_F(CanaryTest, PauseActionHoldsTheRollout) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", {{"duration", 60}}}}, {{"setWeight", 50}}}));
  ASSERT_TRUE(controller.Pause(Key("web")).ok());
  Run(400);
  EXPECT_EQ(Phase("web"), "Paused");
  EXPECT_EQ(StringAt(Status("web"), {"message"}), "manually paused");
  EXPECT_EQ(StepIndex("web"), 1);
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(500);
  EXPECT_EQ(StableHash("web"), canary);
}

// Reference 1.4 analysis step and 1.12 "How the Rollout reacts"; rollout/analysis.go
// newAnalysisRunFromRollout names the run <rollout>-<hash>-<revision>-<step>.
TEST_F(CanaryTest, AnalysisStepSuccessfulMovesOn) {
  Apply(Template("success-rate"));
  Json analysis = {{"templates", {{{"templateName", "success-rate"}}}},
                   {"args", {{{"name", "service"}, {"value", "web"}}}}};
  Start(Basic({{{"setWeight", 25}}, {{"analysis", analysis}}, {{"setWeight", 50}}}));
  std::string run = "web-" + canary + "-2-1";
  ASSERT_EQ(RunNames(), std::vector<std::string>{run});
  const LiveObject* ar = store.Find({"argoproj.io", "AnalysisRun", "default", run});
  EXPECT_EQ(StringAt(ar->doc(), {"metadata", "labels", "rollout-type"}), "Step");
  EXPECT_EQ(StringAt(ar->doc(), {"metadata", "labels", "step-index"}), "1");
  EXPECT_EQ(StringAt(ar->doc(), {"metadata", "labels", "rollouts-pod-template-hash"}), canary);
  EXPECT_EQ(JsonAt(ar->doc(), {"spec", "args"}),
            Json::parse(R"([{"name":"service","value":"web"}])"));
  EXPECT_EQ(ar->doc()["spec"]["metrics"][0].value("name", ""), "success-rate");
  EXPECT_EQ(Phase("web"), "Progressing");  // analysis runs: not Paused
  FinishRun(run, "Successful");
  Run(200);
  EXPECT_EQ(StableHash("web"), canary);
}

TEST_F(CanaryTest, AnalysisStepFailedAborts) {
  Apply(Template("success-rate"));
  Json analysis = {{"templates", {{{"templateName", "success-rate"}}}},
                   {"args", {{{"name", "service"}, {"value", "web"}}}}};
  Start(Basic({{{"setWeight", 25}}, {{"analysis", analysis}}, {{"setWeight", 50}}}));
  FinishRun("web-" + canary + "-2-1", "Failed", "Metric \"success-rate\" assessed Failed");
  Run(200);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_TRUE(BoolAt(Status("web"), {"abort"}));
  EXPECT_EQ(Replicas("web", canary), 0);
  ASSERT_EQ(Events("RolloutAborted").size(), 1u);
  EXPECT_NE(Events("RolloutAborted")[0].find("Step-based analysis phase error/failed"),
            std::string::npos);
}

TEST_F(CanaryTest, AnalysisStepInconclusivePauses) {
  Apply(Template("success-rate"));
  Json analysis = {{"templates", {{{"templateName", "success-rate"}}}},
                   {"args", {{{"name", "service"}, {"value", "web"}}}}};
  Start(Basic({{{"setWeight", 25}}, {{"analysis", analysis}}, {{"setWeight", 50}}}));
  FinishRun("web-" + canary + "-2-1", "Inconclusive");
  Run(200);
  EXPECT_EQ(Phase("web"), "Paused");
  EXPECT_EQ(StringAt(Status("web"), {"message"}), "InconclusiveAnalysisRun");
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());  // skips the analysis step
  Run(300);
  EXPECT_EQ(StableHash("web"), canary);
}

// Reference 1.7: background analysis starts at startingStep; Failed → abort.
TEST_F(CanaryTest, BackgroundAnalysisFromStartingStep) {
  Apply(Template("success-rate"));
  Json strategy = Basic({{{"setWeight", 25}},
                         {{"pause", Json::object()}},
                         {{"setWeight", 50}},
                         {{"pause", Json::object()}}});
  strategy["canary"]["analysis"] = {{"templates", {{{"templateName", "success-rate"}}}},
                                    {"startingStep", 2},
                                    {"args", {{{"name", "service"}, {"value", "web"}}}}};
  Start(strategy);
  EXPECT_TRUE(RunNames().empty());  // step 1 < startingStep
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(200);
  std::string run = "web-" + canary + "-2";
  ASSERT_EQ(RunNames(), std::vector<std::string>{run});
  EXPECT_EQ(StringAt(store.Find({"argoproj.io", "AnalysisRun", "default", run})->doc(),
                     {"metadata", "labels", "rollout-type"}),
            "Background");
  FinishRun(run, "Failed");
  Run(260);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_EQ(Replicas("web", canary), 0);
  EXPECT_EQ(Events("RolloutAborted").size(), 1u);
}

// Reference 1.6: with a router the canary is ceil(W·R/100), the stable stays at R, the weight
// follows the canary's availability; after promotion the old stable waits scaleDownDelaySeconds
// (30 s) before it is scaled to 0. TrafficSplit reads the router's weight.
TEST_F(CanaryTest, TrafficRoutedSetWeightAndScaleDownDelay) {
  Apply(Service("web-canary", "web"));
  Apply(Service("web-stable", "web"));
  Json strategy = Basic({{{"setWeight", 30}}, {{"pause", Json::object()}}});
  strategy["canary"]["canaryService"] = "web-canary";
  strategy["canary"]["stableService"] = "web-stable";
  strategy["canary"]["trafficRouting"] = {{"nginx", {{"stableIngress", "web"}}}};
  Start(strategy);
  EXPECT_EQ(Replicas("web", canary), 2);  // ceil(0.3 · 4)
  EXPECT_EQ(Replicas("web", stable), 4);
  EXPECT_EQ(IntAt(Status("web"), {"canary", "weights", "canary", "weight"}, -1), 30);
  EXPECT_EQ(StringAt(store.Find({"", "Service", "default", "web-canary"})->doc(),
                     {"spec", "selector", "rollouts-pod-template-hash"}),
            canary);
  EXPECT_EQ(StringAt(store.Find({"", "Service", "default", "web-stable"})->doc(),
                     {"spec", "selector", "rollouts-pod-template-hash"}),
            stable);
  std::optional<TrafficSplit> split = controller.Split(Key("web"));
  ASSERT_TRUE(split);
  EXPECT_TRUE(split->traffic_routed);
  EXPECT_EQ(split->canary_hash, canary);
  EXPECT_EQ(split->canary_weight_percent, 30);
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(130);
  EXPECT_EQ(StableHash("web"), canary);
  EXPECT_EQ(Replicas("web", stable), 4);  // waiting out the delay
  Run(160);
  EXPECT_EQ(Replicas("web", stable), 0);
  EXPECT_EQ(controller.Split(Key("web"))->canary_weight_percent, 0);
}

// Reference 1.6 setCanaryScale replicas (trafficRouting only).
TEST_F(CanaryTest, SetCanaryScaleWithRouter) {
  Json strategy = Basic(
      {{{"setCanaryScale", {{"replicas", 3}}}}, {{"setWeight", 10}}, {{"pause", Json::object()}}});
  strategy["canary"]["trafficRouting"] = {{"nginx", {{"stableIngress", "web"}}}};
  Start(strategy);
  EXPECT_EQ(StepIndex("web"), 2);
  EXPECT_EQ(Replicas("web", canary), 3);
  EXPECT_EQ(IntAt(Status("web"), {"canary", "weights", "canary", "weight"}, -1), 10);
}

// Reference 1.6 dynamicStableScale: the stable shrinks to ceil((100−W)·R/100) once the router's
// weight has left it; after promotion it goes to 0 at once (no scale-down delay).
TEST_F(CanaryTest, DynamicStableScale) {
  Json strategy = Basic({{{"setWeight", 50}}, {{"pause", Json::object()}}});
  strategy["canary"]["trafficRouting"] = {{"nginx", {{"stableIngress", "web"}}}};
  strategy["canary"]["dynamicStableScale"] = true;
  Start(strategy);
  EXPECT_EQ(Replicas("web", canary), 2);
  EXPECT_EQ(Replicas("web", stable), 2);
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(120);
  EXPECT_EQ(StableHash("web"), canary);
  EXPECT_EQ(Replicas("web", canary), 4);
  EXPECT_EQ(Replicas("web", stable), 0);
}

// rollout/controller.go getReferencedAnalysisTemplates: a missing template is InvalidSpec, and
// the Rollout is Degraded (reference 1.10).
TEST_F(CanaryTest, MissingTemplateIsInvalidSpec) {
  Json analysis = {{"templates", {{{"templateName", "absent"}}}}};
  Apply(Rollout("web", 2, "web:1", Basic({{{"analysis", analysis}}})));
  Run(10);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_NE(
      StringAt(Status("web"), {"message"}).find("InvalidSpec: The Rollout \"web\" is invalid"),
      std::string::npos);
  EXPECT_EQ(Health("web"), "Degraded");
}

// Basic canary split for the traffic model: available-pod share.
TEST_F(CanaryTest, SplitWithoutRouterIsAvailablePodShare) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}}));
  std::optional<TrafficSplit> split = controller.Split(Key("web"));
  ASSERT_TRUE(split);
  EXPECT_FALSE(split->traffic_routed);
  EXPECT_EQ(split->canary_available, 1);
  EXPECT_EQ(split->stable_available, 3);
  EXPECT_EQ(split->canary_weight_percent, 25);
}

// Reference 1.9 / rollout/sync.go evaluateProgressDeadlineAbort: a canary whose image never
// starts times out progressDeadlineSeconds after its last progress; with progressDeadlineAbort
// it is aborted ("ReplicaSet ... has timed out progressing.").
TEST_F(CanaryTest, ProgressDeadlineExceeded) {
  workloads.SetImagePullFailing("web:2", true);
  Json strategy = Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}});
  Json doc = Rollout("web", 4, "web:1", strategy);
  doc["spec"]["progressDeadlineSeconds"] = 120;
  Apply(doc);
  Run(60);
  doc["spec"]["template"]["spec"]["containers"][0]["image"] = "web:2";
  Apply(doc);
  Run(150);
  EXPECT_EQ(Phase("web"), "Progressing");
  Run(300);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_NE(StringAt(Status("web"), {"message"}).find("ProgressDeadlineExceeded"),
            std::string::npos);
  EXPECT_FALSE(BoolAt(Status("web"), {"abort"}));
}

TEST_F(CanaryTest, ProgressDeadlineAbort) {
  workloads.SetImagePullFailing("web:2", true);
  Json doc = Rollout("web", 4, "web:1", Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}}));
  doc["spec"]["progressDeadlineSeconds"] = 120;
  doc["spec"]["progressDeadlineAbort"] = true;
  Apply(doc);
  Run(60);
  doc["spec"]["template"]["spec"]["containers"][0]["image"] = "web:2";
  Apply(doc);
  Run(300);
  std::string hash = CurrentHash("web");
  EXPECT_TRUE(BoolAt(Status("web"), {"abort"}));
  EXPECT_EQ(Phase("web"), "Degraded");
  ASSERT_EQ(Events("RolloutAborted").size(), 1u);
  EXPECT_NE(Events("RolloutAborted")[0].find("has timed out progressing."), std::string::npos);
  EXPECT_EQ(Replicas("web", hash), 0);
}

// Reference 1.3 fast rollback: the template back to stable mid-update skips the steps.
TEST_F(CanaryTest, FastRollbackToStable) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}}));
  SetImage("web", "web:1");
  Run(200);
  EXPECT_EQ(CurrentHash("web"), stable);
  EXPECT_EQ(StepIndex("web"), 2);
  EXPECT_EQ(Phase("web"), "Healthy");
  EXPECT_EQ(Replicas("web", canary), 0);
  EXPECT_TRUE(Events("RolloutAborted").empty());
  EXPECT_EQ(StringAt(store.Find({"apps", "ReplicaSet", "default", "web-" + stable})->doc(),
                     {"metadata", "annotations", "rollout.argoproj.io/revision"}),
            "3");
}

// Reference 1.3: V3 over an in-flight V2: V2 scaled to 0, steps restart, stable unchanged.
TEST_F(CanaryTest, NewTemplateMidRollout) {
  Start(Basic({{{"setWeight", 25}}, {{"pause", Json::object()}}}));
  SetImage("web", "web:3");
  Run(200);
  std::string v3 = CurrentHash("web");
  EXPECT_NE(v3, canary);
  EXPECT_EQ(StableHash("web"), stable);
  EXPECT_EQ(Replicas("web", canary), 0);
  EXPECT_EQ(Replicas("web", v3), 1);
  EXPECT_EQ(StepIndex("web"), 1);
  EXPECT_EQ(Phase("web"), "Paused");
}

}  // namespace
}  // namespace fleetsim::rollouts::testing
