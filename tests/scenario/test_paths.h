// Where the scenario tests' data lives.
#ifndef FLEETSIM_TESTS_SCENARIO_TEST_PATHS_H_
#define FLEETSIM_TESTS_SCENARIO_TEST_PATHS_H_

#include <string>

namespace fleetsim {

inline std::string ScenarioDataDir() {
  return std::string(FLEETSIM_SOURCE_DIR) + "/tests/scenario/data";
}

inline std::string ScenarioDataFile(const std::string& name) {
  return ScenarioDataDir() + "/" + name;
}

}  // namespace fleetsim

#endif  // FLEETSIM_TESTS_SCENARIO_TEST_PATHS_H_
