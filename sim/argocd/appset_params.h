// The parameter sets ApplicationSet generators produce (reference/argocd.md 4.4 and 4.5;
// argo-cd applicationset/generators/git.go, cluster.go, value_interpolation.go). A parameter set
// is a JSON object: flat with string values in fasttemplate mode ("path.basename", "path[1]",
// "metadata.labels.env"), nested in goTemplate mode (.path.basename, .path.segments,
// .metadata.labels).
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_PARAMS_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_PARAMS_H_

#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/argocd/appset_sources.h"

namespace fleetsim {

using ParamSet = Json;

// utils.SanitizeName: lower case, each character outside [-a-z0-9.] becomes '-', at most 253
// bytes, leading and trailing '-' and '.' trimmed.
std::string SanitizeName(std::string_view name);

// Go's path.Match: `*` matches any run of non-'/' characters, `?` one non-'/' character,
// `[...]` a class ('^' or '!' negates, ranges a-z), `\` escapes. A malformed pattern matches
// nothing (the generator logs it and goes on).
bool GoPathMatch(std::string_view pattern, std::string_view name);

// Go's path.Dir and path.Base for the '/'-separated, relative paths of a tree.
std::string PathDir(std::string_view path);
std::string PathBase(std::string_view path);

// The directory generator's parameters for `dir` (generateParamsFromApps).
ParamSet DirectoryParams(const std::string& dir, const std::string& prefix, bool go_template);
// The file generator's parameters for one object of the file at `file` (generateParamsFromGitFile):
// the object (flattened and stringified in fasttemplate mode) plus the path parameters.
Result<ParamSet> FileParams(const std::string& file, const Json& object, const std::string& prefix,
                            bool go_template);
// The cluster generator's parameters for one Secret (getClusterParameters).
ParamSet ClusterParams(const AppSetCluster& cluster, bool go_template);
// The synthetic local cluster the generator adds when its selector is empty.
ParamSet LocalClusterParams();

// jeremywohl/flatten in DotStyle, then fmt.Sprintf("%v") of each leaf: {"a": {"b": 1}} gives
// {"a.b": "1"}; list items are "a.0", "a.1"...
Json FlattenToStrings(const Json& object);

// Go's fmt "%v" of a JSON value as encoding/json decodes it (numbers are float64, so 3.0 prints
// "3" and 1e21 prints "1e+21"; null prints "<nil>"; maps print "map[k:v]").
std::string GoPrintValue(const Json& value);

// mergo.Merge(dst, src, WithOverride) on nested maps: maps merge key by key, any other non-empty
// value of src replaces dst's.
void MergeOverride(Json& dst, const Json& src);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_PARAMS_H_
