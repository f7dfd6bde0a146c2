// End to end: a scenario replaying a real repository built in the test (Kustomize base and
// overlay, a plain directory, a tag), run on a world. Renders need kustomize or kubectl; those
// tests skip where neither is installed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <fstream>

#include <fmt/format.h>

#include "sim/manifest/process_tool_runner.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/world/world.h"
#include "tests/support/fake_tool_runner.h"
#include "tests/support/git_repo_builder.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using testing_support::GitRepoBuilder;

constexpr int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z, the scenario's start

std::string App(const std::string& name, const std::string& path, const std::string& revision) {
  return fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {0}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/apps.git
    targetRevision: {2}
    path: {1}
  destination:
    server: https://prod-1.fleet.invalid
    namespace: {0}
  syncPolicy:
    automated: {{prune: true, selfHeal: true}}
    syncOptions: [CreateNamespace=true]
)",
                     name, path, revision);
}

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
)";

std::string Overlay(const std::string& tag) {
  return "resources:\n- ../../base\nnamePrefix: prod-\nimages:\n- name: ghcr.io/acme/web\n  "
         "newTag: " +
         tag + "\n";
}

struct ReplayRun {
  std::unique_ptr<Scenario> scenario;
  std::unique_ptr<World> world;
  std::string error;
  std::deque<std::vector<TraceRecord>> snapshots;

  // The pointers stay valid as long as the run: each call reads the trace into its own snapshot.
  std::vector<const TraceRecord*> Find(const std::string& event, const std::string& app = "") {
    std::vector<const TraceRecord*> out;
    for (const TraceRecord& r : snapshots.emplace_back(world->trace().records())) {
      if (r.event == event && (app.empty() || r.app == app)) out.push_back(&r);
    }
    return out;
  }
  std::string ComparisonError(const std::string& app) const {
    const AppState* state = world->app_controller().Find(app);
    return state == nullptr ? "<no app>" : state->comparison_error;
  }
  std::string LastComparison(const std::string& app) {
    std::vector<const TraceRecord*> found = Find("ComparisonChanged", app);
    return found.empty() ? "" : found.back()->detail;
  }
};

// Writes `yaml` as a scenario inside the repository's directory (so `git: .` names it), loads,
// builds and runs it until `stop` (its end by default).
ReplayRun RunIn(const GitRepoBuilder& repo, const std::string& yaml, ToolRunner* tools,
                SimTime stop = SimTime::Max()) {
  const std::string path = repo.path() + "/scenario.yaml";
  std::ofstream(path) << yaml;
  ReplayRun run;
  Result<Scenario> scenario = LoadScenario(path, {});
  if (!scenario.ok()) {
    run.error = scenario.error();
    return run;
  }
  run.scenario = std::make_unique<Scenario>(std::move(scenario).value());
  Result<std::unique_ptr<World>> world = World::Build(*run.scenario, 1, tools);
  if (!world.ok()) {
    run.error = world.error();
    return run;
  }
  run.world = std::move(world).value();
  run.world->RunUntil(stop);
  return run;
}

std::string ScenarioYaml(const std::string& replay, const std::string& extra = "") {
  return R"(name: replay
duration: 1h
fleet:
  clusters:
    - {name: prod-1}
repos:
  apps: {url: https://example.com/apps.git, git: ., )" +
         replay + R"(}
bootstrap:
  - {repo: apps, path: bootstrap/apps.yaml}
)" + extra;
}

class GitReplayWorldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c1_ = repo_.Commit({{"bootstrap/apps.yaml", App("web", "apps/overlays/prod", "main") + "---\n" +
                                                    App("plain", "plain", "HEAD") + "---\n" +
                                                    App("pinned", "plain", "v2")},
                        {"apps/base/kustomization.yaml", "resources:\n- web.yaml\n"},
                        {"apps/base/web.yaml", kDeployment},
                        {"apps/overlays/prod/kustomization.yaml", Overlay("1.0.0")},
                        {"plain/cm.yaml",
                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {v: '1'}\n"}},
                       kT0 - 3600, "initial");
    c2_ = repo_.Commit({{"apps/overlays/prod/kustomization.yaml", Overlay("1.1.0")}}, kT0 - 3000,
                       "release web 1.1.0");
    c3_ = repo_.Commit({{"plain/cm.yaml",
                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {v: '2'}\n"}},
                       kT0 - 2400, "config v2\n\nwith a body");
    repo_.Tag("v2", c2_);
  }

  std::string WebImage(World& world) {
    Result<LiveObject> d =
        world.FindCluster("prod-1")->store().Get({"apps", "Deployment", "web", "prod-web"});
    if (!d.ok()) return "<missing>";
    return d->doc()["spec"]["template"]["spec"]["containers"][0]["image"];
  }

  GitRepoBuilder repo_;
  std::string c1_, c2_, c3_;
};

TEST_F(GitReplayWorldTest, CommitsLandAtTheirTimesWithRealIds) {
  ReplayRun run = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + "}"), nullptr);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> pushes = run.Find("CommitPushed");
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[0]->t, SimTime::Zero() + SimDuration::Seconds(600));
  EXPECT_EQ(pushes[0]->detail, c2_.substr(0, 7) + " release web 1.1.0");
  EXPECT_EQ(pushes[1]->t, SimTime::Zero() + SimDuration::Seconds(1200));
  EXPECT_EQ(pushes[1]->detail, c3_.substr(0, 7) + " config v2");
}

