// Go's literal syntax as the template parser reads it: strconv.Unquote for "..." and `...`
// strings, the body of a '...' character constant, and strconv.ParseInt's base-0 integers.
#ifndef FLEETSIM_SIM_TEMPLATE_LITERALS_H_
#define FLEETSIM_SIM_TEMPLATE_LITERALS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace fleetsim::gotmpl {

// strconv.Unquote for Go string literals ("..." with escapes, `...` raw); false if invalid.
bool GoUnquote(std::string_view quoted, std::string& out);

// The body of a Go literal quoted with `quote` ('"' or '\''), its escapes resolved
// (strconv.UnquoteChar rules); false if it is not valid.
bool UnquoteGoLiteralBody(std::string_view body, char quote, std::string& out);

// Magnitude and sign of an integer in Go syntax with base prefix 0x 0o 0b or a leading 0 (octal),
// and underscores; false if `s` is not one or overflows uint64.
bool ParseGoInteger(std::string_view s, bool allow_sign, bool& negative, uint64_t& magnitude);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_LITERALS_H_
