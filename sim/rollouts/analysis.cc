#include "sim/rollouts/analysis.h"

#include <algorithm>

#include <fmt/format.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

int Rank(AnalysisPhase phase) {
  switch (phase) {
    case AnalysisPhase::kSuccessful:
      return 0;
    case AnalysisPhase::kRunning:
      return 1;
    case AnalysisPhase::kPending:
      return 2;
    case AnalysisPhase::kInconclusive:
      return 3;
    case AnalysisPhase::kError:
      return 4;
    case AnalysisPhase::kFailed:
      return 5;
  }
  return 0;
}

bool IsNilOrEmpty(const json& value) {
  return value.is_null() || (value.is_array() && value.empty());
}

const Measurement* LastMeasurement(const MetricResult* result) {
  if (result == nullptr || result->measurements.empty()) return nullptr;
  return &result->measurements.back();
}

}  // namespace

std::string_view AnalysisPhaseName(AnalysisPhase phase) {
  switch (phase) {
    case AnalysisPhase::kPending:
      return "Pending";
    case AnalysisPhase::kRunning:
      return "Running";
    case AnalysisPhase::kSuccessful:
      return "Successful";
    case AnalysisPhase::kFailed:
      return "Failed";
    case AnalysisPhase::kError:
      return "Error";
    case AnalysisPhase::kInconclusive:
      return "Inconclusive";
  }
  return "Unknown";
}

bool IsCompleted(AnalysisPhase phase) {
  return phase == AnalysisPhase::kSuccessful || phase == AnalysisPhase::kFailed ||
         phase == AnalysisPhase::kError || phase == AnalysisPhase::kInconclusive;
}

bool IsWorse(AnalysisPhase current, AnalysisPhase candidate) {
  return Rank(candidate) > Rank(current);
}

MetricConditions::Condition MetricConditions::CompileOne(const std::string& text) {
  Condition c{.text = text};
  Result<Expression> e = Expression::Parse(text);
  if (e.ok()) {
    c.expression = std::move(e.value());
  } else {
    c.parse_error = e.error();
  }
  return c;
}

MetricConditions MetricConditions::Compile(const Metric& metric) {
  MetricConditions out;
  if (!metric.success_condition.empty()) out.success_ = CompileOne(metric.success_condition);
  if (!metric.failure_condition.empty()) out.failure_ = CompileOne(metric.failure_condition);
  return out;
}

Result<bool> MetricConditions::Evaluate(const Condition& condition, std::string_view which,
                                        const json& value) {
  Result<bool> outcome = condition.expression ? condition.expression->EvaluateCondition(value)
                                              : Result<bool>(Status::Error(condition.parse_error));
  if (outcome.ok()) return outcome;
  if (IsNilOrEmpty(value)) {
    return Status::Error(fmt::format(
        "could not evaluate {} \"{}\": metric result is nil or empty: no data returned from the "
        "metric provider",
        which, condition.text));
  }
  return Status::Error(
      fmt::format("could not evaluate {} \"{}\": {}", which, condition.text, outcome.error()));
}

MetricConditions::Judgement MetricConditions::Judge(const json& value) const {
  bool success = false;
  bool failure = false;
  if (success_) {
    Result<bool> r = Evaluate(*success_, "successCondition", value);
    if (!r.ok()) return {AnalysisPhase::kError, r.error()};
    success = *r;
  }
  if (failure_) {
    Result<bool> r = Evaluate(*failure_, "failureCondition", value);
    if (!r.ok()) return {AnalysisPhase::kError, r.error()};
    failure = *r;
  }
  if (!success_ && !failure_) return {AnalysisPhase::kSuccessful, ""};
  if (success_ && !failure_) failure = !success;
  if (!success_ && failure_) success = !failure;
  if (failure) return {AnalysisPhase::kFailed, ""};
  if (!success) return {AnalysisPhase::kInconclusive, ""};
  return {AnalysisPhase::kSuccessful, ""};
}

const MetricResult* AnalysisRunStatus::Find(std::string_view metric) const {
  for (const MetricResult& r : results) {
    if (r.name == metric) return &r;
  }
  return nullptr;
}

MetricResult* AnalysisRunStatus::Find(std::string_view metric) {
  for (MetricResult& r : results) {
    if (r.name == metric) return &r;
  }
  return nullptr;
}

void RecordMeasurement(AnalysisRunStatus& run, const std::string& metric, bool dry_run,
                       Measurement measurement) {
  MetricResult* result = run.Find(metric);
  if (result == nullptr) {
    run.results.push_back(MetricResult{.name = metric, .dry_run = dry_run});
    result = &run.results.back();
  }
  switch (measurement.phase) {
    case AnalysisPhase::kSuccessful:
      ++result->successful;
      ++result->count;
      result->consecutive_error = 0;
      ++result->consecutive_success;
      break;
    case AnalysisPhase::kFailed:
    case AnalysisPhase::kInconclusive:
      ++(measurement.phase == AnalysisPhase::kFailed ? result->failed : result->inconclusive);
      ++result->count;
      result->consecutive_error = 0;
      result->consecutive_success = 0;
      break;
    case AnalysisPhase::kError:
      ++result->error;
      ++result->consecutive_error;
      result->consecutive_success = 0;
      break;
    default:
      break;  // in flight: no counters
  }
  if (!result->measurements.empty() && !result->measurements.back().finished_at) {
    result->measurements.back() = std::move(measurement);
  } else {
    result->measurements.push_back(std::move(measurement));
  }
}

bool IsTerminating(const AnalysisRunStatus& run) {
  if (run.terminate) return true;
  return std::any_of(run.results.begin(), run.results.end(), [](const MetricResult& r) {
    return !r.dry_run && (r.phase == AnalysisPhase::kFailed || r.phase == AnalysisPhase::kError ||
                          r.phase == AnalysisPhase::kInconclusive);
  });
}

