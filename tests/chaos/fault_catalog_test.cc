// The fault catalog on small worlds (DESIGN.md "Faults"): each kind acts through the interfaces
// the controllers use, with the consequences the real system shows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kHeader = R"(name: t
seed: 1
duration: 40m
fleet:
  clusters:
    - {name: prod-1, labels: {env: prod}}
    - {name: prod-2, labels: {env: prod}}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
)";

// The ApplicationSet applied by hand (bootstrap) or, with `app_of_apps`, synced from appsets/ by
// a root Application (so that a commit to it reaches the live ApplicationSet).
WorldRun RunFaults(const std::string& faults, const std::string& policy = "",
                   bool app_of_apps = false, const std::string& extra = "") {
  std::map<std::string, std::string> files = {
      {"web/prod/app.yaml", DeploymentAndService("web")},
      {"api/prod/app.yaml", DeploymentAndService("api", 2, "ghcr.io/acme/api:1.0.0")}};
  std::string bootstrap;
  if (app_of_apps) {
    files["appsets/appset.yaml"] = ProdMatrixAppSet(policy);
    files["root.yaml"] = AppManifest("root", "appsets", "https://kubernetes.default.svc");
    bootstrap = "bootstrap:\n  - {repo: apps, path: root.yaml}\n";
  } else {
    files["appset.yaml"] = ProdMatrixAppSet(policy);
    bootstrap = "bootstrap:\n  - {repo: apps, path: appset.yaml}\n";
  }
  return RunScenario(files, std::string(kHeader) + bootstrap + extra + "faults:\n" + faults);
}

double Metric(const WorldRun& run, const std::string& name) {
  return run.metrics().at(name).value.value_or(-1);
}

std::vector<const TraceRecord*> FindAfter(const WorldRun& run, const std::string& event,
                                          int64_t seconds) {
  std::vector<const TraceRecord*> out;
  for (const TraceRecord* r : run.Find(event)) {
    if (r->t.micros() >= seconds * 1000000) out.push_back(r);
  }
  return out;
}

