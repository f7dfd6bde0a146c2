// Random fault schedules (DESIGN.md "Faults": kinds with rates, durations from a range, targets
// drawn from globs, all from a named stream so that a seed replays the same faults).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

WorldRun RunFaults(int seed, const std::string& random) {
  std::map<std::string, std::string> files = {
      {"appsets/appset.yaml", ProdMatrixAppSet()},
      {"root.yaml", AppManifest("root", "appsets", "https://kubernetes.default.svc")},
      {"web/prod/app.yaml", DeploymentAndService("web")},
      {"api/prod/app.yaml", DeploymentAndService("api", 2, "ghcr.io/acme/api:1.0.0")}};
  return RunScenario(files, "name: t\nseed: " + std::to_string(seed) + R"(
duration: 3h
fleet:
  clusters:
    - {name: prod-1, labels: {env: prod}}
    - {name: prod-2, labels: {env: prod}}
    - {name: prod-3, labels: {env: prod}}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
bootstrap:
  - {repo: apps, path: root.yaml}
faults:
  - random: )" + random + "\n");
}

std::vector<std::string> Injected(const WorldRun& run) {
  std::vector<std::string> out;
  for (const TraceRecord* r : run.Find("FaultInjected"))
    out.push_back(std::to_string(r->t.micros()) + " " + r->detail);
  return out;
}

constexpr const char* kEveryKind =
    "{kinds: [git-unreachable, git-empty-response, rename-directory, delete-path, "
    "edit-selector, cluster-unreachable, cluster-destroyed, cluster-relabel, controller-restart, "
    "shard-change, sealing-key-lost, secret-store-down, manual-drift, argocd-destroyed, bad-image, "
    "slow-start, metrics-degraded, api-throttle], rate: 20/h, seed-stream: chaos, "
    "for: {min: 1m, max: 10m}}";

// Every drawable kind finds a target or is skipped; none fails (the soak's requirement).
TEST(RandomFaultsTest, EveryKindDrawsATargetWithoutFailures) {
  WorldRun run = RunFaults(3, kEveryKind);
  ASSERT_TRUE(run.error.empty()) << run.error;
  EXPECT_GE(run.Find("FaultInjected").size(), 20u);
  for (const TraceRecord* r : run.Find("FaultFailed")) ADD_FAILURE() << r->detail;
}

TEST(RandomFaultsTest, TheSameSeedReplaysTheSameFaults) {
  WorldRun a = RunFaults(5, kEveryKind);
  WorldRun b = RunFaults(5, kEveryKind);
  WorldRun c = RunFaults(6, kEveryKind);
  ASSERT_TRUE(a.error.empty()) << a.error;
  EXPECT_EQ(Injected(a), Injected(b));
  EXPECT_EQ(a.world->trace().digest(), b.world->trace().digest());
  EXPECT_NE(Injected(a), Injected(c));
}

// Targets come from the globs: only prod-2 is ever made unreachable; kinds that cannot heal
// ignore `for`, the others heal after it.
TEST(RandomFaultsTest, TargetsComeFromTheGlobsAndDurationsFromFor) {
  WorldRun run = RunFaults(
      1, "{kinds: [cluster-unreachable, manual-drift], rate: 6/h, cluster: prod-2, for: 2m}");
  ASSERT_TRUE(run.error.empty()) << run.error;
  size_t unreachable = 0;
  size_t drifts = 0;
  for (const TraceRecord* r : run.Find("FaultInjected")) {
    EXPECT_EQ(r->cluster, "prod-2") << r->detail;
    if (r->detail.starts_with("cluster-unreachable")) {
      ++unreachable;
      EXPECT_THAT(r->detail, HasSubstr("for 2m"));
    } else {
      ++drifts;
      EXPECT_THAT(r->detail, ::testing::Not(HasSubstr(" for ")));
    }
  }
  EXPECT_GT(drifts, 0u);
  EXPECT_EQ(run.Find("FaultHealed").size(), unreachable);
}

// Images come from what the matching Applications deploy.
TEST(RandomFaultsTest, ImageFaultsTargetDeployedImages) {
  WorldRun run = RunFaults(2, "{kinds: [bad-image, slow-start], rate: 4/h, app: 'api-*', for: 5m}");
  ASSERT_TRUE(run.error.empty()) << run.error;
  ASSERT_FALSE(run.Find("FaultInjected").empty());
  for (const TraceRecord* r : run.Find("FaultInjected"))
    EXPECT_THAT(r->detail, HasSubstr("image=ghcr.io/acme/api:1.0.0"));
}

}  // namespace
}  // namespace fleetsim::testing_world
