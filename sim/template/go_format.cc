#include "sim/template/go_format.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/manifest/go_json.h"
#include "sim/manifest/utf8.h"
#include "sim/text/go_text.h"

namespace fleetsim::gotmpl {
namespace {

struct Flags {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  bool wid_present = false, prec_present = false;
  int wid = 0, prec = 0;
};

std::string TypeNameOf(const json& j, GoType type) {
  Value v = Value::Own(j, type);
  return GoTypeName(v);
}

class Printer {
 public:
  explicit Printer(std::string& out) : out_(out) {}

  void Pad(std::string_view s) {
    if (!f_.wid_present || f_.wid == 0) {
      out_ += s;
      return;
    }
    int width = f_.wid - static_cast<int>(DecodeUtf8(s).size());
    if (width <= 0) {
      out_ += s;
      return;
    }
    if (f_.minus) {
      out_ += s;
      out_.append(width, ' ');
    } else {
      out_.append(width, f_.zero ? '0' : ' ');
      out_ += s;
    }
  }

  void BadVerb(char verb, const json& j, GoType type) {
    out_ += "%!";
    out_ += verb;
    out_ += '(';
    if (j.is_null()) {
      out_ += "<nil>";
    } else {
      out_ += TypeNameOf(j, type);
      out_ += '=';
      Flags saved = f_;
      f_ = Flags{};
      Print(j, type, 'v');
      f_ = saved;
    }
    out_ += ')';
  }

  void Integer(uint64_t u, bool negative, int base, char verb) {
    std::string digits;
    const char* table = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
      digits.insert(digits.begin(), table[u % base]);
      u /= base;
    } while (u != 0);
    if (f_.prec_present) {
      if (f_.prec == 0 && digits == "0") digits.clear();
      while (static_cast<int>(digits.size()) < f_.prec) digits.insert(digits.begin(), '0');
    } else if (f_.zero && f_.wid_present && !f_.minus) {
      int want = f_.wid - ((negative || f_.plus || f_.space) ? 1 : 0);
      if (f_.sharp && base == 16) want -= 2;
      while (static_cast<int>(digits.size()) < want) digits.insert(digits.begin(), '0');
    }
    std::string prefix;
    if (f_.sharp) {
      if (base == 16) prefix = verb == 'X' ? "0X" : "0x";
      if (base == 8 && (digits.empty() || digits[0] != '0')) prefix = "0";
      if (base == 2) prefix = "0b";
    }
    if (negative) {
      prefix.insert(prefix.begin(), '-');
    } else if (f_.plus) {
      prefix.insert(prefix.begin(), '+');
    } else if (f_.space) {
      prefix.insert(prefix.begin(), ' ');
    }
    bool zero = f_.zero;
    f_.zero = false;
    Pad(prefix + digits);
    f_.zero = zero;
  }

  void Rune(int64_t r, char verb) {
    std::string s;
    if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
    AppendUtf8(s, static_cast<char32_t>(r));
    if (verb == 'c') {
      Pad(s);
    } else if (verb == 'q') {
      if (r == '\'') {
        Pad("'\\''");
      } else {
        std::string q = GoQuote(s);
        Pad("'" + q.substr(1, q.size() - 2) + "'");
      }
    } else {  // 'U'
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(r));
      std::string u = buf;
      if (f_.sharp) u += " '" + s + "'";
      Pad(u);
    }
  }

  void Int(const json& j, GoType type, char verb) {
    int64_t v = j.is_number_unsigned() ? static_cast<int64_t>(j.get<uint64_t>()) : j.get<int64_t>();
    const bool negative = v < 0;
    uint64_t u = negative ? (~static_cast<uint64_t>(v) + 1) : static_cast<uint64_t>(v);
    switch (verb) {
      case 'v':
      case 'd':
        return Integer(u, negative, 10, verb);
      case 'b':
        return Integer(u, negative, 2, verb);
      case 'o':
      case 'O':
        return Integer(u, negative, 8, verb);
      case 'x':
      case 'X':
        return Integer(u, negative, 16, verb);
      case 'c':
      case 'q':
      case 'U':
        return Rune(v, verb);
      default:
        BadVerb(verb, j, type);
    }
  }

