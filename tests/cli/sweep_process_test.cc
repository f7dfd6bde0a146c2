// `fleetsim sweep` as a process writing a real run store (issue 7 acceptance): four shards hold
// the rows of one unsharded sweep; SIGKILL in the middle leaves a database that opens, passes
// PRAGMA integrity_check and holds every run written before the kill; SIGINT lets the runs in
// flight finish and exits 130 with a valid store.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "reports/run_store.h"

extern char** environ;

namespace fleetsim {
namespace {

const std::string kScenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/drift-selfheal.yaml";

class SweepProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "fleetsim_sweep_proc_XXXXXX";
    ASSERT_NE(mkdtemp(dir_.data()), nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Starts `fleetsim sweep SCENARIO args...` with stdout and stderr in the test directory.
  pid_t Start(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"sweep", kScenario};
    argv.insert(argv.end(), args.begin(), args.end());
    return Spawn(argv);
  }

  // Starts `fleetsim args...`.
  pid_t Spawn(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {FLEETSIM_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, Path("out.txt").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, Path("err.txt").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, FLEETSIM_BIN, &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0);
    return pid;
  }

  // The exit code, or 128 + the signal that ended the process.
  static int Wait(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  int Run(const std::vector<std::string>& args) { return Wait(Start(args)); }

  // Runs committed to `db` so far, read as another process would (0 before the schema exists).
  static int64_t CommittedRuns(const std::string& db) {
    sqlite3* handle = nullptr;
    int64_t count = 0;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(handle, 5000);
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(handle, "SELECT count(*) FROM runs", -1, &stmt, nullptr) ==
              SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        count = sqlite3_column_int64(stmt, 0);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return count;
  }

  // Waits (up to a minute) until `db` holds at least `runs` runs; returns the count seen.
  static int64_t WaitForRuns(const std::string& db, int64_t runs) {
    int64_t seen = 0;
    for (int i = 0; i < 600 && seen < runs; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (std::filesystem::exists(db)) seen = CommittedRuns(db);
    }
    return seen;
  }

  static std::string IntegrityCheck(const std::string& db) {
    sqlite3* handle = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return result;
  }

  static std::vector<StoredRun> ReadRuns(const std::string& db) {
    StoreError error;
    std::unique_ptr<RunStore> store = RunStore::Open(db, RunStore::Mode::kReadOnly, &error);
    EXPECT_NE(store, nullptr) << error.status.message();
    if (store == nullptr) return {};
    Result<std::vector<StoredRun>> runs = store->ReadRuns();
    EXPECT_TRUE(runs.ok()) << runs.error();
    return runs.ok() ? *runs : std::vector<StoredRun>{};
  }

  std::string dir_;
};

// Everything a run row holds except its row id and wall time, keyed by the run number.
using RowKey = std::tuple<std::string, uint64_t>;
struct RowValue {
  uint64_t seed;
  std::vector<std::string> parameters;
  std::string status, digest;
  uint64_t events;
  MetricMap metrics;
  size_t expectations;
  bool operator==(const RowValue&) const = default;
};

std::map<RowKey, RowValue> Rows(const std::vector<StoredRun>& runs) {
  std::map<RowKey, RowValue> out;
  for (const StoredRun& r : runs) {
    RowKey key{r.context.sweep_id, r.context.run_index.value_or(UINT64_MAX)};
    EXPECT_TRUE(out.emplace(key, RowValue{r.seed, r.context.parameters, r.status, r.trace_digest,
                                          r.events_processed, r.metrics, r.expectations.size()})
                    .second)
        << "run " << std::get<1>(key) << " stored twice";
  }
  return out;
}

TEST_F(SweepProcessTest, FourShardsHoldTheRowsOfOneSweep) {
  const std::vector<std::string> sweep = {"--seeds", "1..3", "--set", "expect.syncs.eq=3,4"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = sweep;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  ASSERT_EQ(Run(with({"--jobs", "2", "--db", Path("whole.db")})), 1);  // 10m fails an expectation
  std::vector<StoredRun> sharded;
  for (int i = 0; i < 4; ++i) {
    std::string db = Path("shard-" + std::to_string(i) + ".db");
    // 0 or 1: a shard may hold only runs of the passing combination.
    ASSERT_LE(Run(with({"--jobs", "1", "--shard", std::to_string(i) + "/4", "--db", db})), 1);
    for (StoredRun& r : ReadRuns(db)) sharded.push_back(std::move(r));
  }
  std::map<RowKey, RowValue> whole = Rows(ReadRuns(Path("whole.db")));
  EXPECT_EQ(whole.size(), 6u);
  EXPECT_EQ(Rows(sharded), whole);

  // `fleetsim report --merge` joins the shard databases into the rows of the unsharded sweep.
  std::vector<std::string> merge = {"report", "--merge", Path("merged.db")};
  for (int i = 0; i < 4; ++i) merge.push_back(Path("shard-" + std::to_string(i) + ".db"));
  ASSERT_EQ(Wait(Spawn(merge)), 0);
  EXPECT_EQ(Rows(ReadRuns(Path("merged.db"))), whole);
}

TEST_F(SweepProcessTest, SigkillLeavesAnIntactStoreWithEveryWrittenRun) {
  std::string db = Path("killed.db");
  pid_t pid = Start({"--runs", "5000", "--jobs", "2", "--db", db});
  int64_t before = WaitForRuns(db, 3);
  ASSERT_GE(before, 3) << "the sweep wrote no runs";
  kill(pid, SIGKILL);
  EXPECT_EQ(Wait(pid), 128 + SIGKILL);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  std::vector<StoredRun> runs = ReadRuns(db);
  EXPECT_GE(static_cast<int64_t>(runs.size()), before);
  EXPECT_LT(runs.size(), 5000u);
  for (const StoredRun& r : runs) {
    EXPECT_EQ(r.expectations.size(), 4u);  // every stored run is whole
    EXPECT_FALSE(r.metrics.empty());
  }
}

TEST_F(SweepProcessTest, SigintFinishesTheRunsInFlightAndExits130) {
  std::string db = Path("interrupted.db");
  pid_t pid = Start({"--runs", "5000", "--jobs", "2", "--db", db});
  int64_t before = WaitForRuns(db, 2);
  ASSERT_GE(before, 2);
  kill(pid, SIGINT);
  EXPECT_EQ(Wait(pid), 130);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  std::vector<StoredRun> runs = ReadRuns(db);
  EXPECT_GE(static_cast<int64_t>(runs.size()), before);
  EXPECT_LT(runs.size(), 5000u);
  EXPECT_EQ(Rows(runs).size(), runs.size());
}

TEST_F(SweepProcessTest, AFileThatIsNotAStoreIsBadInput) {
  std::string db = Path("not-a-store.db");
  std::FILE* f = std::fopen(db.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("hello", f);
  std::fclose(f);
  EXPECT_EQ(Run({"--seeds", "1..1", "--db", db}), 2);
}

}  // namespace
}  // namespace fleetsim
