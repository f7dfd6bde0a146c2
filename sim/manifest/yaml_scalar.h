// How go-yaml v2, under sigs.k8s.io/yaml, types a YAML scalar and turns a map key into a JSON key.
// Used by yaml_to_json; see there for the rules in one place.
#ifndef FLEETSIM_SIM_MANIFEST_YAML_SCALAR_H_
#define FLEETSIM_SIM_MANIFEST_YAML_SCALAR_H_

#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// The value of an untagged plain scalar: null, a boolean, an int64, a uint64 (beyond int64), a
// double (possibly infinite or NaN) or the text itself.
Json ResolvePlainScalar(std::string_view text);

// The value of a scalar written with an explicit tag: !!str (and tags go-yaml cannot resolve, such
// as !!timestamp or a local !tag) keep the text; !!binary is base64-decoded; !!int, !!float, !!bool
// and !!null must resolve to that type (an int is accepted as a float), else
// "cannot decode !!str `abc` as a !!int".
// `tag` is yaml-cpp's: "tag:yaml.org,2002:int", "!foo".
Result<Json> ResolveTaggedScalar(std::string_view tag, std::string_view text);

// The JSON key sigs.k8s.io/yaml makes of a resolved YAML key: strings as they are, integers in
// decimal, booleans as "true"/"false", floats as Go's %g of a float32 (".inf", "-.inf", ".nan" for
// the specials). Null keys and uint64 keys are refused as sigs.k8s.io/yaml refuses them.
Result<std::string> JsonKeyOf(const Json& key);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_YAML_SCALAR_H_
