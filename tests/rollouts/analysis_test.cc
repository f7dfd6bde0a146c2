// The AnalysisRun measurement state machine. Reference 1.12, 5.2, 5.3; argo-rollouts
// analysis/analysis.go (generateMetricTasks, runMeasurements, assessMetricStatus,
// assessRunStatus, calculateNextReconcileTime) and utils/evaluate/evaluate.go (EvaluateResult).
#include "sim/rollouts/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;
using ::testing::ElementsAre;

SimTime At(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

Metric Prometheus(std::string name = "rate") {
  return {
      .name = std::move(name), .success_condition = "result[0] >= 0.95", .provider = "prometheus"};
}

Measurement Done(AnalysisPhase phase, int64_t at, std::string message = "") {
  return {
      .phase = phase, .started_at = At(at), .finished_at = At(at), .message = std::move(message)};
}

// Judges `value` with `metric`'s conditions and records it at `at`.
void Measure(AnalysisRunStatus& run, const Metric& metric, const json& value, int64_t at,
             bool dry_run = false) {
  MetricConditions::Judgement j = MetricConditions::Compile(metric).Judge(value);
  Measurement m = Done(j.phase, at, j.message);
  m.value = value;
  RecordMeasurement(run, metric.name, dry_run, std::move(m));
}

// evaluate.go EvaluateResult, including reference 5.2: no conditions → Successful.
TEST(AnalysisTest, JudgeWithoutConditionsIsSuccessful) {
  Metric m{.name = "m"};
  EXPECT_EQ(MetricConditions::Compile(m).Judge(json::array()).phase, AnalysisPhase::kSuccessful);
}

TEST(AnalysisTest, JudgeSuccessConditionOnly) {
  MetricConditions c = MetricConditions::Compile(Prometheus());
  EXPECT_EQ(c.Judge(json::array({0.99})).phase, AnalysisPhase::kSuccessful);
  EXPECT_EQ(c.Judge(json::array({0.5})).phase, AnalysisPhase::kFailed);
}

TEST(AnalysisTest, JudgeFailureConditionOnly) {
  MetricConditions c = MetricConditions::Compile({.name = "m", .failure_condition = "result > 10"});
  EXPECT_EQ(c.Judge(json(11)).phase, AnalysisPhase::kFailed);
  EXPECT_EQ(c.Judge(json(1)).phase, AnalysisPhase::kSuccessful);
}

TEST(AnalysisTest, JudgeBothConditionsCanBeInconclusive) {
  MetricConditions c = MetricConditions::Compile(
      {.name = "m", .success_condition = "result < 5", .failure_condition = "result > 10"});
  EXPECT_EQ(c.Judge(json(1)).phase, AnalysisPhase::kSuccessful);
  EXPECT_EQ(c.Judge(json(11)).phase, AnalysisPhase::kFailed);
  EXPECT_EQ(c.Judge(json(7)).phase, AnalysisPhase::kInconclusive);
}

// Reference 1.12 / issue #1466: result[0] on an empty vector is an Error measurement.
TEST(AnalysisTest, JudgeEmptyResultIsErrorWithNoDataMessage) {
  MetricConditions::Judgement j = MetricConditions::Compile(Prometheus()).Judge(json::array());
  EXPECT_EQ(j.phase, AnalysisPhase::kError);
  EXPECT_EQ(j.message,
            "could not evaluate successCondition \"result[0] >= 0.95\": metric result is nil or "
            "empty: no data returned from the metric provider");
}

TEST(AnalysisTest, JudgeTypeErrorNamesTheCondition) {
  MetricConditions::Judgement j =
      MetricConditions::Compile({.name = "m", .failure_condition = "result"}).Judge(json(1.5));
  EXPECT_EQ(j.phase, AnalysisPhase::kError);
  EXPECT_EQ(j.message,
            "could not evaluate failureCondition \"result\": expected bool, but got "
            "float64");
}

// A condition that does not parse makes every measurement an Error.
TEST(AnalysisTest, UnparsableConditionErrorsEachMeasurement) {
  MetricConditions::Judgement j =
      MetricConditions::Compile({.name = "m", .success_condition = "result > > 1"}).Judge(json(1));
  EXPECT_EQ(j.phase, AnalysisPhase::kError);
  EXPECT_EQ(j.message,
            "could not evaluate successCondition \"result > > 1\": unexpected token "
            "Operator(\">\") (1:10)");
}

// runMeasurements: counters per outcome; Error does not count toward `count`.
TEST(AnalysisTest, RecordMeasurementCounters) {
  AnalysisRunStatus run;
  RecordMeasurement(run, "m", false, Done(AnalysisPhase::kSuccessful, 0));
  RecordMeasurement(run, "m", false, Done(AnalysisPhase::kSuccessful, 1));
  RecordMeasurement(run, "m", false, Done(AnalysisPhase::kError, 2));
  const MetricResult& r = *run.Find("m");
  EXPECT_EQ(r.count, 2);
  EXPECT_EQ(r.successful, 2);
  EXPECT_EQ(r.error, 1);
  EXPECT_EQ(r.consecutive_error, 1);
  EXPECT_EQ(r.consecutive_success, 0);
  RecordMeasurement(run, "m", false, Done(AnalysisPhase::kFailed, 3));
  EXPECT_EQ(run.Find("m")->consecutive_error, 0);
  EXPECT_EQ(run.Find("m")->failed, 1);
  EXPECT_EQ(run.Find("m")->measurements.size(), 4u);
}

TEST(AnalysisTest, InFlightMeasurementIsCompletedInPlace) {
  AnalysisRunStatus run;
  RecordMeasurement(run, "m", false, {.phase = AnalysisPhase::kRunning, .started_at = At(0)});
  EXPECT_EQ(run.Find("m")->count, 0);
  RecordMeasurement(run, "m", false, Done(AnalysisPhase::kSuccessful, 5));
  EXPECT_EQ(run.Find("m")->measurements.size(), 1u);
  EXPECT_EQ(run.Find("m")->count, 1);
}

// Acceptance: failureLimit 1 fails the metric on its second failed measurement (reference 5.3:
// failed > failureLimit).
TEST(AnalysisTest, FailureLimitOneFailsOnSecondFailure) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(1);
  m.count = 5;
  m.failure_limit = 1;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.5}), 0);
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kRunning);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kRunning);
  Measure(run, m, json::array({0.5}), 60);
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kFailed);
  RunAssessment a = AssessRun({m}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kFailed);
  EXPECT_EQ(a.message, "Metric \"rate\" assessed Failed due to failed (2) > failureLimit (1)");
}

