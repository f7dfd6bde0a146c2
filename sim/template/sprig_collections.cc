// Sprig's list and dict functions (github.com/Masterminds/sprig/v3 list.go, dict.go). Go maps
// have no order; keys and values here come in sorted key order, which is one of Go's orders.
#include <algorithm>
#include <string>

#include "sim/template/functions.h"
#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

using Args = std::span<Value>;

bool RetJson(Value& out, json j, GoType type = GoType::kAuto) {
  out = Value::Own(std::move(j), type);
  return true;
}

// Sprig's "Cannot find X on type T" for a non-list argument (T is a reflect.Kind).
bool IsList(const Value& v, const char* what, std::string& err) {
  if (v.valid() && v.j().is_array()) return true;
  std::string kind = !v.valid() || v.is_null() ? "invalid"
                     : v.j().is_object()       ? "map"
                     : v.j().is_string()       ? "string"
                     : v.j().is_boolean()      ? "bool"
                     : v.j().is_number_float() ? "float64"
                                               : "int";
  if (v.valid() && v.type() == GoType::kInt64) kind = "int64";
  if (kind == "invalid") {
    err = "runtime error: invalid memory address or nil pointer dereference";
    return false;
  }
  err = std::string("Cannot ") + what + " on type " + kind;
  return false;
}

bool List(Args a, Value& out, std::string&) {
  json l = json::array();
  for (const Value& v : a) l.push_back(v.valid() ? v.j() : json());
  return RetJson(out, std::move(l));
}

bool First(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find first", err)) return false;
  return RetJson(out, a[0].j().empty() ? json() : a[0].j().front());
}
bool Last(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find last", err)) return false;
  return RetJson(out, a[0].j().empty() ? json() : a[0].j().back());
}
bool Rest(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find rest", err)) return false;
  const json& l = a[0].j();
  if (l.empty()) return RetJson(out, json());
  return RetJson(out, json(std::vector<json>(l.begin() + 1, l.end())));
}
bool Initial(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find initial", err)) return false;
  const json& l = a[0].j();
  if (l.empty()) return RetJson(out, json());
  return RetJson(out, json(std::vector<json>(l.begin(), l.end() - 1)));
}
bool Append(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "push", err)) return false;
  json l = a[0].j();
  l.push_back(a[1].valid() ? a[1].j() : json());
  return RetJson(out, std::move(l));
}
bool Prepend(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "prepend", err)) return false;
  json l = json::array();
  l.push_back(a[1].valid() ? a[1].j() : json());
  for (const json& e : a[0].j()) l.push_back(e);
  return RetJson(out, std::move(l));
}
bool Reverse(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find reverse", err)) return false;
  json l = a[0].j();
  std::reverse(l.begin(), l.end());
  return RetJson(out, std::move(l));
}
bool Uniq(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find uniq", err)) return false;
  json l = json::array();
  for (const json& e : a[0].j()) {
    if (std::find(l.begin(), l.end(), e) == l.end()) l.push_back(e);
  }
  return RetJson(out, std::move(l));
}
bool Compact(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "compact", err)) return false;
  json l = json::array();
  for (const json& e : a[0].j()) {
    if (!IsEmpty(e)) l.push_back(e);
  }
  return RetJson(out, std::move(l));
}
bool Without(Args a, Value& out, std::string& err) {
  if (!IsList(a[0], "find without", err)) return false;
  json l = json::array();
  for (const json& e : a[0].j()) {
    bool drop = false;
    for (size_t i = 1; i < a.size(); ++i) drop = drop || (a[i].valid() && a[i].j() == e);
    if (!drop) l.push_back(e);
  }
  return RetJson(out, std::move(l));
}
bool Has(Args a, Value& out, std::string& err) {
  if (!a[1].valid() || a[1].is_null()) return RetJson(out, json(false));
  if (!IsList(a[1], "find has", err)) return false;
  const json needle = a[0].valid() ? a[0].j() : json();
  const json& l = a[1].j();
  return RetJson(out, json(std::find(l.begin(), l.end(), needle) != l.end()));
}
bool Concat(Args a, Value& out, std::string& err) {
  json l = json::array();
  for (const Value& v : a) {
    if (!v.valid() || !v.j().is_array()) {
      IsList(v, "", err);
      err = "Cannot concat type " + err.substr(err.rfind(' ') + 1) + " as list";
      return false;
    }
    for (const json& e : v.j()) l.push_back(e);
  }
  return RetJson(out, std::move(l));
}

