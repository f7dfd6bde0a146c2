#include "reports/runs_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/terminal_summary.h"

namespace fleetsim {
namespace {

using nlohmann::json;

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kReset = "\033[0m";

std::string Paint(bool color, const char* code, const std::string& text) {
  return color ? std::string(code) + text + kReset : text;
}

// A whole number prints without a fraction ("600", not "600.0"), as in the run's JSON report.
json NumberJson(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > -9e15 && v < 9e15) {
    return static_cast<int64_t>(v);
  }
  return v;
}

json OptionalJson(const std::optional<double>& v) { return v ? NumberJson(*v) : json(nullptr); }

std::string NumberText(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6g}", v);
}

std::string OptionalText(const std::optional<double>& v) { return v ? NumberText(*v) : "-"; }

std::string Counts(size_t runs, size_t passed, size_t failed, size_t errors) {
  return fmt::format("{} run{}: {} passed, {} failed, {} error{}", runs, runs == 1 ? "" : "s",
                     passed, failed, errors, errors == 1 ? "" : "s");
}

std::string ExpectationText(const std::string& metric, const std::string& op,
                            const std::optional<double>& value) {
  return value ? fmt::format("{} {} {}", metric, op, NumberText(*value))
               : fmt::format("{} {}", metric, op);
}

std::string SecondsText(SimTime t) {
  int64_t us = t.micros();
  if (us % 1'000'000 == 0) return fmt::format("{}", us / 1'000'000);
  std::string text = fmt::format("{}.{:06}", us / 1'000'000, std::llabs(us % 1'000'000));
  while (text.back() == '0') text.pop_back();
  return text;
}

json WorstJson(const WorstRun& worst) {
  const StoredRun& run = *worst.run;
  json metrics = json::object();
  for (const std::string& name : kWorstMetricOrder) {
    auto it = run.metrics.find(name);
    if (it != run.metrics.end()) metrics[name] = OptionalJson(it->second.value);
  }
  return {{"seed", run.seed},
          {"status", run.status},
          {"error", run.context.error},
          {"sweep_id", run.context.sweep_id},
          {"run_index", run.context.run_index ? json(*run.context.run_index) : json(nullptr)},
          {"failed_expectations", worst.failed_expectations},
          {"metrics", metrics},
          {"replay", worst.replay}};
}

json GroupJson(const RunGroup& group) {
  json metrics = json::object();
  for (const auto& [name, s] : group.metrics) {
    metrics[name] = {{"values", s.values},         {"nulls", s.nulls},
                     {"min", OptionalJson(s.min)}, {"p50", OptionalJson(s.p50)},
                     {"p90", OptionalJson(s.p90)}, {"p99", OptionalJson(s.p99)},
                     {"max", OptionalJson(s.max)}, {"mean", OptionalJson(s.mean)}};
  }
  json expectations = json::array();
  for (const ExpectationStats& e : group.expectations) {
    expectations.push_back({{"metric", e.metric},
                            {"op", e.op},
                            {"value", OptionalJson(e.value)},
                            {"passed", e.passed},
                            {"total", e.total},
                            {"pass_rate", static_cast<double>(e.passed) /
                                              static_cast<double>(std::max<size_t>(e.total, 1))}});
  }
  json worst = json::array();
  for (const WorstRun& w : group.worst) worst.push_back(WorstJson(w));
  return {{"scenario", group.scenario}, {"parameters", group.parameters}, {"runs", group.runs},
          {"passed", group.passed},     {"failed", group.failed},         {"errors", group.errors},
          {"metrics", metrics},         {"expectations", expectations},   {"worst", worst}};
}

std::string MetricTable(const RunGroup& group) {
  size_t width = 6;
  for (const auto& [name, s] : group.metrics) width = std::max(width, name.size());
  std::string out =
      fmt::format("  {:<{}} {:>7} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "metric",
                  width, "values", "nulls", "min", "p50", "p90", "p99", "max", "mean");
  std::vector<std::string> always_null;
  for (const auto& [name, s] : group.metrics) {
    if (s.values == 0) {
      always_null.push_back(name);
      continue;
    }
    out += fmt::format("  {:<{}} {:>7} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", name,
                       width, s.values, s.nulls, OptionalText(s.min), OptionalText(s.p50),
                       OptionalText(s.p90), OptionalText(s.p99), OptionalText(s.max),
                       OptionalText(s.mean));
  }
  if (!always_null.empty()) {
    out += fmt::format("  null in every run: {}\n", fmt::join(always_null, ", "));
  }
  return out;
}

