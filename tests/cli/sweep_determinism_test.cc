// `fleetsim sweep --verify-determinism` passes on every bundled scenario (issue 7 acceptance;
// DESIGN.md principle 2): each seed runs twice, on the sweep's thread pool, and the two trace
// digests agree. One seed per scenario, two jobs, so runs of different scenarios share the
// process as they do in a sweep.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "sim/cli/sweep_runner.h"
#include "sim/scenario/scenario_loader.h"

namespace fleetsim {
namespace {

class DiscardSink final : public RunSink {
 public:
  Status Write(const SweepRun&, const RunReport&) override { return Status::Ok(); }
};

TEST(SweepDeterminismTest, EveryBundledScenarioVerifies) {
  std::vector<std::string> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".yaml") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  ASSERT_FALSE(paths.empty());
  std::vector<Scenario> scenarios;
  for (const std::string& path : paths) {
    Result<Scenario> s = LoadScenario(path, {});
    ASSERT_TRUE(s.ok()) << s.error();
    scenarios.push_back(std::move(*s));
  }
  // The scenarios as the combinations of one sweep: one seed, so run r is scenario r.
  SweepConfig config;
  for (const Scenario& s : scenarios) config.combinations.push_back(&s);
  config.seeds = SeedSequence::Literal(7, 1);
  config.jobs = 2;
  config.verify_determinism = true;
  DiscardSink sink;
  SweepOutcome outcome = RunSweep(config, sink, [](const SweepProgress&) {});
  EXPECT_EQ(outcome.written, scenarios.size());
  EXPECT_TRUE(outcome.build_errors.empty()) << outcome.build_errors.front();
  for (const std::string& e : outcome.determinism_errors) ADD_FAILURE() << e;
}

}  // namespace
}  // namespace fleetsim