bool Dict(Args a, Value& out, std::string&) {
  json m = json::object();
  for (size_t i = 0; i < a.size(); i += 2) {
    std::string key = GoStringOf(a[i]);
    m[key] = i + 1 < a.size() && a[i + 1].valid() ? a[i + 1].j()
                                                  : json(i + 1 < a.size() ? json() : json(""));
  }
  return RetJson(out, std::move(m));
}

const json& MapOf(const Value& v) {
  static const json kEmpty = json::object();
  return v.valid() && v.j().is_object() ? v.j() : kEmpty;
}

bool Get(Args a, Value& out, std::string&) {
  const json& m = MapOf(a[0]);
  auto it = m.find(Str(a[1]));
  return RetJson(out, it != m.end() ? *it : json(""));
}
bool Set(Args a, Value& out, std::string&) {
  json m = MapOf(a[0]);
  m[Str(a[1])] = a[2].valid() ? a[2].j() : json();
  return RetJson(out, std::move(m));
}
bool Unset(Args a, Value& out, std::string&) {
  json m = MapOf(a[0]);
  m.erase(Str(a[1]));
  return RetJson(out, std::move(m));
}
bool HasKey(Args a, Value& out, std::string&) {
  return RetJson(out, json(MapOf(a[0]).contains(Str(a[1]))));
}
bool Keys(Args a, Value& out, std::string&) {
  json l = json::array();
  for (const Value& d : a) {
    for (const auto& [k, v] : MapOf(d).items()) l.push_back(k);
  }
  return RetJson(out, std::move(l), GoType::kStringSlice);
}
bool Values(Args a, Value& out, std::string&) {
  json l = json::array();
  for (const auto& [k, v] : MapOf(a[0]).items()) l.push_back(v);
  return RetJson(out, std::move(l));
}
bool Pluck(Args a, Value& out, std::string&) {
  json l = json::array();
  for (size_t i = 1; i < a.size(); ++i) {
    const json& m = MapOf(a[i]);
    auto it = m.find(Str(a[0]));
    if (it != m.end()) l.push_back(*it);
  }
  return RetJson(out, std::move(l));
}
bool Pick(Args a, Value& out, std::string&) {
  json m = json::object();
  const json& src = MapOf(a[0]);
  for (size_t i = 1; i < a.size(); ++i) {
    auto it = src.find(Str(a[i]));
    if (it != src.end()) m[Str(a[i])] = *it;
  }
  return RetJson(out, std::move(m));
}
bool Omit(Args a, Value& out, std::string&) {
  json m = MapOf(a[0]);
  for (size_t i = 1; i < a.size(); ++i) m.erase(Str(a[i]));
  return RetJson(out, std::move(m));
}

// mergo.Merge without overwrite: keys missing (or empty) in dst come from src, maps recursively.
void MergeInto(json& dst, const json& src, bool overwrite) {
  for (const auto& [k, v] : src.items()) {
    auto it = dst.find(k);
    if (it == dst.end()) {
      dst[k] = v;
    } else if (it->is_object() && v.is_object()) {
      MergeInto(*it, v, overwrite);
    } else if (overwrite ? !IsEmpty(v) : IsEmpty(*it)) {
      *it = v;
    }
  }
}
bool MergeImpl(Args a, Value& out, bool overwrite) {
  json m = MapOf(a[0]);
  for (size_t i = 1; i < a.size(); ++i) MergeInto(m, MapOf(a[i]), overwrite);
  return RetJson(out, std::move(m));
}
bool Merge(Args a, Value& out, std::string&) { return MergeImpl(a, out, false); }
bool MergeOverwrite(Args a, Value& out, std::string&) { return MergeImpl(a, out, true); }

bool Dig(Args a, Value& out, std::string& err) {
  if (a.size() < 3) {
    err = "dig needs at least three arguments";
    return false;
  }
  const Value& dict = a.back();
  if (!dict.valid() || !dict.j().is_object()) {
    err = "interface conversion: interface {} is " + GoTypeName(dict) +
          ", not map[string]interface {}";
    return false;
  }
  const json* cur = &dict.j();
  for (size_t i = 0; i + 2 < a.size(); ++i) {
    if (!a[i].valid() || !a[i].j().is_string()) {
      err = "interface conversion: interface {} is " + GoTypeName(a[i]) + ", not string";
      return false;
    }
    auto it = cur->find(Str(a[i]));
    if (it == cur->end())
      return RetJson(out, a[a.size() - 2].valid() ? a[a.size() - 2].j() : json());
    if (i + 3 == a.size()) return RetJson(out, *it);
    if (!it->is_object()) {
      err = "interface conversion: interface {} is " + GoTypeName(Value::Ref(*it)) +
            ", not map[string]interface {}";
      return false;
    }
    cur = &*it;
  }
  return RetJson(out, json());
}

