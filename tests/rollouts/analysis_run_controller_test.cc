// The AnalysisRun controller, the traffic model and the Prometheus-like provider together, on one
// cluster's ObjectStore with pods, Services, Rollouts and AnalysisRuns created directly.
// Upstream: argo-rollouts analysis/analysis.go (reconcileAnalysisRun, runMeasurements,
// assessRunStatus, calculateNextReconcileTime), metricproviders/prometheus/prometheus.go
// (processResponse), utils/evaluate/evaluate.go; reference rollouts-secrets.md 1.12.
#include "sim/rollouts/analysis_run_controller.h"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/metrics/fleet_metrics.h"
#include "sim/rollouts/promql.h"
#include "sim/rollouts/traffic_model.h"

namespace fleetsim::rollouts {
namespace {

using json = Json;
using ::testing::HasSubstr;

constexpr char kStable[] = "ghcr.io/acme/checkout:1.8.0";
constexpr char kCanary[] = "ghcr.io/acme/checkout:1.9.0";

// The article's success-rate query, over a service named by an arg.
constexpr char kArticleQuery[] =
    "sum(rate(http_requests_total{app=\"{{args.service-name}}\",code!~\"5..\"}[2m]))\n/\n"
    "sum(rate(http_requests_total{app=\"{{args.service-name}}\"}[2m]))\n";

SimTime At(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

class AnalysisRunControllerTest : public ::testing::Test {
 protected:
  AnalysisRunControllerTest() {
    store_.Bootstrap({"argo-rollouts"});
    spec_.defaults.success_rate = 0.999;
    spec_.images[kCanary].success_rate = 0.9;
    trace_.AddObserver([this](const TraceRecord& r) { metrics_.Observe(r); });
  }

  void Start() {
    traffic_ = std::make_unique<TrafficModel>("c1", sim_, store_, trace_, spec_, 7);
    controller_ = std::make_unique<AnalysisRunController>("c1", sim_, store_, trace_, *traffic_);
  }

  void Create(json doc) { ASSERT_TRUE(store_.Create(Object(std::move(doc))).ok()); }

  void Service(const std::string& name, json selector) {
    Create({{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"selector", std::move(selector)}}}});
  }

