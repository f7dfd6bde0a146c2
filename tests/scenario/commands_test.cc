// Fault kinds and action verbs: one valid entry of each loads, and the argument tables reject
// what they should.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/test_paths.h"

namespace fleetsim {
namespace {

const std::string kPreamble =
    "name: x\n"
    "duration: 2h\n"
    "fleet:\n"
    "  clusters: [{name: prod-1}, {name: prod-2}]\n"
    "repos:\n"
    "  apps: {url: https://example.com/apps, tree: repos/apps}\n";

Result<Scenario> LoadWith(const std::string& section, const std::string& entry) {
  return LoadScenarioText(ScenarioDataFile("inline.yaml"),
                          kPreamble + section + ":\n  - " + entry + "\n", {});
}

// The message after "inline.yaml:7:" (the entry's line), or "(loaded)".
std::string ErrorOf(const std::string& section, const std::string& entry) {
  Result<Scenario> result = LoadWith(section, entry);
  if (result.ok()) return "(loaded)";
  std::string prefix = ScenarioDataFile("inline.yaml") + ":8:";
  const std::string& message = result.error();
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

class ValidFaultTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidFaultTest, Loads) {
  Result<Scenario> s = LoadWith("faults", GetParam());
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->faults.size() + s->random_faults.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, ValidFaultTest,
    ::testing::Values(
        "{at: 1m, kind: git-unreachable, repo: apps, for: 5m}",
        "{at: 1m, kind: git-empty-response, appset: cluster-addons}",
        "{at: 1m, kind: rename-directory, repo: apps, from: a, to: b}",
        "{at: 1m, kind: rename-directory, repo: apps, glob: \"apps/*\"}",
        "{at: 1m, kind: delete-path, repo: apps, path: a/b.yaml}",
        "{at: 1m, kind: edit-selector, repo: apps, path: appset.yaml, matchLabels: {env: x}}",
        "{at: 1m, kind: cluster-unreachable, cluster: \"prod-*\", for: 10m}",
        "{at: 1m, kind: cluster-destroyed, cluster: prod-1}",
        "{at: 1m, kind: cluster-relabel, cluster: prod-1, labels: {env: staging}}",
        "{at: 1m, kind: controller-restart, controller: argocd-application-controller}",
        "{at: 1m, kind: shard-change, replicas: 3, for: 30m}",
        "{at: 1m, kind: sealing-key-lost, cluster: prod-2, restore: true}",
        "{at: 1m, kind: secret-store-down, store: vault, mode: auth}",
        "{at: 1m, kind: manual-drift, cluster: prod-1, object: Deployment/shop/checkout, "
        "set: {spec.replicas: 0}}",
        "{at: 1m, kind: manual-drift, cluster: in-cluster, object: ConfigMap/x, delete: true}",
        "{at: 1m, kind: argocd-destroyed}",
        "{at: 1m, kind: bad-image, image: \"ghcr.io/acme/x:2\"}",
        "{at: 1m, kind: slow-start, image: \"ghcr.io/acme/x:2\", startup: 5m}",
        "{at: 1m, kind: metrics-degraded, image: x, successRate: 0.5, latencyP99: 2s}",
        "{at: 1m, kind: api-throttle, cluster: prod-1, qps: 5}",
        "{random: {kinds: [cluster-unreachable], rate: 3, seed-stream: s, for: 10m}}"));

class ValidActionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidActionTest, Loads) {
  Result<Scenario> s = LoadWith("actions", GetParam());
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->actions.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    EveryVerb, ValidActionTest,
    ::testing::Values(
        "{at: 1m, do: kubectl apply, repo: apps, path: checkout/base}",
        "{at: 1m, do: kubectl apply, file: full.yaml, cluster: prod-1}",
        "{at: 1m, do: kubectl edit, cluster: prod-1, object: Deployment/shop/x, "
        "set: {spec.replicas: 2}}",
        "{at: 1m, do: kubectl delete, cluster: prod-1, object: Namespace/shop}",
        "{at: 1m, do: argocd app sync, app: checkout}",
        "{at: 1m, do: argocd app refresh, app: \"*\", hard: true}",
        "{at: 1m, do: argocd app delete, app: checkout, cascade: false}",
        "{at: 1m, do: argocd app confirm-deletion, app: checkout}",
        "{at: 1m, do: argocd appset delete, appset: services}",
        "{at: 1m, do: kubectl argo rollouts promote, cluster: prod-1, rollout: x, full: true}",
        "{at: 1m, do: kubectl argo rollouts abort, cluster: prod-1, rollout: x}",
        "{at: 1m, do: kubectl argo rollouts retry, cluster: prod-1, rollout: x, namespace: shop}",
        "{at: 1m, do: kubectl argo rollouts pause, cluster: prod-1, rollout: x}",
        "{at: 1m, do: backup-sealed-secrets-key, cluster: prod-1}",
        "{at: 1m, do: rebuild, cluster: prod-1, restore: [sealed-secrets-key]}",
        "{at: 1m, do: argocd install}", "{at: 1m, do: argocd install, bootstrap: false}",
        "{at: 1m, do: kubeseal --re-encrypt, repo: apps, path: secrets}",
        "{at: 1m, do: kubeseal --re-encrypt, repo: apps, path: secrets, cluster: prod-1}",
        "{at: 1m, do: kubectl rollout restart, cluster: prod-2, controller: sealed-secrets}",
        "{at: 1m, do: \"argocd  app   sync\", app: spaces-collapse}"));

TEST(FaultArgsTest, FormsNeedOneCompleteSet) {
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: bad-image, cluster: prod-1}"),
            "5: bad-image needs image, or cluster and workload");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: bad-image, image: x, cluster: prod-1}"),
            "41: \"cluster\" cannot be used with image: bad-image takes image, or cluster and "
            "workload");
}

