// Sprig's string functions (github.com/Masterminds/sprig/v3 functions.go, strings.go) and Argo
// CD's normalize and slugify (applicationset/utils/utils.go). Case mapping is ASCII only.
#include <algorithm>
#include <string>
#include <vector>

#include "sim/manifest/go_json.h"
#include "sim/template/functions.h"
#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

using Args = std::span<Value>;

bool Ret(Value& out, std::string s) {
  out = Value::Own(json(std::move(s)));
  return true;
}
bool RetBool(Value& out, bool b) {
  out = Value::Own(json(b));
  return true;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Lowered(std::string s) {
  for (char& c : s) c = ToLower(c);
  return s;
}

std::string ReplaceAll(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) {  // strings.Replace with an empty old string inserts between runes
    std::string out = to;
    for (char c : s) {
      out += c;
      out += to;
    }
    return s.empty() ? to : out;
  }
  std::string out;
  size_t i = 0;
  for (size_t at; (at = s.find(from, i)) != std::string::npos; i = at + from.size()) {
    out.append(s, i, at - i);
    out += to;
  }
  out.append(s, i);
  return out;
}

std::string TrimSet(const std::string& s, const std::string& cutset, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && cutset.find(s[b]) != std::string::npos) ++b;
  }
  if (right) {
    while (e > b && cutset.find(s[e - 1]) != std::string::npos) --e;
  }
  return s.substr(b, e - b);
}

bool Lower(Args a, Value& out, std::string&) { return Ret(out, Lowered(Str(a[0]))); }
bool Upper(Args a, Value& out, std::string&) {
  std::string s = Str(a[0]);
  for (char& c : s) c = ToUpper(c);
  return Ret(out, std::move(s));
}

// strings.Title: the first letter of each word upper-cased.
bool Title(Args a, Value& out, std::string&) {
  std::string s = Str(a[0]);
  char prev = ' ';
  for (char& c : s) {
    const bool sep = !(IsLetter(prev) || IsDigit(prev) || prev == '_' ||
                       (static_cast<unsigned char>(prev) >= 0x80));
    if (sep) c = ToUpper(c);
    prev = c;
  }
  return Ret(out, std::move(s));
}
bool Untitle(Args a, Value& out, std::string&) {
  std::string s = Str(a[0]);
  bool in_word = false;
  for (char& c : s) {
    if (IsAsciiSpace(c)) {
      in_word = false;
    } else if (!in_word) {
      c = ToLower(c);
      in_word = true;
    }
  }
  return Ret(out, std::move(s));
}

bool Replace(Args a, Value& out, std::string&) {
  return Ret(out, ReplaceAll(Str(a[2]), Str(a[0]), Str(a[1])));
}
bool Trim(Args a, Value& out, std::string&) {
  return Ret(out, TrimSet(Str(a[0]), " \t\n\r\v\f", true, true));
}
bool TrimAll(Args a, Value& out, std::string&) {
  return Ret(out, TrimSet(Str(a[1]), Str(a[0]), true, true));
}
bool TrimPrefix(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[1]);
  const std::string& p = Str(a[0]);
  return Ret(out, s.starts_with(p) ? s.substr(p.size()) : s);
}
bool TrimSuffix(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[1]);
  const std::string& p = Str(a[0]);
  return Ret(out, s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
}
bool HasPrefix(Args a, Value& out, std::string&) {
  return RetBool(out, Str(a[1]).starts_with(Str(a[0])));
}
bool HasSuffix(Args a, Value& out, std::string&) {
  return RetBool(out, Str(a[1]).ends_with(Str(a[0])));
}
bool Contains(Args a, Value& out, std::string&) {
  return RetBool(out, Str(a[1]).find(Str(a[0])) != std::string::npos);
}
bool NoSpace(Args a, Value& out, std::string&) {
  std::string s;
  for (char c : Str(a[0])) {
    if (!IsAsciiSpace(c)) s += c;
  }
  return Ret(out, std::move(s));
}

