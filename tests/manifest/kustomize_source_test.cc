// Kustomize sources: the inputs a build reads, the `kustomize edit` options, error texts, and real
// renders (with kustomize or kubectl, skipped where neither is installed) with their cache.
#include "sim/manifest/kustomize_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/git/blob_store.h"
#include "sim/manifest/process_tool_runner.h"
#include "tests/support/fake_tool_runner.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]
)";

class KustomizeTest : public ::testing::Test {
 protected:
  Tree Make(const std::map<std::string, std::string>& files) {
    Tree tree;
    for (const auto& [path, content] : files) tree = *tree.WithFile(path, blobs_.Intern(content));
    return tree;
  }
  std::map<std::string, std::string> Repo() {
    return {{"base/kustomization.yaml", "resources:\n- deployment.yaml\n"},
            {"base/deployment.yaml", kDeployment},
            {"overlays/prod/kustomization.yaml",
             "resources:\n- ../../base\nnamePrefix: prod-\npatches:\n- path: replicas.yaml\n"},
            {"overlays/prod/replicas.yaml",
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"},
            {"overlays/prod/unused.yaml", "not: read\n"},
            {"plain/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"}};
  }

  BlobStore blobs_;
};

std::vector<std::string> Keys(const std::map<std::string, const Blob*>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

TEST_F(KustomizeTest, InputsFollowResourcesAndPatchesOnly) {
  Tree tree = Make(Repo());
  Result<std::map<std::string, const Blob*>> inputs = KustomizeInputs(tree, "overlays/prod");
  ASSERT_TRUE(inputs.ok()) << inputs.error();
  EXPECT_THAT(Keys(*inputs),
              ElementsAre("base/deployment.yaml", "base/kustomization.yaml",
                          "overlays/prod/kustomization.yaml", "overlays/prod/replicas.yaml"));
}

TEST_F(KustomizeTest, InputsIncludeGeneratorFilesAndComponents) {
  Tree tree = Make({{"app/kustomization.yaml",
                     "configMapGenerator:\n- name: cfg\n  files:\n  - conf=config/app.conf\n"
                     "  envs: [vars.env]\ncomponents: [../comp]\n"},
                    {"app/config/app.conf", "a=1\n"},
                    {"app/vars.env", "B=2\n"},
                    {"comp/kustomization.yaml", "kind: Component\npatches:\n- path: p.yaml\n"},
                    {"comp/p.yaml", "x: 1\n"}});
  Result<std::map<std::string, const Blob*>> inputs = KustomizeInputs(tree, "app");
  ASSERT_TRUE(inputs.ok()) << inputs.error();
  EXPECT_THAT(Keys(*inputs), ElementsAre("app/config/app.conf", "app/kustomization.yaml",
                                         "app/vars.env", "comp/kustomization.yaml", "comp/p.yaml"));
}

TEST_F(KustomizeTest, RemoteResourcesAreRefused) {
  Tree tree = Make(
      {{"app/kustomization.yaml", "resources:\n- https://github.com/acme/x//deploy?ref=v1\n"}});
  Result<std::map<std::string, const Blob*>> inputs = KustomizeInputs(tree, "app");
  ASSERT_FALSE(inputs.ok());
  EXPECT_THAT(inputs.error(), HasSubstr("does not fetch remote resources"));
  Tree other_host = Make(
      {{"app/kustomization.yaml", "resources:\n- git.example.com/org/repo.git//deploy?ref=v1\n"}});
  EXPECT_FALSE(KustomizeInputs(other_host, "app").ok());
}

TEST_F(KustomizeTest, OptionsEditTheKustomizationAsKustomizeEditDoes) {
  KustomizeOptions o;
  o.name_prefix = "p-";
  o.ns = "team";
  o.images = {"ghcr.io/acme/web=ghcr.io/acme/web2:2.0.0", "nginx:1.25"};
  o.replicas = {{"web", 4}};
  o.common_labels = {{"team", "a"}};
  o.common_annotations = {{"owner", "b"}};
  Result<std::string> edited =
      ApplyKustomizeOptions("resources: [x.yaml]\nimages:\n- name: nginx\n  newTag: '1.0'\n", o);
  ASSERT_TRUE(edited.ok()) << edited.error();
  EXPECT_THAT(*edited, HasSubstr("namePrefix: p-"));
  EXPECT_THAT(*edited, HasSubstr("namespace: team"));
  EXPECT_THAT(*edited, HasSubstr("newName: ghcr.io/acme/web2"));
  EXPECT_THAT(*edited, HasSubstr("newTag: 1.25"));
  EXPECT_THAT(*edited, Not(HasSubstr("1.0")));
  EXPECT_THAT(*edited, HasSubstr("count: 4"));
  EXPECT_THAT(*edited, HasSubstr("team: a"));
  EXPECT_THAT(*edited, HasSubstr("owner: b"));
}

TEST_F(KustomizeTest, ExistingLabelNeedsForce) {
  KustomizeOptions o;
  o.common_labels = {{"team", "a"}};
  Result<std::string> edited = ApplyKustomizeOptions("commonLabels: {team: z}\n", o);
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error(),
            "rpc error: code = Unknown desc = `kustomize edit add label team:a` failed exit status "
            "1: Error: label team already in kustomization file");
  o.force_common_labels = true;
  EXPECT_TRUE(ApplyKustomizeOptions("commonLabels: {team: z}\n", o).ok());
}

TEST(KustomizeErrorTextTest, ReadsKubectlLogLines) {
  EXPECT_EQ(KustomizeErrorText("E1127 17:07:11.420397   25841 run.go:72] \"command failed\" "
                               "err=\"accumulating resources: a \\\"b\\\"\"\n"),
            "Error: accumulating resources: a \"b\"");
  EXPECT_EQ(KustomizeErrorText("E1127 17:07:14.703825   25918 run.go:72] \"command failed\" err=<\n"
                               "\ttrouble configuring\n\tpath: x\n >\n"),
            "Error: trouble configuring\npath: x");
  EXPECT_EQ(KustomizeErrorText("error: no such file\n"), "Error: no such file");
  EXPECT_EQ(KustomizeErrorText("Error: kustomize says\n"), "Error: kustomize says");
}

TEST_F(KustomizeTest, NoToolGivesArgoCdsMissingExecutableError) {
  testing_support::FakeToolRunner none({});
  KustomizeRenderer renderer(&none);
  Result<RenderedManifestsPtr> r = renderer.Render(Make(Repo()), "overlays/prod", {});
  ASSERT_FALSE(r.ok());
  // A first failure is not a cached one: no "Manifest generation error (cached)" prefix
  // (reposerver/repository/repository.go getManifestCacheEntry).
  EXPECT_EQ(r.error(),
            "rpc error: code = Unknown desc = exec: \"kustomize\": executable file not found in "
            "$PATH");
  // kustomize first, then kubectl.
  ASSERT_EQ(none.invocations().size(), 2u);
  EXPECT_EQ(none.invocations()[1].program, "kubectl");
  EXPECT_THAT(none.invocations()[1].args, ElementsAre("kustomize", "overlays/prod"));
  EXPECT_EQ(none.invocations()[1].files.count("overlays/prod/unused.yaml"), 0u);
}

class RealKustomizeTest : public KustomizeTest {
 protected:
  void SetUp() override {
    if (!testing_support::KustomizeToolInstalled()) {
      GTEST_SKIP() << "neither kustomize nor kubectl is installed";
    }
  }
  ProcessToolRunner tools_;
};

TEST_F(RealKustomizeTest, RendersOverlayOverBase) {
  KustomizeRenderer renderer(&tools_);
  Result<RenderedManifestsPtr> r = renderer.Render(Make(Repo()), "overlays/prod", {});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ((*r)->objects.size(), 1u);
  const Object& d = *(*r)->objects[0];
  EXPECT_EQ(d.name(), "prod-web");
  EXPECT_EQ(d.doc()["spec"]["replicas"], 3);
}

TEST_F(RealKustomizeTest, ApplicationOptionsApply) {
  KustomizeRenderer renderer(&tools_);
  KustomizeOptions o;
  o.name_suffix = "-x";
  o.images = {"ghcr.io/acme/web:2.0.0"};
  Result<RenderedManifestsPtr> r = renderer.Render(Make(Repo()), "overlays/prod", o);
  ASSERT_TRUE(r.ok()) << r.error();
  const Object& d = *(*r)->objects[0];
  EXPECT_EQ(d.name(), "prod-web-x");
  EXPECT_EQ(d.doc()["spec"]["template"]["spec"]["containers"][0]["image"],
            "ghcr.io/acme/web:2.0.0");
}

TEST_F(RealKustomizeTest, UnchangedInputsRenderOnceAndBaseChangesInvalidate) {
  KustomizeRenderer renderer(&tools_);
  std::map<std::string, std::string> files = Repo();
  ASSERT_TRUE(renderer.Render(Make(files), "overlays/prod", {}).ok());
  ASSERT_TRUE(renderer.Render(Make(files), "overlays/prod", {}).ok());
  EXPECT_EQ(renderer.misses(), 1u);
  // A commit touching only files the overlay does not read: a new tree, the same inputs.
  files["plain/cm.yaml"] += "data: {a: b}\n";
  files["overlays/prod/unused.yaml"] = "changed: true\n";
  ASSERT_TRUE(renderer.Render(Make(files), "overlays/prod", {}).ok());
  EXPECT_EQ(renderer.misses(), 1u);
  EXPECT_EQ(renderer.hits(), 2u);
  // ../../base changes: rendered again, with the change.
  std::string d = kDeployment;
  files["base/deployment.yaml"] = d.replace(d.find("1.0.0"), 5, "1.1.0");
  Result<RenderedManifestsPtr> r = renderer.Render(Make(files), "overlays/prod", {});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(renderer.misses(), 2u);
  EXPECT_EQ((*r)->objects[0]->doc()["spec"]["template"]["spec"]["containers"][0]["image"],
            "ghcr.io/acme/web:1.1.0");
}

TEST_F(RealKustomizeTest, BuildErrorReadsAsArgoCdsWithoutTemporaryPaths) {
  KustomizeRenderer renderer(&tools_);
  std::map<std::string, std::string> files = Repo();
  files["overlays/prod/kustomization.yaml"] = "resources:\n- ../../base\n- missing.yaml\n";
  Result<RenderedManifestsPtr> r = renderer.Render(Make(files), "overlays/prod", {});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("rpc error: code = Unknown desc = `kustomize build <path to "
                                   "cached source>/overlays/prod` failed exit status 1: Error: "
                                   "accumulating resources: "));
  EXPECT_THAT(r.error(), HasSubstr("<path to cached source>/overlays/prod/missing.yaml"));
  EXPECT_THAT(r.error(), Not(HasSubstr("fleetsim-tool-")));
  EXPECT_THAT(r.error(), Not(HasSubstr("command failed")));
}

}  // namespace
}  // namespace fleetsim
