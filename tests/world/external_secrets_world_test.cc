// The External Secrets faults and action wired through the world (README "External Secrets
// Operator"; reference rollouts-secrets.md 3.4, 3.5): secret-key-deleted with deletionPolicy
// Delete, secret-store-down in auth mode, kubectl rollout restart of external-secrets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/world/world_test_util.h"

namespace fleetsim::testing_world {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHeader = R"(name: t
seed: 1
duration: 2h
fleet:
  clusters:
    - {name: prod-1}
repos:
  apps: {url: https://example.com/apps.git, tree: repo}
bootstrap:
  - {repo: apps, path: bootstrap/web.yaml}
secretStores:
  vault:
    keys:
      web/token: t0k
)";

constexpr const char* kSecrets = R"(apiVersion: external-secrets.io/v1
kind: SecretStore
metadata:
  name: vault
spec:
  provider:
    vault: {server: "https://vault.example.com"}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web-token
spec:
  refreshInterval: 10m
  secretStoreRef: {name: vault}
  target: {deletionPolicy: Delete}
  data:
    - secretKey: TOKEN
      remoteRef: {key: web/token}
)";

std::map<std::string, std::string> Files() {
  return {{"bootstrap/web.yaml", AppManifest("web", "web")},
          {"web/app.yaml", DeploymentAndService("web")},
          {"web/secrets.yaml", kSecrets}};
}

// Reference 3.5 Delete: the key deleted at 20m is seen at the next refresh (the Secret goes,
// Ready True SecretDeleted); restored at 50m, the Secret comes back at the refresh after.
TEST(ExternalSecretsWorldTest, KeyDeletedThenRestored) {
  WorldRun run = RunScenario(
      Files(), std::string(kHeader) +
                   "faults:\n  - {at: 20m, kind: secret-key-deleted, store: vault, key: web/token, "
                   "for: 30m}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> deleted = run.Find("SecretDeleted");
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_GT(deleted[0]->t, SimTime::Zero() + SimDuration::Seconds(1200));
  EXPECT_LE(deleted[0]->t, SimTime::Zero() + SimDuration::Seconds(1800 + 5));
  EXPECT_EQ(deleted[0]->object, "ExternalSecret/web/web-token");
  std::vector<const TraceRecord*> created = run.Find("SecretCreated");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_GT(created[1]->t, SimTime::Zero() + SimDuration::Seconds(3000));
  EXPECT_LE(created[1]->t, SimTime::Zero() + SimDuration::Seconds(3600 + 5));
}

// Reference 3.4 / 3.2: auth failing on the store: the store turns InvalidProviderConfig "could
// not get provider client"; the ExternalSecret fails at its refresh and keeps its Secret; the
// restart after the fault retries at once.
TEST(ExternalSecretsWorldTest, AuthFailureAndRestart) {
  WorldRun run = RunScenario(
      Files(), std::string(kHeader) +
                   "faults:\n  - {at: 5m, kind: secret-store-down, cluster: 'prod-*', mode: auth, "
                   "for: 1h}\n"
                   "actions:\n  - {at: 65m1s, do: kubectl rollout restart, cluster: prod-1, "
                   "controller: external-secrets}\n");
  ASSERT_TRUE(run.error.empty()) << run.error;
  std::vector<const TraceRecord*> store = run.Find("SecretStoreReady");
  ASSERT_GE(store.size(), 3u);
  EXPECT_THAT(store[1]->detail,
              HasSubstr("False InvalidProviderConfig: could not get provider client"));
  const TraceRecord* back = nullptr;  // the first validation after the fault (the restart)
  for (const TraceRecord* r : store) {
    if (back == nullptr && r->change && r->t > store[1]->t &&
        r->detail.find("True Valid") != std::string::npos) {
      back = r;
    }
  }
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->t, SimTime::Zero() + SimDuration::Seconds(3901));
  EXPECT_TRUE(run.Find("SecretDeleted").empty());
  EXPECT_EQ(run.Find("SecretCreated").size(), 1u);
  EXPECT_EQ(run.metrics().at("downtime_seconds").value, 0.0);
}

}  // namespace
}  // namespace fleetsim::testing_world
