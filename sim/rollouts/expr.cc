#include "sim/rollouts/expr.h"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "sim/rollouts/expr_ast.h"
#include "sim/rollouts/expr_eval.h"
#include "sim/rollouts/expr_parser.h"
#include "sim/text/go_text.h"

namespace fleetsim::rollouts {
namespace {

using json = Json;

Status Mismatched(std::string_view op, const json& a, const json& b) {
  return Status::Error(fmt::format("invalid operation: {} (mismatched types {} and {})", op,
                                   ExprTypeName(a), ExprTypeName(b)));
}

// Two's-complement arithmetic without signed-overflow undefined behaviour (Go wraps).
int64_t Wrap(uint64_t v) { return static_cast<int64_t>(v); }

Result<json> Arithmetic(std::string_view op, const json& a, const json& b) {
  if (op == "+" && a.is_string() && b.is_string()) {
    return json(a.get<std::string>() + b.get<std::string>());
  }
  if (!a.is_number() || !b.is_number()) return Mismatched(op, a, b);
  bool ints = a.is_number_integer() && b.is_number_integer();
  if (op == "%") {
    if (!ints) return Mismatched(op, a, b);
    int64_t y = b.get<int64_t>();
    if (y == 0) return Status::Error("integer divide by zero");
    int64_t x = a.get<int64_t>();
    if (y == -1) return json(int64_t{0});
    return json(x % y);
  }
  double x = a.get<double>();
  double y = b.get<double>();
  if (op == "/") return json(x / y);
  if (op == "**" || op == "^") return json(std::pow(x, y));
  if (ints) {
    auto ux = static_cast<uint64_t>(a.get<int64_t>());
    auto uy = static_cast<uint64_t>(b.get<int64_t>());
    if (op == "+") return json(Wrap(ux + uy));
    if (op == "-") return json(Wrap(ux - uy));
    return json(Wrap(ux * uy));
  }
  if (op == "+") return json(x + y);
  if (op == "-") return json(x - y);
  return json(x * y);
}

bool ExprEqual(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer()) return a.get<int64_t>() == b.get<int64_t>();
    return a.get<double>() == b.get<double>();
  }
  return a == b;
}

Result<json> Compare(std::string_view op, const json& a, const json& b) {
  int order = 0;
  if (a.is_number() && b.is_number()) {
    if (a.is_number_integer() && b.is_number_integer()) {
      int64_t x = a.get<int64_t>();
      int64_t y = b.get<int64_t>();
      order = x < y ? -1 : (x > y ? 1 : 0);
    } else {
      double x = a.get<double>();
      double y = b.get<double>();
      if (std::isnan(x) || std::isnan(y)) return json(false);  // every ordering with NaN is false
      order = x < y ? -1 : (x > y ? 1 : 0);
    }
  } else if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    order = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else {
    return Mismatched(op, a, b);
  }
  if (op == "<") return json(order < 0);
  if (op == ">") return json(order > 0);
  if (op == "<=") return json(order <= 0);
  return json(order >= 0);
}

Result<json> Membership(std::string_view op, const json& needle, const json& haystack) {
  bool found = false;
  if (haystack.is_array()) {
    for (const json& item : haystack) found = found || ExprEqual(needle, item);
  } else if (haystack.is_object()) {
    if (!needle.is_string()) return Mismatched(op, needle, haystack);
    found = haystack.contains(needle.get<std::string>());
  } else if (!haystack.is_null()) {
    return Mismatched(op, needle, haystack);
  }
  return json(op == "in" ? found : !found);
}

Result<json> StringOperator(std::string_view op, const json& a, const json& b) {
  if (!a.is_string() || !b.is_string()) return Mismatched(op, a, b);
  std::string_view s = a.get_ref<const std::string&>();
  std::string_view t = b.get_ref<const std::string&>();
  if (op == "contains") return json(s.find(t) != std::string_view::npos);
  if (op == "startsWith") return json(s.substr(0, t.size()) == t);
  return json(s.size() >= t.size() && s.substr(s.size() - t.size()) == t);
}

}  // namespace

std::string_view ExprTypeName(const json& value) { return GoJsonTypeName(value, "nil"); }

Result<json> ExprEvaluator::Eval(const ExprNode& node) {
  switch (node.kind) {
    case ExprNode::Kind::kLiteral:
      return node.literal;
    case ExprNode::Kind::kVariable: {
      auto it = env_.find(node.name);
      return it == env_.end() ? json() : *it;
    }
    case ExprNode::Kind::kPointer:
      return *pointers_.back();
    case ExprNode::Kind::kUnary:
      return Unary(node);
    case ExprNode::Kind::kBinary:
      return Binary(node);
    case ExprNode::Kind::kTernary:
      return Ternary(node);
    case ExprNode::Kind::kMember:
      return Member(node);
    case ExprNode::Kind::kIndex:
      return Index(node);
    case ExprNode::Kind::kCall:
      return CallBuiltin(node);
    case ExprNode::Kind::kClosure:
      return Status::Error("predicate used outside a builtin");
    case ExprNode::Kind::kArray: {
      json out = json::array();
      for (const auto& child : node.children) {
        Result<json> v = Eval(*child);
        if (!v.ok()) return v;
        out.push_back(std::move(v.value()));
      }
      return out;
    }
    case ExprNode::Kind::kMap: {
      json out = json::object();
      for (size_t i = 0; i < node.children.size(); ++i) {
        Result<json> v = Eval(*node.children[i]);
        if (!v.ok()) return v;
        out[node.keys[i]] = std::move(v.value());
      }
      return out;
    }
  }
  return Status::Error("unknown node");
}

