// spec.ignoreApplicationDifferences of an ApplicationSet (argo-cd applicationset/utils/
// createOrUpdate.go applyIgnoreDifferences, CreateOrUpdate): fields of the generated Applications
// the controller leaves as they are live. Both the live and the generated Application lose the
// matched fields, and the live one receives the JSON merge patch between the two
// (client.MergeFrom), so an ignored field keeps its live value; a list that differs elsewhere is
// replaced whole, ignored fields inside it included, as upstream does.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_IGNORE_DIFFERENCES_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_IGNORE_DIFFERENCES_H_

#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// One step of a path: a key (a JSON pointer token is a key or, on a list, an index), a list index,
// or every element of a list (jq's []).
struct IgnorePathStep {
  enum class Kind { kToken, kIndex, kAll };
  Kind kind = Kind::kToken;
  std::string token;
  size_t index = 0;
};
using IgnorePath = std::vector<IgnorePathStep>;

struct IgnoreDifferencesRule {
  std::string name;  // "" = every Application
  std::vector<IgnorePath> paths;
};

// Parses spec.ignoreApplicationDifferences: jsonPointers (RFC 6901) and jqPathExpressions that are
// paths (.a.b, .a["k"], .a[0], .a[]); any other jq program is refused with its text.
Result<std::vector<IgnoreDifferencesRule>> ParseIgnoreDifferences(const Json& rules);

// `app` without the fields the rules that apply to `app_name` select.
Json WithoutIgnored(const std::vector<IgnoreDifferencesRule>& rules, const std::string& app_name,
                    Json app);

// CreateOrUpdate's write: `live` with the merge patch from normalized live to normalized desired
// applied. Returns `live` unchanged when the two normalized documents are equal.
Json MergeFromIgnoring(const std::vector<IgnoreDifferencesRule>& rules, const Json& live,
                       const Json& desired);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_IGNORE_DIFFERENCES_H_
