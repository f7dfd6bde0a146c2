// The bundled DR scenarios tell the story of the article's runbook in order (issue 6: destroyed,
// rebuilt, root app applied, each Application synced, each unseal failure), with the Sealed
// Secrets controller's own messages (reference rollouts-secrets.md 2.3-2.5).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

Json ReportOf(const std::string& path) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = path;
  options.json_path = "-";
  options.quiet = true;
  EXPECT_EQ(RunCommand(options, out, err), 0) << err.str();
  return Json::parse(out.str());
}

Json Report(const std::string& name) {
  return ReportOf(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
}

// A scenario on the DR scenarios' repositories (two clusters, checkout with a SealedSecret on
// each) with `extra` appended (faults:, actions:, ...), written to a temporary file.
std::string DrScenario(const std::string& name, const std::string& fleet_extra,
                       const std::string& extra) {
  std::string repos = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/repos/dr";
  std::string path = ::testing::TempDir() + "/" + name + ".yaml";
  std::ofstream(path)
      << "name: " << name << "\nseed: 3\nduration: 2h\nfleet:\n"
      << "  clusters:\n    - {name: prod-eastus}\n    - {name: prod-westeu}\n"
      << fleet_extra << "repos:\n  platform: {url: "
      << "https://github.com/acme/platform-gitops.git, tree: " << repos
      << "/platform-gitops}\n  apps: {url: https://github.com/acme/apps-gitops.git, "
      << "tree: " << repos << "/apps-gitops, webhook: true}\n"
      << "bootstrap:\n  - {repo: platform, path: bootstrap/root-app.yaml}\n"
      << extra;
  return path;
}

// The index of the first timeline entry at or after `from` with this event (and cluster, app,
// detail prefix when given); -1 if none.
int Find(const Json& timeline, int from, const std::string& event, const std::string& cluster = "",
         const std::string& app = "", const std::string& detail = "") {
  for (int i = std::max(from, 0); i < static_cast<int>(timeline.size()); ++i) {
    const Json& e = timeline[i];
    if (e["event"] != event) continue;
    if (!cluster.empty() && e["cluster"] != cluster) continue;
    if (!app.empty() && e["app"] != app) continue;
    if (e["detail"].get<std::string>().rfind(detail, 0) != 0) continue;
    return i;
  }
  return -1;
}

TEST(DrScenariosTest, KeyRestoredRecoversInOrder) {
  Json report = Report("dr-rebuild-key-restored");
  const Json& tl = report["timeline"];
  int destroyed = Find(tl, 0, "ClusterDestroyed", "prod-westeu");
  int rebuilt = Find(tl, destroyed, "ClusterRebuilt", "prod-westeu", "",
                     "1 sealing key(s) restored from the backup taken at 20m");
  int loaded = Find(tl, rebuilt, "SealingKeysLoaded", "prod-westeu");
  int applied = Find(tl, rebuilt, "ActionTaken", "", "", "kubectl apply");
  int unsealed = Find(tl, rebuilt, "SealedSecretUnsealed", "prod-westeu");
  int synced = Find(tl, rebuilt, "ComparisonChanged", "prod-westeu", "checkout-prod-westeu",
                    "Synced Healthy");
  ASSERT_GE(destroyed, 0);
  EXPECT_GT(rebuilt, destroyed);
  EXPECT_GT(loaded, rebuilt);
  EXPECT_GT(applied, rebuilt);
  EXPECT_GT(unsealed, rebuilt);
  EXPECT_GT(synced, unsealed);
  EXPECT_EQ(Find(tl, 0, "SealedSecretUnsealFailed"), -1);
  EXPECT_TRUE(report["metrics"]["rto_seconds"].is_number());
  EXPECT_EQ(report["metrics"]["secrets_unrecoverable"], 0);
}

TEST(DrScenariosTest, KeyLostNeverRecovers) {
  Json report = Report("dr-rebuild-key-lost");
  const Json& tl = report["timeline"];
  int rebuilt = Find(tl, 0, "ClusterRebuilt", "prod-westeu", "", "no key restored");
  int fresh = Find(tl, rebuilt, "SealingKeyGenerated", "prod-westeu", "", "no sealing key found");
  int failed = Find(tl, rebuilt, "SealedSecretUnsealFailed", "prod-westeu", "",
                    "ErrUnsealFailed: Failed to unseal: no key could decrypt secret (password, "
                    "username)");
  ASSERT_GE(rebuilt, 0);
  EXPECT_GT(fresh, rebuilt);
  EXPECT_GT(failed, fresh);
  EXPECT_EQ(Find(tl, rebuilt, "ComparisonChanged", "prod-westeu", "checkout-prod-westeu",
                 "Synced Healthy"),
            -1);
  EXPECT_GT(Find(tl, rebuilt, "ComparisonChanged", "prod-westeu", "ingress-nginx-prod-westeu",
                 "Synced Healthy"),
            rebuilt);
  EXPECT_TRUE(report["metrics"]["rto_seconds"].is_null());
  EXPECT_EQ(report["metrics"]["secrets_unrecoverable"], 1);
}

// sealing-key-lost (2.4): the fresh key cannot open what the lost one sealed; the Secret unsealed
// before stays; a restore from the backup (2.5) brings it back; re-encryption needs the old key
// (2.6: "error decrypting secret").
TEST(DrScenariosTest, SealingKeyLostAndRestored) {
  Json report = ReportOf(DrScenario(
      "key-lost", "",
      "faults:\n"
      "  - {at: 30m, kind: sealing-key-lost, cluster: prod-westeu}\n"
      "  - {at: 70m, kind: sealing-key-lost, cluster: prod-westeu, restore: true}\n"
      "actions:\n"
      "  - {at: 10m, do: backup-sealed-secrets-key, cluster: prod-westeu}\n"
      "  - {at: 50m, do: kubeseal --re-encrypt, repo: apps, path: checkout/overlays/prod-westeu,"
      " cluster: prod-westeu}\n"));
  const Json& tl = report["timeline"];
  int fresh = Find(tl, 0, "SealingKeyGenerated", "prod-westeu", "", "no sealing key found");
  int failed = Find(tl, fresh, "SealedSecretUnsealFailed", "prod-westeu");
  int degraded = Find(tl, failed, "ComparisonChanged", "prod-westeu", "checkout-prod-westeu",
                      "Synced Degraded");
  int reencrypt = Find(tl, degraded, "ActionFailed", "", "",
                       "kubeseal --re-encrypt cluster=prod-westeu path=checkout/overlays/"
                       "prod-westeu repo=apps: checkout/overlays/prod-westeu/sealedsecret.yaml: "
                       "error decrypting secret. no key could decrypt secret (password, username)");
  int restored = Find(tl, reencrypt, "SealingKeysLoaded", "prod-westeu", "",
                      "controller started with 1 key(s): prod-westeu-1");
  int unsealed = Find(tl, restored, "SealedSecretUnsealed", "prod-westeu");
  int healthy = Find(tl, unsealed, "ComparisonChanged", "prod-westeu", "checkout-prod-westeu",
                     "Synced Healthy");
  ASSERT_GE(fresh, 0);
  EXPECT_GT(failed, fresh);
  EXPECT_GT(degraded, failed);
  EXPECT_GT(reencrypt, degraded);
  EXPECT_GT(restored, reencrypt);
  EXPECT_GT(unsealed, restored);
  EXPECT_GT(healthy, unsealed);
  // The Secret unsealed before the loss kept the pods running.
  EXPECT_EQ(Find(tl, 0, "WorkloadUnavailable", "prod-westeu"), -1);
  EXPECT_EQ(report["metrics"]["secrets_unrecoverable"], 0);
}

// kubeseal --re-encrypt (2.6) after a renewal: a commit with new ciphertexts, sealed with the
// newest key; the controller opens them and the Secret (same plaintext) does not change.
// kubectl rollout restart reloads the keys and unseals again without a failure.
TEST(DrScenariosTest, ReEncryptAfterRenewal) {
  Json report = ReportOf(DrScenario(
      "re-encrypt", "  sealedSecrets: {keyRenewal: 30m}\n",
      "actions:\n"
      "  - {at: 45m, do: kubeseal --re-encrypt, repo: apps, path: checkout/overlays/prod-westeu}\n"
      "  - {at: 50m, do: kubectl rollout restart, cluster: prod-westeu, controller: "
      "sealed-secrets}\n"));
  const Json& tl = report["timeline"];
  int renewed = Find(tl, 0, "SealingKeyGenerated", "prod-westeu", "", "key renewal: new key");
  int commit = Find(tl, renewed, "CommitPushed", "", "", "");
  ASSERT_GE(commit, 0);
  EXPECT_NE(tl[commit]["detail"].get<std::string>().find(
                "kubeseal --re-encrypt checkout/overlays/prod-westeu"),
            std::string::npos);
  int synced = Find(tl, commit, "ComparisonChanged", "prod-westeu", "checkout-prod-westeu",
                    "Synced Healthy");
  int restarted =
      Find(tl, synced, "SealingKeysLoaded", "prod-westeu", "", "controller started with 2 key(s)");
  EXPECT_GT(renewed, 0);
  EXPECT_GT(synced, commit);
  EXPECT_GT(restarted, synced);
  EXPECT_EQ(Find(tl, 0, "SealedSecretUnsealFailed"), -1);
  EXPECT_EQ(Find(tl, 0, "WorkloadUnavailable"), -1);
  EXPECT_EQ(report["metrics"]["secrets_unrecoverable"], 0);
}

}  // namespace
}  // namespace fleetsim
