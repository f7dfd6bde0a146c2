// One run of a loaded scenario, as `fleetsim run` and every run of `fleetsim sweep` perform it.
#ifndef FLEETSIM_SIM_CLI_SCENARIO_RUN_H_
#define FLEETSIM_SIM_CLI_SCENARIO_RUN_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/status.h"
#include "reports/run_report.h"

namespace fleetsim {

class ToolRunner;
class World;
struct Scenario;

// A finished run: its report, its world, and the trace records the report's timeline points into.
struct CompletedRun {
  CompletedRun();
  CompletedRun(CompletedRun&&) noexcept;
  CompletedRun& operator=(CompletedRun&&) noexcept;
  ~CompletedRun();

  std::unique_ptr<World> world;
  std::vector<TraceRecord> timeline;  // the world's kept trace records
  RunReport report;  // scenario, seed, version, wall time, metrics, expectations, timeline, digest
};

// Builds the world for `scenario` with run seed `seed`, runs it to the end of its duration and
// fills the report. `timeline_full` keeps work that changed nothing in the timeline. Fails only
// when the world cannot be built (an error naming file:line:column). Single-threaded; runs on
// different threads are independent. REQUIRES: `scenario` and `tools` outlive the result.
Result<CompletedRun> RunScenario(const Scenario& scenario, uint64_t seed, ToolRunner* tools,
                                 bool timeline_full);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_SCENARIO_RUN_H_