TEST_F(GitReplayWorldTest, NoToolsLeavesKustomizeAppsWithToolMissing) {
  ReplayRun run = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + ", every: 5m}"), nullptr);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.Find("CommitPushed")[0]->t, SimTime::Zero() + SimDuration::Minutes(5));
  EXPECT_THAT(run.ComparisonError("web"),
              HasSubstr("exec: \"kustomize\": executable file not found in $PATH"));
  EXPECT_THAT(run.LastComparison("plain"), HasSubstr("Synced Healthy @" + c3_.substr(0, 7)));
}

TEST_F(GitReplayWorldTest, OverlayChangeIsSyncedAndTagResolvesOnceLanded) {
  if (!testing_support::KustomizeToolInstalled()) {
    GTEST_SKIP() << "neither kustomize nor kubectl is installed";
  }
  ProcessToolRunner tools;
  ReplayRun run = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + "}"), &tools,
                        SimTime::Zero() + SimDuration::Minutes(5));
  ASSERT_TRUE(run.error.empty()) << run.error;
  // Before c2 lands: web runs 1.0.0, and tag v2 does not resolve yet.
  EXPECT_EQ(WebImage(*run.world), "ghcr.io/acme/web:1.0.0");
  EXPECT_THAT(run.LastComparison("web"), HasSubstr("Synced Healthy @" + c1_.substr(0, 7)));
  EXPECT_THAT(run.ComparisonError("pinned"), HasSubstr("unable to resolve 'v2' to a commit SHA"));
  run.world->RunToEnd();
  EXPECT_EQ(WebImage(*run.world), "ghcr.io/acme/web:1.1.0");
  EXPECT_THAT(run.LastComparison("web"), HasSubstr("Synced Healthy @" + c2_.substr(0, 7)));
  EXPECT_THAT(run.LastComparison("plain"), HasSubstr("Synced Healthy @" + c3_.substr(0, 7)));
  EXPECT_EQ(run.ComparisonError("pinned"), "");
  EXPECT_THAT(run.LastComparison("pinned"), HasSubstr("Synced Healthy @" + c2_.substr(0, 7)));
  // The web app's manifests changed with the release, and converged after it.
  std::vector<const TraceRecord*> changed = run.Find("ManifestsChanged", "web");
  ASSERT_GE(changed.size(), 2u);
  EXPECT_GE(changed.back()->t, SimTime::Zero() + SimDuration::Seconds(600));
  MetricMap metrics = run.world->Metrics();
  EXPECT_EQ(metrics.at("converged_fraction").value, std::optional<double>(1.0));
}

TEST_F(GitReplayWorldTest, SameRunTwiceGivesTheSameTrace) {
  if (!testing_support::KustomizeToolInstalled()) {
    GTEST_SKIP() << "neither kustomize nor kubectl is installed";
  }
  ProcessToolRunner tools;
  ReplayRun a = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + "}"), &tools);
  ReplayRun b = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + "}"), &tools);
  ASSERT_TRUE(a.error.empty() && b.error.empty()) << a.error << b.error;
  EXPECT_EQ(a.world->trace().digest_hex(), b.world->trace().digest_hex());
}

TEST_F(GitReplayWorldTest, BrokenOverlayIsAComparisonErrorAndTheRunGoesOn) {
  if (!testing_support::KustomizeToolInstalled()) {
    GTEST_SKIP() << "neither kustomize nor kubectl is installed";
  }
  std::string broken = repo_.Commit(
      {{"apps/overlays/prod/kustomization.yaml", "resources:\n- ../../base\n- gone.yaml\n"}},
      kT0 - 1800, "break the overlay");
  ProcessToolRunner tools;
  ReplayRun run = RunIn(repo_, ScenarioYaml("replay: {from: " + c1_ + "}"), &tools);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_THAT(run.ComparisonError("web"),
              HasSubstr("ComparisonError: rpc error: code = Unknown desc = `kustomize build "
                        "<path to cached source>/apps/overlays/prod` failed exit status 1: "
                        "Error: accumulating resources: "));
  EXPECT_EQ(run.ComparisonError("plain"), "");
  EXPECT_THAT(run.LastComparison("plain"), HasSubstr("Synced Healthy"));
  EXPECT_EQ(run.Find("CommitPushed").back()->detail, broken.substr(0, 7) + " break the overlay");
  // The last good version stays deployed.
  EXPECT_EQ(WebImage(*run.world), "ghcr.io/acme/web:1.1.0");
}

TEST_F(GitReplayWorldTest, LoadErrorsNameTheScenarioField) {
  ReplayRun bad_from = RunIn(repo_, ScenarioYaml("replay: {from: nope}"), nullptr);
  EXPECT_THAT(bad_from.error, HasSubstr("scenario.yaml:7:"));
  EXPECT_THAT(bad_from.error, HasSubstr("repo apps: replay.from: unknown revision \"nope\""));
  ReplayRun reversed =
      RunIn(repo_, ScenarioYaml("replay: {from: " + c3_ + ", to: " + c1_ + "}"), nullptr);
  EXPECT_THAT(reversed.error, HasSubstr("is not on the first-parent history of replay.to"));
  ReplayRun history =
      RunIn(repo_,
            ScenarioYaml("replay: {from: " + c1_ + "}",
                         "history:\n  - {at: 1m, repo: apps, delete: {path: plain}}\n"),
            nullptr);
  EXPECT_THAT(history.error, HasSubstr("history entries cannot add commits to it"));
}

}  // namespace
}  // namespace fleetsim
