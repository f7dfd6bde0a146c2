// `fleetsim sweep`: checks the whole sweep before the first run, runs it, reports.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <ostream>

#include "engine/random.h"
#include "reports/junit_report.h"
#include "reports/output_file.h"
#include "reports/run_store.h"
#include "sim/cli/commands.h"
#include "sim/cli/sweep_plan.h"
#include "sim/cli/sweep_progress.h"
#include "sim/cli/sweep_runner.h"
#include "sim/manifest/process_tool_runner.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

// The sweep as the command line gives it, checked.
struct SweepInput {
  SeedSequence seeds;
  Shard shard;
  std::vector<std::vector<std::string>> overrides;  // per combination
  std::vector<Scenario> scenarios;                  // per combination
  uint64_t total = 0;                               // runs of the whole sweep, every shard
};

std::string Joined(const std::vector<std::string>& overrides, std::string_view separator) {
  std::string out;
  for (const std::string& o : overrides) out += (out.empty() ? "" : std::string(separator)) + o;
  return out;
}

Result<SeedSequence> SeedsOf(const SweepOptions& o) {
  if (o.seeds && o.runs) return Status::Error("--seeds and --runs exclude each other");
  if (o.seeds && o.seed) {
    return Status::Error("--seed sets the base of --runs; --seeds A..B names the seeds itself");
  }
  if (o.seeds) return ParseSeedRange(*o.seeds);
  if (!o.runs) return Status::Error("give the seeds: --seeds A..B or --runs K [--seed S]");
  if (*o.runs == 0) return Status::Error("--runs 0: expected at least 1 run");
  return SeedSequence::Derived(0, *o.runs);  // the base is filled once the scenario is loaded
}

// Loads the scenario once per parameter combination, and builds each combination's world once,
// so every input error surfaces (file:line:column) before the first run.
Status LoadCombinations(const SweepOptions& o, SweepInput* in) {
  ProcessToolRunner tools;
  for (const std::vector<std::string>& overrides : in->overrides) {
    std::string context = overrides.empty() ? ""
                                            : "\n  (in the parameter combination --set " +
                                                  Joined(overrides, " --set ") + ")";
    Result<Scenario> scenario = LoadScenario(o.scenario, overrides);
    if (!scenario.ok()) return Status::Error(scenario.error() + context);
    if (in->scenarios.empty() && in->seeds.derived && !o.seed) in->seeds.base = scenario->seed;
    Result<std::unique_ptr<World>> world = World::Build(*scenario, in->seeds.At(0), &tools);
    if (!world.ok()) return Status::Error(world.error() + context);
    in->scenarios.push_back(std::move(*scenario));
  }
  return Status::Ok();
}

Result<SweepInput> CheckInput(const SweepOptions& o) {
  SweepInput in;
  Result<SeedSequence> seeds = SeedsOf(o);
  if (!seeds.ok()) return seeds.status();
  in.seeds = *seeds;
  if (o.seed) in.seeds.base = *o.seed;
  EnvLookup env = o.env;
  if (!env) env = [](const std::string&) { return std::optional<std::string>(); };
  Result<Shard> shard = SelectShard(o.shard, o.shard_total, env);
  if (!shard.ok()) return shard.status();
  in.shard = *shard;
  std::vector<SweepParameter> parameters;
  for (const std::string& set : o.sets) {
    Result<SweepParameter> p = ParseSweepParameter(set);
    if (!p.ok()) return p.status();
    parameters.push_back(std::move(*p));
  }
  if (Status s = CheckDistinctPaths(parameters); !s.ok()) return s;
  in.overrides = CrossProduct(parameters);
  Result<uint64_t> total = PlannedRuns(in.overrides.size(), in.seeds.count);
  if (!total.ok()) return total.status();
  in.total = *total;
  if (Status s = LoadCombinations(o, &in); !s.ok()) return s;
  return in;
}

// Keeps what JUnit needs of each written run, and renders one suite per combination with the
// cases in seed order, whatever order the runs finished in.
class JUnitCollector {
 public:
  void Add(const SweepRun& run, const RunReport& report) {
    RunReport kept;
    kept.scenario = report.scenario;
    kept.seed = report.seed;
    kept.expectations = report.expectations;
    runs_.push_back({run, std::move(kept)});
  }

