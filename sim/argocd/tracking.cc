#include "sim/argocd/tracking.h"

#include "sim/manifest/json.h"

namespace fleetsim {

std::string TrackingId(std::string_view app, const ObjectKey& key) {
  std::string out(app);
  out += ":" + key.group + "/" + key.kind + ":" + key.ns + "/" + key.name;
  return out;
}

std::optional<std::string> TrackedBy(const Object& obj) {
  std::string_view id = obj.annotation(kAnnotationTrackingId);
  size_t colon = id.find(':');
  if (id.empty() || colon == std::string_view::npos) return std::nullopt;
  std::string app(id.substr(0, colon));
  if (TrackingId(app, obj.key()) != id) return std::nullopt;
  return app;
}

ObjectPtr PrepareTarget(const Object& target, std::string_view app, std::string_view dest_namespace,
                        bool namespaced) {
  Json doc = target.doc();
  Json& metadata = doc["metadata"];
  if (namespaced && target.ns().empty() && !dest_namespace.empty()) {
    metadata["namespace"] = std::string(dest_namespace);
  }
  if (!namespaced) metadata.erase("namespace");
  ObjectKey key = target.key();
  key.ns = namespaced ? (target.ns().empty() ? std::string(dest_namespace) : target.ns()) : "";
  metadata["annotations"][std::string(kAnnotationTrackingId)] = TrackingId(app, key);
  return std::make_shared<const Object>(std::move(doc));
}

}  // namespace fleetsim
