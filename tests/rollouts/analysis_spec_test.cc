// AnalysisTemplate / AnalysisRun specs. Reference 1.12; argo-rollouts utils/analysis/helpers.go
// (MergeArgs, GetDryRunMetrics), utils/analysis/factory.go (ValidateMetric), utils/template
// (ResolveArgs), analysis/analysis.go (reconcileAnalysisRun) and
// pkg/apis/rollouts/validation/validation_references.go.
#include "sim/rollouts/analysis_spec.h"

#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

AnalysisSpec Doc(const std::string& text) {
  Result<AnalysisSpec> spec = ParseAnalysisDocument(json::parse(text));
  EXPECT_TRUE(spec.ok()) << (spec.ok() ? "" : spec.error());
  return spec.ok() ? *spec : AnalysisSpec{};
}

const char* kTemplate = R"js({
  "apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
  "metadata": {"name": "success-rate"},
  "spec": {
    "args": [{"name": "service-name"}, {"name": "threshold", "value": "0.95"},
             {"name": "api-token", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
    "metrics": [{
      "name": "success-rate", "interval": "5m", "count": 3, "failureLimit": 1,
      "successCondition": "result[0] >= {{args.threshold}}",
      "provider": {"prometheus": {"address": "http://prometheus:9090",
                                  "query": "sum(rate(x{service=\"{{ args.service-name }}\"}[5m]))"}}
    }]
  }})js";

TEST(AnalysisSpecTest, ParsesTemplate) {
  AnalysisSpec spec = Doc(kTemplate);
  EXPECT_EQ(spec.kind, "AnalysisTemplate");
  EXPECT_EQ(spec.name, "success-rate");
  ASSERT_EQ(spec.args.size(), 3u);
  EXPECT_FALSE(spec.args[0].value.has_value());
  EXPECT_EQ(spec.args[1].value, "0.95");
  EXPECT_TRUE(spec.args[2].value_from.contains("secretKeyRef"));
  EXPECT_EQ(spec.metrics.size(), 1u);
}

// Reference 1.1: failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4.
TEST(AnalysisSpecTest, MetricDefaults) {
  Result<Metric> m = ParseMetric(json{{"name", "m"}, {"provider", {{"web", json::object()}}}});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->FailureLimit(), 0);
  EXPECT_EQ(m->InconclusiveLimit(), 0);
  EXPECT_EQ(m->ConsecutiveErrorLimit(), 4);
  EXPECT_EQ(m->ConsecutiveSuccessLimit(), 0);
  EXPECT_EQ(m->provider, "web");
}

// Metric.EffectiveCount (reference 1.12 "Effective count").
TEST(AnalysisSpecTest, EffectiveCount) {
  Metric m;
  EXPECT_EQ(m.EffectiveCount(), 1);
  m.interval = SimDuration::Minutes(1);
  EXPECT_EQ(m.EffectiveCount(), std::nullopt);
  m.count = 5;
  EXPECT_EQ(m.EffectiveCount(), 5);
}

TEST(AnalysisSpecTest, ParsesDurationsAndIntOrStringCounts) {
  Result<Metric> m = ParseMetric(json::parse(R"({"name": "m", "interval": "30s",
      "initialDelay": "1m", "count": "4", "inconclusiveLimit": 2,
      "consecutiveErrorLimit": "0", "provider": {"job": {}}})"));
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->interval, SimDuration::Seconds(30));
  EXPECT_EQ(m->initial_delay, SimDuration::Minutes(1));
  EXPECT_EQ(m->count, 4);
  EXPECT_EQ(m->InconclusiveLimit(), 2);
  EXPECT_EQ(m->ConsecutiveErrorLimit(), 0);
}

