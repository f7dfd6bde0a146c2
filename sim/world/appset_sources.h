// What the world's ApplicationSet controller reads: Git through the repo-server's revision cache
// and the (possibly unreachable) Git remote, the cluster Secrets of the registry, and AppProjects
// in the management cluster. For `fleetsim validate` the same class reads the initial trees and
// takes the AppProjects found in the scenario's files instead.
#ifndef FLEETSIM_SIM_WORLD_APPSET_SOURCES_H_
#define FLEETSIM_SIM_WORLD_APPSET_SOURCES_H_

#include <optional>
#include <set>
#include <string>

#include "sim/argocd/appset_sources.h"
#include "sim/argocd/cluster_directory.h"
#include "sim/argocd/repo_server.h"
#include "sim/cluster/cluster_api.h"
#include "sim/cluster/cluster_registry.h"
#include "sim/git/git_server.h"

namespace fleetsim {

class WorldAppSetSources final : public AppSetSources {
 public:
  // REQUIRES: every reference outlives this object. `repo_server` and `management` may be null
  // (validation): Git is then read at its current head without a cache, and projects come from
  // `known_projects`.
  WorldAppSetSources(GitRemote& git, RepoServer* repo_server, const ClusterRegistry& registry,
                     const ClusterDirectory& directory, ClusterApi* management)
      : git_(git),
        repo_server_(repo_server),
        registry_(registry),
        directory_(directory),
        management_(management) {}

  void set_known_projects(std::set<std::string> projects) { known_projects_ = std::move(projects); }

  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override;
  Result<std::vector<AppSetCluster>> ClusterSecrets() override;
  bool ProjectExists(std::string_view name) override;
  Status ResolveDestination(std::string_view server, std::string_view name) override;

 private:
  GitRemote& git_;
  RepoServer* repo_server_;
  const ClusterRegistry& registry_;
  const ClusterDirectory& directory_;
  ClusterApi* management_;
  std::set<std::string> known_projects_;
  // The cluster Secrets as of the registry's generation `clusters_generation_`.
  std::vector<AppSetCluster> clusters_;
  std::optional<uint64_t> clusters_generation_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_WORLD_APPSET_SOURCES_H_
