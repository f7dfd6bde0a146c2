// The bundled DR scenarios tell the story of the article's runbook in order (issue 6: destroyed,
// rebuilt, root app applied, each Application synced, each unseal failure), with the Sealed
// Secrets controller's own messages (reference rollouts-secrets.md 2.3-2.5).
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

nlohmann::json Report(const std::string& name) {
  std::ostringstream out, err;
  RunOptions options;
  options.scenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml";
  options.json_path = "-";
  options.quiet = true;
  EXPECT_EQ(RunCommand(options, out, err), 0) << err.str();
  return nlohmann::json::parse(out.str());
}

// The index of the first timeline entry at or after `from` with this event (and cluster, app,
// detail prefix when given); -1 if none.
int Find(const nlohmann::json& timeline, int from, const std::string& event,
         const std::string& cluster = "", const std::string& app = "",
         const std::string& detail = "") {
  for (int i = std::max(from, 0); i < static_cast<int>(timeline.size()); ++i) {
    const nlohmann::json& e = timeline[i];
    if (e["event"] != event) continue;
    if (!cluster.empty() && e["cluster"] != cluster) continue;
    if (!app.empty() && e["app"] != app) continue;
    if (e["detail"].get<std::string>().rfind(detail, 0) != 0) continue;
    return i;
  }
  return -1;
}

TEST(DrScenariosTest, KeyRestoredRecoversInOrder) {
  nlohmann::json report = Report("dr-rebuild-key-restored");
  const nlohmann::json& tl = report["timeline"];
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
  nlohmann::json report = Report("dr-rebuild-key-lost");
  const nlohmann::json& tl = report["timeline"];
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

}  // namespace
}  // namespace fleetsim
