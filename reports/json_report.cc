#include "reports/json_report.h"

#include <nlohmann/json.hpp>

namespace fleetsim {
namespace {

using nlohmann::json;

// A whole number within int64 range prints without a fraction ("600", not "600.0").
json NumberJson(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > -9e15 && v < 9e15) {
    return static_cast<int64_t>(v);
  }
  return v;
}

json MetricJson(const MetricValue& m) {
  if (!m.value) return nullptr;
  if (m.integer) return static_cast<int64_t>(*m.value);
  return NumberJson(*m.value);
}

// Seconds since start as an integer when whole, else a number with up to six decimals.
json SecondsJson(SimTime t) {
  int64_t us = t.micros();
  if (us % 1'000'000 == 0) return us / 1'000'000;
  return static_cast<double>(us) / 1e6;
}

json TimelineJson(std::span<const TraceRecord> records) {
  json out = json::array();
  for (const TraceRecord& r : records) {
    out.push_back({{"t", SecondsJson(r.t)},
                   {"cluster", r.cluster},
                   {"app", r.app},
                   {"object", r.object},
                   {"event", r.event},
                   {"detail", r.detail}});
  }
  return out;
}

}  // namespace

std::string RenderJsonReport(const RunReport& report) {
  json metrics = json::object();
  for (const auto& [name, value] : report.metrics) metrics[name] = MetricJson(value);

  json expectations = json::array();
  for (const ExpectationResult& e : report.expectations) {
    expectations.push_back({{"metric", e.metric},
                            {"op", e.op},
                            {"value", e.value ? NumberJson(*e.value) : json(nullptr)},
                            {"actual", MetricJson(e.actual)},
                            {"passed", e.passed}});
  }

  double eps = report.wall_seconds > 0
                   ? static_cast<double>(report.events_processed) / report.wall_seconds
                   : 0.0;
  json doc = {{"scenario", report.scenario},
              {"seed", report.seed},
              {"fleetsim_version", report.fleetsim_version},
              {"run", {{"wall_seconds", report.wall_seconds}, {"events_per_second", eps}}},
              {"metrics", metrics},
              {"expectations", expectations},
              {"timeline", TimelineJson(report.timeline)}};
  return doc.dump(2) + "\n";
}

}  // namespace fleetsim
