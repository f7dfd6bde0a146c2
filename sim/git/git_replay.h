// Replaying a real Git repository (a scenario's `repos.X: {git: PATH, replay: {...}}`), read with
// libgit2 at load time.
//
// The range is `git log --first-parent FROM..TO`: `replay.from` is the repository's state at t=0
// and does not land again; the commits after it on the first-parent history of `replay.to` land one
// by one, oldest first. `to` defaults to HEAD; `from` to the root of `to`'s first-parent history.
// Without `replay:` the repository is HEAD and nothing lands. Revisions are anything
// `git rev-parse` takes (branch, tag, full or abbreviated id, `main~3`), peeled to a commit.
//
// Landing times: with `every`, the k-th commit lands at k × every; otherwise at its committer time
// minus `from`'s, but never before the commit ahead of it (a rebased history can go back in time).
//
// What the simulated repository knows, so that Argo CD resolves revisions as it would at that
// point of the history: `from` and each replayed commit once it has landed (full or abbreviated
// ids), with their real ids; tags pointing at one of them (annotated tags peeled), each appearing
// when its commit lands; the branch under the name `to` gives (or HEAD's branch when `to` is not a
// branch name), always at the last landed commit. Commits before `from` or on merged side branches,
// other branches, and tags on such commits are not known.
//
// Trees are imported once per Git tree id, so directories a commit leaves unchanged share their
// nodes with the commit before, and file contents are read from the repository on first use.
// Files keep mode 100644 (an executable bit is dropped); symbolic links and submodules are left
// out. Trees that had none of these keep their real Git ids.
#ifndef FLEETSIM_SIM_GIT_GIT_REPLAY_H_
#define FLEETSIM_SIM_GIT_GIT_REPLAY_H_

#include <string>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/git/repository.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

struct ReplayedCommit {
  CommitInfo commit;              // the real id, parent, tree, committer time and message
  SimDuration at;                 // when it lands, after t=0
  std::vector<std::string> tags;  // tags pointing at it, sorted
};

struct GitReplay {
  Repository repository;                // the branch at `from`, with from's tags
  std::vector<ReplayedCommit> commits;  // from..to, oldest first
};

// Opens `spec.git` and prepares its replay. Errors read "file:line:column: repo NAME: why", at the
// field concerned: `git` (not a repository), `replay.from` / `replay.to` (unknown revision, `from`
// not on `to`'s first-parent history).
Result<GitReplay> LoadGitReplay(const RepoSpec& spec);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_GIT_REPLAY_H_
