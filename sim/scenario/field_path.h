// Field paths such as `spec.template.spec.containers[0].image`, used by the `set` history op,
// `kubectl edit` actions and `--set` overrides.
#ifndef FLEETSIM_SIM_SCENARIO_FIELD_PATH_H_
#define FLEETSIM_SIM_SCENARIO_FIELD_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace fleetsim {

// One step: a map key or a list index.
struct FieldPathStep {
  bool is_index = false;
  std::string key;   // when !is_index
  size_t index = 0;  // when is_index
  size_t begin = 0;  // where the step is written in the path text, 0-based
  size_t end = 0;    // one past its last character
};

// Keys separated by dots, `[n]` after a key for a list item, and double quotes around a key that
// holds dots or brackets: `metadata.annotations."argocd.argoproj.io/sync-wave"`. The first step is
// a key; keys are not empty; quoted keys have no escapes. The error message has no location.
Result<std::vector<FieldPathStep>> ParseFieldPath(std::string_view path);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_FIELD_PATH_H_