bool Quote(Args a, Value& out, std::string&) {
  std::string s;
  bool first = true;
  for (const Value& v : a) {
    if (!v.valid() || v.is_null()) continue;
    if (!first) s += ' ';
    first = false;
    s += GoQuote(GoStringOf(v));
  }
  return Ret(out, std::move(s));
}
bool Squote(Args a, Value& out, std::string&) {
  std::string s;
  bool first = true;
  for (const Value& v : a) {
    if (!v.valid() || v.is_null()) continue;
    if (!first) s += ' ';
    first = false;
    s += "'" + GoStringOf(v) + "'";
  }
  return Ret(out, std::move(s));
}
bool Cat(Args a, Value& out, std::string&) {
  std::string s;
  bool first = true;
  for (const Value& v : a) {
    if (!v.valid() || v.is_null()) continue;
    if (!first) s += ' ';
    first = false;
    s += GoStringOf(v);
  }
  return Ret(out, std::move(s));
}

bool Indent(Args a, Value& out, std::string&) {
  const int64_t n = a[0].j().get<int64_t>();
  std::string pad(n > 0 ? static_cast<size_t>(std::min<int64_t>(n, 1 << 20)) : 0, ' ');
  return Ret(out, pad + ReplaceAll(Str(a[1]), "\n", "\n" + pad));
}
bool Nindent(Args a, Value& out, std::string& err) {
  if (!Indent(a, out, err)) return false;
  return Ret(out, "\n" + Str(out));
}

bool Repeat(Args a, Value& out, std::string& err) {
  const int64_t n = a[0].j().get<int64_t>();
  if (n < 0) {
    err = "strings: negative Repeat count";
    return false;
  }
  const std::string& s = Str(a[1]);
  if (!s.empty() && static_cast<uint64_t>(n) > (1u << 26) / s.size()) {
    err = "strings: Repeat output length overflow";
    return false;
  }
  std::string r;
  for (int64_t i = 0; i < n; ++i) r += s;
  return Ret(out, std::move(r));
}

bool Substr(Args a, Value& out, std::string& err) {
  int64_t start = a[0].j().get<int64_t>();
  int64_t end = a[1].j().get<int64_t>();
  const std::string& s = Str(a[2]);
  const auto len = static_cast<int64_t>(s.size());
  if (start < 0) {
    if (end > len || end < 0) {
      err = "runtime error: slice bounds out of range [:" + std::to_string(end) + "] with length " +
            std::to_string(len);
      return false;
    }
    return Ret(out, s.substr(0, end));
  }
  if (end < 0 || end > len) {
    if (start > len) {
      err = "runtime error: slice bounds out of range [" + std::to_string(start) + ":" +
            std::to_string(len) + "]";
      return false;
    }
    return Ret(out, s.substr(start));
  }
  if (start > end) {
    err = "runtime error: slice bounds out of range [" + std::to_string(start) + ":" +
          std::to_string(end) + "]";
    return false;
  }
  return Ret(out, s.substr(start, end - start));
}

bool Trunc(Args a, Value& out, std::string&) {
  const int64_t c = a[0].j().get<int64_t>();
  const std::string& s = Str(a[1]);
  const auto len = static_cast<int64_t>(s.size());
  if (c < 0 && len + c > 0) return Ret(out, s.substr(len + c));
  if (c >= 0 && len > c) return Ret(out, s.substr(0, c));
  return Ret(out, s);
}