// DurationString.Duration is Go's time.ParseDuration: a unit is required.
TEST(AnalysisSpecTest, BadDurationsAreErrors) {
  EXPECT_EQ(ParseMetric(json{{"name", "m"}, {"interval", "30"}}).error(),
            "invalid interval string: time: missing unit in duration \"30\"");
  EXPECT_EQ(ParseMetric(json{{"name", "m"}, {"interval", "1d"}}).error(),
            "invalid interval string: time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(ParseMetric(json{{"name", "m"}, {"initialDelay", "soon"}}).error(),
            "invalid startDelay string: time: invalid duration \"soon\"");
  EXPECT_EQ(ParseMetric(json{{"name", "m"}, {"count", "x"}}).error(),
            "count: expected an integer, got \"x\"");
}

TEST(AnalysisSpecTest, ProviderMustBeKnownAndSingle) {
  EXPECT_EQ(ParseMetric(json::parse(R"({"name": "m", "provider": {"nagios": {}}})")).error(),
            "provider: unknown provider \"nagios\"");
  EXPECT_EQ(
      ParseMetric(json::parse(R"({"name": "m", "provider": {"web": {}, "job": {}}})")).error(),
      "multiple providers specified");
}

// Reference 1.12 "Args": {{args.name}} substitution; spaces inside the tag are trimmed.
TEST(AnalysisSpecTest, SubstitutesArgs) {
  std::vector<AnalysisArg> args = {{.name = "svc", .value = "web"},
                                   {.name = "ns", .value = "prod"}};
  EXPECT_EQ(*SubstituteArgs("rate{service=\"{{args.svc}}\",ns=\"{{ args.ns }}\"}", args),
            "rate{service=\"web\",ns=\"prod\"}");
  EXPECT_EQ(*SubstituteArgs("no tags", args), "no tags");
}

TEST(AnalysisSpecTest, SubstitutionErrors) {
  std::vector<AnalysisArg> args = {{.name = "svc", .value = "web"}};
  EXPECT_EQ(SubstituteArgs("{{args.other}}", args).error(), "failed to resolve {{args.other}}");
  EXPECT_EQ(SubstituteArgs("{{args.svc", args).error(),
            "cannot find end tag=\"}}\" in the template=\"{{args.svc\"");
  args.push_back({.name = "missing"});
  EXPECT_EQ(SubstituteArgs("{{args.svc}}", args).error(), "argument \"missing\" was not supplied");
}

// helpers.go MergeArgs: the Rollout's values override; unresolved args are errors.
TEST(AnalysisSpecTest, MergeArgs) {
  AnalysisSpec tmpl = Doc(kTemplate);
  Result<std::vector<AnalysisArg>> merged =
      MergeArgs({{.name = "service-name", .value = "web"}, {.name = "threshold", .value = "0.99"}},
                tmpl.args);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ((*merged)[0].value, "web");
  EXPECT_EQ((*merged)[1].value, "0.99");
  EXPECT_EQ(MergeArgs({}, tmpl.args).error(), "args.service-name was not resolved");
}

TEST(AnalysisSpecTest, ResolveMetricsSubstitutesEverywhere) {
  AnalysisSpec run = Doc(kTemplate);
  run.args[0].value = "web";
  Result<std::vector<Metric>> metrics = ResolveMetrics(run);
  ASSERT_TRUE(metrics.ok()) << metrics.error();
  EXPECT_EQ((*metrics)[0].success_condition, "result[0] >= 0.95");
  EXPECT_EQ((*metrics)[0].provider_spec["query"], "sum(rate(x{service=\"web\"}[5m]))");
}

// analysis.go: an unresolvable arg puts the run in Error with this message.
TEST(AnalysisSpecTest, ResolveMetricsReportsRunErrors) {
  AnalysisSpec run = Doc(kTemplate);
  EXPECT_EQ(ResolveMetrics(run).error(),
            "Unable to resolve metric arguments: argument \"service-name\" was not supplied");
  run.args[0].value = "web";
  run.metrics[0]["count"] = 5;
  run.metrics[0].erase("interval");
  EXPECT_EQ(ResolveMetrics(run).error(),
            "Analysis spec invalid: metrics[0]: interval must be specified when count > 1");
  run.metrics[0]["interval"] = "5";
  EXPECT_EQ(ResolveMetrics(run).error(),
            "Analysis spec invalid: metrics[0]: invalid interval string: time: missing unit in "
            "duration \"5\"");
}

