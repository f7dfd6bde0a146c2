// The JSON report (DESIGN.md "Metrics"): keys sorted, timeline in (t, sequence) order, so the
// text is byte-identical for the same scenario, seed and version except run.wall_seconds and
// run.events_per_second.
#ifndef FLEETSIM_REPORTS_JSON_REPORT_H_
#define FLEETSIM_REPORTS_JSON_REPORT_H_

#include <string>

#include "reports/run_report.h"

namespace fleetsim {

std::string RenderJsonReport(const RunReport& report);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_JSON_REPORT_H_
