#include "sim/git/tree.h"

#include <git2.h>

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::ScratchDir;

Tree Build(BlobStore& blobs, const std::map<std::string, std::string>& files) {
  Tree tree;
  for (const auto& [path, content] : files) {
    Result<Tree> next = tree.WithFile(path, blobs.Intern(content));
    EXPECT_TRUE(next.ok()) << next.error();
    tree = *next;
  }
  return tree;
}

// The tree `git add` + `git write-tree` gives for `files`, computed by libgit2's own index code.
std::string Libgit2WriteTree(const std::map<std::string, std::string>& files) {
  ScratchDir dir;
  git_libgit2_init();
  git_repository* repo = nullptr;
  git_index* index = nullptr;
  git_oid oid;
  EXPECT_EQ(git_repository_init(&repo, dir.path().c_str(), 0), 0);
  EXPECT_EQ(git_repository_index(&index, repo), 0);
  for (const auto& [path, content] : files) {
    git_index_entry entry{};
    entry.mode = GIT_FILEMODE_BLOB;
    entry.path = path.c_str();
    EXPECT_EQ(git_index_add_from_buffer(index, &entry, content.data(), content.size()), 0);
  }
  EXPECT_EQ(git_index_write_tree(&oid, index), 0);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &oid);
  git_index_free(index);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return hex;
}

const std::map<std::string, std::string> kSample = {
    {"README.md", "hello\n"}, {"apps/a.yaml", "kind: A\n"}, {"apps/b/c.yaml", "kind: C\n"},
    {"apps-x", "x\n"},        {"apps.txt", "t\n"},
};

// Names whose Git order differs from plain byte order ("foo/" sorts after "foo-bar", "foo.txt").
const std::map<std::string, std::string> kTricky = {
    {"foo/x", "1"}, {"foo-bar", "2"}, {"foo.txt", "3"},   {"foo0", "4"}, {"foo.d/y", "5"},
    {"Foo", "6"},   {"_x", "7"},      {"foo/sub/z", "8"}, {"a b", "9"},
};

TEST(TreeTest, EmptyTreeHasGitsEmptyTreeId) {
  EXPECT_EQ(Tree().id().hex(), "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
}

TEST(TreeTest, TreeIdsMatchGitWriteTree) {
  BlobStore blobs;
  Tree tree = Build(blobs, kSample);
  // Computed once with: git add -A && git write-tree; git rev-parse <tree>:apps, <tree>:apps/b.
  EXPECT_EQ(tree.id().hex(), "25e8bf81b09586c9d7c73b45503dba16399e34c8");
  EXPECT_EQ(tree.DirectoryId("apps")->hex(), "2e7ed1fb4176236c73090768e5c340b4b1cec93b");
  EXPECT_EQ(tree.DirectoryId("apps/b")->hex(), "e2f79babad4cee3a1a29be21c22b14db732ca22b");
}

TEST(TreeTest, EntryOrderMatchesLibgit2Index) {
  BlobStore blobs;
  EXPECT_EQ(Build(blobs, kTricky).id().hex(), Libgit2WriteTree(kTricky));
}

TEST(TreeTest, EntriesAreInGitOrder) {
  BlobStore blobs;
  Tree tree = Build(blobs, kTricky);
  std::vector<std::string> names;
  for (const TreeEntry& e : tree.root()->entries()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Foo", "_x", "a b", "foo-bar", "foo.d", "foo.txt",
                                             "foo", "foo0"}));
}

TEST(TreeTest, WalkVisitsFilesInPathByteOrder) {
  BlobStore blobs;
  std::vector<std::string> paths = Build(blobs, kTricky).FilePaths("");
  EXPECT_EQ(paths.size(), kTricky.size());
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end()));
}

TEST(TreeTest, WalkOfSubdirectoryGivesPathsFromRoot) {
  BlobStore blobs;
  EXPECT_EQ(Build(blobs, kSample).FilePaths("apps/"),
            (std::vector<std::string>{"apps/a.yaml", "apps/b/c.yaml"}));
}

TEST(TreeTest, WalkOfMissingDirectoryIsFalse) {
  BlobStore blobs;
  Tree tree = Build(blobs, kSample);
  EXPECT_FALSE(tree.Walk("nope", [](const std::string&, const Blob&) { ADD_FAILURE(); }));
  EXPECT_FALSE(tree.Walk("README.md", [](const std::string&, const Blob&) { ADD_FAILURE(); }));
}

