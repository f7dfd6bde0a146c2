// Go's fmt and strconv as templates reach them: fmt.Sprint / Sprintln / Sprintf over template
// values (printf and print, and every {{.x}} that is printed), and strconv's float formats.
// Maps print with sorted keys (`map[a:1 b:2]`), slices as `[a b]`, nil as `<nil>`, floats with
// %v as strconv's shortest 'g' (`5`, `1e+06`, `0.5`), and misused verbs as `%!d(string=foo)`.
#ifndef FLEETSIM_SIM_TEMPLATE_GO_FORMAT_H_
#define FLEETSIM_SIM_TEMPLATE_GO_FORMAT_H_

#include <span>
#include <string>
#include <string_view>

#include "sim/template/value.h"

namespace fleetsim::gotmpl {

// strconv.AppendFloat(out, v, fmt, prec, 64) for fmt in e E f g G; prec -1 is the shortest
// representation that reads back as `v`.
void AppendGoFloat(std::string& out, double v, char fmt, int prec);

// fmt.Fprint(out, v) for one value; an invalid value prints as "<nil>".
void AppendGoPrint(std::string& out, const Value& v);

std::string GoSprint(std::span<const Value> args);
std::string GoSprintln(std::span<const Value> args);
std::string GoSprintf(std::string_view format, std::span<const Value> args);

// Sprig's strval: a string as is, anything else as fmt.Sprintf("%v").
std::string GoStringOf(const Value& v);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_GO_FORMAT_H_
