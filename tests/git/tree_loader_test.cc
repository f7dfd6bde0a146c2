#include "sim/git/tree_loader.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::ScratchDir;

void WriteSample(const ScratchDir& dir) {
  dir.Write("README.md", "hello\n");
  dir.Write("apps/a.yaml", "kind: A\n");
  dir.Write("apps/b/c.yaml", "kind: C\n");
  dir.Write("apps-x", "x\n");
  dir.Write("apps.txt", "t\n");
}

TEST(TreeLoaderTest, DirectoryTreeIdMatchesGitWriteTree) {
  ScratchDir dir;
  WriteSample(dir);
  BlobStore blobs;
  Result<Tree> tree = LoadTreeFromDirectory(dir.path(), blobs);
  ASSERT_TRUE(tree.ok()) << tree.error();
  EXPECT_EQ(tree->id().hex(), "25e8bf81b09586c9d7c73b45503dba16399e34c8");  // git write-tree
}

TEST(TreeLoaderTest, SkipsDotGitAndEmptyDirectories) {
  ScratchDir dir;
  WriteSample(dir);
  dir.Write(".git/HEAD", "ref: refs/heads/main\n");
  dir.Write("apps/.git", "gitdir: elsewhere\n");
  dir.MakeDir("empty/nested");
  BlobStore blobs;
  Result<Tree> tree = LoadTreeFromDirectory(dir.path(), blobs);
  ASSERT_TRUE(tree.ok()) << tree.error();
  EXPECT_EQ(tree->id().hex(), "25e8bf81b09586c9d7c73b45503dba16399e34c8");
}

TEST(TreeLoaderTest, ReadsFilesAsBinary) {
  ScratchDir dir;
  const std::string bytes("a\r\n\0b", 5);
  dir.Write("bin", bytes);
  BlobStore blobs;
  Result<Tree> tree = LoadTreeFromDirectory(dir.path(), blobs);
  ASSERT_TRUE(tree.ok()) << tree.error();
  EXPECT_EQ(tree->FindFile("bin")->content(), bytes);
}

TEST(TreeLoaderTest, SymbolicLinkIsAnError) {
  ScratchDir dir;
  dir.Write("real.yaml", "a: 1\n");
  std::filesystem::create_symlink("real.yaml", std::filesystem::path(dir.path()) / "link.yaml");
  BlobStore blobs;
  Result<Tree> tree = LoadTreeFromDirectory(dir.path(), blobs);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.error(),
            "symbolic links are not supported in a repository tree: " + dir.path() + "/link.yaml");
}

TEST(TreeLoaderTest, MissingDirectoryIsAnError) {
  BlobStore blobs;
  Result<Tree> tree = LoadTreeFromDirectory("/nonexistent/fleetsim/dir", blobs);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.error(), "not a directory: /nonexistent/fleetsim/dir");
}

}  // namespace
}  // namespace fleetsim
