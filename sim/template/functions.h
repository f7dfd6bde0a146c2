// The function map of a template: text/template's builtins, Sprig's generic functions as Argo CD
// registers them (without env, expandenv and getHostByName) and Argo CD's own normalize, slugify,
// toYaml, fromYaml and fromYamlArray. Each function declares its Go parameter types so that
// argument errors read as Go's ("wrong type for value; expected string; got float64").
#ifndef FLEETSIM_SIM_TEMPLATE_FUNCTIONS_H_
#define FLEETSIM_SIM_TEMPLATE_FUNCTIONS_H_

#include <span>
#include <string>
#include <string_view>

#include "sim/template/value.h"

namespace fleetsim::gotmpl {

// A function's body: reads `args` (already checked against the parameter types), writes `out`,
// or fills `err` (Go's error text, without the "error calling NAME: " prefix) and returns false.
using FuncBody = bool (*)(std::span<Value> args, Value& out, std::string& err);

// Parameter types, one character each:
//   a interface{}   v reflect.Value (the builtins; invalid values pass as they are)
//   s string   i int   I int64   f float64   b bool   m map[string]interface{}   l []interface{}
struct FuncSpec {
  std::string_view name;
  std::string_view params;
  bool variadic;  // the last parameter repeats
  FuncBody body;
};

// The function named `name`, or nullptr.
const FuncSpec* FindFunction(std::string_view name);

// Go's name of a parameter type character.
std::string_view ParamTypeName(char param);

std::span<const FuncSpec> BuiltinFunctions();
std::span<const FuncSpec> SprigStringFunctions();
std::span<const FuncSpec> SprigCollectionFunctions();
std::span<const FuncSpec> SprigMiscFunctions();

// Shared helpers of the function bodies.
bool IsTrue(const Value& v);             // text/template's truth; invalid and nil are false
bool IsEmpty(const json& j);             // Sprig's empty()
const std::string& Str(const Value& v);  // REQUIRES: v holds a string
int64_t ToInt64(const Value& v);         // Sprig's cast.ToInt64
double ToFloat64(const Value& v);        // Sprig's cast.ToFloat64

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_FUNCTIONS_H_