  void Float(double v, const json& j, char verb) {
    int prec = -1;
    char fmt = verb;
    switch (verb) {
      case 'v':
        fmt = 'g';
        break;
      case 'g':
      case 'G':
        break;
      case 'e':
      case 'E':
      case 'f':
        prec = 6;
        break;
      case 'F':
        fmt = 'f';
        prec = 6;
        break;
      default:
        return BadVerb(verb, j, GoType::kAuto);
    }
    if (f_.prec_present) prec = f_.prec;
    std::string num = "+";
    AppendGoFloat(num, v, fmt, prec);
    if (num[1] == '-' || num[1] == '+') num.erase(0, 1);
    if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
      bool zero = f_.zero;
      f_.zero = false;
      if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
      Pad(num);
      f_.zero = zero;
      return;
    }
    if (f_.plus || num[0] != '+') {
      if (f_.zero && f_.wid_present && f_.wid > static_cast<int>(num.size())) {
        out_ += num[0];
        out_.append(f_.wid - num.size(), '0');
        out_.append(num, 1);
        return;
      }
      Pad(num);
      return;
    }
    Pad(std::string_view(num).substr(1));
  }

  void String(const std::string& s, const json& j, char verb) {
    switch (verb) {
      case 'v':
      case 's': {
        if (f_.prec_present) {
          std::u32string runes = DecodeUtf8(s);
          if (static_cast<int>(runes.size()) > f_.prec) {
            std::string cut;
            for (int i = 0; i < f_.prec; ++i) AppendUtf8(cut, runes[i]);
            return Pad(cut);
          }
        }
        return Pad(s);
      }
      case 'q':
        if (f_.sharp && s.find('`') == std::string::npos && s.find('\n') == std::string::npos) {
          return Pad("`" + s + "`");
        }
        return Pad(GoQuote(s));
      case 'x':
      case 'X': {
        const char* table = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        std::string hex;
        for (size_t i = 0; i < s.size(); ++i) {
          if (f_.space && i > 0) hex += ' ';
          if (f_.sharp && (f_.space || i == 0)) hex += verb == 'X' ? "0X" : "0x";
          auto c = static_cast<unsigned char>(s[i]);
          hex += table[c >> 4];
          hex += table[c & 15];
        }
        return Pad(hex);
      }
      default:
        BadVerb(verb, j, GoType::kAuto);
    }
  }

  void Print(const json& j, GoType type, char verb) {
    switch (j.type()) {
      case json::value_t::null:
        if (verb == 'v') return Pad("<nil>");
        return BadVerb(verb, j, type);
      case json::value_t::boolean:
        if (verb == 'v' || verb == 't') return Pad(j.get<bool>() ? "true" : "false");
        return BadVerb(verb, j, type);
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
        return Int(j, type, verb);
      case json::value_t::number_float:
        return Float(j.get<double>(), j, verb);
      case json::value_t::string:
        return String(j.get_ref<const std::string&>(), j, verb);
      case json::value_t::array: {
        out_ += '[';
        bool first = true;
        for (const json& e : j) {
          if (!first) out_ += ' ';
          first = false;
          Print(e, GoType::kAuto, verb);
        }
        out_ += ']';
        return;
      }
      case json::value_t::object: {
        out_ += "map[";
        bool first = true;
        for (const auto& [k, e] : j.items()) {
          if (!first) out_ += ' ';
          first = false;
          Print(json(k), GoType::kAuto, verb);
          out_ += ':';
          Print(e, GoType::kAuto, verb);
        }
        out_ += ']';
        return;
      }
      default:
        out_ += "<?>";
    }
  }

  void PrintArg(const Value& v, char verb) {
    if (verb == 'T') return Pad(v.valid() && !v.is_null() ? GoTypeName(v) : "<nil>");
    if (!v.valid() || v.is_null()) {
      if (verb == 'v') return Pad("<nil>");
      return BadVerb(verb, json(), GoType::kAuto);
    }
    Print(v.j(), v.type(), verb);
  }

  Flags f_;

 private:
  std::string& out_;
};

bool IsStringArg(const Value& v) { return v.valid() && v.j().is_string(); }

// Parses a decimal number at format[i]; returns false if there is none.
bool ParseNum(std::string_view format, size_t& i, int& n) {
  if (i >= format.size() || format[i] < '0' || format[i] > '9') return false;
  n = 0;
  while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
    if (n < 1000000) n = n * 10 + (format[i] - '0');
    ++i;
  }
  return true;
}

