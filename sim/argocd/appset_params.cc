#include "sim/argocd/appset_params.h"

#include <charconv>
#include <cmath>

namespace fleetsim {
namespace {

// One '/'-free piece of path.Match: a character class at `p` (after '['); advances p past ']'.
// Returns false on a malformed class.
bool MatchClass(std::string_view pattern, size_t& p, char c, bool* matched) {
  bool negated = p < pattern.size() && (pattern[p] == '^' || pattern[p] == '!');
  if (negated) ++p;
  bool found = false;
  bool first = true;
  while (true) {
    if (p >= pattern.size()) return false;
    if (pattern[p] == ']' && !first) {
      ++p;
      break;
    }
    first = false;
    char lo = pattern[p];
    if (lo == '\\') {
      if (++p >= pattern.size()) return false;
      lo = pattern[p];
    }
    ++p;
    char hi = lo;
    if (p + 1 < pattern.size() && pattern[p] == '-' && pattern[p + 1] != ']') {
      hi = pattern[p + 1];
      if (hi == '\\') {
        if (p + 2 >= pattern.size()) return false;
        hi = pattern[p + 2];
        ++p;
      }
      p += 2;
    }
    if (lo <= c && c <= hi) found = true;
  }
  *matched = found != negated;
  return true;
}

bool MatchFrom(std::string_view pattern, size_t p, std::string_view name, size_t n) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      for (size_t k = n;; ++k) {
        if (MatchFrom(pattern, p, name, k)) return true;
        if (k >= name.size() || name[k] == '/') return false;
      }
    }
    if (n >= name.size()) return false;
    if (pc == '?') {
      if (name[n] == '/') return false;
      ++p;
    } else if (pc == '[') {
      ++p;
      bool matched = false;
      if (name[n] == '/' || !MatchClass(pattern, p, name[n], &matched) || !matched) return false;
    } else {
      if (pc == '\\') {
        if (++p >= pattern.size()) return false;
        pc = pattern[p];
      }
      if (pc != name[n]) return false;
      ++p;
    }
    ++n;
  }
  return n == name.size();
}

void Flatten(const Json& value, const std::string& prefix, Json& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [k, v] : value.items()) Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (value.is_array() && !value.empty()) {
    for (size_t i = 0; i < value.size(); ++i) {
      std::string key = std::to_string(i);
      Flatten(value[i], prefix.empty() ? key : prefix + "." + key, out);
    }
  } else {
    out[prefix] = GoPrintValue(value);
  }
}

// strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses for float64.
std::string GoFloat(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  std::string sci(buf, r.ptr);  // d.ddde±XX
  size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out = negative ? "-" : "";
  // The shortest form uses an exponent when it is below -4 or at least 6 (strconv's eprec = 6).
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof(eb), "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + eb;
  }
  if (exp < 0) return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  size_t int_digits = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_digits)
    return out + digits + std::string(int_digits - digits.size(), '0');
  return out + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