  // `n` ready pods of version `hash` running `image`.
  void Pods(const std::string& hash, const std::string& image, int n) {
    for (int i = 0; i < n; ++i) {
      std::string name = "checkout-" + hash + "-" + std::to_string(i);
      Create({{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"name", name},
                {"namespace", "default"},
                {"labels", {{"app", "checkout"}, {"rollouts-pod-template-hash", hash}}}}},
              {"spec", {{"containers", {{{"name", "checkout"}, {"image", image}}}}}}});
      ASSERT_TRUE(store_
                      .UpdateStatus({"", "Pod", "default", name},
                                    {{"phase", "Running"},
                                     {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}})
                      .ok());
    }
  }

  // A Rollout whose stable version is `stable`; with `routed`, a traffic router on `checkout`
  // that sends `canary_weight` percent to `canary`.
  void Rollout(const std::string& stable, bool routed = false, const std::string& canary = "",
               int canary_weight = 0) {
    json strategy = json::object();
    if (routed) {
      strategy = {{"stableService", "checkout"},
                  {"canaryService", "checkout-canary"},
                  {"trafficRouting", {{"nginx", {{"stableIngress", "checkout"}}}}}};
    }
    Create({{"apiVersion", "argoproj.io/v1alpha1"},
            {"kind", "Rollout"},
            {"metadata", {{"name", "checkout"}, {"namespace", "default"}}},
            {"spec",
             {{"selector", {{"matchLabels", {{"app", "checkout"}}}}},
              {"strategy", {{"canary", strategy}}}}}});
    json status = {{"stableRS", stable}};
    if (routed) {
      status["canary"]["weights"] = {
          {"canary", {{"podTemplateHash", canary}, {"weight", canary_weight}}},
          {"stable", {{"podTemplateHash", stable}, {"weight", 100 - canary_weight}}}};
    }
    ASSERT_TRUE(
        store_.UpdateStatus({"argoproj.io", "Rollout", "default", "checkout"}, status).ok());
  }

  // The article's canary mid-way: 6 stable pods and 1 canary pod behind `checkout`.
  void ArticleCanary() {
    Service("checkout", {{"app", "checkout"}});
    Pods("stable1", kStable, 6);
    Pods("canary1", kCanary, 1);
    Rollout("stable1");
    sim_.RunUntil(At(300));  // five minutes of traffic before any analysis
  }

  void Run(const std::string& name, json metrics, json extra = json::object()) {
    json spec = {{"metrics", std::move(metrics)}};
    spec.update(extra);
    Create({{"apiVersion", "argoproj.io/v1alpha1"},
            {"kind", "AnalysisRun"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", spec}});
  }

  static json Metric(const std::string& query, json fields = json::object()) {
    json m = {
        {"name", "success-rate"},
        {"provider",
         {{"prometheus", {{"address", "http://prometheus.monitoring:9090"}, {"query", query}}}}}};
    m.update(fields);
    return m;
  }

  json Status(const std::string& name) {
    const LiveObject* o = store_.Find({"argoproj.io", "AnalysisRun", "default", name});
    return o == nullptr ? json() : o->status();
  }

  // Answers `query` now, as the provider would.
  Result<PromValue> Ask(const std::string& query) {
    Result<PromQuery> q = PromQuery::Parse(query);
    if (!q.ok()) return q.status();
    traffic_->BeginQuery();
    return q->Evaluate(*traffic_);
  }

  std::vector<std::string> Events(const std::string& event) const {
    std::vector<std::string> out;
    for (const TraceRecord& r : trace_.records()) {
      if (r.event == event) out.push_back(FormatSeconds(r.t.since_start()) + " " + r.detail);
    }
    return out;
  }

  Simulator sim_;
  Trace trace_;
  ObjectStore store_{"c1", sim_, 1767225600};
  TrafficSpec spec_;
  FleetMetrics metrics_{{}, false};
  std::unique_ptr<TrafficModel> traffic_;
  std::unique_ptr<AnalysisRunController> controller_;
};

// ---- The provider and the traffic split ----

// Reference 1.5 / issue 5 item 3: without a router, traffic follows the ready-pod share, so the
// article's query over app=checkout blends 6 stable pods at 0.999 with 1 canary pod at 0.9.
TEST_F(AnalysisRunControllerTest, ArticleQueryBlendsVersionsByReadyPods) {
  Start();
  ArticleCanary();
  sim_.RunUntil(At(300));
  Result<PromValue> v =
      Ask("sum(rate(http_requests_total{app=\"checkout\",code!~\"5..\"}[2m])) / "
          "sum(rate(http_requests_total{app=\"checkout\"}[2m]))");
  ASSERT_TRUE(v.ok()) << v.error();
  ASSERT_EQ(v->vector.size(), 1u);
  EXPECT_NEAR(v->vector[0].value, (6 * 0.999 + 0.9) / 7, 1e-12);
  std::vector<TrafficModel::Version> split =
      traffic_->Split({"", "Service", "default", "checkout"});
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].hash, "canary1");
  EXPECT_NEAR(split[0].rps, 100.0 / 7, 1e-9);
}

