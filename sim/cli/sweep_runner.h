// Runs a sweep's runs on a Boost.Asio thread pool and hands each finished run to one writer.
//
// Every run is single-threaded and independent: a worker builds its own world from a shared,
// read-only Scenario. Workers pass finished runs to the calling thread, the only one that calls
// the RunSink, so a store sees one writer and one transaction per run; a worker keeps its world
// (which owns the run's timeline) until the run is written, then frees it and takes the next run.
#ifndef FLEETSIM_SIM_CLI_SWEEP_RUNNER_H_
#define FLEETSIM_SIM_CLI_SWEEP_RUNNER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "reports/run_report.h"
#include "sim/cli/sweep_plan.h"

namespace fleetsim {

struct Scenario;

struct SweepRun {
  uint64_t number = 0;      // r in the plan (sweep_plan.h)
  uint64_t seed_index = 0;  // k
  size_t combination = 0;   // c
  uint64_t seed = 0;
};

// Where finished runs go: the run store, a JUnit collector, a test's vector.
class RunSink {
 public:
  virtual ~RunSink() = default;
  // Records one finished run. Called from one thread, one run at a time, in completion order
  // (not run order). A failed Status stops the sweep from starting new runs.
  virtual Status Write(const SweepRun& run, const RunReport& report) = 0;
};

struct SweepProgress {
  uint64_t done = 0;   // runs finished (written or failed)
  uint64_t total = 0;  // runs of this shard
  double elapsed_seconds = 0;
};

enum class TimelineVolume { kNone, kChanges, kFull };

struct SweepConfig {
  // One loaded scenario per parameter combination. REQUIRES: they outlive RunSweep.
  std::vector<const Scenario*> combinations;
  SeedSequence seeds;
  Shard shard;
  unsigned jobs = 1;
  bool verify_determinism = false;  // run each seed twice and compare the trace digests
  // What each run keeps of its timeline for the sink: nothing, the changes of state (the default),
  // or every record (as `run --timeline`). Metrics, expectations and the trace digest never depend
  // on it.
  TimelineVolume timeline = TimelineVolume::kChanges;
  // Set by a signal handler (or a test): start no new run, finish the runs in flight. May be null.
  const std::atomic<bool>* stop = nullptr;
  std::chrono::milliseconds progress_interval{250};
};

struct SweepOutcome {
  uint64_t planned = 0;               // runs of this shard
  uint64_t written = 0;               // runs the sink recorded
  uint64_t expectation_failures = 0;  // written runs with an expectation failed
  // Runs that could not be built, and seeds whose two runs differ (--verify-determinism), each
  // naming the seed and the combination's index.
  std::vector<std::string> build_errors;
  std::vector<std::string> determinism_errors;
  Status sink_error;     // the first failed Write
  bool stopped = false;  // `stop` was set before every run had started
};

// The total number of runs of a plan, or an error when it does not fit in 64 bits.
Result<uint64_t> PlannedRuns(uint64_t combinations, uint64_t seeds);

// Runs this shard's runs with `config.jobs` workers and writes each to `sink` from the calling
// thread, calling `on_progress` from it at most every progress_interval and once at the end.
SweepOutcome RunSweep(const SweepConfig& config, RunSink& sink,
                      const std::function<void(const SweepProgress&)>& on_progress);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_SWEEP_RUNNER_H_
