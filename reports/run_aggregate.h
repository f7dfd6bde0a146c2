// What `fleetsim report` computes over stored runs: per (scenario, parameter combination), each
// metric's distribution over seeds, each expectation's pass rate, and the worst runs with the
// command that replays them. Every result is independent of the order of the input runs (groups,
// values and ties are sorted), so shards merged in any order report exactly as one database.
#ifndef FLEETSIM_REPORTS_RUN_AGGREGATE_H_
#define FLEETSIM_REPORTS_RUN_AGGREGATE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/run_store.h"

namespace fleetsim {

// Nearest-rank percentile (DESIGN.md "Metrics"): the value at rank ceil(p/100 * n), 1-based.
// REQUIRES: sorted ascending, not empty, 0 < p <= 100.
double NearestRankPercentile(const std::vector<double>& sorted, int p);

// A metric over the runs of a group that completed. `values` counts runs where it had a value,
// `nulls` runs where it was null; the statistics are over the values (unset when there are none).
struct MetricStats {
  size_t values = 0;
  size_t nulls = 0;
  std::optional<double> min, p50, p90, p99, max, mean;
};

// One `expect:` entry (metric, op, value) over the runs that evaluated it.
struct ExpectationStats {
  std::string metric;
  std::string op;
  std::optional<double> value;
  size_t passed = 0;
  size_t total = 0;
};

// A run as the worst-runs list shows it. `source` and `id` say where it is stored.
struct WorstRun {
  const StoredRun* run = nullptr;
  std::string source;                            // the database it was read from
  std::vector<std::string> failed_expectations;  // "metric op value", in the run's order
  std::string replay;                            // the `fleetsim run` command that reproduces it
};

struct RunGroup {
  std::string scenario;
  std::vector<std::string> parameters;  // PATH=VALUE, as the runs were given them
  size_t runs = 0, passed = 0, failed = 0, errors = 0;
  std::map<std::string, MetricStats> metrics;
  std::vector<ExpectationStats> expectations;  // sorted by (metric, op, value)
  std::vector<WorstRun> worst;                 // worst first; at most AggregateOptions::worst
};

struct RunsReport {
  size_t runs = 0, passed = 0, failed = 0, errors = 0;
  std::vector<RunGroup> groups;  // sorted by (scenario, parameters)
};

// A run to aggregate and the database it came from. REQUIRES: `run` outlives the report.
struct SourcedRun {
  const StoredRun* run = nullptr;
  std::string source;
};

struct AggregateOptions {
  size_t worst = 5;
};

RunsReport AggregateRuns(const std::vector<SourcedRun>& runs, const AggregateOptions& options);

// Orders runs worst first: a run that did not complete; then more failed expectations; then, one
// metric after another, the larger value (kWorstMetricOrder; a null counts as no harm, except for
// the metrics whose null means "never recovered"); then seed, sweep id, run index and trace digest,
// so that ties never depend on input order.
bool WorseRun(const StoredRun& a, const StoredRun& b);
extern const std::vector<std::string> kWorstMetricOrder;

// `fleetsim run PATH --seed N --set P=V...`, each argument quoted for a POSIX shell when needed.
std::string ReplayCommand(const StoredRun& run);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_RUN_AGGREGATE_H_
