// text/template's predefined functions (text/template/funcs.go).
#include <cstdio>
#include <string>

#include "sim/manifest/utf8.h"
#include "sim/template/functions.h"
#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

using Args = std::span<Value>;

// Go's indirectInterface: the value inside an interface; a nil interface is invalid.
Value Indirect(const Value& v) { return v.Unboxed(); }

bool And(Args, Value&, std::string&) { return true; }   // evaluated by the executor (short-circuit)
bool Call(Args, Value&, std::string&) { return true; }  // evaluated by the executor

bool Not(Args args, Value& out, std::string&) {
  out = Value::Own(json(!IsTrue(args[0])));
  return true;
}

// Go's evalArgs: one string as is, anything else through fmt.Sprint with "<no value>" for nil.
std::string EvalArgs(Args args) {
  if (args.size() == 1 && args[0].valid() && args[0].j().is_string()) return Str(args[0]);
  std::vector<Value> printable;
  for (const Value& a : args) {
    printable.push_back(a.valid() && !a.is_null() ? a : Value::Own(json("<no value>")));
  }
  return GoSprint(printable);
}

bool Html(Args args, Value& out, std::string&) {
  std::string s = EvalArgs(args), r;
  for (char c : s) {
    switch (c) {
      case '"':
        r += "&#34;";
        break;
      case '\'':
        r += "&#39;";
        break;
      case '&':
        r += "&amp;";
        break;
      case '<':
        r += "&lt;";
        break;
      case '>':
        r += "&gt;";
        break;
      case '\0':
        r += "\uFFFD";
        break;
      default:
        r += c;
    }
  }
  out = Value::Own(json(std::move(r)));
  return true;
}

bool Js(Args args, Value& out, std::string&) {
  std::string s = EvalArgs(args), r;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        r += "\\\\";
        break;
      case '\'':
        r += "\\'";
        break;
      case '"':
        r += "\\\"";
        break;
      case '<':
        r += "\\u003C";
        break;
      case '>':
        r += "\\u003E";
        break;
      case '&':
        r += "\\u0026";
        break;
      case '=':
        r += "\\u003D";
        break;
      default:
        if (u < ' ') {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u00%02X", u);
          r += buf;
        } else {
          r += c;
        }
    }
  }
  out = Value::Own(json(std::move(r)));
  return true;
}

bool UrlQuery(Args args, Value& out, std::string&) {
  std::string s = EvalArgs(args), r;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      r += c;
    } else if (c == ' ') {
      r += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      r += buf;
    }
  }
  out = Value::Own(json(std::move(r)));
  return true;
}

bool Print(Args args, Value& out, std::string&) {
  out = Value::Own(json(GoSprint(args)));
  return true;
}
bool Println(Args args, Value& out, std::string&) {
  out = Value::Own(json(GoSprintln(args)));
  return true;
}
bool Printf(Args args, Value& out, std::string&) {
  out = Value::Own(json(GoSprintf(Str(args[0]), args.subspan(1))));
  return true;
}

// Go's indexArg: an integer index within [0, cap].
bool IndexArg(const Value& raw, size_t cap, int64_t& x, std::string& err) {
  Value index = Indirect(raw);
  if (!index.valid()) {
    err = "cannot index slice/array with nil";
    return false;
  }
  if (!index.j().is_number_integer()) {
    err = "cannot index slice/array with type " + GoTypeName(index);
    return false;
  }
  x = index.j().get<int64_t>();
  if (x < 0 || static_cast<uint64_t>(x) > cap) {
    err = "index out of range: " + std::to_string(x);
    return false;
  }
  return true;
}

bool Index(Args args, Value& out, std::string& err) {
  Value item = Indirect(args[0]);
  if (!item.valid()) {
    err = "index of untyped nil";
    return false;
  }
  for (size_t k = 1; k < args.size(); ++k) {
    if (item.is_null()) {
      err = "index of nil pointer";
      return false;
    }
    const json& j = item.j();
    if (j.is_array() || j.is_string()) {
      const size_t len = j.is_string() ? Str(item).size() : j.size();
      int64_t x = 0;
      if (!IndexArg(args[k], len, x, err)) return false;
      if (static_cast<size_t>(x) == len) {
        err = "index out of range: " + std::to_string(x);
        return false;
      }
      if (j.is_string()) {
        item = Value::Own(json(static_cast<int64_t>(static_cast<unsigned char>(Str(item)[x]))),
                          GoType::kUint8);
      } else {
        item = item.Child(j[x]);
      }
    } else if (j.is_object()) {
      Value key = Indirect(args[k]);
      if (!key.valid()) {
        err = "value is nil; should be of type string";
        return false;
      }
      if (!key.j().is_string()) {
        err = "value has type " + GoTypeName(key) + "; should be string";
        return false;
      }
      auto it = j.find(Str(key));
      item = it != j.end() ? item.Child(*it) : Value::Nil();
    } else {
      err = "can't index item of type " + GoTypeName(item);
      return false;
    }
  }
  out = item.Unboxed();
  if (!out.valid()) out = Value::Nil();
  return true;
}

