// The subcommands' exit codes and outputs (DESIGN.md "The command line (contract)").
#include "sim/cli/commands.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;

const std::string kBundled = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/article-bootstrap.yaml";

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "fleetsim_cli_test";
  std::filesystem::create_directories(dir);
  std::filesystem::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

TEST(RunCommandTest, BundledScenarioSucceeds) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  EXPECT_EQ(RunCommand(options, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("article-bootstrap"));
  EXPECT_THAT(out.str(), HasSubstr("9 passed, 0 failed"));
}

TEST(RunCommandTest, FailedExpectationExitsOne) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  options.overrides = {"expect.sim_seconds.eq=1"};
  EXPECT_EQ(RunCommand(options, out, err), kExitExpectationFailed) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("FAIL"));
}

TEST(RunCommandTest, MissingScenarioExitsTwoNamingTheFile) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = "/nonexistent/scenario.yaml";
  EXPECT_EQ(RunCommand(options, out, err), kExitBadInput);
  EXPECT_THAT(err.str(), HasSubstr("/nonexistent/scenario.yaml"));
}

TEST(RunCommandTest, HistoryOpOnMissingPathExitsTwoWithPosition) {
  std::string repo = std::filesystem::path(WriteTemp("repo/a.yaml", "")).parent_path().string();
  std::filesystem::create_directories(repo);
  std::ofstream(repo + "/a.yaml") << "kind: ConfigMap\n";
  std::string scenario = WriteTemp("missing-path.yaml",
                                   "name: missing-path\n"
                                   "repos:\n"
                                   "  r: {url: https://example.com/r.git, tree: repo}\n"
                                   "history:\n"
                                   "  - at: 1m\n"
                                   "    repo: r\n"
                                   "    delete: {path: nothere.yaml}\n");
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = scenario;
  EXPECT_EQ(RunCommand(options, out, err), kExitBadInput);
  EXPECT_THAT(err.str(), HasSubstr("missing-path.yaml:7:"));
  EXPECT_THAT(err.str(), HasSubstr("nothere.yaml"));
}

TEST(RunCommandTest, UnwritableJsonExitsThreeAndLeavesNoFile) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  options.json_path = "/nonexistent-dir/report.json";
  EXPECT_EQ(RunCommand(options, out, err), kExitInternal);
  EXPECT_FALSE(std::filesystem::exists("/nonexistent-dir/report.json"));
}

TEST(RunCommandTest, JsonToStdoutKeepsSummaryOnStderr) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  options.json_path = "-";
  ASSERT_EQ(RunCommand(options, out, err), kExitOk) << err.str();
  Json doc = Json::parse(out.str());
  EXPECT_EQ(doc["scenario"], "article-bootstrap");
  EXPECT_EQ(doc["seed"], 7);
  EXPECT_THAT(err.str(), HasSubstr("expectations"));
}

TEST(RunCommandTest, JsonReportHasTheDesignShape) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  options.json_path = "-";
  options.quiet = true;
  ASSERT_EQ(RunCommand(options, out, err), kExitOk) << err.str();
  Json doc = Json::parse(out.str());
  for (const char* key :
       {"scenario", "seed", "fleetsim_version", "run", "metrics", "expectations", "timeline"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_TRUE(doc["run"].contains("wall_seconds"));
  EXPECT_TRUE(doc["run"].contains("events_per_second"));
  EXPECT_EQ(doc["metrics"]["sim_seconds"], 7200);
  EXPECT_TRUE(doc["metrics"]["apps_deleted"].is_null() ||
              doc["metrics"]["apps_deleted"].is_number());
  const Json& first = doc["expectations"][0];
  EXPECT_EQ(first["metric"], "apps_generated");
  EXPECT_EQ(first["op"], "eq");
  EXPECT_EQ(first["value"], 6);
  EXPECT_EQ(first["actual"], 6);
  EXPECT_EQ(first["passed"], true);
  double last_t = -1;
  for (const Json& entry : doc["timeline"]) {
    for (const char* key : {"t", "cluster", "app", "object", "event", "detail"}) {
      ASSERT_TRUE(entry.contains(key)) << key;
    }
    EXPECT_GE(entry["t"].get<double>(), last_t);
    last_t = entry["t"].get<double>();
  }
}

TEST(RunCommandTest, SeedFlagOverridesTheScenarioSeed) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = kBundled;
  options.json_path = "-";
  options.quiet = true;
  options.seed = 99;
  ASSERT_EQ(RunCommand(options, out, err), kExitOk) << err.str();
  EXPECT_EQ(Json::parse(out.str())["seed"], 99);
}

TEST(ValidateCommandTest, BundledScenarioIsValid) {
  std::ostringstream out, err;
  EXPECT_EQ(ValidateCommand({kBundled}, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr(": ok"));
}

TEST(ValidateCommandTest, AnyInvalidScenarioExitsTwo) {
  std::string broken = WriteTemp("broken.yaml", "name: x\nduration: soon\n");
  std::ostringstream out, err;
  EXPECT_EQ(ValidateCommand({kBundled, broken}, out, err), kExitBadInput);
  EXPECT_THAT(err.str(), HasSubstr("broken.yaml:2:11"));
}

}  // namespace
}  // namespace fleetsim
