#include "sim/git/image_edit.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "sim/git/yaml_documents.h"

namespace fleetsim {
namespace {

constexpr std::string_view kKeepExisting = "*";

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// spec.template.spec of a workload's spec.
std::optional<YAML::Node> TemplateSpec(const YAML::Node& spec) {
  std::optional<YAML::Node> pod_template = MapGet(spec, "template");
  return pod_template ? MapGet(*pod_template, "spec") : std::nullopt;
}

// The pod spec of a workload document, or nullopt for other kinds. (Never assign to an engaged
// std::optional<YAML::Node>: Node's assignment writes through to the document.)
std::optional<YAML::Node> PodSpec(const YAML::Node& doc) {
  static constexpr std::array<std::string_view, 7> kTemplated = {
      "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
      "Job",        "Rollout"};
  const std::string kind = MapGetScalar(doc, "kind");
  std::optional<YAML::Node> spec = MapGet(doc, "spec");
  if (!spec) return std::nullopt;
  if (kind == "Pod") return spec;
  if (kind == "CronJob") {
    std::optional<YAML::Node> job = MapGet(*spec, "jobTemplate");
    std::optional<YAML::Node> job_spec = job ? MapGet(*job, "spec") : std::nullopt;
    return job_spec ? TemplateSpec(*job_spec) : std::nullopt;
  }
  if (std::find(kTemplated.begin(), kTemplated.end(), kind) == kTemplated.end()) {
    return std::nullopt;
  }
  return TemplateSpec(*spec);
}

int SetInPodSpec(const YAML::Node& pod_spec, std::string_view container, std::string_view image) {
  int matched = 0;
  for (const std::string_view list : {"initContainers", "containers"}) {
    std::optional<YAML::Node> containers = MapGet(pod_spec, list);
    if (!containers || !containers->IsSequence()) continue;
    for (YAML::Node c : *containers) {
      if (c.IsMap() && MapGetScalar(c, "name") == container) {
        c["image"] = StringNode(std::string(image));
        ++matched;
      }
    }
  }
  return matched;
}

// A kustomization's images entries by name: kustomize keeps one per name (the last), sorted.
using ImagesByName = std::map<std::string, YAML::Node>;

// Stores `value` under `key`, rebinding rather than assigning (which would write through).
void Put(ImagesByName& map, const std::string& key, const YAML::Node& value) {
  auto [it, inserted] = map.try_emplace(key, value);
  if (!inserted) it->second.reset(value);
}

Result<ImagesByName> ReadImages(const YAML::Node& kustomization) {
  ImagesByName by_name;
  std::optional<YAML::Node> images = MapGet(kustomization, "images");
  if (!images || images->IsNull()) return by_name;
  if (!images->IsSequence()) return Status::Error("images is not a list");
  for (const YAML::Node& entry : *images) {
    if (!entry.IsMap()) return Status::Error("an entry of images is not a map");
    Put(by_name, MapGetScalar(entry, "name"), entry);
  }
  return by_name;
}

// The kustomize image entry for `name` after the edit, given the entry it replaces (if any).
YAML::Node NewImageEntry(std::string_view name, const ImageRef& ref,
                         const std::optional<YAML::Node>& old) {
  const auto pick = [&old](const std::string& given, std::string_view field) {
    if (given != kKeepExisting) return given;
    return old ? MapGetScalar(*old, field) : std::string();
  };
  const std::string new_name = pick(ref.name, "newName");
  const std::string new_tag = pick(ref.tag, "newTag");
  const std::string digest = pick(ref.digest, "digest");
  // Keys in the order kustomize writes them (sorted).
  YAML::Node entry(YAML::NodeType::Map);
  if (!digest.empty()) entry["digest"] = StringNode(digest);
  entry["name"] = StringNode(std::string(name));
  if (!new_name.empty()) entry["newName"] = StringNode(new_name);
  if (!new_tag.empty()) entry["newTag"] = StringNode(new_tag);
  return entry;
}

}  // namespace

ImageRef SplitImageRef(std::string_view image) {
  // A ':' before the first '/' belongs to a registry port, not a tag.
  const size_t slash = image.find('/');
  const size_t search_from = slash == std::string_view::npos ? 0 : slash;
  const size_t at = image.find('@', search_from);
  const size_t colon = image.find(':', search_from);
  ImageRef ref;
  if (at != std::string_view::npos && (colon == std::string_view::npos || at < colon)) {
    ref.name = image.substr(0, at);
    ref.digest = image.substr(at + 1);
  } else if (colon != std::string_view::npos) {
    ref.name = image.substr(0, colon);
    const size_t tag_end = at == std::string_view::npos ? image.size() : at;
    ref.tag = image.substr(colon + 1, tag_end - colon - 1);
    if (at != std::string_view::npos) ref.digest = image.substr(at + 1);
  } else {
    ref.name = image;
  }
  return ref;
}

bool IsKustomizationFileName(std::string_view base_name) {
  return base_name == "kustomization.yaml" || base_name == "kustomization.yml" ||
         base_name == "Kustomization";
}

Result<std::string> SetWorkloadImage(std::string_view text, std::string_view container,
                                     std::string_view image) {
  return CatchYamlExceptions([&]() -> Result<std::string> {
    Result<std::vector<YAML::Node>> docs = ParseYamlDocuments(text);
    if (!docs.ok()) return docs.status();
    int matched = 0;
    for (const YAML::Node& doc : *docs) {
      if (std::optional<YAML::Node> pod_spec = PodSpec(doc)) {
        matched += SetInPodSpec(*pod_spec, container, image);
      }
    }
    if (matched == 0) {
      return Status::Error("no workload in the file has a container named " + Quoted(container));
    }
    return EmitYamlDocuments(*docs);
  });
}

Result<std::string> SetKustomizationImage(std::string_view text, std::string_view container,
                                          std::string_view image) {
  return CatchYamlExceptions([&]() -> Result<std::string> {
    Result<std::vector<YAML::Node>> docs = ParseYamlDocuments(text);
    if (!docs.ok()) return docs.status();
    if (docs->size() > 1) return Status::Error("a kustomization must be a single YAML document");
    YAML::Node root = docs->empty() ? YAML::Node(YAML::NodeType::Map) : docs->front();
    if (!root.IsMap()) return Status::Error("the kustomization is not a map");
    Result<ImagesByName> by_name = ReadImages(root);
    if (!by_name.ok()) return by_name.status();
    const std::string name(container);
    auto old = by_name->find(name);
    YAML::Node entry = NewImageEntry(
        name, SplitImageRef(image),
        old == by_name->end() ? std::nullopt : std::optional<YAML::Node>(old->second));
    Put(*by_name, name, entry);
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& [key, value] : *by_name) list.push_back(value);
    root["images"] = list;
    return EmitYamlDocuments({root});
  });
}

}  // namespace fleetsim
