#include "sim/manifest/kinds.h"

#include <algorithm>
#include <tuple>

namespace fleetsim {
namespace {

constexpr bool kNamespaced = true;
constexpr bool kCluster = false;

// `kubectl api-resources` of a Kubernetes 1.32 cluster with the default feature gates, minus the
// subresource-only and alpha/beta APIs.
const std::vector<KindInfo>& SortedKinds() {
  static const std::vector<KindInfo> kKinds = [] {
    std::vector<KindInfo> kinds = {
        {"", "Binding", kNamespaced},
        {"", "ComponentStatus", kCluster},
        {"", "ConfigMap", kNamespaced},
        {"", "Endpoints", kNamespaced},
        {"", "Event", kNamespaced},
        {"", "LimitRange", kNamespaced},
        {"", "Namespace", kCluster},
        {"", "Node", kCluster},
        {"", "PersistentVolume", kCluster},
        {"", "PersistentVolumeClaim", kNamespaced},
        {"", "Pod", kNamespaced},
        {"", "PodTemplate", kNamespaced},
        {"", "ReplicationController", kNamespaced},
        {"", "ResourceQuota", kNamespaced},
        {"", "Secret", kNamespaced},
        {"", "Service", kNamespaced},
        {"", "ServiceAccount", kNamespaced},
        {"admissionregistration.k8s.io", "MutatingWebhookConfiguration", kCluster},
        {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy", kCluster},
        {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", kCluster},
        {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", kCluster},
        {"apiextensions.k8s.io", "CustomResourceDefinition", kCluster},
        {"apiregistration.k8s.io", "APIService", kCluster},
        {"apps", "ControllerRevision", kNamespaced},
        {"apps", "DaemonSet", kNamespaced},
        {"apps", "Deployment", kNamespaced},
        {"apps", "ReplicaSet", kNamespaced},
        {"apps", "StatefulSet", kNamespaced},
        {"authentication.k8s.io", "SelfSubjectReview", kCluster},
        {"authentication.k8s.io", "TokenReview", kCluster},
        {"authorization.k8s.io", "LocalSubjectAccessReview", kNamespaced},
        {"authorization.k8s.io", "SelfSubjectAccessReview", kCluster},
        {"authorization.k8s.io", "SelfSubjectRulesReview", kCluster},
        {"authorization.k8s.io", "SubjectAccessReview", kCluster},
        {"autoscaling", "HorizontalPodAutoscaler", kNamespaced},
        {"batch", "CronJob", kNamespaced},
        {"batch", "Job", kNamespaced},
        {"certificates.k8s.io", "CertificateSigningRequest", kCluster},
        {"coordination.k8s.io", "Lease", kNamespaced},
        {"discovery.k8s.io", "EndpointSlice", kNamespaced},
        {"events.k8s.io", "Event", kNamespaced},
        {"flowcontrol.apiserver.k8s.io", "FlowSchema", kCluster},
        {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", kCluster},
        {"networking.k8s.io", "Ingress", kNamespaced},
        {"networking.k8s.io", "IngressClass", kCluster},
        {"networking.k8s.io", "NetworkPolicy", kNamespaced},
        {"node.k8s.io", "RuntimeClass", kCluster},
        {"policy", "PodDisruptionBudget", kNamespaced},
        {"rbac.authorization.k8s.io", "ClusterRole", kCluster},
        {"rbac.authorization.k8s.io", "ClusterRoleBinding", kCluster},
        {"rbac.authorization.k8s.io", "Role", kNamespaced},
        {"rbac.authorization.k8s.io", "RoleBinding", kNamespaced},
        {"scheduling.k8s.io", "PriorityClass", kCluster},
        {"storage.k8s.io", "CSIDriver", kCluster},
        {"storage.k8s.io", "CSINode", kCluster},
        {"storage.k8s.io", "CSIStorageCapacity", kNamespaced},
        {"storage.k8s.io", "StorageClass", kCluster},
        {"storage.k8s.io", "VolumeAttachment", kCluster},
    };
    std::sort(kinds.begin(), kinds.end(), [](const KindInfo& a, const KindInfo& b) {
      return std::tie(a.group, a.kind) < std::tie(b.group, b.kind);
    });
    return kinds;
  }();
  return kKinds;
}

const Json* Find(const Json& map, const char* key) {
  if (!map.is_object()) return nullptr;
  auto it = map.find(key);
  return it == map.end() ? nullptr : &*it;
}

std::string StringAt(const Json* map, const char* key) {
  const Json* v = map == nullptr ? nullptr : Find(*map, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

std::vector<std::string> ServedVersions(const Json* spec) {
  std::vector<std::string> out;
  const Json* versions = spec == nullptr ? nullptr : Find(*spec, "versions");
  if (versions == nullptr || !versions->is_array()) return out;
  for (const Json& v : *versions) {
    const Json* served = Find(v, "served");
    if (served != nullptr && served->is_boolean() && served->get<bool>()) {
      out.push_back(StringAt(&v, "name"));
    }
  }
  return out;
}

}  // namespace

std::span<const KindInfo> BuiltInKinds() { return SortedKinds(); }

const KindInfo* FindBuiltInKind(std::string_view group, std::string_view kind) {
  const std::vector<KindInfo>& kinds = SortedKinds();
  auto it = std::lower_bound(
      kinds.begin(), kinds.end(), std::tie(group, kind),
      [](const KindInfo& k, const auto& key) { return std::tie(k.group, k.kind) < key; });
  if (it == kinds.end() || it->group != group || it->kind != kind) return nullptr;
  return &*it;
}

bool IsBuiltInKind(std::string_view group, std::string_view kind) {
  return FindBuiltInKind(group, kind) != nullptr;
}

bool IsClusterScopedBuiltInKind(std::string_view group, std::string_view kind) {
  const KindInfo* info = FindBuiltInKind(group, kind);
  return info != nullptr && !info->namespaced;
}

std::optional<std::string_view> BuiltInGroupOf(std::string_view kind) {
  for (const KindInfo& k : SortedKinds()) {  // sorted by group: the core group comes first
    if (k.kind == kind) return k.group;
  }
  return std::nullopt;
}

Result<CustomResourceInfo> ReadCustomResourceDefinition(const Object& crd) {
  if (crd.group() != "apiextensions.k8s.io" || crd.kind() != "CustomResourceDefinition") {
    return Status::Error("not a CustomResourceDefinition: " + crd.api_version() + " " + crd.kind());
  }
  const Json* spec = Find(crd.doc(), "spec");
  const Json* names = spec == nullptr ? nullptr : Find(*spec, "names");
  CustomResourceInfo info{
      .group = StringAt(spec, "group"),
      .kind = StringAt(names, "kind"),
      .plural = StringAt(names, "plural"),
      .namespaced = true,
      .served_versions = ServedVersions(spec),
  };
  if (info.group.empty()) return Status::Error("spec.group: Required value");
  if (info.plural.empty()) return Status::Error("spec.names.plural: Required value");
  if (info.kind.empty()) return Status::Error("spec.names.kind: Required value");
  const std::string scope = StringAt(spec, "scope");
  if (scope.empty()) return Status::Error("spec.scope: Required value");
  if (scope != "Namespaced" && scope != "Cluster") {
    return Status::Error("spec.scope: Unsupported value: \"" + scope +
                         "\": supported values: \"Cluster\", \"Namespaced\"");
  }
  info.namespaced = scope == "Namespaced";
  return info;
}

}  // namespace fleetsim
