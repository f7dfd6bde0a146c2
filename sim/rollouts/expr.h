// Expressions of expr-lang (github.com/expr-lang/expr), the language of an AnalysisTemplate
// metric's successCondition and failureCondition (argo-rollouts utils/evaluate/evaluate.go).
// Reference section 1.12.
//
// The subset: literals (int, float, strings in '…', "…" or `…`, true/false, nil, [arrays],
// {maps}), variables (`result` by default), `a.b`, `a?.b`, `a[i]` (negative i counts from the
// end), arithmetic + - * / % ** ^, comparisons, `&& || !` and `and or not`, `in`/`not in`,
// `contains startsWith endsWith`, `??`, the ternary `?:`, and the builtins len, all, any, none,
// one, filter, map, count (predicates `{# > 0.9}` or `# > 0.9`), abs, min, max, float, int,
// isNaN, isInf, plus the rollouts controller's asInt, asFloat, isNil(x) (x is nil) and default.
//
// Values are Json. Runtime rules follow expr-lang's vm/runtime: int op int stays int
// except `/` and `**`, which give floats; ints and floats compare and are equal across types;
// `%` takes ints only; `&&`/`||` short-circuit and need bools; a missing map key reads as nil;
// an index out of range is an error. Errors are Status values, never exceptions or crashes.
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim::rollouts {

struct ExprNode;

// A parsed expression: parse once, evaluate many times. Movable, not copyable.
class Expression {
 public:
  // Parses `text`; `variables` are the names the environment will provide. Parse errors carry
  // expr-lang's position suffix, e.g. `unexpected token Operator(">") (1:10)`.
  static Result<Expression> Parse(std::string_view text,
                                  std::vector<std::string> variables = {"result"});

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // Evaluates with `env`, a JSON object holding a value for each declared variable (a missing
  // one reads as nil).
  Result<Json> Evaluate(const Json& env) const;

  // evaluate.EvalCondition: evaluates with `result` bound and requires a bool ("expected bool,
  // but got <type>").
  Result<bool> EvaluateCondition(const Json& result) const;

  const std::string& text() const { return text_; }

 private:
  Expression(std::string text, std::unique_ptr<ExprNode> root);
  std::string text_;
  std::unique_ptr<ExprNode> root_;
};

// expr-lang's type name of a value in messages: nil, bool, int, float64, string, array, map.
std::string_view ExprTypeName(const Json& value);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_H_
