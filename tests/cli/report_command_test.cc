// `fleetsim run --db` and `fleetsim report` (DESIGN.md "The command line": exit 2 for invalid
// usage or input, unreadable input files included; 3 for an output that could not be written).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "reports/run_store.h"
#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kScenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/drift-selfheal.yaml";

std::string Fresh(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(testing::TempDir()) /
                              ("fleetsim_report_cli_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

int RunScenario(const std::string& db, uint64_t seed, std::vector<std::string> overrides = {},
                std::string json = "", std::string* error = nullptr) {
  RunOptions options;
  options.scenario = kScenario;
  options.seed = seed;
  options.overrides = std::move(overrides);
  options.db_path = db;
  options.json_path = std::move(json);
  options.quiet = true;
  std::ostringstream out, err;
  int code = RunCommand(options, out, err);
  if (error != nullptr) *error = err.str();
  return code;
}

struct Output {
  int code;
  std::string out;
  std::string err;
};

Output Report(ReportOptions options) {
  std::ostringstream out, err;
  int code = ReportCommand(options, out, err);
  return {code, out.str(), err.str()};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Built once: three passing seeds and one run whose --set expectation fails.
class ReportCommandTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(Fresh("runs.db"));
    for (uint64_t seed = 1; seed <= 3; ++seed) ASSERT_EQ(RunScenario(*db_, seed), kExitOk);
    ASSERT_EQ(RunScenario(*db_, 4, {"expect.sim_seconds.eq=1"}), kExitExpectationFailed);
  }
  static void TearDownTestSuite() { delete db_; }
  static std::string* db_;
};
std::string* ReportCommandTest::db_ = nullptr;

TEST_F(ReportCommandTest, RunDbAppendsEachRunWithItsParametersAndStatus) {
  StoreError error;
  auto store = RunStore::Open(*db_, RunStore::Mode::kReadOnly, &error);
  ASSERT_NE(store, nullptr);
  Result<std::vector<StoredRun>> runs = store->ReadRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 4u);
  EXPECT_EQ((*runs)[0].status, "passed");
  EXPECT_EQ((*runs)[0].context.scenario_path, kScenario);
  EXPECT_EQ((*runs)[3].status, "failed");
  EXPECT_EQ((*runs)[3].seed, 4u);
  EXPECT_EQ((*runs)[3].context.parameters, std::vector<std::string>{"expect.sim_seconds.eq=1"});
}

TEST_F(ReportCommandTest, TableAndJsonGroupByParameters) {
  Output table = Report({.databases = {*db_}});
  EXPECT_EQ(table.code, kExitOk) << table.err;
  EXPECT_THAT(table.out, HasSubstr("3 runs: 3 passed, 0 failed, 0 errors"));
  EXPECT_THAT(table.out, HasSubstr("0.0%  sim_seconds eq 1"));
  EXPECT_THAT(table.out, HasSubstr("--seed 4 --set expect.sim_seconds.eq=1"));
  EXPECT_THAT(table.out, Not(HasSubstr("\033[")));

  Output json = Report({.databases = {*db_}, .json = true});
  ASSERT_EQ(json.code, kExitOk);
  Json doc = Json::parse(json.out);
  EXPECT_EQ(doc["runs"], 4);
  ASSERT_EQ(doc["groups"].size(), 2u);
  EXPECT_EQ(doc["groups"][0]["metrics"]["syncs"]["values"], 3);
}

// The replay command reproduces the stored run: `report --run ID --json` equals what
// `run --seed N --json` writes, but for the wall-clock block.
TEST_F(ReportCommandTest, StoredRunJsonEqualsAFreshRunOfTheSameSeed) {
  Output stored = Report({.databases = {*db_}, .json = true, .run_id = 4});
  ASSERT_EQ(stored.code, kExitOk) << stored.err;
  std::string fresh = Fresh("fresh.json");
  ASSERT_EQ(RunScenario("", 4, {"expect.sim_seconds.eq=1"}, fresh), kExitExpectationFailed);
  Json a = Json::parse(stored.out);
  Json b = Json::parse(ReadFile(fresh));
  a.erase("run");
  b.erase("run");
  EXPECT_EQ(a, b);

  Output text = Report({.databases = {*db_}, .run_id = 2});
  EXPECT_EQ(text.code, kExitOk);
  EXPECT_THAT(text.out, HasSubstr("run 2  drift-selfheal  seed 2  status passed"));
  EXPECT_THAT(text.out, HasSubstr("timeline ("));
}

TEST_F(ReportCommandTest, MergeWritesANewDatabaseAndRefusesToReplaceAnother) {
  std::string merged = Fresh("merged.db");
  Output first = Report({.databases = {*db_, *db_}, .merge_out = merged, .json = true});
  ASSERT_EQ(first.code, kExitOk) << first.err;
  EXPECT_EQ(first.out, Report({.databases = {*db_}, .json = true}).out);
  EXPECT_EQ(Report({.databases = {merged}, .json = true}).out, first.out);
  // Merging into one of the inputs replaces it; the runs it held are in the result.
  Output into_input = Report({.databases = {merged, *db_}, .merge_out = merged, .json = true});
  EXPECT_EQ(into_input.code, kExitOk) << into_input.err;
  EXPECT_EQ(into_input.out, first.out);
  EXPECT_FALSE(std::filesystem::exists(merged + ".fleetsim-partial"));
  // An existing database that is not an input is never replaced.
  Output again = Report({.databases = {*db_}, .merge_out = merged});
  EXPECT_EQ(again.code, kExitBadInput);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
  EXPECT_EQ(Report({.databases = {*db_}, .merge_out = "/nonexistent-dir/m.db"}).code,
            kExitInternal);
}

TEST_F(ReportCommandTest, BadDatabasesAndArgumentsExitTwo) {
  std::string text = Fresh("notes.db");
  std::ofstream(text) << "not a database at all, just some text that is long enough\n";
  Output not_db = Report({.databases = {text}});
  EXPECT_EQ(not_db.code, kExitBadInput);
  EXPECT_THAT(not_db.err, HasSubstr("notes.db: not a fleetsim run store"));
  EXPECT_EQ(Report({.databases = {Fresh("missing.db")}}).code, kExitBadInput);
  EXPECT_EQ(Report({.databases = {*db_}, .run_id = 99}).code, kExitBadInput);
  EXPECT_EQ(Report({.databases = {*db_, *db_}, .run_id = 1}).code, kExitBadInput);
  EXPECT_EQ(Report({}).code, kExitBadInput);
}

TEST_F(ReportCommandTest, UnwritableStandardOutputExitsThree) {
  std::ostringstream out, err;
  out.setstate(std::ios::badbit);
  EXPECT_EQ(ReportCommand({.databases = {*db_}}, out, err), kExitInternal);
}

TEST(RunDbTest, NotARunStoreExitsTwoAndLeavesTheFileAlone) {
  std::string path = Fresh("other.txt");
  std::ofstream(path) << "hello, this file is not a database of any kind, and is long\n";
  std::string error;
  EXPECT_EQ(RunScenario(path, 1, {}, "", &error), kExitBadInput);
  EXPECT_THAT(error, HasSubstr("not a fleetsim run store"));
  EXPECT_EQ(ReadFile(path), "hello, this file is not a database of any kind, and is long\n");
}

TEST(RunDbTest, UnwritableDatabaseExitsThree) {
  std::string error;
  EXPECT_EQ(RunScenario("/nonexistent-dir/runs.db", 1, {}, "", &error), kExitInternal);
  EXPECT_THAT(error, HasSubstr("/nonexistent-dir/runs.db"));
}

}  // namespace
}  // namespace fleetsim
