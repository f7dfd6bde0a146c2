// Metric values and the outcome of `expect:` checks, as metrics hand them to the reports.
#ifndef FLEETSIM_SIM_METRICS_METRIC_VALUE_H_
#define FLEETSIM_SIM_METRICS_METRIC_VALUE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace fleetsim {

// A metric's value; unset means null (the run gave it no value).
struct MetricValue {
  std::optional<double> value;
  bool integer = true;  // written as an integer in JSON

  static MetricValue Null(bool is_integer = true) { return {std::nullopt, is_integer}; }
  static MetricValue Int(int64_t v) { return {static_cast<double>(v), true}; }
  static MetricValue Real(double v) { return {v, false}; }
  bool operator==(const MetricValue&) const = default;
};

using MetricMap = std::map<std::string, MetricValue>;

struct ExpectationResult {
  std::string metric;
  std::string op;               // "eq", "min", "max", "null"
  std::optional<double> value;  // unset for "null"
  MetricValue actual;
  bool passed = false;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_METRICS_METRIC_VALUE_H_
