// text/template's parser (text/template/parse/parse.go): builds the Tree of a template and its
// {{define}}d and {{block}} templates, checking functions and variables as Go does, and fails
// with Go's message, e.g. `template: NAME:1: function "foo" not defined`.
#ifndef FLEETSIM_SIM_TEMPLATE_PARSER_H_
#define FLEETSIM_SIM_TEMPLATE_PARSER_H_

#include <string_view>

#include "engine/status.h"
#include "sim/template/parse_tree.h"

namespace fleetsim::gotmpl {

// Parses tree.text as the template tree.name into `tree`.
Status ParseTree(Tree& tree);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_PARSER_H_
