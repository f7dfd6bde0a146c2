#include "reports/terminal_summary.h"

#include <cmath>

#include <fmt/format.h>

namespace fleetsim {
namespace {

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kReset = "\033[0m";

std::string Paint(bool color, const char* code, const std::string& text) {
  return color ? std::string(code) + text + kReset : text;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string FormatNumber(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6g}", v);
}

// The metrics shown in the headline, in this order, when they have a value.
constexpr const char* kHeadline[] = {
    "apps_generated",
    "apps_deleted",
    "resources_deleted",
    "resources_orphaned",
    "clusters_affected",
    "workloads_unavailable_max",
    "downtime_seconds",
    "data_loss_pvcs",
    "convergence_p50_seconds",
    "convergence_p99_seconds",
    "fleet_convergence_seconds",
    "syncs",
    "sync_failures",
    "rollbacks",
    "bad_requests",
    "rto_seconds",
    "secrets_unrecoverable",
};

}  // namespace

std::string FormatMetricValue(const std::string& name, const MetricValue& value) {
  if (!value.value) return "null";
  double v = *value.value;
  if (EndsWith(name, "_seconds") && v >= 60) {
    int64_t us = std::llround(v * 1e6);
    return fmt::format("{} ({}s)", FormatDuration(SimDuration::Micros(us)), FormatNumber(v));
  }
  return FormatNumber(v);
}

std::string RenderTerminalSummary(const RunReport& report, const SummaryOptions& options) {
  const bool c = options.color;
  std::string out;
  out += Paint(c, kBold, fmt::format("fleetsim {}", report.scenario));
  out += fmt::format("  seed {}  simulated {}  events {}  wall {:.2f}s\n", report.seed,
                     options.sim_duration, report.events_processed, report.wall_seconds);
  bool any = false;
  for (const char* name : kHeadline) {
    auto it = report.metrics.find(name);
    if (it == report.metrics.end() || !it->second.value) continue;
    out += fmt::format("  {:<28} {}\n", name, FormatMetricValue(name, it->second));
    any = true;
  }
  if (!any) out += Paint(c, kDim, "  (no fleet metrics have a value in this run)\n");
  if (report.expectations.empty()) return out;

  int failed = 0;
  out += "expectations\n";
  for (const ExpectationResult& e : report.expectations) {
    std::string want = e.op == "null" ? "null" : fmt::format("{} {}", e.op, FormatNumber(*e.value));
    std::string mark = e.passed ? Paint(c, kGreen, "pass") : Paint(c, kRed, "FAIL");
    out += fmt::format("  {}  {:<28} expected {:<12} actual {}\n", mark, e.metric, want,
                       FormatMetricValue(e.metric, e.actual));
    if (!e.passed) ++failed;
  }
  size_t total = report.expectations.size();
  std::string verdict =
      fmt::format("{} passed, {} failed", total - static_cast<size_t>(failed), failed);
  out += Paint(c, failed == 0 ? kGreen : kRed, verdict) + "\n";
  return out;
}

}  // namespace fleetsim
