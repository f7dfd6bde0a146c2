// A Kubernetes object as fleetsim handles it everywhere: identity (group, kind, namespace, name),
// the fields controllers read (labels, annotations, owner references, finalizers), and the whole
// document as JSON with sorted keys. Rendered manifests are immutable and shared
// (ObjectPtr = shared_ptr<const Object>): one rendered set serves every Application that uses it.
#ifndef FLEETSIM_SIM_MANIFEST_OBJECT_H_
#define FLEETSIM_SIM_MANIFEST_OBJECT_H_

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

namespace fleetsim {

// gitops-engine's ResourceKey: group, kind, namespace, name. The version is not part of identity.
struct ObjectKey {
  std::string group;  // "" for the core group, "apps", "argoproj.io", ...
  std::string kind;
  std::string ns;  // "" for cluster-scoped objects
  std::string name;

  auto operator<=>(const ObjectKey&) const = default;
  bool operator==(const ObjectKey&) const = default;
  // "Kind/namespace/name", or "Kind/name" when cluster-scoped (the timeline's object column).
  std::string ToString() const;
};

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool block_owner_deletion = false;
  bool operator==(const OwnerReference&) const = default;
};

class Object {
 public:
  // REQUIRES: `doc` is a JSON object. Reads identity and metadata from it.
  explicit Object(Json doc);
  // `doc` with identity and metadata taken from `base` instead of read again. REQUIRES: doc's
  // apiVersion, kind, name, namespace, labels, annotations, ownerReferences and finalizers are
  // base's (a status write).
  Object(Json doc, const Object& base);

  const Json& doc() const { return doc_; }
  const std::string& api_version() const { return api_version_; }
  const ObjectKey& key() const { return key_; }
  const std::string& group() const { return key_.group; }
  const std::string& kind() const { return key_.kind; }
  const std::string& ns() const { return key_.ns; }
  const std::string& name() const { return key_.name; }
  const std::map<std::string, std::string>& labels() const { return labels_; }
  const std::map<std::string, std::string>& annotations() const { return annotations_; }
  // The annotation's value, or "" when absent.
  std::string_view annotation(std::string_view key) const;
  const std::vector<OwnerReference>& owner_references() const { return owners_; }
  const std::vector<std::string>& finalizers() const { return finalizers_; }

  // A digest of the document that does not depend on key order in the source YAML (the JSON keys
  // are sorted). Equal documents have equal hashes. Computed on first use: most objects (live
  // states, prepared targets) are never asked. Not thread-safe on that first call.
  uint64_t content_hash() const;

  // A copy whose document is `doc` (identity and metadata read again).
  Object WithDoc(Json doc) const { return Object(std::move(doc)); }

 private:
  Json doc_;
  std::string api_version_;
  ObjectKey key_;
  std::map<std::string, std::string> labels_;
  std::map<std::string, std::string> annotations_;
  std::vector<OwnerReference> owners_;
  std::vector<std::string> finalizers_;
  mutable uint64_t hash_ = 0;
  mutable bool hashed_ = false;
};

using ObjectPtr = std::shared_ptr<const Object>;

// A copy of `object` with metadata.namespace set to `ns` (removed when `ns` is empty), for the
// sync engine's defaulting of namespaced kinds to the destination namespace. The caller decides
// whether the kind is namespaced; this does not check.
ObjectPtr WithNamespace(const Object& object, std::string ns);

// The API group of an apiVersion: "apps/v1" → "apps", "v1" → "".
std::string GroupOf(std::string_view api_version);

// 64-bit digest of a JSON value's canonical (sorted-key, compact) text.
uint64_t HashJson(const Json& value);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_OBJECT_H_
