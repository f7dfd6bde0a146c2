// The Git hosting the scenario's repositories, as Argo CD's repo-server reaches it: `git ls-remote`
// to resolve a revision and a fetch of a commit's tree. Commits land (are pushed) during the run;
// nothing after the last push is visible. Faults wrap the GitRemote interface (UnreachableGit),
// so the repo-server cannot tell an injected outage from a real one.
#ifndef FLEETSIM_SIM_GIT_GIT_SERVER_H_
#define FLEETSIM_SIM_GIT_GIT_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/git/repository.h"

namespace fleetsim {

// The error Argo CD shows for a repoURL no Git server answers for.
Status RepositoryNotFound(std::string_view url);

class GitRemote {
 public:
  virtual ~GitRemote() = default;
  // The commit `revision` names now (Repository::Resolve rules). `url` is compared normalised.
  virtual Result<CommitId> LsRemote(std::string_view url, std::string_view revision) = 0;
  // The commit, once it has been pushed. REQUIRES: the pointer is used before the next push.
  virtual Result<const CommitInfo*> Fetch(std::string_view url, const CommitId& commit) = 0;
};

class GitServer : public GitRemote {
 public:
  using PushObserver = std::function<void(const std::string& repo_name, const CommitId& commit)>;

  // Registers `repo` under `name` and `url`. REQUIRES: names and normalised URLs are unique.
  void AddRepository(const std::string& name, const std::string& url, Repository repo);

  // Applies `ops` as one commit on `name` (Repository::Commit) and tells the push observers.
  Result<CommitId> Push(const std::string& name, const std::vector<HistoryOp>& ops,
                        const std::string& message, int64_t unix_time);
  // Appends `commit` (made elsewhere: a replayed real commit) to `name`, moves `tags` to it and
  // tells the push observers (Repository::AppendCommit, SetTag).
  Status PushCommit(const std::string& name, CommitInfo commit,
                    const std::vector<std::string>& tags);
  void AddPushObserver(PushObserver observer) { observers_.push_back(std::move(observer)); }

  Result<CommitId> LsRemote(std::string_view url, std::string_view revision) override;
  Result<const CommitInfo*> Fetch(std::string_view url, const CommitId& commit) override;

  // nullptr if no repository has that name / that URL (normalised).
  const Repository* FindByName(std::string_view name) const;
  const Repository* FindByUrl(std::string_view url) const;
  // The registered name of the repository at `url`, or "" if none.
  std::string NameOf(std::string_view url) const;

 private:
  struct Entry {
    std::string name;
    std::string url;
    Repository repo;
  };
  Entry* EntryByUrl(std::string_view url) const;

  std::vector<std::unique_ptr<Entry>> entries_;
  std::map<std::string, Entry*, std::less<>> by_name_;
  std::map<std::string, Entry*, std::less<>> by_url_;  // normalised URL
  // EntryByUrl's last question and answer: every refresh asks for the same few URLs, and
  // normalising one costs more than the lookup. Reset when a repository is added.
  mutable std::string last_url_;
  mutable Entry* last_entry_ = nullptr;
  mutable bool has_last_ = false;
  std::vector<PushObserver> observers_;
};

// A Git server some of whose repositories cannot be reached (the git-unreachable fault).
class UnreachableGit : public GitRemote {
 public:
  explicit UnreachableGit(GitRemote& inner) : inner_(inner) {}

  void SetUnreachable(const std::string& url, bool unreachable);
  bool IsUnreachable(std::string_view url) const;

  Result<CommitId> LsRemote(std::string_view url, std::string_view revision) override;
  Result<const CommitInfo*> Fetch(std::string_view url, const CommitId& commit) override;

 private:
  GitRemote& inner_;
  std::multiset<std::string, std::less<>> down_;  // normalised URLs; overlapping faults nest
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_GIT_SERVER_H_