TEST(AnalysisTest, DefaultFailureLimitFailsOnFirstFailure) {
  Metric m = Prometheus();
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.1}), 0);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kFailed);
}

TEST(AnalysisTest, FailureLimitMinusOneDisablesFailing) {
  Metric m = Prometheus();
  m.failure_limit = -1;
  m.consecutive_success_limit = 2;
  m.interval = SimDuration::Seconds(10);
  m.count = 4;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.1}), 0);
  Measure(run, m, json::array({0.1}), 10);
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kRunning);
  Measure(run, m, json::array({0.99}), 20);
  Measure(run, m, json::array({0.99}), 30);
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kSuccessful);
}

TEST(AnalysisTest, InconclusiveOverLimit) {
  Metric m{.name = "m",
           .success_condition = "result < 5",
           .failure_condition = "result > 10",
           .provider = "web"};
  AnalysisRunStatus run;
  Measure(run, m, json(7), 0);
  RunAssessment a = AssessRun({m}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kInconclusive);
  EXPECT_EQ(a.message,
            "Metric \"m\" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)");
}

// Reference 1.12: the 5th consecutive error (> consecutiveErrorLimit 4) makes the metric Error.
TEST(AnalysisTest, FifthConsecutiveErrorIsError) {
  Metric m = Prometheus();
  AnalysisRunStatus run;
  for (int i = 0; i < 4; ++i) {
    Measure(run, m, json::array(), i * 10);
    EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kRunning) << i;
  }
  Measure(run, m, json::array(), 40);
  RunAssessment a = AssessRun({m}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kError);
  EXPECT_EQ(a.message,
            "Metric \"rate\" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit "
            "(4): \"Error Message: could not evaluate successCondition \"result[0] >= 0.95\": "
            "metric result is nil or empty: no data returned from the metric provider\"");
}

TEST(AnalysisTest, ErrorThenSuccessResetsConsecutiveErrors) {
  Metric m = Prometheus();
  m.interval = SimDuration::Seconds(30);
  m.count = 2;
  AnalysisRunStatus run;
  for (int i = 0; i < 4; ++i) Measure(run, m, json::array(), i * 10);
  Measure(run, m, json::array({0.99}), 40);
  Measure(run, m, json::array(), 70);
  EXPECT_EQ(run.Find(m.name)->consecutive_error, 1);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kRunning);
  Measure(run, m, json::array({0.99}), 80);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kSuccessful);
}