// factory.go ValidateMetric.
TEST(AnalysisSpecTest, ValidateMetricRules) {
  auto error = [](Metric m) {
    if (m.provider.empty()) m.provider = "web";
    Status s = ValidateMetrics({m});
    return s.ok() ? std::string() : s.message();
  };
  EXPECT_EQ(error({.name = "m", .failure_limit = -2}),
            "metrics[0]: failureLimit must be >= 0, or -1 to be disabled");
  EXPECT_EQ(error({.name = "m", .failure_limit = -1}),
            "metrics[0]: failureLimit and consecutiveSuccessLimit cannot both be disabled");
  EXPECT_EQ(
      error({.name = "m", .interval = SimDuration::Seconds(1), .count = 2, .failure_limit = 3}),
      "metrics[0]: count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if "
      "both >= 0");
  EXPECT_EQ(
      error(
          {.name = "m", .interval = SimDuration::Seconds(1), .count = 2, .inconclusive_limit = 3}),
      "metrics[0]: count must be >= inconclusiveLimit");
  EXPECT_EQ(ValidateMetrics({}).message(), "no metrics specified");
  EXPECT_EQ(ValidateMetrics({{.name = "a", .provider = "web"}, {.name = "a", .provider = "web"}})
                .message(),
            "metrics[1]: duplicate name 'a'");
  EXPECT_EQ(ValidateMetrics({{.name = "a"}}).message(), "metrics[0]: no provider specified");
}

// helpers.go GetDryRunMetrics: unanchored regex match; a rule matching nothing is an error.
TEST(AnalysisSpecTest, DryRunMetrics) {
  AnalysisSpec run;
  run.dry_run = {"latency"};
  std::vector<Metric> metrics = {{.name = "p99-latency"}, {.name = "errors"}};
  Result<std::set<std::string>> names = DryRunMetrics(run, metrics);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::set<std::string>{"p99-latency"}));
  run.dry_run = {".*"};
  EXPECT_EQ(DryRunMetrics(run, metrics)->size(), 2u);
  run.dry_run = {"cpu"};
  EXPECT_EQ(DryRunMetrics(run, metrics).error(), "dryRun[0]: Rule didn't match any metric name(s)");
  run.dry_run = {"("};
  EXPECT_FALSE(DryRunMetrics(run, metrics).ok());
}

// Reference 1.4 / 5.6: a step analysis metric with interval and no count is InvalidSpec.
TEST(AnalysisSpecTest, StepAnalysisMustTerminate) {
  AnalysisSpec tmpl = Doc(R"({"kind": "AnalysisTemplate", "metadata": {"name": "bg"},
      "spec": {"metrics": [{"name": "rate", "interval": "1m",
                            "provider": {"prometheus": {"query": "q"}}}]}})");
  EXPECT_EQ(ValidateStepAnalysisTemplate(2, tmpl).message(),
            "spec.strategy.canary.steps[2].analysis.templates: Invalid value: \"bg\": "
            "AnalysisTemplate bg has metric rate which runs indefinitely. Invalid value for "
            "count: <nil>");
  tmpl.metrics[0]["count"] = 0;
  EXPECT_NE(ValidateStepAnalysisTemplate(2, tmpl).message().find("Invalid value for count: 0"),
            std::string::npos);
  tmpl.metrics[0]["count"] = 3;
  EXPECT_TRUE(ValidateStepAnalysisTemplate(2, tmpl).ok());
}

TEST(AnalysisSpecTest, StepAnalysisArgsGetPlaceholders) {
  AnalysisSpec tmpl = Doc(kTemplate);  // service-name has no value
  EXPECT_TRUE(ValidateStepAnalysisTemplate(0, tmpl).ok());
}

