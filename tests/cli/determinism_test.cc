// Same scenario and seed give a byte-identical report, wall time aside (DESIGN.md principle 2).
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

// The JSON report of one run with the `run` object (wall time) removed.
std::string ReportWithoutRun(const std::string& scenario, uint64_t seed, bool full) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = scenario;
  options.seed = seed;
  options.json_path = "-";
  options.quiet = true;
  options.timeline_full = full;
  EXPECT_LE(RunCommand(options, out, err), kExitExpectationFailed) << err.str();
  Json doc = Json::parse(out.str());
  doc.erase("run");
  return doc.dump(2);
}

std::vector<std::string> BundledScenarios() {
  std::vector<std::string> out;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The full timeline holds every record of the default one, so one comparison of each scenario
// with --timeline full covers both. Under the sanitizers the week-long chaos soak is left out (a
// minute a run there); the other builds and `sweep --verify-determinism` cover it.
TEST(DeterminismTest, EveryBundledScenarioRunsTwiceIdentically) {
  std::vector<std::string> scenarios = BundledScenarios();
  ASSERT_FALSE(scenarios.empty());
  for (const std::string& scenario : scenarios) {
#if defined(__SANITIZE_ADDRESS__)
    if (std::filesystem::path(scenario).stem() == "chaos-soak") continue;
#endif
    EXPECT_EQ(ReportWithoutRun(scenario, 7, true), ReportWithoutRun(scenario, 7, true)) << scenario;
  }
}

TEST(DeterminismTest, RawJsonDiffersOnlyInRunObject) {
  std::string scenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/article-bootstrap.yaml";
  auto raw = [&] {
    std::ostringstream out, err;
    RunOptions options;
    options.scenario = scenario;
    options.json_path = "-";
    options.quiet = true;
    RunCommand(options, out, err);
    // Blank the two wall-clock numbers, keep every other byte.
    return std::regex_replace(
        out.str(), std::regex(R"re(("(wall_seconds|events_per_second)": )[-0-9.e+]+)re"), "$1X");
  };
  EXPECT_EQ(raw(), raw());
}

}  // namespace
}  // namespace fleetsim
