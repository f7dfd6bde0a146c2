// The repo-server with config-management tools: the Application's kustomize and helm options
// reach the renderers, source types are detected from the files, and a missing tool is the
// Application's error (tools are fakes here; real renders are tested in tests/manifest).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/simulator.h"
#include "sim/argocd/application_spec.h"
#include "sim/argocd/repo_server.h"
#include "sim/manifest/manifest_parser.h"
#include "sim/manifest/yaml_to_json.h"
#include "tests/support/fake_tool_runner.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_support::FakeToolRunner;

Object App(const std::string& source) {
  Result<std::vector<Json>> docs = YamlToJson(
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: "
      "argocd}\nspec:\n  destination: {server: https://kubernetes.default.svc, namespace: shop}\n"
      "  source:\n" +
      source);
  return Object((*docs)[0]);
}

TEST(ApplicationSourceToolsTest, ReadsKustomizeOptions) {
  Result<ApplicationSpec> spec = ParseApplicationSpec(App(R"(    repoURL: https://example.com/a.git
    path: overlays/prod
    kustomize:
      namePrefix: p-
      images: [web=web:2]
      commonLabels: {team: a}
      replicas: [{name: web, count: "3"}, {name: db, count: 1}]
      forceCommonLabels: true
)"));
  ASSERT_TRUE(spec.ok()) << spec.error();
  const KustomizeOptions& k = spec->sources[0].kustomize;
  EXPECT_TRUE(spec->sources[0].has_kustomize);
  EXPECT_EQ(k.name_prefix, "p-");
  EXPECT_THAT(k.images, ElementsAre("web=web:2"));
  EXPECT_EQ(k.common_labels.at("team"), "a");
  EXPECT_THAT(k.replicas, ElementsAre(std::pair<std::string, int64_t>{"web", 3},
                                      std::pair<std::string, int64_t>{"db", 1}));
  EXPECT_TRUE(k.force_common_labels);
}

TEST(ApplicationSourceToolsTest, HelmReleaseAndNamespaceDefaultFromTheApplication) {
  Result<ApplicationSpec> spec = ParseApplicationSpec(App(R"(    repoURL: https://example.com/a.git
    path: charts/web
    helm:
      valueFiles: [values-prod.yaml]
      valuesObject: {replicas: 2}
      parameters: [{name: image.tag, value: "1.2", forceString: true}]
)"));
  ASSERT_TRUE(spec.ok()) << spec.error();
  const HelmOptions& h = spec->sources[0].helm;
  EXPECT_EQ(h.release_name, "web");
  EXPECT_EQ(h.ns, "shop");
  EXPECT_THAT(h.value_files, ElementsAre("values-prod.yaml"));
  EXPECT_EQ(h.values, "{\"replicas\":2}");
  ASSERT_EQ(h.parameters.size(), 1u);
  EXPECT_TRUE(h.parameters[0].force_string);
}

class RepoServerToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Repository repo;
    HistoryOp k{.kind = HistoryOp::Kind::kWrite,
                .path = "k/kustomization.yaml",
                .content = "resources: [cm.yaml]\n"};
    HistoryOp cm{.kind = HistoryOp::Kind::kWrite, .path = "k/cm.yaml", .content = "x: 1\n"};
    HistoryOp chart{
        .kind = HistoryOp::Kind::kWrite, .path = "h/Chart.yaml", .content = "name: h\n"};
    ASSERT_TRUE(repo.Commit({k, cm, chart}, "init", 0).ok());
    git_.AddRepository("apps", "https://example.com/a.git", std::move(repo));
  }
  ApplicationSource Source(const std::string& path) {
    ApplicationSource s;
    s.repo_url = "https://example.com/a.git";
    s.path = path;
    s.helm.release_name = "web";
    return s;
  }

  Simulator sim_;
  GitServer git_;
};

TEST_F(RepoServerToolsTest, KustomizationRendersWithTheTool) {
  ToolOutcome out;
  out.out = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-c\n";
  FakeToolRunner tools({"kubectl"}, out);
  RepoServer server(sim_, git_, {}, &tools);
  ApplicationSource s = Source("k");
  s.kustomize.name_prefix = "p-";
  Result<ManifestResult> r = server.GenerateNow({s}, true, false, {});
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->Objects().size(), 1u);
  EXPECT_EQ(r->Objects()[0]->name(), "p-c");
  const ToolInvocation& run = tools.invocations().back();
  EXPECT_EQ(run.program, "kubectl");
  EXPECT_THAT(run.files.at("k/kustomization.yaml"), HasSubstr("namePrefix: p-"));
  // Again, and for another Application with the same options: from the cache.
  ASSERT_TRUE(server.GenerateNow({s}, true, true, {}).ok());
  EXPECT_EQ(server.kustomize().misses(), 1u);
}

TEST_F(RepoServerToolsTest, MissingToolsAreArgoCdsErrors) {
  FakeToolRunner none({});
  RepoServer server(sim_, git_, {}, &none);
  Result<ManifestResult> k = server.GenerateNow({Source("k")}, true, false, {});
  ASSERT_FALSE(k.ok());
  EXPECT_THAT(k.error(), HasSubstr("exec: \"kustomize\": executable file not found in $PATH"));
  Result<ManifestResult> h = server.GenerateNow({Source("h")}, true, false, {});
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error(),
            "rpc error: code = Unknown desc = failed to execute helm template command: failed "
            "running helm: exec: \"helm\": executable file not found in $PATH");
}

TEST_F(RepoServerToolsTest, KustomizeBuildFailureIsReportedWithTheCommand) {
  ToolOutcome out;
  out.exit_code = 1;
  out.err = "Error: accumulating resources: boom\n";
  FakeToolRunner tools({"kustomize"}, out);
  RepoServer server(sim_, git_, {}, &tools);
  Result<ManifestResult> r = server.GenerateNow({Source("k")}, true, false, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "rpc error: code = Unknown desc = `kustomize build <path to cached source>/k` failed "
            "exit status 1: Error: accumulating resources: boom");
  EXPECT_EQ(TargetStateError(r.error(), 0, 1)
                .rfind("Failed to load target state: failed to "
                       "generate manifest for source 1 of 1: rpc",
                       0),
            0u);
}

}  // namespace
}  // namespace fleetsim
