// What the ApplicationSet generators read from the world: Git trees (through the repo-server),
// Argo CD's cluster Secrets, and which AppProjects exist. The simulated world, `fleetsim validate`
// and `fleetsim appset generate` each implement it over their own data, so the generators and the
// rendering are the same code in all three.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_SOURCES_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_SOURCES_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/git/tree.h"

namespace fleetsim {

// One Argo CD cluster Secret as the cluster generator sees it. `labels` are the Secret's labels
// (argocd.argoproj.io/secret-type: cluster included, as on a real Secret).
struct AppSetCluster {
  std::string name;
  std::string server;
  std::string project;  // the Secret's `project`, or ""
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

class AppSetSources {
 public:
  virtual ~AppSetSources() = default;
  // The tree of `revision` of the repository at `repo_url`; `no_cache` bypasses the repo-server's
  // revision cache (the application-set-refresh annotation, a webhook). Errors read as the
  // repo-server's.
  virtual Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                               bool no_cache) = 0;
  // GitTree as ApplicationSet `appset`'s generators ask for it (what a decorator that answers
  // per ApplicationSet overrides, e.g. the git-empty-response fault).
  virtual Result<Tree> GitTreeFor(std::string_view /*appset*/, const std::string& repo_url,
                                  const std::string& revision, bool no_cache) {
    return GitTree(repo_url, revision, no_cache);
  }
  // Every cluster Secret, sorted by name.
  virtual Result<std::vector<AppSetCluster>> ClusterSecrets() = 0;
  // Whether AppProject `name` exists in the controller's namespace.
  virtual bool ProjectExists(std::string_view name) = 0;
  // Ok when an Application destination (server, or name when server is "") names a cluster;
  // else Argo CD's error text.
  virtual Status ResolveDestination(std::string_view server, std::string_view name) = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_SOURCES_H_
