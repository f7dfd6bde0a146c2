#include "sim/cli/scenario_run.h"

#include <chrono>

#include "sim/cli/commands.h"
#include "sim/metrics/expectations.h"
#include "sim/scenario/scenario.h"
#include "sim/world/world.h"

namespace fleetsim {

CompletedRun::CompletedRun() = default;
CompletedRun::CompletedRun(CompletedRun&&) noexcept = default;
CompletedRun& CompletedRun::operator=(CompletedRun&&) noexcept = default;
CompletedRun::~CompletedRun() = default;

Result<CompletedRun> RunScenario(const Scenario& scenario, uint64_t seed, ToolRunner* tools,
                                 bool timeline_full) {
  Result<std::unique_ptr<World>> world = World::Build(scenario, seed, tools);
  if (!world.ok()) return world.status();
  CompletedRun run;
  run.world = std::move(*world);
  World& w = *run.world;
  w.trace().set_retain_all(timeline_full);

  // The CLI is the one place that reads the wall clock, and only to report how long a run took.
  auto started = std::chrono::steady_clock::now();
  w.RunToEnd();
  std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;

  RunReport& report = run.report;
  report.scenario = scenario.name;
  report.seed = seed;
  report.fleetsim_version = VersionString();
  report.wall_seconds = wall.count();
  report.events_processed = w.simulator().events_processed();
  report.metrics = w.Metrics();
  report.expectations = EvaluateExpectations(scenario.expectations, report.metrics);
  run.timeline = w.trace().records();
  report.timeline = run.timeline;
  report.trace_digest = w.trace().digest_hex();
  return run;
}

}  // namespace fleetsim