bool Slice(Args args, Value& out, std::string& err) {
  Value item = Indirect(args[0]);
  if (!item.valid()) {
    err = "slice of untyped nil";
    return false;
  }
  const size_t n = args.size() - 1;
  if (n > 3) {
    err = "too many slice indexes: " + std::to_string(n);
    return false;
  }
  const json& j = item.j();
  size_t len = 0;
  if (j.is_string() && item.type() == GoType::kAuto) {
    if (n == 3) {
      err = "cannot 3-index slice a string";
      return false;
    }
    len = Str(item).size();
  } else if (j.is_array() && item.type() == GoType::kAuto) {
    len = j.size();
  } else {
    err = "can't slice item of type " + GoTypeName(item);
    return false;
  }
  int64_t idx[3] = {0, static_cast<int64_t>(len), static_cast<int64_t>(len)};
  for (size_t i = 0; i < n; ++i) {
    if (!IndexArg(args[i + 1], len, idx[i], err)) return false;
  }
  if (idx[0] > idx[1]) {
    err = "invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]);
    return false;
  }
  if (n == 3 && idx[1] > idx[2]) {
    err = "invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]);
    return false;
  }
  if (j.is_string()) {
    out = Value::Own(json(Str(item).substr(idx[0], idx[1] - idx[0])));
  } else {
    out = Value::Own(json(std::vector<json>(j.begin() + idx[0], j.begin() + idx[1])));
  }
  return true;
}

bool Len(Args args, Value& out, std::string& err) {
  const Value& v = args[0];
  if (!v.valid()) {
    err = "reflect: call of reflect.Value.Type on zero Value";
    return false;
  }
  if (v.is_null()) {
    err = "len of nil pointer";
    return false;
  }
  const json& j = v.j();
  if (j.is_string()) {
    out = Value::Own(json(static_cast<int64_t>(Str(v).size())));
  } else if ((j.is_array() || j.is_object()) && true) {
    out = Value::Own(json(static_cast<int64_t>(j.size())));
  } else {
    err = "len of type " + GoTypeName(v.Unboxed());
    return false;
  }
  return true;
}

// Go's basicKind for comparisons.
enum class Kind { kInvalid, kBool, kInt, kFloat, kString, kUint };

Kind BasicKind(const Value& v) {
  if (!v.valid()) return Kind::kInvalid;
  const json& j = v.j();
  if (j.is_boolean()) return Kind::kBool;
  if (j.is_number_integer()) return v.type() == GoType::kUint8 ? Kind::kUint : Kind::kInt;
  if (j.is_number_float()) return Kind::kFloat;
  if (j.is_string()) return Kind::kString;
  return Kind::kInvalid;
}

const char kBadComparisonType[] = "invalid type for comparison";
const char kBadComparison[] = "incompatible types for comparison";

