// Sweep throughput (DESIGN.md "Sweeps and scale-out"): runs per second of a bundled scenario
// through the sweep's thread pool with 1 and 2 jobs, the runs handed to a sink that keeps nothing
// (the run store's cost is not measured here).
//
//   sweep_bench --benchmark_filter='BM_Sweep/scenario:0/jobs:1'
//
// Each iteration is one sweep of `runs` seeds; the manual time is its wall time, and the
// runs_per_second counter is runs / wall seconds. On a machine whose cores are shared with other
// work, jobs:2 shows the speed-up the free cores allow, not more.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "sim/cli/sweep_runner.h"
#include "sim/scenario/scenario_loader.h"

namespace fleetsim {
namespace {

constexpr const char* kScenarios[] = {"drift-selfheal", "article-bootstrap"};
constexpr uint64_t kRuns = 64;

class DiscardSink final : public RunSink {
 public:
  Status Write(const SweepRun&, const RunReport&) override { return Status::Ok(); }
};

void BM_Sweep(benchmark::State& state) {
  std::string path =
      std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/" + kScenarios[state.range(0)] + ".yaml";
  Result<Scenario> scenario = LoadScenario(path, {});
  if (!scenario.ok()) {
    state.SkipWithError(scenario.error().c_str());
    return;
  }
  SweepConfig config;
  config.combinations = {&*scenario};
  config.seeds = SeedSequence::Derived(1, kRuns);
  config.jobs = static_cast<unsigned>(state.range(1));
  config.progress_interval = std::chrono::hours(1);
  DiscardSink sink;
  double runs = 0, seconds = 0;
  for (auto _ : state) {
    auto started = std::chrono::steady_clock::now();
    SweepOutcome outcome = RunSweep(config, sink, [](const SweepProgress&) {});
    std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    state.SetIterationTime(wall.count());
    runs += static_cast<double>(outcome.written);
    seconds += wall.count();
  }
  state.counters["runs_per_second"] = seconds > 0 ? runs / seconds : 0;
  state.SetLabel(kScenarios[state.range(0)]);
}
BENCHMARK(BM_Sweep)
    ->ArgNames({"scenario", "jobs"})
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace fleetsim

BENCHMARK_MAIN();
