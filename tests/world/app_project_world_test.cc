// AppProjects and sync windows in the application controller, on small worlds (reference 5.1,
// 5.2; argo-cd controller/appcontroller.go refreshAppConditions and the CanSync check before
// autoSync, server/application Sync's window check).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHeader = R"(name: t
seed: 1
start: 2026-01-15T12:00:00Z
fleet:
  clusters:
    - {name: prod-1}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
)";

std::string InProject(std::string manifest, const std::string& project) {
  manifest.replace(manifest.find("project: default"), 16, "project: " + project);
  return manifest;
}

std::string Project(const std::string& name, const std::string& ns_glob,
                    const std::string& windows = "") {
  return "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: " + name +
         "\n  namespace: argocd\nspec:\n  sourceRepos: ['*']\n  destinations:\n"
         "    - {server: '*', namespace: '" +
         ns_glob +
         "'}\n"
         "  clusterResourceWhitelist:\n    - {group: '', kind: Namespace}\n" +
         windows;
}

TEST(AppProjectWorldTest, MissingProjectIsAnInvalidSpecError) {
  WorldRun run =
      RunScenario({{"bootstrap/web.yaml", InProject(AppManifest("web", "web"), "nope")},
                   {"web/app.yaml", DeploymentAndService("web")}},
                  std::string(kHeader) +
                      "duration: 5m\nbootstrap:\n  - {repo: apps, path: bootstrap/web.yaml}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> changes = run.Find("ComparisonChanged", "web");
  ASSERT_FALSE(changes.empty());
  EXPECT_THAT(changes[0]->detail, HasSubstr("Unknown Unknown: InvalidSpecError: Application "
                                            "referencing project nope which does not exist"));
  EXPECT_TRUE(run.Find("SyncStarted", "web").empty());
}

TEST(AppProjectWorldTest, AProjectChangeTakesEffectAtTheNextRefresh) {
  // The project first allows only team-*; at 10m it is widened to every namespace.
  WorldRun run = RunScenario(
      {{"bootstrap/web.yaml", InProject(AppManifest("web", "web"), "team")},
       {"projects/narrow.yaml", Project("team", "team-*")},
       {"projects/wide.yaml", Project("team", "*")},
       {"web/app.yaml", DeploymentAndService("web")}},
      std::string(kHeader) +
          "duration: 20m\nbootstrap:\n  - {repo: apps, path: projects/narrow.yaml}\n"
          "  - {repo: apps, path: bootstrap/web.yaml}\n"
          "actions:\n  - {at: 10m, do: kubectl apply, repo: apps, path: projects/wide.yaml}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> changes = run.Find("ComparisonChanged", "web");
  ASSERT_FALSE(changes.empty());
  EXPECT_THAT(changes[0]->detail, HasSubstr("do not match any of the allowed destinations in "
                                            "project 'team'"));
  std::vector<const TraceRecord*> syncs = run.Find("SyncStarted", "web");
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_GE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(10));
  EXPECT_LE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(14));  // one resync at most
}

TEST(AppProjectWorldTest, ManualSyncOutsideAnAllowWindowNeedsManualSync) {
  // Allow 13:00-14:00 UTC only; the run starts at 12:00. The app syncs automatically at the first
  // refresh after 13:00; a manual sync at 12:10 is refused, at 12:20 (manualSync) accepted.
  std::string window =
      "  syncWindows:\n    - {kind: allow, schedule: '0 13 * * *', duration: 1h,"
      " applications: ['*']";
  for (bool manual : {false, true}) {
    std::string yaml = std::string(kHeader) +
                       "duration: 90m\nbootstrap:\n  - {repo: apps, path: projects/p.yaml}\n"
                       "  - {repo: apps, path: bootstrap/web.yaml}\n"
                       "actions:\n  - {at: 10m, do: argocd app sync, app: web}\n";
    WorldRun run =
        RunScenario({{"bootstrap/web.yaml", InProject(AppManifest("web", "web"), "team")},
                     {"projects/p.yaml",
                      Project("team", "*", window + (manual ? ", manualSync: true}\n" : "}\n"))},
                     {"web/app.yaml", DeploymentAndService("web")}},
                    yaml);
    ASSERT_TRUE(run.error.empty()) << run.error;
    std::vector<const TraceRecord*> blocked = run.Find("SyncBlocked", "web");
    ASSERT_EQ(blocked.size(), 1u);  // traced once, not at every refresh
    EXPECT_THAT(blocked[0]->detail, HasSubstr("outside allow 0 13 * * * 1h"));
    std::vector<const TraceRecord*> failed = run.Find("ActionFailed");
    std::vector<const TraceRecord*> syncs = run.Find("SyncStarted", "web");
    ASSERT_FALSE(syncs.empty());
    if (manual) {
      EXPECT_TRUE(failed.empty());
      EXPECT_GE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(10));
      EXPECT_LE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(10) + SimDuration::Seconds(1));
    } else {
      ASSERT_EQ(failed.size(), 1u);
      EXPECT_THAT(failed[0]->detail, HasSubstr("cannot sync: blocked by sync window"));
      EXPECT_GE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(60));
      EXPECT_LE(syncs[0]->t, SimTime::Zero() + SimDuration::Minutes(64));
    }
  }
}

}  // namespace
}  // namespace fleetsim::testing_world