// assessMetricStatus: count reached with both limits → Inconclusive; only the success limit →
// Failed.
TEST(AnalysisTest, CountReachedWithConsecutiveSuccessLimit) {
  Metric m = Prometheus();
  m.interval = SimDuration::Seconds(10);
  m.count = 3;
  m.failure_limit = 2;
  m.consecutive_success_limit = 2;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.99}), 0);
  Measure(run, m, json::array({0.1}), 10);
  Measure(run, m, json::array({0.99}), 20);
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kInconclusive);
  m.failure_limit = -1;
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kFailed);
}

TEST(AnalysisTest, CountReachedIsSuccessfulBelowFailureLimit) {
  Metric m = Prometheus();
  m.interval = SimDuration::Seconds(10);
  m.count = 3;
  m.failure_limit = 1;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.1}), 0);
  Measure(run, m, json::array({0.99}), 10);
  Measure(run, m, json::array({0.99}), 20);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kSuccessful);
}

// An indefinite (background) metric runs until terminated, then is Successful.
TEST(AnalysisTest, IndefiniteMetricRunsUntilTerminated) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(1);
  AnalysisRunStatus run;
  for (int i = 0; i < 20; ++i) Measure(run, m, json::array({0.99}), i * 60);
  EXPECT_EQ(AssessRun({m}, run).phase, AnalysisPhase::kRunning);
  run.terminate = true;
  RunAssessment a = AssessRun({m}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kSuccessful);
  EXPECT_EQ(a.message, "Run Terminated");
}

TEST(AnalysisTest, TerminatedBeforeAnyMeasurementIsSuccessful) {
  AnalysisRunStatus run;
  run.terminate = true;
  EXPECT_EQ(AssessRun({Prometheus()}, run).phase, AnalysisPhase::kSuccessful);
}

// Reference 1.12 "Run phase": one bad metric terminates the run; the others end Successful on the
// next assessment and the run takes the worst phase.
TEST(AnalysisTest, FailedMetricTerminatesOthers) {
  Metric bad = Prometheus("errors");
  Metric background = Prometheus("latency");
  background.interval = SimDuration::Minutes(1);
  AnalysisRunStatus run;
  Measure(run, background, json::array({0.99}), 0);
  Measure(run, bad, json::array({0.1}), 0);
  EXPECT_EQ(AssessRun({bad, background}, run).phase, AnalysisPhase::kRunning);
  EXPECT_TRUE(IsTerminating(run));
  RunAssessment a = AssessRun({bad, background}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kFailed);
  EXPECT_EQ(run.Find("latency")->phase, AnalysisPhase::kSuccessful);
}

// Worst phase order: Successful < Running < Pending < Inconclusive < Error < Failed.
TEST(AnalysisTest, WorstPhaseOrder) {
  EXPECT_TRUE(IsWorse(AnalysisPhase::kSuccessful, AnalysisPhase::kRunning));
  EXPECT_TRUE(IsWorse(AnalysisPhase::kRunning, AnalysisPhase::kPending));
  EXPECT_TRUE(IsWorse(AnalysisPhase::kPending, AnalysisPhase::kInconclusive));
  EXPECT_TRUE(IsWorse(AnalysisPhase::kInconclusive, AnalysisPhase::kError));
  EXPECT_TRUE(IsWorse(AnalysisPhase::kError, AnalysisPhase::kFailed));
  EXPECT_FALSE(IsWorse(AnalysisPhase::kFailed, AnalysisPhase::kError));
}

TEST(AnalysisTest, RunTakesWorstOfCompletedMetrics) {
  Metric inconclusive{.name = "a",
                      .success_condition = "result < 5",
                      .failure_condition = "result > 10",
                      .provider = "web"};
  Metric failed{.name = "b", .success_condition = "result < 5", .provider = "web"};
  AnalysisRunStatus run;
  Measure(run, inconclusive, json(7), 0);
  Measure(run, failed, json(7), 0);
  EXPECT_EQ(AssessRun({inconclusive, failed}, run).phase, AnalysisPhase::kFailed);
}

