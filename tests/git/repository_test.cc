#include "sim/git/repository.h"

#include <map>

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::DeleteOp;
using testing_git::FileText;
using testing_git::ScratchDir;
using testing_git::WriteOp;

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z

// The sample tree whose ids were computed with real git (see tree_test.cc).
Repository SampleRepo() {
  ScratchDir dir;
  dir.Write("README.md", "hello\n");
  dir.Write("apps/a.yaml", "kind: A\n");
  dir.Write("apps/b/c.yaml", "kind: C\n");
  dir.Write("apps-x", "x\n");
  dir.Write("apps.txt", "t\n");
  Result<Repository> repo = Repository::FromDirectory(dir.path(), kStart);
  EXPECT_TRUE(repo.ok()) << repo.error();
  return std::move(repo).value();
}

// Verified with GIT_AUTHOR_DATE/GIT_COMMITTER_DATE='<t> +0000', author and committer
// fleetsim <fleetsim@localhost>, and `git commit-tree <tree> [-p <parent>] -m <message>`.
constexpr char kInitialId[] = "c63ced2c10507179641e04ca5e8e9c5b90289007";
constexpr char kSecondId[] = "1abb263d1764388615fc0e5bdbe02f3c8163c6bf";

TEST(RepositoryTest, InitialCommitIdMatchesGitCommitTree) {
  Repository repo = SampleRepo();
  ASSERT_EQ(repo.commits().size(), 1u);
  EXPECT_EQ(repo.head().id.hex(), kInitialId);
  EXPECT_EQ(repo.head().tree.id().hex(), "25e8bf81b09586c9d7c73b45503dba16399e34c8");
  EXPECT_EQ(repo.head().message, "initial tree");
  EXPECT_FALSE(repo.head().parent.has_value());
}

TEST(RepositoryTest, ChildCommitIdMatchesGitCommitTree) {
  Repository repo = SampleRepo();
  Result<CommitId> id =
      repo.Commit({WriteOp("README.md", "hello again\n")}, "update readme", kStart + 1800);
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(id->hex(), kSecondId);
  EXPECT_EQ(repo.head().tree.id().hex(), "d77e3e6eb053473588eca2e763cc75ae16e48e6e");
  EXPECT_EQ(repo.head().parent->hex(), kInitialId);
  EXPECT_EQ(repo.head().unix_time, kStart + 1800);
}

TEST(RepositoryTest, CommitObjectTextIsGitsFormat) {
  const TreeId tree = Tree().id();
  const CommitId parent = *ObjectId::FromHex(kInitialId);
  EXPECT_EQ(CommitObjectText(tree, parent, 42, "msg\n"),
            "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
            "parent c63ced2c10507179641e04ca5e8e9c5b90289007\n"
            "author fleetsim <fleetsim@localhost> 42 +0000\n"
            "committer fleetsim <fleetsim@localhost> 42 +0000\n"
            "\n"
            "msg\n");
}

TEST(RepositoryTest, SameHistoryGivesSameIds) {
  Repository a = SampleRepo();
  Repository b = SampleRepo();
  const std::vector<HistoryOp> ops = {WriteOp("x.yaml", "a: 1\n")};
  EXPECT_EQ(a.Commit(ops, "m", kStart + 60).value(), b.Commit(ops, "m", kStart + 60).value());
}

TEST(RepositoryTest, CommitOnEmptyRepositoryIsARootCommit) {
  Repository repo;
  Result<CommitId> id = repo.Commit({WriteOp("a", "1")}, "first", kStart);
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(repo.head().parent.has_value());
  EXPECT_EQ(FileText(repo.head().tree, "a"), "1");
}

TEST(RepositoryTest, FailingOpLeavesNoCommit) {
  Repository repo = SampleRepo();
  HistoryOp bad = DeleteOp("nope");
  bad.pos = SourcePos{"scenario.yaml", 12, 7};
  Result<CommitId> id = repo.Commit({WriteOp("new.yaml", "a: 1\n"), bad}, "two ops", kStart + 60);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error(), "scenario.yaml:12:7: path \"nope\" does not exist");
  EXPECT_EQ(repo.commits().size(), 1u);
  EXPECT_EQ(repo.head().id.hex(), kInitialId);
  EXPECT_EQ(repo.head().tree.Kind("new.yaml"), PathKind::kMissing);
}

TEST(RepositoryTest, OpErrorWithoutPositionHasNoPrefix) {
  Repository repo = SampleRepo();
  EXPECT_EQ(repo.Commit({DeleteOp("nope")}, "m", kStart).error(), "path \"nope\" does not exist");
}

TEST(RepositoryTest, FromDirectoryPropagatesLoadErrors) {
  Result<Repository> repo = Repository::FromDirectory("/nonexistent/fleetsim", kStart);
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.error(), "not a directory: /nonexistent/fleetsim");
}

