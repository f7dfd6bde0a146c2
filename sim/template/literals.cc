#include "sim/template/literals.h"

#include <cstdint>

#include "sim/manifest/utf8.h"

namespace fleetsim::gotmpl {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool UnquoteGoLiteralBody(std::string_view body, char quote, std::string& out) {
  out.clear();
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == quote || c == '\n') return false;
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (++i >= body.size()) return false;
    char e = body[i++];
    switch (e) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '\'':
      case '"':
        if (e != quote) return false;
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > body.size()) return false;
        uint32_t v = 0;
        for (size_t k = 0; k < n; ++k) {
          int d = HexDigit(body[i + k]);
          if (d < 0) return false;
          v = v * 16 + static_cast<uint32_t>(d);
        }
        i += n;
        if (e == 'x') {
          out += static_cast<char>(v);
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
          AppendUtf8(out, static_cast<char32_t>(v));
        }
        break;
      }
      default: {
        if (e < '0' || e > '7' || i + 2 > body.size()) return false;
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (size_t k = 0; k < 2; ++k) {
          char d = body[i + k];
          if (d < '0' || d > '7') return false;
          v = v * 8 + static_cast<uint32_t>(d - '0');
        }
        if (v > 255) return false;
        i += 2;
        out += static_cast<char>(v);
      }
    }
  }
  return true;
}

bool GoUnquote(std::string_view quoted, std::string& out) {
  if (quoted.size() < 2 || quoted.front() != quoted.back()) return false;
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quoted.front() == '`') {
    if (body.find('`') != std::string_view::npos) return false;
    out.clear();
    for (char c : body) {
      if (c != '\r') out += c;
    }
    return true;
  }
  if (quoted.front() != '"') return false;
  return UnquoteGoLiteralBody(body, '"', out);
}

// strconv.ParseInt / ParseUint with base 0: sign, 0x 0o 0b or leading-0 octal, underscores.
bool ParseGoInteger(std::string_view s, bool allow_sign, bool& negative, uint64_t& magnitude) {
  negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (!allow_sign) return false;
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
  if (s.empty()) return base == 8;  // "0" alone
  magnitude = 0;
  bool digit_seen = false;
  for (char c : s) {
    if (c == '_') continue;
    int d = c >= '0' && c <= '9'                     ? c - '0'
            : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                     : 99;
    if (d >= base) return false;
    if (magnitude > (UINT64_MAX - d) / base) return false;
    magnitude = magnitude * base + d;
    digit_seen = true;
  }
  return digit_seen;
}

}  // namespace fleetsim::gotmpl
