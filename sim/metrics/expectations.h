// Evaluating a scenario's `expect:` block against the metrics of a finished run.
#ifndef FLEETSIM_SIM_METRICS_EXPECTATIONS_H_
#define FLEETSIM_SIM_METRICS_EXPECTATIONS_H_

#include <vector>

#include "sim/metrics/metric_value.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

// One result per expectation, in the scenario's order. A null metric fails eq/min/max and passes
// only {null: true}; a metric missing from `metrics` counts as null. `eq` compares exactly for
// integer metrics and within 1e-9 (relative) for real ones.
std::vector<ExpectationResult> EvaluateExpectations(const std::vector<Expectation>& expectations,
                                                    const MetricMap& metrics);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_METRICS_EXPECTATIONS_H_