// The acceptance case: an analysis step whose template metric has an interval and no count
// makes the Rollout InvalidSpec (reference 1.4, 5.6).
TEST(AnalysisSpecTest, RolloutReferencesIndefiniteStepMetric) {
  Result<RolloutSpec> rollout = ParseRollout(json::parse(R"({"spec": {"strategy": {"canary": {
      "steps": [{"setWeight": 20}, {"analysis": {"templates": [{"templateName": "bg"}]}}]}}}})"));
  ASSERT_TRUE(rollout.ok());
  AnalysisSpec bg = Doc(R"({"metadata": {"name": "bg"}, "spec": {"metrics": [
      {"name": "rate", "interval": "1m", "provider": {"web": {}}}]}})");
  auto lookup = [&](const AnalysisTemplateRef& ref) -> const AnalysisSpec* {
    return ref.template_name == "bg" ? &bg : nullptr;
  };
  Status s = ValidateAnalysisReferences(*rollout, lookup);
  EXPECT_EQ(InvalidSpecMessage("web", s.message()),
            "The Rollout \"web\" is invalid: spec.strategy.canary.steps[1].analysis.templates: "
            "Invalid value: \"bg\": AnalysisTemplate bg has metric rate which runs indefinitely. "
            "Invalid value for count: <nil>");
  // The same template is fine as background analysis.
  rollout->strategy.steps.pop_back();
  rollout->strategy.analysis = RolloutAnalysis{.templates = {{.template_name = "bg"}}};
  EXPECT_TRUE(ValidateAnalysisReferences(*rollout, lookup).ok());
}

TEST(AnalysisSpecTest, RolloutReferencesMissingTemplateAndArgs) {
  RolloutSpec rollout;
  rollout.canary = true;
  rollout.strategy.analysis =
      RolloutAnalysis{.templates = {{.template_name = "missing", .cluster_scope = true}}};
  auto none = [](const AnalysisTemplateRef&) -> const AnalysisSpec* { return nullptr; };
  EXPECT_EQ(ValidateAnalysisReferences(rollout, none).message(),
            "spec.strategy.canary.analysis.templates: Invalid value: \"missing\": "
            "ClusterAnalysisTemplate 'missing' not found");
  AnalysisSpec tmpl = Doc(kTemplate);
  auto found = [&](const AnalysisTemplateRef&) -> const AnalysisSpec* { return &tmpl; };
  EXPECT_EQ(ValidateAnalysisReferences(rollout, found).message(),
            "spec.strategy.canary.analysis.templates: Invalid value: \"success-rate\": missing "
            "analysis arguments in rollout spec");
  rollout.strategy.analysis->args = {{.name = "other", .value = "x"}};
  EXPECT_EQ(ValidateAnalysisReferences(rollout, found).message(),
            "spec.strategy.canary.analysis.templates: Invalid value: \"success-rate\": "
            "service-name");
  rollout.strategy.analysis->args = {{.name = "service-name", .value = "web"}};
  EXPECT_TRUE(ValidateAnalysisReferences(rollout, found).ok());
}

TEST(AnalysisSpecTest, MalformedDocumentsAreErrors) {
  EXPECT_EQ(ParseAnalysisDocument(json::parse(R"({"spec": {"metrics": {}}})")).error(),
            "spec.metrics: expected a list, got {}");
  EXPECT_EQ(ParseAnalysisDocument(json::parse(R"({"spec": {"args": [{"name": 3}]}})")).error(),
            "spec.args[0].name: expected a string, got 3");
  EXPECT_EQ(ParseAnalysisDocument(json::parse(R"({"spec": {"metrics": [1]}})")).error(),
            "spec.metrics[0]: expected an object, got 1");
  EXPECT_EQ(ParseAnalysisDocument(json::parse(R"({"spec": {"terminate": "yes"}})")).error(),
            "spec.terminate: expected a bool, got \"yes\"");
  EXPECT_FALSE(ParseAnalysisDocument(json(3)).ok());
}

TEST(AnalysisSpecTest, RunSpecTerminateAndDryRun) {
  AnalysisSpec run = Doc(R"({"kind": "AnalysisRun", "spec": {"terminate": true,
      "dryRun": [{"metricName": "m.*"}], "metrics": []}})");
  EXPECT_TRUE(run.terminate);
  EXPECT_EQ(run.dry_run, std::vector<std::string>{"m.*"});
}

}  // namespace
}  // namespace fleetsim::rollouts
