// The parser of the expr-lang subset used by AnalysisTemplate conditions. Precedences follow
// expr-lang's parser/operator tables: `?:` lowest, then `or ||` (10), `and &&` (15), comparisons
// and `in`/`not in`/`contains`/`startsWith`/`endsWith` (20), `+ -` (30), `* / %` (60),
// `**`/`^` (100, right-associative), `??` (500); unary `not !` bind at 50 and `- +` at 90, so
// `!a == b` is `(!a) == b` and `-x ** 2` is `-(x ** 2)`.
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_PARSER_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_PARSER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/rollouts/expr_ast.h"

namespace fleetsim::rollouts {

// Parses `text`. Names outside `variables` and calls to functions that are not builtins are
// rejected as expr-lang's compiler rejects names missing from the environment ("unknown name x").
// Errors read "<message> (line:column)", e.g. `unexpected token Operator(">") (1:10)`.
Result<std::unique_ptr<ExprNode>> ParseExpr(std::string_view text,
                                            const std::vector<std::string>& variables);

// Whether `name` is a builtin function, and its arity bounds (max < 0: variadic).
bool IsBuiltin(std::string_view name, int* min_args = nullptr, int* max_args = nullptr);
// all, any, none, one, filter, map, count: the second argument is a predicate.
bool IsPredicateBuiltin(std::string_view name);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_PARSER_H_
