#include "sim/git/history_ops.h"

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::CanonicalYaml;
using testing_git::DeleteOp;
using testing_git::FileText;
using testing_git::RenameOp;
using testing_git::SetImageOp;
using testing_git::SetOp;
using testing_git::WriteOp;

constexpr char kDeployment[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  template:
    spec:
      containers:
        - name: checkout
          image: ghcr.io/acme/checkout:1.8.0
)";

constexpr char kKustomization[] = R"(resources:
  - deployment.yaml
images:
  - name: ghcr.io/acme/checkout
    newTag: 1.8.0
)";

class HistoryOpsTest : public ::testing::Test {
 protected:
  HistoryOpsTest() {
    base_ = Apply(Tree(), WriteOp("README.md", "hello\n"));
    base_ = Apply(base_, WriteOp("apps/checkout/deployment.yaml", kDeployment));
    base_ = Apply(base_, WriteOp("apps/checkout/kustomization.yaml", kKustomization));
    base_ = Apply(base_, WriteOp("apps/cart/deployment.yaml", "kind: Deployment\n"));
  }

  Tree Apply(const Tree& tree, const HistoryOp& op) {
    Result<Tree> next = ApplyHistoryOp(tree, op, blobs_);
    EXPECT_TRUE(next.ok()) << next.error();
    return next.ok() ? *next : tree;
  }

  std::string Error(const HistoryOp& op) {
    Result<Tree> next = ApplyHistoryOp(base_, op, blobs_);
    return next.ok() ? "<no error>" : next.error();
  }

  BlobStore blobs_;
  Tree base_;
};

TEST_F(HistoryOpsTest, WriteCreatesFileAndParents) {
  Tree t = Apply(base_, WriteOp("new/dir/cm.yaml", "kind: ConfigMap\n"));
  EXPECT_EQ(FileText(t, "new/dir/cm.yaml"), "kind: ConfigMap\n");
}

TEST_F(HistoryOpsTest, WriteReplacesFile) {
  EXPECT_EQ(FileText(Apply(base_, WriteOp("README.md", "bye\n")), "README.md"), "bye\n");
}

TEST_F(HistoryOpsTest, WriteUnderAFileFails) {
  EXPECT_EQ(Error(WriteOp("README.md/x", "")),
            "cannot create \"README.md/x\": \"README.md\" is a file");
}

TEST_F(HistoryOpsTest, WriteOverADirectoryFails) {
  EXPECT_EQ(Error(WriteOp("apps/cart", "")), "path \"apps/cart\" is a directory");
}

TEST_F(HistoryOpsTest, WriteToInvalidPathFails) {
  EXPECT_EQ(Error(WriteOp("../x", "")), "invalid path \"../x\": \"..\" is not allowed");
}

TEST_F(HistoryOpsTest, DeleteFile) {
  EXPECT_EQ(Apply(base_, DeleteOp("README.md")).Kind("README.md"), PathKind::kMissing);
}

TEST_F(HistoryOpsTest, DeleteWholeDirectory) {
  Tree t = Apply(base_, DeleteOp("apps/checkout"));
  EXPECT_EQ(t.Kind("apps/checkout"), PathKind::kMissing);
  EXPECT_EQ(t.Kind("apps/cart/deployment.yaml"), PathKind::kFile);
}

TEST_F(HistoryOpsTest, DeleteMissingPathFails) {
  EXPECT_EQ(Error(DeleteOp("apps/nope")), "path \"apps/nope\" does not exist");
}

TEST_F(HistoryOpsTest, DeleteBelowAFileFails) {
  EXPECT_EQ(Error(DeleteOp("README.md/x")), "path \"README.md/x\" does not exist");
}

TEST_F(HistoryOpsTest, DeleteRootFails) {
  EXPECT_EQ(Error(DeleteOp("")), "invalid path \"\": it is the root");
}

TEST_F(HistoryOpsTest, RenameFile) {
  Tree t = Apply(base_, RenameOp("README.md", "docs/README.md"));
  EXPECT_EQ(FileText(t, "docs/README.md"), "hello\n");
  EXPECT_EQ(t.Kind("README.md"), PathKind::kMissing);
}

