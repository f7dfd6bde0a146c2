#include "sim/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/scenario/test_paths.h"

namespace fleetsim {
namespace {

Scenario LoadOk(const std::string& file, const std::vector<std::string>& overrides = {}) {
  Result<Scenario> result = LoadScenario(ScenarioDataFile(file), overrides);
  EXPECT_TRUE(result.ok()) << result.error();
  return result.ok() ? std::move(result).value() : Scenario{};
}

// Loads `text` as if it were a file in the data directory (so relative repo paths resolve).
Result<Scenario> LoadText(const std::string& text) {
  return LoadScenarioText(ScenarioDataFile("inline.yaml"), text, {});
}

std::string ErrorOf(const std::string& text) {
  Result<Scenario> result = LoadText(text);
  if (result.ok()) return "(loaded)";
  std::string message = result.error();
  const std::string prefix = ScenarioDataDir() + "/";
  for (size_t at = message.find(prefix); at != std::string::npos; at = message.find(prefix)) {
    message.erase(at, prefix.size());
  }
  return message;
}

TEST(ScenarioLoaderTest, MinimalScenarioGetsEveryDefault) {
  Scenario s = LoadOk("minimal.yaml");
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.seed, 0u);
  EXPECT_EQ(s.start_unix_seconds, 1767225600);
  EXPECT_EQ(s.start_text, "2026-01-01T00:00:00Z");
  EXPECT_EQ(s.duration, SimDuration::Hours(1));
  EXPECT_TRUE(s.fleet.clusters.empty());
  EXPECT_EQ(s.fleet.preinstalled,
            (std::vector<std::string>{"argo-rollouts", "external-secrets", "sealed-secrets"}));
  EXPECT_EQ(s.argocd.reconcile_interval, SimDuration::Seconds(120));
  EXPECT_EQ(s.argocd.status_processors, 20);
  EXPECT_TRUE(s.argocd.applications_sync_policy.empty());
  EXPECT_TRUE(s.argocd.applications_sync_policy_override);
  EXPECT_EQ(s.traffic.defaults.rps, 100.0);
  EXPECT_TRUE(s.expectations.empty());
}

TEST(ScenarioLoaderTest, FileIsStoredAbsolute) {
  Scenario s = LoadOk("minimal.yaml");
  EXPECT_TRUE(std::filesystem::path(s.file).is_absolute());
  EXPECT_EQ(std::filesystem::path(s.file).filename(), "minimal.yaml");
}

TEST(ScenarioLoaderTest, HeaderFields) {
  Scenario s = LoadOk("full.yaml");
  EXPECT_EQ(s.name, "appset-rename");
  EXPECT_EQ(s.description, "A routine PR renames an overlay; the git generator stops emitting it.");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.start_unix_seconds, 1767603600);
  EXPECT_EQ(s.duration, SimDuration::Hours(2));
}

TEST(ScenarioLoaderTest, GenerateExpandsInFileOrder) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.fleet.clusters.size(), 5u);
  const char* names[] = {"prod-eastus", "prod-1", "prod-2", "prod-3", "prod-4"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(s.fleet.clusters[i].name, names[i]);
  const ClusterSpec& generated = s.fleet.clusters[3];
  EXPECT_EQ(generated.server, "https://prod-3.fleet.invalid");
  EXPECT_EQ(generated.labels, (std::map<std::string, std::string>{{"env", "prod"}}));
  EXPECT_EQ(generated.pod_startup.min, SimDuration::Seconds(5));
  EXPECT_EQ(generated.pos.line, 10);
}

TEST(ScenarioLoaderTest, NamedClusterFields) {
  Scenario s = LoadOk("full.yaml");
  const ClusterSpec& c = s.fleet.clusters[0];
  EXPECT_EQ(c.labels.at("region"), "eastus");
  EXPECT_EQ(c.server, "https://prod-eastus.fleet.invalid");
  EXPECT_EQ(c.pod_startup.min, SimDuration::Seconds(2));
  EXPECT_EQ(c.pod_startup.max, SimDuration::Seconds(10));
}

