// The SQLite run store (DESIGN.md "Reports"): `fleetsim run --db` and `fleetsim sweep --db` append
// runs to it, `fleetsim report` reads it. The schema is versioned (kRunStoreSchemaVersion; the
// tables are described in README.md "The run store").
//
// Durability: WAL journal with synchronous=FULL and one transaction per run, so a writer killed at
// any point (SIGKILL, a lost node) loses at most the run it was writing, never one whose Append
// returned, and never leaves a corrupt file. A busy timeout lets several processes append to one
// file; their transactions are serialised by SQLite's locks.
//
// Threads: a RunStore is one SQLite connection and is NOT thread-safe. One thread uses it at a
// time: a sweep appends from a single writer thread, or holds a mutex around Append.
#ifndef FLEETSIM_REPORTS_RUN_STORE_H_
#define FLEETSIM_REPORTS_RUN_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/trace.h"
#include "reports/run_report.h"
#include "sim/metrics/metric_value.h"

namespace fleetsim {

inline constexpr int kRunStoreSchemaVersion = 1;

// What the store records about a run beyond its RunReport.
struct RunContext {
  std::string scenario_path;            // as given on the command line; used in replay commands
  std::vector<std::string> parameters;  // the run's --set PATH=VALUE pairs, in command order
  // Non-empty: the run did not complete (status "error"), e.g. a --set value the scenario
  // rejects; the report then carries only scenario, seed and version. Empty: status "passed" or
  // "failed" from the report's expectations.
  std::string error;
  // Groups a sweep's runs. Shards of one sweep must use the same id (derive it from the sweep's
  // definition, not from a clock), so that `report --merge` recognises a run stored twice.
  // "" for `fleetsim run`.
  std::string sweep_id;
  std::optional<uint64_t> run_index;  // k within the sweep; unset for `fleetsim run`
};

// "passed", "failed" or "error".
std::string RunStatusName(const RunContext& context, const RunReport& report);

// One run as read back from a store: owns everything a RunReport borrows.
struct StoredRun {
  int64_t id = 0;  // the row id in its database; not stable across a merge
  std::string scenario;
  RunContext context;
  uint64_t seed = 0;
  std::string status;  // "passed", "failed", "error"
  double wall_seconds = 0;
  std::string fleetsim_version;
  std::string trace_digest;
  uint64_t events_processed = 0;
  MetricMap metrics;
  std::vector<ExpectationResult> expectations;
  std::vector<TraceRecord> timeline;  // empty unless read with the timeline

  // A view for the report writers. REQUIRES: this StoredRun outlives the result.
  RunReport AsReport() const;
};

// Why Open or a write failed, so the CLI can choose the exit code.
enum class StoreErrorKind {
  kNotAStore,  // not SQLite, corrupt, another program's database, or a newer schema (input error)
  kIo,         // cannot create, open, read or write the file (an output that cannot be written)
};

struct StoreError {
  StoreErrorKind kind = StoreErrorKind::kIo;
  Status status;
};

class SqliteDb;

class RunStore {
 public:
  enum class Mode {
    // The file must exist and be a run store; nothing is written to it. (It is opened read-write
    // when permissions allow, only so that closing folds the WAL back and removes -wal/-shm.)
    kReadOnly,
    kReadWrite,  // created with the schema when missing or empty
  };

  // Opens `path`. A file that is not a run store of schema version <= kRunStoreSchemaVersion is
  // refused with a message naming the file and what was found.
  static std::unique_ptr<RunStore> Open(const std::string& path, Mode mode, StoreError* error);
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  // Appends one run in one transaction: either all of it is stored or none. Returns the new run
  // id. REQUIRES: opened kReadWrite.
  Result<int64_t> Append(const RunContext& context, const RunReport& report);
  // The same, for a run read from another store (merge). The timeline must have been read.
  Result<int64_t> Append(const StoredRun& run);

  // Every run, in id order, with metrics and expectations but without timelines.
  Result<std::vector<StoredRun>> ReadRuns();
  // One run with its timeline. An unknown id is an error naming it.
  Result<StoredRun> ReadRun(int64_t id);

  // Groups several Appends into one transaction (a merge). Between BeginBatch and CommitBatch,
  // Append does not open its own transaction; a failed Append rolls the whole batch back.
  Status BeginBatch();
  Status CommitBatch();

  const std::string& path() const { return path_; }

 private:
  RunStore(std::string path, std::unique_ptr<SqliteDb> db, bool writable);
  Status Fail(const std::string& what);
  Status CheckOrCreateSchema(bool writable, StoreErrorKind* kind);
  Result<int64_t> InsertRun(const StoredRun& run, std::span<const TraceRecord> timeline);
  Result<int64_t> InsertRows(const StoredRun& run, std::span<const TraceRecord> timeline);
  Status ReadDetails(StoredRun* run);

  std::string path_;
  std::unique_ptr<SqliteDb> db_;
  bool writable_ = false;
  bool in_batch_ = false;
};

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_RUN_STORE_H_
