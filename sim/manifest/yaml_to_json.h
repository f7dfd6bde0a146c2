// YAML manifest text to JSON documents, as Kubernetes' client code reads it (apimachinery's
// YAMLOrJSONDecoder over sigs.k8s.io/yaml, which runs go-yaml v2), so that a manifest means here
// what it means to Argo CD's repo-server and to kubectl:
//
//   * Documents are split on lines that start with "---" (only spaces or a "# comment" may follow;
//     anything else is "invalid Yaml document separator: ..."). Empty documents and documents that
//     hold only comments or `null` are skipped.
//   * Plain scalars resolve as go-yaml v2 (YAML 1.1) does: y/Y/yes/Yes/YES/on/On/ON/true/True/TRUE
//     and their n/no/off/false forms are booleans; ~, null, Null, NULL and the empty value are
//     null; integers may have a sign, underscores and a 0x, 0o, 0b or leading-0 (octal) prefix;
//     decimal floats and .inf/.nan resolve as floats; anything else is a string. Quoted and block
//     scalars are always strings; an explicit !!str/!!int/!!float/!!bool/!!null tag is honoured,
//     !!binary is base64-decoded, and any other tag leaves a scalar's text as a string. Timestamps
//     stay strings.
//   * Map keys become strings (3 → "3", true → "true"); "<<" merge keys are expanded (a map, or a
//     list of maps where earlier maps win; keys written after the merge override it); a later
//     duplicate key replaces an earlier one.
//   * Numbers then go through Go's JSON round trip (see RoundTripGoNumbers): 3.0 becomes 3, and
//     .inf/.nan are an error ("json: unsupported value: +Inf").
//
// Plain block YAML (most manifests) is read by a hand-written reader that gives the same values
// (yaml_fast_path.h, tested against yaml-cpp); everything else by yaml-cpp.
//
// Differences, all in rejected input: syntax errors carry yaml-cpp's reason, not go-yaml's, with a
// line and column counted from the start of the file (go-yaml counts lines from the start of the
// document). A file whose first character is '{' is read as YAML here, where Kubernetes first tries
// a stream of JSON objects; for valid JSON the result is the same. yaml-cpp accepts a few inputs
// go-yaml rejects (an unterminated quoted string at the end of the input). Nesting deeper than 1000
// levels is refused.
#ifndef FLEETSIM_SIM_MANIFEST_YAML_TO_JSON_H_
#define FLEETSIM_SIM_MANIFEST_YAML_TO_JSON_H_

#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

struct YamlStream {
  // The non-empty documents, in order, up to the first error.
  std::vector<Json> documents;
  // Ok, or the first failure as sigs.k8s.io/yaml words it, e.g. "error converting YAML to JSON:
  // yaml: line 4, column 3: end of map not found" or "invalid Yaml document separator: x".
  Status error;
};

// Reads `text` document by document and stops at the first error, keeping what came before it
// (Argo CD's directory source treats a file differently when some documents did parse).
YamlStream ParseYamlStream(std::string_view text);

// Every document of `text`, or the first error.
Result<std::vector<Json>> YamlToJson(std::string_view text);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_YAML_TO_JSON_H_
