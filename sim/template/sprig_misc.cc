// Sprig's math, conversion, encoding and regular-expression functions, and Argo CD's toYaml,
// fromYaml and fromYamlArray. Regular expressions run on std::regex (ECMAScript), which agrees
// with Go's RE2 on the common syntax; a leading "(?i)" is honoured, other inline flags and named
// groups are not, and a pattern std::regex rejects is reported without RE2's exact reason.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <regex>
#include <string>

#include "sim/manifest/go_json.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/template/digest.h"
#include "sim/template/functions.h"
#include "sim/template/go_format.h"
#include "sim/template/go_yaml.h"

namespace fleetsim::gotmpl {
namespace {

using Args = std::span<Value>;

bool RetInt64(Value& out, int64_t v) {
  out = Value::Own(json(v), GoType::kInt64);
  return true;
}
bool RetStr(Value& out, std::string s) {
  out = Value::Own(json(std::move(s)));
  return true;
}

// Go's int64 arithmetic wraps around; unsigned arithmetic does the same without C++'s undefined
// signed overflow.
uint64_t U(const Value& v) { return static_cast<uint64_t>(ToInt64(v)); }
bool RetWrapped(Value& out, uint64_t v) { return RetInt64(out, static_cast<int64_t>(v)); }

bool Add(Args a, Value& out, std::string&) {
  uint64_t sum = 0;
  for (const Value& v : a) sum += U(v);
  return RetWrapped(out, sum);
}
bool Add1(Args a, Value& out, std::string&) { return RetWrapped(out, U(a[0]) + 1); }
bool Sub(Args a, Value& out, std::string&) { return RetWrapped(out, U(a[0]) - U(a[1])); }
bool Mul(Args a, Value& out, std::string&) {
  uint64_t p = U(a[0]);
  for (size_t i = 1; i < a.size(); ++i) p *= U(a[i]);
  return RetWrapped(out, p);
}
bool DivOrMod(Args a, Value& out, std::string& err, bool mod) {
  const int64_t x = ToInt64(a[0]), y = ToInt64(a[1]);
  if (y == 0) {
    err = "runtime error: integer divide by zero";
    return false;
  }
  if (y == -1) return RetWrapped(out, mod ? 0 : 0 - static_cast<uint64_t>(x));
  return RetInt64(out, mod ? x % y : x / y);
}
bool Div(Args a, Value& out, std::string& err) { return DivOrMod(a, out, err, false); }
bool Mod(Args a, Value& out, std::string& err) { return DivOrMod(a, out, err, true); }
bool Max(Args a, Value& out, std::string&) {
  int64_t m = ToInt64(a[0]);
  for (size_t i = 1; i < a.size(); ++i) m = std::max(m, ToInt64(a[i]));
  return RetInt64(out, m);
}
bool Min(Args a, Value& out, std::string&) {
  int64_t m = ToInt64(a[0]);
  for (size_t i = 1; i < a.size(); ++i) m = std::min(m, ToInt64(a[i]));
  return RetInt64(out, m);
}
bool Floor(Args a, Value& out, std::string&) {
  out = Value::Own(json(std::floor(ToFloat64(a[0]))));
  return true;
}
bool Ceil(Args a, Value& out, std::string&) {
  out = Value::Own(json(std::ceil(ToFloat64(a[0]))));
  return true;
}
bool Int(Args a, Value& out, std::string&) {
  out = Value::Own(json(ToInt64(a[0])));
  return true;
}
bool Int64(Args a, Value& out, std::string&) { return RetInt64(out, ToInt64(a[0])); }
bool Float64(Args a, Value& out, std::string&) {
  out = Value::Own(json(ToFloat64(a[0])));
  return true;
}
bool Atoi(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[0]);
  int64_t v = 0;
  std::string_view t = s;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  bool ok =
      !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ok) ok = std::from_chars(s.data() + (s[0] == '+'), s.data() + s.size(), v).ec == std::errc();
  out = Value::Own(json(ok ? v : 0));
  return true;
}

bool ToJson(Args a, Value& out, std::string&) {
  return RetStr(out, a[0].valid() ? GoJsonMarshal(a[0].j()) : "null");
}
bool ToPrettyJson(Args a, Value& out, std::string&) {
  return RetStr(out, a[0].valid() ? a[0].j().dump(2) : "null");
}
bool ToRawJson(Args a, Value& out, std::string&) {
  return RetStr(out, a[0].valid() ? a[0].j().dump() : "null");
}

// encoding/json.Unmarshal into interface{}: every number is a float64.
void NumbersToFloat(json& j) {
  if (j.is_number()) {
    j = j.get<double>();
  } else if (j.is_structured()) {
    for (json& e : j) NumbersToFloat(e);
  }
}

bool FromJson(Args a, Value& out, std::string&) {
  json j = json::parse(Str(a[0]), nullptr, false);
  if (j.is_discarded()) j = json();
  NumbersToFloat(j);
  out = Value::Own(std::move(j));
  return true;
}

