// Replaying real repositories built in the test with libgit2: the range, landing times, revision
// resolution at each replay point, tree sharing and load errors with their positions.
#include "sim/git/git_replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/git/git_server.h"
#include "tests/support/git_repo_builder.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using testing_support::GitRepoBuilder;

constexpr int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z

// Four commits on main: c[0] at T0, then +60 s, +300 s, +900 s; tag v1 (annotated) on c[2].
class GitReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.push_back(repo_.Commit({{"base/kustomization.yaml", "resources: [cm.yaml]\n"},
                               {"base/cm.yaml", "v: 1\n"},
                               {"docs/readme.md", "hello\n"}},
                              kT0, "initial"));
    c_.push_back(repo_.Commit({{"docs/readme.md", "hello again\n"}}, kT0 + 60, "docs"));
    c_.push_back(repo_.Commit({{"base/cm.yaml", "v: 2\n"}}, kT0 + 300, "bump\n\nbody text"));
    c_.push_back(repo_.Commit({{"apps/a.yaml", "x: 1\n"}}, kT0 + 900, "add app"));
    repo_.Tag("v1", c_[2], /*annotated=*/true);
    repo_.Tag("v0", c_[0]);
  }

  RepoSpec Spec(std::string from, std::string to = "", std::optional<SimDuration> every = {}) {
    RepoSpec spec;
    spec.name = "apps";
    spec.url = "https://example.com/apps.git";
    spec.git = repo_.path();
    spec.git_pos = {"s.yaml", 3, 20};
    ReplaySpec replay;
    replay.from = std::move(from);
    replay.to = std::move(to);
    replay.every = every;
    replay.from_pos = {"s.yaml", 4, 11};
    replay.to_pos = {"s.yaml", 4, 30};
    spec.replay = replay;
    return spec;
  }

  GitRepoBuilder repo_;
  std::vector<std::string> c_;
};

std::string Hex(const CommitId& id) { return id.hex(); }

TEST_F(GitReplayTest, ReplaysFirstParentRangeAtCommitTimes) {
  Result<GitReplay> replay = LoadGitReplay(Spec(c_[0]));
  ASSERT_TRUE(replay.ok()) << replay.error();
  EXPECT_EQ(Hex(replay->repository.head().id), c_[0]);
  ASSERT_EQ(replay->commits.size(), 3u);
  EXPECT_EQ(Hex(replay->commits[0].commit.id), c_[1]);
  EXPECT_EQ(Hex(replay->commits[2].commit.id), c_[3]);
  EXPECT_EQ(replay->commits[0].at, SimDuration::Seconds(60));
  EXPECT_EQ(replay->commits[1].at, SimDuration::Seconds(300));
  EXPECT_EQ(replay->commits[2].at, SimDuration::Seconds(900));
  EXPECT_EQ(Hex(*replay->commits[1].commit.parent), c_[1]);
  EXPECT_EQ(replay->commits[1].commit.message, "bump\n\nbody text");
  EXPECT_EQ(replay->commits[1].tags, std::vector<std::string>{"v1"});
}

TEST_F(GitReplayTest, EverySpacesCommitsEvenly) {
  Result<GitReplay> replay = LoadGitReplay(Spec("v0", c_[2], SimDuration::Minutes(10)));
  ASSERT_TRUE(replay.ok()) << replay.error();
  ASSERT_EQ(replay->commits.size(), 2u);
  EXPECT_EQ(replay->commits[0].at, SimDuration::Minutes(10));
  EXPECT_EQ(replay->commits[1].at, SimDuration::Minutes(20));
  EXPECT_EQ(Hex(replay->commits[1].commit.id), c_[2]);
}

TEST_F(GitReplayTest, DefaultsToRootThroughHead) {
  Result<GitReplay> replay = LoadGitReplay(Spec(""));
  ASSERT_TRUE(replay.ok()) << replay.error();
  EXPECT_EQ(Hex(replay->repository.head().id), c_[0]);
  EXPECT_EQ(replay->commits.size(), 3u);
  RepoSpec snapshot = Spec("");
  snapshot.replay.reset();
  Result<GitReplay> head = LoadGitReplay(snapshot);
  ASSERT_TRUE(head.ok()) << head.error();
  EXPECT_EQ(Hex(head->repository.head().id), c_[3]);
  EXPECT_TRUE(head->commits.empty());
}

