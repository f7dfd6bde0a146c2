// The `set` history op on a YAML file: one field of one document gets a new value.
#ifndef FLEETSIM_SIM_GIT_YAML_SET_H_
#define FLEETSIM_SIM_GIT_YAML_SET_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/scenario/field_path.h"

namespace fleetsim {

// The path of the first `count` steps, written back in field-path syntax (field_path.h).
std::string FormatFieldPath(const std::vector<FieldPathStep>& steps, size_t count);

// Returns `text` (one or more YAML documents) with `field` of one document set to `value`, a YAML
// text (a scalar, or a flow map or list) parsed and inserted as data. The document is the one whose
// `kind` and `metadata.name` match `select` ("Kind/name"); with `select` empty the file must hold
// exactly one document. Missing maps along the path are created (also in place of null); list
// items are never created: an index must name an existing item, which is then replaced. Errors
// (without location) say which part failed.
Result<std::string> SetYamlField(std::string_view text, std::string_view field,
                                 std::string_view value, std::string_view select);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_YAML_SET_H_
