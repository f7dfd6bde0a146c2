// Parsing and validating a canary Rollout. Reference 1.1, 1.4, 5.1; argo-rollouts
// utils/defaults/defaults.go, pkg/apis/rollouts/v1alpha1/types.go (RolloutPause.DurationSeconds)
// and pkg/apis/rollouts/validation/validation.go.
#include "sim/rollouts/canary_strategy.h"

#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

RolloutSpec MustParse(const std::string& text) {
  Result<RolloutSpec> spec = ParseRollout(json::parse(text));
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error());
  return spec.ok() ? *spec : RolloutSpec{};
}

std::string ParseError(const std::string& text) {
  Result<RolloutSpec> spec = ParseRollout(json::parse(text));
  EXPECT_FALSE(spec.ok());
  return spec.ok() ? "" : spec.error();
}

std::string ValidationError(const std::string& text) {
  RolloutSpec spec = MustParse(text);
  Status s = ValidateRollout(spec);
  EXPECT_FALSE(s.ok());
  return s.message();
}

// Reference 1.1 defaults table.
TEST(CanaryStrategyTest, Defaults) {
  RolloutSpec spec = MustParse(R"({"spec": {"strategy": {"canary": {}}}})");
  EXPECT_EQ(spec.replicas, 1);
  EXPECT_EQ(spec.revision_history_limit, 10);
  EXPECT_EQ(spec.progress_deadline_seconds, 600);
  EXPECT_FALSE(spec.progress_deadline_abort);
  EXPECT_TRUE(spec.canary);
  EXPECT_TRUE(spec.strategy.max_surge.percent);
  EXPECT_EQ(spec.strategy.max_surge.value, 25);
  EXPECT_EQ(spec.strategy.max_unavailable.value, 25);
  EXPECT_EQ(spec.strategy.max_traffic_weight, 100);
  EXPECT_EQ(spec.strategy.ScaleDownDelaySeconds(), 0);  // ignored without a router
  EXPECT_TRUE(ValidateRollout(spec).ok());
}

// defaults.go: scaleDownDelaySeconds and abortScaleDownDelaySeconds default to 30 with a router;
// an explicit 0 abort delay means "never".
TEST(CanaryStrategyTest, RouterDelayDefaults) {
  RolloutSpec spec = MustParse(R"({"spec": {"strategy": {"canary": {"trafficRouting": {}}}}})");
  EXPECT_EQ(spec.strategy.ScaleDownDelaySeconds(), 30);
  EXPECT_EQ(spec.strategy.AbortScaleDownDelaySeconds(), 30);
  EXPECT_FALSE(spec.strategy.HasExplicitAbortScaleDownDelay());
  spec.strategy.abort_scale_down_delay_seconds = 0;
  EXPECT_EQ(spec.strategy.AbortScaleDownDelaySeconds(), std::nullopt);
  spec.strategy.abort_scale_down_delay_seconds = 60;
  EXPECT_EQ(spec.strategy.AbortScaleDownDelaySeconds(), 60);
  EXPECT_TRUE(spec.strategy.HasExplicitAbortScaleDownDelay());
}

TEST(CanaryStrategyTest, ParsesTopLevelFieldsAndName) {
  RolloutSpec spec = MustParse(R"({"metadata": {"name": "web"}, "spec": {"replicas": 5,
      "progressDeadlineSeconds": 120, "progressDeadlineAbort": true, "paused": true,
      "strategy": {"canary": {"maxSurge": "50%", "maxUnavailable": 0,
                              "dynamicStableScale": true, "minPodsPerReplicaSet": 2,
                              "trafficRouting": {"maxTrafficWeight": 1000},
                              "analysis": {"templates": [{"templateName": "rate"}],
                                           "startingStep": 2}}}}})");
  EXPECT_EQ(spec.name, "web");
  EXPECT_EQ(spec.replicas, 5);
  EXPECT_EQ(spec.progress_deadline_seconds, 120);
  EXPECT_TRUE(spec.progress_deadline_abort);
  EXPECT_TRUE(spec.paused);
  EXPECT_EQ(spec.strategy.max_surge.value, 50);
  EXPECT_FALSE(spec.strategy.max_unavailable.percent);
  EXPECT_TRUE(spec.strategy.dynamic_stable_scale);
  EXPECT_EQ(spec.strategy.min_pods_per_replica_set, 2);
  EXPECT_EQ(spec.strategy.max_traffic_weight, 1000);
  ASSERT_TRUE(spec.strategy.analysis.has_value());
  EXPECT_EQ(spec.strategy.analysis->templates[0].template_name, "rate");
  EXPECT_EQ(spec.strategy.analysis->starting_step, 2);
}

