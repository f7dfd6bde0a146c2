#include "sim/template/go_yaml.h"

#include <charconv>
#include <string_view>

#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

using json = Json;

bool IsYamlNumber(std::string_view s) {
  if (s.empty()) return false;
  std::string_view t = s;
  if (t[0] == '+' || t[0] == '-') t.remove_prefix(1);
  if (t == ".inf" || t == ".Inf" || t == ".INF") return true;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  if (t.empty()) return false;
  bool digit = false, dot = false, exp = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '_' && digit) {
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digit && !exp) {
      exp = true;
      if (i + 1 < t.size() && (t[i + 1] == '+' || t[i + 1] == '-')) ++i;
    } else if (i == 1 && t[0] == '0' && (c == 'x' || c == 'o' || c == 'b')) {
    } else if (t.size() > 2 && t[1] == 'x' && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
    } else {
      return false;
    }
  }
  return digit;
}

// go-yaml v2 resolves this plain scalar to something other than a string.
bool ResolvesToNonString(std::string_view s) {
  static constexpr std::string_view kWords[] = {
      "",      "~",     "null",  "Null", "NULL", "y",  "Y",    "yes",  "Yes",
      "YES",   "n",     "N",     "no",   "No",   "NO", "true", "True", "TRUE",
      "false", "False", "FALSE", "on",   "On",   "ON", "off",  "Off",  "OFF"};
  for (std::string_view w : kWords) {
    if (s == w) return true;
  }
  return IsYamlNumber(s);
}

bool PlainAllowed(std::string_view s) {
  if (s.empty()) return false;
  const char first = s[0];
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) {
    if (!((first == '-' || first == '?' || first == ':') && s.size() > 1 && s[1] != ' ')) {
      return false;
    }
  }
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (s[i] == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (s[i] == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  return true;
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void Scalar(std::string& out, const std::string& s, int indent) {
  if (s.find('\n') != std::string::npos) {
    size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    const std::string pad(indent + 2, ' ');
    size_t start = 0;
    std::string_view body(s);
    if (trailing == 1) body.remove_suffix(1);
    while (start <= body.size()) {
      size_t nl = body.find('\n', start);
      std::string_view line = body.substr(start, nl == std::string_view::npos ? nl : nl - start);
      out += '\n';
      if (!line.empty()) out += pad;
      out += line;
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
    return;
  }
  if (ResolvesToNonString(s)) {
    out += DoubleQuoted(s);
  } else if (PlainAllowed(s)) {
    out += s;
  } else {
    std::string q = "'";
    for (char c : s) {
      q += c;
      if (c == '\'') q += '\'';
    }
    out += q + "'";
  }
}

void Emit(std::string& out, const json& v, int indent);

void EmitInline(std::string& out, const json& v, int indent) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<int64_t>());
      return;
    case json::value_t::number_float: {
      double f = v.get<double>();
      if (f == static_cast<double>(static_cast<int64_t>(f)) && std::abs(f) < 1e18) {
        out += std::to_string(static_cast<int64_t>(f));
      } else {
        AppendGoFloat(out, f, 'g', -1);
      }
      return;
    }
    case json::value_t::string:
      Scalar(out, v.get_ref<const std::string&>(), indent);
      return;
    default:
      out += v.is_array() ? "[]" : "{}";
  }
}

void Emit(std::string& out, const json& v, int indent) {
  const std::string pad(indent, ' ');
  if (v.is_object() && !v.empty()) {
    bool first = true;
    for (const auto& [k, e] : v.items()) {
      if (!first) out += pad;
      first = false;
      Scalar(out, k, indent);
      out += ':';
      if ((e.is_object() || e.is_array()) && !e.empty()) {
        out += '\n';
        if (e.is_object()) {
          out += std::string(indent + 2, ' ');
          Emit(out, e, indent + 2);
        } else {
          out += pad;
          Emit(out, e, indent);
        }
      } else {
        out += ' ';
        EmitInline(out, e, indent);
        out += '\n';
      }
    }
    return;
  }
  if (v.is_array() && !v.empty()) {
    bool first = true;
    for (const json& e : v) {
      if (!first) out += pad;
      first = false;
      out += "- ";
      if ((e.is_object() || e.is_array()) && !e.empty()) {
        Emit(out, e, indent + 2);
      } else {
        EmitInline(out, e, indent);
        out += '\n';
      }
    }
    return;
  }
  EmitInline(out, v, indent);
  out += '\n';
}

}  // namespace

std::string GoYamlMarshal(const json& value) {
  std::string out;
  Emit(out, value, 0);
  return out;
}

}  // namespace fleetsim::gotmpl
