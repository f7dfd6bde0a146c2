// ClusterApi over the store, and the UnreachableCluster fault decorator.
#include "sim/cluster/cluster_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/unreachable_cluster.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;
using ::testing::ElementsAre;

class ClusterApiTest : public ::testing::Test, public StoreFixture {
 protected:
  InProcessClusterApi api{store};
  UnreachableCluster faulty{api, "https://prod-2.fleet.invalid", store.resources()};
};

TEST_F(ClusterApiTest, InProcessApiReachesTheStore) {
  Result<ApplyResult> applied = api.Apply(Obj(Deployment("default", "web", 1)), {});
  ASSERT_TRUE(applied.ok()) << applied.error();
  EXPECT_TRUE(applied->created);
  EXPECT_EQ(api.Get(DeploymentKey("default", "web"))->uid, applied->object.uid);
  EXPECT_EQ(api.cluster(), "c1");
  EXPECT_TRUE(api.Delete(DeploymentKey("default", "web"), {}).ok());
  EXPECT_EQ(store.Find(DeploymentKey("default", "web")), nullptr);
}

// Every call fails the way client-go reports an address that does not answer; Argo CD treats
// "i/o timeout" as a transient network error (controller/cache/cache.go isTransientNetworkErr).
TEST_F(ClusterApiTest, UnreachableFailsEveryCallWithADialTimeout) {
  faulty.set_unreachable(true);
  Result<LiveObject> get = faulty.Get(DeploymentKey("shop", "web"));
  ASSERT_FALSE(get.ok());
  EXPECT_THAT(
      get.error(),
      ::testing::MatchesRegex(
          "Get \"https://prod-2\\.fleet\\.invalid/apis/apps/v1/namespaces/shop/deployments/web\": "
          "dial tcp 10\\.[0-9]+\\.[0-9]+\\.[0-9]+:443: i/o timeout"));
  EXPECT_THAT(faulty.Apply(Obj(ConfigMap("default", "x")), {}).error(),
              ::testing::StartsWith(
                  "Get \"https://prod-2.fleet.invalid/api/v1/namespaces/default/configmaps/x\""));
  EXPECT_THAT(faulty.Delete(ConfigMapKey("default", "x"), {}).message(),
              ::testing::StartsWith("Delete \""));
  EXPECT_THAT(
      faulty.List({"apps", "Deployment", std::nullopt, {}}).error(),
      ::testing::StartsWith("Get \"https://prod-2.fleet.invalid/apis/apps/v1/deployments\""));
  EXPECT_THAT(faulty.Create(Obj(ConfigMap("default", "x"))).error(),
              ::testing::StartsWith("Post \""));
  EXPECT_THAT(faulty.Patch(ConfigMapKey("default", "x"), {}).error(),
              ::testing::StartsWith("Patch \""));
  EXPECT_THAT(faulty.UpdateStatus(ConfigMapKey("default", "x"), {}).error(),
              ::testing::HasSubstr("/x/status\""));
  EXPECT_THAT(
      faulty.Discover("argoproj.io/v1alpha1", "Rollout").error(),
      ::testing::StartsWith("Get \"https://prod-2.fleet.invalid/apis/argoproj.io/v1alpha1\""));
  EXPECT_THAT(faulty.Discoverable("v1", "Namespace").message(),
              ::testing::StartsWith("Get \"https://prod-2.fleet.invalid/api/v1\""));
  EXPECT_EQ(store.Find(ConfigMapKey("default", "x")), nullptr);
}

TEST_F(ClusterApiTest, UnreachableHealsAndCallsWorkAgain) {
  faulty.set_unreachable(true);
  EXPECT_FALSE(faulty.Apply(Obj(ConfigMap("default", "x")), {}).ok());
  faulty.set_unreachable(false);
  EXPECT_TRUE(faulty.Discoverable("v1", "Namespace").ok());
  EXPECT_TRUE(faulty.Apply(Obj(ConfigMap("default", "x")), {}).ok());
  EXPECT_TRUE(faulty.Get(ConfigMapKey("default", "x")).ok());
}

// The cluster itself goes on while Argo CD cannot reach it; the watch misses those changes and
// gets each changed object's last state once the connection is back (a re-list).
TEST_F(ClusterApiTest, WatchIsSilentDuringTheOutageAndCatchesUpOnHeal) {
  std::vector<std::string> seen;
  faulty.Watch([&](const WatchEvent& e) {
    seen.push_back(std::string(WatchEventTypeName(e.type)) + " " + e.object.key().name);
  });
  faulty.set_unreachable(true);
  store.Create(Obj(ConfigMap("default", "b")));
  store.Create(Obj(ConfigMap("default", "a")));
  store.Patch(ConfigMapKey("default", "a"), J(R"({"data":{"k":"2"}})"));
  EXPECT_TRUE(seen.empty());
  faulty.set_unreachable(false);
  EXPECT_THAT(seen, ElementsAre("MODIFIED a", "ADDED b"));
  store.Delete(ConfigMapKey("default", "b"), {});
  EXPECT_THAT(seen, ElementsAre("MODIFIED a", "ADDED b", "DELETED b"));
}

}  // namespace
}  // namespace fleetsim
