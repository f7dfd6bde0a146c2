#include "sim/template/parser.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "sim/manifest/utf8.h"
#include "sim/template/functions.h"
#include "sim/template/lexer.h"
#include "sim/template/literals.h"

namespace fleetsim::gotmpl {
namespace {

// Go allows 10000 nested parentheses on its growable stacks; a native stack takes fewer nested
// parentheses and control structures.
constexpr int kMaxParenDepth = 1000;

// A parse of one template text. Functions return nullptr once an error is recorded; the first
// error is the result, as Go's parser stops at its first panic.
class Parser {
 public:
  Parser(Tree& tree, Lexer& lex) : tree_(tree), lex_(lex) {}

  Status Run() {
    vars_ = {"$"};
    Node* root = tree_.New(NodeType::kList, Peek().pos);
    while (ok() && Peek().type != ItemType::kEOF) {
      if (Peek().type == ItemType::kLeftDelim) {
        Item delim = Next();
        if (NextNonSpace().type == ItemType::kDefine) {
          ParseDefinition();
          continue;
        }
        Backup2(delim);
      }
      Node* n = TextOrAction();
      if (n == nullptr) break;
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        Errorf("unexpected " + n->String());
        break;
      }
      root->nodes.push_back(n);
    }
    if (ok()) Add(tree_.name, root);
    if (!ok()) return Status::Error(error_);
    return Status::Ok();
  }

 private:
  bool ok() const { return error_.empty(); }

  Item Next() {
    if (peek_count_ > 0) {
      --peek_count_;
    } else {
      token_[0] = lex_.Next();
    }
    return token_[peek_count_];
  }
  void Backup() { ++peek_count_; }
  void Backup2(const Item& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void Backup3(const Item& t2, const Item& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Item Peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = lex_.Next();
    return token_[0];
  }
  Item NextNonSpace() {
    Item t;
    do {
      t = Next();
    } while (t.type == ItemType::kSpace);
    return t;
  }
  Item PeekNonSpace() {
    Item t = NextNonSpace();
    Backup();
    return t;
  }

  void Errorf(const std::string& message) {
    if (!ok()) return;
    error_ = "template: " + tree_.name + ":" + std::to_string(token_[0].line) + ": " + message;
  }
  void Unexpected(const Item& token, const std::string& context) {
    if (token.type == ItemType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = " in action started at " + tree_.name + ":" + std::to_string(action_line_);
        if (token.val.ends_with(" action")) extra = extra.substr(std::string(" in action").size());
      }
      Errorf(ItemString(token) + extra);
      return;
    }
    Errorf("unexpected " + ItemString(token) + " in " + context);
  }
  bool Expect(ItemType type, const std::string& context, Item* out = nullptr) {
    Item t = NextNonSpace();
    if (out != nullptr) *out = t;
    if (t.type != type) {
      Unexpected(t, context);
      return false;
    }
    return true;
  }

  // Go's Tree.add: an empty definition never replaces a non-empty one.
  void Add(const std::string& name, Node* root) {
    auto it = tree_.templates.find(name);
    if (it == tree_.templates.end() || IsEmptyTree(it->second)) {
      tree_.templates[name] = root;
      return;
    }
    if (!IsEmptyTree(root)) Errorf("template: multiple definition of template \"" + name + "\"");
  }

  static bool IsEmptyTree(const Node* n) {
    if (n == nullptr) return true;
    switch (n->type) {
      case NodeType::kList:
        for (const Node* c : n->nodes) {
          if (!IsEmptyTree(c)) return false;
        }
        return true;
      case NodeType::kComment:
        return true;
      case NodeType::kText:
        return n->text.find_first_not_of(" \t\r\n\v\f") == std::string::npos;
      default:
        return false;
    }
  }

  void ParseDefinition() {
    const std::string context = "define clause";
    Item name = NextNonSpace();
    if (name.type != ItemType::kString && name.type != ItemType::kRawString) {
      return Unexpected(name, context);
    }
    std::string unquoted;
    if (!GoUnquote(name.val, unquoted)) return Errorf("invalid syntax");
    if (!Expect(ItemType::kRightDelim, context)) return;
    std::vector<std::string> saved_vars = std::move(vars_);
    vars_ = {"$"};
    const int saved_range_depth = range_depth_;
    range_depth_ = 0;
    Node* end = nullptr;
    Node* list = ItemList(&end);
    vars_ = std::move(saved_vars);
    range_depth_ = saved_range_depth;
    if (list == nullptr) return;
    if (end->type != NodeType::kEnd)
      return Errorf("unexpected " + end->String() + " in " + context);
    Add(unquoted, list);
  }

