#include "reports/run_merge.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <tuple>

namespace fleetsim {
namespace {

using Identity = std::tuple<std::string, std::optional<uint64_t>, std::string, uint64_t,
                            std::vector<std::string>>;

Identity IdentityOf(const StoredRun& run) {
  return {run.context.sweep_id, run.context.run_index, run.scenario, run.seed,
          run.context.parameters};
}

bool SameExpectation(const ExpectationResult& a, const ExpectationResult& b) {
  return a.metric == b.metric && a.op == b.op && a.value == b.value && a.actual == b.actual &&
         a.passed == b.passed;
}

// What differs between two runs of one identity, or "" when they are the same run.
std::string ContentDifference(const StoredRun& a, const StoredRun& b) {
  if (a.fleetsim_version != b.fleetsim_version) return "fleetsim version";
  if (a.status != b.status || a.context.error != b.context.error) return "status";
  if (a.trace_digest != b.trace_digest) return "trace digest";
  if (a.events_processed != b.events_processed) return "events processed";
  if (a.metrics != b.metrics) return "metrics";
  if (!std::equal(a.expectations.begin(), a.expectations.end(), b.expectations.begin(),
                  b.expectations.end(), SameExpectation)) {
    return "expectations";
  }
  return "";
}

std::string Describe(const StoredRun& run, const RunStore& store) {
  std::string text = store.path() + " run " + std::to_string(run.id) + " (";
  if (!run.context.sweep_id.empty()) {
    text += "sweep " + run.context.sweep_id;
    if (run.context.run_index) text += " run " + std::to_string(*run.context.run_index);
    text += ", ";
  }
  return text + "scenario " + run.scenario + ", seed " + std::to_string(run.seed) + ")";
}

}  // namespace

bool CanonicalBefore(const StoredRun& a, const StoredRun& b) {
  return std::tie(a.scenario, a.context.parameters, a.context.sweep_id, a.context.run_index, a.seed,
                  a.trace_digest, a.context.scenario_path, a.status, a.id) <
         std::tie(b.scenario, b.context.parameters, b.context.sweep_id, b.context.run_index, b.seed,
                  b.trace_digest, b.context.scenario_path, b.status, b.id);
}

Result<CombinedRuns> CombineRuns(const std::vector<RunSource>& sources) {
  struct Kept {
    const StoredRun* run;
    size_t source;
  };
  std::map<Identity, std::vector<Kept>> seen;
  std::vector<Kept> kept;
  size_t duplicates = 0;
  for (size_t s = 0; s < sources.size(); ++s) {
    for (const StoredRun& run : sources[s].runs) {
      std::vector<Kept>& same_identity = seen[IdentityOf(run)];
      const bool in_sweep = !run.context.sweep_id.empty();
      bool duplicate = false;
      for (const Kept& other : same_identity) {
        std::string difference = ContentDifference(*other.run, run);
        if (difference.empty() && (in_sweep || other.source != s)) {
          duplicate = true;
          break;
        }
        if (!difference.empty() && in_sweep) {
          return Status::Error(
              "conflicting runs: " + Describe(*other.run, *sources[other.source].store) + " and " +
              Describe(run, *sources[s].store) + " differ in " + difference +
              "; they cannot be the same sweep run");
        }
      }
      if (duplicate) {
        ++duplicates;
        continue;
      }
      same_identity.push_back({&run, s});
      kept.push_back({&run, s});
    }
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Kept& a, const Kept& b) { return CanonicalBefore(*a.run, *b.run); });
  CombinedRuns combined;
  combined.duplicates = duplicates;
  for (const Kept& k : kept) {
    combined.runs.push_back({k.run, sources[k.source].store->path()});
    combined.stores.push_back(sources[k.source].store);
  }
  return combined;
}

namespace {

std::string TempPath(const std::string& out) { return out + ".fleetsim-partial"; }

void RemoveDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

bool MergeRuns(const CombinedRuns& runs, const std::string& out, StoreError* error) {
  const std::string temp = TempPath(out);
  RemoveDatabase(temp);
  std::unique_ptr<RunStore> merged = RunStore::Open(temp, RunStore::Mode::kReadWrite, error);
  if (merged == nullptr) {
    *error = {StoreErrorKind::kIo, Status::Error(out + ": cannot write the merged database: " +
                                                 error->status.message().substr(temp.size() + 2))};
    RemoveDatabase(temp);
    return false;
  }
  Status status = merged->BeginBatch();
  for (size_t i = 0; status.ok() && i < runs.runs.size(); ++i) {
    Result<StoredRun> full = runs.stores[i]->ReadRun(runs.runs[i].run->id);
    if (!full.ok()) {
      *error = {StoreErrorKind::kNotAStore, full.status()};
      merged.reset();
      RemoveDatabase(temp);
      return false;
    }
    Result<int64_t> appended = merged->Append(*full);
    if (!appended.ok()) status = appended.status();
  }
  if (status.ok()) status = merged->CommitBatch();
  merged.reset();  // closing the last connection checkpoints the WAL into the file and removes it
  if (!status.ok()) {
    *error = {StoreErrorKind::kIo, status};
    RemoveDatabase(temp);
    return false;
  }
  return true;
}

bool FinishMerge(const std::string& out, StoreError* error) {
  const std::string temp = TempPath(out);
  std::error_code ec;
  // A WAL left beside `out` belongs to the old file; it must not be applied to the new one.
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(out + suffix, ec);
  std::filesystem::rename(temp, out, ec);
  if (ec) {
    *error = {StoreErrorKind::kIo, Status::Error(out + ": cannot write file: " + ec.message())};
    RemoveDatabase(temp);
    return false;
  }
  return true;
}

}  // namespace fleetsim
