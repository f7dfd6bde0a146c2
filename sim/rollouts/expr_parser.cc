#include "sim/rollouts/expr_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>

#include <fmt/format.h>

#include "sim/rollouts/expr_lexer.h"

namespace fleetsim::rollouts {
namespace {

using NodePtr = std::unique_ptr<ExprNode>;

struct BinaryOp {
  std::string_view name;
  int precedence;
  bool right_assoc;
};

constexpr BinaryOp kBinaryOps[] = {
    {"or", 10, false},       {"||", 10, false},         {"and", 15, false},
    {"&&", 15, false},       {"==", 20, false},         {"!=", 20, false},
    {"<", 20, false},        {">", 20, false},          {"<=", 20, false},
    {">=", 20, false},       {"in", 20, false},         {"not in", 20, false},
    {"contains", 20, false}, {"startsWith", 20, false}, {"endsWith", 20, false},
    {"+", 30, false},        {"-", 30, false},          {"*", 60, false},
    {"/", 60, false},        {"%", 60, false},          {"**", 100, true},
    {"^", 100, true},        {"??", 500, false},
};

struct Builtin {
  std::string_view name;
  int min_args;
  int max_args;
};

constexpr Builtin kBuiltins[] = {
    {"len", 1, 1},    {"all", 2, 2},     {"any", 2, 2},   {"none", 2, 2},    {"one", 2, 2},
    {"filter", 2, 2}, {"map", 2, 2},     {"count", 2, 2}, {"abs", 1, 1},     {"min", 1, -1},
    {"max", 1, -1},   {"float", 1, 1},   {"int", 1, 1},   {"isNaN", 1, 1},   {"isInf", 1, 1},
    {"asInt", 1, 1},  {"asFloat", 1, 1}, {"isNil", 1, 1}, {"default", 2, 2},
};

const BinaryOp* FindBinary(std::string_view name) {
  for (const BinaryOp& op : kBinaryOps) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

NodePtr MakeNode(ExprNode::Kind kind, const Token& at) {
  auto node = std::make_unique<ExprNode>();
  node->kind = kind;
  node->line = at.line;
  node->column = at.column;
  return node;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<std::string>& variables)
      : tokens_(std::move(tokens)), variables_(variables) {}

  Result<NodePtr> Run() {
    Result<NodePtr> node = Expression(0);
    if (!node.ok()) return node;
    if (Current().kind != TokenKind::kEof) return Unexpected();
    return node;
  }

 private:
  const Token& Current() const { return tokens_[pos_]; }
  const Token& Ahead(size_t n) const { return tokens_[std::min(pos_ + n, tokens_.size() - 1)]; }
  void Advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  Status ErrorAt(const Token& at, std::string_view message) const {
    return Status::Error(PositionedMessage(message, at.line, at.column));
  }
  Status Unexpected() const {
    return ErrorAt(Current(), fmt::format("unexpected token {}", Current().Describe()));
  }
  Status Expect(TokenKind kind, std::string_view value) {
    if (!Current().Is(kind, value)) return Unexpected();
    Advance();
    return Status::Ok();
  }

  // The binary operator at the current token, with the number of tokens it spans.
  const BinaryOp* PeekBinary(size_t* width) const {
    const Token& t = Current();
    *width = 1;
    if (t.kind == TokenKind::kOperator) return FindBinary(t.value);
    if (t.kind != TokenKind::kIdentifier) return nullptr;
    if (t.value == "not" && Ahead(1).Is(TokenKind::kIdentifier, "in")) {
      *width = 2;
      return FindBinary("not in");
    }
    if (t.value == "not") return nullptr;
    return FindBinary(t.value);
  }

  // Nesting beyond this is refused, so parsing and evaluation recurse a bounded depth.
  static constexpr int kMaxDepth = 200;

  Result<NodePtr> Expression(int min_precedence) {
    if (depth_ >= kMaxDepth) return ErrorAt(Current(), "expression nests too deeply");
    ++depth_;
    Result<NodePtr> node = ExpressionBody(min_precedence);
    --depth_;
    return node;
  }

  Result<NodePtr> ExpressionBody(int min_precedence) {
    Result<NodePtr> left = Unary();
    if (!left.ok()) return left;
    NodePtr node = std::move(left.value());
    size_t width = 1;
    while (const BinaryOp* op = PeekBinary(&width)) {
      if (op->precedence < min_precedence) break;
      Token at = Current();
      for (size_t i = 0; i < width; ++i) Advance();
      Result<NodePtr> right = Expression(op->right_assoc ? op->precedence : op->precedence + 1);
      if (!right.ok()) return right;
      NodePtr binary = MakeNode(ExprNode::Kind::kBinary, at);
      binary->name = std::string(op->name);
      binary->children.push_back(std::move(node));
      binary->children.push_back(std::move(right.value()));
      node = std::move(binary);
    }
    if (min_precedence == 0 && Current().Is(TokenKind::kOperator, "?"))
      return Ternary(std::move(node));
    return node;
  }

  Result<NodePtr> Ternary(NodePtr condition) {
    Token at = Current();
    Advance();
    Result<NodePtr> then_node = Expression(0);
    if (!then_node.ok()) return then_node;
    if (Status s = Expect(TokenKind::kOperator, ":"); !s.ok()) return s;
    Result<NodePtr> else_node = Expression(0);
    if (!else_node.ok()) return else_node;
    NodePtr node = MakeNode(ExprNode::Kind::kTernary, at);
    node->children.push_back(std::move(condition));
    node->children.push_back(std::move(then_node.value()));
    node->children.push_back(std::move(else_node.value()));
    return node;
  }

  Result<NodePtr> Unary() {
    const Token& t = Current();
    int precedence = 0;
    std::string op;
    if (t.Is(TokenKind::kIdentifier, "not") || t.Is(TokenKind::kOperator, "!")) {
      precedence = 50;
      op = "!";
    } else if (t.Is(TokenKind::kOperator, "-") || t.Is(TokenKind::kOperator, "+")) {
      precedence = 90;
      op = t.value;
    }
    if (op.empty()) return Postfix();
    Token at = t;
    Advance();
    Result<NodePtr> operand = Expression(precedence);
    if (!operand.ok()) return operand;
    NodePtr node = MakeNode(ExprNode::Kind::kUnary, at);
    node->name = op;
    node->children.push_back(std::move(operand.value()));
    return node;
  }

  Result<NodePtr> Postfix() {
    Result<NodePtr> primary = Primary();
    if (!primary.ok()) return primary;
    NodePtr node = std::move(primary.value());
    while (true) {
      const Token& t = Current();
      bool optional = t.Is(TokenKind::kOperator, "?.");
      if (t.Is(TokenKind::kOperator, ".") || optional) {
        Token at = t;
        Advance();
        if (optional && Current().Is(TokenKind::kBracket, "[")) {
          Result<NodePtr> index = Index(std::move(node), at, true);
          if (!index.ok()) return index;
          node = std::move(index.value());
          continue;
        }
        if (Current().kind != TokenKind::kIdentifier) return Unexpected();
        NodePtr member = MakeNode(ExprNode::Kind::kMember, at);
        member->name = Current().value;
        member->optional = optional;
        member->children.push_back(std::move(node));
        node = std::move(member);
        Advance();
      } else if (t.Is(TokenKind::kBracket, "[")) {
        Result<NodePtr> index = Index(std::move(node), t, false);
        if (!index.ok()) return index;
        node = std::move(index.value());
      } else {
        return node;
      }
    }
  }

  Result<NodePtr> Index(NodePtr base, const Token& at, bool optional) {
    Advance();  // [
    Result<NodePtr> index = Expression(0);
    if (!index.ok()) return index;
    if (Status s = Expect(TokenKind::kBracket, "]"); !s.ok()) return s;
    NodePtr node = MakeNode(ExprNode::Kind::kIndex, at);
    node->optional = optional;
    node->children.push_back(std::move(base));
    node->children.push_back(std::move(index.value()));
    return node;
  }

  Result<NodePtr> Primary() {
    const Token& t = Current();
    switch (t.kind) {
      case TokenKind::kNumber:
        return NumberLiteral();
      case TokenKind::kString: {
        NodePtr node = MakeNode(ExprNode::Kind::kLiteral, t);
        node->literal = t.value;
        Advance();
        return node;
      }
      case TokenKind::kIdentifier:
        return Identifier();
      case TokenKind::kBracket:
        if (t.value == "(") {
          Advance();
          Result<NodePtr> inner = Expression(0);
          if (!inner.ok()) return inner;
          if (Status s = Expect(TokenKind::kBracket, ")"); !s.ok()) return s;
          return inner;
        }
        if (t.value == "[") return ArrayLiteral();
        if (t.value == "{") return MapLiteral();
        return Unexpected();
      case TokenKind::kOperator:
        if (t.value == "#") {
          if (closure_depth_ == 0) return ErrorAt(t, "cannot use pointer accessor outside closure");
          NodePtr node = MakeNode(ExprNode::Kind::kPointer, t);
          Advance();
          return node;
        }
        return Unexpected();
      case TokenKind::kEof:
        return Unexpected();
    }
    return Unexpected();
  }

  Result<NodePtr> NumberLiteral() {
    const Token& t = Current();
    std::string digits;
    std::copy_if(t.value.begin(), t.value.end(), std::back_inserter(digits),
                 [](char c) { return c != '_'; });
    NodePtr node = MakeNode(ExprNode::Kind::kLiteral, t);
    bool is_float = digits.find_first_of(".eE") != std::string::npos &&
                    digits.rfind("0x", 0) != 0 && digits.rfind("0X", 0) != 0;
    if (is_float) {
      char* end = nullptr;
      node->literal = std::strtod(digits.c_str(), &end);
      if (end != digits.c_str() + digits.size()) return ErrorAt(t, "invalid float literal");
    } else {
      int base = 10;
      std::string_view body = digits;
      if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
        base = 16;
        body.remove_prefix(2);
      }
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, base);
      if (ec != std::errc() || ptr != body.data() + body.size()) {
        return ErrorAt(t, fmt::format("invalid integer literal: {}", t.value));
      }
      node->literal = value;
    }
    Advance();
    return node;
  }

