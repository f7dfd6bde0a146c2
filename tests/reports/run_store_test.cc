// The SQLite run store (DESIGN.md "Reports": runs, metrics, timeline; one transaction per run,
// WAL; issue 7: a killed writer leaves a file that opens, passes integrity_check and holds every
// run whose commit returned).
#include "reports/run_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "tests/reports/run_store_test_util.h"

namespace fleetsim {
namespace {

std::string QueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

TEST(RunStoreTest, CreatesTheVersionedSchemaInWalMode) {
  std::string path = FreshPath("create.db");
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
  ASSERT_NE(store, nullptr) << error.status.message();
  EXPECT_EQ(QueryText(path, "SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  EXPECT_EQ(QueryText(path, "SELECT value FROM meta WHERE key = 'format'"), "fleetsim-run-store");
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "wal");
  // Opening again (read-only now) finds the schema and accepts it.
  store.reset();
  EXPECT_NE(RunStore::Open(path, RunStore::Mode::kReadOnly, &error), nullptr);
}

TEST(RunStoreTest, RoundTripsARunWithTimeline) {
  std::string path = FreshPath("roundtrip.db");
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
  ASSERT_NE(store, nullptr);
  SampleRun sample = MakeSampleRun(18446744073709551557ULL, 42.5);  // a seed above 2^63
  RunContext context = sample.context;
  context.sweep_id = "sweep-1";
  context.run_index = 7;
  Result<int64_t> id = store->Append(context, sample.report());
  ASSERT_TRUE(id.ok()) << id.error();

  Result<StoredRun> run = store->ReadRun(*id);
  ASSERT_TRUE(run.ok()) << run.error();
  EXPECT_EQ(run->scenario, "soak");
  EXPECT_EQ(run->seed, 18446744073709551557ULL);
  EXPECT_EQ(run->status, "failed");
  EXPECT_EQ(run->context.scenario_path, "scenarios/soak.yaml");
  EXPECT_EQ(run->context.parameters, context.parameters);
  EXPECT_EQ(run->context.sweep_id, "sweep-1");
  EXPECT_EQ(run->context.run_index, std::optional<uint64_t>(7));
  EXPECT_EQ(run->wall_seconds, 1.25);
  EXPECT_EQ(run->fleetsim_version, "0.1.0");
  EXPECT_EQ(run->trace_digest, sample.digest);
  EXPECT_EQ(run->events_processed, 1234u);
  EXPECT_EQ(run->metrics, sample.metrics);
  ASSERT_EQ(run->expectations.size(), 2u);
  EXPECT_EQ(run->expectations[1].metric, "data_loss_pvcs");
  EXPECT_EQ(run->expectations[1].op, "null");
  EXPECT_FALSE(run->expectations[1].value.has_value());
  EXPECT_FALSE(run->expectations[1].passed);
  ASSERT_EQ(run->timeline.size(), sample.timeline.size());
  for (size_t i = 0; i < sample.timeline.size(); ++i) {
    EXPECT_EQ(run->timeline[i].t, sample.timeline[i].t);
    EXPECT_EQ(run->timeline[i].seq, sample.timeline[i].seq);
    EXPECT_EQ(run->timeline[i].detail, sample.timeline[i].detail);
    EXPECT_EQ(run->timeline[i].change, sample.timeline[i].change);
  }

  // ReadRuns: the same run, without its timeline.
  Result<std::vector<StoredRun>> all = store->ReadRuns();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].metrics, sample.metrics);
  EXPECT_EQ((*all)[0].context.parameters, context.parameters);
  EXPECT_TRUE((*all)[0].timeline.empty());
}

TEST(RunStoreTest, ARunThatCouldNotCompleteIsStoredAsError) {
  std::string path = FreshPath("error.db");
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
  ASSERT_NE(store, nullptr);
  RunReport report;
  report.scenario = "soak";
  report.seed = 3;
  RunContext context;
  context.error = "soak.yaml: --set fleet.clusters=x: expected an integer";
  Result<int64_t> id = store->Append(context, report);
  ASSERT_TRUE(id.ok());
  Result<StoredRun> run = store->ReadRun(*id);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "error");
  EXPECT_EQ(run->context.error, context.error);
  EXPECT_FALSE(store->ReadRun(*id + 1).ok());
}

