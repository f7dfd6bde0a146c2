// Reading fields of Kubernetes documents without exceptions: a missing field, or one of another
// type, reads as absent. Paths are lists of object keys.
#ifndef FLEETSIM_SIM_CLUSTER_JSON_FIELDS_H_
#define FLEETSIM_SIM_CLUSTER_JSON_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/manifest/json.h"

namespace fleetsim {

using JsonPath = std::initializer_list<std::string_view>;

// The value at `path`, or a null value (a shared static) when any step is missing.
const Json& JsonAt(const Json& doc, JsonPath path);
// The value at `path` when it is a whole number (as JSON or as a decimal string is NOT accepted).
std::optional<int64_t> IntAt(const Json& doc, JsonPath path);
int64_t IntAt(const Json& doc, JsonPath path, int64_t fallback);
std::string StringAt(const Json& doc, JsonPath path);  // "" when absent
bool BoolAt(const Json& doc, JsonPath path);           // false when absent
// A map of strings at `path` (labels, a Service's selector); non-string values are skipped.
std::map<std::string, std::string> StringMapAt(const Json& doc, JsonPath path);

// The first entry of the list at `path` whose "type" is `type` (a status condition), or null.
const Json* FindCondition(const Json& doc, JsonPath path, std::string_view type);

// Go's GroupVersionKind.String(): "apps/v1, Kind=Deployment", "/v1, Kind=Pod".
std::string GvkString(std::string_view api_version, std::string_view kind);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_JSON_FIELDS_H_
