#include "sim/manifest/yaml_scalar.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <vector>

#include "sim/manifest/go_json.h"

namespace fleetsim {
namespace {

using json = Json;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

struct Word {
  std::string_view text;
  json value;
};

// go-yaml v2's table of plain words, looked up before any number parsing.
const std::vector<Word>& Words() {
  static const std::vector<Word> kWords = {
      {"y", true},
      {"Y", true},
      {"yes", true},
      {"Yes", true},
      {"YES", true},
      {"true", true},
      {"True", true},
      {"TRUE", true},
      {"on", true},
      {"On", true},
      {"ON", true},
      {"n", false},
      {"N", false},
      {"no", false},
      {"No", false},
      {"NO", false},
      {"false", false},
      {"False", false},
      {"FALSE", false},
      {"off", false},
      {"Off", false},
      {"OFF", false},
      {"~", nullptr},
      {"null", nullptr},
      {"Null", nullptr},
      {"NULL", nullptr},
      {".nan", std::numeric_limits<double>::quiet_NaN()},
      {".NaN", std::numeric_limits<double>::quiet_NaN()},
      {".NAN", std::numeric_limits<double>::quiet_NaN()},
      {".inf", std::numeric_limits<double>::infinity()},
      {".Inf", std::numeric_limits<double>::infinity()},
      {".INF", std::numeric_limits<double>::infinity()},
      {"+.inf", std::numeric_limits<double>::infinity()},
      {"+.Inf", std::numeric_limits<double>::infinity()},
      {"+.INF", std::numeric_limits<double>::infinity()},
      {"-.inf", -std::numeric_limits<double>::infinity()},
      {"-.Inf", -std::numeric_limits<double>::infinity()},
      {"-.INF", -std::numeric_limits<double>::infinity()},
  };
  return kWords;
}

// go-yaml's first-character hint: 'S' sign, 'D' digit, 'M' may be a word, '.' may be a float,
// 0 certainly a string.
char Hint(char c) {
  if (c == '+' || c == '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) return 'M';
  return c == '.' ? '.' : 0;
}

bool IsDigits(std::string_view s, size_t& i) {
  const size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

// go-yaml's yamlStyleFloat: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!IsDigits(s, i)) return false;
  } else {
    if (!IsDigits(s, i)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      IsDigits(s, i);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (!IsDigits(s, i)) return false;
  }
  return i == s.size();
}

// strconv.ParseUint(s, 0, 64): a 0x/0o/0b prefix or a leading 0 (octal) picks the base.
std::optional<uint64_t> ParseGoUint(std::string_view s) {
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    const char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16, s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8, s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2, s.remove_prefix(2);
    } else {
      base = 8, s.remove_prefix(1);
    }
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// strconv.ParseInt(s, 0, 64).
std::optional<int64_t> ParseGoInt(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const std::optional<uint64_t> u = ParseGoUint(s);
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!u || *u > kMax + (negative ? 1 : 0)) return std::nullopt;
  if (negative)
    return *u == kMax + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(*u);
  return static_cast<int64_t>(*u);
}

// strconv.ParseFloat on a yamlStyleFloat: fails only on overflow (underflow gives 0).
std::optional<double> ParseYamlFloat(std::string_view s) {
  if (!IsYamlStyleFloat(s)) return std::nullopt;
  const std::string text(s);
  errno = 0;
  const double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

std::string_view TypeTag(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "bool";
  if (v.is_number_integer()) return "int";
  if (v.is_number_float()) return "float";
  return "str";
}

// strconv.FormatFloat(float64(f), 'g', -1, 32): shortest digits that identify the float32, %e
// form when the exponent is < -4 or >= 6.
std::string GoFloat32G(double value) {
  const auto f = static_cast<float>(value);
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  if (digits.size() > 1) digits.erase(1, 1);
  const int exp = std::atoi(sci.c_str() + e_pos + 1);
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int e = std::abs(exp);
    out += std::string(exp < 0 ? "e-" : "e+") + (e < 10 ? "0" : "") + std::to_string(e);
    return out;
  }
  if (exp < 0) return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  const auto int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0');
  return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

// encoding/base64's StdEncoding.DecodeString, which skips '\r' and '\n' and wants padding.
std::optional<std::string> DecodeBase64(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string clean;
  for (char c : text) {
    if (c != '\r' && c != '\n') clean += c;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 4) {
    size_t pad = 0;
    if (i + 4 == clean.size() && clean[i + 3] == '=') pad = clean[i + 2] == '=' ? 2 : 1;
    uint32_t group = 0;
    for (size_t k = 0; k < 4; ++k) {
      const size_t v = k < 4 - pad ? kAlphabet.find(clean[i + k]) : 0;
      if (v == std::string_view::npos) return std::nullopt;
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    for (size_t b = 0; b < 3 - pad; ++b) out += static_cast<char>((group >> (16 - 8 * b)) & 0xff);
  }
  return out;
}

}  // namespace

json ResolvePlainScalar(std::string_view text) {
  if (text.empty()) return nullptr;
  const char hint = Hint(text[0]);
  if (hint == 0) return std::string(text);
  for (const Word& w : Words()) {
    if (w.text == text) return w.value;
  }
  if (hint == '.') {
    if (std::optional<double> f = ParseYamlFloat(text)) return *f;
    return std::string(text);
  }
  if (hint == 'M') return std::string(text);
  std::string plain(text);
  std::erase(plain, '_');
  if (std::optional<int64_t> i = ParseGoInt(plain)) return *i;
  if (std::optional<uint64_t> u = ParseGoUint(plain)) return *u;
  if (std::optional<double> f = ParseYamlFloat(plain)) return *f;
  return std::string(text);
}

Result<json> ResolveTaggedScalar(std::string_view tag, std::string_view text) {
  if (!tag.starts_with(kCoreTagPrefix)) return json(std::string(text));
  const std::string_view want = tag.substr(kCoreTagPrefix.size());
  if (want == "binary") {
    std::optional<std::string> bytes = DecodeBase64(text);
    if (!bytes) return Status::Error("!!binary value contains invalid base64 data");
    return json(GoValidUtf8(*bytes));
  }
  if (want != "int" && want != "float" && want != "bool" && want != "null") {
    return json(std::string(text));  // !!str, !!timestamp, ...: the text
  }
  json v = ResolvePlainScalar(text);
  const std::string_view got = TypeTag(v);
  if (got == want) return v;
  if (want == "float" && got == "int") {
    return json(v.is_number_unsigned() ? static_cast<double>(v.get<uint64_t>())
                                       : static_cast<double>(v.get<int64_t>()));
  }
  return Status::Error("cannot decode !!" + std::string(got) + " `" + std::string(text) +
                       "` as a !!" + std::string(want));
}

Result<std::string> JsonKeyOf(const json& key) {
  switch (key.type()) {
    case json::value_t::string:
      return key.get<std::string>();
    case json::value_t::boolean:
      return std::string(key.get<bool>() ? "true" : "false");
    case json::value_t::number_integer:
      return std::to_string(key.get<int64_t>());
    case json::value_t::number_float: {
      const double f = key.get<double>();
      if (std::isnan(f)) return std::string(".nan");
      if (std::isinf(f)) return std::string(f > 0 ? ".inf" : "-.inf");
      return GoFloat32G(f);
    }
    case json::value_t::number_unsigned: {
      char buf[24];
      const auto res = std::to_chars(buf, buf + sizeof(buf), key.get<uint64_t>(), 16);
      return Status::Error("unsupported map key of type: uint64, key: 0x" +
                           std::string(buf, res.ptr));
    }
    case json::value_t::null:
      return Status::Error("unsupported map key of type: %!s(<nil>), key: <nil>");
    default:
      return Status::Error("invalid map key: " + key.dump());
  }
}

}  // namespace fleetsim
