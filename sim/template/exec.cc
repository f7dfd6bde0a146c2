#include "sim/template/exec.h"

#include <string_view>
#include <utility>
#include <vector>

#include "sim/manifest/go_json.h"
#include "sim/template/functions.h"
#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

// Go allows 100000 nested {{template}} calls on its growable stacks; a native stack holds fewer.
constexpr int kMaxExecDepth = 1000;

const json& NullJson() {
  static const json kNull;
  return kNull;
}

enum class Flow { kNormal, kBreak, kContinue, kError };

class Executor {
 public:
  Executor(const Tree& tree, MissingKey missing_key, std::string& out)
      : tree_(tree), missing_key_(missing_key), out_(out) {}

  Status Run(const json& data) {
    vars_.reserve(8);
    auto it = tree_.templates.find(tree_.name);
    name_ = tree_.name;
    Value dot = Value::Ref(data);
    vars_.emplace_back("$", dot);
    if (it == tree_.templates.end()) {
      return Status::Error("template: " + name_ + ": " + GoQuote(name_) +
                           " is an incomplete or empty template");
    }
    if (Walk(dot, it->second) == Flow::kError) return Status::Error(error_);
    return Status::Ok();
  }

 private:
  using Vars = std::vector<std::pair<std::string_view, Value>>;

  // Records Go's exec error for the current node; always returns false.
  bool Errorf(const std::string& message) {
    if (node_ == nullptr) {
      error_ = "template: " + name_ + ": " + message;
      return false;
    }
    const std::string_view text = std::string_view(tree_.text).substr(0, node_->pos);
    size_t nl = text.rfind('\n');
    size_t col = nl == std::string_view::npos ? text.size() : text.size() - nl - 1;
    size_t line = 1;
    for (char c : text) line += c == '\n';
    error_ = "template: " + tree_.name + ":" + std::to_string(line) + ":" + std::to_string(col) +
             ": executing " + GoQuote(name_) + " at <" + node_->String() + ">: " + message;
    return false;
  }

  Flow Walk(const Value& dot, const Node* node) {
    node_ = node;
    switch (node->type) {
      case NodeType::kAction: {
        Value val;
        if (!EvalPipeline(dot, node->pipe, val)) return Flow::kError;
        if (node->pipe->decl.empty()) {
          node_ = node;
          if (!val.valid()) {
            out_ += "<no value>";
          } else {
            AppendGoPrint(out_, val);
          }
        }
        return Flow::kNormal;
      }
      case NodeType::kBreak:
        return Flow::kBreak;
      case NodeType::kContinue:
        return Flow::kContinue;
      case NodeType::kComment:
        return Flow::kNormal;
      case NodeType::kIf:
      case NodeType::kWith:
        return WalkIfOrWith(dot, node);
      case NodeType::kList:
        for (const Node* n : node->nodes) {
          Flow f = Walk(dot, n);
          if (f != Flow::kNormal) return f;
        }
        return Flow::kNormal;
      case NodeType::kRange:
        return WalkRange(dot, node);
      case NodeType::kTemplate:
        return WalkTemplate(dot, node);
      case NodeType::kText:
        out_ += node->text;
        return Flow::kNormal;
      default:
        Errorf("unknown node: " + node->String());
        return Flow::kError;
    }
  }

  Flow WalkIfOrWith(const Value& dot, const Node* node) {
    const size_t mark = vars_.size();
    Value val;
    if (!EvalPipeline(dot, node->pipe, val)) return Flow::kError;
    Flow f = Flow::kNormal;
    if (IsTrue(val)) {
      f = Walk(node->type == NodeType::kWith ? val : dot, node->list);
    } else if (node->else_list != nullptr) {
      f = Walk(dot, node->else_list);
    }
    vars_.resize(mark);
    return f;
  }

  // One range iteration: sets the range variables as Go does, walks the body with `elem` as dot.
  Flow Iteration(const Node* r, const Value& index, const Value& elem, size_t mark) {
    const auto& decl = r->pipe->decl;
    if (!decl.empty()) {
      if (r->pipe->is_assign) {
        if (!SetVar(decl[0]->ident[0], decl.size() > 1 ? index : elem)) return Flow::kError;
      } else {
        vars_[vars_.size() - 1].second = elem;
      }
    }
    if (decl.size() > 1) {
      if (r->pipe->is_assign) {
        if (!SetVar(decl[1]->ident[0], elem)) return Flow::kError;
      } else {
        vars_[vars_.size() - 2].second = index;
      }
    }
    Flow f = Walk(elem, r->list);
    vars_.resize(mark);
    return f;
  }

