// One revision of a real repository as Argo CD would see it were it the branch tip
// (sim/git/git_snapshot.h): which repoURLs name the repository and how revisions resolve.
#include "sim/git/git_snapshot.h"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/git_repo_builder.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using testing_support::GitRepoBuilder;

constexpr char kUrl[] = "https://github.com/acme/apps.git";

class GitSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.push_back(repo_.Commit({{"apps/a.yaml", "x: 1\n"}}, 1767225600, "one"));
    c_.push_back(repo_.Commit({{"apps/b.yaml", "x: 2\n"}}, 1767225660, "two"));
    c_.push_back(repo_.Commit({{"apps/c.yaml", "x: 3\n"}}, 1767225720, "three"));
    repo_.Tag("v1", c_[1], /*annotated=*/true);
    Result<std::unique_ptr<GitReader>> reader = GitReader::Open(repo_.path(), blobs_);
    ASSERT_TRUE(reader.ok()) << reader.error();
    reader_ = std::move(*reader);
  }

  CommitId Id(const std::string& hex) { return *ObjectId::FromHex(hex); }

  GitRepoBuilder repo_;
  BlobStore blobs_;
  std::unique_ptr<GitReader> reader_;
  std::vector<std::string> c_;
};

TEST_F(GitSnapshotTest, HeadAndTheBranchNameTheTip) {
  GitSnapshot snapshot(*reader_, Id(c_[0]), reader_->BranchName("HEAD"), "");
  for (const char* rev : {"", "HEAD", "main", "refs/heads/main", "origin/main"}) {
    Result<CommitId> id = snapshot.LsRemote(kUrl, rev);
    ASSERT_TRUE(id.ok()) << rev << ": " << id.error();
    EXPECT_EQ(id->hex(), c_[0]) << rev;
  }
  Result<Tree> tree = snapshot.TreeAt(kUrl, "main");
  ASSERT_TRUE(tree.ok()) << tree.error();
  EXPECT_EQ(tree->Kind("apps/a.yaml"), PathKind::kFile);
  EXPECT_EQ(tree->Kind("apps/b.yaml"), PathKind::kMissing);
}

TEST_F(GitSnapshotTest, TagsAndIdsResolveInTheRepository) {
  GitSnapshot snapshot(*reader_, Id(c_[0]), "main", "");
  EXPECT_EQ(snapshot.LsRemote(kUrl, "v1")->hex(), c_[1]);  // annotated tag peeled
  EXPECT_EQ(snapshot.LsRemote(kUrl, c_[2].substr(0, 7))->hex(), c_[2]);
  Result<CommitId> unknown = snapshot.LsRemote(kUrl, "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), "unable to resolve 'nope' to a commit SHA");
}

TEST_F(GitSnapshotTest, WithoutOriginEveryUrlIsThisRepository) {
  GitSnapshot snapshot(*reader_, Id(c_[2]), "main", reader_->RemoteUrl("origin"));
  EXPECT_TRUE(snapshot.Names("https://example.com/anything"));
}

TEST_F(GitSnapshotTest, OriginDecidesWhichUrlsAreThisRepository) {
  // As `git remote add origin URL` writes it.
  std::ofstream(repo_.path() + "/.git/config", std::ios::app)
      << "[remote \"origin\"]\n\turl = https://GitHub.com/Acme/Apps.git\n"
      << "\tfetch = +refs/heads/*:refs/remotes/origin/*\n";

  GitSnapshot snapshot(*reader_, Id(c_[2]), "main", reader_->RemoteUrl("origin"));
  EXPECT_TRUE(snapshot.Names("https://github.com/acme/apps"));
  EXPECT_FALSE(snapshot.Names("https://github.com/acme/platform.git"));
  Result<CommitId> other = snapshot.LsRemote("https://github.com/acme/platform.git", "HEAD");
  ASSERT_FALSE(other.ok());
  EXPECT_THAT(other.error(), HasSubstr("repository not found"));
}

}  // namespace
}  // namespace fleetsim
