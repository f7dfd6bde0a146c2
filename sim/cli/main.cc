// fleetsim: the command line. Parses arguments with CLI11 and maps outcomes to exit codes.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "sim/cli/commands.h"

namespace {

using fleetsim::kExitBadInput;
using fleetsim::kExitInternal;

// Set by SIGINT/SIGTERM during a sweep. Process-wide because a signal handler can reach nothing
// else; lock-free atomics are async-signal-safe.
std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signal{0};

void OnStopSignal(int signo) {
  g_stop_signal.store(signo);
  g_stop.store(true);
}

// The first SIGINT or SIGTERM asks the sweep to stop after the runs in flight; the handler is
// then reset (SA_RESETHAND), so a second one ends the process at once.
void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

std::optional<std::string> GetEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

int Main(int argc, char** argv) {
  CLI::App app{"fleetsim: a deterministic simulator of a GitOps fleet and a chaos harness for it"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fleetsim::VersionString());

  fleetsim::RunOptions run;
  std::string timeline = "changes";
  CLI::App* run_cmd =
      app.add_subcommand("run", "Run a scenario and report blast radius and convergence");
  run_cmd->add_option("SCENARIO", run.scenario, "Scenario file")->required();
  run_cmd->add_option("--seed", run.seed, "Run seed (default: the scenario's seed)");
  run_cmd->add_option("--set", run.overrides,
                      "Override a scenario scalar, PATH=VALUE (repeatable)");
  run_cmd->add_option("--json", run.json_path, "Write the JSON report to FILE ('-' for stdout)");
  run_cmd->add_option("--junit", run.junit_path,
                      "Write JUnit XML, a testcase per expectation, to FILE ('-' for stdout)");
  run_cmd->add_option("--db", run.db_path, "Append the run to the SQLite run store FILE");
  run_cmd->add_option("--timeline", timeline, "Timeline volume: changes (default) or full")
      ->check(CLI::IsMember({"changes", "full"}));
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print no summary");

  std::vector<std::string> to_validate;
  CLI::App* validate_cmd = app.add_subcommand(
      "validate", "Load scenarios and render everything they name; exit 2 on any error");
  validate_cmd->add_option("SCENARIO", to_validate, "Scenario files")->required();

  fleetsim::ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "report",
      "Aggregate stored runs per scenario and parameters: percentiles, pass rates, "
      "worst seeds");
  report_cmd->add_option("DB", report.databases, "Run store databases")->required();
  report_cmd->add_option("--merge", report.merge_out,
                         "Write the runs of every DB into the new database OUT.db first");
  report_cmd->add_flag("--json", report.json, "Print JSON instead of tables");
  report_cmd->add_option("--run", report.run_id,
                         "Print one stored run: metrics, "
                         "expectations, timeline");

  CLI::App* version_cmd = app.add_subcommand("version", "Print the fleetsim version");

  fleetsim::AppSetGenerateOptions generate;
  CLI::App* appset_cmd = app.add_subcommand("appset", "ApplicationSet tools");
  appset_cmd->require_subcommand(1);
  CLI::App* generate_cmd = appset_cmd->add_subcommand(
      "generate", "Print the Applications an ApplicationSet generates, offline");
  generate_cmd->add_option("APPSET", generate.appset_file, "ApplicationSet file")->required();
  CLI::Option* repo_opt = generate_cmd->add_option(
      "--repo", generate.repos, "DIR (the repository every repoURL reads) or URL=DIR (repeatable)");
  CLI::Option* git_opt = generate_cmd->add_option(
      "--git", generate.git, "REPO[@REV]: a Git repository read at REV (default HEAD)");
  repo_opt->excludes(git_opt);
  generate_cmd->add_option("--clusters", generate.clusters_file,
                           "Fleet file: a scenario's clusters: list or Argo CD cluster Secrets");
  generate_cmd->add_option("-o,--output", generate.output, "Output format: yaml (default) or json")
      ->check(CLI::IsMember({"yaml", "json"}));

