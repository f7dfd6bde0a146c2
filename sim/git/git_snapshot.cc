#include "sim/git/git_snapshot.h"

#include <utility>

#include "sim/scenario/repo_url.h"

namespace fleetsim {

GitSnapshot::GitSnapshot(GitReader& reader, const CommitId& tip, std::string branch,
                         std::string origin_url)
    : reader_(reader),
      tip_(tip),
      branch_(std::move(branch)),
      origin_(origin_url.empty() ? "" : NormalizeRepoUrl(origin_url)) {}

bool GitSnapshot::Names(std::string_view repo_url) const {
  return origin_.empty() || NormalizeRepoUrl(repo_url) == origin_;
}

bool GitSnapshot::IsTip(std::string_view revision) const {
  if (revision.empty() || revision == "HEAD") return true;
  if (branch_.empty()) return false;
  if (revision == branch_ || revision == "refs/heads/" + branch_) return true;
  size_t slash = revision.find('/');
  return slash != std::string_view::npos && revision.substr(slash + 1) == branch_ &&
         revision.substr(0, slash) != "refs";
}

Result<CommitId> GitSnapshot::LsRemote(std::string_view url, std::string_view revision) {
  if (!Names(url)) {
    return RepositoryNotFound(url);
  }
  if (IsTip(revision)) return tip_;
  Result<CommitId> id = reader_.ResolveCommit(std::string(revision));
  if (!id.ok()) {
    return Status::Error("unable to resolve '" + std::string(revision) + "' to a commit SHA");
  }
  return id;
}

Result<const CommitInfo*> GitSnapshot::Fetch(std::string_view url, const CommitId& commit) {
  if (!Names(url)) {
    return RepositoryNotFound(url);
  }
  return Read(commit);
}

Result<const CommitInfo*> GitSnapshot::Read(const CommitId& commit) {
  auto it = commits_.find(commit);
  if (it == commits_.end()) {
    Result<CommitInfo> info = reader_.ReadCommit(commit);
    if (!info.ok()) return info.status();
    it = commits_.emplace(commit, std::move(*info)).first;
  }
  return &it->second;
}

Result<Tree> GitSnapshot::TipTree() {
  Result<const CommitInfo*> info = Read(tip_);
  if (!info.ok()) return info.status();
  return (*info)->tree;
}

Result<Tree> GitSnapshot::TreeAt(std::string_view url, std::string_view revision) {
  Result<CommitId> id = LsRemote(url, revision);
  if (!id.ok()) return id.status();
  Result<const CommitInfo*> info = Fetch(url, *id);
  if (!info.ok()) return info.status();
  return (*info)->tree;
}

}  // namespace fleetsim
