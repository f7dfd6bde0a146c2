#include "reports/run_aggregate.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace fleetsim {
namespace {

// Metrics whose null means the thing never happened (DESIGN.md "Metrics": "null if that never
// happens"), so a null ranks as the worst value rather than as no harm.
bool NullIsWorst(const std::string& metric) {
  return metric == "fleet_convergence_seconds" || metric == "rto_seconds";
}

// -1, 0 or 1 as a's value for `metric` is less harmful, equal or more harmful than b's.
int CompareHarm(const StoredRun& a, const StoredRun& b, const std::string& metric) {
  auto value = [&](const StoredRun& r) -> std::optional<double> {
    auto it = r.metrics.find(metric);
    return it == r.metrics.end() ? std::nullopt : it->second.value;
  };
  std::optional<double> va = value(a);
  std::optional<double> vb = value(b);
  if (va == vb) return 0;
  if (!va || !vb) {
    bool a_null_worse = NullIsWorst(metric);
    return !va ? (a_null_worse ? 1 : -1) : (a_null_worse ? -1 : 1);
  }
  return *va < *vb ? -1 : 1;
}

size_t FailedExpectations(const StoredRun& run) {
  return static_cast<size_t>(std::count_if(run.expectations.begin(), run.expectations.end(),
                                           [](const ExpectationResult& e) { return !e.passed; }));
}

std::string NumberText(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > -9e15 && v < 9e15) {
    return fmt::format("{}", static_cast<int64_t>(v));
  }
  return fmt::format("{}", v);
}

std::string ExpectationText(const ExpectationResult& e) {
  if (!e.value) return e.metric + " " + e.op;
  return e.metric + " " + e.op + " " + NumberText(*e.value);
}

std::string ShellQuote(const std::string& arg) {
  bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_-./=:,@%+").find(c) != std::string_view::npos;
  });
  if (plain) return arg;
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

MetricStats StatsOf(std::vector<double> values, size_t nulls) {
  MetricStats stats;
  stats.values = values.size();
  stats.nulls = nulls;
  if (values.empty()) return stats;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;  // ascending, so the mean does not depend on input order
  stats.min = values.front();
  stats.p50 = NearestRankPercentile(values, 50);
  stats.p90 = NearestRankPercentile(values, 90);
  stats.p99 = NearestRankPercentile(values, 99);
  stats.max = values.back();
  stats.mean = sum / static_cast<double>(values.size());
  return stats;
}

void AggregateGroup(const std::vector<SourcedRun>& runs, const AggregateOptions& options,
                    RunGroup* group) {
  std::map<std::string, std::pair<std::vector<double>, size_t>> metric_values;
  using ExpectationKey = std::tuple<std::string, std::string, std::optional<double>>;
  std::map<ExpectationKey, ExpectationStats> expectations;
  for (const SourcedRun& sourced : runs) {
    const StoredRun& run = *sourced.run;
    ++group->runs;
    if (run.status == "error") {
      ++group->errors;
      continue;
    }
    ++(run.status == "passed" ? group->passed : group->failed);
    for (const auto& [name, value] : run.metrics) {
      auto& [values, nulls] = metric_values[name];
      if (value.value) {
        values.push_back(*value.value);
      } else {
        ++nulls;
      }
    }
    for (const ExpectationResult& e : run.expectations) {
      ExpectationStats& stats = expectations[{e.metric, e.op, e.value}];
      stats.metric = e.metric;
      stats.op = e.op;
      stats.value = e.value;
      ++stats.total;
      if (e.passed) ++stats.passed;
    }
  }
  for (auto& [name, entry] : metric_values) {
    group->metrics[name] = StatsOf(std::move(entry.first), entry.second);
  }
  for (auto& [key, stats] : expectations) group->expectations.push_back(std::move(stats));

  std::vector<SourcedRun> ordered = runs;
  std::sort(ordered.begin(), ordered.end(),
            [](const SourcedRun& a, const SourcedRun& b) { return WorseRun(*a.run, *b.run); });
  for (size_t i = 0; i < ordered.size() && i < options.worst; ++i) {
    WorstRun worst{ordered[i].run, ordered[i].source, {}, ReplayCommand(*ordered[i].run)};
    for (const ExpectationResult& e : ordered[i].run->expectations) {
      if (!e.passed) worst.failed_expectations.push_back(ExpectationText(e));
    }
    group->worst.push_back(std::move(worst));
  }
}

}  // namespace

const std::vector<std::string> kWorstMetricOrder = {
    "data_loss_pvcs",
    "secrets_unrecoverable",
    "downtime_seconds",
    "resources_deleted",
    "apps_deleted",
    "clusters_affected",
    "workloads_unavailable_max",
    "bad_requests",
    "rto_seconds",
    "fleet_convergence_seconds",
    "convergence_p99_seconds",
    "recovery_max_seconds",
};

double NearestRankPercentile(const std::vector<double>& sorted, int p) {
  // ceil(p * n / 100) in integers, so that no rounding of p / 100 moves the rank.
  size_t n = sorted.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  return sorted[std::clamp<size_t>(rank, 1, n) - 1];
}

bool WorseRun(const StoredRun& a, const StoredRun& b) {
  bool a_error = a.status == "error";
  bool b_error = b.status == "error";
  if (a_error != b_error) return a_error;
  size_t a_failed = FailedExpectations(a);
  size_t b_failed = FailedExpectations(b);
  if (a_failed != b_failed) return a_failed > b_failed;
  for (const std::string& metric : kWorstMetricOrder) {
    int harm = CompareHarm(a, b, metric);
    if (harm != 0) return harm > 0;
  }
  return std::tie(a.seed, a.context.sweep_id, a.context.run_index, a.trace_digest,
                  a.context.scenario_path,
                  a.id) < std::tie(b.seed, b.context.sweep_id, b.context.run_index, b.trace_digest,
                                   b.context.scenario_path, b.id);
}

std::string ReplayCommand(const StoredRun& run) {
  std::string command = "fleetsim run " + ShellQuote(run.context.scenario_path) + " --seed " +
                        std::to_string(run.seed);
  for (const std::string& parameter : run.context.parameters) {
    command += " --set " + ShellQuote(parameter);
  }
  return command;
}

RunsReport AggregateRuns(const std::vector<SourcedRun>& runs, const AggregateOptions& options) {
  using GroupKey = std::pair<std::string, std::vector<std::string>>;
  std::map<GroupKey, std::vector<SourcedRun>> by_group;
  for (const SourcedRun& sourced : runs) {
    by_group[{sourced.run->scenario, sourced.run->context.parameters}].push_back(sourced);
  }
  RunsReport report;
  for (auto& [key, members] : by_group) {
    RunGroup group;
    group.scenario = key.first;
    group.parameters = key.second;
    AggregateGroup(members, options, &group);
    report.runs += group.runs;
    report.passed += group.passed;
    report.failed += group.failed;
    report.errors += group.errors;
    report.groups.push_back(std::move(group));
  }
  return report;
}

}  // namespace fleetsim
