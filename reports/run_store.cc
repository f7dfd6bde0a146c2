#include "reports/run_store.h"

#include <sqlite3.h>

#include <charconv>
#include <map>
#include <utility>

#include "reports/sqlite_db.h"

namespace fleetsim {
namespace {

constexpr const char* kFormatName = "fleetsim-run-store";
constexpr int kApplicationId = 0x466c5369;  // "FlSi", so `file` can tell the database apart
constexpr int kBusyTimeoutMs = 30000;

// Schema version 1. README.md "The run store" documents every column; a change here needs a new
// version and a migration (or a refusal) in CheckOrCreateSchema.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  scenario TEXT NOT NULL,
  scenario_path TEXT NOT NULL,
  seed TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'error')),
  error TEXT NOT NULL,
  wall_seconds REAL NOT NULL,
  fleetsim_version TEXT NOT NULL,
  trace_digest TEXT NOT NULL,
  events_processed INTEGER NOT NULL,
  sweep_id TEXT NOT NULL,
  run_index INTEGER
);
CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario, sweep_id, run_index);
CREATE TABLE IF NOT EXISTS parameters (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  value TEXT,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  name TEXT NOT NULL,
  value REAL,
  is_integer INTEGER NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS expectations (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  position INTEGER NOT NULL,
  metric TEXT NOT NULL,
  op TEXT NOT NULL,
  value REAL,
  actual REAL,
  actual_is_integer INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timeline (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  seq INTEGER NOT NULL,
  t_us INTEGER NOT NULL,
  cluster TEXT NOT NULL,
  app TEXT NOT NULL,
  object TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL,
  change INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
)sql";

StoreErrorKind KindOf(int sqlite_code) {
  switch (sqlite_code) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
      return StoreErrorKind::kNotAStore;
    default:
      return StoreErrorKind::kIo;
  }
}

void SplitParameter(const std::string& parameter, std::string* path,
                    std::optional<std::string>* value) {
  size_t eq = parameter.find('=');
  *path = parameter.substr(0, eq);
  if (eq != std::string::npos) *value = parameter.substr(eq + 1);
}

}  // namespace

std::string RunStatusName(const RunContext& context, const RunReport& report) {
  if (!context.error.empty()) return "error";
  return report.all_expectations_passed() ? "passed" : "failed";
}

RunReport StoredRun::AsReport() const {
  RunReport report;
  report.scenario = scenario;
  report.seed = seed;
  report.fleetsim_version = fleetsim_version;
  report.wall_seconds = wall_seconds;
  report.events_processed = events_processed;
  report.metrics = metrics;
  report.expectations = expectations;
  report.timeline = timeline;
  report.trace_digest = trace_digest;
  return report;
}

RunStore::RunStore(std::string path, std::unique_ptr<SqliteDb> db, bool writable)
    : path_(std::move(path)), db_(std::move(db)), writable_(writable) {}

RunStore::~RunStore() = default;

Status RunStore::Fail(const std::string& what) {
  return Status::Error(path_ + ": " + what + ": " + db_->last_error().message);
}

std::unique_ptr<RunStore> RunStore::Open(const std::string& path, Mode mode, StoreError* error) {
  auto db = std::make_unique<SqliteDb>();
  const bool writable = mode == Mode::kReadWrite;
  if (!db->Open(path, writable)) {
    *error = {StoreErrorKind::kIo,
              Status::Error(path + ": cannot open the run store: " + db->last_error().message)};
    return nullptr;
  }
  std::unique_ptr<RunStore> store(new RunStore(path, std::move(db), writable));
  StoreErrorKind kind = StoreErrorKind::kIo;
  Status checked = store->CheckOrCreateSchema(writable, &kind);
  if (!checked.ok()) {
    *error = {kind, checked};
    return nullptr;
  }
  return store;
}

