// The ApplicationSet controller's lifecycle rules on small worlds (reference/argocd.md 4.1-4.3;
// argo-cd applicationset/controllers/applicationset_controller.go Reconcile).
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHeader = R"(name: t
seed: 1
duration: 30m
fleet:
  clusters:
    - {name: prod-1, labels: {env: prod}}
    - {name: prod-2, labels: {env: prod}}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
bootstrap:
  - {repo: apps, path: appset.yaml}
)";

// The prod matrix with missingkey=error; `sync_policy` is spliced into spec.
std::string AppSetYaml(const std::string& sync_policy = "",
                       const std::string& name = "'{{index .path.segments 0}}-{{.name}}'") {
  return ProdMatrixAppSet("  goTemplateOptions: [\"missingkey=error\"]\n" + sync_policy, name);
}

std::map<std::string, std::string> Files(const std::string& appset) {
  return {{"appset.yaml", appset},
          {"web/prod/app.yaml", DeploymentAndService("web")},
          {"api/prod/app.yaml", DeploymentAndService("api")}};
}

const char* kRenameWeb = R"(history:
  - at: 10m
    repo: apps
    message: rename web
    rename: {from: web/prod, to: web/production}
)";

double Metric(const WorldRun& run, const std::string& name) {
  return run.metrics().at(name).value.value_or(-1);
}

TEST(AppSetControllerTest, GeneratesOneApplicationPerParameterSet) {
  WorldRun run = RunScenario(Files(AppSetYaml()), kHeader);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.Find("ApplicationGenerated").size(), 4u);
  EXPECT_NE(run.world->app_controller().Find("web-prod-1"), nullptr);
  EXPECT_NE(run.world->app_controller().Find("api-prod-2"), nullptr);
  EXPECT_EQ(Metric(run, "apps_generated"), 4);
}

// Reference 4.3: a vanished element deletes its Application, which cascades (resources finalizer).
TEST(AppSetControllerTest, VanishedElementDeletesAndCascades) {
  WorldRun run = RunScenario(Files(AppSetYaml()), std::string(kHeader) + kRenameWeb);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.Find("GeneratedApplicationDeleted").size(), 2u);
  EXPECT_EQ(Metric(run, "apps_deleted"), 2);
  EXPECT_GE(Metric(run, "resources_deleted"), 6);  // 2 apps, 2 Deployments, 2 Services
  EXPECT_GT(Metric(run, "downtime_seconds"), 0);
  // Within one git requeue (3 min) of the push.
  std::vector<const TraceRecord*> deleted = run.Find("GeneratedApplicationDeleted");
  EXPECT_LE(deleted.front()->t.micros(), (600 + 181) * 1000000LL);
}

// Reference 4.2: preserveResourcesOnDeletion does not keep the Application, only its resources.
TEST(AppSetControllerTest, PreserveResourcesOnDeletionOrphans) {
  WorldRun run =
      RunScenario(Files(AppSetYaml("  syncPolicy: {preserveResourcesOnDeletion: true}\n")),
                  std::string(kHeader) + kRenameWeb);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 2);
  EXPECT_GE(Metric(run, "resources_orphaned"), 4);
  EXPECT_EQ(Metric(run, "downtime_seconds"), 0);
}

TEST(AppSetControllerTest, CreateUpdateNeverDeletes) {
  WorldRun run = RunScenario(Files(AppSetYaml("  syncPolicy: {applicationsSync: create-update}\n")),
                             std::string(kHeader) + kRenameWeb);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 0);
  EXPECT_TRUE(run.Find("GeneratedApplicationDeleted").empty());
}

// The controller-wide policy wins when the override is disabled.
TEST(AppSetControllerTest, ControllerPolicyWithoutOverride) {
  WorldRun run =
      RunScenario(Files(AppSetYaml()), std::string(kHeader) +
                                           "argocd: {applicationsSyncPolicy: create-only, "
                                           "applicationsSyncPolicyOverride: false}\n" +
                                           kRenameWeb);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 0);
}