TEST(CanaryStrategyTest, ParsesEveryStepKind) {
  RolloutSpec spec = MustParse(R"({"spec": {"strategy": {"canary": {"trafficRouting": {},
      "steps": [{"setWeight": 20}, {"pause": {}}, {"pause": {"duration": 30}},
                {"analysis": {"templates": [{"templateName": "t", "clusterScope": true}],
                              "args": [{"name": "svc", "value": "web"}]}},
                {"setCanaryScale": {"replicas": 3}}, {"experiment": {"duration": "5m"}},
                {"setHeaderRoute": {"name": "h"}}, {"setMirrorRoute": {"name": "m"}},
                {"plugin": {"name": "p"}}]}}}})");
  const auto& steps = spec.strategy.steps;
  ASSERT_EQ(steps.size(), 9u);
  EXPECT_EQ(steps[0].kind, StepKind::kSetWeight);
  EXPECT_EQ(steps[0].set_weight, 20);
  EXPECT_EQ(steps[1].kind, StepKind::kPause);
  EXPECT_FALSE(steps[1].pause_duration.has_value());
  EXPECT_EQ(steps[2].pause_duration, SimDuration::Seconds(30));
  EXPECT_EQ(steps[3].kind, StepKind::kAnalysis);
  EXPECT_TRUE(steps[3].analysis.templates[0].cluster_scope);
  EXPECT_EQ(steps[3].analysis.args[0].value, "web");
  EXPECT_EQ(steps[4].set_canary_scale.replicas, 3);
  EXPECT_EQ(steps[5].kind, StepKind::kExperiment);
  EXPECT_EQ(steps[5].body["duration"], "5m");
  EXPECT_EQ(steps[6].kind, StepKind::kSetHeaderRoute);
  EXPECT_EQ(steps[7].kind, StepKind::kSetMirrorRoute);
  EXPECT_EQ(steps[8].kind, StepKind::kPlugin);
  EXPECT_EQ(StepKindName(steps[4].kind), "setCanaryScale");
  EXPECT_TRUE(ValidateRollout(spec).ok());
}

// RolloutPause.DurationSeconds: int seconds, a bare number string, or a Go duration.
TEST(CanaryStrategyTest, PauseDurationForms) {
  struct Case {
    json duration;
    int64_t seconds;
  };
  const Case cases[] = {{30, 30},        {"45", 45},  {"30s", 30}, {"5m", 300},  {"1h", 3600},
                        {"1h30m", 5400}, {"1.5s", 1}, {"1d", -1},  {"soon", -1}, {"-5s", -1}};
  for (const Case& c : cases) {
    Result<CanaryStep> step = ParseCanaryStep(json{{"pause", {{"duration", c.duration}}}}, 0);
    ASSERT_TRUE(step.ok()) << c.duration;
    EXPECT_EQ(step->pause_seconds, c.seconds) << c.duration;
    EXPECT_EQ(step->pause_duration.has_value(), c.seconds >= 0) << c.duration;
  }
}

// validation.go: a pause duration that does not parse is InvalidSpec.
TEST(CanaryStrategyTest, BadPauseDurationIsInvalidSpec) {
  EXPECT_EQ(ValidationError(R"({"spec": {"strategy": {"canary": {"steps": [
                {"setWeight": 10}, {"pause": {"duration": "5 minutes"}}]}}}})"),
            "spec.strategy.steps[1].pause.duration: Invalid value: -1: Duration needs to be "
            "greater than 0");
}

TEST(CanaryStrategyTest, SetWeightOutOfRangeIsInvalidSpec) {
  EXPECT_EQ(
      ValidationError(R"({"spec": {"strategy": {"canary": {"steps": [{"setWeight": 110}]}}}})"),
      "spec.strategy.steps[0].setWeight: Invalid value: 110: SetWeight needs to be "
      "between 0 and 100");
}

TEST(CanaryStrategyTest, EmptyStepIsInvalidSpec) {
  std::string error = ValidationError(R"({"spec": {"strategy": {"canary": {"steps": [{}]}}}})");
  EXPECT_EQ(error.rfind("spec.strategy.steps[0]: Invalid value: \"step.Experiment: true", 0), 0u)
      << error;
  EXPECT_NE(error.find("Step must have one of the following set: experiment, setWeight, "
                       "setCanaryScale, plugin or pause"),
            std::string::npos);
}

