// The tree-walking evaluator behind Expression. Internal to expr.cc and expr_builtins.cc.
// Runtime errors carry no position: the rollouts controller strips expr-lang's file.Error down
// to its message before it becomes a measurement's message.
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_

#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/rollouts/expr_ast.h"

namespace fleetsim::rollouts {

class ExprEvaluator {
 public:
  // `env` must outlive the evaluator.
  explicit ExprEvaluator(const Json& env) : env_(env) {}

  Result<Json> Eval(const ExprNode& node);
  // REQUIRES: call.kind == kCall. Defined in expr_builtins.cc.
  Result<Json> CallBuiltin(const ExprNode& call);

 private:
  Result<Json> Unary(const ExprNode& node);
  Result<Json> Binary(const ExprNode& node);
  Result<Json> Logical(const ExprNode& node);
  Result<Json> Member(const ExprNode& node);
  Result<Json> Index(const ExprNode& node);
  Result<Json> Ternary(const ExprNode& node);
  Result<Json> Predicate(const ExprNode& call);

  const Json& env_;
  std::vector<const Json*> pointers_;  // `#` of each enclosing predicate
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_
