#include "tests/argocd/test_objects.h"

#include <yaml-cpp/yaml.h>

#include "sim/manifest/json.h"

namespace fleetsim::testing {
namespace {

Json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = ToJson(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return node.as<std::string>();
    default:
      return nullptr;
  }
}

}  // namespace

std::vector<ObjectPtr> FromYaml(const std::string& yaml) {
  std::vector<ObjectPtr> out;
  for (const YAML::Node& doc : YAML::LoadAll(yaml)) {
    if (doc.IsMap()) out.push_back(std::make_shared<const Object>(ToJson(doc)));
  }
  return out;
}

ObjectPtr MakeObject(const std::string& api_version, const std::string& kind,
                     const std::string& name, const std::string& ns,
                     const std::map<std::string, std::string>& annotations) {
  Json doc = {{"apiVersion", api_version}, {"kind", kind}, {"metadata", {{"name", name}}}};
  if (!ns.empty()) doc["metadata"]["namespace"] = ns;
  if (!annotations.empty()) doc["metadata"]["annotations"] = annotations;
  return std::make_shared<const Object>(std::move(doc));
}

ObjectPtr MakeCrd(const std::string& group, const std::string& kind) {
  Json doc = {{"apiVersion", "apiextensions.k8s.io/v1"},
              {"kind", "CustomResourceDefinition"},
              {"metadata", {{"name", kind + "s." + group}}},
              {"spec", {{"group", group}, {"names", {{"kind", kind}}}}}};
  return std::make_shared<const Object>(std::move(doc));
}

ObjectPtr Annotate(const ObjectPtr& obj, const std::string& key, const std::string& value) {
  Json doc = obj->doc();
  doc["metadata"]["annotations"][key] = value;
  return std::make_shared<const Object>(std::move(doc));
}

}  // namespace fleetsim::testing