// Dry-run metrics do not affect the run's phase; their result carries the verdict.
TEST(AnalysisTest, DryRunMetricDoesNotFailTheRun) {
  Metric dry = Prometheus("dry");
  Metric real = Prometheus("real");
  AnalysisRunStatus run;
  Measure(run, dry, json::array({0.1}), 0, /*dry_run=*/true);
  Measure(run, real, json::array({0.99}), 0);
  EXPECT_FALSE(IsTerminating(run));
  RunAssessment a = AssessRun({dry, real}, run);
  EXPECT_EQ(a.phase, AnalysisPhase::kSuccessful);
  EXPECT_EQ(run.Find("dry")->phase, AnalysisPhase::kFailed);
  EXPECT_EQ(run.Find("dry")->message,
            "Metric assessed Failed due to failed (1) > failureLimit (0)");
}

TEST(AnalysisTest, OnlyDryRunMetricsGiveSuccessful) {
  Metric dry = Prometheus("dry");
  AnalysisRunStatus run;
  Measure(run, dry, json::array({0.1}), 0, true);
  EXPECT_EQ(AssessRun({dry}, run).phase, AnalysisPhase::kSuccessful);
}

TEST(AnalysisTest, PendingWhileAMetricHasNotStarted) {
  Metric a = Prometheus("a");
  Metric b = Prometheus("b");
  b.initial_delay = SimDuration::Minutes(5);
  AnalysisRunStatus run;
  Measure(run, a, json::array({0.99}), 0);
  EXPECT_EQ(AssessRun({a, b}, run).phase, AnalysisPhase::kRunning);
  EXPECT_EQ(AssessMetric(b, run.Find("b"), false), AnalysisPhase::kPending);
}

// generateMetricTasks / calculateNextReconcileTime.
TEST(AnalysisTest, FirstMeasurementAtOnceOrAfterInitialDelay) {
  Metric now = Prometheus("now");
  Metric delayed = Prometheus("delayed");
  delayed.initial_delay = SimDuration::Seconds(90);
  AnalysisRunStatus run;
  run.started_at = At(100);
  MeasurementPlan plan = PlanMeasurements({now, delayed}, run, At(100));
  EXPECT_THAT(plan.measure_now, ElementsAre(0u));
  EXPECT_EQ(plan.next_wakeup, At(190));
  EXPECT_THAT(PlanMeasurements({now, delayed}, run, At(190)).measure_now, ElementsAre(0u, 1u));
}

TEST(AnalysisTest, NextMeasurementAfterInterval) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(5);
  m.count = 3;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.99}), 0);
  MeasurementPlan plan = PlanMeasurements({m}, run, At(1));
  EXPECT_TRUE(plan.measure_now.empty());
  EXPECT_EQ(plan.next_wakeup, At(300));
  EXPECT_THAT(PlanMeasurements({m}, run, At(300)).measure_now, ElementsAre(0u));
}

// Reference 1.1: 10 s retry after an error, whatever the interval.
TEST(AnalysisTest, RetryTenSecondsAfterError) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(5);
  AnalysisRunStatus run;
  Measure(run, m, json::array(), 50);
  EXPECT_EQ(PlanMeasurements({m}, run, At(51)).next_wakeup, At(60));
  EXPECT_THAT(PlanMeasurements({m}, run, At(60)).measure_now, ElementsAre(0u));
}

TEST(AnalysisTest, NoMeasurementOnceCountReachedOrCompleted) {
  Metric m = Prometheus();
  m.interval = SimDuration::Seconds(10);
  m.count = 2;
  AnalysisRunStatus run;
  Measure(run, m, json::array({0.99}), 0);
  Measure(run, m, json::array({0.99}), 10);
  MeasurementPlan plan = PlanMeasurements({m}, run, At(1000));
  EXPECT_TRUE(plan.measure_now.empty());
  EXPECT_FALSE(plan.next_wakeup.has_value());
}

TEST(AnalysisTest, TerminatingStartsNothingButResumesInFlight) {
  Metric a = Prometheus("a");
  a.interval = SimDuration::Seconds(10);
  Metric b = Prometheus("b");
  AnalysisRunStatus run;
  run.terminate = true;
  Measure(run, a, json::array({0.99}), 0);
  RecordMeasurement(run, "b", false,
                    {.phase = AnalysisPhase::kRunning, .started_at = At(0), .resume_at = At(50)});
  MeasurementPlan plan = PlanMeasurements({a, b}, run, At(20));
  EXPECT_THAT(plan.measure_now, ElementsAre(1u));  // b is terminated now, not at its resume time
}