// Reference 4.3: a generator error changes nothing and is retried.
TEST(AppSetControllerTest, GeneratorErrorChangesNothing) {
  WorldRun run = RunScenario(Files(AppSetYaml()),
                             std::string(kHeader) +
                                 "faults:\n  - {at: 8m, kind: git-unreachable, repo: apps, for: "
                                 "15m}\n" +
                                 kRenameWeb);
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> errors = run.Find("ApplicationSetError");
  ASSERT_FALSE(errors.empty());
  EXPECT_THAT(errors.front()->detail, HasSubstr("error generating params from git"));
  // Nothing deleted while Git was unreachable; the rename takes effect after it heals (23m).
  for (const TraceRecord* r : run.Find("GeneratedApplicationDeleted")) {
    EXPECT_GE(r->t.micros(), 23 * 60 * 1000000LL);
  }
}

TEST(AppSetControllerTest, TemplateErrorIsRecordedAndNothingIsCreated) {
  WorldRun run = RunScenario(Files(AppSetYaml("", "'{{.path[1]}}'")), kHeader);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("ApplicationGenerated").empty());
  std::vector<const TraceRecord*> errors = run.Find("ApplicationSetError");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front()->detail,
            "failed to parse template {{.path[1]}}: template: base:1: bad character U+005B '['");
  EXPECT_EQ(run.world->appset_controller().ErrorOf("svc"), errors.front()->detail);
}

// Duplicate names: those Applications are not applied; the others are.
TEST(AppSetControllerTest, DuplicateNamesAreNotApplied) {
  WorldRun run = RunScenario(Files(AppSetYaml("", "'{{.path.basename}}-{{.name}}'")), kHeader);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("ApplicationGenerated").empty());
  std::vector<const TraceRecord*> errors = run.Find("ApplicationSetError");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(
      errors.front()->detail,
      "ApplicationSet svc contains applications with duplicate name: prod-prod-2 (and 1 more)");
}

// Reference 4.3: deleting the ApplicationSet deletes its Applications by owner reference.
TEST(AppSetControllerTest, DeletingTheAppSetDeletesItsApplications) {
  WorldRun run = RunScenario(
      Files(AppSetYaml()),
      std::string(kHeader) + "actions:\n  - {at: 10m, do: argocd appset delete, appset: svc}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(Metric(run, "apps_deleted"), 4);
}

// A hand-deleted Application is recreated; a hand edit is reverted (reference 4.3).
TEST(AppSetControllerTest, ManualEditsAreReverted) {
  WorldRun run =
      RunScenario(Files(AppSetYaml()),
                  std::string(kHeader) +
                      "actions:\n  - {at: 10m, do: kubectl edit, cluster: in-cluster, object: "
                      "Application/argocd/web-prod-1, set: {spec.source.path: api/prod}}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.Find("GeneratedApplicationUpdated", "web-prod-1").size(), 1u);
}

}  // namespace
}  // namespace fleetsim::testing_world

