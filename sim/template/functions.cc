#include "sim/template/functions.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace fleetsim::gotmpl {
namespace {

std::vector<const FuncSpec*> BuildTable() {
  std::vector<const FuncSpec*> table;
  for (auto group : {BuiltinFunctions(), SprigStringFunctions(), SprigCollectionFunctions(),
                     SprigMiscFunctions()}) {
    for (const FuncSpec& f : group) table.push_back(&f);
  }
  std::sort(table.begin(), table.end(),
            [](const FuncSpec* a, const FuncSpec* b) { return a->name < b->name; });
  return table;
}

// strconv.ParseInt(s, 0, 64) as cast.ToInt64 uses it; false when s is not an integer.
bool ParseIntBase0(std::string_view s, int64_t& out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x' || p == 'o' || p == 'b') {
      base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
  if (v > static_cast<uint64_t>(INT64_MAX) + (negative ? 1 : 0)) return false;
  out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

const FuncSpec* FindFunction(std::string_view name) {
  static const std::vector<const FuncSpec*> table = BuildTable();
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const FuncSpec* f, std::string_view n) { return f->name < n; });
  if (it == table.end() || (*it)->name != name) return nullptr;
  return *it;
}

std::string_view ParamTypeName(char param) {
  switch (param) {
    case 's':
      return "string";
    case 'i':
      return "int";
    case 'I':
      return "int64";
    case 'f':
      return "float64";
    case 'b':
      return "bool";
    case 'm':
      return "map[string]interface {}";
    case 'l':
      return "[]interface {}";
    case 'v':
      return "reflect.Value";
    default:
      return "interface {}";
  }
}

bool IsTrue(const Value& v) {
  if (!v.valid()) return false;
  const json& j = v.j();
  switch (j.type()) {
    case json::value_t::null:
      return false;
    case json::value_t::boolean:
      return j.get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return j.get<int64_t>() != 0;
    case json::value_t::number_float:
      return j.get<double>() != 0;
    case json::value_t::string:
      return !j.get_ref<const std::string&>().empty();
    default:
      return !j.empty();
  }
}

bool IsEmpty(const json& j) { return !IsTrue(Value::Ref(j)); }

const std::string& Str(const Value& v) { return v.j().get_ref<const std::string&>(); }

int64_t ToInt64(const Value& v) {
  if (!v.valid()) return 0;
  const json& j = v.j();
  switch (j.type()) {
    case json::value_t::boolean:
      return j.get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return j.get<int64_t>();
    case json::value_t::number_float: {
      double f = j.get<double>();
      if (std::isnan(f) || f >= 9.2233720368547758e18 || f < -9.2233720368547758e18) {
        return INT64_MIN;
      }
      return static_cast<int64_t>(f);
    }
    case json::value_t::string: {
      int64_t out = 0;
      return ParseIntBase0(j.get_ref<const std::string&>(), out) ? out : 0;
    }
    default:
      return 0;
  }
}

double ToFloat64(const Value& v) {
  if (!v.valid()) return 0;
  const json& j = v.j();
  switch (j.type()) {
    case json::value_t::boolean:
      return j.get<bool>() ? 1 : 0;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return j.get<double>();
    case json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      double out = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), out);
      return r.ec == std::errc() && r.ptr == s.data() + s.size() ? out : 0;
    }
    default:
      return 0;
  }
}

}  // namespace fleetsim::gotmpl
