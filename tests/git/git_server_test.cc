// The Git server's generation (GitRemote::generation): the repo-server keeps the answer of a fetch
// while the generation stays put, so it must move with everything that can change an answer (a
// push, a repository added, a repository becoming unreachable or reachable again) and only then.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "sim/git/git_server.h"

namespace fleetsim {
namespace {

HistoryOp Write(const std::string& path, const std::string& content) {
  return {.kind = HistoryOp::Kind::kWrite, .path = path, .content = content};
}

constexpr char kUrl[] = "https://example.com/apps.git";

Repository OneCommit() {
  Repository repo;
  EXPECT_TRUE(repo.Commit({Write("a/cm.yaml", "kind: ConfigMap\n")}, "init", 0).ok());
  return repo;
}

TEST(GitServerGenerationTest, MovesWithEveryChangeAFetchCanSee) {
  GitServer git;
  UnreachableGit remote(git);
  uint64_t last = remote.generation();
  auto moved = [&] {
    const uint64_t now = remote.generation();
    const bool changed = now != last;
    last = now;
    return changed;
  };

  git.AddRepository("apps", kUrl, OneCommit());
  EXPECT_TRUE(moved());
  Result<CommitId> head = remote.LsRemote(kUrl, "HEAD");
  ASSERT_TRUE(head.ok()) << head.error();
  ASSERT_TRUE(remote.Fetch(kUrl, *head).ok());
  EXPECT_FALSE(moved());  // reading changes nothing

  ASSERT_TRUE(git.Push("apps", {Write("a/cm.yaml", "kind: ConfigMap\nv: 2\n")}, "bump", 60).ok());
  EXPECT_TRUE(moved());

  remote.SetUnreachable(kUrl, true);
  EXPECT_TRUE(moved());
  EXPECT_FALSE(remote.Fetch(kUrl, *head).ok());
  remote.SetUnreachable(kUrl, false);
  EXPECT_TRUE(moved());
  EXPECT_TRUE(remote.Fetch(kUrl, *head).ok());

  CommitInfo replayed = git.FindByName("apps")->head();
  replayed.parent = replayed.id;
  replayed.id = CommitId::FromHex(std::string(40, 'b')).value();
  ASSERT_TRUE(git.PushCommit("apps", std::move(replayed), {}).ok());
  EXPECT_TRUE(moved());
  EXPECT_FALSE(moved());
}

}  // namespace
}  // namespace fleetsim
