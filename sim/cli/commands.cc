#include "sim/cli/commands.h"

#include <chrono>
#include <ostream>

#include "reports/json_report.h"
#include "reports/output_file.h"
#include "reports/run_store.h"
#include "reports/terminal_summary.h"
#include "sim/cli/version.h"
#include "sim/manifest/process_tool_runner.h"
#include "sim/metrics/expectations.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/world/world.h"

namespace fleetsim {

std::string VersionString() { return FLEETSIM_VERSION; }

int RunCommand(const RunOptions& options, std::ostream& out, std::ostream& err) {
  Result<Scenario> scenario = LoadScenario(options.scenario, options.overrides);
  if (!scenario.ok()) {
    err << scenario.error() << "\n";
    return kExitBadInput;
  }
  std::unique_ptr<RunStore> store;
  if (!options.db_path.empty()) {
    // Opened before the run, so that a file that is not a run store costs no simulation.
    StoreError error;
    store = RunStore::Open(options.db_path, RunStore::Mode::kReadWrite, &error);
    if (store == nullptr) {
      err << error.status.message() << "\n";
      return error.kind == StoreErrorKind::kNotAStore ? kExitBadInput : kExitInternal;
    }
  }
  uint64_t seed = options.seed.value_or(scenario->seed);
  ProcessToolRunner tools;
  Result<std::unique_ptr<World>> world = World::Build(*scenario, seed, &tools);
  if (!world.ok()) {
    err << world.error() << "\n";
    return kExitBadInput;
  }
  World& w = **world;
  w.trace().set_retain_all(options.timeline_full);

  // The CLI is the one place that reads the wall clock, and only to report how long a run took.
  auto started = std::chrono::steady_clock::now();
  w.RunToEnd();
  std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;

  RunReport report;
  report.scenario = scenario->name;
  report.seed = seed;
  report.fleetsim_version = VersionString();
  report.wall_seconds = wall.count();
  report.events_processed = w.simulator().events_processed();
  report.metrics = w.Metrics();
  report.expectations = EvaluateExpectations(scenario->expectations, report.metrics);
  report.timeline = w.trace().records();
  report.trace_digest = w.trace().digest_hex();

  if (options.json_path == "-") {
    out << RenderJsonReport(report) << std::flush;
  } else if (!options.json_path.empty()) {
    Status written = WriteOutputFile(options.json_path, RenderJsonReport(report));
    if (!written.ok()) {
      err << written.message() << "\n";
      return kExitInternal;
    }
  }
  if (store != nullptr) {
    RunContext context;
    context.scenario_path = options.scenario;
    context.parameters = options.overrides;
    Result<int64_t> appended = store->Append(context, report);
    if (!appended.ok()) {
      err << appended.error() << "\n";
      return kExitInternal;
    }
  }
  if (!options.quiet) {
    SummaryOptions summary;
    summary.color = options.color;
    summary.sim_duration = FormatDuration(scenario->duration);
    // With the JSON on stdout the summary goes to stderr, so stdout stays parseable.
    std::ostream& summary_out = options.json_path == "-" ? err : out;
    summary_out << RenderTerminalSummary(report, summary);
  }
  if (options.skip_teardown) static_cast<void>(world->release());  // the OS frees it at exit
  return report.all_expectations_passed() ? kExitOk : kExitExpectationFailed;
}

int ValidateCommand(const std::vector<std::string>& scenarios, std::ostream& out,
                    std::ostream& err) {
  int code = kExitOk;
  ProcessToolRunner tools;
  for (const std::string& path : scenarios) {
    Result<Scenario> scenario = LoadScenario(path, {});
    if (scenario.ok()) {
      Result<std::unique_ptr<World>> world = World::Build(*scenario, scenario->seed, &tools);
      if (world.ok()) {
        Status rendered = (*world)->RenderBootstrapApps();
        std::vector<std::string> errors;
        if (!rendered.ok()) errors.push_back(rendered.message());
        for (std::string& e : (*world)->ValidateApplicationSets()) errors.push_back(std::move(e));
        if (errors.empty()) {
          out << path << ": ok\n";
          continue;
        }
        for (const std::string& e : errors) err << e << "\n";
      } else {
        err << world.error() << "\n";
      }
    } else {
      err << scenario.error() << "\n";
    }
    code = kExitBadInput;
  }
  return code;
}

}  // namespace fleetsim