  Result<NodePtr> Identifier() {
    Token t = Current();
    if (t.value == "true" || t.value == "false" || t.value == "nil") {
      NodePtr node = MakeNode(ExprNode::Kind::kLiteral, t);
      if (t.value != "nil") node->literal = (t.value == "true");
      Advance();
      return node;
    }
    Advance();
    if (Current().Is(TokenKind::kBracket, "(")) return Call(t);
    if (std::find(variables_.begin(), variables_.end(), t.value) == variables_.end()) {
      return ErrorAt(t, fmt::format("unknown name {}", t.value));
    }
    NodePtr node = MakeNode(ExprNode::Kind::kVariable, t);
    node->name = t.value;
    return node;
  }

  Result<NodePtr> Call(const Token& name) {
    int min_args = 0;
    int max_args = 0;
    if (!IsBuiltin(name.value, &min_args, &max_args)) {
      return ErrorAt(name, fmt::format("unknown name {}", name.value));
    }
    Advance();  // (
    NodePtr node = MakeNode(ExprNode::Kind::kCall, name);
    node->name = name.value;
    bool predicate = IsPredicateBuiltin(name.value);
    while (!Current().Is(TokenKind::kBracket, ")")) {
      if (!node->children.empty()) {
        if (Status s = Expect(TokenKind::kOperator, ","); !s.ok()) return s;
      }
      Result<NodePtr> arg = (predicate && node->children.size() == 1) ? Closure() : Expression(0);
      if (!arg.ok()) return arg;
      node->children.push_back(std::move(arg.value()));
    }
    Advance();  // )
    int n = static_cast<int>(node->children.size());
    if (n < min_args) {
      return ErrorAt(name, fmt::format("not enough arguments to call {}", name.value));
    }
    if (max_args >= 0 && n > max_args) {
      return ErrorAt(name, fmt::format("too many arguments to call {}", name.value));
    }
    return node;
  }