bool Equal(const Value& raw1, std::span<Value> rest, bool& truth, std::string& err) {
  Value a = Indirect(raw1);
  if (rest.empty()) {
    err = "missing argument for comparison";
    return false;
  }
  const Kind k1 = BasicKind(a);
  for (const Value& raw : rest) {
    Value b = Indirect(raw);
    const Kind k2 = BasicKind(b);
    bool t = false;
    if (k1 != k2) {
      if ((k1 == Kind::kInt && k2 == Kind::kUint) || (k1 == Kind::kUint && k2 == Kind::kInt)) {
        t = a.j().get<int64_t>() == b.j().get<int64_t>();
      } else if (a.valid() && b.valid()) {
        err = kBadComparison;
        return false;
      }
    } else {
      switch (k1) {
        case Kind::kBool:
          t = a.j().get<bool>() == b.j().get<bool>();
          break;
        case Kind::kFloat:
          t = a.j().get<double>() == b.j().get<double>();
          break;
        case Kind::kInt:
        case Kind::kUint:
          t = a.j().get<int64_t>() == b.j().get<int64_t>();
          break;
        case Kind::kString:
          t = a.j().get_ref<const std::string&>() == b.j().get_ref<const std::string&>();
          break;
        case Kind::kInvalid: {
          const bool nil1 = !a.valid() || a.is_null();
          const bool nil2 = !b.valid() || b.is_null();
          const bool same_kind = a.valid() && b.valid() && a.j().type() == b.j().type();
          if (!(same_kind || !a.valid() || !b.valid())) {
            std::vector<Value> fa{a, Value::Own(json(GoTypeName(a))),
                                  Value::Own(json(GoTypeName(b))), b};
            err = "non-comparable types " + GoSprintf("%s: %v, %s: %v", fa);
            return false;
          }
          if (nil1 || nil2) {
            t = nil1 == nil2;
          } else {
            std::vector<Value> fb{b, Value::Own(json(GoTypeName(b)))};
            err = "non-comparable type " + GoSprintf("%s: %v", fb);
            return false;
          }
        }
      }
    }
    if (t) {
      truth = true;
      return true;
    }
  }
  truth = false;
  return true;
}

bool Less(const Value& raw1, const Value& raw2, bool& truth, std::string& err) {
  Value a = Indirect(raw1), b = Indirect(raw2);
  const Kind k1 = BasicKind(a);
  const Kind k2 = BasicKind(b);
  if (k1 == Kind::kInvalid || k2 == Kind::kInvalid) {
    err = kBadComparisonType;
    return false;
  }
  if (k1 != k2) {
    if ((k1 == Kind::kInt && k2 == Kind::kUint) || (k1 == Kind::kUint && k2 == Kind::kInt)) {
      truth = a.j().get<int64_t>() < b.j().get<int64_t>();
      return true;
    }
    err = kBadComparison;
    return false;
  }
  switch (k1) {
    case Kind::kBool:
      err = kBadComparisonType;
      return false;
    case Kind::kFloat:
      truth = a.j().get<double>() < b.j().get<double>();
      return true;
    case Kind::kString:
      truth = a.j().get_ref<const std::string&>() < b.j().get_ref<const std::string&>();
      return true;
    default:
      truth = a.j().get<int64_t>() < b.j().get<int64_t>();
      return true;
  }
}

bool Eq(Args args, Value& out, std::string& err) {
  bool t = false;
  if (!Equal(args[0], args.subspan(1), t, err)) return false;
  out = Value::Own(json(t));
  return true;
}
bool Ne(Args args, Value& out, std::string& err) {
  bool t = false;
  if (!Equal(args[0], args.subspan(1), t, err)) return false;
  out = Value::Own(json(!t));
  return true;
}
bool Lt(Args args, Value& out, std::string& err) {
  bool t = false;
  if (!Less(args[0], args[1], t, err)) return false;
  out = Value::Own(json(t));
  return true;
}
bool Le(Args args, Value& out, std::string& err) {
  bool t = false;
  if (!Less(args[0], args[1], t, err)) return false;
  if (!t && !Equal(args[0], args.subspan(1), t, err)) return false;
  out = Value::Own(json(t));
  return true;
}
bool Gt(Args args, Value& out, std::string& err) {
  if (!Le(args, out, err)) return false;
  out = Value::Own(json(!out.j().get<bool>()));
  return true;
}
bool Ge(Args args, Value& out, std::string& err) {
  if (!Lt(args, out, err)) return false;
  out = Value::Own(json(!out.j().get<bool>()));
  return true;
}

const FuncSpec kBuiltins[] = {
    {"and", "vv", true, And},
    {"call", "vv", true, Call},
    {"eq", "vv", true, Eq},
    {"ge", "vv", false, Ge},
    {"gt", "vv", false, Gt},
    {"html", "a", true, Html},
    {"index", "vv", true, Index},
    {"js", "a", true, Js},
    {"le", "vv", false, Le},
    {"len", "v", false, Len},
    {"lt", "vv", false, Lt},
    {"ne", "vv", false, Ne},
    {"not", "v", false, Not},
    {"or", "vv", true, And},
    {"print", "a", true, Print},
    {"printf", "sa", true, Printf},
    {"println", "a", true, Println},
    {"slice", "vv", true, Slice},
    {"urlquery", "a", true, UrlQuery},
};

}  // namespace

std::span<const FuncSpec> BuiltinFunctions() { return kBuiltins; }

}  // namespace fleetsim::gotmpl
