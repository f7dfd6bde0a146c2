// AppSetMemo: a generation is a pure function of the spec and of what the generators and the
// validation read from the sources, so the controller reuses it while every answer is the same
// (applicationset_controller.go regenerates on every reconcile; the result must not differ).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/argocd/appset_memo.h"
#include "tests/argocd/appset_test_util.h"

namespace fleetsim::testing_appset {
namespace {

using ::testing::ElementsAre;

constexpr const char* kRepo = "https://github.com/acme/apps.git";
constexpr const char* kMatrix = R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/acme/apps.git
              revision: main
              directories: [{path: "*"}]
          - clusters: {selector: {matchLabels: {env: prod}}}
  template:
    metadata: {name: "{{.path.basename}}-{{.name}}"}
    spec:
      project: default
      destination: {server: "{{.server}}", namespace: x}
)";

// Counts the questions the generation asks.
class CountingSources : public FakeSources {
 public:
  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override {
    ++git_calls;
    return FakeSources::GitTree(repo_url, revision, no_cache);
  }
  Result<std::vector<AppSetCluster>> ClusterSecrets() override {
    ++cluster_calls;
    return FakeSources::ClusterSecrets();
  }
  int git_calls = 0;
  int cluster_calls = 0;
};

// One reconcile's generation through the memo, as ApplicationSetController::Reconcile does it.
std::vector<std::string> Generate(AppSetMemo& memo, AppSetSources& sources, bool* reused) {
  AppSetSpec spec = SpecFromYaml(kMatrix);
  RecordingSources recorder(sources);
  if (const AppSetMemo::Generation* kept = memo.Lookup(kMatrix, recorder)) {
    *reused = true;
    return AppNames(kept->generated.apps);
  }
  *reused = false;
  AppSetMemo::Generation fresh;
  fresh.generated = GenerateApplications(spec, recorder);
  fresh.validation = ValidateApplications(spec, fresh.generated.apps, recorder);
  std::vector<std::string> names = AppNames(fresh.generated.apps);
  memo.Store(kMatrix, recorder.Calls(), std::move(fresh));
  return names;
}

TEST(AppSetMemoTest, SameAnswersReuseTheGenerationAndAskEachQuestionOnce) {
  CountingSources sources;
  sources.AddRepo(kRepo, {{"cart/a.yaml", "x: 1"}, {"orders/a.yaml", "x: 1"}});
  sources.AddCluster("prod-1", {{"env", "prod"}});
  AppSetMemo memo;
  bool reused = true;
  EXPECT_THAT(Generate(memo, sources, &reused), ElementsAre("cart-prod-1", "orders-prod-1"));
  EXPECT_FALSE(reused);
  int git_calls = sources.git_calls;
  int cluster_calls = sources.cluster_calls;
  EXPECT_THAT(Generate(memo, sources, &reused), ElementsAre("cart-prod-1", "orders-prod-1"));
  EXPECT_TRUE(reused);
  // The sources see the same questions a generation would ask, once each.
  EXPECT_EQ(sources.git_calls, 2 * git_calls);
  EXPECT_EQ(sources.cluster_calls, 2 * cluster_calls);
}

TEST(AppSetMemoTest, AChangedClusterLabelGeneratesAgainAskingEachQuestionOnce) {
  CountingSources sources;
  sources.AddRepo(kRepo, {{"cart/a.yaml", "x: 1"}});
  sources.AddCluster("prod-1", {{"env", "prod"}});
  AppSetMemo memo;
  bool reused = true;
  Generate(memo, sources, &reused);
  int git_calls = sources.git_calls;
  int cluster_calls = sources.cluster_calls;
  sources.AddCluster("prod-2", {{"env", "prod"}});
  EXPECT_THAT(Generate(memo, sources, &reused), ElementsAre("cart-prod-1", "cart-prod-2"));
  EXPECT_FALSE(reused);
  // The answers fetched while checking the memo are served to the generation that follows.
  EXPECT_EQ(sources.git_calls, 2 * git_calls);
  EXPECT_EQ(sources.cluster_calls, 2 * cluster_calls);
}

TEST(AppSetMemoTest, ANewCommitOrAGitErrorGeneratesAgain) {
  FakeSources sources;
  sources.AddRepo(kRepo, {{"cart/a.yaml", "x: 1"}});
  sources.AddCluster("prod-1", {{"env", "prod"}});
  AppSetMemo memo;
  bool reused = true;
  Generate(memo, sources, &reused);
  sources.AddRepo(kRepo, {{"cart/a.yaml", "x: 1"}, {"tax/a.yaml", "x: 1"}});
  EXPECT_THAT(Generate(memo, sources, &reused), ElementsAre("cart-prod-1", "tax-prod-1"));
  EXPECT_FALSE(reused);
  sources.set_git_error("rpc error: code = Unavailable");
  EXPECT_TRUE(Generate(memo, sources, &reused).empty());
  EXPECT_FALSE(reused);
}

}  // namespace
}  // namespace fleetsim::testing_appset
