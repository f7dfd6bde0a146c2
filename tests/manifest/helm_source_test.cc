// Helm sources: `helm template` arguments as Argo CD builds them, the workspace the tool gets, and
// Argo CD's error when helm is not installed (this project's machines have no helm).
#include "sim/manifest/helm_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/git/blob_store.h"
#include "tests/support/fake_tool_runner.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(HelmTemplateArgsTest, MinimalRelease) {
  HelmOptions o;
  o.release_name = "web";
  o.ns = "prod";
  EXPECT_THAT(HelmTemplateArgs(o, ""), ElementsAre("template", ".", "--name-template", "web",
                                                   "--namespace", "prod", "--include-crds"));
}

TEST(HelmTemplateArgsTest, EveryOptionInArgoCdsOrder) {
  HelmOptions o;
  o.release_name = "web";
  o.ns = "prod";
  o.kube_version = "1.30.0";
  o.parameters = {{"z", "1,2", false}, {"a", "{x,y}", false}, {"tag", "007", true}};
  o.file_parameters = {{"cert", "files/ca.crt"}};
  o.value_files = {"values-prod.yaml", "../shared/values.yaml"};
  o.api_versions = {"monitoring.coreos.com/v1"};
  o.skip_crds = true;
  o.skip_tests = true;
  o.skip_schema_validation = true;
  EXPECT_THAT(HelmTemplateArgs(o, "extra.yaml"),
              ElementsAre("template", ".", "--name-template", "web", "--namespace", "prod",
                          "--kube-version", "1.30.0", "--set", "a={x,y}", "--set", "z=1\\,2",
                          "--set-string", "tag=007", "--set-file", "cert=files/ca.crt", "--values",
                          "values-prod.yaml", "--values", "../shared/values.yaml", "--values",
                          "extra.yaml", "--api-versions", "monitoring.coreos.com/v1",
                          "--skip-schema-validation", "--skip-tests"));
}

class HelmRendererTest : public ::testing::Test {
 protected:
  Tree Chart() {
    Tree tree;
    for (const auto& [path, content] : std::map<std::string, std::string>{
             {"charts/web/Chart.yaml", "name: web\nversion: 0.1.0\n"},
             {"charts/web/templates/cm.yaml", "kind: ConfigMap\n"},
             {"charts/shared/values.yaml", "a: 1\n"},
             {"other/x.yaml", "x: 1\n"}}) {
      tree = *tree.WithFile(path, blobs_.Intern(content));
    }
    return tree;
  }
  BlobStore blobs_;
};

TEST_F(HelmRendererTest, MissingHelmIsArgoCdsError) {
  HelmRenderer renderer(nullptr);
  HelmOptions o;
  o.release_name = "web";
  Result<RenderedManifestsPtr> r = renderer.Render(Chart(), "charts/web", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "rpc error: code = Unknown desc = failed to execute helm template command: failed "
            "running helm: exec: \"helm\": executable file not found in $PATH");
}

TEST_F(HelmRendererTest, RunsInTheChartWithItsValueFiles) {
  ToolOutcome out;
  out.out =
      "---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
      "metadata:\n  name: web\n";
  testing_support::FakeToolRunner helm({"helm"}, out);
  HelmRenderer renderer(&helm);
  HelmOptions o;
  o.release_name = "web";
  o.ns = "prod";
  o.value_files = {"../shared/values.yaml"};
  o.values = "replicas: 2\n";
  Result<RenderedManifestsPtr> r = renderer.Render(Chart(), "charts/web", o);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ((*r)->objects.size(), 1u);
  ASSERT_EQ(helm.invocations().size(), 1u);
  const ToolInvocation& inv = helm.invocations()[0];
  EXPECT_EQ(inv.dir, "charts/web");
  EXPECT_EQ(inv.files.count("charts/web/templates/cm.yaml"), 1u);
  EXPECT_EQ(inv.files.count("charts/shared/values.yaml"), 1u);
  EXPECT_EQ(inv.files.count("other/x.yaml"), 0u);
  EXPECT_THAT(inv.args, ElementsAre("template", ".", "--name-template", "web", "--namespace",
                                    "prod", "--values", "../shared/values.yaml", "--values",
                                    "../../.fleetsim-helm/values.yaml", "--include-crds"));
  EXPECT_EQ(inv.files.at(".fleetsim-helm/values.yaml"), "replicas: 2\n");
  // The same inputs again: from the cache.
  ASSERT_TRUE(renderer.Render(Chart(), "charts/web", o).ok());
  EXPECT_EQ(helm.invocations().size(), 1u);
}

TEST_F(HelmRendererTest, FailedTemplateShowsTheCommand) {
  ToolOutcome out;
  out.exit_code = 1;
  out.err = "Error: parse error in cm.yaml\n";
  testing_support::FakeToolRunner helm({"helm"}, out);
  HelmRenderer renderer(&helm);
  HelmOptions o;
  o.release_name = "web";
  Result<RenderedManifestsPtr> r = renderer.Render(Chart(), "charts/web", o);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("failed running helm: `helm template . --name-template web "
                                   "--include-crds` failed exit status 1: Error: parse error"));
}

}  // namespace
}  // namespace fleetsim