// Words as Sprig's xstrings-based case functions see them: runs of letters and digits, split
// before an upper-case letter that follows a lower-case one.
std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> words;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!(IsLetter(c) || IsDigit(c))) {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    if (IsUpper(c) && !cur.empty() &&
        (IsLower(cur.back()) || (i + 1 < s.size() && IsLower(s[i + 1]) && IsUpper(cur.back())))) {
      words.push_back(std::move(cur));
      cur.clear();
    }
    cur += c;
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

std::string JoinWords(const std::string& s, char sep) {
  std::string r;
  for (const std::string& w : Words(s)) {
    if (!r.empty()) r += sep;
    r += Lowered(w);
  }
  return r;
}

bool KebabCase(Args a, Value& out, std::string&) { return Ret(out, JoinWords(Str(a[0]), '-')); }
bool SnakeCase(Args a, Value& out, std::string&) { return Ret(out, JoinWords(Str(a[0]), '_')); }

// xstrings.ToCamelCase: '_' separated words, each with its first letter upper-cased.
bool CamelCase(Args a, Value& out, std::string&) {
  const std::string& s = Str(a[0]);
  std::string r;
  bool upper_next = true;
  for (char c : s) {
    if (c == '_') {
      upper_next = true;
      continue;
    }
    r += upper_next ? ToUpper(c) : c;
    upper_next = false;
  }
  return Ret(out, std::move(r));
}
bool SwapCase(Args a, Value& out, std::string&) {
  std::string s = Str(a[0]);
  for (char& c : s) c = IsUpper(c) ? ToLower(c) : ToUpper(c);
  return Ret(out, std::move(s));
}

bool Split(Args a, Value& out, std::string&) {
  const std::string& sep = Str(a[0]);
  const std::string& s = Str(a[1]);
  json m = json::object();
  size_t i = 0, n = 0;
  if (sep.empty()) {
    for (char c : s) m["_" + std::to_string(n++)] = std::string(1, c);
  } else {
    for (size_t at; (at = s.find(sep, i)) != std::string::npos; i = at + sep.size()) {
      m["_" + std::to_string(n++)] = s.substr(i, at - i);
    }
    m["_" + std::to_string(n)] = s.substr(i);
  }
  out = Value::Own(std::move(m), GoType::kStringMap);
  return true;
}

bool SplitList(Args a, Value& out, std::string&) {
  const std::string& sep = Str(a[0]);
  const std::string& s = Str(a[1]);
  json l = json::array();
  size_t i = 0;
  if (sep.empty()) {
    for (char c : s) l.push_back(std::string(1, c));
  } else {
    for (size_t at; (at = s.find(sep, i)) != std::string::npos; i = at + sep.size()) {
      l.push_back(s.substr(i, at - i));
    }
    l.push_back(s.substr(i));
  }
  out = Value::Own(std::move(l), GoType::kStringSlice);
  return true;
}

// Sprig's strslice: a list's non-nil elements as strings, or a single value as a list of one.
std::vector<std::string> StrSlice(const Value& v) {
  std::vector<std::string> r;
  if (!v.valid() || v.is_null()) return r;
  if (v.j().is_array()) {
    for (const json& e : v.j()) {
      if (!e.is_null()) r.push_back(GoStringOf(Value::Ref(e)));
    }
    return r;
  }
  r.push_back(GoStringOf(v));
  return r;
}

bool Join(Args a, Value& out, std::string&) {
  std::string r;
  bool first = true;
  for (const std::string& s : StrSlice(a[1])) {
    if (!first) r += Str(a[0]);
    first = false;
    r += s;
  }
  return Ret(out, std::move(r));
}

bool SortAlpha(Args a, Value& out, std::string&) {
  std::vector<std::string> l = StrSlice(a[0]);
  std::sort(l.begin(), l.end());
  out = Value::Own(json(l), GoType::kStringSlice);
  return true;
}

bool ToStrings(Args a, Value& out, std::string&) {
  out = Value::Own(json(StrSlice(a[0])), GoType::kStringSlice);
  return true;
}

bool ToString(Args a, Value& out, std::string&) { return Ret(out, GoStringOf(a[0])); }

// Argo CD's SanitizeName: lower case, [^-a-z0-9.] to '-', at most 253 bytes, trimmed of "-.".
std::string SanitizeName(const std::string& name) {
  std::string s;
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len == 1) {
      char l = ToLower(static_cast<char>(c));
      s += (IsLower(l) || IsDigit(l) || l == '-' || l == '.') ? l : '-';
    } else {
      s += '-';
    }
    i += len;
  }
  if (s.size() > 253) s.resize(253);
  return TrimSet(s, "-.", true, true);
}

