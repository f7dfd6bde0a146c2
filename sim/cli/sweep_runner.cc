#include "sim/cli/sweep_runner.h"

// Boost 1.74's Asio needs <utility> first under C++20 with GCC 12 (STYLE.md 13).
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "sim/cli/scenario_run.h"
#include "sim/manifest/process_tool_runner.h"

namespace fleetsim {
namespace {

using Clock = std::chrono::steady_clock;

// A run a worker has finished, waiting for the writer.
struct Finished {
  SweepRun run;
  std::optional<CompletedRun> completed;  // unset when the world could not be built
  std::string build_error;
  std::string determinism_error;
  bool handled = false;  // set by the writer; the worker then frees the world
};

// Many workers hand finished runs to one writer and wait until it has handled theirs.
class Handoff {
 public:
  explicit Handoff(size_t workers) : workers_left_(workers) {}

  // Worker side: blocks until the writer has handled `f`.
  void Submit(Finished* f) {
    std::unique_lock lock(mu_);
    queue_.push_back(f);
    writer_cv_.notify_one();
    worker_cv_.wait(lock, [f] { return f->handled; });
  }

  void WorkerDone() {
    std::lock_guard lock(mu_);
    --workers_left_;
    writer_cv_.notify_one();
  }

  // Writer side: the next finished run, or nullptr at the deadline or once every worker is done
  // (then *all_done is set).
  Finished* Next(Clock::time_point deadline, bool* all_done) {
    std::unique_lock lock(mu_);
    writer_cv_.wait_until(lock, deadline, [this] { return !queue_.empty() || workers_left_ == 0; });
    *all_done = queue_.empty() && workers_left_ == 0;
    if (queue_.empty()) return nullptr;
    Finished* f = queue_.front();
    queue_.pop_front();
    return f;
  }

  void Handled(Finished* f) {
    std::lock_guard lock(mu_);
    f->handled = true;
    worker_cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable writer_cv_;
  std::condition_variable worker_cv_;
  std::deque<Finished*> queue_;
  size_t workers_left_;
};

std::string RunName(const SweepRun& run) {
  return "seed " + std::to_string(run.seed) + " (combination " + std::to_string(run.combination) +
         ")";
}

// Runs one plan entry (twice with verify_determinism) on the calling worker thread.
void Execute(const SweepConfig& config, ToolRunner* tools, Finished* f) {
  const Scenario& scenario = *config.combinations[f->run.combination];
  const bool full = config.timeline == TimelineVolume::kFull;
  Result<CompletedRun> first = RunScenario(scenario, f->run.seed, tools, full);
  if (!first.ok()) {
    f->build_error = RunName(f->run) + ": " + first.error();
    return;
  }
  f->completed = std::move(*first);
  if (config.timeline == TimelineVolume::kNone) {
    f->completed->report.timeline = {};
    f->completed->timeline = {};
  }
  if (!config.verify_determinism) return;
  Result<CompletedRun> second = RunScenario(scenario, f->run.seed, tools, full);
  if (!second.ok()) {
    f->build_error = RunName(f->run) + ": second run: " + second.error();
    return;
  }
  const std::string& a = f->completed->report.trace_digest;
  const std::string& b = second->report.trace_digest;
  if (a != b) {
    f->determinism_error = RunName(f->run) + ": two runs of the same seed differ (trace digests " +
                           a + " and " + b + ")";
  }
}

class Sweep {
 public:
  Sweep(const SweepConfig& config, uint64_t planned) : config_(config), planned_(planned) {}

  // Worker loop: takes plan entries until none is left or the sweep stops.
  void Work(Handoff* handoff) {
    ProcessToolRunner tools;
    while (!Stopping()) {
      uint64_t i = next_.fetch_add(1);
      if (i >= planned_) break;
      Finished f;
      f.run = RunAt(config_.shard.index + i * config_.shard.count);
      Execute(config_, &tools, &f);
      handoff->Submit(&f);
    }
    handoff->WorkerDone();
  }

  void Abort() { aborted_.store(true); }
  bool StartedAll() const { return next_.load() >= planned_; }

 private:
  bool Stopping() const {
    return aborted_.load() || (config_.stop != nullptr && config_.stop->load());
  }

  SweepRun RunAt(uint64_t number) const {
    uint64_t combinations = config_.combinations.size();
    SweepRun run;
    run.number = number;
    run.seed_index = number / combinations;
    run.combination = static_cast<size_t>(number % combinations);
    run.seed = config_.seeds.At(run.seed_index);
    return run;
  }

  const SweepConfig& config_;
  const uint64_t planned_;
  std::atomic<uint64_t> next_{0};
  std::atomic<bool> aborted_{false};
};

// The writer's part for one finished run.
void Record(Finished* f, RunSink& sink, Sweep* sweep, SweepOutcome* outcome) {
  if (!f->build_error.empty()) {
    outcome->build_errors.push_back(f->build_error);
    return;
  }
  if (!f->determinism_error.empty()) outcome->determinism_errors.push_back(f->determinism_error);
  if (!outcome->sink_error.ok()) return;
  Status written = sink.Write(f->run, f->completed->report);
  if (!written.ok()) {
    outcome->sink_error = written;
    sweep->Abort();
    return;
  }
  ++outcome->written;
  if (!f->completed->report.all_expectations_passed()) ++outcome->expectation_failures;
}

}  // namespace

Result<uint64_t> PlannedRuns(uint64_t combinations, uint64_t seeds) {
  if (combinations != 0 && seeds > UINT64_MAX / combinations) {
    return Status::Error("the sweep has more than 2^64-1 runs (" + std::to_string(combinations) +
                         " combinations x " + std::to_string(seeds) + " seeds)");
  }
  return combinations * seeds;
}

SweepOutcome RunSweep(const SweepConfig& config, RunSink& sink,
                      const std::function<void(const SweepProgress&)>& on_progress) {
  SweepOutcome outcome;
  Result<uint64_t> total = PlannedRuns(config.combinations.size(), config.seeds.count);
  outcome.planned = total.ok() ? config.shard.RunsOf(*total) : 0;
  Sweep sweep(config, outcome.planned);
  unsigned jobs = std::max(1u, config.jobs);
  Handoff handoff(jobs);
  boost::asio::thread_pool pool(jobs);
  for (unsigned j = 0; j < jobs; ++j) {
    boost::asio::post(pool, [&sweep, &handoff] { sweep.Work(&handoff); });
  }

  const Clock::time_point started = Clock::now();
  Clock::time_point next_report = started + config.progress_interval;
  uint64_t done = 0;
  auto report = [&] {
    std::chrono::duration<double> elapsed = Clock::now() - started;
    on_progress(SweepProgress{done, outcome.planned, elapsed.count()});
  };
  for (bool all_done = false; !all_done;) {
    if (Finished* f = handoff.Next(next_report, &all_done)) {
      Record(f, sink, &sweep, &outcome);
      ++done;
      handoff.Handled(f);
    }
    if (Clock::now() >= next_report) {
      report();
      next_report = Clock::now() + config.progress_interval;
    }
  }
  pool.join();
  report();
  outcome.stopped = !sweep.StartedAll();
  return outcome;
}

}  // namespace fleetsim
