// The syntax tree of a parsed expr-lang expression. Internal to expr_parser.cc and expr.cc.
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_AST_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_AST_H_

#include <memory>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

namespace fleetsim::rollouts {

struct ExprNode {
  enum class Kind {
    kLiteral,   // literal
    kVariable,  // name
    kPointer,   // `#`, the element of the innermost predicate
    kUnary,     // name is the operator ("!", "-", "+"); children[0]
    kBinary,    // name is the operator ("+", "&&", "in", "not in", ...); children[0..1]
    kTernary,   // children: condition, then, else
    kMember,    // children[0].name; optional for `?.`
    kIndex,     // children[0][children[1]]; optional for `?.[`
    kCall,      // name is the builtin; children are the arguments (a predicate is a kClosure)
    kClosure,   // children[0] evaluated once per element with `#` bound
    kArray,     // children are the elements
    kMap,       // keys[i] -> children[i]
  };

  Kind kind = Kind::kLiteral;
  Json literal;
  std::string name;
  std::vector<std::unique_ptr<ExprNode>> children;
  std::vector<std::string> keys;
  bool optional = false;
  int line = 1;
  int column = 1;
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_AST_H_