// With a traffic router the split follows status.canary.weights (reference 1.6), not pods.
TEST_F(AnalysisRunControllerTest, RoutedSplitFollowsRolloutWeights) {
  Start();
  Service("checkout", {{"app", "checkout"}, {"rollouts-pod-template-hash", "stable1"}});
  Pods("stable1", kStable, 6);
  Pods("canary1", kCanary, 1);
  Rollout("stable1", true, "canary1", 10);
  sim_.RunUntil(At(300));
  Result<PromValue> v = Ask(
      "sum(irate(istio_requests_total{reporter=\"source\",destination_service=~\"checkout.default"
      ".svc.cluster.local\",response_code!~\"5.*\"}[5m])) / sum(irate(istio_requests_total{"
      "reporter=\"source\",destination_service=~\"checkout.default.svc.cluster.local\"}[5m]))");
  ASSERT_TRUE(v.ok()) << v.error();
  ASSERT_EQ(v->vector.size(), 1u);
  EXPECT_NEAR(v->vector[0].value, 0.9 * 0.999 + 0.1 * 0.9, 1e-12);
  // Per version, by the canary's hash.
  Result<PromValue> canary = Ask(
      "sum(rate(http_requests_total{rollouts_pod_template_hash=\"canary1\",status=~\"5.*\"}[1m]))");
  ASSERT_TRUE(canary.ok());
  EXPECT_NEAR(canary->vector[0].value, 10 * 0.1, 1e-9);
}

// A range sees only its window of the piecewise-constant history.
TEST_F(AnalysisRunControllerTest, RateAveragesOverTheRange) {
  Start();
  Service("checkout", {{"app", "checkout"}});
  Pods("stable1", kStable, 1);
  sim_.RunUntil(At(600));
  Pods("canary1", kCanary, 1);  // from 600 s on, half the traffic at 0.9
  sim_.RunUntil(At(660));
  Result<PromValue> v = Ask("sum(rate(http_requests_total{code=\"500\"}[2m]))");
  ASSERT_TRUE(v.ok());
  // 60 s at 100 × 0.001, then 60 s at 50 × 0.001 + 50 × 0.1.
  EXPECT_NEAR(v->vector[0].value, (60 * 0.1 + 60 * (0.05 + 5)) / 120, 1e-9);
}

TEST_F(AnalysisRunControllerTest, LatencyHistogramQuantileIsNearTheP99) {
  spec_.images[kStable].latency_p99 = SimDuration::Millis(300);
  Start();
  Service("checkout", {{"app", "checkout"}});
  Pods("stable1", kStable, 2);
  sim_.RunUntil(At(120));
  Result<PromValue> v = Ask(
      "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{service=\"checkout\"}"
      "[1m])) by (le))");
  ASSERT_TRUE(v.ok()) << v.error();
  ASSERT_EQ(v->vector.size(), 1u);
  EXPECT_GT(v->vector[0].value, 0.25);  // linear interpolation inside the (0.25, 0.5] bucket
  EXPECT_LT(v->vector[0].value, 0.5);
}

TEST_F(AnalysisRunControllerTest, QueryParseErrorsReadAsPrometheusAnswers) {
  EXPECT_EQ(PromQuery::Parse("sum(rate(x{a=\"b\"}[2m])").status().message(),
            "bad_data: 1:23: parse error: unexpected end of input, expected \")\"");
  EXPECT_THAT(PromQuery::Parse("x{a~\"b\"}").status().message(),
              HasSubstr("expected a label matching operator after \"a\""));
  EXPECT_THAT(PromQuery::Parse("x[5q]").status().message(), HasSubstr("bad duration syntax"));
  EXPECT_THAT(PromQuery::Parse("quantile_over_time(0.9, x[5m])").status().message(),
              HasSubstr("unknown function with name \"quantile_over_time\""));
  EXPECT_EQ(FormatPromFloat(0.9914285714285714), "0.9914285714285714");
  EXPECT_EQ(FormatPromFloat(std::nan("")), "NaN");
  EXPECT_EQ(FormatPromFloat(1.0), "1");
}

// ---- The controller ----