TEST(ScenarioLoaderTest, FleetAddOnsAndKeys) {
  Scenario s = LoadOk("full.yaml");
  EXPECT_EQ(s.fleet.preinstalled, (std::vector<std::string>{"argo-rollouts", "sealed-secrets"}));
  EXPECT_TRUE(s.fleet.sealed_secrets_shared_keys);
  EXPECT_EQ(s.fleet.sealed_secrets_key_renewal, SimDuration::Zero());
}

TEST(ScenarioLoaderTest, ArgoCdSettingsAndDefaults) {
  Scenario s = LoadOk("full.yaml");
  const ArgoCdSettings& a = s.argocd;
  EXPECT_EQ(a.reconcile_interval, SimDuration::Seconds(180));
  EXPECT_EQ(a.reconcile_jitter, SimDuration::Seconds(60));
  EXPECT_EQ(a.status_processors, 50);
  EXPECT_EQ(a.operation_processors, 10);
  EXPECT_EQ(a.applications_sync_policy, "create-update");
  // --enable-policy-override defaults to true only when no controller policy is set.
  EXPECT_FALSE(a.applications_sync_policy_override);
  EXPECT_DOUBLE_EQ(a.kube_client_qps, 100.5);
  EXPECT_EQ(a.kube_client_burst, 100);
  EXPECT_EQ(a.sharding_algorithm, "round-robin");
}

TEST(ScenarioLoaderTest, ReposSortedByNameWithAbsoluteTrees) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.repos.size(), 2u);
  EXPECT_EQ(s.repos[0].name, "apps");
  EXPECT_EQ(s.repos[1].name, "platform");
  EXPECT_EQ(s.repos[0].tree, ScenarioDataFile("repos/apps"));
  EXPECT_TRUE(s.repos[0].git.empty());
  EXPECT_TRUE(s.repos[0].webhook);
  EXPECT_FALSE(s.repos[1].webhook);
}

TEST(ScenarioLoaderTest, BootstrapDefaultsToInCluster) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.bootstrap.size(), 1u);
  EXPECT_EQ(s.bootstrap[0].repo, "platform");
  EXPECT_EQ(s.bootstrap[0].path, "bootstrap/root-app.yaml");
  EXPECT_EQ(s.bootstrap[0].cluster, "in-cluster");
}

TEST(ScenarioLoaderTest, HistorySortedByTimeThenFileOrder) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.history.size(), 3u);
  EXPECT_EQ(s.history[0].at, SimTime::Zero() + SimDuration::Minutes(30));
  EXPECT_EQ(s.history[0].ops[0].kind, HistoryOp::Kind::kRename);
  EXPECT_EQ(s.history[1].ops[0].kind, HistoryOp::Kind::kSet);
  EXPECT_EQ(s.history[2].at, SimTime::Zero() + SimDuration::Minutes(40));
  EXPECT_EQ(s.history[2].message, "two changes in one commit");
  ASSERT_EQ(s.history[2].ops.size(), 2u);
  EXPECT_EQ(s.history[2].ops[1].image, "ghcr.io/acme/checkout:1.9.0");
}

TEST(ScenarioLoaderTest, HistoryMessageDefaultsToTheOps) {
  Scenario s = LoadOk("full.yaml");
  EXPECT_EQ(s.history[0].message,
            "rename checkout/overlays/prod-eastus to checkout/overlays/production-eastus");
  EXPECT_EQ(s.history[1].message,
            "set metadata.annotations.\"argocd.argoproj.io/sync-wave\" in "
            "checkout/base/deployment.yaml");
}

