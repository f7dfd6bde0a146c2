#include "sim/git/tree_diff.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using Paths = std::vector<std::string>;

class TreeDiffTest : public ::testing::Test {
 protected:
  Tree With(const Tree& tree, const std::string& path, const std::string& content) {
    return *tree.WithFile(path, blobs_.Intern(content));
  }
  Tree Base() {
    Tree t;
    t = With(t, "apps/a/deploy.yaml", "a");
    t = With(t, "apps/b/deploy.yaml", "b");
    t = With(t, "infra/ns.yaml", "ns");
    return t;
  }
  BlobStore blobs_;
};

TEST_F(TreeDiffTest, EqualTreesHaveNoChanges) { EXPECT_TRUE(DiffTrees(Base(), Base()).empty()); }

TEST_F(TreeDiffTest, ReportsAddedChangedAndDeletedFiles) {
  Tree from = Base();
  Tree to = With(With(from, "apps/a/deploy.yaml", "a2"), "apps/c/new.yaml", "c");
  to = *to.Without("infra/ns.yaml");
  TreeDiff diff = DiffTrees(from, to);
  EXPECT_EQ(diff.added, Paths{"apps/c/new.yaml"});
  EXPECT_EQ(diff.changed, Paths{"apps/a/deploy.yaml"});
  EXPECT_EQ(diff.deleted, Paths{"infra/ns.yaml"});
}

TEST_F(TreeDiffTest, DirectoryRenameIsDeletesPlusAdds) {
  Tree from = Base();
  TreeDiff diff = DiffTrees(from, *from.Moved("apps/a", "apps/z"));
  EXPECT_EQ(diff.deleted, Paths{"apps/a/deploy.yaml"});
  EXPECT_EQ(diff.added, Paths{"apps/z/deploy.yaml"});
  EXPECT_TRUE(diff.changed.empty());
}

TEST_F(TreeDiffTest, FileReplacedByDirectory) {
  Tree from = With(Tree(), "x", "file");
  Tree to = With(*from.Without("x"), "x/inner", "nested");
  TreeDiff diff = DiffTrees(from, to);
  EXPECT_EQ(diff.deleted, Paths{"x"});
  EXPECT_EQ(diff.added, Paths{"x/inner"});
}

TEST_F(TreeDiffTest, ListsAreInPathByteOrder) {
  Tree to = With(With(With(Tree(), "foo/x", "1"), "foo-bar", "2"), "foo.txt", "3");
  EXPECT_EQ(DiffTrees(Tree(), to).added, (Paths{"foo-bar", "foo.txt", "foo/x"}));
}

TEST_F(TreeDiffTest, TouchesMatchesWholePathComponents) {
  Tree from = Base();
  TreeDiff diff = DiffTrees(from, With(from, "apps/a/deploy.yaml", "a2"));
  EXPECT_TRUE(diff.Touches("apps/a"));
  EXPECT_TRUE(diff.Touches("apps/"));
  EXPECT_TRUE(diff.Touches(""));
  EXPECT_TRUE(diff.Touches("apps/a/deploy.yaml"));
  EXPECT_FALSE(diff.Touches("apps/b"));
  EXPECT_FALSE(diff.Touches("app"));
}

}  // namespace
}  // namespace fleetsim
