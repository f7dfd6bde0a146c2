// Go's text/template, as ApplicationSets (goTemplate: true) and Helm use it, with the Sprig
// functions Argo CD registers, and fasttemplate, the ApplicationSet's default template mode.
//
// Data is JSON: objects are Go maps (keys iterate sorted, as Go's range over a map does), arrays
// are slices, numbers keep Go's int64 / float64 split. Error texts are Go's, byte for byte, so a
// user sees in fleetsim what `argocd appset generate` would print:
//   parse: `template: NAME:1: bad character U+005B '['`
//   exec:  `template: NAME:1:3: executing "NAME" at <.x>: map has no entry for key "x"`
#ifndef FLEETSIM_SIM_TEMPLATE_GO_TEMPLATE_H_
#define FLEETSIM_SIM_TEMPLATE_GO_TEMPLATE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// text/template's Option("missingkey=..."): what a map index with no such key gives.
enum class MissingKey {
  kDefault,  // "missingkey=default" / "missingkey=invalid": prints "<no value>"
  kZero,     // "missingkey=zero": the zero value (for map[string]interface{}, also "<no value>")
  kError,    // "missingkey=error": execution stops with "map has no entry for key"
};

struct GoTemplateOptions {
  MissingKey missing_key = MissingKey::kDefault;
};

// An ApplicationSet's goTemplateOptions (e.g. ["missingkey=error"]); an unknown option is the
// error text Go's template.Option panics with.
Result<GoTemplateOptions> ParseGoTemplateOptions(const std::vector<std::string>& options);

class GoTemplate {
 public:
  // Parses `text` as a template named `name` (with its {{define}}d templates). The Sprig function
  // map is always available, as Argo CD registers it.
  static Result<GoTemplate> Parse(std::string_view text, std::string_view name = "");

  // Executes with `data` as dot.
  Result<std::string> Execute(const Json& data, const GoTemplateOptions& options = {}) const;

 private:
  struct Tree;
  explicit GoTemplate(std::shared_ptr<const Tree> tree) : tree_(std::move(tree)) {}
  std::shared_ptr<const Tree> tree_;  // immutable once parsed; copies share it
};

// fasttemplate with "{{" and "}}" as Argo CD's ApplicationSet controller uses it: each tag's
// trimmed text is looked up in `params`; a tag that is not there (or an empty tag) is written back
// unchanged, braces included. An unterminated "{{" is fasttemplate's error, e.g.
// `cannot find end tag="}}" in the template="{{a}} {{b" starting from "b"` (Argo CD puts
// "invalid template: " in front). As in Argo CD's Render.Replace, text in which no line holds a
// "{{" followed by "}}" (its isTemplatedRegex) is returned as it is, unterminated tags included.
using FastTemplateParams = std::map<std::string, std::string, std::less<>>;
Result<std::string> RenderFastTemplate(std::string_view text, const FastTemplateParams& params);

// Rewrites every number in `value` as a float64, which is what encoding/json.Unmarshal into
// interface{} gives Go: generator parameters that Argo CD decoded from JSON (a list generator's
// elements, a git files generator's file) hold float64 numbers, so `{{eq .replicas 3}}` fails
// there with "incompatible types for comparison" while `{{.replicas}}` still prints "3".
void ConvertNumbersToFloat64(Json& value);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_TEMPLATE_GO_TEMPLATE_H_
