// Manifest files as Argo CD's repo-server reads them for a directory source (argo-cd v3.5,
// reposerver/repository/repository.go: getObjsFromYAMLOrJSON, splitYAMLOrJSON, and the list step of
// GenerateManifests), and the check the application controller makes when it reads the result back
// (controller/state.go, unmarshalManifests).
#ifndef FLEETSIM_SIM_MANIFEST_MANIFEST_PARSER_H_
#define FLEETSIM_SIM_MANIFEST_MANIFEST_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// The documents of one manifest file, each a JSON object, in file order; Lists are not expanded
// yet. `name` is the file's base name: it picks the format (".json" or YAML) and is what Argo CD
// names in messages.
//
// YAML (every name not ending in ".json"): documents are read with yaml_to_json's rules, and each
// must be an object with a kind. On the first failure, if some documents came before it, the error
// is Argo CD's:
//   Failed to unmarshal "a.yaml": failed to unmarshal manifest: <reason>
// where <reason> is yaml_to_json's, or "error unmarshaling JSON: while decoding JSON: Object 'Kind'
// is missing in '{...}'", or "... json: cannot unmarshal array into Go value of type
// map[string]interface {}". If none came before it, the same error is reported only when the file
// contains all of "apiVersion:", "kind:" and "metadata:"; otherwise the file is not a manifest
// and is ignored (an empty list, no error).
//
// JSON: exactly one value. Not an object: `Failed to unmarshal "a.json": json: cannot unmarshal
// array into Go value of type map[string]interface {}`; more values after it: `Found multiple
// objects in "a.json". Only single objects are allowed in JSON files.`; empty: `... "a.json": EOF`;
// cut short: `... "a.json": unexpected EOF`; other syntax errors carry nlohmann's reason with a
// line and column. An object without a kind passes here (Argo CD's fallback parse as an OCI image
// manifest accepts it); the controller refuses it later (see MissingKindError). A file holding
// only `null` is ignored (Argo CD would hand on an empty object; never seen in practice).
Result<std::vector<Json>> ParseManifestFile(std::string_view name, std::string_view content);

// GenerateManifests' list step, in order: a document whose "items" is a list (whatever its kind)
// is replaced by its items; one whose "items" is null, with no "spec" or "status", is dropped.
// An item that is not an object fails with "items member is not an object: map[string]interface
// {}". Items that are Lists themselves are not expanded again.
Result<std::vector<Json>> ExpandLists(std::vector<Json> documents);

// The kind as apimachinery reads it: the string at "kind", or "" when it is absent or not a
// string, or when "apiVersion" has more than one '/' (an unparseable group version).
std::string KindOf(const Json& document);

// "Object 'Kind' is missing in '<document as Go writes it>'": what the controller reports for a
// rendered object without a kind. (Argo CD's text also shows the tracking annotation the
// repo-server added; fleetsim's does not.)
std::string MissingKindError(const Json& document);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_MANIFEST_PARSER_H_