Status RunStore::CheckOrCreateSchema(bool writable, StoreErrorKind* kind) {
  db_->Exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
  bool empty = false;
  {
    SqliteStatement count;  // finished before the journal mode changes
    if (!db_->Prepare("SELECT count(*) FROM sqlite_master", &count) || !count.Step()) {
      *kind = KindOf(db_->last_error().code);
      return Fail(*kind == StoreErrorKind::kNotAStore ? "not a fleetsim run store"
                                                      : "cannot read the run store");
    }
    empty = count.Int(0) == 0;
  }
  if (empty && !writable) {
    *kind = StoreErrorKind::kNotAStore;
    return Status::Error(path_ + ": not a fleetsim run store: the database is empty");
  }
  if (empty) {
    // WAL before the first write; then the schema in one transaction, which a concurrent creator
    // of the same file waits for (IF NOT EXISTS and OR IGNORE make the second one a no-op).
    if (!db_->Exec("PRAGMA journal_mode = WAL") ||
        !db_->Exec("PRAGMA application_id = " + std::to_string(kApplicationId)) ||
        !db_->Exec("BEGIN IMMEDIATE")) {
      return Fail("cannot create the run store");
    }
    std::string meta = std::string("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', '") +
                       kFormatName + "'), ('schema_version', '" +
                       std::to_string(kRunStoreSchemaVersion) + "');";
    if (!db_->Exec(kSchemaV1) || !db_->Exec(meta) || !db_->Exec("COMMIT")) {
      Status failed = Fail("cannot create the run store");
      db_->Exec("ROLLBACK");
      return failed;
    }
  }
  std::map<std::string, std::string> values;
  {
    SqliteStatement read_meta;
    if (db_->Prepare("SELECT key, value FROM meta", &read_meta)) {
      while (read_meta.Step()) values[read_meta.Text(0)] = read_meta.Text(1);
    }
  }
  if (values["format"] != kFormatName) {
    *kind = StoreErrorKind::kNotAStore;
    return Status::Error(path_ +
                         ": not a fleetsim run store: an SQLite database without fleetsim's "
                         "meta table (format '" +
                         std::string(kFormatName) + "')");
  }
  int version = 0;
  const std::string& text = values["schema_version"];
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    *kind = StoreErrorKind::kNotAStore;
    return Status::Error(path_ + ": not a fleetsim run store: schema_version '" + text +
                         "' is not a positive integer");
  }
  if (version > kRunStoreSchemaVersion) {
    *kind = StoreErrorKind::kNotAStore;
    return Status::Error(path_ + ": run store schema version " + text +
                         " was written by a newer fleetsim; this fleetsim reads version " +
                         std::to_string(kRunStoreSchemaVersion) + " and older");
  }
  if (writable) {
    // FULL: a commit that returned is on disk, even if the machine, not only the process, dies.
    if (!db_->Exec("PRAGMA journal_mode = WAL") || !db_->Exec("PRAGMA synchronous = FULL")) {
      return Fail("cannot configure the run store");
    }
  }
  return Status::Ok();
}

Result<int64_t> RunStore::Append(const RunContext& context, const RunReport& report) {
  StoredRun run;
  run.scenario = report.scenario;
  run.context = context;
  run.seed = report.seed;
  run.status = RunStatusName(context, report);
  run.wall_seconds = report.wall_seconds;
  run.fleetsim_version = report.fleetsim_version;
  run.trace_digest = report.trace_digest;
  run.events_processed = report.events_processed;
  run.metrics = report.metrics;
  run.expectations = report.expectations;
  return InsertRun(run, report.timeline);
}

Result<int64_t> RunStore::Append(const StoredRun& run) { return InsertRun(run, run.timeline); }

Result<int64_t> RunStore::InsertRun(const StoredRun& run, std::span<const TraceRecord> timeline) {
  if (!writable_) return Status::Error(path_ + ": the run store was opened for reading");
  const bool own_transaction = !in_batch_;
  if (own_transaction && !db_->Exec("BEGIN IMMEDIATE")) return Fail("cannot write the run store");
  Result<int64_t> id = InsertRows(run, timeline);
  if (id.ok() && own_transaction && !db_->Exec("COMMIT")) id = Fail("cannot write the run store");
  if (!id.ok()) {
    db_->Exec("ROLLBACK");
    in_batch_ = false;
  }
  return id;
}

