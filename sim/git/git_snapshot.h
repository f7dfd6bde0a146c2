// One revision of a real repository (git_reader.h) as Argo CD would see it were that revision the
// tip of its branch: what `fleetsim diff` reads at the base and at the head of a change, and what
// `fleetsim appset generate --git REPO@REV` reads.
//
// A repoURL names this repository when the repository has no `origin` remote, or when it equals
// origin's URL as Argo CD compares URLs (repo_url.h); other URLs are repositories that cannot be
// read ("repository not found"). A targetRevision "", "HEAD", or the tip's branch (its name,
// refs/heads/NAME or REMOTE/NAME) is the tip; any other revision (a tag, a commit id, another
// branch) resolves as `git rev-parse` resolves it in the repository.
#ifndef FLEETSIM_SIM_GIT_GIT_SNAPSHOT_H_
#define FLEETSIM_SIM_GIT_GIT_SNAPSHOT_H_

#include <map>
#include <string>
#include <string_view>

#include "sim/git/git_reader.h"
#include "sim/git/git_server.h"

namespace fleetsim {

class GitSnapshot final : public GitRemote {
 public:
  // REQUIRES: `reader` outlives the snapshot. `branch` is the tip's branch name ("" if none);
  // `origin_url` the repository's origin URL ("" if none).
  GitSnapshot(GitReader& reader, const CommitId& tip, std::string branch, std::string origin_url);

  const CommitId& tip() const { return tip_; }
  bool Names(std::string_view repo_url) const;

  Result<CommitId> LsRemote(std::string_view url, std::string_view revision) override;
  Result<const CommitInfo*> Fetch(std::string_view url, const CommitId& commit) override;
  // The tip's tree.
  Result<Tree> TipTree();
  // The tree `revision` of `url` names (LsRemote then Fetch).
  Result<Tree> TreeAt(std::string_view url, std::string_view revision);

 private:
  bool IsTip(std::string_view revision) const;
  Result<const CommitInfo*> Read(const CommitId& commit);  // cached

  GitReader& reader_;
  CommitId tip_;
  std::string branch_;
  std::string origin_;  // normalised; "" when the repository has no origin
  std::map<CommitId, CommitInfo> commits_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_GIT_SNAPSHOT_H_