bool Normalize(Args a, Value& out, std::string&) { return Ret(out, SanitizeName(Str(a[0]))); }

// Argo CD's SlugifyName([maxSize int], [smartTruncate bool], name): gosimple/slug over the
// sanitized name (which is already lower-case [-a-z0-9.]): '.' becomes '-', runs of '-' collapse,
// leading and trailing '-' go, and the result is cut to maxSize, at a '-' with smart truncation.
bool Slugify(Args a, Value& out, std::string& err) {
  int64_t max_size = 50;
  bool smart = true;
  std::string name;
  for (size_t i = 0; i < a.size(); ++i) {
    Value v = a[i];
    if (i == a.size() - 1) {
      if (!v.valid() || !v.j().is_string()) {
        err = "interface conversion: interface {} is " + GoTypeName(v) + ", not string";
        return false;
      }
      name = Str(v);
    } else if (i == 0) {
      if (!v.valid() || !v.j().is_number_integer()) {
        err = "interface conversion: interface {} is " + GoTypeName(v) + ", not int";
        return false;
      }
      max_size = v.j().get<int64_t>();
    } else if (i == 1) {
      if (!v.valid() || !v.j().is_boolean()) {
        err = "interface conversion: interface {} is " + GoTypeName(v) + ", not bool";
        return false;
      }
      smart = v.j().get<bool>();
    }
  }
  std::string s;
  for (char c : SanitizeName(name)) {
    char d = c == '.' ? '-' : c;
    if (d == '-' && (s.empty() || s.back() == '-')) continue;
    s += d;
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  if (max_size > 0 && static_cast<int64_t>(s.size()) > max_size) {
    if (!smart) {
      s.resize(max_size);
    } else {
      std::string cut;
      size_t start = 0;
      for (;;) {
        size_t dash = s.find('-', start);
        std::string word = s.substr(start, dash == std::string::npos ? dash : dash - start);
        size_t candidate = cut.size() + (cut.empty() ? 0 : 1) + word.size();
        if (static_cast<int64_t>(candidate) > max_size) break;
        if (!cut.empty()) cut += '-';
        cut += word;
        if (dash == std::string::npos) break;
        start = dash + 1;
      }
      s = cut.empty() ? s.substr(0, max_size) : cut;
    }
    while (!s.empty() && s.back() == '-') s.pop_back();
  }
  return Ret(out, std::move(s));
}

// Go's path.Clean: the shortest equivalent slash-separated path.
std::string CleanPath(const std::string& path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    std::string elem = path.substr(i, slash == std::string::npos ? slash : slash - i);
    if (elem == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(elem);
      }
    } else if (!elem.empty() && elem != ".") {
      parts.push_back(elem);
    }
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

bool Base(Args a, Value& out, std::string&) {
  std::string p = Str(a[0]);
  if (p.empty()) return Ret(out, ".");
  while (!p.empty() && p.back() == '/') p.pop_back();
  if (p.empty()) return Ret(out, "/");
  size_t slash = p.rfind('/');
  return Ret(out, slash == std::string::npos ? p : p.substr(slash + 1));
}
bool Dir(Args a, Value& out, std::string&) {
  const std::string& p = Str(a[0]);
  size_t slash = p.rfind('/');
  return Ret(out, CleanPath(slash == std::string::npos ? "" : p.substr(0, slash + 1)));
}
bool Clean(Args a, Value& out, std::string&) { return Ret(out, CleanPath(Str(a[0]))); }
bool Ext(Args a, Value& out, std::string&) {
  const std::string& p = Str(a[0]);
  for (size_t i = p.size(); i-- > 0 && p[i] != '/';) {
    if (p[i] == '.') return Ret(out, p.substr(i));
  }
  return Ret(out, "");
}
bool IsAbs(Args a, Value& out, std::string&) { return RetBool(out, Str(a[0]).starts_with("/")); }

// strings.SplitN into Sprig's "_0", "_1", ... map.
bool SplitN(Args a, Value& out, std::string&) {
  const std::string& sep = Str(a[0]);
  const int64_t n = a[1].j().get<int64_t>();
  const std::string& s = Str(a[2]);
  json m = json::object();
  if (n != 0) {
    size_t i = 0;
    int64_t count = 0;
    for (size_t at;
         (n < 0 || count < n - 1) && !sep.empty() && (at = s.find(sep, i)) != std::string::npos;
         i = at + sep.size()) {
      m["_" + std::to_string(count++)] = s.substr(i, at - i);
    }
    m["_" + std::to_string(count)] = s.substr(i);
  }
  out = Value::Own(std::move(m), GoType::kStringMap);
  return true;
}

bool Plural(Args a, Value& out, std::string&) {
  return Ret(out, a[2].j().get<int64_t>() == 1 ? Str(a[0]) : Str(a[1]));
}

// goutils.Initials: the first character of each space-separated word.
bool Initials(Args a, Value& out, std::string&) {
  std::string r;
  bool at_word_start = true;
  for (char c : Str(a[0])) {
    if (IsAsciiSpace(c)) {
      at_word_start = true;
    } else if (at_word_start) {
      r += c;
      at_word_start = false;
    }
  }
  return Ret(out, std::move(r));
}

// goutils.Abbreviate: at most `width` bytes, ending in "..." when cut; widths below 4 keep s.
bool Abbrev(Args a, Value& out, std::string&) {
  const int64_t width = a[0].j().get<int64_t>();
  const std::string& s = Str(a[1]);
  if (width < 4 || static_cast<int64_t>(s.size()) <= width) return Ret(out, s);
  return Ret(out, s.substr(0, width - 3) + "...");
}

const FuncSpec kStrings[] = {
    {"abbrev", "is", false, Abbrev},
    {"initials", "s", false, Initials},
    {"plural", "ssi", false, Plural},
    {"base", "s", false, Base},
    {"clean", "s", false, Clean},
    {"dir", "s", false, Dir},
    {"ext", "s", false, Ext},
    {"isAbs", "s", false, IsAbs},
    {"splitn", "sis", false, SplitN},
    {"camelcase", "s", false, CamelCase},
    {"cat", "a", true, Cat},
    {"contains", "ss", false, Contains},
    {"hasPrefix", "ss", false, HasPrefix},
    {"hasSuffix", "ss", false, HasSuffix},
    {"indent", "is", false, Indent},
    {"join", "sa", false, Join},
    {"kebabcase", "s", false, KebabCase},
    {"lower", "s", false, Lower},
    {"nindent", "is", false, Nindent},
    {"normalize", "s", false, Normalize},
    {"nospace", "s", false, NoSpace},
    {"quote", "a", true, Quote},
    {"repeat", "is", false, Repeat},
    {"replace", "sss", false, Replace},
    {"slugify", "a", true, Slugify},
    {"snakecase", "s", false, SnakeCase},
    {"sortAlpha", "a", false, SortAlpha},
    {"split", "ss", false, Split},
    {"splitList", "ss", false, SplitList},
    {"squote", "a", true, Squote},
    {"substr", "iis", false, Substr},
    {"swapcase", "s", false, SwapCase},
    {"title", "s", false, Title},
    {"toString", "a", false, ToString},
    {"toStrings", "a", false, ToStrings},
    {"trim", "s", false, Trim},
    {"trimAll", "ss", false, TrimAll},
    {"trimPrefix", "ss", false, TrimPrefix},
    {"trimSuffix", "ss", false, TrimSuffix},
    {"trunc", "is", false, Trunc},
    {"untitle", "s", false, Untitle},
    {"upper", "s", false, Upper},
};

}  // namespace

std::span<const FuncSpec> SprigStringFunctions() { return kStrings; }

}  // namespace fleetsim::gotmpl