  Flow WalkRange(const Value& dot, const Node* r) {
    node_ = r;
    const size_t outer = vars_.size();
    Value val;
    if (!EvalPipeline(dot, r->pipe, val)) return Flow::kError;
    const size_t mark = vars_.size();
    bool ran = false;
    if (val.valid()) {
      const json& j = val.j();
      if (j.is_array()) {
        for (size_t i = 0; i < j.size(); ++i) {
          ran = true;
          Flow f = Iteration(r, Value::Own(json(static_cast<int64_t>(i))), val.Child(j[i]), mark);
          if (f == Flow::kError) return f;
          if (f == Flow::kBreak) break;
        }
      } else if (j.is_object()) {
        for (const auto& [key, elem] : j.items()) {
          ran = true;
          Flow f = Iteration(r, Value::Own(json(key)), val.Child(elem), mark);
          if (f == Flow::kError) return f;
          if (f == Flow::kBreak) break;
        }
      } else if (j.is_number_integer() && val.type() != GoType::kUint8) {
        if (r->pipe->decl.size() > 1) {
          Errorf("can't use " + GoStringOf(val) + " to iterate over more than one variable");
          return Flow::kError;
        }
        const int64_t n = j.get<int64_t>();
        for (int64_t i = 0; i < n; ++i) {
          ran = true;
          Value v = Value::Own(json(i));
          Flow f = Iteration(r, v, v, mark);
          if (f == Flow::kError) return f;
          if (f == Flow::kBreak) break;
        }
      } else {
        Errorf("range can't iterate over " + GoStringOf(val));
        return Flow::kError;
      }
    }
    Flow f = Flow::kNormal;
    if (!ran && r->else_list != nullptr) f = Walk(dot, r->else_list);
    vars_.resize(outer);
    return f == Flow::kError ? f : Flow::kNormal;
  }

  Flow WalkTemplate(const Value& dot, const Node* t) {
    node_ = t;
    auto it = tree_.templates.find(t->value);
    if (it == tree_.templates.end()) {
      Errorf("template " + GoQuote(t->value) + " not defined");
      return Flow::kError;
    }
    if (depth_ >= kMaxExecDepth) {
      Errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
      return Flow::kError;
    }
    Value new_dot;
    if (!EvalPipeline(dot, t->pipe, new_dot)) return Flow::kError;
    Vars saved_vars = std::move(vars_);
    vars_.clear();
    vars_.emplace_back("$", new_dot);
    std::string saved_name = std::move(name_);
    name_ = t->value;
    ++depth_;
    Flow f = Walk(new_dot, it->second);
    --depth_;
    name_ = std::move(saved_name);
    vars_ = std::move(saved_vars);
    return f;
  }

