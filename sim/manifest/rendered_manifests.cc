#include "sim/manifest/rendered_manifests.h"

#include <algorithm>
#include <map>
#include <utility>

#include "sim/manifest/manifest_parser.h"

namespace fleetsim {
namespace {

// gitops-engine's ResourceKey.String(): group/kind/namespace/name.
std::string ResourceKeyString(const ObjectKey& key) {
  return key.group + "/" + key.kind + "/" + key.ns + "/" + key.name;
}

std::string GenerateName(const Object& object) {
  const Json& doc = object.doc();
  if (!doc.is_object()) return "";
  auto metadata = doc.find("metadata");
  if (metadata == doc.end() || !metadata->is_object()) return "";
  auto name = metadata->find("generateName");
  return name != metadata->end() && name->is_string() ? name->get<std::string>() : "";
}

}  // namespace

std::string TargetStateError(std::string_view render_error, size_t index, size_t count) {
  const bool from_repo_server = render_error.starts_with("rpc error: ");
  return std::string("Failed to load target state: ") +
         (from_repo_server ? "failed to generate manifest" : "failed to unmarshal manifests") +
         " for source " + std::to_string(index + 1) + " of " + std::to_string(count) + ": " +
         std::string(render_error);
}

std::string RpcError(std::string_view code, std::string_view description) {
  return "rpc error: code = " + std::string(code) + " desc = " + std::string(description);
}

Result<RenderedManifestsPtr> RenderedFromYaml(std::string_view yaml) {
  Result<std::vector<Json>> docs = ParseManifestFile("manifests.yaml", yaml);
  if (!docs.ok()) return Status::Error(RpcError("Unknown", docs.error()));
  Result<std::vector<Json>> expanded = ExpandLists(std::move(*docs));
  if (!expanded.ok()) return Status::Error(RpcError("Unknown", expanded.error()));
  for (const Json& d : *expanded) {
    if (KindOf(d).empty()) return Status::Error(MissingKindError(d));
  }
  auto rendered = std::make_shared<RenderedManifests>();
  for (Json& d : *expanded) {
    rendered->objects.push_back(std::make_shared<const Object>(std::move(d)));
  }
  rendered->warnings = DeduplicateTargets(rendered->objects).warnings;
  return RenderedManifestsPtr(std::move(rendered));
}

DeduplicatedTargets DeduplicateTargets(const std::vector<ObjectPtr>& objects) {
  struct Group {
    size_t first = 0;  // position of the key's first object
    ObjectPtr last;
    int count = 0;
  };
  std::map<ObjectKey, Group> groups;
  for (size_t i = 0; i < objects.size(); ++i) {
    ObjectKey key = objects[i]->key();
    if (key.name.empty()) {
      if (std::string prefix = GenerateName(*objects[i]); !prefix.empty()) {
        key.name = prefix + std::to_string(i);
      }
    }
    auto [it, inserted] = groups.try_emplace(std::move(key), Group{.first = i});
    it->second.last = objects[i];
    ++it->second.count;
  }
  DeduplicatedTargets out;
  std::vector<std::pair<size_t, ObjectPtr>> kept;
  for (const auto& [key, group] : groups) {  // std::map: warnings sorted by key
    kept.emplace_back(group.first, group.last);
    if (group.count > 1) {
      out.warnings.push_back("Resource " + ResourceKeyString(key) + " appeared " +
                             std::to_string(group.count) + " times among application resources.");
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [position, object] : kept) out.objects.push_back(std::move(object));
  return out;
}

}  // namespace fleetsim