TEST_F(GitReplayTest, TreesAreRealAndShared) {
  Result<GitReplay> replay = LoadGitReplay(Spec(c_[0]));
  ASSERT_TRUE(replay.ok()) << replay.error();
  const Tree& first = replay->repository.head().tree;
  const Tree& docs_only = replay->commits[0].commit.tree;
  EXPECT_EQ(first.FindFile("base/cm.yaml")->content(), "v: 1\n");
  EXPECT_EQ(docs_only.FindFile("docs/readme.md")->content(), "hello again\n");
  // base/ is unchanged by the docs commit: the very same node.
  EXPECT_EQ(first.FindDirectory("base").get(), docs_only.FindDirectory("base").get());
  EXPECT_NE(docs_only.FindDirectory("base").get(),
            replay->commits[1].commit.tree.FindDirectory("base").get());
}

TEST_F(GitReplayTest, RevisionsResolveOnlyOnceLanded) {
  Result<GitReplay> replay = LoadGitReplay(Spec(c_[0]));
  ASSERT_TRUE(replay.ok()) << replay.error();
  GitServer server;
  server.AddRepository("apps", "https://example.com/apps.git", std::move(replay->repository));
  const std::string url = "https://example.com/apps.git";
  auto resolve = [&](const std::string& rev) -> std::string {
    Result<CommitId> id = server.LsRemote(url, rev);
    return id.ok() ? Hex(*id) : "error: " + id.error();
  };
  EXPECT_EQ(resolve("HEAD"), c_[0]);
  EXPECT_EQ(resolve("main"), c_[0]);
  EXPECT_EQ(resolve("refs/heads/main"), c_[0]);
  EXPECT_THAT(resolve("master"), HasSubstr("unable to resolve 'master'"));
  EXPECT_EQ(resolve("v0"), c_[0]);
  EXPECT_THAT(resolve("v1"), HasSubstr("unable to resolve"));
  EXPECT_THAT(resolve(c_[2].substr(0, 8)), HasSubstr("unable to resolve"));

  for (size_t i = 0; i < 2; ++i) {
    ReplayedCommit& c = replay->commits[i];
    ASSERT_TRUE(server.PushCommit("apps", std::move(c.commit), c.tags).ok());
  }
  EXPECT_EQ(resolve("main"), c_[2]);
  EXPECT_EQ(resolve("v1"), c_[2]);
  EXPECT_EQ(resolve("refs/tags/v1"), c_[2]);
  EXPECT_EQ(resolve(c_[1]), c_[1]);
  EXPECT_EQ(resolve(c_[1].substr(0, 7)), c_[1]);
  EXPECT_THAT(resolve(c_[3]), HasSubstr("unable to resolve"));
}

TEST_F(GitReplayTest, NotARepositoryNamesTheGitField) {
  RepoSpec spec = Spec("");
  spec.git = repo_.path() + "/base";
  Result<GitReplay> replay = LoadGitReplay(spec);
  ASSERT_FALSE(replay.ok());
  EXPECT_THAT(replay.error(), HasSubstr("s.yaml:3:20: repo apps: "));
  EXPECT_THAT(replay.error(), HasSubstr("is not a Git repository"));
}

TEST_F(GitReplayTest, UnknownRevisionNamesItsField) {
  Result<GitReplay> from = LoadGitReplay(Spec("no-such-tag"));
  ASSERT_FALSE(from.ok());
  EXPECT_THAT(from.error(), HasSubstr("s.yaml:4:11: repo apps: replay.from: unknown revision"));
  Result<GitReplay> to = LoadGitReplay(Spec("", "deadbeef"));
  ASSERT_FALSE(to.ok());
  EXPECT_THAT(to.error(), HasSubstr("s.yaml:4:30: repo apps: replay.to: unknown revision"));
}

TEST_F(GitReplayTest, FromAfterToIsRefused) {
  Result<GitReplay> replay = LoadGitReplay(Spec(c_[3], c_[1]));
  ASSERT_FALSE(replay.ok());
  EXPECT_THAT(replay.error(), HasSubstr("s.yaml:4:11: "));
  EXPECT_THAT(replay.error(), HasSubstr("is not on the first-parent history of replay.to"));
}

TEST_F(GitReplayTest, CommitTimesNeverGoBack) {
  GitRepoBuilder repo;
  std::string a = repo.Commit({{"f", "1"}}, kT0, "a");
  repo.Commit({{"f", "2"}}, kT0 + 100, "b");
  repo.Commit({{"f", "3"}}, kT0 + 50, "c (rebased, older time)");
  RepoSpec spec = Spec(a);
  spec.git = repo.path();
  Result<GitReplay> replay = LoadGitReplay(spec);
  ASSERT_TRUE(replay.ok()) << replay.error();
  ASSERT_EQ(replay->commits.size(), 2u);
  EXPECT_EQ(replay->commits[1].at, SimDuration::Seconds(100));
}

}  // namespace
}  // namespace fleetsim
