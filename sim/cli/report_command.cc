// `fleetsim report DB... [--merge OUT.db] [--json] [--run ID]` (DESIGN.md "The command line").
#include <filesystem>
#include <memory>
#include <ostream>

#include "reports/json_report.h"
#include "reports/run_aggregate.h"
#include "reports/run_merge.h"
#include "reports/run_store.h"
#include "reports/runs_report.h"
#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

int Print(const std::string& text, std::ostream& out, std::ostream& err) {
  out << text << std::flush;
  if (!out) {
    err << "fleetsim report: cannot write to standard output\n";
    return kExitInternal;
  }
  return kExitOk;
}

int ShowRun(RunStore& store, int64_t id, const ReportOptions& options, std::ostream& out,
            std::ostream& err) {
  Result<StoredRun> run = store.ReadRun(id);
  if (!run.ok()) {
    err << run.error() << "\n";
    return kExitBadInput;
  }
  if (options.json) return Print(RenderJsonReport(run->AsReport()), out, err);
  return Print(RenderStoredRun(*run, options.color), out, err);
}

// The merge target must be new or one of the inputs: an existing database is never replaced by
// runs it did not hold.
bool MergeTargetAllowed(const ReportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(options.merge_out, ec)) return true;
  for (const std::string& db : options.databases) {
    if (std::filesystem::equivalent(db, options.merge_out, ec)) return true;
  }
  return false;
}

int PrintAggregate(const CombinedRuns& combined, const ReportOptions& options, bool show_ids,
                   std::ostream& out, std::ostream& err) {
  RunsReport report = AggregateRuns(combined.runs, AggregateOptions{});
  if (options.json) return Print(RenderRunsReportJson(report), out, err);
  return Print(RenderRunsReportTable(report, {.color = options.color, .show_ids = show_ids}), out,
               err);
}

}  // namespace

int ReportCommand(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  if (options.databases.empty()) {
    err << "fleetsim report: expected at least one database\n";
    return kExitBadInput;
  }
  if (options.run_id && (options.databases.size() != 1 || !options.merge_out.empty())) {
    err << "fleetsim report: --run ID reads one database and merges nothing\n";
    return kExitBadInput;
  }
  if (!options.merge_out.empty() && !MergeTargetAllowed(options)) {
    err << options.merge_out
        << ": already exists; --merge writes a new database (name it among the inputs to merge "
           "into it)\n";
    return kExitBadInput;
  }

  std::vector<std::unique_ptr<RunStore>> stores;
  std::vector<RunSource> sources;
  for (const std::string& path : options.databases) {
    StoreError error;
    stores.push_back(RunStore::Open(path, RunStore::Mode::kReadOnly, &error));
    if (stores.back() == nullptr) {
      err << error.status.message() << "\n";
      return kExitBadInput;  // an input that cannot be read is bad input, whatever the cause
    }
  }
  if (options.run_id) return ShowRun(*stores.front(), *options.run_id, options, out, err);

  for (const auto& store : stores) {
    Result<std::vector<StoredRun>> runs = store->ReadRuns();
    if (!runs.ok()) {
      err << runs.error() << "\n";
      return kExitBadInput;
    }
    sources.push_back({store.get(), std::move(*runs)});
  }
  Result<CombinedRuns> combined = CombineRuns(sources);
  if (!combined.ok()) {
    err << "fleetsim report: " << combined.error() << "\n";
    return kExitBadInput;
  }
  if (combined->duplicates > 0) {
    err << "fleetsim report: " << combined->duplicates
        << " run(s) stored in more than one database counted once\n";
  }
  if (options.merge_out.empty()) {
    return PrintAggregate(*combined, options, true, out, err);
  }

  StoreError error;
  bool merged_ok = MergeRuns(*combined, options.merge_out, &error);
  sources.clear();
  stores.clear();  // the inputs are closed before the merged file takes the place of one of them
  if (merged_ok) merged_ok = FinishMerge(options.merge_out, &error);
  if (!merged_ok) {
    err << error.status.message() << "\n";
    return error.kind == StoreErrorKind::kIo ? kExitInternal : kExitBadInput;
  }
  // Report what the merged database holds, with its run ids.
  std::unique_ptr<RunStore> merged =
      RunStore::Open(options.merge_out, RunStore::Mode::kReadOnly, &error);
  Result<std::vector<StoredRun>> runs =
      merged != nullptr ? merged->ReadRuns() : Result<std::vector<StoredRun>>(error.status);
  if (!runs.ok()) {
    err << runs.error() << "\n";
    return kExitInternal;
  }
  sources.push_back({merged.get(), std::move(*runs)});
  Result<CombinedRuns> reread = CombineRuns(sources);
  if (!reread.ok()) {
    err << "fleetsim report: " << reread.error() << "\n";
    return kExitInternal;
  }
  return PrintAggregate(*reread, options, true, out, err);
}

}  // namespace fleetsim
