// Syntax rules for names and references written in scenario files. Pure functions of the text.
#ifndef FLEETSIM_SIM_SCENARIO_NAME_RULES_H_
#define FLEETSIM_SIM_SCENARIO_NAME_RULES_H_

#include <string_view>

namespace fleetsim {

// RFC 1123 label as Kubernetes checks it: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool IsDnsLabel(std::string_view s);

// RFC 1123 subdomain: dot-separated labels, at most 253 characters (Kubernetes object names).
bool IsDnsSubdomain(std::string_view s);

// Kubernetes label key ([prefix/]name) and value rules.
bool IsLabelKey(std::string_view s);
bool IsLabelValue(std::string_view s);

// A shell-style pattern: holds *, ? or [.
bool IsGlob(std::string_view s);

// "Kind/name" or "Kind/namespace/name", each part non-empty and without spaces.
bool IsObjectRef(std::string_view s);
// "Kind/name" only.
bool IsKindNameRef(std::string_view s);

// A path inside a repository: not empty, not absolute, no ".." segment, no backslash.
bool IsRepoRelativePath(std::string_view s);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_NAME_RULES_H_