TEST(TreeTest, LookupsDistinguishFilesDirectoriesAndMissing) {
  BlobStore blobs;
  Tree tree = Build(blobs, kSample);
  EXPECT_EQ(tree.Kind("apps/a.yaml"), PathKind::kFile);
  EXPECT_EQ(tree.Kind("apps/b"), PathKind::kDirectory);
  EXPECT_EQ(tree.Kind("apps/nope"), PathKind::kMissing);
  EXPECT_EQ(tree.Kind("README.md/x"), PathKind::kMissing);
  EXPECT_EQ(tree.FindDirectory("apps/a.yaml"), nullptr);
  EXPECT_EQ(tree.FindFile("apps"), nullptr);
  EXPECT_EQ(tree.FindFile("apps/b/c.yaml")->content(), "kind: C\n");
}

TEST(TreeTest, RootAndRedundantSeparatorsAreNormalised) {
  BlobStore blobs;
  Tree tree = Build(blobs, kSample);
  EXPECT_EQ(tree.DirectoryId(""), tree.id());
  EXPECT_EQ(tree.DirectoryId("."), tree.id());
  EXPECT_EQ(tree.DirectoryId("/"), tree.id());
  EXPECT_EQ(tree.FindFile("./apps//b/c.yaml"), tree.FindFile("apps/b/c.yaml"));
}

TEST(TreeTest, DotDotAndDotGitPathsAreInvalid) {
  EXPECT_EQ(SplitTreePath("apps/../x").error(),
            "invalid path \"apps/../x\": \"..\" is not allowed");
  EXPECT_EQ(SplitTreePath(".git/config").error(),
            "invalid path \".git/config\": \".git\" is not allowed");
}

TEST(TreeTest, OneFileCommitSharesUntouchedSubtrees) {
  BlobStore blobs;
  Tree before = Build(blobs, {{"apps/a/x.yaml", "1"}, {"apps/b/y.yaml", "2"}, {"infra/z", "3"}});
  Tree after = *before.WithFile("apps/a/x.yaml", blobs.Intern("changed"));
  EXPECT_EQ(after.FindDirectory("infra").get(), before.FindDirectory("infra").get());
  EXPECT_EQ(after.FindDirectory("apps/b").get(), before.FindDirectory("apps/b").get());
  EXPECT_NE(after.FindDirectory("apps/a").get(), before.FindDirectory("apps/a").get());
  EXPECT_NE(after.DirectoryId("apps"), before.DirectoryId("apps"));
}

TEST(TreeTest, WritingIdenticalContentKeepsTheSameNodes) {
  BlobStore blobs;
  Tree before = Build(blobs, kSample);
  Tree after = *before.WithFile("apps/b/c.yaml", blobs.Intern("kind: C\n"));
  EXPECT_EQ(after.root().get(), before.root().get());
}

TEST(TreeTest, EditsLeaveTheOriginalUnchanged) {
  BlobStore blobs;
  Tree before = Build(blobs, kSample);
  const TreeId id = before.id();
  ASSERT_TRUE(before.Without("apps").ok());
  ASSERT_TRUE(before.WithFile("new", blobs.Intern("n")).ok());
  EXPECT_EQ(before.id(), id);
  EXPECT_EQ(before.Kind("apps"), PathKind::kDirectory);
}

TEST(TreeTest, RemovingTheLastFileRemovesEmptyParents) {
  BlobStore blobs;
  Tree tree = Build(blobs, {{"a/b/c/only", "1"}, {"keep", "2"}});
  Tree after = *tree.Without("a/b/c/only");
  EXPECT_EQ(after.Kind("a"), PathKind::kMissing);
  EXPECT_EQ(after.id(), Build(blobs, {{"keep", "2"}}).id());
}

TEST(TreeTest, MovedDirectoryKeepsItsSubtree) {
  BlobStore blobs;
  Tree tree = Build(blobs, kSample);
  Tree after = *tree.Moved("apps", "renamed/apps2");
  EXPECT_EQ(after.FindDirectory("renamed/apps2").get(), tree.FindDirectory("apps").get());
  EXPECT_EQ(after.Kind("apps"), PathKind::kMissing);
}

}  // namespace
}  // namespace fleetsim
