#include "sim/world/appset_sources.h"

#include <algorithm>

namespace fleetsim {

Result<Tree> WorldAppSetSources::GitTree(const std::string& repo_url, const std::string& revision,
                                         bool no_cache) {
  std::string rev = revision.empty() ? "HEAD" : revision;
  Result<CommitId> commit = repo_server_ != nullptr
                                ? repo_server_->ResolveRevision(repo_url, rev, no_cache)
                                : git_.LsRemote(repo_url, rev);
  if (!commit.ok()) return commit.status();
  Result<const CommitInfo*> info = repo_server_ != nullptr
                                       ? repo_server_->Checkout(repo_url, *commit)
                                       : git_.Fetch(repo_url, *commit);
  if (!info.ok()) return info.status();
  return (*info)->tree;
}

Result<std::vector<AppSetCluster>> WorldAppSetSources::ClusterSecrets() {
  if (clusters_generation_ == registry_.generation()) return clusters_;
  std::vector<AppSetCluster>& out = clusters_;
  out.clear();
  for (const ClusterInfo& c : registry_.clusters()) {
    if (c.in_cluster) continue;  // Argo CD has no Secret for its own cluster
    AppSetCluster cluster{c.name, c.server, "", c.labels, c.annotations};
    cluster.labels["argocd.argoproj.io/secret-type"] = "cluster";
    out.push_back(std::move(cluster));
  }
  std::sort(out.begin(), out.end(),
            [](const AppSetCluster& a, const AppSetCluster& b) { return a.name < b.name; });
  clusters_generation_ = registry_.generation();
  return out;
}

bool WorldAppSetSources::ProjectExists(std::string_view name) {
  if (name == "default") return true;  // the install creates it
  if (management_ == nullptr) return known_projects_.count(std::string(name)) != 0;
  return management_->Get({"argoproj.io", "AppProject", "argocd", std::string(name)}).ok();
}

Status WorldAppSetSources::ResolveDestination(std::string_view server, std::string_view name) {
  if (!server.empty()) {
    if (directory_.FindByServer(server) != nullptr) return Status::Ok();
    return Status::Error(
        "unable to find destination server: there are no clusters with this URL: " +
        std::string(server));
  }
  if (directory_.FindByName(name) != nullptr) return Status::Ok();
  return Status::Error("unable to find destination server: there are no clusters with this name: " +
                       std::string(name));
}

}  // namespace fleetsim
