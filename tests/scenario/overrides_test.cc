// --set PATH=VALUE: applied to the document before validation.
#include <gtest/gtest.h>

#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/test_paths.h"

namespace fleetsim {
namespace {

Result<Scenario> LoadFull(const std::vector<std::string>& overrides) {
  return LoadScenario(ScenarioDataFile("full.yaml"), overrides);
}

std::string ErrorOf(const std::vector<std::string>& overrides) {
  Result<Scenario> result = LoadFull(overrides);
  return result.ok() ? "(loaded)" : result.error();
}

TEST(OverridesTest, SetsAScalar) {
  Result<Scenario> s = LoadFull({"argocd.statusProcessors=75", "duration=3h", "seed=9"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->argocd.status_processors, 75);
  EXPECT_EQ(s->duration, SimDuration::Hours(3));
  EXPECT_EQ(s->seed, 9u);
}

// applicationsetcontroller.enable.progressive.syncs: off unless the scenario turns it on.
TEST(OverridesTest, EnablesProgressiveSyncs) {
  Result<Scenario> off = LoadFull({});
  ASSERT_TRUE(off.ok()) << off.error();
  EXPECT_FALSE(off->argocd.appset_progressive_syncs);
  Result<Scenario> on = LoadFull({"argocd.appsetProgressiveSyncs=true"});
  ASSERT_TRUE(on.ok()) << on.error();
  EXPECT_TRUE(on->argocd.appset_progressive_syncs);
}

TEST(OverridesTest, SetsAListItemField) {
  Result<Scenario> s = LoadFull({"fleet.clusters[0].labels.env=dev"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->fleet.clusters[0].labels.at("env"), "dev");
}

TEST(OverridesTest, CreatesMissingKeysAndMaps) {
  Result<Scenario> s = LoadFull({"fleet.clusters[1].annotations.owner=team-a",
                                 "fleet.clusters[0].labels.\"app.kubernetes.io/part-of\"=shop",
                                 "argocd.kubeClientBurst=300"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->fleet.clusters[1].annotations.at("owner"), "team-a");
  EXPECT_EQ(s->fleet.clusters[0].labels.at("app.kubernetes.io/part-of"), "shop");
  EXPECT_EQ(s->argocd.kube_client_burst, 300);
}

TEST(OverridesTest, CreatesASectionMissingFromTheFile) {
  Result<Scenario> s =
      LoadScenario(ScenarioDataFile("minimal.yaml"),
                   {"argocd.controllerReplicas=3", "fleet.sealedSecrets.sharedKeys=true"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->argocd.controller_replicas, 3);
  EXPECT_TRUE(s->fleet.sealed_secrets_shared_keys);
}

TEST(OverridesTest, LaterOverrideWins) {
  Result<Scenario> s = LoadFull({"seed=1", "seed=2"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->seed, 2u);
}

TEST(OverridesTest, ValueIsReadAsAYamlScalar) {
  Result<Scenario> s = LoadFull({"description=", "traffic.default.rps=\"12\""});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s->description, "");
  EXPECT_EQ(s->traffic.defaults.rps, 12.0);
}

TEST(OverridesTest, BadValueCitesTheOverride) {
  EXPECT_EQ(ErrorOf({"argocd.statusProcessors=many"}),
            "--set:1:25: expected an integer, found \"many\"");
  EXPECT_EQ(ErrorOf({"duration=0s"}), "--set:1:10: duration must be greater than 0");
  EXPECT_EQ(ErrorOf({"fleet.preinstalled[0]=sealed-secret"}),
            "--set:1:23: unknown add-on \"sealed-secret\" (did you mean \"sealed-secrets\"?)");
}

TEST(OverridesTest, NullValueCitesTheOverride) {
  EXPECT_EQ(ErrorOf({"description=~"}), "--set:1:13: expected a string, found null");
}

TEST(OverridesTest, ReplacingAMapWithAScalarCitesTheOverride) {
  EXPECT_EQ(ErrorOf({"argocd=3"}), "--set:1:8: expected a map, found \"3\"");
}

TEST(OverridesTest, CreatedUnknownKeyCitesTheKey) {
  EXPECT_EQ(ErrorOf({"argocd.statusProcesors=5"}),
            "--set:1:8: unknown key \"statusProcesors\" (did you mean \"statusProcessors\"?)");
}

TEST(OverridesTest, MalformedOverrides) {
  EXPECT_EQ(ErrorOf({"argocd"}), "--set argocd: expected PATH=VALUE");
  EXPECT_EQ(ErrorOf({"=3"}), "--set =3: empty path before '='");
  EXPECT_EQ(ErrorOf({"seed[0]=1"}), "--set seed[0]=1: seed is not a list");
  EXPECT_EQ(ErrorOf({"fleet.clusters[9].name=x"}),
            "--set fleet.clusters[9].name=x: fleet.clusters has no item 9 (it has 2)");
  EXPECT_EQ(ErrorOf({"fleet.clusters.name=x"}),
            "--set fleet.clusters.name=x: fleet.clusters is not a map");
  EXPECT_EQ(ErrorOf({"name.first=x"}), "--set name.first=x: name is not a map");
  EXPECT_EQ(ErrorOf({"argocd..x=1"}),
            "--set argocd..x=1: invalid path \"argocd..x\": empty key at character 8");
  EXPECT_EQ(ErrorOf({"name={a: 1}"}), "--set name={a: 1}: the value must be a single YAML scalar");
}

TEST(OverridesTest, FirstBadOverrideStops) {
  EXPECT_EQ(ErrorOf({"seed=1", "oops", "=2"}), "--set oops: expected PATH=VALUE");
}

}  // namespace
}  // namespace fleetsim