std::string ExpectationTable(const RunGroup& group, bool c) {
  if (group.expectations.empty()) return "";
  size_t width = 0;
  for (const ExpectationStats& e : group.expectations) {
    width = std::max(width, ExpectationText(e.metric, e.op, e.value).size());
  }
  std::string out = "  expectations (pass rate over runs that completed)\n";
  for (const ExpectationStats& e : group.expectations) {
    double rate =
        100.0 * static_cast<double>(e.passed) / static_cast<double>(std::max<size_t>(e.total, 1));
    std::string cell = fmt::format("{:>6.1f}%", rate);
    cell = Paint(c, e.passed == e.total ? kGreen : kRed, cell);
    out += fmt::format("    {}  {:<{}}  {}/{}\n", cell, ExpectationText(e.metric, e.op, e.value),
                       width, e.passed, e.total);
  }
  return out;
}

std::string WorstTable(const RunGroup& group, const RunsTableOptions& options) {
  const bool c = options.color;
  std::string out =
      "  worst runs (errors, then most failed expectations, then data loss, downtime, blast "
      "radius, convergence)\n";
  for (const WorstRun& w : group.worst) {
    const StoredRun& run = *w.run;
    const char* colour = run.status == "passed" ? kGreen : run.status == "failed" ? kRed : kYellow;
    std::string line = fmt::format("    seed {}  {}", run.seed, Paint(c, colour, run.status));
    if (!run.context.error.empty()) line += ": " + run.context.error;
    if (!w.failed_expectations.empty()) {
      line += "  failed: " + fmt::format("{}", fmt::join(w.failed_expectations, ", "));
    }
    for (const std::string& name : kWorstMetricOrder) {
      auto it = run.metrics.find(name);
      if (it != run.metrics.end() && it->second.value && *it->second.value != 0) {
        line += fmt::format("  {} {}", name, NumberText(*it->second.value));
        break;  // the metric that ranked it
      }
    }
    if (options.show_ids) line += Paint(c, kDim, fmt::format("  [{} run {}]", w.source, run.id));
    out += line + "\n      " + w.replay + "\n";
  }
  return out;
}

}  // namespace

std::string RenderRunsReportJson(const RunsReport& report) {
  json groups = json::array();
  for (const RunGroup& group : report.groups) groups.push_back(GroupJson(group));
  json doc = {{"runs", report.runs},
              {"passed", report.passed},
              {"failed", report.failed},
              {"errors", report.errors},
              {"groups", groups}};
  return doc.dump(2) + "\n";
}

std::string RenderRunsReportTable(const RunsReport& report, const RunsTableOptions& options) {
  const bool c = options.color;
  std::string out =
      Paint(c, kBold, "fleetsim report") + "  " +
      Counts(report.runs, report.passed, report.failed, report.errors) +
      fmt::format(" in {} group{}\n", report.groups.size(), report.groups.size() == 1 ? "" : "s");
  for (const RunGroup& group : report.groups) {
    std::string title = group.scenario;
    for (const std::string& p : group.parameters) title += " --set " + p;
    out += "\n" + Paint(c, kBold, title) + "\n";
    out += "  " + Counts(group.runs, group.passed, group.failed, group.errors) + "\n";
    if (!group.metrics.empty()) out += MetricTable(group);
    out += ExpectationTable(group, c);
    out += WorstTable(group, options);
  }
  return out;
}

std::string RenderStoredRun(const StoredRun& run, bool c) {
  std::string out = Paint(c, kBold, fmt::format("run {}  {}", run.id, run.scenario)) +
                    fmt::format("  seed {}  status {}\n", run.seed, run.status);
  if (!run.context.error.empty()) out += "  error: " + run.context.error + "\n";
  out += "  scenario file " + run.context.scenario_path + "\n";
  for (const std::string& p : run.context.parameters) out += "  --set " + p + "\n";
  if (!run.context.sweep_id.empty()) {
    out += "  sweep " + run.context.sweep_id;
    if (run.context.run_index) out += fmt::format(" run {}", *run.context.run_index);
    out += "\n";
  }
  out +=
      fmt::format("  fleetsim {}  events {}  wall {:.2f}s  trace digest {}\n", run.fleetsim_version,
                  run.events_processed, run.wall_seconds, run.trace_digest);
  out += "  replay: " + ReplayCommand(run) + "\n";
  if (!run.metrics.empty()) out += "metrics\n";
  for (const auto& [name, value] : run.metrics) {
    out += fmt::format("  {:<34} {}\n", name, FormatMetricValue(name, value));
  }
  if (!run.expectations.empty()) out += "expectations\n";
  for (const ExpectationResult& e : run.expectations) {
    out += fmt::format(
        "  {}  {:<34} actual {}\n", e.passed ? Paint(c, kGreen, "pass") : Paint(c, kRed, "FAIL"),
        ExpectationText(e.metric, e.op, e.value), FormatMetricValue(e.metric, e.actual));
  }
  out += fmt::format("timeline ({} records)\n", run.timeline.size());
  for (const TraceRecord& r : run.timeline) {
    out += fmt::format("  {:>12}  {:<16} {:<20} {:<22} {}", SecondsText(r.t), r.cluster, r.app,
                       r.event, r.object);
    if (!r.detail.empty()) out += "  " + r.detail;
    out += "\n";
  }
  return out;
}

}  // namespace fleetsim
