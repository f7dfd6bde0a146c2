// The tree-walking evaluator behind Expression. Internal to expr.cc and expr_builtins.cc.
// Runtime errors carry no position: the rollouts controller strips expr-lang's file.Error down
// to its message before it becomes a measurement's message.
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "sim/rollouts/expr_ast.h"

namespace fleetsim::rollouts {

class ExprEvaluator {
 public:
  // `env` must outlive the evaluator.
  explicit ExprEvaluator(const nlohmann::json& env) : env_(env) {}

  Result<nlohmann::json> Eval(const ExprNode& node);
  // REQUIRES: call.kind == kCall. Defined in expr_builtins.cc.
  Result<nlohmann::json> CallBuiltin(const ExprNode& call);

 private:
  Result<nlohmann::json> Unary(const ExprNode& node);
  Result<nlohmann::json> Binary(const ExprNode& node);
  Result<nlohmann::json> Logical(const ExprNode& node);
  Result<nlohmann::json> Member(const ExprNode& node);
  Result<nlohmann::json> Index(const ExprNode& node);
  Result<nlohmann::json> Ternary(const ExprNode& node);
  Result<nlohmann::json> Predicate(const ExprNode& call);

  const nlohmann::json& env_;
  std::vector<const nlohmann::json*> pointers_;  // `#` of each enclosing predicate
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_EVAL_H_
