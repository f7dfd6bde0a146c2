// AppProject restrictions (reference 5.1; argo-cd pkg/apis/application/v1alpha1/
// app_project_types.go: IsSourcePermitted, IsDestinationPermitted / isDestinationMatched,
// IsGroupKindNamePermitted; util/argo/argo.go ValidatePermissions; controller/sync.go
// validateSyncPermissions). Messages are Argo CD's.
#ifndef FLEETSIM_SIM_ARGOCD_APP_PROJECT_H_
#define FLEETSIM_SIM_ARGOCD_APP_PROJECT_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/argocd/sync_window.h"
#include "sim/manifest/object.h"

namespace fleetsim {

struct ProjectDestination {
  std::string server, name, ns;
};

// metav1.GroupKind, or a ClusterResourceRestrictionItem (which may also name objects).
struct ProjectGroupKind {
  std::string group, kind, name;
};

struct AppProject {
  std::string name;
  std::vector<std::string> source_repos;
  std::vector<ProjectDestination> destinations;
  // nullopt: the field is unset. For namespaced kinds unset means every kind, an empty list
  // none; for cluster-scoped kinds unset and empty both mean none.
  std::optional<std::vector<ProjectGroupKind>> cluster_whitelist, cluster_blacklist;
  std::optional<std::vector<ProjectGroupKind>> namespace_whitelist, namespace_blacklist;
  std::vector<SyncWindow> sync_windows;

  // The project `argocd-server` creates when none named default exists: every repo, every
  // destination, every cluster-scoped kind.
  static AppProject Default();
};

// Reads an argoproj.io AppProject. A field of the wrong type is an error naming it
// ("spec.sourceRepos: expected a list of strings"), as the CRD's schema would reject it.
Result<AppProject> ParseAppProject(const Object& obj);

// The destination as Argo CD resolves it before matching: the cluster's name and server.
struct ResolvedDestination {
  std::string name, server;
};

bool IsSourcePermitted(const AppProject& p, const std::string& repo_url);
bool IsDestinationPermitted(const AppProject& p, const ResolvedDestination& cluster,
                            const std::string& ns);
bool IsGroupKindNamePermitted(const AppProject& p, const std::string& group,
                              const std::string& kind, const std::string& name, bool namespaced);

// ValidatePermissions' InvalidSpecError messages for an app with these sources and destination
// (empty when permitted). `dest_by_name`: the app names its destination by name.
std::vector<std::string> ValidatePermissions(const AppProject& p,
                                             const std::vector<std::string>& repo_urls,
                                             const ResolvedDestination& cluster, bool dest_by_name,
                                             const std::string& ns);

// validateSyncPermissions for one object of a sync: "resource G:K is not permitted in project P"
// or "namespace N is not permitted in project 'P'".
Status ValidateSyncPermissions(const AppProject& p, const ResolvedDestination& cluster,
                               const Object& obj, bool namespaced);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APP_PROJECT_H_
