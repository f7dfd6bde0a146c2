// A YAML node written back as YAML text that reads as the same value.
#ifndef FLEETSIM_SIM_SCENARIO_YAML_TEXT_H_
#define FLEETSIM_SIM_SCENARIO_YAML_TEXT_H_

#include <string>

namespace YAML {
class Node;
}

namespace fleetsim {

// Plain scalars as written (so 3 stays a number and true a boolean), quoted or tagged scalars
// double-quoted (so "3" stays a string), null as `null`, maps and lists in flow style:
// `{image: "ghcr.io/acme/x:1.0", replicas: 3}`. REQUIRES: the node has no alias cycle (the loader's
// structure check rejects them first).
std::string ToYamlText(const YAML::Node& node);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_YAML_TEXT_H_
