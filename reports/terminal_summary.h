// The summary printed after `fleetsim run`: what ran, the headline metrics, each expectation.
#ifndef FLEETSIM_REPORTS_TERMINAL_SUMMARY_H_
#define FLEETSIM_REPORTS_TERMINAL_SUMMARY_H_

#include <string>

#include "reports/run_report.h"

namespace fleetsim {

struct SummaryOptions {
  bool color = false;        // ANSI colours; the CLI sets it only when stdout is a terminal
  std::string sim_duration;  // e.g. "2h", as the scenario says
};

std::string RenderTerminalSummary(const RunReport& report, const SummaryOptions& options);

// A metric value as people read it: "null", "12", "0.95", "1m30s" for *_seconds metrics.
std::string FormatMetricValue(const std::string& name, const MetricValue& value);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_TERMINAL_SUMMARY_H_
