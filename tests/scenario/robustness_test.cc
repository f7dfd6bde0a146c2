// The loader never crashes: truncated and corrupted versions of a good scenario either load or
// fail with a positioned message.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/test_paths.h"

namespace fleetsim {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fixed linear congruential sequence: the same corruptions on every run.
class Lcg {
 public:
  uint64_t Next() {
    state_ = state_ * 6364136223846793005u + 1442695040888963407u;
    return state_ >> 33;
  }

 private:
  uint64_t state_ = 42;
};

void ExpectLoadsOrFailsWithPosition(const std::string& text) {
  const std::string file = ScenarioDataFile("fuzz.yaml");
  Result<Scenario> result = LoadScenarioText(file, text, {});
  if (!result.ok()) {
    EXPECT_EQ(result.error().rfind(file + ":", 0), 0u) << result.error();
  }
}

TEST(RobustnessTest, EveryTruncation) {
  const std::string full = ReadAll(ScenarioDataFile("full.yaml"));
  ASSERT_FALSE(full.empty());
  for (size_t n = 0; n <= full.size(); n += 7) ExpectLoadsOrFailsWithPosition(full.substr(0, n));
}

TEST(RobustnessTest, CorruptedBytes) {
  const std::string full = ReadAll(ScenarioDataFile("full.yaml"));
  static const char kAlphabet[] = "{}[]:,-&*!|>'\"#%@` \t\n\0\x7f\xff.0a";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);  // with the NUL
  Lcg random;
  for (int round = 0; round < 400; ++round) {
    std::string text = full;
    for (int edits = 0; edits < 3; ++edits) {
      text[random.Next() % text.size()] = alphabet[random.Next() % alphabet.size()];
    }
    ExpectLoadsOrFailsWithPosition(text);
  }
}

TEST(RobustnessTest, HostileOverrides) {
  const std::vector<std::vector<std::string>> cases = {
      {"fleet.clusters[0]=x"}, {"history[0].ops[1].set-image=1"}, {"[0]=1"},    {"a.\"=1"},
      {"expect.syncs.eq=*x"},  {"faults[2].random.kinds[0]=&a"},  {"name=\xff"}};
  for (const std::vector<std::string>& overrides : cases) {
    Result<Scenario> result = LoadScenario(ScenarioDataFile("full.yaml"), overrides);
    EXPECT_FALSE(result.ok()) << overrides[0];
  }
}

}  // namespace
}  // namespace fleetsim