TEST(ScenarioLoaderTest, SetOpKeepsTheValueAsYaml) {
  Scenario s = LoadOk("full.yaml");
  const HistoryOp& op = s.history[1].ops[0];
  EXPECT_EQ(op.field, "metadata.annotations.\"argocd.argoproj.io/sync-wave\"");
  EXPECT_EQ(op.value, "\"1\"");  // quoted in the file: stays a string
  EXPECT_EQ(op.select, "Deployment/checkout");
}

TEST(ScenarioLoaderTest, FaultsAndTheirArguments) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].kind, "bad-image");  // 10m sorts before 1h
  EXPECT_FALSE(s.faults[0].duration.has_value());
  EXPECT_EQ(s.faults[1].kind, "cluster-unreachable");
  EXPECT_EQ(s.faults[1].at, SimTime::Zero() + SimDuration::Hours(1));
  EXPECT_EQ(s.faults[1].duration, SimDuration::Minutes(15));
  EXPECT_EQ(s.faults[1].params.at("cluster").scalar, "prod-2");
  EXPECT_EQ(s.faults[1].params.at("cluster").pos.line, 42);
}

TEST(ScenarioLoaderTest, RandomFaultSchedule) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.random_faults.size(), 1u);
  const RandomFaultSpec& r = s.random_faults[0];
  EXPECT_EQ(r.kinds, (std::vector<std::string>{"cluster-unreachable", "git-unreachable"}));
  EXPECT_DOUBLE_EQ(r.rate_per_hour, 2.0 / 24);
  EXPECT_EQ(r.seed_stream, "chaos");
  EXPECT_EQ(r.params.at("for").shape, ParamValue::Shape::kMap);
  EXPECT_EQ(r.params.at("for").map.at("max"), "1m30s");
  EXPECT_EQ(r.params.at("cluster").scalar, "prod-*");
}

TEST(ScenarioLoaderTest, ActionsSortedWithArguments) {
  Scenario s = LoadOk("full.yaml");
  ASSERT_EQ(s.actions.size(), 3u);
  EXPECT_EQ(s.actions[0].verb, "kubectl edit");
  EXPECT_EQ(s.actions[1].verb, "argocd app delete");
  EXPECT_EQ(s.actions[2].verb, "argocd app sync");
  const ParamValue& set = s.actions[0].params.at("set");
  EXPECT_EQ(set.map.at("spec.replicas"), "3");
  EXPECT_EQ(set.map.at("metadata.labels"), "{a: b}");
  EXPECT_EQ(s.actions[1].params.at("cascade").scalar, "false");
}

TEST(ScenarioLoaderTest, TrafficProfilesKeepUnsetFieldsEmpty) {
  Scenario s = LoadOk("full.yaml");
  const TrafficSpec& t = s.traffic;
  EXPECT_EQ(t.defaults.rps, 200.0);
  EXPECT_EQ(t.defaults.success_rate, 0.999);
  EXPECT_EQ(t.defaults.latency_p99, SimDuration::Millis(120));
  const TrafficProfile& image = t.images.at("ghcr.io/acme/checkout:1.9.0");
  EXPECT_EQ(image.success_rate, 0.95);
  EXPECT_FALSE(image.rps.has_value());
}

// secretStores (README "External Secrets"): stores sorted by name; a key is a plain value or a
// map of properties.
TEST(ScenarioLoaderTest, SecretStoresKeysAndProperties) {
  Result<Scenario> s = LoadText(
      "name: s\nsecretStores:\n  vault:\n    keys:\n      db: {user: u, password: p}\n"
      "      token: t\n  aws-sm: {keys: {}}\n");
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(s->secret_stores.size(), 2u);
  EXPECT_EQ(s->secret_stores[0].name, "aws-sm");
  const SecretStoreSpec& vault = s->secret_stores[1];
  EXPECT_TRUE(vault.keys.at("db").is_map);
  EXPECT_EQ(vault.keys.at("db").properties.at("password"), "p");
  EXPECT_FALSE(vault.keys.at("token").is_map);
  EXPECT_EQ(vault.keys.at("token").value, "t");
}

