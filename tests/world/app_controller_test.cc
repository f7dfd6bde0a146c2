// The application controller's rules, checked on small worlds (reference/argocd.md sections 1-3).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHeader = R"(name: t
seed: 1
fleet:
  clusters:
    - {name: prod-1}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
)";

double Seconds(const TraceRecord* r) { return static_cast<double>(r->t.micros()) / 1e6; }

std::map<std::string, std::string> OneApp(bool prune = true, bool self_heal = true) {
  return {{"bootstrap/web.yaml",
           AppManifest("web", "web", "https://prod-1.fleet.invalid", prune, self_heal)},
          {"web/app.yaml", DeploymentAndService("web")}};
}

// Reference 1.5: self-heal attempt N waits 0, 2, 6, 18, 54, 162, then 300 s (backoff 2 s, factor
// 3, cap 300 s; argo-cd controller/appcontroller.go selfHealRemainingBackoff) after the previous
// operation finished.
TEST(AppControllerTest, SelfHealBackoffSeries) {
  std::string yaml =
      std::string(kHeader) +
      "duration: 40m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\nactions:\n";
  for (int s = 600; s < 600 + 1200; s += 1) {
    yaml += fmt::format(
        "  - {{at: {}, do: kubectl edit, cluster: prod-1, object: Deployment/web/web, set: "
        "{{spec.replicas: 1}}}}\n",
        s);
  }
  WorldRun run = RunScenario(OneApp(), yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> heals = run.Find("SelfHealStarted", "web");
  std::vector<const TraceRecord*> done = run.Find("SyncSucceeded", "web");
  ASSERT_GE(heals.size(), 8u);
  // The first attempt follows the drift (at 600 s) at once.
  EXPECT_LE(Seconds(heals[0]), 601.5);
  const double expected[] = {0, 2, 6, 18, 54, 162, 300, 300};
  for (size_t n = 1; n < 8; ++n) {
    // The operation that finished last before this self-heal started.
    const TraceRecord* previous = nullptr;
    for (const TraceRecord* d : done) {
      if (d->seq < heals[n]->seq) previous = d;
    }
    ASSERT_NE(previous, nullptr);
    double gap = Seconds(heals[n]) - Seconds(previous);
    EXPECT_GE(gap, expected[n]) << "attempt " << n + 1;
    EXPECT_LE(gap, expected[n] + 1.5) << "attempt " << n + 1;
  }
}

// Reference 1.6: automated syncs retry with limit 5 and backoff 5 s x 2^n capped at 3 m; the first
// retry waits 10 s (NextRetryAt uses the incremented count), then 20, 40, 80, 160 s, then stop.
TEST(AppControllerTest, FailedSyncRetriesFiveTimesWithDefaultBackoff) {
  std::string hook = R"(apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/migrate:bad
)";
  auto files = OneApp();
  files["web/migrate.yaml"] = hook;
  std::string yaml =
      std::string(kHeader) +
      "duration: 1h\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n"
      "faults:\n  - {at: 0, kind: bad-image, image: \"ghcr.io/acme/migrate:bad\", mode: crash}\n";
  WorldRun run = RunScenario(files, yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> failed = run.Find("SyncFailed", "web");
  ASSERT_EQ(failed.size(), 6u);
  std::vector<const TraceRecord*> started = run.Find("SyncStarted", "web");
  ASSERT_EQ(started.size(), 6u);
  const double waits[] = {10, 20, 40, 80, 160};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(Seconds(started[i + 1]) - Seconds(failed[i]), waits[i], 0.01) << "retry " << i + 1;
    EXPECT_THAT(failed[i]->detail, HasSubstr(fmt::format("Retrying attempt #{}", i + 1)));
  }
  EXPECT_THAT(failed[5]->detail, ::testing::Not(HasSubstr("Retrying")));
  // Section 2.5: nothing of the Sync phase was applied.
  for (const TraceRecord* r : run.Find("ResourceApplied", "web")) {
    EXPECT_THAT(r->object, ::testing::StartsWith("Namespace/")) << r->object;
  }
}