TEST(FaultArgsTest, ArgumentTypes) {
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: shard-change, replicas: 0}"),
            "44: replicas must be between 1 and 1000");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: secret-store-down, mode: dns}"),
            "45: unknown mode \"dns\"; expected one of: auth, network");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: api-throttle, cluster: prod-1, qps: 0}"),
            "56: qps must be greater than 0");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: cluster-unreachable, cluster: prod-1, for: 0s}"),
            "63: for must be greater than 0");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: git-unreachable, repo: app}"),
            "43: unknown repo \"app\" (did you mean \"apps\"?)");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, kind: git-unreachable, repo: apps, cluster: prod-1}"),
            "49: unknown key \"cluster\"; expected one of: at, for, kind, repo");
}

TEST(FaultArgsTest, RandomSchedules) {
  EXPECT_EQ(ErrorOf("faults", "{random: {kinds: [cluster-unreachble], rate: 1}}"),
            "23: unknown fault kind \"cluster-unreachble\" (did you mean "
            "\"cluster-unreachable\"?)");
  EXPECT_EQ(ErrorOf("faults", "{random: {kinds: [secret-key-deleted], rate: 1}}"),
            "23: secret-key-deleted names a remote key, so it cannot be drawn at random; give it "
            "as a fault of its own");
  EXPECT_EQ(ErrorOf("faults", "{random: {kinds: [], rate: 1}}"),
            "22: kinds must list at least one fault kind");
  EXPECT_EQ(ErrorOf("faults", "{random: {kinds: [argocd-destroyed], rate: 0/h}}"),
            "48: rate must be greater than 0");
  EXPECT_EQ(ErrorOf("faults",
                    "{random: {kinds: [argocd-destroyed], rate: 1, for: {min: 2m, "
                    "max: 1m}}}"),
            "56: for min 2m is greater than max 1m");
  EXPECT_EQ(ErrorOf("faults", "{at: 1m, random: {kinds: [argocd-destroyed], rate: 1}}"),
            "6: unknown key \"at\"; expected one of: random");
  Result<Scenario> s = LoadWith("faults", "{random: {kinds: [argocd-destroyed], rate: 0.5/m}}");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_DOUBLE_EQ(s->random_faults[0].rate_per_hour, 30);
}

TEST(ActionArgsTest, RequiredAndTyped) {
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: argocd app delete, cascade: false}"),
            "5: argocd app delete needs \"app\"");
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: argocd app delete, app: a, cascade: no}"),
            "54: expected true or false, found \"no\"");
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: argocd install, bootstrap: later}"),
            "45: expected true or false, found \"later\"");
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: rebuild, cluster: prod-1, restore: [keys]}"),
            "54: unknown restore \"keys\"; expected one of: sealed-secrets-key");
  EXPECT_EQ(ErrorOf("actions",
                    "{at: 1m, do: kubectl edit, cluster: prod-1, object: A/b, "
                    "set: {spec..x: 1}}"),
            "68: invalid path \"spec..x\": empty key at character 6");
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: kubectl apply, file: nope.yaml}"),
            "39: file \"nope.yaml\" does not exist or is not a regular file");
  EXPECT_EQ(ErrorOf("actions", "{at: 3h, do: argocd install}"),
            "10: at 3h is after the end of the run (duration 2h)");
  EXPECT_EQ(ErrorOf("actions", "{at: 1m, do: kubectl delete, cluster: prod-9, object: A/b}"),
            "43: unknown cluster \"prod-9\" (did you mean \"prod-1\"?)");
  // kubeseal --re-encrypt's optional cluster (the controller it talks to) must be a fleet cluster.
  EXPECT_EQ(ErrorOf("actions",
                    "{at: 1m, do: kubeseal --re-encrypt, repo: apps, path: secrets, "
                    "cluster: prod-9}"),
            "77: unknown cluster \"prod-9\" (did you mean \"prod-1\"?)");
  EXPECT_EQ(
      ErrorOf("actions", "{at: 1m, do: kubeseal --re-encrypt, repo: apps, path: secrets, ns: x}"),
      "68: unknown key \"ns\"; expected one of: at, cluster, do, path, repo");
}

TEST(ActionArgsTest, FileIsStoredAbsolute) {
  Result<Scenario> s = LoadWith("actions", "{at: 1m, do: kubectl apply, file: full.yaml}");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->actions[0].params.at("file").scalar, ScenarioDataFile("full.yaml"));
}

}  // namespace
}  // namespace fleetsim