// The SCM-provider trap (reference 4.3): an empty answer is not an error, so the ApplicationSet
// deletes every Application it no longer generates; they come back once Git answers again.
TEST(FaultCatalogTest, GitEmptyResponseDeletesTheGeneratedApplications) {
  WorldRun run = RunFaults("  - {at: 10m, kind: git-empty-response, repo: apps, for: 10m}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 4);
  EXPECT_EQ(FindAfter(run, "GeneratedApplicationDeleted", 600).size(), 4u);
  EXPECT_EQ(FindAfter(run, "ApplicationGenerated", 1200).size(), 4u);  // after the heal
  EXPECT_TRUE(run.Find("FaultFailed").empty());
}

// Reference 4.2: applicationsSync create-update is what keeps the Applications.
TEST(FaultCatalogTest, GitEmptyResponseIsStoppedByCreateUpdate) {
  WorldRun run = RunFaults("  - {at: 10m, kind: git-empty-response, repo: apps, for: 10m}\n",
                           "  syncPolicy: {applicationsSync: create-update}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 0);
}

TEST(FaultCatalogTest, GitEmptyResponseSparesApplicationSetsOutsideItsGlob) {
  WorldRun run = RunFaults("  - {at: 10m, kind: git-empty-response, appset: other-*, for: 10m}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 0);
}

// A rename is a commit like any other: the git generator stops emitting web/prod.
TEST(FaultCatalogTest, RenameDirectoryCommitsThroughTheHistory) {
  WorldRun run = RunFaults(
      "  - {at: 10m, kind: rename-directory, repo: apps, from: web/prod, to: web/production}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> commits = FindAfter(run, "CommitPushed", 600);
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_THAT(commits[0]->detail, HasSubstr("rename web/prod to web/production"));
  EXPECT_EQ(Metric(run, "apps_deleted"), 2);
}

// With a glob, the path is drawn from the fault's own stream: the same in every run.
TEST(FaultCatalogTest, DeletePathUnderAGlobIsDrawnReproducibly) {
  const std::string fault = "  - {at: 10m, kind: delete-path, repo: apps, glob: '*/prod'}\n";
  WorldRun a = RunFaults(fault);
  WorldRun b = RunFaults(fault);
  ASSERT_TRUE(a.error.empty()) << a.error;
  std::vector<const TraceRecord*> ca = FindAfter(a, "CommitPushed", 600);
  std::vector<const TraceRecord*> cb = FindAfter(b, "CommitPushed", 600);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(ca[0]->detail, cb[0]->detail);
  EXPECT_THAT(ca[0]->detail, HasSubstr("delete "));
  EXPECT_EQ(Metric(a, "apps_deleted"), 2);
}

TEST(FaultCatalogTest, DeletePathThatMatchesNothingFails) {
  WorldRun run = RunFaults("  - {at: 10m, kind: delete-path, repo: apps, glob: 'nothing/*'}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> failed = run.Find("FaultFailed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->detail, "no path of apps matches nothing/*");
}

// A narrowed cluster-generator selector reaches the live ApplicationSet through the root app;
// no cluster matches any more and the ApplicationSet deletes what it generated.
TEST(FaultCatalogTest, EditSelectorNarrowsTheClusterGenerator) {
  WorldRun run = RunFaults(
      "  - {at: 10m, kind: edit-selector, repo: apps, path: appsets/appset.yaml, "
      "matchLabels: {env: staging}}\n",
      "", /*app_of_apps=*/true);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> commits = FindAfter(run, "CommitPushed", 600);
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_THAT(commits[0]->detail, HasSubstr("edit selector of ApplicationSet/svc"));
  EXPECT_EQ(FindAfter(run, "GeneratedApplicationDeleted", 600).size(), 4u);
}

// The restarted application controller resumes from the Applications' status: nothing is synced
// again, and a drift made while it is away is reverted only once it is back (30 s).
TEST(FaultCatalogTest, ApplicationControllerRestartLosesMemoryNotStatus) {
  WorldRun run = RunFaults(
      "  - {at: 10m, kind: controller-restart, controller: argocd-application-controller}\n", "",
      false,
      "actions:\n  - {at: 10m10s, do: kubectl edit, cluster: prod-1, object: "
      "Deployment/web/web, set: {spec.replicas: 5}}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("FaultFailed").empty());
  std::vector<const TraceRecord*> heals = FindAfter(run, "SelfHealStarted", 600);
  ASSERT_FALSE(heals.empty());
  EXPECT_GE(heals[0]->t.micros(), 630 * 1000000LL);
  EXPECT_EQ(heals[0]->app, "web-prod-1");
  // Only the drifted app syncs after the restart.
  for (const TraceRecord* r : FindAfter(run, "SyncStarted", 600)) EXPECT_EQ(r->app, "web-prod-1");
}

// A controller that starts while a cluster is partitioned cannot list it; its cluster cache is
// built again on the next use once the cluster answers (gitops-engine's EnsureSynced retries a
// failed sync), so the apps there recover without a self-heal loop against an empty cache.
TEST(FaultCatalogTest, ApplicationControllerRestartDuringAPartitionRecoversAfterIt) {
  WorldRun run = RunFaults(
      "  - {at: 10m, kind: cluster-unreachable, cluster: prod-1, for: 5m}\n"
      "  - {at: 11m, kind: controller-restart, controller: argocd-application-controller}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("SelfHealStarted").empty());
  EXPECT_TRUE(FindAfter(run, "SyncStarted", 600).empty());
  // Each app on prod-1 is Unknown during the partition and Synced Healthy within a reconcile
  // interval (120 s + up to 60 s jitter) after it heals at 15m.
  EXPECT_LE(Metric(run, "recovery_max_seconds"), 180);
}

// kubectl rollout restart uses the same code; the ApplicationSet controller keeps working after.
TEST(FaultCatalogTest, RolloutRestartOfTheApplicationSetController) {
  WorldRun run = RunFaults(
      "  - {at: 10m, kind: rename-directory, repo: apps, from: api/prod, to: api/production}\n", "",
      false,
      "actions:\n  - {at: 9m59s, do: kubectl rollout restart, cluster: in-cluster, controller: "
      "argocd-applicationset-controller}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("ActionFailed").empty());
  EXPECT_EQ(Metric(run, "apps_deleted"), 2);
}

TEST(FaultCatalogTest, ShardChangeRedistributesAndHealsBack) {
  WorldRun run = RunFaults("  - {at: 10m, kind: shard-change, replicas: 3, for: 10m}\n", "", false,
                           "argocd: {controllerReplicas: 1, shardingAlgorithm: round-robin}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> changes = run.Find("ShardsChanged");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_THAT(changes[0]->detail, StartsWith("replicas 1 -> 3 (round-robin); moved: prod-"));
  EXPECT_THAT(changes[1]->detail, StartsWith("replicas 3 -> 1 (round-robin)"));
  EXPECT_TRUE(run.Find("FaultFailed").empty());
}

// A cluster's API server answering 429: Argo CD's syncs against it fail once client-go's retries
// are spent (the other cluster is untouched). Automated sync does not retry a revision whose
// retries are exhausted, so after the heal it takes a manual sync.
TEST(FaultCatalogTest, ApiThrottleFailsSyncsUntilItHeals) {
  WorldRun run =
      RunFaults("  - {at: 0s, kind: api-throttle, cluster: prod-1, qps: 0.05, for: 20m}\n", "",
                false, "actions:\n  - {at: 25m, do: argocd app sync, app: '*-prod-1'}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> failed = run.Find("SyncFailed");
  ASSERT_FALSE(failed.empty());
  for (const TraceRecord* r : failed) {
    EXPECT_EQ(r->cluster, "prod-1");
    EXPECT_THAT(r->detail, HasSubstr("the server has received too many requests"));
    EXPECT_LT(r->t.micros(), 1200 * 1000000LL);
  }
  EXPECT_EQ(FindAfter(run, "SyncSucceeded", 1500).size(), 2u);
}

// The kubelet model: pods of the image become ready `startup` later.
TEST(FaultCatalogTest, SlowStartDelaysReadiness) {
  WorldRun run =
      RunFaults("  - {at: 0s, kind: slow-start, image: 'ghcr.io/acme/api:1.0.0', startup: 10m}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  int api = 0;
  for (const TraceRecord* r : run.Find("WorkloadAvailable")) {
    if (r->object == "Deployment/api/api") {
      ++api;
      EXPECT_GE(r->t.micros(), 600 * 1000000LL);
    } else {
      EXPECT_LT(r->t.micros(), 600 * 1000000LL) << r->object;
    }
  }
  EXPECT_EQ(api, 2);
}

}  // namespace
}  // namespace fleetsim::testing_world
