#include "sim/chaos/empty_git_sources.h"

#include <fnmatch.h>

#include <algorithm>

#include "sim/scenario/repo_url.h"

namespace fleetsim::chaos {

void EmptyGitResponses::Set(const std::string& repo_url, const std::string& appset_glob,
                            bool active) {
  std::string url = repo_url.empty() ? "" : NormalizeRepoUrl(repo_url);
  if (active) {
    entries_.push_back({url, appset_glob});
    return;
  }
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.repo_url == url && e.appset_glob == appset_glob;
  });
  if (it != entries_.end()) entries_.erase(it);
}

bool EmptyGitResponses::Empty(std::string_view appset, std::string_view repo_url) const {
  if (entries_.empty()) return false;
  std::string url = NormalizeRepoUrl(std::string(repo_url));
  std::string name(appset);
  for (const Entry& e : entries_) {
    if (!e.repo_url.empty() && e.repo_url != url) continue;
    if (!e.appset_glob.empty() && fnmatch(e.appset_glob.c_str(), name.c_str(), 0) != 0) continue;
    return true;
  }
  return false;
}

Result<Tree> EmptyGitSources::GitTreeFor(std::string_view appset, const std::string& repo_url,
                                         const std::string& revision, bool no_cache) {
  if (responses_.Empty(appset, repo_url)) return Tree();
  return inner_.GitTreeFor(appset, repo_url, revision, no_cache);
}

}  // namespace fleetsim::chaos
