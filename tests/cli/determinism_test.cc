// Same scenario and seed give a byte-identical report, wall time aside (DESIGN.md principle 2).
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
  nlohmann::json doc = nlohmann::json::parse(out.str());
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

TEST(DeterminismTest, EveryBundledScenarioRunsTwiceIdentically) {
  std::vector<std::string> scenarios = BundledScenarios();
  ASSERT_FALSE(scenarios.empty());
  for (const std::string& scenario : scenarios) {
    for (bool full : {false, true}) {
      EXPECT_EQ(ReportWithoutRun(scenario, 7, full), ReportWithoutRun(scenario, 7, full))
          << scenario << (full ? " --timeline full" : "");
    }
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
