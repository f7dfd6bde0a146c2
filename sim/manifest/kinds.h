// What fleetsim knows about kinds before any CustomResourceDefinition is applied: the built-in
// kinds of Kubernetes 1.32 (the APIs a cluster serves by default: GA groups only, no alpha or
// beta), their API group and whether they are namespaced; and how to read the kind a
// CustomResourceDefinition defines, so that a cluster can start serving it.
#ifndef FLEETSIM_SIM_MANIFEST_KINDS_H_
#define FLEETSIM_SIM_MANIFEST_KINDS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/manifest/object.h"

namespace fleetsim {

struct KindInfo {
  std::string_view group;  // "" for the core group
  std::string_view kind;
  bool namespaced = true;
};

// Every built-in kind, sorted by (group, kind). A kind may exist in two groups (Event is in ""
// and "events.k8s.io").
std::span<const KindInfo> BuiltInKinds();

// The built-in kind, or nullptr when (group, kind) is not one (a custom resource, or a typo).
const KindInfo* FindBuiltInKind(std::string_view group, std::string_view kind);
bool IsBuiltInKind(std::string_view group, std::string_view kind);
// True for the built-in cluster-scoped kinds (Namespace, ClusterRole, StorageClass, ...).
bool IsClusterScopedBuiltInKind(std::string_view group, std::string_view kind);

// The group of a built-in kind named without one (the core group first, so Event gives ""), or
// nullopt if no built-in kind has that name.
std::optional<std::string_view> BuiltInGroupOf(std::string_view kind);

// What a CustomResourceDefinition defines.
struct CustomResourceInfo {
  std::string group;                         // spec.group
  std::string kind;                          // spec.names.kind
  std::string plural;                        // spec.names.plural
  bool namespaced = true;                    // spec.scope == "Namespaced"
  std::vector<std::string> served_versions;  // spec.versions[].name where served is true
};

// Reads a CustomResourceDefinition (apiextensions.k8s.io). Fails, with the API server's wording,
// when `crd` is not one, or spec.group, spec.names.kind or spec.names.plural is missing, or
// spec.scope is neither "Namespaced" nor "Cluster":
//   spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"
Result<CustomResourceInfo> ReadCustomResourceDefinition(const Object& crd);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_KINDS_H_
