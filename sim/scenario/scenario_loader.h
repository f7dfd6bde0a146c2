// Loading and validating a scenario file (DESIGN.md "Scenario files (contract)").
#ifndef FLEETSIM_SIM_SCENARIO_SCENARIO_LOADER_H_
#define FLEETSIM_SIM_SCENARIO_SCENARIO_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

// Reads the scenario at `path`, applies `overrides` ("PATH=VALUE", as given to --set) to the
// document, validates it and fills every default. The first error stops loading and is returned
// as "file:line:column: message" (file as given in `path`; "--set:1:column" for a value an
// override wrote; "path: cannot read file: ..." when the file cannot be read). Never throws.
//
// Checks what can be checked from the file system: repos' `tree`/`git` directories and bootstrap
// paths inside a `tree`. Paths named by history ops are checked by the world builder.
Result<Scenario> LoadScenario(const std::string& path, const std::vector<std::string>& overrides);

// The same, for scenario text already in memory. `path` names it in messages and relative paths
// resolve against its directory.
Result<Scenario> LoadScenarioText(const std::string& path, std::string_view text,
                                  const std::vector<std::string>& overrides);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_SCENARIO_LOADER_H_