bool ToYaml(Args a, Value& out, std::string&) {
  std::string y = GoYamlMarshal(a[0].valid() ? a[0].j() : json());
  if (!y.empty() && y.back() == '\n') y.pop_back();
  return RetStr(out, std::move(y));
}

// sigs.k8s.io/yaml.Unmarshal into `want_object` ? map : slice; the error text on failure.
bool ParseYamlAs(const std::string& text, bool want_object, json& result, std::string& error) {
  auto docs = YamlToJson(text);
  if (!docs.ok()) {
    error = docs.error();
    return false;
  }
  result = docs->empty() ? (want_object ? json::object() : json::array()) : docs->front();
  if (result.is_null()) result = want_object ? json::object() : json::array();
  if (want_object ? !result.is_object() : !result.is_array()) {
    error = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
            GoJsonTypeName(result) + " into Go value of type " +
            (want_object ? "map[string]interface {}" : "[]interface {}");
    return false;
  }
  NumbersToFloat(result);
  return true;
}

bool FromYaml(Args a, Value& out, std::string&) {
  json m;
  std::string error;
  if (!ParseYamlAs(Str(a[0]), true, m, error)) m = json{{"Error", error}};
  out = Value::Own(std::move(m));
  return true;
}
bool FromYamlArray(Args a, Value& out, std::string&) {
  json l;
  std::string error;
  if (!ParseYamlAs(Str(a[0]), false, l, error)) l = json::array({error});
  out = Value::Own(std::move(l));
  return true;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool B64Enc(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[0]);
  std::string r;
  for (size_t i = 0; i < s.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) n |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) n |= static_cast<unsigned char>(s[i + 2]);
    r += kBase64[(n >> 18) & 63];
    r += kBase64[(n >> 12) & 63];
    r += i + 1 < s.size() ? kBase64[(n >> 6) & 63] : '=';
    r += i + 2 < s.size() ? kBase64[n & 63] : '=';
  }
  return RetStr(out, std::move(r));
}

