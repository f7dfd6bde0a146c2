// What the offline commands (`appset generate`, `diff`) read instead of a live Argo CD: files,
// fleet files, and the repositories generators and sources read (directories or a Git revision).
#ifndef FLEETSIM_SIM_CLI_OFFLINE_SOURCES_H_
#define FLEETSIM_SIM_CLI_OFFLINE_SOURCES_H_

#include <map>
#include <string>
#include <vector>

#include "sim/argocd/appset_sources.h"
#include "sim/git/blob_store.h"
#include "sim/git/git_snapshot.h"

namespace fleetsim {

// The bytes of `path`, or "PATH:1:1: cannot read the file".
Result<std::string> ReadTextFile(const std::string& path);

// "FILE:LINE:COLUMN: message" for a YAML error of `file` whose message says "line L, column C"
// (yaml_to_json.h), else "FILE:1:1: message".
std::string YamlFileError(const std::string& file, const std::string& message);

// A fleet file (DESIGN.md "The command line"): the scenario's `clusters:` form, or Argo CD cluster
// Secrets as `kubectl get secret -n argocd -l argocd.argoproj.io/secret-type=cluster -o yaml`
// prints them (a List or several documents). "" gives no clusters. Errors name file:line:column.
Result<std::vector<AppSetCluster>> LoadFleetFile(const std::string& path);

// Generator sources without an API server: every AppProject is taken to exist and every
// destination to resolve. Repositories are directories (a bare DIR every repoURL reads, or
// URL=DIR) or one Git revision (git_snapshot.h says which URLs and revisions it answers).
class OfflineSources final : public AppSetSources {
 public:
  // "DIR" or "URL=DIR". Errors read "--repo SPEC: why".
  Status AddRepo(const std::string& spec);
  // REQUIRES: `snapshot` outlives these sources.
  void SetGit(GitSnapshot* snapshot) { git_ = snapshot; }
  void SetClusters(std::vector<AppSetCluster> clusters);  // sorted by name here

  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override;
  Result<std::vector<AppSetCluster>> ClusterSecrets() override { return clusters_; }
  bool ProjectExists(std::string_view) override { return true; }
  Status ResolveDestination(std::string_view, std::string_view) override { return Status::Ok(); }

 private:
  BlobStore blobs_;
  std::map<std::string, Tree> trees_;  // by normalised URL; "" for a bare --repo DIR
  GitSnapshot* git_ = nullptr;
  std::vector<AppSetCluster> clusters_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_OFFLINE_SOURCES_H_