// The integer value of a `*` width or precision argument, if it is one.
bool IntArg(const Value& v, int& n) {
  if (!v.valid() || !v.j().is_number_integer()) return false;
  int64_t x = v.j().get<int64_t>();
  if (x > 1000000 || x < -1000000) return false;
  n = static_cast<int>(x);
  return true;
}

}  // namespace

void AppendGoPrint(std::string& out, const Value& v) {
  if (v.valid() && v.j().is_string()) {
    out += v.j().get_ref<const std::string&>();
    return;
  }
  Printer(out).PrintArg(v, 'v');
}

std::string GoSprint(std::span<const Value> args) {
  std::string out;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = IsStringArg(args[i]);
    if (i > 0 && !is_string && !prev_string) out += ' ';
    AppendGoPrint(out, args[i]);
    prev_string = is_string;
  }
  return out;
}

std::string GoSprintln(std::span<const Value> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ' ';
    AppendGoPrint(out, args[i]);
  }
  out += '\n';
  return out;
}

std::string GoSprintf(std::string_view format, std::span<const Value> args) {
  std::string out;
  Printer p(out);
  size_t arg = 0;
  size_t i = 0;
  while (i < format.size()) {
    size_t next = format.find('%', i);
    if (next == std::string_view::npos) next = format.size();
    out.append(format.substr(i, next - i));
    i = next;
    if (i >= format.size()) break;
    ++i;  // past '%'
    p.f_ = Flags{};
    for (; i < format.size(); ++i) {
      char c = format[i];
      if (c == '#') {
        p.f_.sharp = true;
      } else if (c == '0') {
        p.f_.zero = !p.f_.minus;
      } else if (c == '+') {
        p.f_.plus = true;
      } else if (c == '-') {
        p.f_.minus = true;
        p.f_.zero = false;
      } else if (c == ' ') {
        p.f_.space = true;
      } else {
        break;
      }
    }
    if (i < format.size() && format[i] == '*') {
      ++i;
      if (arg < args.size() && IntArg(args[arg], p.f_.wid)) {
        p.f_.wid_present = true;
        if (p.f_.wid < 0) {
          p.f_.minus = true;
          p.f_.zero = false;
          p.f_.wid = -p.f_.wid;
        }
      } else {
        out += "%!(BADWIDTH)";
      }
      ++arg;
    } else {
      p.f_.wid_present = ParseNum(format, i, p.f_.wid);
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      if (i < format.size() && format[i] == '*') {
        ++i;
        if (arg < args.size() && IntArg(args[arg], p.f_.prec) && p.f_.prec >= 0) {
          p.f_.prec_present = true;
        } else {
          p.f_.prec_present = false;
          out += "%!(BADPREC)";
        }
        ++arg;
      } else {
        if (!ParseNum(format, i, p.f_.prec)) p.f_.prec = 0;
        p.f_.prec_present = true;
      }
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    size_t len = Utf8SequenceLength(format, i);
    if (len == 0) len = 1;
    std::string_view verb_text = format.substr(i, len);
    i += len;
    char verb = len == 1 ? verb_text[0] : '?';
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (arg >= args.size()) {
      out += "%!";
      out += verb_text;
      out += "(MISSING)";
      continue;
    }
    if (len != 1) {
      out += "%!";
      out += verb_text;
      out += '(';
      const Value& v = args[arg++];
      if (!v.valid() || v.is_null()) {
        out += "<nil>";
      } else {
        out += GoTypeName(v) + "=";
        AppendGoPrint(out, v);
      }
      out += ')';
      continue;
    }
    p.PrintArg(args[arg++], verb);
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out += ", ";
      const Value& v = args[k];
      if (!v.valid() || v.is_null()) {
        out += "<nil>";
        continue;
      }
      out += GoTypeName(v) + "=";
      AppendGoPrint(out, v);
    }
    out += ')';
  }
  return out;
}

std::string GoStringOf(const Value& v) {
  std::string out;
  AppendGoPrint(out, v);
  return out;
}

std::string GoTypeName(const Value& v, bool static_type) {
  if (static_type && v.boxed()) return "interface {}";
  switch (v.type()) {
    case GoType::kInt64:
      return "int64";
    case GoType::kUint8:
      return "uint8";
    case GoType::kStringSlice:
      return "[]string";
    case GoType::kStringMap:
      return "map[string]string";
    case GoType::kAuto:
      break;
  }
  if (!v.valid()) return "<nil>";
  return std::string(GoJsonTypeName(v.j(), "interface {}"));
}

}  // namespace fleetsim::gotmpl