bool Default(Args a, Value& out, std::string&) {
  if (a.size() < 2 || IsEmpty(a[1].valid() ? a[1].j() : json())) {
    return RetJson(out, a[0].valid() ? a[0].j() : json());
  }
  out = a[1];
  return true;
}
bool Empty(Args a, Value& out, std::string&) {
  return RetJson(out, json(!a[0].valid() || IsEmpty(a[0].j())));
}
bool Coalesce(Args a, Value& out, std::string&) {
  for (const Value& v : a) {
    if (v.valid() && !IsEmpty(v.j())) {
      out = v;
      return true;
    }
  }
  return RetJson(out, json());
}
bool All(Args a, Value& out, std::string&) {
  for (const Value& v : a) {
    if (!v.valid() || IsEmpty(v.j())) return RetJson(out, json(false));
  }
  return RetJson(out, json(true));
}
bool Any(Args a, Value& out, std::string&) {
  for (const Value& v : a) {
    if (v.valid() && !IsEmpty(v.j())) return RetJson(out, json(true));
  }
  return RetJson(out, json(false));
}
bool Ternary(Args a, Value& out, std::string&) {
  out = a[2].j().get<bool>() ? a[0] : a[1];
  return true;
}

bool Until(Args a, Value& out, std::string&) {
  const int64_t n = a[0].j().get<int64_t>();
  json l = json::array();
  const int64_t step = n < 0 ? -1 : 1;
  for (int64_t i = 0; i != n && l.size() < (1u << 20); i += step) l.push_back(i);
  return RetJson(out, std::move(l));
}

bool UntilStep(Args a, Value& out, std::string&) {
  const int64_t start = a[0].j().get<int64_t>();
  const int64_t stop = a[1].j().get<int64_t>();
  const int64_t step = a[2].j().get<int64_t>();
  json l = json::array();
  if (step > 0) {
    for (int64_t i = start; i < stop && l.size() < (1u << 20); i += step) l.push_back(i);
  } else if (step < 0) {
    for (int64_t i = start; i > stop && l.size() < (1u << 20); i += step) l.push_back(i);
  }
  return RetJson(out, std::move(l));
}

bool DeepCopy(Args a, Value& out, std::string&) {
  return RetJson(out, a[0].valid() ? a[0].j() : json());
}

const FuncSpec kCollections[] = {
    {"deepCopy", "a", false, DeepCopy},
    {"untilStep", "iii", false, UntilStep},
    {"all", "a", true, All},
    {"any", "a", true, Any},
    {"append", "aa", false, Append},
    {"coalesce", "a", true, Coalesce},
    {"compact", "a", false, Compact},
    {"concat", "a", true, Concat},
    {"default", "aa", true, Default},
    {"dict", "a", true, Dict},
    {"dig", "a", true, Dig},
    {"empty", "a", false, Empty},
    {"first", "a", false, First},
    {"get", "ms", false, Get},
    {"has", "aa", false, Has},
    {"hasKey", "ms", false, HasKey},
    {"initial", "a", false, Initial},
    {"keys", "m", true, Keys},
    {"last", "a", false, Last},
    {"list", "a", true, List},
    {"merge", "mm", true, Merge},
    {"mustAppend", "aa", false, Append},
    {"mustCompact", "a", false, Compact},
    {"mustFirst", "a", false, First},
    {"mustHas", "aa", false, Has},
    {"mustInitial", "a", false, Initial},
    {"mustLast", "a", false, Last},
    {"mustPrepend", "aa", false, Prepend},
    {"mustPush", "aa", false, Append},
    {"mustRest", "a", false, Rest},
    {"mustReverse", "a", false, Reverse},
    {"mustUniq", "a", false, Uniq},
    {"mustWithout", "aa", true, Without},
    {"mergeOverwrite", "mm", true, MergeOverwrite},
    {"omit", "ms", true, Omit},
    {"pick", "ms", true, Pick},
    {"pluck", "sm", true, Pluck},
    {"prepend", "aa", false, Prepend},
    {"push", "aa", false, Append},
    {"rest", "a", false, Rest},
    {"reverse", "a", false, Reverse},
    {"set", "msa", false, Set},
    {"ternary", "aab", false, Ternary},
    {"uniq", "a", false, Uniq},
    {"unset", "ms", false, Unset},
    {"until", "i", false, Until},
    {"values", "m", false, Values},
    {"without", "aa", true, Without},
};

}  // namespace

std::span<const FuncSpec> SprigCollectionFunctions() { return kCollections; }

}  // namespace fleetsim::gotmpl