TEST(AnalysisTest, InFlightMeasurementWaitsForResumeAt) {
  Metric m = Prometheus();
  AnalysisRunStatus run;
  RecordMeasurement(run, m.name, false,
                    {.phase = AnalysisPhase::kRunning, .started_at = At(0), .resume_at = At(30)});
  MeasurementPlan plan = PlanMeasurements({m}, run, At(10));
  EXPECT_TRUE(plan.measure_now.empty());
  EXPECT_EQ(plan.next_wakeup, At(30));
  EXPECT_EQ(AssessMetric(m, run.Find(m.name), false), AnalysisPhase::kRunning);
}

TEST(AnalysisTest, PhaseNames) {
  EXPECT_EQ(AnalysisPhaseName(AnalysisPhase::kInconclusive), "Inconclusive");
  EXPECT_TRUE(IsCompleted(AnalysisPhase::kError));
  EXPECT_FALSE(IsCompleted(AnalysisPhase::kPending));
}

// Drives one metric the way the controller will: measure what is due, record, assess, sleep
// until the next wakeup. `values` are the provider's answers in order. Returns the instants
// (seconds) at which measurements were taken; stops when the run completes.
std::vector<int64_t> Drive(const Metric& metric, const std::vector<json>& values,
                           AnalysisRunStatus& run, RunAssessment& outcome) {
  std::vector<int64_t> taken;
  MetricConditions conditions = MetricConditions::Compile(metric);
  SimTime now = run.started_at;
  size_t next_value = 0;
  for (int guard = 0; guard < 100; ++guard) {
    if (!PlanMeasurements({metric}, run, now).measure_now.empty()) {
      const json& value = values[std::min(next_value++, values.size() - 1)];
      MetricConditions::Judgement j = conditions.Judge(value);
      RecordMeasurement(run, metric.name, false,
                        {.phase = j.phase,
                         .started_at = now,
                         .finished_at = now,
                         .message = j.message,
                         .value = value});
      taken.push_back(now.since_start().whole_seconds());
    }
    outcome = AssessRun({metric}, run);
    if (IsCompleted(outcome.phase)) return taken;
    std::optional<SimTime> wake = PlanMeasurements({metric}, run, now).next_wakeup;
    if (!wake) return taken;
    now = *wake;
  }
  ADD_FAILURE() << "run did not finish";
  return taken;
}

// A background-style metric (interval 1m, failureLimit 1): it fails on the second failure.
TEST(AnalysisTest, DrivenRunFailsOnSecondFailureOneMinuteApart) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(1);
  m.failure_limit = 1;
  AnalysisRunStatus run;
  RunAssessment outcome;
  std::vector<int64_t> taken =
      Drive(m, {json::array({0.99}), json::array({0.5}), json::array({0.99}), json::array({0.5})},
            run, outcome);
  EXPECT_EQ(taken, (std::vector<int64_t>{0, 60, 120, 180}));
  EXPECT_EQ(outcome.phase, AnalysisPhase::kFailed);
}

// Empty answers retry every 10 s; the fifth consecutive error ends the run in Error.
TEST(AnalysisTest, DrivenRunRetriesErrorsEveryTenSeconds) {
  Metric m = Prometheus();
  m.interval = SimDuration::Minutes(5);
  AnalysisRunStatus run;
  RunAssessment outcome;
  std::vector<int64_t> taken = Drive(m, {json::array()}, run, outcome);
  EXPECT_EQ(taken, (std::vector<int64_t>{0, 10, 20, 30, 40}));
  EXPECT_EQ(outcome.phase, AnalysisPhase::kError);
}

// count 3, interval 30s, initialDelay 1m: measured at 60, 90, 120 and Successful.
TEST(AnalysisTest, DrivenRunWithInitialDelayAndCount) {
  Metric m = Prometheus();
  m.interval = SimDuration::Seconds(30);
  m.initial_delay = SimDuration::Minutes(1);
  m.count = 3;
  AnalysisRunStatus run;
  RunAssessment outcome;
  EXPECT_EQ(Drive(m, {json::array({0.99})}, run, outcome), (std::vector<int64_t>{60, 90, 120}));
  EXPECT_EQ(outcome.phase, AnalysisPhase::kSuccessful);
}

}  // namespace
}  // namespace fleetsim::rollouts
