// Fakes for the ApplicationSet tests: sources over in-memory trees and a fixed cluster list, and
// an ApplicationSet spec from YAML text.
#ifndef FLEETSIM_TESTS_ARGOCD_APPSET_TEST_UTIL_H_
#define FLEETSIM_TESTS_ARGOCD_APPSET_TEST_UTIL_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/argocd/appset_sources.h"
#include "sim/argocd/appset_spec.h"
#include "sim/git/blob_store.h"

namespace fleetsim::testing_appset {

class FakeSources : public AppSetSources {
 public:
  // Adds a repository at `url` holding `files` (path -> content).
  void AddRepo(const std::string& url, const std::map<std::string, std::string>& files);
  void AddCluster(const std::string& name, std::map<std::string, std::string> labels = {});
  void set_git_error(std::string error) { git_error_ = std::move(error); }
  std::set<std::string>& projects() { return projects_; }

  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override;
  Result<std::vector<AppSetCluster>> ClusterSecrets() override { return clusters_; }
  bool ProjectExists(std::string_view name) override;
  Status ResolveDestination(std::string_view server, std::string_view name) override;

 private:
  BlobStore blobs_;
  std::map<std::string, Tree> trees_;
  std::vector<AppSetCluster> clusters_;
  std::set<std::string> projects_ = {"default"};
  std::string git_error_;
};

// Parses `yaml` (one ApplicationSet document). REQUIRES: it parses.
AppSetSpec SpecFromYaml(const std::string& yaml);

// Names of the generated Applications, in order.
std::vector<std::string> AppNames(const std::vector<Json>& apps);

}  // namespace fleetsim::testing_appset

#endif  // FLEETSIM_TESTS_ARGOCD_APPSET_TEST_UTIL_H_