TEST_F(HistoryOpsTest, RenameDirectoryMovesItsWholeSubtree) {
  Tree t = Apply(base_, RenameOp("apps/checkout", "apps/checkout-v2"));
  EXPECT_EQ(t.DirectoryId("apps/checkout-v2"), base_.DirectoryId("apps/checkout"));
  EXPECT_EQ(t.Kind("apps/checkout"), PathKind::kMissing);
  EXPECT_EQ(FileText(t, "apps/checkout-v2/deployment.yaml"), kDeployment);
}

TEST_F(HistoryOpsTest, RenameMissingSourceFails) {
  EXPECT_EQ(Error(RenameOp("apps/nope", "apps/x")), "path \"apps/nope\" does not exist");
}

TEST_F(HistoryOpsTest, RenameOntoExistingPathFails) {
  EXPECT_EQ(Error(RenameOp("apps/cart", "README.md")), "path \"README.md\" already exists");
}

TEST_F(HistoryOpsTest, RenameIntoItselfFails) {
  EXPECT_EQ(Error(RenameOp("apps", "apps/inner")),
            "cannot move \"apps\" into itself (\"apps/inner\")");
}

TEST_F(HistoryOpsTest, SetImageOnWorkloadFile) {
  Tree t = Apply(base_, SetImageOp("apps/checkout/deployment.yaml", "checkout",
                                   "ghcr.io/acme/checkout:1.9.0"));
  EXPECT_NE(FileText(t, "apps/checkout/deployment.yaml").find("ghcr.io/acme/checkout:1.9.0"),
            std::string::npos);
}

TEST_F(HistoryOpsTest, SetImageOnKustomizationEditsImagesList) {
  Tree t = Apply(base_, SetImageOp("apps/checkout/kustomization.yaml", "ghcr.io/acme/checkout",
                                   "ghcr.io/acme/checkout:1.9.0"));
  EXPECT_EQ(CanonicalYaml(FileText(t, "apps/checkout/kustomization.yaml")),
            CanonicalYaml("resources: [deployment.yaml]\n"
                          "images: [{name: ghcr.io/acme/checkout, newName: ghcr.io/acme/checkout,"
                          " newTag: \"1.9.0\"}]\n"));
}

TEST_F(HistoryOpsTest, SetImageOnMissingFileFails) {
  EXPECT_EQ(Error(SetImageOp("apps/x.yaml", "c", "i:1")), "path \"apps/x.yaml\" does not exist");
}

TEST_F(HistoryOpsTest, SetImageOnDirectoryFails) {
  EXPECT_EQ(Error(SetImageOp("apps", "c", "i:1")),
            "set-image \"apps\": it is a directory, not a file");
}

TEST_F(HistoryOpsTest, SetImageWithoutMatchingContainerFails) {
  EXPECT_EQ(Error(SetImageOp("apps/checkout/deployment.yaml", "nope", "i:1")),
            "set-image \"apps/checkout/deployment.yaml\": no workload in the file has a container "
            "named \"nope\"");
}

TEST_F(HistoryOpsTest, SetChangesOneField) {
  Tree t = Apply(base_, SetOp("apps/checkout/deployment.yaml", "spec.replicas", "3"));
  EXPECT_NE(FileText(t, "apps/checkout/deployment.yaml").find("replicas: 3"), std::string::npos);
}

TEST_F(HistoryOpsTest, SetOnMissingFileFails) {
  EXPECT_EQ(Error(SetOp("nope.yaml", "a", "1")), "path \"nope.yaml\" does not exist");
}

TEST_F(HistoryOpsTest, SetOnInvalidYamlFails) {
  base_ = Apply(base_, WriteOp("bad.yaml", "a: [1, 2\n"));
  EXPECT_EQ(Error(SetOp("bad.yaml", "a", "1")).rfind("set \"bad.yaml\": invalid YAML at line ", 0),
            0u);
}

}  // namespace
}  // namespace fleetsim
