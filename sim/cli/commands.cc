#include "sim/cli/commands.h"

#include <ostream>

#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/output_file.h"
#include "reports/run_store.h"
#include "reports/terminal_summary.h"
#include "sim/cli/scenario_run.h"
#include "sim/cli/version.h"
#include "sim/manifest/process_tool_runner.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/world/world.h"

namespace fleetsim {

namespace {

// `run --junit`: one testsuite named after the scenario, a testcase per expectation.
Status WriteRunJUnit(const RunOptions& options, uint64_t seed, const RunReport& report,
                     std::ostream& out) {
  JUnitSuite suite{report.scenario, {}};
  AppendExpectationCases(report, "", ReplayCommand(options.scenario, seed, options.overrides),
                         &suite);
  std::string xml = RenderJUnitXml({suite});
  if (options.junit_path != "-") return WriteOutputFile(options.junit_path, xml);
  out << xml << std::flush;
  return Status::Ok();
}

}  // namespace

std::string VersionString() { return FLEETSIM_VERSION; }

int RunCommand(const RunOptions& options, std::ostream& out, std::ostream& err) {
  if (options.json_path == "-" && options.junit_path == "-") {
    err << "--json and --junit cannot both write to standard output\n";
    return kExitBadInput;
  }
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
  Result<CompletedRun> run = RunScenario(*scenario, seed, &tools, options.timeline_full);
  if (!run.ok()) {
    err << run.error() << "\n";
    return kExitBadInput;
  }
  const RunReport& report = run->report;

  if (options.json_path == "-") {
    out << RenderJsonReport(report) << std::flush;
  } else if (!options.json_path.empty()) {
    Status written = WriteOutputFile(options.json_path, RenderJsonReport(report));
    if (!written.ok()) {
      err << written.message() << "\n";
      return kExitInternal;
    }
  }
  if (!options.junit_path.empty()) {
    Status written = WriteRunJUnit(options, seed, report, out);
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
    // With the JSON or XML on stdout the summary goes to stderr, so stdout stays parseable.
    bool stdout_taken = options.json_path == "-" || options.junit_path == "-";
    std::ostream& summary_out = stdout_taken ? err : out;
    summary_out << RenderTerminalSummary(report, summary);
  }
  if (options.skip_teardown) static_cast<void>(run->world.release());  // the OS frees it at exit
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
