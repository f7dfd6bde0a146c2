// What one run produced, in the shape every report format writes (DESIGN.md "Metrics").
#ifndef FLEETSIM_REPORTS_RUN_REPORT_H_
#define FLEETSIM_REPORTS_RUN_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/trace.h"
#include "sim/metrics/metric_value.h"

namespace fleetsim {

struct RunReport {
  std::string scenario;
  uint64_t seed = 0;
  std::string fleetsim_version;
  double wall_seconds = 0;  // the only field that differs between identical runs
  uint64_t events_processed = 0;
  std::map<std::string, MetricValue> metrics;
  std::vector<ExpectationResult> expectations;
  // The retained trace records, in (t, sequence) order. REQUIRES: outlives the report's use.
  std::span<const TraceRecord> timeline;
  std::string trace_digest;  // hex digest of the whole trace, retained or not

  bool all_expectations_passed() const;
};

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_RUN_REPORT_H_
