#include "sim/cluster/json_fields.h"

#include <cmath>

namespace fleetsim {

const Json& JsonAt(const Json& doc, JsonPath path) {
  static const Json kNull;
  const Json* at = &doc;
  for (std::string_view part : path) {
    if (!at->is_object()) return kNull;
    auto it = at->find(part);
    if (it == at->end()) return kNull;
    at = &*it;
  }
  return *at;
}

std::optional<int64_t> IntAt(const Json& doc, JsonPath path) {
  const Json& v = JsonAt(doc, path);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

int64_t IntAt(const Json& doc, JsonPath path, int64_t fallback) {
  return IntAt(doc, path).value_or(fallback);
}

std::string StringAt(const Json& doc, JsonPath path) {
  const Json& v = JsonAt(doc, path);
  return v.is_string() ? v.get<std::string>() : std::string();
}

bool BoolAt(const Json& doc, JsonPath path) {
  const Json& v = JsonAt(doc, path);
  return v.is_boolean() && v.get<bool>();
}

std::map<std::string, std::string> StringMapAt(const Json& doc, JsonPath path) {
  std::map<std::string, std::string> out;
  const Json& v = JsonAt(doc, path);
  if (!v.is_object()) return out;
  for (const auto& [key, value] : v.items()) {
    if (value.is_string()) out.emplace(key, value.get<std::string>());
  }
  return out;
}

const Json* FindCondition(const Json& doc, JsonPath path, std::string_view type) {
  const Json& list = JsonAt(doc, path);
  if (!list.is_array()) return nullptr;
  for (const Json& c : list) {
    if (c.is_object() && StringAt(c, {"type"}) == type) return &c;
  }
  return nullptr;
}

std::string GvkString(std::string_view api_version, std::string_view kind) {
  std::string gv(api_version);
  if (gv.find('/') == std::string::npos) gv = "/" + gv;
  return gv + ", Kind=" + std::string(kind);
}

}  // namespace fleetsim
