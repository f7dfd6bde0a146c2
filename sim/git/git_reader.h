// A real Git repository read through libgit2: revisions resolved as `git rev-parse` resolves them,
// commits imported with their trees as fleetsim Trees. Trees are imported once per Git tree id, so
// directories two commits share are shared nodes, and file contents are read from the repository
// on first use (blob_store.h). Files keep mode 100644 (an executable bit is dropped); symbolic
// links and submodules are left out. Used by the replay of a real history (git_replay.h) and by the
// commands that compare revisions (`fleetsim diff`, `appset generate --git`).
#ifndef FLEETSIM_SIM_GIT_GIT_READER_H_
#define FLEETSIM_SIM_GIT_GIT_READER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/git/blob_store.h"
#include "sim/git/object_id.h"
#include "sim/git/repository.h"

namespace fleetsim {

class GitReader {
 public:
  // Opens the repository at `path` (a work tree or a bare repository; parents are not searched).
  // Imported blobs go to `blobs`. REQUIRES: `blobs` outlives the reader.
  // Error: "\"PATH\" is not a Git repository: <libgit2's reason>".
  static Result<std::unique_ptr<GitReader>> Open(const std::string& path, BlobStore& blobs);
  ~GitReader();
  GitReader(const GitReader&) = delete;
  GitReader& operator=(const GitReader&) = delete;

  // The commit `rev` names (anything `git rev-parse` takes), annotated tags peeled.
  // Errors: "unknown revision \"REV\": <reason>", "revision \"REV\" does not name a commit".
  Result<CommitId> ResolveCommit(const std::string& rev);
  // The commit with its id, first parent, tree, committer time and message.
  Result<CommitInfo> ReadCommit(const CommitId& id);
  // The first parent of `id`; nullopt for a root commit.
  Result<std::optional<CommitId>> FirstParent(const CommitId& id);

  // The branch `rev` names (a local or remote-tracking branch, without the remote), else the one
  // HEAD is on; "" when neither is a branch.
  std::string BranchName(const std::string& rev);
  // Whether `name` is a local or remote-tracking branch ("main", "origin/main").
  bool IsBranch(const std::string& name);
  // Tag names by the commit they point at (annotated tags peeled), each list sorted.
  std::map<CommitId, std::vector<std::string>> TagsByCommit();
  // The URL of remote `name` ("origin"), or "" when there is none.
  std::string RemoteUrl(const std::string& name);

 private:
  class Impl;
  explicit GitReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_GIT_READER_H_
