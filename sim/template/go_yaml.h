// sigs.k8s.io/yaml.Marshal of JSON data (go-yaml v2's emitter), as Argo CD's toYaml writes it:
// block style, keys sorted, two-space indentation, sequences in a mapping not indented, strings
// that would read back as another type double-quoted, strings with newlines as literal blocks.
#ifndef FLEETSIM_SIM_TEMPLATE_GO_YAML_H_
#define FLEETSIM_SIM_TEMPLATE_GO_YAML_H_

#include <string>

#include "sim/manifest/json.h"

namespace fleetsim::gotmpl {

std::string GoYamlMarshal(const Json& value);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_GO_YAML_H_