Result<int64_t> RunStore::InsertRows(const StoredRun& run, std::span<const TraceRecord> timeline) {
  SqliteStatement insert;
  if (!db_->Prepare("INSERT INTO runs (scenario, scenario_path, seed, status, error, "
                    "wall_seconds, fleetsim_version, trace_digest, events_processed, sweep_id, "
                    "run_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    &insert)) {
    return Fail("cannot write the run store");
  }
  insert.Bind(1, run.scenario);
  insert.Bind(2, run.context.scenario_path);
  insert.Bind(3, std::to_string(run.seed));
  insert.Bind(4, run.status);
  insert.Bind(5, run.context.error);
  insert.Bind(6, run.wall_seconds);
  insert.Bind(7, run.fleetsim_version);
  insert.Bind(8, run.trace_digest);
  insert.Bind(9, static_cast<int64_t>(run.events_processed));
  insert.Bind(10, run.context.sweep_id);
  if (run.context.run_index) {
    insert.Bind(11, static_cast<int64_t>(*run.context.run_index));
  } else {
    insert.BindNull(11);
  }
  if (!insert.Run()) return Fail("cannot write the run store");
  const int64_t id = sqlite3_last_insert_rowid(db_->handle());

  SqliteStatement parameter;
  if (!db_->Prepare("INSERT INTO parameters VALUES (?, ?, ?, ?)", &parameter)) {
    return Fail("cannot write the run store");
  }
  for (size_t i = 0; i < run.context.parameters.size(); ++i) {
    std::string path;
    std::optional<std::string> value;
    SplitParameter(run.context.parameters[i], &path, &value);
    parameter.Bind(1, id);
    parameter.Bind(2, static_cast<int64_t>(i));
    parameter.Bind(3, path);
    if (value) {
      parameter.Bind(4, *value);
    } else {
      parameter.BindNull(4);
    }
    if (!parameter.Run()) return Fail("cannot write the run store");
  }

  SqliteStatement metric;
  if (!db_->Prepare("INSERT INTO metrics VALUES (?, ?, ?, ?)", &metric)) {
    return Fail("cannot write the run store");
  }
  for (const auto& [name, value] : run.metrics) {
    metric.Bind(1, id);
    metric.Bind(2, name);
    metric.Bind(3, value.value);
    metric.Bind(4, int64_t{value.integer});
    if (!metric.Run()) return Fail("cannot write the run store");
  }

  SqliteStatement expectation;
  if (!db_->Prepare("INSERT INTO expectations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &expectation)) {
    return Fail("cannot write the run store");
  }
  for (size_t i = 0; i < run.expectations.size(); ++i) {
    const ExpectationResult& e = run.expectations[i];
    expectation.Bind(1, id);
    expectation.Bind(2, static_cast<int64_t>(i));
    expectation.Bind(3, e.metric);
    expectation.Bind(4, e.op);
    expectation.Bind(5, e.value);
    expectation.Bind(6, e.actual.value);
    expectation.Bind(7, int64_t{e.actual.integer});
    expectation.Bind(8, int64_t{e.passed});
    if (!expectation.Run()) return Fail("cannot write the run store");
  }

  SqliteStatement record;
  if (!db_->Prepare("INSERT INTO timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &record)) {
    return Fail("cannot write the run store");
  }
  for (const TraceRecord& r : timeline) {
    record.Bind(1, id);
    record.Bind(2, static_cast<int64_t>(r.seq));
    record.Bind(3, r.t.micros());
    record.Bind(4, r.cluster);
    record.Bind(5, r.app);
    record.Bind(6, r.object);
    record.Bind(7, r.event);
    record.Bind(8, r.detail);
    record.Bind(9, int64_t{r.change});
    if (!record.Run()) return Fail("cannot write the run store");
  }
  return id;
}

Status RunStore::BeginBatch() {
  if (!db_->Exec("BEGIN IMMEDIATE")) return Fail("cannot write the run store");
  in_batch_ = true;
  return Status::Ok();
}

Status RunStore::CommitBatch() {
  in_batch_ = false;
  if (db_->Exec("COMMIT")) return Status::Ok();
  Status failed = Fail("cannot write the run store");
  db_->Exec("ROLLBACK");
  return failed;
}

}  // namespace fleetsim