Result<json> ExprEvaluator::Unary(const ExprNode& node) {
  Result<json> operand = Eval(*node.children[0]);
  if (!operand.ok()) return operand;
  const json& v = *operand;
  if (node.name == "!") {
    if (!v.is_boolean()) {
      return Status::Error(fmt::format("invalid operation: ! ({})", ExprTypeName(v)));
    }
    return json(!v.get<bool>());
  }
  if (!v.is_number()) {
    return Status::Error(fmt::format("invalid operation: {} ({})", node.name, ExprTypeName(v)));
  }
  if (node.name == "+") return v;
  if (v.is_number_integer()) return json(Wrap(0 - static_cast<uint64_t>(v.get<int64_t>())));
  return json(-v.get<double>());
}

Result<json> ExprEvaluator::Logical(const ExprNode& node) {
  bool is_and = node.name == "&&" || node.name == "and";
  Result<json> left = Eval(*node.children[0]);
  if (!left.ok()) return left;
  if (!left->is_boolean()) return Mismatched(node.name, *left, json(true));
  if (left->get<bool>() != is_and) return json(!is_and);
  Result<json> right = Eval(*node.children[1]);
  if (!right.ok()) return right;
  if (!right->is_boolean()) return Mismatched(node.name, json(true), *right);
  return json(right->get<bool>());
}

Result<json> ExprEvaluator::Binary(const ExprNode& node) {
  const std::string& op = node.name;
  if (op == "&&" || op == "and" || op == "||" || op == "or") return Logical(node);
  Result<json> left = Eval(*node.children[0]);
  if (!left.ok()) return left;
  if (op == "??" && !left->is_null()) return left;
  Result<json> right = Eval(*node.children[1]);
  if (!right.ok()) return right;
  const json& a = *left;
  const json& b = *right;
  if (op == "??") return b;
  if (op == "==") return json(ExprEqual(a, b));
  if (op == "!=") return json(!ExprEqual(a, b));
  if (op == "<" || op == ">" || op == "<=" || op == ">=") return Compare(op, a, b);
  if (op == "in" || op == "not in") return Membership(op, a, b);
  if (op == "contains" || op == "startsWith" || op == "endsWith") return StringOperator(op, a, b);
  return Arithmetic(op, a, b);
}

Result<json> ExprEvaluator::Ternary(const ExprNode& node) {
  Result<json> condition = Eval(*node.children[0]);
  if (!condition.ok()) return condition;
  if (!condition->is_boolean()) {
    return Status::Error(
        fmt::format("non-bool expression (type {}) used as condition", ExprTypeName(*condition)));
  }
  return Eval(*node.children[condition->get<bool>() ? 1 : 2]);
}

Result<json> ExprEvaluator::Member(const ExprNode& node) {
  Result<json> base = Eval(*node.children[0]);
  if (!base.ok()) return base;
  if (base->is_null() && node.optional) return json();
  if (!base->is_object()) {
    return Status::Error(fmt::format("cannot fetch {} from {}", node.name, ExprTypeName(*base)));
  }
  auto it = base->find(node.name);
  return it == base->end() ? json() : *it;
}

Result<json> ExprEvaluator::Index(const ExprNode& node) {
  Result<json> base = Eval(*node.children[0]);
  if (!base.ok()) return base;
  if (base->is_null() && node.optional) return json();
  Result<json> index = Eval(*node.children[1]);
  if (!index.ok()) return index;
  if (base->is_object()) {
    if (!index->is_string()) {
      return Status::Error(fmt::format("cannot use {} as map key", ExprTypeName(*index)));
    }
    auto it = base->find(index->get<std::string>());
    return it == base->end() ? json() : *it;
  }
  if (!base->is_array() && !base->is_string()) {
    return Status::Error(
        fmt::format("cannot fetch {} from {}", index->dump(), ExprTypeName(*base)));
  }
  if (!index->is_number_integer()) {
    return Status::Error(fmt::format("invalid index type {}", ExprTypeName(*index)));
  }
  int64_t size = base->is_array()
                     ? static_cast<int64_t>(base->size())
                     : static_cast<int64_t>(base->get_ref<const std::string&>().size());
  int64_t i = index->get<int64_t>();
  int64_t at = i < 0 ? size + i : i;
  if (at < 0 || at >= size) {
    return Status::Error(fmt::format("index out of range: {} (array length is {})", i, size));
  }
  if (base->is_string()) return json(std::string(1, base->get_ref<const std::string&>()[at]));
  return (*base)[static_cast<size_t>(at)];
}

Expression::Expression(std::string text, std::unique_ptr<ExprNode> root)
    : text_(std::move(text)), root_(std::move(root)) {}
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Result<Expression> Expression::Parse(std::string_view text, std::vector<std::string> variables) {
  Result<std::unique_ptr<ExprNode>> root = ParseExpr(text, variables);
  if (!root.ok()) return root.status();
  return Expression(std::string(text), std::move(root.value()));
}

Result<json> Expression::Evaluate(const json& env) const {
  ExprEvaluator evaluator(env);
  return evaluator.Eval(*root_);
}

Result<bool> Expression::EvaluateCondition(const json& result) const {
  json env = json::object();
  env["result"] = result;
  Result<json> value = Evaluate(env);
  if (!value.ok()) return value.status();
  if (!value->is_boolean()) {
    return Status::Error(fmt::format("expected bool, but got {}", ExprTypeName(*value)));
  }
  return value->get<bool>();
}

}  // namespace fleetsim::rollouts