  std::string Render(const SweepOptions& o, const SweepInput& in) {
    std::sort(runs_.begin(), runs_.end(),
              [](const Entry& a, const Entry& b) { return a.run.number < b.run.number; });
    std::vector<JUnitSuite> suites(in.overrides.size());
    for (size_t c = 0; c < suites.size(); ++c) {
      suites[c].name = in.scenarios[c].name;
      if (!in.overrides[c].empty()) suites[c].name += " [" + Joined(in.overrides[c], ", ") + "]";
    }
    for (const Entry& e : runs_) {
      const std::vector<std::string>& overrides = in.overrides[e.run.combination];
      AppendExpectationCases(e.report, fmt::format("seed {}: ", e.run.seed),
                             ReplayCommand(o.scenario, e.run.seed, overrides),
                             &suites[e.run.combination]);
    }
    return RenderJUnitXml(suites);
  }

 private:
  struct Entry {
    SweepRun run;
    RunReport report;  // scenario, seed and expectations only
  };
  std::vector<Entry> runs_;
};

// The run store behind the sink interface: one transaction per run, from the sweep's writer thread.
class StoreSink final : public RunSink {
 public:
  StoreSink(std::unique_ptr<RunStore> store, const SweepOptions& o, const SweepInput& in)
      : store_(std::move(store)), options_(o), input_(in), sweep_id_(SweepId(o, in)) {}

  Status Write(const SweepRun& run, const RunReport& report) override {
    RunContext context;
    context.scenario_path = options_.scenario;
    context.parameters = input_.overrides[run.combination];
    context.sweep_id = sweep_id_;
    context.run_index = run.number;
    Result<int64_t> id = store_->Append(context, report);
    return id.ok() ? Status::Ok() : id.status();
  }

 private:
  // The same for every shard of one sweep, and different for another sweep: a hash of what
  // decides the runs (scenario name, seeds, parameter lists), never of a clock.
  static std::string SweepId(const SweepOptions& o, const SweepInput& in) {
    std::string definition = in.scenarios.front().name + "\n" +
                             (in.seeds.derived ? "derived " : "literal ") +
                             std::to_string(in.seeds.base) + " " + std::to_string(in.seeds.count);
    for (const std::string& set : o.sets) definition += "\n" + set;
    return fmt::format("{:016x}", HashName(definition));
  }

  std::unique_ptr<RunStore> store_;
  const SweepOptions& options_;
  const SweepInput& input_;
  const std::string sweep_id_;
};

// The store first; JUnit keeps only what the store took.
class CommandSink final : public RunSink {
 public:
  CommandSink(RunSink* store, JUnitCollector* junit) : store_(store), junit_(junit) {}
  Status Write(const SweepRun& run, const RunReport& report) override {
    if (Status s = store_->Write(run, report); !s.ok()) return s;
    if (junit_ != nullptr) junit_->Add(run, report);
    return Status::Ok();
  }

 private:
  RunSink* store_;
  JUnitCollector* junit_;
};

std::string ShardText(const Shard& shard) {
  if (shard.count == 1) return "";
  return fmt::format(
      ", shard {}/{}{}", shard.index, shard.count,
      shard.source.empty() || shard.source == "--shard" ? "" : " (from " + shard.source + ")");
}

void PrintHeader(const SweepOptions& o, const SweepInput& in, uint64_t planned, std::ostream& err) {
  err << fmt::format("sweep {}: {} runs ({} combination{} x {} seeds){}: {} here, {} job{}{}\n",
                     o.scenario, in.total, in.overrides.size(), in.overrides.size() == 1 ? "" : "s",
                     in.seeds.count, ShardText(in.shard), planned, o.jobs, o.jobs == 1 ? "" : "s",
                     o.verify_determinism ? ", each seed run twice" : "");
}