TEST(ScenarioLoaderTest, ExpectationsInFileOrderMinMaxGivesTwo) {
  Scenario s = LoadOk("full.yaml");
  const std::vector<Expectation>& e = s.expectations;
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].metric, "apps_deleted");
  EXPECT_EQ(e[0].op, Expectation::Op::kMax);
  EXPECT_EQ(e[1].op, Expectation::Op::kMin);
  EXPECT_EQ(e[1].value, 1);
  EXPECT_EQ(e[2].op, Expectation::Op::kMax);
  EXPECT_EQ(e[2].value, 600);
  EXPECT_EQ(e[3].metric, "rto_seconds");
  EXPECT_EQ(e[3].op, Expectation::Op::kNull);
}

TEST(ScenarioLoaderTest, StartWithOffsetIsConvertedToUtc) {
  Result<Scenario> s = LoadText("name: x\nstart: 2026-01-05T11:00:00+02:00\n");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->start_unix_seconds, 1767603600);
  EXPECT_EQ(s->start_text, "2026-01-05T09:00:00Z");
}

TEST(ScenarioLoaderTest, BareIntegerDurationIsSeconds) {
  Result<Scenario> s = LoadText("name: x\nduration: 5400\n");
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->duration, SimDuration::Minutes(90));
}

TEST(ScenarioLoaderTest, ZeroDurationIsRejected) {
  EXPECT_EQ(ErrorOf("name: x\nduration: 0s\n"),
            "inline.yaml:2:11: duration must be greater than 0");
}

TEST(ScenarioLoaderTest, MissingFileNamesTheSystemError) {
  Result<Scenario> s = LoadScenario("/nonexistent/dir/s.yaml", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "/nonexistent/dir/s.yaml: cannot read file: No such file or directory");
}

TEST(ScenarioLoaderTest, DirectoryIsNotAScenario) {
  Result<Scenario> s = LoadScenario(ScenarioDataFile("repos"), {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), ScenarioDataFile("repos") + ": cannot read file: Is a directory");
}

TEST(ScenarioLoaderTest, NullValueIsReportedAtItsKey) {
  EXPECT_EQ(ErrorOf("name: x\ndescription:\nseed: 1\n"),
            "inline.yaml:2:1: expected a string, found null");
}

TEST(ScenarioLoaderTest, EmptySectionsAreAllowed) {
  Result<Scenario> s = LoadText("name: x\nfleet:\nfaults: []\nexpect: {}\n");
  EXPECT_TRUE(s.ok()) << s.error();
}

TEST(ScenarioLoaderTest, ExplicitServerAndDuplicates) {
  EXPECT_EQ(ErrorOf("name: x\nfleet:\n  clusters:\n    - {name: a, server: https://k8s.example}\n"
                    "    - {name: b, server: https://k8s.example/}\n"),
            "inline.yaml:5:25: duplicate server \"https://k8s.example/\": cluster \"a\" "
            "(inline.yaml:4:25) has it too");
  EXPECT_EQ(ErrorOf("name: x\nfleet:\n  clusters:\n"
                    "    - {name: a, server: https://kubernetes.default.svc}\n"),
            "inline.yaml:4:25: server \"https://kubernetes.default.svc\" is reserved for "
            "in-cluster");
}

TEST(ScenarioLoaderTest, ClusterNameMustBeDnsSubdomain) {
  EXPECT_EQ(ErrorOf("name: x\nfleet:\n  clusters: [{name: Prod_1}]\n"),
            "inline.yaml:3:21: cluster name \"Prod_1\" is not a valid DNS-1123 subdomain: "
            "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, "
            "at most 253 characters");
}

TEST(ScenarioLoaderTest, GenerateLimit) {
  EXPECT_EQ(ErrorOf("name: x\nfleet:\n  clusters: [{generate: 100001}]\n"),
            "inline.yaml:3:25: generate must be between 1 and 100000");
}

