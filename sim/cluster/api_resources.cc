#include "sim/cluster/api_resources.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace fleetsim {
namespace {

struct BuiltIn {
  const char* group;
  const char* versions;  // space-separated, preferred first
  const char* kind;
  const char* plural;
  bool namespaced;
};

// Kubernetes 1.32's built-in kinds that manifests use. Status subresources exist on all of them
// that have a status at all, so `status_subresource` is true throughout.
constexpr BuiltIn kBuiltIns[] = {
    {"", "v1", "Pod", "pods", true},
    {"", "v1", "Service", "services", true},
    {"", "v1", "ConfigMap", "configmaps", true},
    {"", "v1", "Secret", "secrets", true},
    {"", "v1", "ServiceAccount", "serviceaccounts", true},
    {"", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true},
    {"", "v1", "PersistentVolume", "persistentvolumes", false},
    {"", "v1", "Namespace", "namespaces", false},
    {"", "v1", "Node", "nodes", false},
    {"", "v1", "Endpoints", "endpoints", true},
    {"", "v1", "Event", "events", true},
    {"", "v1", "LimitRange", "limitranges", true},
    {"", "v1", "ResourceQuota", "resourcequotas", true},
    {"", "v1", "ReplicationController", "replicationcontrollers", true},
    {"", "v1", "PodTemplate", "podtemplates", true},
    {"apps", "v1", "Deployment", "deployments", true},
    {"apps", "v1", "StatefulSet", "statefulsets", true},
    {"apps", "v1", "DaemonSet", "daemonsets", true},
    {"apps", "v1", "ReplicaSet", "replicasets", true},
    {"apps", "v1", "ControllerRevision", "controllerrevisions", true},
    {"batch", "v1", "Job", "jobs", true},
    {"batch", "v1", "CronJob", "cronjobs", true},
    {"autoscaling", "v2 v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true},
    {"networking.k8s.io", "v1", "Ingress", "ingresses", true},
    {"networking.k8s.io", "v1", "IngressClass", "ingressclasses", false},
    {"networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true},
    {"policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true},
    {"rbac.authorization.k8s.io", "v1", "Role", "roles", true},
    {"rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true},
    {"rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false},
    {"rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false},
    {"storage.k8s.io", "v1", "StorageClass", "storageclasses", false},
    {"storage.k8s.io", "v1", "CSIDriver", "csidrivers", false},
    {"storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", false},
    {"apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false},
    {"apiregistration.k8s.io", "v1", "APIService", "apiservices", false},
    {"admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration",
     "mutatingwebhookconfigurations", false},
    {"admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
     "validatingwebhookconfigurations", false},
    {"scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false},
    {"coordination.k8s.io", "v1", "Lease", "leases", true},
    {"discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true},
    {"certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", false},
    {"node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false},
};

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::pair<std::string, std::string> SplitApiVersion(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

std::string StringAt(const Json& doc, std::initializer_list<const char*> path) {
  const Json* at = &doc;
  for (const char* part : path) {
    if (!at->is_object()) return "";
    auto it = at->find(part);
    if (it == at->end()) return "";
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : "";
}

}  // namespace

ApiResources::ApiResources() {
  for (const BuiltIn& b : kBuiltIns) {
    for (const std::string& version : SplitSpaces(b.versions)) {
      Add({b.group, version, b.kind, b.plural, b.namespaced, true, false});
    }
  }
}

void ApiResources::Add(ApiResource r) {
  ++group_versions_[r.api_version()];
  kinds_[{r.group, r.kind}].push_back(std::move(r));
}

const ApiResource* ApiResources::Find(std::string_view api_version, std::string_view kind) const {
  auto [group, version] = SplitApiVersion(api_version);
  auto it = kinds_.find(std::pair<std::string, std::string>(group, kind));
  if (it == kinds_.end()) return nullptr;
  for (const ApiResource& r : it->second) {
    if (r.version == version) return &r;
  }
  return nullptr;
}

const ApiResource* ApiResources::FindKind(std::string_view group, std::string_view kind) const {
  auto it = kinds_.find(std::pair<std::string, std::string>(group, kind));
  return it == kinds_.end() || it->second.empty() ? nullptr : &it->second.front();
}

std::vector<const ApiResource*> ApiResources::FindByKindName(std::string_view kind) const {
  std::vector<const ApiResource*> out;
  for (const auto& [gk, versions] : kinds_) {
    if (gk.second != kind) continue;
    for (const ApiResource& r : versions) out.push_back(&r);
  }
  return out;
}

bool ApiResources::ServesGroupVersion(std::string_view api_version) const {
  auto it = group_versions_.find(api_version);
  return it != group_versions_.end() && it->second > 0;
}

Result<ApiResource> ApiResources::Discover(std::string_view api_version,
                                           std::string_view kind) const {
  if (ServesGroupVersion(api_version)) {
    if (const ApiResource* r = Find(api_version, kind)) return *r;
  }
  return Discoverable(api_version, kind);
}

Status ApiResources::Discoverable(std::string_view api_version, std::string_view kind) const {
  // The probe of every refresh: a built-in that no CRD can add or remove.
  if (api_version == "v1" && kind == "Namespace") return Status::Ok();
  if (!ServesGroupVersion(api_version)) {
    return Status::Error("failed to discover server resources for group version " +
                         std::string(api_version) + ": " + std::string(kNotFoundResourceText));
  }
  if (Find(api_version, kind) != nullptr) return Status::Ok();
  auto [group, version] = SplitApiVersion(api_version);
  return Status::Error(std::string(kind) + (group.empty() ? "" : "." + group) + " \"\" not found");
}

std::pair<std::string, std::string> ApiResources::CrdGroupKind(const Json& crd) {
  return {StringAt(crd, {"spec", "group"}), StringAt(crd, {"spec", "names", "kind"})};
}

Result<std::vector<ApiResource>> ApiResources::ParseCrd(const Json& crd) {
  std::string name = StringAt(crd, {"metadata", "name"});
  auto [group, kind] = CrdGroupKind(crd);
  std::string plural = StringAt(crd, {"spec", "names", "plural"});
  std::string scope = StringAt(crd, {"spec", "scope"});
  std::string prefix =
      "CustomResourceDefinition.apiextensions.k8s.io \"" + name + "\" is invalid: ";
  if (group.empty()) return Status::Error(prefix + "spec.group: Required value");
  if (kind.empty()) return Status::Error(prefix + "spec.names.kind: Required value");
  if (plural.empty()) return Status::Error(prefix + "spec.names.plural: Required value");
  if (name != plural + "." + group) {
    return Status::Error(prefix + "metadata.name: Invalid value: \"" + name +
                         "\": must be spec.names.plural+\".\"+spec.group");
  }
  if (scope != "Namespaced" && scope != "Cluster") {
    return Status::Error(prefix + "spec.scope: Unsupported value: \"" + scope +
                         "\": supported values: \"Cluster\", \"Namespaced\"");
  }
  std::vector<ApiResource> versions;
  const Json& spec = crd.at("spec");  // present: spec.group was read above
  for (const Json& v : spec.value("versions", Json::array())) {
    if (!v.is_object() || !v.value("served", false)) continue;
    bool status = v.contains("subresources") && v["subresources"].is_object() &&
                  v["subresources"].contains("status");
    ApiResource r{group, StringAt(v, {"name"}), kind, plural, scope == "Namespaced", status, true};
    // The storage version is the preferred one.
    if (v.value("storage", false)) {
      versions.insert(versions.begin(), std::move(r));
    } else {
      versions.push_back(std::move(r));
    }
  }
  if (versions.empty()) {
    return Status::Error(prefix +
                         "spec.versions: Invalid value: must have exactly one version "
                         "marked as storage version");
  }
  return versions;
}

Status ApiResources::CheckCrd(const Json& crd) {
  Result<std::vector<ApiResource>> parsed = ParseCrd(crd);
  return parsed.ok() ? Status::Ok() : parsed.status();
}

Status ApiResources::AddCrd(const Json& crd) {
  Result<std::vector<ApiResource>> parsed = ParseCrd(crd);
  if (!parsed.ok()) return parsed.status();
  std::string name = StringAt(crd, {"metadata", "name"});
  RemoveCrd(name);
  for (ApiResource& r : *parsed) Add(std::move(r));
  crds_[name] = CrdGroupKind(crd);
  return Status::Ok();
}

void ApiResources::RemoveCrd(std::string_view crd_name) {
  auto it = crds_.find(crd_name);
  if (it == crds_.end()) return;
  auto kit = kinds_.find(it->second);
  if (kit != kinds_.end()) {
    for (const ApiResource& r : kit->second) --group_versions_[r.api_version()];
    kinds_.erase(kit);
  }
  crds_.erase(it);
}

}  // namespace fleetsim