void PrintSummary(const SweepOutcome& r, double seconds, std::ostream& out) {
  out << fmt::format("{} of {} runs written, {} with a failed expectation", r.written, r.planned,
                     r.expectation_failures);
  if (seconds > 0) out << fmt::format(", {:.2f} runs/s", static_cast<double>(r.written) / seconds);
  out << "\n";
  for (const std::string& e : r.build_errors) out << "error: " << e << "\n";
  for (const std::string& e : r.determinism_errors) out << "not deterministic: " << e << "\n";
}

int ExitCode(const SweepOptions& o, const SweepOutcome& r) {
  if (!r.sink_error.ok()) return kExitInternal;
  if (!r.build_errors.empty()) return kExitBadInput;
  if (r.stopped && o.stop_signal != nullptr && o.stop_signal->load() != 0) {
    return 128 + o.stop_signal->load();
  }
  if (!r.determinism_errors.empty() || r.expectation_failures > 0) return kExitExpectationFailed;
  return kExitOk;
}

SweepConfig MakeConfig(const SweepOptions& o, const SweepInput& in) {
  SweepConfig config;
  for (const Scenario& s : in.scenarios) config.combinations.push_back(&s);
  config.seeds = in.seeds;
  config.shard = in.shard;
  config.jobs = std::max(1u, o.jobs);
  config.verify_determinism = o.verify_determinism;
  config.timeline = o.timeline == "none"   ? TimelineVolume::kNone
                    : o.timeline == "full" ? TimelineVolume::kFull
                                           : TimelineVolume::kChanges;
  config.stop = o.stop;
  config.progress_interval = std::chrono::milliseconds(o.progress_bar ? 200 : 10'000);
  return config;
}

// Runs the sweep, showing progress on `err` (a bar on a terminal, plain lines otherwise).
SweepOutcome RunWithProgress(const SweepOptions& o, const SweepConfig& config, RunSink& sink,
                             std::ostream& err, double* elapsed) {
  bool told_stop = false;
  return RunSweep(config, sink, [&](const SweepProgress& p) {
    *elapsed = p.elapsed_seconds;
    if (o.stop != nullptr && o.stop->load() && !told_stop) {
      told_stop = true;
      err << (o.progress_bar ? "\n" : "")
          << "sweep: stopping: no new runs; writing the runs in flight\n";
    }
    err << (o.progress_bar ? ProgressBar(p) : ProgressLine(p)) << std::flush;
  });
}

}  // namespace

int SweepCommand(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  Result<SweepInput> input = CheckInput(options);
  if (!input.ok()) {
    err << input.error() << "\n";
    return kExitBadInput;
  }
  SweepInput& in = *input;
  RunSink* store = options.sink;
  std::unique_ptr<StoreSink> store_sink;
  if (store == nullptr) {
    StoreError error;
    std::unique_ptr<RunStore> opened =
        RunStore::Open(options.db_path, RunStore::Mode::kReadWrite, &error);
    if (opened == nullptr) {
      err << error.status.message() << "\n";
      return error.kind == StoreErrorKind::kNotAStore ? kExitBadInput : kExitInternal;
    }
    store_sink = std::make_unique<StoreSink>(std::move(opened), options, in);
    store = store_sink.get();
  }
  JUnitCollector junit;
  CommandSink sink(store, options.junit_path.empty() ? nullptr : &junit);
  SweepConfig config = MakeConfig(options, in);
  PrintHeader(options, in, in.shard.RunsOf(in.total), err);
  double elapsed = 0;
  SweepOutcome outcome = RunWithProgress(options, config, sink, err, &elapsed);
  if (options.progress_bar) err << "\n";
  // With the XML on stdout the summary goes to stderr, so stdout stays parseable.
  PrintSummary(outcome, elapsed, options.junit_path == "-" ? err : out);
  if (!outcome.sink_error.ok()) err << outcome.sink_error.message() << "\n";

  if (!options.junit_path.empty()) {
    if (Status s = WriteOutputFile(options.junit_path, junit.Render(options, in)); !s.ok()) {
      err << s.message() << "\n";
      return kExitInternal;
    }
  }
  return ExitCode(options, outcome);
}

}  // namespace fleetsim
