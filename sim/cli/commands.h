// The fleetsim subcommands as functions, so that tests drive them without a process.
// Each returns the process exit code (DESIGN.md: 0 ok, 1 an expectation failed, 2 bad usage or
// input, 3 an internal error or an output that could not be written).
#ifndef FLEETSIM_SIM_CLI_COMMANDS_H_
#define FLEETSIM_SIM_CLI_COMMANDS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fleetsim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

struct RunOptions {
  std::string scenario;
  std::optional<uint64_t> seed;        // overrides the scenario's seed
  std::vector<std::string> overrides;  // --set PATH=VALUE
  std::string json_path;               // "" none, "-" stdout
  std::string junit_path;              // "" none: JUnit XML, one testcase per expectation
  std::string db_path;                 // "" none; else the run store the run is appended to
  bool timeline_full = false;
  bool quiet = false;
  bool color = false;
  // Leave the world allocated when returning: the process is about to exit and the OS frees it
  // faster than a teardown of every object would (a large fleet's world takes seconds to free).
  bool skip_teardown = false;
};

// `out` receives the summary (or the JSON for `--json -`); `err` receives messages.
int RunCommand(const RunOptions& options, std::ostream& out, std::ostream& err);
int ValidateCommand(const std::vector<std::string>& scenarios, std::ostream& out,
                    std::ostream& err);

// `fleetsim appset generate`: the Applications an ApplicationSet generates, offline, like
// `argocd appset generate`. `repos` holds "DIR" (the one repository every repoURL reads) or
// "URL=DIR" entries; `git` instead names a real repository "REPO[@REV]" read at REV (default
// HEAD) through libgit2 (sim/git/git_snapshot.h says which repoURLs and revisions it answers);
// `clusters_file` a fleet file (DESIGN.md: the scenario's `clusters:` form or Argo CD cluster
// Secrets); `output` "yaml" or "json".
struct AppSetGenerateOptions {
  std::string appset_file;
  std::vector<std::string> repos;
  std::string git;
  std::string clusters_file;
  std::string output = "yaml";
};
int AppSetGenerateCommand(const AppSetGenerateOptions& options, std::ostream& out,
                          std::ostream& err);

// `fleetsim diff`: what merging `head` onto `base` (revisions of the real repository `git`) does
// to the fleet (fleet_diff.h), as text or JSON (`output` "text" or "json"); `fleet_file` as for
// appset generate. Exit 1 when more Applications are deleted than `max_app_deletions` or more
// resources pruned than `max_prunes`.
struct DiffOptions {
  std::string git;
  std::string base;
  std::string head;
  std::string fleet_file;
  std::optional<int64_t> max_app_deletions;
  std::optional<int64_t> max_prunes;
  std::string output = "text";
};
int DiffCommand(const DiffOptions& options, std::ostream& out, std::ostream& err);

class RunSink;

// `fleetsim sweep` (DESIGN.md "Sweeps and scale-out"; sweep_plan.h numbers the runs and derives
// their seeds; sweep_runner.h runs them).
struct SweepOptions {
  std::string scenario;
  std::optional<std::string> seeds;     // --seeds A..B
  std::optional<uint64_t> runs;         // --runs K
  std::optional<uint64_t> seed;         // --seed S, the base of --runs (default: the scenario's)
  std::vector<std::string> sets;        // --set PATH=V1,V2,...
  unsigned jobs = 1;                    // --jobs (the CLI defaults it to the number of cores)
  std::optional<std::string> shard;     // --shard I/N
  std::optional<uint64_t> shard_total;  // --shard-total N
  bool verify_determinism = false;
  std::string timeline = "changes";  // --timeline none|changes|full: what the store keeps
  std::string db_path;               // --db FILE
  std::string junit_path;            // --junit FILE ("" none)
  bool progress_bar = false;         // redraw a bar (stderr is a terminal); otherwise plain lines
  // Reads the environment (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_*). Null: nothing is set.
  std::function<std::optional<std::string>(const std::string&)> env;
  // Set by the CLI's SIGINT/SIGTERM handler (may be null): start no new run, write those in flight.
  const std::atomic<bool>* stop = nullptr;
  const std::atomic<int>* stop_signal = nullptr;  // the signal number that set `stop`
  // Tests only: runs go here instead of the store at db_path.
  RunSink* sink = nullptr;
};

// Exit codes as for run, plus 128 + the signal number when SIGINT (130) or SIGTERM (143) stopped
// the sweep after writing the runs in flight.
int SweepCommand(const SweepOptions& options, std::ostream& out, std::ostream& err);

// `fleetsim report`: the runs of one or more run stores (reports/run_merge.h says how they
// combine) aggregated per (scenario, parameters) as a table or JSON; with `merge_out`, first
// written into that new database; with `run_id`, one stored run in full (JSON: the run's report
// as `run --json` writes it). Exit 2 for a database that cannot be read or is not a run store, a
// conflict between databases, or bad arguments; 3 when the merged database or the output cannot
// be written.
struct ReportOptions {
  std::vector<std::string> databases;
  std::string merge_out;
  bool json = false;
  std::optional<int64_t> run_id;
  bool color = false;
};
int ReportCommand(const ReportOptions& options, std::ostream& out, std::ostream& err);

std::string VersionString();

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_COMMANDS_H_