// Reference 1.5 step 7 / 2.8: automated prune without allowEmpty refuses to prune every resource.
TEST(AppControllerTest, AllowEmptyGuardRefusesToWipeTheApp) {
  auto files = OneApp();
  files["web/README.md"] = "kept so that the directory stays\n";
  std::string yaml = std::string(kHeader) +
                     "duration: 30m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n"
                     "history:\n  - {at: 10m, repo: apps, delete: {path: web/app.yaml}}\n";
  WorldRun run = RunScenario(files, yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> skipped = run.Find("SyncSkipped", "web");
  ASSERT_FALSE(skipped.empty());
  EXPECT_THAT(skipped[0]->detail, HasSubstr(": auto-sync will wipe out all resources"));
  EXPECT_TRUE(run.Find("ResourcePruned", "web").empty());
  EXPECT_EQ(run.metrics()["resources_deleted"].value, 0);
}

// Reference 3.1-3.2: `argocd app delete` cascades through the resources finalizer; with
// --cascade=false the finalizer is removed and the workloads stay, orphaned.
TEST(AppControllerTest, CascadeDeleteRemovesWorkloadsNonCascadeOrphansThem) {
  for (bool cascade : {true, false}) {
    std::string yaml = std::string(kHeader) +
                       "duration: 30m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n"
                       "actions:\n  - {at: 10m, do: argocd app delete, app: web, cascade: " +
                       (cascade ? "true" : "false") + "}\n";
    WorldRun run = RunScenario(OneApp(), yaml);
    ASSERT_TRUE(run.error.empty()) << run.error;
    MetricMap m = run.metrics();
    EXPECT_EQ(m["apps_deleted"].value, 1) << cascade;
    // The Application object itself is a live object a person removed; with cascade its
    // Deployment and Service go too.
    EXPECT_EQ(m["resources_deleted"].value, cascade ? 3 : 1) << cascade;
    EXPECT_EQ(m["resources_orphaned"].value, cascade ? 0 : 2) << cascade;
  }
}

// DESIGN.md: an unknown destination is Argo CD's "cluster not found" error on that Application.
TEST(AppControllerTest, UnknownDestinationIsAnInvalidSpecError) {
  std::map<std::string, std::string> files = {
      {"bootstrap/web.yaml", AppManifest("web", "web", "https://nowhere.example")},
      {"web/app.yaml", DeploymentAndService("web")}};
  WorldRun run = RunScenario(
      files, std::string(kHeader) +
                 "duration: 10m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  const AppState* app = run.world->app_controller().Find("web");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->sync, SyncStatusCode::kUnknown);
  EXPECT_THAT(app->comparison_error,
              HasSubstr("there are no clusters with this URL: https://nowhere.example"));
}

// Issue acceptance: broken manifests inside a repo are ComparisonErrors and the run goes on.
TEST(AppControllerTest, BrokenManifestIsAComparisonErrorAndTheRunGoesOn) {
  std::map<std::string, std::string> files = {
      {"bootstrap/web.yaml", AppManifest("web", "web")},
      {"web/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n"}};
  WorldRun run = RunScenario(
      files, std::string(kHeader) +
                 "duration: 10m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  const AppState* app = run.world->app_controller().Find("web");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->sync, SyncStatusCode::kUnknown);
  EXPECT_THAT(app->comparison_error, HasSubstr("Failed to unmarshal \"app.yaml\""));
  EXPECT_EQ(run.world->now(), run.world->end());
}

// Reference 1.2: a webhook refreshes the apps of the pushed repo at once; without it, the change
// is noticed by polling (reconciliation timeout plus jitter, at most about 3 minutes here).
TEST(AppControllerTest, WebhookRefreshesAtOncePollingWithinReconciliation) {
  for (bool webhook : {true, false}) {
    std::string yaml = fmt::format(R"(name: t
seed: 4
duration: 30m
fleet:
  clusters:
    - {{name: prod-1}}
repos:
  apps: {{url: https://example.com/apps.git, tree: repo, webhook: {}}}
bootstrap:
  - {{repo: apps, path: bootstrap/web.yaml}}
history:
  - {{at: 10m, repo: apps, set-image: {{path: web/app.yaml, container: web, image: "ghcr.io/acme/app:1.1.0"}}}}
)",
                                   webhook ? "true" : "false");
    WorldRun run = RunScenario(OneApp(), yaml);
    ASSERT_TRUE(run.error.empty()) << run.error;
    std::vector<const TraceRecord*> changed = run.Find("ManifestsChanged", "web");
    ASSERT_EQ(changed.size(), 2u);
    double noticed = Seconds(changed[1]) - 600;
    if (webhook) {
      EXPECT_LT(noticed, 1.0);
    } else {
      EXPECT_GT(noticed, 0.0);
      EXPECT_LE(noticed, 300.0);
    }
  }
}

// Issue 3 (an unchanged Application compares in O(1)): a comparison depends on the rendered
// manifests, the live objects, the spec and the destination, not on the revision. A commit that
// leaves an app's path alone moves the app to the new revision, but its path renders to the same
// cached set and the app is not compared again; the app whose path changed is, and syncs.
TEST(AppControllerTest, ACommitElsewhereMovesTheRevisionWithoutComparingAgain) {
  auto files = OneApp();
  files["bootstrap/api.yaml"] = AppManifest("api", "api", "https://prod-1.fleet.invalid");
  files["api/app.yaml"] = DeploymentAndService("api");
  const std::string base = std::string(kHeader) +
                           "duration: 30m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n"
                           "  - {repo: apps, path: bootstrap/api.yaml}\n";
  const std::string commit =
      "history:\n  - {at: 10m, repo: apps, set-image: {path: web/app.yaml, container: web, "
      "image: \"ghcr.io/acme/app:1.1.0\"}}\n";
  WorldRun quiet = RunScenario(files, base);
  WorldRun pushed = RunScenario(files, base + commit);
  ASSERT_TRUE(quiet.error.empty()) << quiet.error;
  ASSERT_TRUE(pushed.error.empty()) << pushed.error;
  const AppState* api_quiet = quiet.world->app_controller().Find("api");
  const AppState* api = pushed.world->app_controller().Find("api");
  const AppState* web_quiet = quiet.world->app_controller().Find("web");
  const AppState* web = pushed.world->app_controller().Find("web");
  ASSERT_TRUE(api_quiet && api && web_quiet && web);
  // Both apps are at the pushed commit, Synced and Healthy.
  ASSERT_FALSE(api->revisions.empty());
  EXPECT_EQ(api->revisions, web->revisions);
  EXPECT_NE(api->revisions, api_quiet->revisions);
  for (const AppState* app : {api, web}) {
    EXPECT_EQ(app->sync, SyncStatusCode::kSynced) << app->name;
    EXPECT_EQ(app->health.code, HealthCode::kHealthy) << app->name;
  }
  // Only web compared again.
  EXPECT_EQ(api->comparisons, api_quiet->comparisons);
  EXPECT_GT(web->comparisons, web_quiet->comparisons);
  EXPECT_EQ(pushed.Find("ManifestsChanged", "api").size(), 1u);
  EXPECT_EQ(pushed.Find("ManifestsChanged", "web").size(), 2u);
}

// Reference 1.2, needRefreshAppStatus: a periodic refresh compares with CompareWithLatest and sets
// reconciledAt, so the next informer resync (every 120 s, each app queued after a jitter in
// [0, 60 s)) compares only when reconciledAt + 120 s has passed. A jitter smaller than the last one
// skips that resync: the gaps are over 120 s, mostly up to 180 s, some about 240-300 s.
TEST(AppControllerTest, PeriodicRefreshWaitsForTheReconciliationTimeout) {
  std::string yaml = std::string(kHeader) +
                     "duration: 4h\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n";
  WorldRun run = RunScenario(OneApp(), yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<double> periodic;
  for (const TraceRecord* r : run.Find("RefreshStarted", "web")) {
    if (Seconds(r) > 900 && r->detail == "CompareWithLatest") periodic.push_back(Seconds(r));
  }
  ASSERT_GE(periodic.size(), 40u);
  int skipped = 0;
  for (size_t i = 1; i < periodic.size(); ++i) {
    double gap = periodic[i] - periodic[i - 1];
    EXPECT_GT(gap, 120.0) << "at " << periodic[i];
    EXPECT_LT(gap, 300.0) << "at " << periodic[i];
    if (gap > 180.0) ++skipped;
  }
  EXPECT_GT(skipped, 0);
  // About 1.5 resync periods apart on average, not one.
  double mean = (periodic.back() - periodic.front()) / static_cast<double>(periodic.size() - 1);
  EXPECT_GT(mean, 150.0);
  EXPECT_LT(mean, 200.0);
}

// needRefreshAppStatus: hard expiry is measured from reconciledAt, as the soft one is, and the
// informer resyncs every timeout.hard.reconciliation when that is shorter than
// timeout.reconciliation. Shorter, every periodic refresh is a hard one (refreshType Hard,
// CompareWithLatest); longer, the soft refreshes keep reconciledAt fresh and none is.
TEST(AppControllerTest, HardReconciliationTimeoutCountsFromReconciledAt) {
  for (const char* hard_timeout : {"90s", "30m"}) {
    std::string yaml = std::string(kHeader) +
                       "duration: 2h\nargocd: {hardReconcileInterval: " + hard_timeout +
                       "}\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n";
    WorldRun run = RunScenario(OneApp(), yaml);
    ASSERT_TRUE(run.error.empty()) << run.error;
    std::vector<double> hard;
    int soft = 0;
    for (const TraceRecord* r : run.Find("RefreshStarted", "web")) {
      if (Seconds(r) < 900) continue;
      if (r->detail == "CompareWithLatest hard") hard.push_back(Seconds(r));
      if (r->detail == "CompareWithLatest") ++soft;
    }
    if (std::string(hard_timeout) == "90s") {
      EXPECT_EQ(soft, 0);
      ASSERT_GE(hard.size(), 20u);
      for (size_t i = 1; i < hard.size(); ++i) {
        EXPECT_GT(hard[i] - hard[i - 1], 90.0);
        EXPECT_LT(hard[i] - hard[i - 1], 240.0);
      }
    } else {
      EXPECT_TRUE(hard.empty());
      EXPECT_GE(soft, 20);
    }
  }
}

// Reference 1.2: an unreachable destination gives a ComparisonError; once it heals, the app is
// Synced and Healthy again (recovery metrics).
TEST(AppControllerTest, UnreachableClusterRecoversAfterHeal) {
  std::string yaml =
      std::string(kHeader) +
      "duration: 40m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n"
      "faults:\n  - {at: 10m, kind: cluster-unreachable, cluster: prod-1, for: 10m}\n";
  WorldRun run = RunScenario(OneApp(), yaml);
  ASSERT_TRUE(run.error.empty()) << run.error;
  bool saw_error = false;
  for (const TraceRecord* r : run.Find("ComparisonChanged", "web")) {
    if (r->detail.find("failed to sync cluster https://prod-1.fleet.invalid") !=
        std::string::npos) {
      saw_error = true;
    }
  }
  EXPECT_TRUE(saw_error);
  MetricMap m = run.metrics();
  ASSERT_TRUE(m["recovery_max_seconds"].value.has_value());
  EXPECT_LE(*m["recovery_max_seconds"].value, 200.0);
  EXPECT_EQ(m["downtime_seconds"].value, 0);
}

}  // namespace
}  // namespace fleetsim::testing_world
