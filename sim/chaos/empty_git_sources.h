// The git-empty-response fault: an AppSetSources decorator under which a generator's Git source
// answers with an empty tree and no error, the trap of SCM providers and Git hosts that return an
// empty listing during an incident (reference 4.2: the ApplicationSet controller then deletes the
// Applications it no longer generates, unless applicationsSync or the controller's policy keeps
// them). Which (repository, ApplicationSet) pairs answer empty is world-owned state
// (EmptyGitResponses), so it survives a control plane rebuilt by `argocd install`.
#ifndef FLEETSIM_SIM_CHAOS_EMPTY_GIT_SOURCES_H_
#define FLEETSIM_SIM_CHAOS_EMPTY_GIT_SOURCES_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/argocd/appset_sources.h"

namespace fleetsim::chaos {

class EmptyGitResponses {
 public:
  // Adds (active) or removes one fault's pair. `repo_url` "" means every repository, `appset_glob`
  // "" every ApplicationSet. Faults stack: the pair answers empty while any of them is active.
  void Set(const std::string& repo_url, const std::string& appset_glob, bool active);
  bool Empty(std::string_view appset, std::string_view repo_url) const;

 private:
  struct Entry {
    std::string repo_url;  // normalised, or ""
    std::string appset_glob;
  };
  std::vector<Entry> entries_;
};

class EmptyGitSources final : public AppSetSources {
 public:
  // REQUIRES: `inner` and `responses` outlive this object.
  EmptyGitSources(AppSetSources& inner, const EmptyGitResponses& responses)
      : inner_(inner), responses_(responses) {}

  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override {
    return inner_.GitTree(repo_url, revision, no_cache);
  }
  // The empty tree (4b825dc...) for a pair under the fault; else the inner answer.
  Result<Tree> GitTreeFor(std::string_view appset, const std::string& repo_url,
                          const std::string& revision, bool no_cache) override;
  Result<std::vector<AppSetCluster>> ClusterSecrets() override { return inner_.ClusterSecrets(); }
  bool ProjectExists(std::string_view name) override { return inner_.ProjectExists(name); }
  Status ResolveDestination(std::string_view server, std::string_view name) override {
    return inner_.ResolveDestination(server, name);
  }

 private:
  AppSetSources& inner_;
  const EmptyGitResponses& responses_;
};

}  // namespace fleetsim::chaos

#endif  // FLEETSIM_SIM_CHAOS_EMPTY_GIT_SOURCES_H_