TEST(CanaryStrategyTest, TwoKindsInOneStepIsInvalidSpec) {
  EXPECT_EQ(
      ValidationError(
          R"({"spec": {"strategy": {"canary": {"steps": [{"setWeight": 5, "pause": {}}]}}}})"),
      "spec.strategy.steps[0]: Invalid value: \"step.Experiment: false step.Pause: true "
      "step.SetWeight: true step.Analysis: false\": Step must have one of the following "
      "set: experiment, setWeight, setCanaryScale, plugin or pause");
}

TEST(CanaryStrategyTest, SetCanaryScaleNeedsARouter) {
  EXPECT_EQ(ValidationError(R"({"spec": {"strategy": {"canary": {"steps": [
                {"setCanaryScale": {"replicas": 1}}]}}}})"),
            "spec.strategy.trafficRouting: Required value: SetCanaryScale requires "
            "TrafficRouting to be set");
}

TEST(CanaryStrategyTest, BothFencepostsZeroIsInvalidSpec) {
  EXPECT_EQ(ValidationError(R"({"spec": {"strategy": {"canary": {"maxSurge": 0,
                "maxUnavailable": "0%"}}}})"),
            "spec.strategy.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:0, "
            "StrVal:\"\"}: MaxSurge and MaxUnavailable both can not be zero");
}

TEST(CanaryStrategyTest, RouterOnlyFieldsWithoutRouterAreInvalidSpec) {
  EXPECT_EQ(ValidationError(R"({"spec": {"strategy": {"canary": {"dynamicStableScale": true}}}})"),
            "spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can "
            "only be used with traffic routing");
  EXPECT_EQ(
      ValidationError(R"({"spec": {"strategy": {"canary": {"scaleDownDelaySeconds": 5}}}})"),
      "spec.strategy.scaleDownDelaySeconds: Invalid value: 5: Canary scaleDownDelaySeconds can "
      "only be used with traffic routing");
}

TEST(CanaryStrategyTest, MissingOrDoubleStrategyIsInvalidSpec) {
  EXPECT_EQ(ValidationError(R"({"spec": {}})"),
            "spec.strategy: Required value: Rollout has missing field '.spec.strategy.canary or "
            ".spec.strategy.blueGreen'");
  EXPECT_EQ(ValidationError(R"({"spec": {"strategy": {"canary": {}, "blueGreen": {}}}})"),
            "spec.strategy: Invalid value: \"blueGreen: true canary: true\": Multiple Strategies "
            "can not be listed");
}

TEST(CanaryStrategyTest, ProgressDeadlineMustExceedMinReadySeconds) {
  EXPECT_EQ(ValidationError(R"({"spec": {"minReadySeconds": 600,
                "strategy": {"canary": {}}}})"),
            "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than "
            "minReadySeconds");
}

TEST(CanaryStrategyTest, InvalidSpecConditionMessage) {
  EXPECT_EQ(InvalidSpecMessage("web", "x: y"), "The Rollout \"web\" is invalid: x: y");
}

// Broken documents are Status errors naming the field, never crashes.
TEST(CanaryStrategyTest, MalformedDocumentsAreErrors) {
  EXPECT_EQ(ParseError(R"({"spec": {"strategy": {"canary": {"steps": [{"rollback": {}}]}}}})"),
            "spec.strategy.canary.steps[0]: unknown step kind \"rollback\"");
  EXPECT_EQ(ParseError(R"({"spec": {"strategy": {"canary": {"steps": [{"setWeight": "x"}]}}}})"),
            "spec.strategy.canary.steps[0].setWeight: expected an integer, got \"x\"");
  EXPECT_EQ(
      ParseError(
          R"({"spec": {"strategy": {"canary": {"steps": [{"pause": {"duration": true}}]}}}})"),
      "spec.strategy.canary.steps[0].pause.duration: expected an integer or a duration "
      "string, got true");
  EXPECT_EQ(ParseError(R"({"spec": {"strategy": {"canary": {"steps": {}}}}})"),
            "spec.strategy.canary.steps: expected a list, got {}");
  EXPECT_EQ(ParseError(R"({"spec": {"strategy": {"canary": {"maxSurge": "lots"}}}})"),
            "spec.strategy.canary.maxSurge: invalid value for IntOrString: invalid value "
            "\"lots\"");
  EXPECT_EQ(ParseError(R"({"spec": {"replicas": 1.5}})"),
            "spec.replicas: expected an integer, got 1.5");
  EXPECT_EQ(ParseError(R"([1])"), "rollout: expected an object, got [1]");
  EXPECT_EQ(
      ParseError(
          R"({"spec": {"strategy": {"canary": {"trafficRouting": {"maxTrafficWeight": 0}}}}})"),
      "spec.strategy.canary.trafficRouting.maxTrafficWeight: must be positive, got 0");
}

}  // namespace
}  // namespace fleetsim::rollouts