// base64.StdEncoding.DecodeString; Sprig returns the error text in place of the result.
bool B64Dec(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[0]);
  std::string r;
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '='; ++i) {
    const char* p = std::strchr(kBase64, s[i]);
    if (p == nullptr || s[i] == '\0' || s[i] == '\r' || s[i] == '\n') {
      if (s[i] == '\r' || s[i] == '\n') continue;
      return RetStr(out, "illegal base64 data at input byte " + std::to_string(i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(p - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      r += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  size_t pads = 0;
  for (; i < s.size() && s[i] == '='; ++i) ++pads;
  const size_t data_chars = s.size() - pads;
  if (i != s.size() || s.size() % 4 != 0 || (pads > 0 && data_chars % 4 < 2) || pads > 2) {
    size_t at = i != s.size() ? i : s.size() % 4 != 0 ? s.size() / 4 * 4 : data_chars;
    return RetStr(out, "illegal base64 data at input byte " + std::to_string(at));
  }
  return RetStr(out, std::move(r));
}

bool Sha1Sum(Args a, Value& out, std::string&) { return RetStr(out, Sha1Hex(Str(a[0]))); }
bool Sha256Sum(Args a, Value& out, std::string&) { return RetStr(out, Sha256Hex(Str(a[0]))); }
bool Adler32Sum(Args a, Value& out, std::string&) {
  return RetStr(out, std::to_string(Adler32(Str(a[0]))));
}

// regexp.MustCompile's panic text, with a generic reason (RE2's exact wording is not kept).
bool Compile(const std::string& pattern, std::regex& re, std::string& err) {
  std::string p = pattern;
  auto flags = std::regex::ECMAScript;
  if (p.starts_with("(?i)")) {
    p = p.substr(4);
    flags |= std::regex::icase;
  }
  try {
    re = std::regex(p, flags);
    return true;
  } catch (const std::regex_error&) {
    const bool raw = pattern.find('`') == std::string::npos;
    err = "regexp: Compile(" + (raw ? "`" + pattern + "`" : GoQuote(pattern)) +
          "): error parsing regexp: invalid or unsupported Perl syntax: `" + pattern + "`";
    return false;
  }
}

bool RegexMatch(Args a, Value& out, std::string&) {
  std::regex re;
  std::string ignored;
  bool m = Compile(Str(a[0]), re, ignored) && std::regex_search(Str(a[1]), re);
  out = Value::Own(json(m));
  return true;
}

bool RegexFind(Args a, Value& out, std::string& err) {
  std::regex re;
  if (!Compile(Str(a[0]), re, err)) return false;
  std::smatch m;
  const std::string& s = Str(a[1]);
  return RetStr(out, std::regex_search(s, m, re) ? m.str(0) : "");
}

bool RegexFindAll(Args a, Value& out, std::string& err) {
  std::regex re;
  if (!Compile(Str(a[0]), re, err)) return false;
  const std::string& s = Str(a[1]);
  const int64_t n = a[2].j().get<int64_t>();
  json l = json::array();
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    if (n >= 0 && static_cast<int64_t>(l.size()) >= n) break;
    l.push_back(it->str(0));
  }
  out = Value::Own(std::move(l), GoType::kStringSlice);
  return true;
}

// regexp's Expand: $1, ${1}, $$; a name that is not a number (or a missing group) expands to "".
std::string Expand(const std::string& templ, const std::smatch& m) {
  std::string out;
  for (size_t i = 0; i < templ.size(); ++i) {
    if (templ[i] != '$' || i + 1 >= templ.size()) {
      out += templ[i];
      continue;
    }
    if (templ[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    size_t start = i + 1, end;
    const bool brace = templ[start] == '{';
    if (brace) ++start;
    end = start;
    while (end < templ.size() &&
           (std::isalnum(static_cast<unsigned char>(templ[end])) || templ[end] == '_')) {
      ++end;
    }
    if (end == start || (brace && (end >= templ.size() || templ[end] != '}'))) {
      out += '$';
      continue;
    }
    std::string name = templ.substr(start, end - start);
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      size_t group = name.size() > 6 ? m.size() : std::stoul(name);
      if (group < m.size()) out += m.str(group);
    }
    i = brace ? end : end - 1;
  }
  return out;
}

bool ReplaceAllImpl(Args a, Value& out, std::string& err, bool literal) {
  std::regex re;
  if (!Compile(Str(a[0]), re, err)) return false;
  const std::string& s = Str(a[1]);
  const std::string& repl = Str(a[2]);
  std::string r;
  auto last = s.cbegin();
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    r.append(last, (*it)[0].first);
    r += literal ? repl : Expand(repl, *it);
    last = (*it)[0].second;
  }
  r.append(last, s.cend());
  return RetStr(out, std::move(r));
}
bool RegexReplaceAll(Args a, Value& out, std::string& err) {
  return ReplaceAllImpl(a, out, err, false);
}
bool RegexReplaceAllLiteral(Args a, Value& out, std::string& err) {
  return ReplaceAllImpl(a, out, err, true);
}

bool RegexSplit(Args a, Value& out, std::string& err) {
  std::regex re;
  if (!Compile(Str(a[0]), re, err)) return false;
  const std::string& s = Str(a[1]);
  const int64_t n = a[2].j().get<int64_t>();
  json l = json::array();
  if (n == 0) {
    out = Value::Own(json(), GoType::kStringSlice);
    return true;
  }
  size_t begin = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    if (n > 0 && static_cast<int64_t>(l.size()) == n - 1) break;
    const size_t at = static_cast<size_t>(it->position(0));
    if (it->length(0) == 0 && (at == 0 || at == s.size())) continue;
    l.push_back(s.substr(begin, at - begin));
    begin = at + static_cast<size_t>(it->length(0));
  }
  l.push_back(s.substr(begin));
  out = Value::Own(std::move(l), GoType::kStringSlice);
  return true;
}

bool RegexQuoteMeta(Args a, Value& out, std::string&) {
  std::string r;
  for (char c : Str(a[0])) {
    if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) r += '\\';
    r += c;
  }
  return RetStr(out, std::move(r));
}

const FuncSpec kMisc[] = {
    {"add", "a", true, Add},
    {"add1", "a", false, Add1},
    {"adler32sum", "s", false, Adler32Sum},
    {"atoi", "s", false, Atoi},
    {"b64dec", "s", false, B64Dec},
    {"b64enc", "s", false, B64Enc},
    {"ceil", "a", false, Ceil},
    {"div", "aa", false, Div},
    {"float64", "a", false, Float64},
    {"floor", "a", false, Floor},
    {"fromJson", "s", false, FromJson},
    {"fromYaml", "s", false, FromYaml},
    {"fromYamlArray", "s", false, FromYamlArray},
    {"int", "a", false, Int},
    {"int64", "a", false, Int64},
    {"max", "aa", true, Max},
    {"min", "aa", true, Min},
    {"mod", "aa", false, Mod},
    {"mul", "aa", true, Mul},
    {"regexFind", "ss", false, RegexFind},
    {"regexFindAll", "ssi", false, RegexFindAll},
    {"regexMatch", "ss", false, RegexMatch},
    {"regexQuoteMeta", "s", false, RegexQuoteMeta},
    {"regexReplaceAll", "sss", false, RegexReplaceAll},
    {"regexReplaceAllLiteral", "sss", false, RegexReplaceAllLiteral},
    {"regexSplit", "ssi", false, RegexSplit},
    {"sha1sum", "s", false, Sha1Sum},
    {"sha256sum", "s", false, Sha256Sum},
    {"sub", "aa", false, Sub},
    {"toJson", "a", false, ToJson},
    {"toPrettyJson", "a", false, ToPrettyJson},
    {"toRawJson", "a", false, ToRawJson},
    {"toYaml", "a", false, ToYaml},
};

}  // namespace

std::span<const FuncSpec> SprigMiscFunctions() { return kMisc; }

}  // namespace fleetsim::gotmpl
