// StatefulSet (pkg/controller/statefulset) and DaemonSet (pkg/controller/daemon) controllers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"
#include "tests/cluster/workloads_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;

Json StatefulSet(const std::string& name, int replicas, const std::string& image) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec",
           {{"replicas", replicas},
            {"serviceName", name},
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec", {{"containers", {{{"name", "db"}, {"image", image}}}}}}}}}}};
}

class StatefulSetTest : public WorkloadsFixture {
 protected:
  // Pod name -> times it was created and became ready.
  void Track() {
    store.AddObserver([this](const WatchEvent& e) {
      if (e.object.key().kind != "Pod") return;
      const std::string& name = e.object.key().name;
      if (e.type == WatchEventType::kAdded) created[name].push_back(sim.now());
      if (e.type == WatchEventType::kModified && !PodIsReady(*e.previous) &&
          PodIsReady(*e.object.object)) {
        ready[name].push_back(sim.now());
      }
      if (e.type == WatchEventType::kDeleted) deleted.push_back(name);
    });
  }
  std::map<std::string, std::vector<SimTime>> created, ready;
  std::vector<std::string> deleted;
};

// OrderedReady: pod N is created only once pod N-1 is Running and Ready.
TEST_F(StatefulSetTest, OrderedReadyStartsOnePodAtATime) {
  Track();
  store.Create(Obj(StatefulSet("db", 3, "pg:1")));
  sim.RunUntil(At(200));
  ASSERT_EQ(created.size(), 3u);
  EXPECT_EQ(created["db-1"].front(), ready["db-0"].front());
  EXPECT_EQ(created["db-2"].front(), ready["db-1"].front());
  const LiveObject* sts = store.Find({"apps", "StatefulSet", "default", "db"});
  EXPECT_EQ(*GetResourceHealth(*sts->object),
            (HealthStatus{HealthCode::kHealthy,
                          "partitioned roll out complete: 3 new pods have been updated..."}));
}

TEST_F(StatefulSetTest, ParallelStartsAllPodsAtOnce) {
  Track();
  Json sts = StatefulSet("db", 3, "pg:1");
  sts["spec"]["podManagementPolicy"] = "Parallel";
  store.Create(Obj(sts));
  sim.RunUntil(At(1));
  EXPECT_EQ(created.size(), 3u);
}

// RollingUpdate replaces pods from the highest ordinal down, one at a time.
TEST_F(StatefulSetTest, RollingUpdateGoesFromTheHighestOrdinal) {
  store.Create(Obj(StatefulSet("db", 3, "pg:1")));
  sim.RunUntil(At(200));
  Track();
  store.Apply(Obj(StatefulSet("db", 3, "pg:2")));
  sim.RunUntil(At(400));
  EXPECT_THAT(deleted, ::testing::ElementsAre("db-2", "db-1", "db-0"));
  const LiveObject* sts = store.Find({"apps", "StatefulSet", "default", "db"});
  EXPECT_EQ(StringAt(sts->doc(), {"status", "currentRevision"}),
            StringAt(sts->doc(), {"status", "updateRevision"}));
  EXPECT_EQ(GetResourceHealth(*sts->object)->code, HealthCode::kHealthy);
}

// volumeClaimTemplates: each ordinal gets <template>-<sts>-<ordinal>, bound before the pod runs,
// and kept when the StatefulSet is deleted (retention policy Retain by default).
TEST_F(StatefulSetTest, ClaimsAreCreatedBoundAndRetained) {
  Json sts = StatefulSet("db", 1, "pg:1");
  sts["spec"]["volumeClaimTemplates"] = {{{"metadata", {{"name", "data"}}},
                                          {"spec",
                                           {{"accessModes", {"ReadWriteOnce"}},
                                            {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}};
  store.Create(Obj(sts));
  sim.RunUntil(At(60));
  const LiveObject* pvc = store.Find({"", "PersistentVolumeClaim", "default", "data-db-0"});
  ASSERT_NE(pvc, nullptr);
  EXPECT_EQ(StringAt(pvc->doc(), {"status", "phase"}), "Bound");
  EXPECT_TRUE(PodIsReady(*store.Find({"", "Pod", "default", "db-0"})->object));
  store.Delete({"apps", "StatefulSet", "default", "db"}, {});
  EXPECT_EQ(store.Find({"", "Pod", "default", "db-0"}), nullptr);
  EXPECT_NE(store.Find({"", "PersistentVolumeClaim", "default", "data-db-0"}), nullptr);
}

class DaemonSetTest : public WorkloadsFixture {};

Json DaemonSet(const std::string& image) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "DaemonSet"},
          {"metadata", {{"name", "agent"}, {"namespace", "default"}}},
          {"spec",
           {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "agent"}}}}},
              {"spec", {{"containers", {{{"name", "a"}, {"image", image}}}}}}}}}}};
}

// One pod per node (3 nodes by default).
TEST_F(DaemonSetTest, OnePodPerNode) {
  store.Create(Obj(DaemonSet("agent:1")));
  sim.RunUntil(At(60));
  std::vector<std::string> nodes;
  for (const LiveObject& p : Pods(store)) nodes.push_back(StringAt(p.doc(), {"spec", "nodeName"}));
  EXPECT_THAT(nodes, ::testing::UnorderedElementsAre("c1-node-1", "c1-node-2", "c1-node-3"));
  const LiveObject* ds = store.Find({"apps", "DaemonSet", "default", "agent"});
  EXPECT_EQ(IntAt(ds->doc(), {"status", "numberAvailable"}, 0), 3);
  EXPECT_EQ(GetResourceHealth(*ds->object)->code, HealthCode::kHealthy);
}

// RollingUpdate with maxUnavailable 1: never two nodes without an available pod.
TEST_F(DaemonSetTest, RollingUpdateOneNodeAtATime) {
  store.Create(Obj(DaemonSet("agent:1")));
  sim.RunUntil(At(60));
  int min_ready = 3;
  store.AddObserver([&](const WatchEvent&) {
    int ready = 0;
    for (const LiveObject& p : Pods(store)) ready += PodIsReady(*p.object) ? 1 : 0;
    min_ready = std::min(min_ready, ready);
  });
  store.Apply(Obj(DaemonSet("agent:2")));
  sim.RunUntil(At(200));
  EXPECT_EQ(min_ready, 2);
  for (const LiveObject& p : Pods(store))
    EXPECT_EQ(JsonAt(p.doc(), {"spec", "containers"})[0]["image"], "agent:2");
}

}  // namespace
}  // namespace fleetsim