  Node* ItemList(Node** end) {
    Node* list = tree_.New(NodeType::kList, PeekNonSpace().pos);
    while (ok() && PeekNonSpace().type != ItemType::kEOF) {
      Node* n = TextOrAction();
      if (n == nullptr) return nullptr;
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        *end = n;
        return list;
      }
      list->nodes.push_back(n);
    }
    Errorf("unexpected EOF");
    return nullptr;
  }

  Node* TextOrAction() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kText: {
        Node* n = tree_.New(NodeType::kText, token.pos);
        n->text = token.val;
        return n;
      }
      case ItemType::kLeftDelim: {
        action_line_ = token.line;
        Node* n = Action();
        action_line_ = 0;
        return n;
      }
      default:
        Unexpected(token, "input");
        return nullptr;
    }
  }

  Node* Action() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kBlock:
        return BlockControl();
      case ItemType::kBreak:
        return LoopControl(NodeType::kBreak, token, "break");
      case ItemType::kContinue:
        return LoopControl(NodeType::kContinue, token, "continue");
      case ItemType::kElse:
        return ElseControl();
      case ItemType::kEnd: {
        Item t;
        if (!Expect(ItemType::kRightDelim, "end", &t)) return nullptr;
        return tree_.New(NodeType::kEnd, t.pos);
      }
      case ItemType::kIf:
        return Control(NodeType::kIf, "if");
      case ItemType::kRange:
        return Control(NodeType::kRange, "range");
      case ItemType::kTemplate:
        return TemplateControl();
      case ItemType::kWith:
        return Control(NodeType::kWith, "with");
      default:
        break;
    }
    Backup();
    Item t = Peek();
    Node* pipe = Pipeline("command", ItemType::kRightDelim);
    if (pipe == nullptr) return nullptr;
    Node* n = tree_.New(NodeType::kAction, t.pos, t.line);
    n->pipe = pipe;
    return n;
  }

  Node* LoopControl(NodeType type, const Item& keyword, const std::string& name) {
    Item t = NextNonSpace();
    if (t.type != ItemType::kRightDelim) {
      Unexpected(t, "{{" + name + "}}");
      return nullptr;
    }
    if (range_depth_ == 0) {
      Errorf("{{" + name + "}} outside {{range}}");
      return nullptr;
    }
    return tree_.New(type, keyword.pos, keyword.line);
  }

  Node* ElseControl() {
    Item peek = PeekNonSpace();
    if (peek.type == ItemType::kIf || peek.type == ItemType::kWith) {
      return tree_.New(NodeType::kElse, peek.pos, peek.line);
    }
    Item t;
    if (!Expect(ItemType::kRightDelim, "else", &t)) return nullptr;
    return tree_.New(NodeType::kElse, t.pos, t.line);
  }

  // if / range / with: pipeline, list, optional else list (with "else if" / "else with" chains).
  Node* Control(NodeType type, const std::string& context) {
    if (paren_depth_ >= kMaxParenDepth) {
      Errorf("max expression depth exceeded");
      return nullptr;
    }
    ++paren_depth_;
    Node* n = ControlBody(type, context);
    --paren_depth_;
    return n;
  }

  Node* ControlBody(NodeType type, const std::string& context) {
    const size_t vars = vars_.size();
    Node* pipe = Pipeline(context, ItemType::kRightDelim);
    if (pipe == nullptr) return nullptr;
    if (type == NodeType::kRange) ++range_depth_;
    Node* next = nullptr;
    Node* list = ItemList(&next);
    if (type == NodeType::kRange) --range_depth_;
    if (list == nullptr) return nullptr;
    Node* else_list = nullptr;
    if (next->type == NodeType::kElse) {
      if (type == NodeType::kIf && Peek().type == ItemType::kIf) {
        Next();
        else_list = tree_.New(NodeType::kList, next->pos);
        Node* inner = Control(NodeType::kIf, "if");
        if (inner == nullptr) return nullptr;
        else_list->nodes.push_back(inner);
      } else if (type == NodeType::kWith && Peek().type == ItemType::kWith) {
        Next();
        else_list = tree_.New(NodeType::kList, next->pos);
        Node* inner = Control(NodeType::kWith, "with");
        if (inner == nullptr) return nullptr;
        else_list->nodes.push_back(inner);
      } else {
        else_list = ItemList(&next);
        if (else_list == nullptr) return nullptr;
        if (next->type != NodeType::kEnd) {
          Errorf("expected end; found " + next->String());
          return nullptr;
        }
      }
    }
    vars_.resize(vars);
    Node* n = tree_.New(type, pipe->pos, pipe->line);
    n->pipe = pipe;
    n->list = list;
    n->else_list = else_list;
    return n;
  }

  bool TemplateName(const Item& token, const std::string& context, std::string& name) {
    if (token.type != ItemType::kString && token.type != ItemType::kRawString) {
      Unexpected(token, context);
      return false;
    }
    if (!GoUnquote(token.val, name)) {
      Errorf("invalid syntax");
      return false;
    }
    return true;
  }

  Node* BlockControl() {
    const std::string context = "block clause";
    Item token = NextNonSpace();
    std::string name;
    if (!TemplateName(token, context, name)) return nullptr;
    Node* pipe = Pipeline(context, ItemType::kRightDelim);
    if (pipe == nullptr) return nullptr;
    std::vector<std::string> saved_vars = std::move(vars_);
    vars_ = {"$"};
    const int saved_range_depth = range_depth_;
    range_depth_ = 0;
    Node* end = nullptr;
    Node* list = ItemList(&end);
    vars_ = std::move(saved_vars);
    range_depth_ = saved_range_depth;
    if (list == nullptr) return nullptr;
    if (end->type != NodeType::kEnd) {
      Errorf("unexpected " + end->String() + " in " + context);
      return nullptr;
    }
    Add(name, list);
    if (!ok()) return nullptr;
    Node* n = tree_.New(NodeType::kTemplate, token.pos, token.line);
    n->value = name;
    n->pipe = pipe;
    return n;
  }

  Node* TemplateControl() {
    const std::string context = "template clause";
    Item token = NextNonSpace();
    std::string name;
    if (!TemplateName(token, context, name)) return nullptr;
    Node* pipe = nullptr;
    if (NextNonSpace().type != ItemType::kRightDelim) {
      Backup();
      pipe = Pipeline(context, ItemType::kRightDelim);
      if (pipe == nullptr) return nullptr;
    }
    Node* n = tree_.New(NodeType::kTemplate, token.pos, token.line);
    n->value = name;
    n->pipe = pipe;
    return n;
  }

  Node* NewVariable(const Item& v) {
    Node* n = tree_.New(NodeType::kVariable, v.pos);
    SplitIdent(v.val, n->ident);
    return n;
  }

  static void SplitIdent(std::string_view s, std::vector<std::string>& out) {
    size_t start = 0;
    for (;;) {
      size_t dot = s.find('.', start);
      out.emplace_back(s.substr(start, dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }

  Node* Pipeline(const std::string& context, ItemType end) {
    Item token = PeekNonSpace();
    Node* pipe = tree_.New(NodeType::kPipe, token.pos, token.line);
    for (bool decls = true; decls;) {
      decls = false;
      Item v = PeekNonSpace();
      if (v.type != ItemType::kVariable) break;
      Next();
      Item after_variable = Peek();
      Item next = PeekNonSpace();
      if (next.type == ItemType::kAssign || next.type == ItemType::kDeclare) {
        pipe->is_assign = next.type == ItemType::kAssign;
        NextNonSpace();
        pipe->decl.push_back(NewVariable(v));
        vars_.emplace_back(v.val);
      } else if (next.type == ItemType::kChar && next.val == ",") {
        NextNonSpace();
        pipe->decl.push_back(NewVariable(v));
        vars_.emplace_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          ItemType t = PeekNonSpace().type;
          if (t == ItemType::kVariable || t == ItemType::kRightDelim ||
              t == ItemType::kRightParen) {
            decls = true;
            continue;
          }
          Errorf("range can only initialize variables");
          return nullptr;
        }
        Errorf("too many declarations in " + context);
        return nullptr;
      } else if (after_variable.type == ItemType::kSpace) {
        Backup3(v, after_variable);
      } else {
        Backup2(v);
      }
    }
    for (;;) {
      Item t = NextNonSpace();
      if (t.type == end) {
        if (pipe->nodes.empty()) {
          Errorf("missing value for " + context);
          return nullptr;
        }
        for (size_t i = 1; i < pipe->nodes.size(); ++i) {
          switch (pipe->nodes[i]->nodes[0]->type) {
            case NodeType::kBool:
            case NodeType::kDot:
            case NodeType::kNil:
            case NodeType::kNumber:
            case NodeType::kString:
              Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
              return nullptr;
            default:
              break;
          }
        }
        return pipe;
      }
      switch (t.type) {
        case ItemType::kBool:
        case ItemType::kCharConstant:
        case ItemType::kComplex:
        case ItemType::kDot:
        case ItemType::kField:
        case ItemType::kIdentifier:
        case ItemType::kNumber:
        case ItemType::kNil:
        case ItemType::kRawString:
        case ItemType::kString:
        case ItemType::kVariable:
        case ItemType::kLeftParen: {
          Backup();
          Node* cmd = Command();
          if (cmd == nullptr) return nullptr;
          pipe->nodes.push_back(cmd);
          break;
        }
        default:
          Unexpected(t, context);
          return nullptr;
      }
    }
  }

  Node* Command() {
    Node* cmd = tree_.New(NodeType::kCommand, PeekNonSpace().pos);
    for (;;) {
      PeekNonSpace();
      Node* operand = Operand();
      if (!ok()) return nullptr;
      if (operand != nullptr) cmd->nodes.push_back(operand);
      Item t = Next();
      if (t.type == ItemType::kSpace) continue;
      if (t.type == ItemType::kRightDelim || t.type == ItemType::kRightParen) {
        Backup();
      } else if (t.type != ItemType::kPipe) {
        Unexpected(t, "operand");
        return nullptr;
      }
      break;
    }
    if (cmd->nodes.empty()) {
      Errorf("empty command");
      return nullptr;
    }
    return cmd;
  }

  Node* Operand() {
    Node* node = Term();
    if (node == nullptr) return nullptr;
    if (Peek().type == ItemType::kField) {
      Node* chain = tree_.New(NodeType::kChain, Peek().pos);
      chain->pipe = node;
      while (Peek().type == ItemType::kField) {
        Item f = Next();
        chain->ident.emplace_back(f.val.substr(1));
      }
      switch (node->type) {
        case NodeType::kField: {
          Node* field = tree_.New(NodeType::kField, chain->pos);
          field->ident = node->ident;
          field->ident.insert(field->ident.end(), chain->ident.begin(), chain->ident.end());
          return field;
        }
        case NodeType::kVariable: {
          Node* var = tree_.New(NodeType::kVariable, chain->pos);
          var->ident = node->ident;
          var->ident.insert(var->ident.end(), chain->ident.begin(), chain->ident.end());
          return var;
        }
        case NodeType::kBool:
        case NodeType::kString:
        case NodeType::kNumber:
        case NodeType::kNil:
        case NodeType::kDot:
          Errorf("unexpected . after term " + GoQuoteSimple(node->String()));
          return nullptr;
        default:
          return chain;
      }
    }
    return node;
  }

  static std::string GoQuoteSimple(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }

  Node* Term() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kIdentifier: {
        const FuncSpec* f = FindFunction(token.val);
        if (f == nullptr) {
          Errorf("function \"" + std::string(token.val) + "\" not defined");
          return nullptr;
        }
        Node* n = tree_.New(NodeType::kIdentifier, token.pos);
        n->text = token.val;
        n->func = f;
        return n;
      }
      case ItemType::kDot:
        return tree_.New(NodeType::kDot, token.pos);
      case ItemType::kNil:
        return tree_.New(NodeType::kNil, token.pos);
      case ItemType::kVariable:
        return UseVar(token);
      case ItemType::kField: {
        Node* n = tree_.New(NodeType::kField, token.pos);
        SplitIdent(token.val.substr(1), n->ident);
        return n;
      }
      case ItemType::kBool: {
        Node* n = tree_.New(NodeType::kBool, token.pos);
        n->boolean = token.val == "true";
        n->literal = n->boolean;
        return n;
      }
      case ItemType::kCharConstant:
      case ItemType::kComplex:
      case ItemType::kNumber:
        return NewNumber(token);
      case ItemType::kLeftParen: {
        if (paren_depth_ >= kMaxParenDepth) {
          Errorf("max expression depth exceeded");
          return nullptr;
        }
        ++paren_depth_;
        Node* pipe = Pipeline("parenthesized pipeline", ItemType::kRightParen);
        --paren_depth_;
        return pipe;
      }
      case ItemType::kString:
      case ItemType::kRawString: {
        Node* n = tree_.New(NodeType::kString, token.pos);
        n->text = token.val;
        if (!GoUnquote(token.val, n->value)) {
          Errorf("invalid syntax");
          return nullptr;
        }
        n->literal = n->value;
        return n;
      }
      default:
        Backup();
        return nullptr;
    }
  }

  Node* UseVar(const Item& token) {
    Node* v = NewVariable(token);
    for (const std::string& name : vars_) {
      if (name == v->ident[0]) return v;
    }
    Errorf("undefined variable \"" + v->ident[0] + "\"");
    return nullptr;
  }

  Node* NewNumber(const Item& token);

  Tree& tree_;
  Lexer& lex_;
  Item token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_;
  int action_line_ = 0;
  int range_depth_ = 0;
  int paren_depth_ = 0;
  std::string error_;
};

