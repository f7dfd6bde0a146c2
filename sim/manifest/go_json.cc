#include "sim/manifest/go_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "sim/manifest/utf8.h"

namespace fleetsim {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendGoString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out += "\\ufffd";  // Go replaces invalid bytes with U+FFFD
      ++i;
      continue;
    }
    if (len == 3 && c == 0xe2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      out += '\\';
      out += c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
}

// strconv.AppendFloat(f, 'f' or 'e', -1, 64) as encoding/json uses it.
std::string GoFloat(double f) {
  char buf[64];
  // Shortest round-trip digits, as "d.ddde±XX".
  const auto res = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  const int exp = std::atoi(sci.c_str() + e_pos + 1);
  const double abs = std::fabs(f);
  std::string out = negative ? "-" : "";
  if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    // Only exponents >= 21 or <= -7 get here. Go writes "e-07" and encoding/json trims it to
    // "e-7", so the exponent is written without padding either way.
    out += exp < 0 ? "e-" : "e+";
    out += std::to_string(std::abs(exp));
    return out;
  }
  if (exp >= 0) {
    const auto int_len = static_cast<size_t>(exp) + 1;
    if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0');
    return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
  }
  return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
}

void AppendGoJson(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.items()) {  // std::map: sorted like Go's map keys
        if (!first) out += ',';
        first = false;
        AppendGoString(out, key);
        out += ':';
        AppendGoJson(out, item);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        AppendGoJson(out, v[i]);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      AppendGoString(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::number_float:
      out += GoFloat(v.get<double>());
      return;
    default:
      out += v.dump();  // null, booleans, integers: same text in Go
  }
}

}  // namespace

Status RoundTripGoNumbers(Json& value) {
  if (value.is_structured()) {
    for (auto& item : value) {
      if (Status s = RoundTripGoNumbers(item); !s.ok()) return s;
    }
    return Status::Ok();
  }
  if (value.is_number_unsigned()) {
    const auto u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      value = static_cast<double>(u);
    } else {
      value = static_cast<int64_t>(u);
    }
    return Status::Ok();
  }
  if (!value.is_number_float()) return Status::Ok();
  const double f = value.get<double>();
  if (std::isnan(f)) return Status::Error("json: unsupported value: NaN");
  if (std::isinf(f))
    return Status::Error(f > 0 ? "json: unsupported value: +Inf" : "json: unsupported value: -Inf");
  // What comes back is what Go's text says: an integral float is written as its shortest digits
  // padded with zeros ("9223372036854775000"), and apimachinery takes that text as an int64 when
  // it fits one.
  if (f == std::trunc(f) && std::fabs(f) < 1e21) {
    const std::string text = GoFloat(f);
    int64_t i = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc() && ptr == text.data() + text.size()) value = i;
  }
  return Status::Ok();
}

std::string GoJsonMarshal(const Json& value) {
  std::string out;
  AppendGoJson(out, value);
  return out;
}

std::string GoValidUtf8(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = Utf8SequenceLength(s, i);
    if (len > 1) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (len == 0 || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string GoJsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::null:
      return "null";
    default:
      return "number";
  }
}

}  // namespace fleetsim