std::optional<LimitVerdict> AssessLimits(const Metric& metric, const MetricResult& result) {
  std::optional<LimitVerdict> verdict;
  int32_t failure_limit = metric.FailureLimit();
  if (failure_limit >= 0 && result.failed > failure_limit) {
    verdict = LimitVerdict{AnalysisPhase::kFailed, fmt::format("failed ({}) > failureLimit ({})",
                                                               result.failed, failure_limit)};
  }
  if (result.inconclusive > metric.InconclusiveLimit()) {
    verdict = LimitVerdict{AnalysisPhase::kInconclusive,
                           fmt::format("inconclusive ({}) > inconclusiveLimit ({})",
                                       result.inconclusive, metric.InconclusiveLimit())};
  }
  if (result.consecutive_error > metric.ConsecutiveErrorLimit()) {
    verdict = LimitVerdict{AnalysisPhase::kError,
                           fmt::format("consecutiveErrors ({}) > consecutiveErrorLimit ({})",
                                       result.consecutive_error, metric.ConsecutiveErrorLimit())};
  }
  return verdict;
}

AnalysisPhase AssessMetric(const Metric& metric, const MetricResult* result, bool terminating) {
  if (result != nullptr && IsCompleted(result->phase)) return result->phase;
  const Measurement* last = LastMeasurement(result);
  if (last == nullptr) return terminating ? AnalysisPhase::kSuccessful : AnalysisPhase::kPending;
  if (!IsCompleted(last->phase)) return AnalysisPhase::kRunning;
  if (std::optional<LimitVerdict> verdict = AssessLimits(metric, *result)) return verdict->phase;
  int32_t success_limit = metric.ConsecutiveSuccessLimit();
  if (success_limit > 0 && result->consecutive_success >= success_limit) {
    return AnalysisPhase::kSuccessful;
  }
  std::optional<int32_t> count = metric.EffectiveCount();
  if (count && result->count >= *count) {
    bool failure_applies = metric.FailureLimit() >= 0;
    bool success_applies = success_limit > 0;
    if (failure_applies && success_applies) return AnalysisPhase::kInconclusive;
    if (success_applies) return AnalysisPhase::kFailed;
    return AnalysisPhase::kSuccessful;
  }
  return terminating ? AnalysisPhase::kSuccessful : AnalysisPhase::kRunning;
}

RunAssessment AssessRun(const std::vector<Metric>& metrics, AnalysisRunStatus& run) {
  const bool terminating = IsTerminating(run);
  std::optional<AnalysisPhase> worst;
  std::string worst_message = run.terminate ? "Run Terminated" : "";
  bool everything_completed = true;
  for (const Metric& metric : metrics) {
    MetricResult* result = run.Find(metric.name);
    if (result == nullptr) {
      everything_completed = false;
      continue;
    }
    AnalysisPhase status = AssessMetric(metric, result, terminating);
    if (result->phase != status) {
      if (const Measurement* last = LastMeasurement(result)) result->message = last->message;
      result->phase = status;
    }
    if (!IsCompleted(status)) {
      everything_completed = false;
      continue;
    }
    std::optional<LimitVerdict> verdict = AssessLimits(metric, *result);
    if (result->dry_run) {
      if (!worst) worst = AnalysisPhase::kSuccessful;
      if (verdict) {
        result->message = fmt::format("Metric assessed {} due to {}", AnalysisPhaseName(status),
                                      verdict->message);
      }
      continue;
    }
    if (!worst || IsWorse(*worst, status)) {
      worst = status;
      if (verdict) {
        worst_message = fmt::format("Metric \"{}\" assessed {} due to {}", metric.name,
                                    AnalysisPhaseName(status), verdict->message);
        if (!result->message.empty()) {
          worst_message += fmt::format(": \"Error Message: {}\"", result->message);
        }
      }
    }
  }
  if (terminating) return {worst.value_or(AnalysisPhase::kSuccessful), worst_message};
  if (!everything_completed || !worst) return {AnalysisPhase::kRunning, ""};
  return {*worst, worst_message};
}

MeasurementPlan PlanMeasurements(const std::vector<Metric>& metrics, const AnalysisRunStatus& run,
                                 SimTime now) {
  MeasurementPlan plan;
  const bool terminating = IsTerminating(run);
  auto wake_at = [&](SimTime t) {
    if (!plan.next_wakeup || t < *plan.next_wakeup) plan.next_wakeup = t;
  };
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Metric& metric = metrics[i];
    const MetricResult* result = run.Find(metric.name);
    if (result != nullptr && IsCompleted(result->phase)) continue;
    const Measurement* last = LastMeasurement(result);
    if (last != nullptr && !last->finished_at) {
      if (!terminating && last->resume_at && *last->resume_at > now) {
        wake_at(*last->resume_at);
      } else {
        plan.measure_now.push_back(i);
      }
      continue;
    }
    if (terminating) continue;
    SimTime due;
    if (last == nullptr) {
      due = run.started_at + metric.initial_delay.value_or(SimDuration::Zero());
    } else {
      std::optional<int32_t> count = metric.EffectiveCount();
      if (count && result->count >= *count) continue;
      SimDuration interval = kErrorRetryInterval;
      if (last->phase != AnalysisPhase::kError && metric.interval) interval = *metric.interval;
      due = *last->finished_at + interval;
    }
    if (due <= now) {
      plan.measure_now.push_back(i);
    } else {
      wake_at(due);
    }
  }
  return plan;
}

}  // namespace fleetsim::rollouts