  // A predicate: `{ # > 0.9 }` or, as newer expr-lang accepts, the bare expression `# > 0.9`.
  Result<NodePtr> Closure() {
    Token at = Current();
    bool braces = at.Is(TokenKind::kBracket, "{");
    if (braces) Advance();
    ++closure_depth_;
    Result<NodePtr> body = Expression(0);
    --closure_depth_;
    if (!body.ok()) return body;
    if (braces) {
      if (Status s = Expect(TokenKind::kBracket, "}"); !s.ok()) return s;
    }
    NodePtr node = MakeNode(ExprNode::Kind::kClosure, at);
    node->children.push_back(std::move(body.value()));
    return node;
  }

  Result<NodePtr> ArrayLiteral() {
    NodePtr node = MakeNode(ExprNode::Kind::kArray, Current());
    Advance();
    while (!Current().Is(TokenKind::kBracket, "]")) {
      if (!node->children.empty()) {
        if (Status s = Expect(TokenKind::kOperator, ","); !s.ok()) return s;
        if (Current().Is(TokenKind::kBracket, "]")) break;  // trailing comma
      }
      Result<NodePtr> element = Expression(0);
      if (!element.ok()) return element;
      node->children.push_back(std::move(element.value()));
    }
    Advance();
    return node;
  }

