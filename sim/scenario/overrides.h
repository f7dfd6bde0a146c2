// `--set PATH=VALUE` overrides, applied to the parsed scenario document before it is validated.
#ifndef FLEETSIM_SIM_SCENARIO_OVERRIDES_H_
#define FLEETSIM_SIM_SCENARIO_OVERRIDES_H_

#include <string>
#include <vector>

#include "engine/status.h"

namespace YAML {
class Node;
}

namespace fleetsim {

class ReadContext;

// Applies each override in order to `root` (a map). PATH is a field path (field_path.h):
// `argocd.statusProcessors`, `fleet.clusters[0].labels.env`, `duration`. A missing map key is
// created (with any missing maps above it; a null value becomes a map); a missing list index is an
// error. VALUE is read as one YAML scalar (empty = the empty string). The nodes an override writes
// are marked in `ctx`, so a later validation error about them reads "--set:1:<column>", the
// column being where VALUE (or the created key) starts in the argument.
// An override that cannot be applied fails with "--set <argument>: <reason>", without position.
Status ApplyOverrides(YAML::Node& root, const std::vector<std::string>& overrides,
                      ReadContext* ctx);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_OVERRIDES_H_
