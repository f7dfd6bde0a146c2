// The two readers of one YAML document that yaml_to_json.cc combines: a hand-written one for the
// plain block YAML nearly every manifest is written in, and yaml-cpp for everything else. Each
// takes one document as the splitter gives it (the text between "---" lines, every line ending in
// "\n", no "\r").
#ifndef FLEETSIM_SIM_MANIFEST_YAML_FAST_PATH_H_
#define FLEETSIM_SIM_MANIFEST_YAML_FAST_PATH_H_

#include <optional>
#include <string_view>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// The document's JSON value, exactly as ParseYamlDocument gives it, or nullopt when the text is
// outside the subset read here (the caller then uses ParseYamlDocument, which also words any
// error). The subset, of printable ASCII without tabs:
//   * block mappings and block sequences (a sequence may sit at its parent key's indentation, an
//     item may open a compact mapping: "- name: x"), nested less than 200 deep;
//   * keys of at most 1024 letters, digits and "_-./" (not "-" first unless another of them
//     follows) followed by ": " or ":" at the end of the line;
//   * values on the key's (or the item's) line: a plain scalar that starts with none of YAML's
//     indicators and holds no ": ", no " #" but a trailing comment's, no flow brackets and does
//     not end with ':'; or a single- or double-quoted scalar without escapes that closes on its
//     line; an empty value is null unless a nested block follows;
//   * blank lines and comments (whole lines, or after a value).
// Anything else (anchors, aliases, tags, flow collections, block or multi-line scalars, escapes,
// "<<" merges, "? " keys, document markers, bad indentation) is declined, as is a document with
// no content line or whose root is a scalar.
std::optional<Json> ParseBlockYamlFast(std::string_view text);

// The document through yaml-cpp with go-yaml v2's typing (see yaml_to_json.h): null for an empty
// document, or the error worded as sigs.k8s.io/yaml words it, with lines counted from
// `first_line` (0-based) of the file.
Result<Json> ParseYamlDocument(std::string_view text, int first_line);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_YAML_FAST_PATH_H_
