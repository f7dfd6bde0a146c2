// A simulated Git repository: a first-parent history on one branch, tags, and the trees of every
// commit (sharing unchanged nodes). Commit ids are the real Git SHA-1s of the commit objects, so a
// scenario always yields the same ids and they match `git commit-tree` for the same content.
//
// Author and committer are both "fleetsim <fleetsim@localhost>" at the commit's time, +0000.
// Commits come from history ops (Commit) or from any other history source that builds a Tree
// (CommitTree): a directory import today, a libgit2 replay of a real repository later.
#ifndef FLEETSIM_SIM_GIT_REPOSITORY_H_
#define FLEETSIM_SIM_GIT_REPOSITORY_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/git/blob_store.h"
#include "sim/git/object_id.h"
#include "sim/git/tree.h"
#include "sim/git/tree_diff.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

struct CommitInfo {
  CommitId id;
  std::optional<CommitId> parent;  // none for the first commit
  Tree tree;
  int64_t unix_time = 0;  // author and committer time, seconds since the epoch, UTC
  std::string message;    // as given, trailing newlines removed
};

class Repository {
 public:
  Repository() = default;  // no commits yet
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;
  Repository(Repository&&) = default;
  Repository& operator=(Repository&&) = default;

  // A repository whose first commit ("initial tree", at unix_time) holds the files under `dir`;
  // see LoadTreeFromDirectory (tree_loader.h) for what is read, skipped and refused.
  static Result<Repository> FromDirectory(const std::string& dir, int64_t unix_time);

  // Applies `ops` in order to the head tree (the empty tree if there is no commit) and appends one
  // commit. All or nothing: if an op fails, no commit is made and the error is the op's message,
  // prefixed with "file:line:column: " from op.pos when op.pos.file is set. Ops that change
  // nothing still make a commit (as `git commit --allow-empty`).
  Result<CommitId> Commit(const std::vector<HistoryOp>& ops, const std::string& message,
                          int64_t unix_time);

  // Appends a commit with exactly `tree`, whose parent is the current head.
  CommitId CommitTree(Tree tree, const std::string& message, int64_t unix_time);

  // Appends a commit made elsewhere (a real repository's), keeping its id. Fails unless its
  // parent is the current head (or it is the first commit here) and its id is new.
  Status AppendCommit(CommitInfo commit);

  // The names of the one branch (without "refs/heads/"); "main" and "master" by default. A
  // replayed repository's branch has its real name only.
  void SetBranchNames(std::vector<std::string> names) { branch_names_ = std::move(names); }

  // Creates or moves tag `name` (no "refs/tags/" prefix). Fails if `target` is not a commit here
  // or the name is empty, "HEAD", or contains whitespace or control characters.
  Status SetTag(const std::string& name, const CommitId& target);

  // Resolves a targetRevision as Argo CD does against this repository, in this order: a full
  // 40-hex id (either case) of a commit here; "", "HEAD", and the branch under any of its names
  // (by default main, master, refs/heads/main, refs/heads/master); a tag
  // (name or refs/tags/name); a hex prefix of at least 7 digits naming exactly one commit. Else
  // "unable to resolve '<rev>' to a commit SHA" (Argo CD 3.5's message), with ": the short id is
  // ambiguous" added for an ambiguous prefix. Semver constraints on tags are not supported.
  Result<CommitId> Resolve(std::string_view rev) const;

  bool empty() const { return commits_.empty(); }
  // REQUIRES: !empty().
  const CommitInfo& head() const { return commits_.back(); }
  // nullptr if there is no such commit. Pointers stay valid for the repository's lifetime.
  const CommitInfo* Find(const CommitId& id) const;
  const std::deque<CommitInfo>& commits() const { return commits_; }  // oldest first
  const std::map<std::string, CommitId>& tags() const { return tags_; }

  // Files added, changed and deleted going from commit `from` to commit `to`.
  Result<TreeDiff> Diff(const CommitId& from, const CommitId& to) const;

  BlobStore& blobs() { return blobs_; }

 private:
  BlobStore blobs_;
  std::deque<CommitInfo> commits_;        // first-parent order; deque keeps addresses
  std::map<CommitId, size_t> index_;      // id -> position in commits_
  std::map<std::string, size_t> by_hex_;  // hex id -> position, for prefix lookups
  std::map<std::string, CommitId> tags_;
  std::vector<std::string> branch_names_ = {"main", "master"};
};

// The body of the Git commit object fleetsim writes (see the top of this file).
std::string CommitObjectText(const TreeId& tree, const std::optional<CommitId>& parent,
                             int64_t unix_time, std::string_view message);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_REPOSITORY_H_
