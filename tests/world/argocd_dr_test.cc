// Losing Argo CD's control plane and installing it again (DESIGN.md "Faults": argocd-destroyed,
// "Actions": argocd install; the article's DR runbook, section 8).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

constexpr const char* kScenario = R"(name: t
seed: 1
fleet:
  clusters:
    - {name: prod-1}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
duration: 1h
bootstrap:
  - {repo: apps, path: bootstrap/web.yaml}
faults:
  - {at: 10m, kind: argocd-destroyed}
history:
  - {at: 15m, repo: apps, set-image: {path: web/app.yaml, container: web, image: "ghcr.io/acme/app:2.0.0"}}
)";

std::map<std::string, std::string> OneApp() {
  return {{"bootstrap/web.yaml", AppManifest("web", "web")},
          {"web/app.yaml", DeploymentAndService("web")}};
}

double Seconds(const TraceRecord* r) { return static_cast<double>(r->t.micros()) / 1e6; }

size_t CountBetween(const std::vector<const TraceRecord*>& records, double from, double to) {
  size_t n = 0;
  for (const TraceRecord* r : records) n += Seconds(r) >= from && Seconds(r) < to;
  return n;
}

// While the control plane is lost nothing reconciles the workload cluster: the commit at 15m is
// not applied, no finalizer cascades, the workloads keep running; the argocd CLI cannot connect.
// After the install the Application comes back, adopts the running resources (Synced at its
// first comparison for what is unchanged), and then syncs the new image.
TEST(ArgoCdDestroyedTest, NothingReconcilesUntilInstallThenLiveResourcesAreAdopted) {
  std::string yaml = std::string(kScenario) +
                     "actions:\n  - {at: 20m, do: argocd app sync, app: web}\n"
                     "  - {at: 30m, do: argocd install}\n";
  WorldRun run = RunScenario(OneApp(), yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(CountBetween(run.Find("SyncStarted"), 600, 1800), 0u);
  EXPECT_EQ(CountBetween(run.Find("ResourceApplied"), 600, 1800), 0u);
  std::vector<const TraceRecord*> failed = run.Find("ActionFailed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed[0]->detail, HasSubstr("argocd app sync"));
  for (const TraceRecord* r : run.Find("ObjectDeleted")) EXPECT_EQ(r->cluster, "in-cluster");
  EXPECT_TRUE(run.Find("WorkloadUnavailable").empty());
  std::vector<const TraceRecord*> deleted = run.Find("ApplicationDeleted", "web");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(Seconds(deleted[0]), 600);
  std::vector<const TraceRecord*> created = run.Find("ApplicationCreated", "web");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(Seconds(created[1]), 1800);
  // After the install the app compares against the running resources (OutOfSync for the new
  // image, Healthy: not Missing), and its sync updates them in place.
  std::vector<const TraceRecord*> compared = run.Find("ComparisonChanged", "web");
  const TraceRecord* first_after = nullptr;
  for (const TraceRecord* r : compared) {
    if (first_after == nullptr && Seconds(r) >= 1800) first_after = r;
  }
  ASSERT_NE(first_after, nullptr);
  EXPECT_THAT(first_after->detail, ::testing::StartsWith("OutOfSync Healthy"));
  size_t applied = 0;
  for (const TraceRecord* r : run.Find("ResourceApplied", "web")) {
    if (Seconds(r) < 1800 || r->object.rfind("Namespace/", 0) == 0) continue;
    ++applied;
    EXPECT_THAT(r->detail, HasSubstr("configured")) << r->object;
  }
  EXPECT_EQ(applied, 2u);
  MetricMap m = run.metrics();
  EXPECT_EQ(m["downtime_seconds"].value, 0);
  EXPECT_EQ(m["apps_deleted"].value, 1);
  EXPECT_EQ(m["converged_fraction"].value, 1);
}

// `argocd install` with `bootstrap: false` installs an empty Argo CD; the runbook's last step,
// applying the root app, is then the scenario's own action.
TEST(ArgoCdDestroyedTest, InstallWithoutBootstrapLeavesTheRootAppToKubectlApply) {
  std::string yaml = std::string(kScenario) +
                     "actions:\n  - {at: 30m, do: argocd install, bootstrap: false}\n"
                     "  - {at: 40m, do: kubectl apply, repo: apps, path: bootstrap/web.yaml}\n";
  WorldRun run = RunScenario(OneApp(), yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> created = run.Find("ApplicationCreated", "web");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(Seconds(created[1]), 2400);
  EXPECT_EQ(run.Find("ManifestApplied").size(), 1u);  // the t=0 bootstrap only
  EXPECT_EQ(run.metrics()["converged_fraction"].value, 1);
}

}  // namespace
}  // namespace fleetsim::testing_world