class ResolveTest : public ::testing::Test {
 protected:
  ResolveTest() : repo_(SampleRepo()) {
    first_ = repo_.head().id;
    second_ =
        *repo_.Commit({WriteOp("README.md", "hello again\n")}, "update readme", kStart + 1800);
  }
  Repository repo_;
  CommitId first_;
  CommitId second_;
};

TEST_F(ResolveTest, BranchNamesAndHeadResolveToHead) {
  for (const char* rev : {"HEAD", "main", "master", "", "refs/heads/main", "refs/heads/master"}) {
    Result<CommitId> id = repo_.Resolve(rev);
    ASSERT_TRUE(id.ok()) << rev;
    EXPECT_EQ(*id, second_) << rev;
  }
}

TEST_F(ResolveTest, TagResolvesByNameAndFullRef) {
  ASSERT_TRUE(repo_.SetTag("v1.0.0", first_).ok());
  EXPECT_EQ(repo_.Resolve("v1.0.0").value(), first_);
  EXPECT_EQ(repo_.Resolve("refs/tags/v1.0.0").value(), first_);
}

TEST_F(ResolveTest, FullIdResolvesInEitherCase) {
  EXPECT_EQ(repo_.Resolve(kInitialId).value(), first_);
  std::string upper = kInitialId;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(repo_.Resolve(upper).value(), first_);
}

TEST_F(ResolveTest, UniquePrefixOfSevenOrMoreResolves) {
  EXPECT_EQ(repo_.Resolve("c63ced2").value(), first_);
  EXPECT_EQ(repo_.Resolve("1abb263d17").value(), second_);
}

TEST_F(ResolveTest, ShortPrefixDoesNotResolve) {
  EXPECT_EQ(repo_.Resolve("c63ced").error(), "unable to resolve 'c63ced' to a commit SHA");
}

TEST_F(ResolveTest, UnknownRevisionGivesArgoCdMessage) {
  EXPECT_EQ(repo_.Resolve("feature/x").error(), "unable to resolve 'feature/x' to a commit SHA");
  EXPECT_EQ(repo_.Resolve("deadbeefdeadbeefdeadbeefdeadbeefdeadbeef").error(),
            "unable to resolve 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef' to a commit SHA");
}

TEST(RepositoryResolveTest, AmbiguousPrefixIsAnError) {
  Repository repo;
  std::map<std::string, CommitId> by_prefix;
  std::string shared;
  for (int64_t t = 0; t < 200000 && shared.empty(); ++t) {
    const CommitId id = repo.CommitTree(Tree(), "m", t);
    const std::string prefix = id.hex().substr(0, 7);
    if (!by_prefix.emplace(prefix, id).second) shared = prefix;
  }
  ASSERT_FALSE(shared.empty());
  EXPECT_EQ(repo.Resolve(shared).error(),
            "unable to resolve '" + shared + "' to a commit SHA: the short id is ambiguous");
  EXPECT_TRUE(repo.Resolve(by_prefix[shared].hex()).ok());
}

TEST(RepositoryResolveTest, EmptyRepositoryResolvesNothing) {
  EXPECT_EQ(Repository().Resolve("HEAD").error(), "unable to resolve 'HEAD' to a commit SHA");
}

TEST(RepositoryTagTest, TagMustNameACommitAndBeValid) {
  Repository repo = SampleRepo();
  EXPECT_FALSE(repo.SetTag("v1", Tree().id()).ok());
  EXPECT_EQ(repo.SetTag("bad name", repo.head().id).message(), "invalid tag name 'bad name'");
  EXPECT_FALSE(repo.SetTag("HEAD", repo.head().id).ok());
  EXPECT_TRUE(repo.tags().empty());
}

TEST(RepositoryTest, FindGivesCommitDetails) {
  Repository repo = SampleRepo();
  const CommitId second = *repo.Commit({WriteOp("a", "1")}, "second\n", kStart + 5);
  const CommitInfo* info = repo.Find(second);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->message, "second");
  EXPECT_EQ(info->unix_time, kStart + 5);
  EXPECT_EQ(*info->parent, repo.commits().front().id);
  EXPECT_EQ(repo.Find(Tree().id()), nullptr);
}

TEST(RepositoryTest, DiffBetweenCommits) {
  Repository repo = SampleRepo();
  const CommitId first = repo.head().id;
  const CommitId second =
      *repo.Commit({WriteOp("README.md", "x\n"), DeleteOp("apps/b")}, "m", kStart + 60);
  Result<TreeDiff> diff = repo.Diff(first, second);
  ASSERT_TRUE(diff.ok());
  EXPECT_EQ(diff->changed, std::vector<std::string>{"README.md"});
  EXPECT_EQ(diff->deleted, std::vector<std::string>{"apps/b/c.yaml"});
  EXPECT_TRUE(diff->added.empty());
  EXPECT_FALSE(repo.Diff(first, Tree().id()).ok());
}

}  // namespace
}  // namespace fleetsim