TEST(ScenarioLoaderTest, LabelsAreCheckedAsKubernetesLabels) {
  EXPECT_EQ(ErrorOf("name: x\nfleet:\n  clusters: [{name: a, labels: {env: \"pr od\"}}]\n"),
            "inline.yaml:3:38: invalid label value \"pr od\": letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit, at most 63");
}

TEST(ScenarioLoaderTest, HistoryRepoMustBeDeclared) {
  EXPECT_EQ(ErrorOf("name: x\nhistory:\n  - {at: 1m, repo: apps, delete: {path: a}}\n"),
            "inline.yaml:3:20: unknown repo \"apps\"");
}

TEST(ScenarioLoaderTest, HistoryOpsListItemsNeedOneOp) {
  std::string repos = "name: x\nrepos:\n  apps: {url: u, tree: repos/apps}\n";
  EXPECT_EQ(ErrorOf(repos + "history:\n  - {at: 1m, repo: apps, ops: [{delete: {path: a}, "
                            "write: {path: b, content: c}}]}\n"),
            "inline.yaml:5:52: an item of ops has both \"delete\" and \"write\"; give each op "
            "its own item");
  EXPECT_EQ(ErrorOf(repos + "history:\n  - {at: 1m, repo: apps, ops: [{wrte: {path: a}}]}\n"),
            "inline.yaml:5:33: unknown key \"wrte\" (did you mean \"write\"?)");
  EXPECT_EQ(ErrorOf(repos + "history:\n  - {at: 1m, repo: apps, ops: []}\n"),
            "inline.yaml:5:31: ops must list at least one op");
}

TEST(ScenarioLoaderTest, HistoryPathsStayInsideTheRepo) {
  std::string repos = "name: x\nrepos:\n  apps: {url: u, tree: repos/apps}\n";
  EXPECT_EQ(ErrorOf(repos + "history:\n  - {at: 1m, repo: apps, delete: {path: ../etc}}\n"),
            "inline.yaml:5:41: path \"../etc\" must be a relative path inside the repository, "
            "without \"..\"");
}

TEST(ScenarioLoaderTest, SetImageNeedsItsFields) {
  std::string repos = "name: x\nrepos:\n  apps: {url: u, tree: repos/apps}\n";
  EXPECT_EQ(ErrorOf(repos + "history:\n  - {at: 1m, repo: apps, set-image: {path: a, image: b}}\n"),
            "inline.yaml:5:37: missing required key \"container\"");
}

TEST(ScenarioLoaderTest, ExpectationNeedsAMap) {
  EXPECT_EQ(ErrorOf("name: x\nexpect:\n  syncs: 3\n"),
            "inline.yaml:3:10: expected a map such as {max: 0}, {min: 1, max: 5}, {eq: 3} or "
            "{null: true}, found \"3\"");
  EXPECT_EQ(ErrorOf("name: x\nexpect:\n  syncs: {null: false}\n"),
            "inline.yaml:3:17: null: false expects nothing; write {null: true}, or use eq, min "
            "or max");
}

TEST(ScenarioLoaderTest, ReplayNeedsAGitRepo) {
  EXPECT_EQ(ErrorOf("name: x\nrepos:\n  apps: {url: u, tree: repos/apps, replay: {every: 1m}}\n"),
            "inline.yaml:3:44: replay needs a Git repository (git:), not a tree");
}

TEST(ScenarioLoaderTest, GitRepoWithReplay) {
  Result<Scenario> s = LoadText(
      "name: x\nrepos:\n  real: {url: u, git: repos/apps, replay: {from: v1, to: main, every: "
      "10m}}\n");
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE(s->repos[0].replay.has_value());
  EXPECT_EQ(s->repos[0].replay->from, "v1");
  EXPECT_EQ(s->repos[0].replay->every, SimDuration::Minutes(10));
  EXPECT_EQ(s->repos[0].git, ScenarioDataFile("repos/apps"));
}

}  // namespace
}  // namespace fleetsim