  bool SetVar(const std::string& name, const Value& v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = v;
        return true;
      }
    }
    return Errorf("undefined variable: " + name);
  }

  bool EvalPipeline(const Value& dot, const Node* pipe, Value& out) {
    out = Value();
    if (pipe == nullptr) return true;
    node_ = pipe;
    bool first = true;
    for (const Node* cmd : pipe->nodes) {
      Value result;
      if (!EvalCommand(dot, cmd, first ? nullptr : &out, result)) return false;
      out = std::move(result);
      out.Unbox();
      first = false;
    }
    for (const Node* v : pipe->decl) {
      if (pipe->is_assign) {
        if (!SetVar(v->ident[0], out)) return false;
      } else {
        vars_.emplace_back(v->ident[0], out);
      }
    }
    return true;
  }

  bool NotAFunction(const std::vector<Node*>& args, const Value* final) {
    if (args.size() > 1 || final != nullptr) {
      return Errorf("can't give argument to non-function " + args[0]->String());
    }
    return true;
  }

  bool EvalCommand(const Value& dot, const Node* cmd, const Value* final, Value& out) {
    const Node* first = cmd->nodes[0];
    switch (first->type) {
      case NodeType::kField:
        node_ = first;
        return EvalFieldChain(dot, first->ident, 0, &cmd->nodes, final, out);
      case NodeType::kChain:
        return EvalChain(dot, first, &cmd->nodes, final, out);
      case NodeType::kIdentifier:
        node_ = first;
        return EvalCall(dot, first->func, cmd, &cmd->nodes, final, out);
      case NodeType::kPipe:
        if (!NotAFunction(cmd->nodes, final)) return false;
        return EvalPipeline(dot, first, out);
      case NodeType::kVariable:
        return EvalVariable(first, &cmd->nodes, final, out);
      default:
        break;
    }
    node_ = first;
    if (!NotAFunction(cmd->nodes, final)) return false;
    switch (first->type) {
      case NodeType::kBool:
        out = Value::Ref(first->literal);
        return true;
      case NodeType::kDot:
        out = dot;
        return true;
      case NodeType::kNil:
        return Errorf("nil is not a command");
      case NodeType::kNumber:
        return IdealConstant(first, out);
      case NodeType::kString:
        out = Value::Ref(first->literal);
        return true;
      default:
        return Errorf("can't evaluate command " + GoQuote(first->String()));
    }
  }

  bool IdealConstant(const Node* n, Value& out) {
    node_ = n;
    const std::string& text = n->text;
    const bool hex_int = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') &&
                         text.find_first_of("pP") == std::string::npos;
    const bool rune_int = !text.empty() && text[0] == '\'';
    if (n->is_float && !hex_int && !rune_int && text.find_first_of(".eEpP") != std::string::npos) {
      out = Value::Own(json(n->float_value));
      return true;
    }
    if (n->is_int) {
      out = Value::Own(json(n->int_value));
      return true;
    }
    if (n->is_uint) return Errorf(text + " overflows int");
    out = Value();
    return true;
  }

  bool EvalVariable(const Node* var, const std::vector<Node*>* args, const Value* final,
                    Value& out) {
    node_ = var;
    const Value* value = nullptr;
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == var->ident[0]) {
        value = &vars_[i].second;
        break;
      }
    }
    if (value == nullptr) return Errorf("undefined variable: " + var->ident[0]);
    if (var->ident.size() == 1) {
      if (args != nullptr && !NotAFunction(*args, final)) return false;
      out = *value;
      return true;
    }
    Value receiver = *value;
    return EvalFieldChain(receiver, var->ident, 1, args, final, out);
  }

  bool EvalChain(const Value& dot, const Node* chain, const std::vector<Node*>* args,
                 const Value* final, Value& out) {
    node_ = chain;
    if (chain->pipe->type == NodeType::kNil) {
      return Errorf("indirection through explicit nil in " + chain->String());
    }
    Value receiver;
    if (!EvalArg(dot, 0, chain->pipe, receiver)) return false;
    return EvalFieldChain(receiver, chain->ident, 0, args, final, out);
  }

  bool EvalFieldChain(Value receiver, const std::vector<std::string>& ident, size_t from,
                      const std::vector<Node*>* args, const Value* final, Value& out) {
    for (size_t i = from; i + 1 < ident.size(); ++i) {
      Value next;
      if (!EvalField(ident[i], nullptr, nullptr, receiver, next)) return false;
      receiver = std::move(next);
    }
    return EvalField(ident.back(), args, final, receiver, out);
  }

  bool EvalField(const std::string& name, const std::vector<Node*>* args, const Value* final,
                 const Value& receiver, Value& out) {
    if (!receiver.valid()) {
      if (missing_key_ == MissingKey::kError) {
        return Errorf("nil data; no entry for key " + GoQuote(name));
      }
      out = Value();
      return true;
    }
    if (receiver.boxed() && receiver.j().is_null()) {
      return Errorf("nil pointer evaluating " + GoTypeName(receiver, true) + "." + name);
    }
    const bool has_args = (args != nullptr && args->size() > 1) || final != nullptr;
    const json& j = receiver.j();
    if (j.is_object()) {
      if (has_args) return Errorf(name + " is not a method but has arguments");
      auto it = j.find(name);
      if (it != j.end()) {
        out = receiver.Child(*it);
        return true;
      }
      switch (missing_key_) {
        case MissingKey::kDefault:
          out = Value();
          return true;
        case MissingKey::kZero:
          out = Value::Ref(NullJson(), true);
          return true;
        case MissingKey::kError:
          return Errorf("map has no entry for key " + GoQuote(name));
      }
    }
    return Errorf("can't evaluate field " + name + " in type " + GoTypeName(receiver, true));
  }

  // Go's validateType: `value` passed to a parameter of type `param` (see FuncSpec).
  bool ValidateType(Value value, char param, Value& out) {
    if (param == 'v' || param == 0) {
      out = std::move(value);
      return true;
    }
    if (!value.valid()) {
      if (param == 'a' || param == 'm' || param == 'l') {
        out = Value::Nil();
        return true;
      }
      return Errorf("invalid value; expected " + std::string(ParamTypeName(param)));
    }
    if (param == 'a') {
      out = value.boxed() && value.is_null() ? Value::Nil() : value.Unboxed();
      return true;
    }
    if (value.boxed() && value.is_null()) {
      return Errorf("wrong type for value; expected " + std::string(ParamTypeName(param)) +
                    "; got interface {}");
    }
    Value v = value.Unboxed();
    const json& j = v.j();
    bool ok = false;
    switch (param) {
      case 's':
        ok = j.is_string();
        break;
      case 'i':
        ok = j.is_number_integer() && v.type() == GoType::kAuto;
        break;
      case 'I':
        ok = j.is_number_integer() && v.type() == GoType::kInt64;
        break;
      case 'f':
        ok = j.is_number_float();
        break;
      case 'b':
        ok = j.is_boolean();
        break;
      case 'm':
        ok = j.is_object() && v.type() == GoType::kAuto;
        break;
      case 'l':
        ok = j.is_array() && v.type() == GoType::kAuto;
        break;
      default:
        break;
    }
    if (!ok) {
      return Errorf("wrong type for value; expected " + std::string(ParamTypeName(param)) +
                    "; got " + GoTypeName(v));
    }
    out = std::move(v);
    return true;
  }

  // Go's evalArg; `param` 0 is an untyped argument (the operand of a chain).
  bool EvalArg(const Value& dot, char param, const Node* n, Value& out) {
    node_ = n;
    Value v;
    switch (n->type) {
      case NodeType::kDot:
        return ValidateType(dot, param, out);
      case NodeType::kNil:
        if (param == 'a' || param == 'm' || param == 'l') {
          out = Value::Nil();
          return true;
        }
        if (param == 'v' || param == 0) {
          out = Value();
          return true;
        }
        return Errorf("cannot assign nil to " + std::string(ParamTypeName(param)));
      case NodeType::kField: {
        if (!EvalFieldChain(dot, n->ident, 0, nullptr, nullptr, v)) return false;
        return ValidateType(std::move(v), param, out);
      }
      case NodeType::kVariable:
        if (!EvalVariable(n, nullptr, nullptr, v)) return false;
        return ValidateType(std::move(v), param, out);
      case NodeType::kPipe:
        if (!EvalPipeline(dot, n, v)) return false;
        return ValidateType(std::move(v), param, out);
      case NodeType::kIdentifier:
        if (!EvalCall(dot, n->func, n, nullptr, nullptr, v)) return false;
        return ValidateType(std::move(v), param, out);
      case NodeType::kChain:
        if (!EvalChain(dot, n, nullptr, nullptr, v)) return false;
        return ValidateType(std::move(v), param, out);
      default:
        break;
    }
    switch (param) {
      case 'b':
        if (n->type != NodeType::kBool) return Errorf("expected bool; found " + n->String());
        out = Value::Ref(n->literal);
        return true;
      case 'f':
        if (n->type != NodeType::kNumber || !n->is_float) {
          return Errorf("expected float; found " + n->String());
        }
        out = Value::Own(json(n->float_value));
        return true;
      case 'i':
      case 'I':
        if (n->type != NodeType::kNumber || !n->is_int) {
          return Errorf("expected integer; found " + n->String());
        }
        out = Value::Own(json(n->int_value), param == 'I' ? GoType::kInt64 : GoType::kAuto);
        return true;
      case 's':
        if (n->type != NodeType::kString) return Errorf("expected string; found " + n->String());
        out = Value::Ref(n->literal);
        return true;
      case 'a':
      case 'v':
        if (n->type == NodeType::kBool || n->type == NodeType::kString) {
          out = Value::Ref(n->literal);
          return true;
        }
        if (n->type == NodeType::kNumber) return IdealConstant(n, out);
        return Errorf("can't handle assignment of " + n->String() + " to empty interface argument");
      default:
        return Errorf("can't handle " + n->String() + " for arg of type " +
                      std::string(ParamTypeName(param)));
    }
  }

  // Go's evalCall. `args` includes the function's own node first (nullptr: no arguments).
  bool EvalCall(const Value& dot, const FuncSpec* fn, const Node* node,
                const std::vector<Node*>* args_with_name, const Value* final, Value& out) {
    const std::string_view name = fn->name;
    std::span<Node* const> args;
    if (args_with_name != nullptr) args = std::span<Node* const>(*args_with_name).subspan(1);
    const size_t num_params = fn->params.size();
    const size_t num_in = args.size() + (final != nullptr ? 1 : 0);
    size_t num_fixed = args.size();
    if (fn->variadic) {
      num_fixed = num_params - 1;
      if (num_in < num_fixed) {
        return Errorf("wrong number of args for " + std::string(name) + ": want at least " +
                      std::to_string(num_params - 1) + " got " + std::to_string(args.size()));
      }
    } else if (num_in != num_params) {
      return Errorf("wrong number of args for " + std::string(name) + ": want " +
                    std::to_string(num_params) + " got " + std::to_string(num_in));
    }
    if (name == "and" || name == "or") return AndOr(dot, name == "or", args, final, out);
    // Most calls take a few arguments; keep them off the heap.
    Value inline_args[4];
    std::vector<Value> heap_args;
    std::span<Value> argv(inline_args, num_in <= 4 ? num_in : 0);
    if (num_in > 4) {
      heap_args.resize(num_in);
      argv = heap_args;
    }
    size_t i = 0;
    for (; i < num_fixed && i < args.size(); ++i) {
      if (!EvalArg(dot, fn->params[i], args[i], argv[i])) return false;
    }
    if (fn->variadic) {
      for (; i < args.size(); ++i) {
        if (!EvalArg(dot, fn->params.back(), args[i], argv[i])) return false;
      }
    }
    if (final != nullptr) {
      char t = fn->params.back();
      if (fn->variadic && num_in - 1 < num_fixed) t = fn->params[num_in - 1];
      if (!ValidateType(*final, t, argv[i])) return false;
    }
    std::string err;
    if (name == "call") {
      std::string callee = args.empty() ? "" : args[0]->String();
      const Value& f = argv.empty() ? Value() : argv[0];
      Value fv = f.Unboxed();
      node_ = node;
      if (!fv.valid() || fv.is_null()) return Errorf("error calling call: call of nil");
      return Errorf("error calling call: non-function " + callee + " of type " + GoTypeName(fv));
    }
    if (!fn->body(argv, out, err)) {
      node_ = node;
      return Errorf("error calling " + std::string(name) + ": " + err);
    }
    if (out.is_null()) out = Value::Ref(NullJson(), true);
    return true;
  }

  bool AndOr(const Value& dot, bool is_or, std::span<Node* const> args, const Value* final,
             Value& out) {
    Value v;
    for (const Node* arg : args) {
      if (!EvalArg(dot, 'v', arg, v)) return false;
      if (IsTrue(v) == is_or) {
        out = v.Unboxed();
        return true;
      }
    }
    if (final != nullptr) v = *final;
    out = v.Unboxed();
    return true;
  }

  const Tree& tree_;
  MissingKey missing_key_;
  std::string& out_;
  Vars vars_;
  const Node* node_ = nullptr;
  std::string name_;
  int depth_ = 0;
  std::string error_;
};

}  // namespace

Status ExecuteTree(const Tree& tree, const json& data, MissingKey missing_key, std::string& out) {
  Executor exec(tree, missing_key, out);
  return exec.Run(data);
}

}  // namespace fleetsim::gotmpl
