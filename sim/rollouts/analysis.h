// The AnalysisRun measurement state machine (reference 1.12; argo-rollouts analysis/analysis.go
// generateMetricTasks, runMeasurements, assessMetricStatus, assessMetricFailureInconclusiveOrError,
// assessRunStatus, calculateNextReconcileTime; utils/evaluate/evaluate.go EvaluateResult;
// utils/analysis/helpers.go IsWorse, IsTerminating).
//
// Everything here is a pure function of (metrics, results so far, now): the controller asks
// PlanMeasurements which metrics to measure and when to wake up next, takes the measurements
// (JudgeMeasurement turns a provider value into a phase), records them with RecordMeasurement
// and calls AssessRun for the run's phase.
//
//  - A measurement is Successful, Failed, Inconclusive or Error. Error counts toward
//    consecutiveError only (not `count`); the next try comes 10 s after it, whatever the
//    interval.
//  - A metric is Failed when failed > failureLimit (default 0, -1 disables), Inconclusive when
//    inconclusive > inconclusiveLimit (0), Error when consecutiveError > consecutiveErrorLimit
//    (4); a later rule overrides an earlier one. Then consecutiveSuccessLimit, then the count.
//  - An indefinite metric (interval, no count) runs until the run terminates, then Successful.
//  - The run terminates when a non-dry-run metric is Failed, Error or Inconclusive, or on
//    spec.terminate; its phase is the worst non-dry-run metric phase in the order Successful <
//    Running < Pending < Inconclusive < Error < Failed.
#ifndef FLEETSIM_SIM_ROLLOUTS_ANALYSIS_H_
#define FLEETSIM_SIM_ROLLOUTS_ANALYSIS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/rollouts/analysis_spec.h"
#include "sim/rollouts/expr.h"

namespace fleetsim::rollouts {

// The retry delay after an errored measurement (analysis.go DefaultErrorRetryInterval).
inline constexpr SimDuration kErrorRetryInterval = SimDuration::Seconds(10);

enum class AnalysisPhase { kPending, kRunning, kSuccessful, kFailed, kError, kInconclusive };
std::string_view AnalysisPhaseName(AnalysisPhase phase);
bool IsCompleted(AnalysisPhase phase);  // Successful, Failed, Error or Inconclusive
// helpers.go IsWorse: `candidate` ranks after `current` in Successful < Running < Pending <
// Inconclusive < Error < Failed.
bool IsWorse(AnalysisPhase current, AnalysisPhase candidate);

// A metric's compiled conditions; parse once per run. A condition that does not parse is not
// rejected up front: as upstream compiles at each measurement, every measurement of that metric
// is an Error carrying the parse error.
class MetricConditions {
 public:
  static MetricConditions Compile(const Metric& metric);

  // EvaluateResult (reference 1.12 / 5.2): no conditions → Successful; only success → Successful
  // or Failed; only failure → Failed or Successful; both → Failed, Successful, else
  // Inconclusive. An evaluation error → Error with "could not evaluate <which> "<expr>": ...",
  // and for a nil or empty result "...: metric result is nil or empty: no data returned from the
  // metric provider".
  struct Judgement {
    AnalysisPhase phase = AnalysisPhase::kSuccessful;
    std::string message;
  };
  Judgement Judge(const Json& value) const;

 private:
  struct Condition {
    std::string text;
    std::optional<Expression> expression;
    std::string parse_error;
  };
  static Condition CompileOne(const std::string& text);
  // The condition's value, or the Error judgement to return.
  static Result<bool> Evaluate(const Condition& condition, std::string_view which,
                               const Json& value);

  std::optional<Condition> success_;
  std::optional<Condition> failure_;
};

struct Measurement {
  AnalysisPhase phase = AnalysisPhase::kRunning;
  SimTime started_at;
  std::optional<SimTime> finished_at;  // null while in flight
  std::optional<SimTime> resume_at;    // an in-flight measurement's next check
  std::string message;
  Json value;
};

struct MetricResult {
  std::string name;
  AnalysisPhase phase = AnalysisPhase::kRunning;
  int32_t count = 0;  // completed, non-error measurements
  int32_t successful = 0;
  int32_t failed = 0;
  int32_t inconclusive = 0;
  int32_t error = 0;
  int32_t consecutive_error = 0;
  int32_t consecutive_success = 0;
  bool dry_run = false;
  std::string message;
  std::vector<Measurement> measurements;
};

struct AnalysisRunStatus {
  AnalysisPhase phase = AnalysisPhase::kPending;
  std::string message;
  SimTime started_at;
  bool terminate = false;             // spec.terminate
  std::vector<MetricResult> results;  // at most one per metric name

  const MetricResult* Find(std::string_view metric) const;
  MetricResult* Find(std::string_view metric);
};

// Appends (or completes, when the last one is in flight) a measurement of `metric` and updates
// the counters as runMeasurements does. Creates the result on the first measurement.
void RecordMeasurement(AnalysisRunStatus& run, const std::string& metric, bool dry_run,
                       Measurement measurement);

// IsTerminating: spec.terminate, or a non-dry-run metric Failed, Error or Inconclusive.
bool IsTerminating(const AnalysisRunStatus& run);

// assessMetricFailureInconclusiveOrError: the limit-based verdict and its message ("failed (2) >
// failureLimit (1)"), or nullopt.
struct LimitVerdict {
  AnalysisPhase phase;
  std::string message;
};
std::optional<LimitVerdict> AssessLimits(const Metric& metric, const MetricResult& result);

// assessMetricStatus.
AnalysisPhase AssessMetric(const Metric& metric, const MetricResult* result, bool terminating);

// assessRunStatus: updates each result's phase and returns the run's phase and message:
// Running while a metric is not complete (unless terminating), else the worst non-dry-run
// phase with `Metric "<name>" assessed <Phase> due to <limit message>[: "Error Message: <m>"]`;
// terminated with no verdict → Successful ("Run Terminated" when spec.terminate).
struct RunAssessment {
  AnalysisPhase phase = AnalysisPhase::kRunning;
  std::string message;
};
RunAssessment AssessRun(const std::vector<Metric>& metrics, AnalysisRunStatus& run);

// generateMetricTasks + calculateNextReconcileTime: the metrics to measure at `now` (indices
// into `metrics`) and the earliest later instant a measurement falls due. A metric is due at
// startedAt + initialDelay for its first measurement, then at the last one's finishedAt +
// interval, or + 10 s after an Error; never once completed or its count is reached; nothing new
// starts while terminating (in-flight ones are still resumed). Upstream compares with
// time.After; in virtual time a measurement is due at that instant.
struct MeasurementPlan {
  std::vector<size_t> measure_now;
  std::optional<SimTime> next_wakeup;
};
MeasurementPlan PlanMeasurements(const std::vector<Metric>& metrics, const AnalysisRunStatus& run,
                                 SimTime now);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_ANALYSIS_H_
