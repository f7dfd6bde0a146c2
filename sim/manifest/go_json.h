// JSON as Argo CD's Go code sees it. Manifests travel from the repo-server to the controller as
// text written by Go's encoding/json and read back by apimachinery's decoder, which keeps integers
// as int64. These helpers reproduce what that round trip does to values, and the text Go writes
// into error messages (sorted keys, HTML-safe escaping, Go's float format).
#ifndef FLEETSIM_SIM_MANIFEST_GO_JSON_H_
#define FLEETSIM_SIM_MANIFEST_GO_JSON_H_

#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// Rewrites every number in `value` as it comes out of the Go round trip: an integral float below
// 1e21 that fits an int64 becomes that int64 (Go writes 3.0 as "3"), an unsigned number beyond
// int64 becomes a float, other floats stay. Fails with Go's message ("json: unsupported value:
// +Inf") on NaN or an infinity, which encoding/json refuses to write.
Status RoundTripGoNumbers(Json& value);

// The compact text Go's json.Marshal writes for `value`: keys sorted, no spaces, '<' '>' '&'
// U+2028 U+2029 escaped as \u003c..., floats as strconv's shortest 'f' or 'e' form.
std::string GoJsonMarshal(const Json& value);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD, as encoding/json
// writes such a string.
std::string GoValidUtf8(std::string_view s);

// Go's %q of a string: double-quoted, with '"', '\\' and non-printable characters escaped.
std::string GoQuote(std::string_view s);

// Go's name for the JSON type of `value` in decoding errors: "object", "array", "string",
// "number", "bool" or "null".
std::string GoJsonTypeName(const Json& value);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_GO_JSON_H_
