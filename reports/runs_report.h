// How `fleetsim report` prints: the aggregate over stored runs as a terminal table or as JSON, and
// one stored run in full.
#ifndef FLEETSIM_REPORTS_RUNS_REPORT_H_
#define FLEETSIM_REPORTS_RUNS_REPORT_H_

#include <string>

#include "reports/run_aggregate.h"
#include "reports/run_store.h"

namespace fleetsim {

// JSON with sorted keys, groups in (scenario, parameters) order and no database paths or row ids,
// so shards merged in any order print exactly what one database holding the same runs prints:
// {runs, passed, failed, errors, groups: [{scenario, parameters, runs, passed, failed, errors,
//  metrics: {NAME: {values, nulls, min, p50, p90, p99, max, mean}},
//  expectations: [{metric, op, value, passed, total, pass_rate}],
//  worst: [{seed, status, error, sweep_id, run_index, failed_expectations, metrics, replay}]}]}
std::string RenderRunsReportJson(const RunsReport& report);

struct RunsTableOptions {
  bool color = false;     // ANSI colours; the CLI sets it only when stdout is a terminal
  bool show_ids = false;  // name each worst run's database and id (`report DB --run ID`)
};

// A table per group: metric distribution, expectation pass rates, worst runs and their replay
// commands.
std::string RenderRunsReportTable(const RunsReport& report, const RunsTableOptions& options);

// One stored run: what ran, its status, the replay command, every metric, every expectation and
// the stored timeline.
std::string RenderStoredRun(const StoredRun& run, bool color);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_RUNS_REPORT_H_
