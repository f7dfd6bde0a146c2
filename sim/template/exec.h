// text/template's executor (text/template/exec.go) over JSON data: walks a parsed Tree with
// `data` as dot and appends the output. Errors are Go's: `template: NAME:LINE:COL: executing
// "NAME" at <NODE>: MESSAGE`.
#ifndef FLEETSIM_SIM_TEMPLATE_EXEC_H_
#define FLEETSIM_SIM_TEMPLATE_EXEC_H_

#include <string>

#include "engine/status.h"
#include "sim/template/go_template.h"
#include "sim/template/parse_tree.h"

namespace fleetsim::gotmpl {

// Executes the template tree.name of `tree`. On failure `out` holds what was written before it.
Status ExecuteTree(const Tree& tree, const Json& data, MissingKey missing_key, std::string& out);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_EXEC_H_
