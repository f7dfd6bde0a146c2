// One cluster's discovery information: the kinds its API server serves, at which versions, with
// which resource name and scope. Kubernetes' built-in kinds (v1.32) are always there; a custom kind
// is there while its CustomResourceDefinition is.
#ifndef FLEETSIM_SIM_CLUSTER_API_RESOURCES_H_
#define FLEETSIM_SIM_CLUSTER_API_RESOURCES_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

struct ApiResource {
  std::string group;    // "" for the core group
  std::string version;  // "v1"
  std::string kind;
  std::string plural;  // "deployments"
  bool namespaced = true;
  bool status_subresource = true;  // writes to the main resource leave `status` alone
  bool custom = false;             // served because of a CRD

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "deployments.apps", or "pods" for the core group: how API errors name the resource.
  std::string group_resource() const { return group.empty() ? plural : plural + "." + group; }
};

// Texts the API server (and gitops-engine's discovery helper) answer with.
inline constexpr std::string_view kNotFoundResourceText =
    "the server could not find the requested resource";

class ApiResources {
 public:
  // The built-in kinds.
  ApiResources();

  // The kind at the given apiVersion ("apps/v1"), or null if that version does not serve it.
  const ApiResource* Find(std::string_view api_version, std::string_view kind) const;
  // The kind at its preferred (first served) version, or null if no version serves it.
  const ApiResource* FindKind(std::string_view group, std::string_view kind) const;
  // Every served version of every kind with this name, in any group (Argo CD's
  // getAPIResourceInfo looks a kind up across groups to explain a missing version).
  std::vector<const ApiResource*> FindByKindName(std::string_view kind) const;
  bool ServesGroupVersion(std::string_view api_version) const;

  // gitops-engine's ServerResourceForGroupVersionKind: the resource, or
  // "failed to discover server resources for group version G/V: the server could not find the
  // requested resource" when nothing serves that group version, or `Kind.group "" not found`
  // when the group version is served without this kind.
  Result<ApiResource> Discover(std::string_view api_version, std::string_view kind) const;
  // Discover's answer without the resource: ok, or the same error.
  Status Discoverable(std::string_view api_version, std::string_view kind) const;

  // Registers the kinds a CustomResourceDefinition document defines (replacing what a CRD of the
  // same name defined before). Fails, with the API server's message and changing nothing, on a
  // CRD it would reject.
  Status AddCrd(const Json& crd);
  // The validation AddCrd does, alone.
  static Status CheckCrd(const Json& crd);
  void RemoveCrd(std::string_view crd_name);
  // The group and kind a CRD document defines, if it names them.
  static std::pair<std::string, std::string> CrdGroupKind(const Json& crd);

 private:
  void Add(ApiResource r);
  // The served versions a CRD defines (storage version first), or the API server's error.
  static Result<std::vector<ApiResource>> ParseCrd(const Json& crd);

  // (group, kind) -> served versions, preferred first.
  std::map<std::pair<std::string, std::string>, std::vector<ApiResource>, std::less<>> kinds_;
  std::map<std::string, int, std::less<>> group_versions_;  // "apps/v1" -> number of kinds
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> crds_;  // name -> kind
};

// The CustomResourceDefinition documents an add-on installs: "argo-rollouts", "sealed-secrets",
// "external-secrets" (the fleet's `preinstalled` names) and "argo-cd". Empty for other names.
std::vector<Json> AddonCrds(std::string_view addon);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_API_RESOURCES_H_