// Reference 1.12 and 5.3: failed > failureLimit, so failureLimit 1 fails the metric on its
// second failed measurement (the article's template, at 0.9 on the canary's own series).
TEST_F(AnalysisRunControllerTest, FailureLimitOneFailsOnTheSecondFailure) {
  Start();
  ArticleCanary();
  Run("checkout-canary1-2-2",
      {Metric("sum(rate(http_requests_total{rollouts_pod_template_hash=\"canary1\",code!~\"5..\"}"
              "[2m])) / sum(rate(http_requests_total{rollouts_pod_template_hash=\"canary1\"}[2m]))",
              {{"interval", "1m"},
               {"count", 5},
               {"successCondition", "result[0] >= 0.99"},
               {"failureLimit", 1}})});
  sim_.RunUntil(At(359));
  EXPECT_EQ(Status("checkout-canary1-2-2")["phase"], "Running");
  sim_.RunUntil(At(900));
  json s = Status("checkout-canary1-2-2");
  EXPECT_EQ(s["phase"], "Failed");
  EXPECT_EQ(s["message"],
            "Metric \"success-rate\" assessed Failed due to failed (2) > failureLimit (1)");
  EXPECT_EQ(s["metricResults"][0]["failed"], 2);
  EXPECT_EQ(s["metricResults"][0]["measurements"].size(), 2u);
  EXPECT_THAT(s["metricResults"][0]["measurements"][0]["value"].get<std::string>(),
              ::testing::MatchesRegex("\\[0\\.(9|8999+[0-9]*|90000+[0-9]*)\\]"));
  EXPECT_EQ(s["metricResults"][0]["measurements"][1]["finishedAt"], "2026-01-01T00:06:00Z");
  EXPECT_EQ(s["runSummary"], json({{"count", 1}, {"failed", 1}}));
  std::vector<std::string> m = Events("AnalysisMeasurement");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_THAT(m[0], ::testing::StartsWith("300 success-rate=[0.9"));
  EXPECT_THAT(m[1], ::testing::EndsWith("] Failed"));
  EXPECT_THAT(m[1], ::testing::StartsWith("360 "));
  EXPECT_EQ(Events("AnalysisRunCompleted"),
            (std::vector<std::string>{
                "360 Failed: Metric \"success-rate\" assessed Failed due to failed (2) > "
                "failureLimit (1)"}));
}