TEST(RunStoreTest, RefusesANewerSchemaVersion) {
  std::string path = FreshPath("newer.db");
  StoreError error;
  ASSERT_NE(RunStore::Open(path, RunStore::Mode::kReadWrite, &error), nullptr);
  ExecSql(path, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  EXPECT_EQ(RunStore::Open(path, RunStore::Mode::kReadWrite, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kNotAStore);
  EXPECT_NE(error.status.message().find("schema version 2 was written by a newer fleetsim"),
            std::string::npos)
      << error.status.message();
}

TEST(RunStoreTest, RefusesAnotherProgramsDatabaseWithoutTouchingIt) {
  std::string path = FreshPath("other.db");
  ExecSql(path, "CREATE TABLE songs (title TEXT)");
  StoreError error;
  EXPECT_EQ(RunStore::Open(path, RunStore::Mode::kReadWrite, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kNotAStore);
  EXPECT_NE(error.status.message().find("other.db: not a fleetsim run store"), std::string::npos)
      << error.status.message();
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "delete");  // left as it was
}

TEST(RunStoreTest, RefusesAFileThatIsNotSqlite) {
  std::string path = FreshPath("text.db");
  std::ofstream(path) << "scenario: not a database, but long enough to have a header......"
                      << std::string(200, 'x') << "\n";
  StoreError error;
  EXPECT_EQ(RunStore::Open(path, RunStore::Mode::kReadOnly, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kNotAStore);
  EXPECT_NE(error.status.message().find("text.db: not a fleetsim run store"), std::string::npos)
      << error.status.message();
  EXPECT_EQ(RunStore::Open(path, RunStore::Mode::kReadWrite, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kNotAStore);
}

TEST(RunStoreTest, RefusesACorruptStore) {
  std::string path = FreshPath("corrupt.db");
  {
    StoreError error;
    auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
    ASSERT_NE(store, nullptr);
  }
  ExecSql(path, "PRAGMA journal_mode = DELETE");  // fold the WAL into the main file
  // Overwrite the schema page (page 1 after the 100-byte header) with garbage.
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(100);
  std::string garbage(3000, '\x5a');
  f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  f.close();
  StoreError error;
  EXPECT_EQ(RunStore::Open(path, RunStore::Mode::kReadOnly, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kNotAStore) << error.status.message();
}

TEST(RunStoreTest, MissingFileForReadingAndUncreatableFileAreIoErrors) {
  StoreError error;
  EXPECT_EQ(RunStore::Open(FreshPath("missing.db"), RunStore::Mode::kReadOnly, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kIo);
  EXPECT_EQ(RunStore::Open("/nonexistent-dir/x.db", RunStore::Mode::kReadWrite, &error), nullptr);
  EXPECT_EQ(error.kind, StoreErrorKind::kIo);
  EXPECT_NE(error.status.message().find("/nonexistent-dir/x.db"), std::string::npos);
}

// A child appends runs in a loop and reports each id after Append returns; it is SIGKILLed while
// it goes on writing. The file must open, pass integrity_check and hold every reported run.
TEST(RunStoreTest, AWriterKilledMidWayLosesNoCommittedRunAndLeavesAValidFile) {
  std::string path = FreshPath("killed.db");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    StoreError error;
    auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
    if (store == nullptr) _exit(2);
    for (uint64_t seed = 1;; ++seed) {
      SampleRun sample = MakeSampleRun(seed, static_cast<double>(seed));
      Result<int64_t> id = sample.Append(store.get());
      if (!id.ok()) _exit(3);
      int64_t value = *id;
      if (write(pipe_fds[1], &value, sizeof value) != sizeof value) _exit(4);
    }
  }
  close(pipe_fds[1]);
  std::set<int64_t> committed;
  int64_t value = 0;
  while (committed.size() < 25 && read(pipe_fds[0], &value, sizeof value) == sizeof value) {
    committed.insert(value);
  }
  kill(child, SIGKILL);
  int wait_status = 0;
  waitpid(child, &wait_status, 0);
  // Ids the child reported before the kill landed, still in the pipe.
  while (read(pipe_fds[0], &value, sizeof value) == sizeof value) committed.insert(value);
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(wait_status)) << "the writer stopped on its own: " << wait_status;
  ASSERT_GE(committed.size(), 25u);

  EXPECT_EQ(QueryText(path, "PRAGMA integrity_check"), "ok");
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadOnly, &error);
  ASSERT_NE(store, nullptr) << error.status.message();
  Result<std::vector<StoredRun>> runs = store->ReadRuns();
  ASSERT_TRUE(runs.ok()) << runs.error();
  std::set<int64_t> stored;
  for (const StoredRun& run : *runs) {
    stored.insert(run.id);
    EXPECT_EQ(run.metrics.size(), 3u) << "run " << run.id << " is partly stored";
  }
  for (int64_t id : committed) EXPECT_TRUE(stored.count(id)) << "lost committed run " << id;
}

}  // namespace
}  // namespace fleetsim