  fleetsim::DiffOptions diff;
  CLI::App* diff_cmd = app.add_subcommand(
      "diff", "What merging HEAD onto BASE does to the fleet; exit 1 when a limit is exceeded");
  diff_cmd->add_option("--git", diff.git, "The Git repository (work tree or bare)")->required();
  diff_cmd->add_option("--base", diff.base, "The revision the change lands on")->required();
  diff_cmd->add_option("--head", diff.head, "The revision of the change")->required();
  diff_cmd->add_option("--fleet", diff.fleet_file,
                       "Fleet file: a scenario's clusters: list or Argo CD cluster Secrets");
  diff_cmd->add_option("--max-app-deletions", diff.max_app_deletions,
                       "Exit 1 when more Applications are deleted");
  diff_cmd->add_option("--max-prunes", diff.max_prunes, "Exit 1 when more resources are pruned");
  diff_cmd->add_option("-o,--output", diff.output, "Output format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));

  fleetsim::SweepOptions sweep;
  sweep.jobs = std::max(1u, std::thread::hardware_concurrency());
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "Run a scenario over many seeds and parameter values into a run store");
  sweep_cmd->add_option("SCENARIO", sweep.scenario, "Scenario file")->required();
  sweep_cmd->add_option("--seeds", sweep.seeds, "The seeds A..B (both included)");
  sweep_cmd->add_option("--runs", sweep.runs, "K runs with seeds derived from the base seed");
  sweep_cmd->add_option("--seed", sweep.seed, "Base seed of --runs (default: the scenario's seed)");
  sweep_cmd->add_option("--set", sweep.sets,
                        "PATH=V1,V2,...: sweep a scenario scalar over values (repeatable; the "
                        "runs cross every list)");
  sweep_cmd->add_option("--jobs,-j", sweep.jobs, "Runs at a time (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
  sweep_cmd->add_option("--shard", sweep.shard, "I/N: run only the runs r with r % N == I");
  sweep_cmd->add_option("--shard-total", sweep.shard_total,
                        "N shards, this one's index from JOB_COMPLETION_INDEX or "
                        "SLURM_ARRAY_TASK_ID");
  sweep_cmd->add_flag("--verify-determinism", sweep.verify_determinism,
                      "Run each seed twice; fail when the two traces differ");
  sweep_cmd
      ->add_option("--timeline", sweep.timeline,
                   "Timeline each stored run keeps: none, changes (default) or full")
      ->check(CLI::IsMember({"none", "changes", "full"}));
  sweep_cmd->add_option("--db", sweep.db_path, "The SQLite run store to append the runs to")
      ->required();
  sweep_cmd->add_option("--junit", sweep.junit_path,
                        "Write JUnit XML, a testsuite per parameter combination, to FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }

  if (*run_cmd) {
    run.timeline_full = timeline == "full";
    run.color = isatty(fileno(stdout)) != 0;
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
    // Release builds leave the world to the OS; debug and sanitizer builds free it.
    run.skip_teardown = true;
#endif
    return fleetsim::RunCommand(run, std::cout, std::cerr);
  }
  if (*sweep_cmd) {
    sweep.progress_bar = isatty(fileno(stderr)) != 0;
    sweep.env = GetEnv;
    sweep.stop = &g_stop;
    sweep.stop_signal = &g_stop_signal;
    InstallStopHandlers();
    return fleetsim::SweepCommand(sweep, std::cout, std::cerr);
  }
  if (*report_cmd) {
    report.color = isatty(fileno(stdout)) != 0;
    return fleetsim::ReportCommand(report, std::cout, std::cerr);
  }
  if (*validate_cmd) return fleetsim::ValidateCommand(to_validate, std::cout, std::cerr);
  if (*generate_cmd) return fleetsim::AppSetGenerateCommand(generate, std::cout, std::cerr);
  if (*diff_cmd) return fleetsim::DiffCommand(diff, std::cout, std::cerr);
  if (*version_cmd) {
    std::cout << "fleetsim " << fleetsim::VersionString()
              << " (semantics of Argo CD 3.5 and Argo Rollouts 1.9)\n";
    return 0;
  }
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fleetsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "fleetsim: internal error\n";
    return kExitInternal;
  }
}
