// The metric names of DESIGN.md's "Metrics" table: what `expect:` may name and what every report
// prints.
#ifndef FLEETSIM_SIM_SCENARIO_METRIC_NAMES_H_
#define FLEETSIM_SIM_SCENARIO_METRIC_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

namespace fleetsim {

// Every metric name, sorted.
const std::vector<std::string>& KnownMetrics();

bool IsKnownMetric(std::string_view name);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_METRIC_NAMES_H_
