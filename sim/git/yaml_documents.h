// Multi-document YAML parsed into yaml-cpp nodes and emitted back. Internal to sim/git's edits:
// formatting and comments are not kept, but the data is: every emitted document parses to the same
// values with the same types. In particular a string that was quoted because it looks like another
// type ("1.10", "true", "") stays quoted, and multi-line strings become literal blocks when that
// round-trips exactly, double-quoted otherwise. Anchors and aliases come out expanded (yaml-cpp
// does not keep them), so an edit through an alias shows at every place that used it.
#ifndef FLEETSIM_SIM_GIT_YAML_DOCUMENTS_H_
#define FLEETSIM_SIM_GIT_YAML_DOCUMENTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/status.h"

namespace fleetsim {

// The documents of `text`, empty ones (a bare "---", an empty file) left out. On a syntax error:
// "invalid YAML at line L, column C: <reason>" (1-based).
Result<std::vector<YAML::Node>> ParseYamlDocuments(std::string_view text);

// The documents, each ending in a newline, separated by "---" lines.
Result<std::string> EmitYamlDocuments(const std::vector<YAML::Node>& docs);

// Runs `edit`, a callable returning Result<std::string>, turning any yaml-cpp exception it throws
// into an error: the boundary where sim/git's YAML edits stop being exception-based.
template <typename Edit>
Result<std::string> CatchYamlExceptions(const Edit& edit) {
  try {
    return edit();
  } catch (const YAML::Exception& e) {
    return Status::Error("YAML error: " + e.msg);
  }
}

// The value under scalar key `key` of map `map`, without inserting anything; nullopt if `map` is
// not a map or has no such key.
std::optional<YAML::Node> MapGet(const YAML::Node& map, std::string_view key);

// The scalar text at `map.key`, or "" when absent or not a scalar.
std::string MapGetScalar(const YAML::Node& map, std::string_view key);

// A scalar that is emitted so that it parses back as this string.
YAML::Node StringNode(const std::string& value);

// "a map", "a list", "a string", "null": for messages.
std::string DescribeNodeType(const YAML::Node& node);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_YAML_DOCUMENTS_H_