void AddPathParams(ParamSet& params, const std::string& dir, const std::string& prefix) {
  std::string name = prefix.empty() ? "path" : prefix + ".path";
  params[name] = dir;
  params[name + ".basename"] = PathBase(dir);
  params[name + ".basenameNormalized"] = SanitizeName(PathBase(dir));
  size_t start = 0;
  for (int k = 0;; ++k) {
    size_t slash = dir.find('/', start);
    std::string segment =
        dir.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!segment.empty()) params[name + "[" + std::to_string(k) + "]"] = segment;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

Json Segments(const std::string& dir) {
  Json out = Json::array();
  size_t start = 0;
  while (true) {
    size_t slash = dir.find('/', start);
    out.push_back(
        dir.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

void SetGoPath(ParamSet& params, Json path, const std::string& prefix) {
  if (prefix.empty()) {
    params["path"] = std::move(path);
  } else {
    params[prefix] = {{"path", std::move(path)}};
  }
}

}  // namespace

std::string SanitizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c >= 0x80) {
      // One rune outside the class: skip its continuation bytes.
      while (i + 1 < name.size() && (static_cast<unsigned char>(name[i + 1]) & 0xC0) == 0x80) ++i;
      out += '-';
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    out += ok ? static_cast<char>(c) : '-';
  }
  if (out.size() > 253) out.resize(253);
  size_t b = out.find_first_not_of("-.");
  if (b == std::string::npos) return "";
  size_t e = out.find_last_not_of("-.");
  return out.substr(b, e - b + 1);
}

bool GoPathMatch(std::string_view pattern, std::string_view name) {
  return MatchFrom(pattern, 0, name, 0);
}

std::string PathDir(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string PathBase(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return ".";
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

ParamSet DirectoryParams(const std::string& dir, const std::string& prefix, bool go_template) {
  ParamSet params = Json::object();
  if (go_template) {
    Json path = {{"path", dir},
                 {"basename", PathBase(dir)},
                 {"basenameNormalized", SanitizeName(PathBase(dir))},
                 {"segments", Segments(dir)}};
    SetGoPath(params, std::move(path), prefix);
  } else {
    AddPathParams(params, dir, prefix);
  }
  return params;
}

Result<ParamSet> FileParams(const std::string& file, const Json& object, const std::string& prefix,
                            bool go_template) {
  std::string dir = PathDir(file);
  std::string filename = PathBase(file);
  ParamSet params = Json::object();
  if (go_template) {
    params = object;
    Json path = {{"path", dir},
                 {"basename", PathBase(dir)},
                 {"filename", filename},
                 {"basenameNormalized", SanitizeName(PathBase(dir))},
                 {"filenameNormalized", SanitizeName(filename)},
                 {"segments", Segments(dir)}};
    SetGoPath(params, std::move(path), prefix);
    return params;
  }
  params = FlattenToStrings(object);
  AddPathParams(params, dir, prefix);
  std::string name = prefix.empty() ? "path" : prefix + ".path";
  params[name + ".filename"] = filename;
  params[name + ".filenameNormalized"] = SanitizeName(filename);
  return params;
}

ParamSet ClusterParams(const AppSetCluster& cluster, bool go_template) {
  ParamSet params = {{"name", cluster.name},
                     {"nameNormalized", SanitizeName(cluster.name)},
                     {"server", cluster.server},
                     {"project", cluster.project}};
  if (go_template) {
    Json meta = Json::object();
    if (!cluster.annotations.empty()) meta["annotations"] = cluster.annotations;
    if (!cluster.labels.empty()) meta["labels"] = cluster.labels;
    params["metadata"] = std::move(meta);
  } else {
    for (const auto& [k, v] : cluster.annotations) params["metadata.annotations." + k] = v;
    for (const auto& [k, v] : cluster.labels) params["metadata.labels." + k] = v;
  }
  return params;
}

ParamSet LocalClusterParams() {
  return {{"name", "in-cluster"},
          {"nameNormalized", "in-cluster"},
          {"server", "https://kubernetes.default.svc"},
          {"project", ""}};
}

Json FlattenToStrings(const Json& object) {
  Json out = Json::object();
  if (object.is_object()) {
    for (const auto& [k, v] : object.items()) Flatten(v, k, out);
  }
  return out;
}

std::string GoPrintValue(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "<nil>";
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return GoFloat(value.get<double>());
    case Json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        if (!first) out += " ";
        first = false;
        out += k + ":" + GoPrintValue(v);
      }
      return out + "]";
    }
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out += " ";
        out += GoPrintValue(value[i]);
      }
      return out + "]";
    }
    default:
      return "";
  }
}

void MergeOverride(Json& dst, const Json& src) {
  if (!src.is_object()) return;
  for (const auto& [k, v] : src.items()) {
    auto it = dst.find(k);
    if (it != dst.end() && it->is_object() && v.is_object()) {
      MergeOverride(*it, v);
    } else if (!v.is_null() && !(v.is_string() && v.get<std::string>().empty())) {
      dst[k] = v;
    } else if (it == dst.end()) {
      dst[k] = v;
    }
  }
}

}  // namespace fleetsim