// Reference 1.12 scheduling: first at startedAt + initialDelay, then finishedAt + interval, until
// count; the article's blended rate (0.9859) fails 0.99, so this checks 0.98.
TEST_F(AnalysisRunControllerTest, InitialDelayIntervalAndCount) {
  Start();
  ArticleCanary();
  Run("timing",
      {Metric(kArticleQuery, {{"interval", "1m"},
                              {"count", 3},
                              {"initialDelay", "30s"},
                              {"successCondition", "result[0] >= 0.98"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  sim_.RunUntil(At(3600));
  std::vector<std::string> m = Events("AnalysisMeasurement");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_THAT(m[0], ::testing::StartsWith("330 success-rate=[0.98"));
  EXPECT_THAT(m[1], ::testing::StartsWith("390 "));
  EXPECT_THAT(m[2], ::testing::StartsWith("450 "));
  EXPECT_EQ(Events("AnalysisRunCompleted"), std::vector<std::string>{"450 Successful"});
  json s = Status("timing");
  EXPECT_EQ(s["metricResults"][0]["metadata"]["ResolvedPrometheusQuery"],
            "sum(rate(http_requests_total{app=\"checkout\",code!~\"5..\"}[2m]))\n/\n"
            "sum(rate(http_requests_total{app=\"checkout\"}[2m]))\n");
  EXPECT_EQ(s["completedAt"], "2026-01-01T00:07:30Z");
}

// An empty vector makes result[0] an evaluation error (Error measurement); errors retry after
// 10 s whatever the interval, and the 5th consecutive one exceeds consecutiveErrorLimit 4.
TEST_F(AnalysisRunControllerTest, EmptyResultErrorsRetryEveryTenSecondsUntilTheLimit) {
  Start();
  ArticleCanary();
  Run("no-data", {Metric("sum(rate(http_requests_total{rollouts_pod_template_hash=\"nope\"}[2m]))",
                         {{"interval", "5m"}, {"successCondition", "result[0] >= 0.99"}})});
  sim_.RunUntil(At(3600));
  std::vector<std::string> m = Events("AnalysisMeasurement");
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0],
            "300 success-rate Error: could not evaluate successCondition \"result[0] >= 0.99\": "
            "metric result is nil or empty: no data returned from the metric provider");
  EXPECT_THAT(m[4], ::testing::StartsWith("340 "));
  json s = Status("no-data");
  EXPECT_EQ(s["phase"], "Error");
  EXPECT_THAT(s["message"].get<std::string>(),
              ::testing::StartsWith("Metric \"success-rate\" assessed Error due to "
                                    "consecutiveErrors (5) > consecutiveErrorLimit (4): \"Error "
                                    "Message: could not evaluate"));
}

TEST_F(AnalysisRunControllerTest, BothConditionsUndecidedIsInconclusive) {
  Start();
  ArticleCanary();
  Run("inconclusive",
      {Metric(kArticleQuery, {{"successCondition", "result[0] >= 0.999"},
                              {"failureCondition", "result[0] < 0.5"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  sim_.RunUntil(At(360));
  json s = Status("inconclusive");
  EXPECT_EQ(s["phase"], "Inconclusive");
  EXPECT_EQ(s["runSummary"], json({{"count", 1}, {"inconclusive", 1}}));
}

// A dry-run metric's failure does not decide the run (reference 1.12; dryRunSummary).
TEST_F(AnalysisRunControllerTest, DryRunMetricDoesNotFailTheRun) {
  Start();
  ArticleCanary();
  json strict = Metric(
      "sum(rate(http_requests_total{code!~\"5..\"}[2m])) / "
      "sum(rate(http_requests_total[2m]))",
      {{"name", "strict"}, {"successCondition", "result[0] >= 0.999"}});
  json loose = Metric(
      "sum(rate(http_requests_total{code!~\"5..\"}[2m])) / "
      "sum(rate(http_requests_total[2m]))",
      {{"name", "loose"}, {"successCondition", "result[0] >= 0.9"}});
  Run("dry", {strict, loose}, {{"dryRun", {{{"metricName", "strict"}}}}});
  sim_.RunUntil(At(360));
  json s = Status("dry");
  EXPECT_EQ(s["phase"], "Successful");
  EXPECT_EQ(s["dryRunSummary"], json({{"count", 1}, {"failed", 1}}));
  EXPECT_EQ(s["runSummary"], json({{"count", 1}, {"successful", 1}}));
  EXPECT_EQ(s["metricResults"][0]["dryRun"], true);
}

// utils/template ResolveArgs: {{args.service-name}} is substituted before the query is sent; a
// missing value is the run's Error.
TEST_F(AnalysisRunControllerTest, ArgsAreSubstitutedAndUnresolvedArgsErrorTheRun) {
  Start();
  ArticleCanary();
  Run("args", {Metric(kArticleQuery, {{"successCondition", "result[0] >= 0.98"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  Run("missing", {Metric(kArticleQuery, {{"successCondition", "result[0] >= 0.98"}})},
      {{"args", {{{"name", "service-name"}}}}});
  sim_.RunUntil(At(360));
  EXPECT_EQ(Status("args")["phase"], "Successful");
  json s = Status("missing");
  EXPECT_EQ(s["phase"], "Error");
  EXPECT_THAT(s["message"].get<std::string>(),
              ::testing::StartsWith("Unable to resolve metric arguments"));
}

// evaluate.go compiles the condition at each measurement: a condition that does not parse gives
// Error measurements carrying expr's message, and after 5 the run is Error.
TEST_F(AnalysisRunControllerTest, UnparseableConditionErrorsEveryMeasurement) {
  Start();
  ArticleCanary();
  Run("bad-expr", {Metric(kArticleQuery, {{"successCondition", "result[0] >= >= 0.99"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  sim_.RunUntil(At(600));
  json s = Status("bad-expr");
  EXPECT_EQ(s["phase"], "Error");
  EXPECT_THAT(s["metricResults"][0]["measurements"][0]["message"].get<std::string>(),
              HasSubstr("could not evaluate successCondition \"result[0] >= >= 0.99\""));
}

// spec.terminate stops an indefinite metric: the run ends Successful, "Run Terminated".
TEST_F(AnalysisRunControllerTest, TerminateEndsAnIndefiniteRun) {
  Start();
  ArticleCanary();
  Run("background",
      {Metric(kArticleQuery, {{"interval", "1m"}, {"successCondition", "result[0] >= 0.98"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  sim_.RunUntil(At(450));
  EXPECT_EQ(Status("background")["phase"], "Running");
  ASSERT_TRUE(store_
                  .Patch({"argoproj.io", "AnalysisRun", "default", "background"},
                         {{"spec", {{"terminate", true}}}})
                  .ok());
  sim_.RunUntil(At(600));
  json s = Status("background");
  EXPECT_EQ(s["phase"], "Successful");
  EXPECT_EQ(s["message"], "Run Terminated");
  EXPECT_EQ(s["metricResults"][0]["count"], 3);
}

// The metrics-degraded fault: the image's success rate drops mid-run and the next measurement
// fails.
TEST_F(AnalysisRunControllerTest, MetricsDegradedChangesAnswersMidRun) {
  spec_.images.clear();
  Start();
  Service("checkout", {{"app", "checkout"}});
  Pods("stable1", kStable, 2);
  Rollout("stable1");
  sim_.RunUntil(At(300));
  Run("watch",
      {Metric(kArticleQuery, {{"interval", "1m"}, {"successCondition", "result[0] >= 0.99"}})},
      {{"args", {{{"name", "service-name"}, {"value", "checkout"}}}}});
  sim_.RunUntil(At(500));
  EXPECT_EQ(Status("watch")["phase"], "Running");
  traffic_->SetDegraded(kStable, 0.5, std::nullopt, true);
  sim_.RunUntil(At(900));
  json s = Status("watch");
  EXPECT_EQ(s["phase"], "Failed");
  // At 540 s the 2 m window holds 80 s at 0.999 and 40 s at 0.5.
  std::string value = s["metricResults"][0]["measurements"].back()["value"];
  EXPECT_NEAR(std::stod(value.substr(1)), (80 * 0.999 + 40 * 0.5) / 120, 1e-9);
}

// TrafficShifted → bad_requests (failed requests of versions worse than stable, integrated) and
// canary_exposure_seconds (time any canary served).
TEST_F(AnalysisRunControllerTest, BadRequestsAndCanaryExposureFromTheTrace) {
  Start();
  Service("checkout", {{"app", "checkout"}});
  Pods("stable1", kStable, 1);
  Rollout("stable1");
  sim_.RunUntil(At(100));
  Pods("canary1", kCanary, 1);
  sim_.RunUntil(At(400));
  ASSERT_TRUE(store_.Delete({"", "Pod", "default", "checkout-canary1-0"}).ok());
  sim_.RunUntil(At(1000));
  MetricMap m = metrics_.Compute(sim_.now(), 0);
  // 300 s of 50 rps at 0.9.
  EXPECT_EQ(m["bad_requests"], MetricValue::Int(1500));
  EXPECT_EQ(m["canary_exposure_seconds"], MetricValue::Real(300));
  EXPECT_THAT(
      Events("TrafficShifted")[1],
      HasSubstr(
          "100 rps=100 canary=0.5 bad_rps=5: canary canary1 ghcr.io/acme/checkout:1.9.0 50% (0.9), "
          "stable stable1"));
}

}  // namespace
}  // namespace fleetsim::rollouts