  Result<NodePtr> MapLiteral() {
    NodePtr node = MakeNode(ExprNode::Kind::kMap, Current());
    Advance();
    while (!Current().Is(TokenKind::kBracket, "}")) {
      if (!node->children.empty()) {
        if (Status s = Expect(TokenKind::kOperator, ","); !s.ok()) return s;
        if (Current().Is(TokenKind::kBracket, "}")) break;
      }
      const Token& key = Current();
      if (key.kind != TokenKind::kIdentifier && key.kind != TokenKind::kString &&
          key.kind != TokenKind::kNumber) {
        return Unexpected();
      }
      node->keys.push_back(key.value);
      Advance();
      if (Status s = Expect(TokenKind::kOperator, ":"); !s.ok()) return s;
      Result<NodePtr> value = Expression(0);
      if (!value.ok()) return value;
      node->children.push_back(std::move(value.value()));
    }
    Advance();
    return node;
  }

  std::vector<Token> tokens_;
  const std::vector<std::string>& variables_;
  size_t pos_ = 0;
  int closure_depth_ = 0;
  int depth_ = 0;
};

}  // namespace

bool IsBuiltin(std::string_view name, int* min_args, int* max_args) {
  for (const Builtin& b : kBuiltins) {
    if (b.name != name) continue;
    if (min_args != nullptr) *min_args = b.min_args;
    if (max_args != nullptr) *max_args = b.max_args;
    return true;
  }
  return false;
}

bool IsPredicateBuiltin(std::string_view name) {
  return name == "all" || name == "any" || name == "none" || name == "one" || name == "filter" ||
         name == "map" || name == "count";
}

Result<std::unique_ptr<ExprNode>> ParseExpr(std::string_view text,
                                            const std::vector<std::string>& variables) {
  Result<std::vector<Token>> tokens = Lex(text);
  if (!tokens.ok()) return tokens.status();
  return Parser(std::move(tokens.value()), variables).Run();
}

}  // namespace fleetsim::rollouts
