// Small pieces of Go's text conventions shared by the template engine, the expr-lang evaluator and
// the scenario's YAML writer: how a byte is escaped inside a double-quoted string, and the dynamic
// type name (%T) of a value decoded from JSON.
#ifndef FLEETSIM_SIM_TEXT_GO_TEXT_H_
#define FLEETSIM_SIM_TEXT_GO_TEXT_H_

#include <string>
#include <string_view>

#include "sim/manifest/json.h"

namespace fleetsim {

// Appends the escape of `c` inside a double-quoted string (\" \\ \n \t \r, other control bytes
// and DEL as \xNN) and returns true; returns false, appending nothing, for any other byte.
bool AppendEscapedByte(std::string& out, unsigned char c);

// The type name Go prints for a JSON-decoded value held in an interface{}: "bool", "int",
// "float64", "string", "[]interface {}", "map[string]interface {}"; `nil_name` for null and
// anything else (the callers differ: "nil" in expr-lang, "interface {}" in text/template).
std::string_view GoJsonTypeName(const Json& value, std::string_view nil_name);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_TEXT_GO_TEXT_H_