Node* Parser::NewNumber(const Item& token) {
  Node* n = tree_.New(NodeType::kNumber, token.pos);
  n->text = token.val;
  const std::string& text = n->text;
  if (token.type == ItemType::kCharConstant) {
    std::string unquoted;
    if (text.size() < 3 ||
        !UnquoteGoLiteralBody(std::string_view(text).substr(1, text.size() - 2), '\'', unquoted)) {
      Errorf("invalid syntax");
      return nullptr;
    }
    std::u32string runes = DecodeUtf8(unquoted);
    if (runes.size() != 1) {
      Errorf("malformed character constant: " + text);
      return nullptr;
    }
    n->int_value = runes[0];
    n->uint_value = runes[0];
    n->float_value = runes[0];
    n->is_int = n->is_uint = n->is_float = true;
    return n;
  }
  if (token.type == ItemType::kComplex || (!text.empty() && text.back() == 'i')) {
    Errorf("complex constants are not supported: " + text);
    return nullptr;
  }
  bool negative = false;
  uint64_t magnitude = 0;
  if (ParseGoInteger(text, true, negative, magnitude)) {
    if (!negative) {
      n->is_uint = true;
      n->uint_value = magnitude;
    }
    if (negative ? magnitude <= static_cast<uint64_t>(INT64_MAX) + 1 : magnitude <= INT64_MAX) {
      n->is_int = true;
      n->int_value =
          negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
      if (n->int_value == 0) {
        n->is_uint = true;
        n->uint_value = 0;
      }
    }
  }
  if (n->is_int) {
    n->is_float = true;
    n->float_value = static_cast<double>(n->int_value);
  } else if (n->is_uint) {
    n->is_float = true;
    n->float_value = static_cast<double>(n->uint_value);
  } else {
    std::string cleaned;
    for (char c : text) {
      if (c != '_') cleaned += c;
    }
    const char* begin = cleaned.data() + (!cleaned.empty() && cleaned[0] == '+' ? 1 : 0);
    double f = 0;
    auto r = std::from_chars(begin, cleaned.data() + cleaned.size(), f);
    if (r.ec == std::errc() && r.ptr == cleaned.data() + cleaned.size()) {
      if (text.find_first_of(".eEpP") == std::string::npos) {
        Errorf("integer overflow: \"" + text + "\"");
        return nullptr;
      }
      n->is_float = true;
      n->float_value = f;
      if (std::fabs(f) < 9.2e18 && static_cast<double>(static_cast<int64_t>(f)) == f) {
        n->is_int = true;
        n->int_value = static_cast<int64_t>(f);
      }
      if (f >= 0 && f < 1.8e19 && static_cast<double>(static_cast<uint64_t>(f)) == f) {
        n->is_uint = true;
        n->uint_value = static_cast<uint64_t>(f);
      }
    }
  }
  if (!n->is_int && !n->is_uint && !n->is_float) {
    Errorf("illegal number syntax: \"" + text + "\"");
    return nullptr;
  }
  return n;
}

}  // namespace

Status ParseTree(Tree& tree) {
  Lexer lex(tree.text);
  return Parser(tree, lex).Run();
}

}  // namespace fleetsim::gotmpl
