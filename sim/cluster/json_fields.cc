#include "sim/cluster/json_fields.h"

#include <cmath>

namespace fleetsim {

const nlohmann::json& JsonAt(const nlohmann::json& doc, JsonPath path) {
  static const nlohmann::json kNull;
  const nlohmann::json* at = &doc;
  for (std::string_view part : path) {
    if (!at->is_object()) return kNull;
    auto it = at->find(part);
    if (it == at->end()) return kNull;
    at = &*it;
  }
  return *at;
}

std::optional<int64_t> IntAt(const nlohmann::json& doc, JsonPath path) {
  const nlohmann::json& v = JsonAt(doc, path);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

int64_t IntAt(const nlohmann::json& doc, JsonPath path, int64_t fallback) {
  return IntAt(doc, path).value_or(fallback);
}

std::string StringAt(const nlohmann::json& doc, JsonPath path) {
  const nlohmann::json& v = JsonAt(doc, path);
  return v.is_string() ? v.get<std::string>() : std::string();
}

bool BoolAt(const nlohmann::json& doc, JsonPath path) {
  const nlohmann::json& v = JsonAt(doc, path);
  return v.is_boolean() && v.get<bool>();
}

std::map<std::string, std::string> StringMapAt(const nlohmann::json& doc, JsonPath path) {
  std::map<std::string, std::string> out;
  const nlohmann::json& v = JsonAt(doc, path);
  if (!v.is_object()) return out;
  for (const auto& [key, value] : v.items()) {
    if (value.is_string()) out.emplace(key, value.get<std::string>());
  }
  return out;
}

const nlohmann::json* FindCondition(const nlohmann::json& doc, JsonPath path,
                                    std::string_view type) {
  const nlohmann::json& list = JsonAt(doc, path);
  if (!list.is_array()) return nullptr;
  for (const nlohmann::json& c : list) {
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