namespace fleetsim::testing_world {
namespace {

// Bad input in a run: each is recorded as the ApplicationSet's error and nothing is created.
struct BadAppSet {
  const char* name;
  const char* generators;
  const char* expected;
};

class AppSetBadInputTest : public ::testing::TestWithParam<BadAppSet> {};

std::string BadAppSetYaml(const char* generators) {
  return std::string(R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: bad
  namespace: argocd
spec:
  goTemplate: true
  generators:
)") + generators +
         R"(  template:
    metadata:
      name: "x-{{.a}}"
    spec:
      project: default
      source: {repoURL: https://example.com/apps.git, path: web/prod}
      destination: {server: https://prod-1.fleet.invalid, namespace: web}
)";
}

TEST_P(AppSetBadInputTest, RunRecordsTheErrorAndCreatesNothing) {
  WorldRun run = RunScenario({{"appset.yaml", BadAppSetYaml(GetParam().generators)},
                              {"web/prod/app.yaml", DeploymentAndService("web")},
                              {"notes/readme.txt", "plain words, not YAML objects"}},
                             kHeader);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("ApplicationGenerated").empty());
  std::vector<const TraceRecord*> errors = run.Find("ApplicationSetError");
  std::vector<const TraceRecord*> warnings = run.Find("ApplicationSetWarning");
  std::string detail = !errors.empty()     ? errors.front()->detail
                       : !warnings.empty() ? warnings.front()->detail
                                           : "";
  EXPECT_THAT(detail, HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, AppSetBadInputTest,
    ::testing::Values(
        BadAppSet{"BrokenTemplate", "    - clusters: {values: {a: '{{ .name '}}\n",
                  "failed to parse template {{ .name : template: base:1: unclosed action"},
        BadAppSet{"UnknownGenerator", "    - lsit: {elements: [{a: '1'}]}\n",
                  "ApplicationSet bad contains unrecognized generators: lsit"},
        BadAppSet{"MatrixOfThree",
                  "    - matrix:\n        generators:\n          - list: {elements: [{a: '1'}]}\n"
                  "          - list: {elements: [{b: '1'}]}\n          - list: {elements: [{c: "
                  "'1'}]}\n",
                  "found more than two generators, Matrix support only two"},
        BadAppSet{"GitFilesOnText",
                  "    - git:\n        repoURL: https://example.com/apps.git\n        files: "
                  "[{path: 'notes/*.txt'}]\n",
                  "unable to process file 'notes/readme.txt'"}),
    [](const ::testing::TestParamInfo<BadAppSet>& p) { return p.param.name; });

}  // namespace
}  // namespace fleetsim::testing_world

namespace fleetsim::testing_world {
namespace {

// Reference 4.4: a cluster Secret that stops matching the selector has its Applications deleted
// (cascading); when its labels come back they are generated again.
TEST(AppSetControllerTest, RelabelledClusterLosesItsApplications) {
  WorldRun run = RunScenario(Files(AppSetYaml()),
                             std::string(kHeader) +
                                 "faults:\n  - {at: 10m, kind: cluster-relabel, cluster: prod-2, "
                                 "labels: {env: staging}, for: 10m}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> deleted = run.Find("GeneratedApplicationDeleted");
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[0]->app, "api-prod-2");
  EXPECT_EQ(deleted[0]->t.micros(), 600 * 1000000LL);  // requeued on the Secret event
  EXPECT_EQ(Metric(run, "apps_deleted"), 2);
  EXPECT_GT(Metric(run, "downtime_seconds"), 0);
  EXPECT_EQ(run.Find("ApplicationGenerated").size(), 6u);  // 4, then 2 again at 20m
}

}  // namespace
}  // namespace fleetsim::testing_world

namespace fleetsim::testing_world {
namespace {

// RollingSync (reference 4.6; argo-cd applicationset/progressivesync/progressive_sync.go).
std::string RollingHeader(bool progressive) {
  return std::string(R"(name: t
seed: 1
duration: 40m
)") + (progressive ? "argocd: {appsetProgressiveSyncs: true}\n" : "") +
         R"(fleet:
  clusters:
    - {name: dev-1, labels: {env: dev}}
    - {name: staging-1, labels: {env: staging}}
    - {name: prod-1, labels: {env: prod}}
    - {name: prod-2, labels: {env: prod}}
    - {name: qa-1, labels: {env: qa}}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
bootstrap:
  - {repo: apps, path: appset.yaml}
history:
  - at: 20m
    repo: apps
    message: release
    set-image: {path: web/app.yaml, container: web, image: ghcr.io/acme/app:2.0.0}
)";
}

std::map<std::string, std::string> RollingFiles(const std::string& max_update = "") {
  std::string appset = R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - clusters:
        selector:
          matchExpressions: [{key: env, operator: In, values: [dev, staging, prod, qa]}]
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions: [{key: env, operator: In, values: [dev]}]
        - matchExpressions: [{key: env, operator: In, values: [staging]}]
        - matchExpressions: [{key: env, operator: In, values: [prod]}]
)" + max_update + R"(
  template:
    metadata:
      name: "web-{{.name}}"
      labels: {env: '{{index .metadata.labels "env"}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/apps.git, targetRevision: HEAD, path: web}
      destination: {server: "{{.server}}", namespace: web}
      syncPolicy:
        automated: {prune: true, selfHeal: true}
        syncOptions: [CreateNamespace=true]
)";
  return {{"appset.yaml", appset}, {"web/app.yaml", DeploymentAndService("web")}};
}

// The time of the first status change of `app` to `status` at or after `after`.
int64_t StatusAt(const WorldRun& run, const std::string& app, const std::string& status,
                 int64_t after = 0) {
  for (const TraceRecord* r : run.Find("RollingSyncStatusChanged", app)) {
    if (r->t.micros() >= after && r->detail.rfind(status + " ", 0) == 0) return r->t.micros();
  }
  return -1;
}

// Step N syncs only once every Application of the earlier steps is Healthy (getAppsToSync): at
// every Pending transition, the statuses of the earlier steps' apps are Healthy. A step counts as
// done by the revision the application controller has compared, so after a push an app whose
// refresh comes later is still Healthy at the old revision, as in Argo CD. An Application no step
// selects (qa) is never synced; automated sync is disabled on the generated Applications.
TEST(AppSetRollingSyncTest, StepsSyncInOrder) {
  WorldRun run = RunScenario(RollingFiles(), RollingHeader(true));
  ASSERT_TRUE(run.error.empty()) << run.error;
  const std::map<std::string, std::vector<std::string>> earlier = {
      {"web-staging-1", {"web-dev-1"}},
      {"web-prod-1", {"web-dev-1", "web-staging-1"}},
      {"web-prod-2", {"web-dev-1", "web-staging-1"}}};
  std::map<std::string, std::string> status;  // latest, by app
  int pending = 0;
  for (const TraceRecord& r : run.world->trace().records()) {
    if (r.event != "RollingSyncStatusChanged") continue;
    std::string now = r.detail.substr(0, r.detail.find(' '));
    if (now == "Pending" && earlier.count(r.app) != 0) {
      ++pending;
      for (const std::string& before : earlier.at(r.app)) {
        EXPECT_EQ(status[before], "Healthy") << r.app << " at " << r.t.micros();
      }
    }
    status[r.app] = now;
  }
  EXPECT_EQ(pending, 6);  // staging and both prod apps, at bootstrap and for the release
  const int64_t release = 20 * 60 * 1000000LL;
  for (const char* app : {"web-dev-1", "web-staging-1", "web-prod-1", "web-prod-2"}) {
    std::vector<const TraceRecord*> syncs = run.Find("SyncStarted", app);
    ASSERT_EQ(syncs.size(), 2u) << app;  // the first rollout and the release
    EXPECT_EQ(syncs[1]->detail.rfind("automated", 0), 0u);
    EXPECT_GE(syncs[1]->t.micros(), release);
  }
  EXPECT_TRUE(run.Find("SyncStarted", "web-qa-1").empty());
  EXPECT_EQ(StatusAt(run, "web-qa-1", "Healthy"), -1);
  const std::vector<AppSetAppStatus>& statuses = run.world->appset_controller().AppStatuses("web");
  ASSERT_EQ(statuses.size(), 5u);
  for (const AppSetAppStatus& s : statuses) {
    EXPECT_EQ(s.status, s.application == "web-qa-1" ? "Waiting" : "Healthy") << s.application;
  }
  EXPECT_EQ(statuses.back().application, "web-staging-1");  // sorted by name
  EXPECT_EQ(statuses.back().step, "2");
  EXPECT_EQ(statuses[3].step, "-1");  // web-qa-1
  // Apps of no step do not hold the rollout up (getProgressingCondition).
  EXPECT_EQ(run.Find("RollingSyncProgress").back()->detail, "ApplicationSet Rollout has completed");
}

// maxUpdate 1 on prod: the second prod Application waits for the first to leave Progressing.
// Which one goes first is the one whose refresh noticed the release first.
TEST(AppSetRollingSyncTest, MaxUpdateLimitsAStep) {
  WorldRun run = RunScenario(RollingFiles("          maxUpdate: 1\n"), RollingHeader(true));
  ASSERT_TRUE(run.error.empty()) << run.error;
  const int64_t release = 20 * 60 * 1000000LL;
  int64_t prod1 = StatusAt(run, "web-prod-1", "Pending", release);
  int64_t prod2 = StatusAt(run, "web-prod-2", "Pending", release);
  ASSERT_GT(prod1, 0);
  ASSERT_GT(prod2, 0);
  ASSERT_NE(prod1, prod2);
  const char* first = prod1 < prod2 ? "web-prod-1" : "web-prod-2";
  EXPECT_GE(std::max(prod1, prod2), StatusAt(run, first, "Healthy", release)) << first;
}

// Progressive syncs are off by default, as in Argo CD: the strategy is ignored and the
// template's automated policy syncs every Application at once.
TEST(AppSetRollingSyncTest, IgnoredWhenProgressiveSyncsAreOff) {
  WorldRun run = RunScenario(RollingFiles(), RollingHeader(false));
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_TRUE(run.Find("RollingSyncStatusChanged").empty());
  EXPECT_EQ(run.Find("SyncStarted", "web-qa-1").size(), 2u);
  EXPECT_TRUE(run.world->appset_controller().AppStatuses("web").empty());
}

}  // namespace
}  // namespace fleetsim::testing_world
