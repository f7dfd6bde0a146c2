// Deployment and ReplicaSet controllers and the kubelet model: workloads become ready over
// virtual time as Kubernetes' controllers make them (pkg/controller/deployment, replicaset).
#include "sim/cluster/workloads.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"
#include "tests/cluster/workloads_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;

class DeploymentTest : public WorkloadsFixture {};

// DESIGN "Workloads' start-up": each pod is ready after a start-up time drawn, in creation order,
// from the stream cluster/<name>/pods, uniform in [min, max].
TEST_F(DeploymentTest, BecomesAvailableAfterTheDrawnStartUpTimes) {
  std::optional<SimTime> available_at;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.object.key() == DeploymentKey("default", "web") && !available_at &&
        IntAt(e.object.doc(), {"status", "availableReplicas"}, 0) == 3) {
      available_at = sim.now();
    }
  });
  store.Create(Obj(Deployment("default", "web", 3)));
  sim.RunUntil(At(60));
  RandomStream expected(kSeed, "cluster/c1/pods");
  SimDuration slowest;
  for (int i = 0; i < 3; ++i) {
    slowest = std::max(slowest,
                       expected.UniformDuration(SimDuration::Seconds(5), SimDuration::Seconds(30)));
  }
  ASSERT_TRUE(available_at.has_value());
  EXPECT_EQ(*available_at, SimTime::Zero() + slowest);
  const LiveObject* d = store.Find(DeploymentKey("default", "web"));
  EXPECT_EQ(GetResourceHealth(*d->object)->code, HealthCode::kHealthy);
  const Json* progressing = FindCondition(d->doc(), {"status", "conditions"}, "Progressing");
  ASSERT_NE(progressing, nullptr);
  EXPECT_EQ(StringAt(*progressing, {"reason"}), "NewReplicaSetAvailable");
  EXPECT_THAT(
      StringAt(*progressing, {"message"}),
      ::testing::MatchesRegex("ReplicaSet \"web-[a-z0-9]+\" has successfully progressed\\."));
}

TEST_F(DeploymentTest, SameSeedSameTimesOtherSeedOtherTimes) {
  auto ready_times = [](uint64_t seed) {
    WorkloadsFixture f(seed);
    f.store.Create(Obj(Deployment("default", "web", 5)));
    std::vector<int64_t> times;
    f.store.AddObserver([&](const WatchEvent& e) {
      if (e.object.key().kind == "Pod" && e.previous && !PodIsReady(*e.previous) &&
          PodIsReady(*e.object.object)) {
        times.push_back(f.sim.now().micros());
      }
    });
    f.sim.RunUntil(At(60));
    return times;
  };
  EXPECT_EQ(ready_times(7), ready_times(7));
  EXPECT_NE(ready_times(7), ready_times(8));
}

TEST_F(DeploymentTest, OwnsOneReplicaSetWhosePodsItOwns) {
  LiveObject d = *store.Create(Obj(Deployment("default", "web", 2)));
  sim.RunUntil(At(1));
  std::vector<ObjectKey> rs = store.Dependents(d.uid);
  ASSERT_EQ(rs.size(), 1u);
  const LiveObject* r = store.Find(rs[0]);
  std::string hash = r->object->labels().at("pod-template-hash");
  EXPECT_EQ(rs[0].name, "web-" + hash);
  EXPECT_EQ(store.Dependents(r->uid).size(), 2u);
  EXPECT_EQ(r->object->annotation("deployment.kubernetes.io/revision"), "1");
}

// rolling.go with maxSurge 25% (rounds up) and maxUnavailable 25% (rounds down): replicas 4 →
// at most 5 pods and at least 3 available at every instant of the update.
TEST_F(DeploymentTest, RollingUpdateKeepsMinimumAvailability) {
  store.Create(Obj(Deployment("default", "web", 4, "img:1")));
  sim.RunUntil(At(60));
  int min_available = 100, max_pods = 0;
  store.AddObserver([&](const WatchEvent&) {
    int pods = 0, ready = 0;
    for (const LiveObject& p : Pods(store)) {
      if (p.being_deleted()) continue;
      ++pods;
      ready += PodIsReady(*p.object) ? 1 : 0;
    }
    min_available = std::min(min_available, ready);
    max_pods = std::max(max_pods, pods);
  });
  store.Apply(Obj(Deployment("default", "web", 4, "img:2")));
  sim.RunUntil(At(400));
  EXPECT_EQ(min_available, 3);
  EXPECT_EQ(max_pods, 5);
  const LiveObject* d = store.Find(DeploymentKey("default", "web"));
  EXPECT_EQ(GetResourceHealth(*d->object)->code, HealthCode::kHealthy);
  for (const LiveObject& p : Pods(store)) {
    EXPECT_EQ(JsonAt(p.doc(), {"spec", "containers"})[0]["image"], "img:2");
  }
  EXPECT_EQ(d->object->annotation("deployment.kubernetes.io/revision"), "2");
}

// recreate.go: every old pod is gone before any new one is created.
TEST_F(DeploymentTest, RecreateStopsOldPodsFirst) {
  Json d = Deployment("default", "web", 2, "img:1");
  d["spec"]["strategy"] = {{"type", "Recreate"}};
  store.Create(Obj(d));
  sim.RunUntil(At(60));
  bool overlap = false;
  store.AddObserver([&](const WatchEvent&) {
    bool old_pod = false, new_pod = false;
    for (const LiveObject& p : Pods(store)) {
      (JsonAt(p.doc(), {"spec", "containers"})[0]["image"] == "img:1" ? old_pod : new_pod) = true;
    }
    overlap = overlap || (old_pod && new_pod);
  });
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "img:2";
  store.Apply(Obj(d));
  sim.RunUntil(At(200));
  EXPECT_FALSE(overlap);
  EXPECT_EQ(
      IntAt(store.Find(DeploymentKey("default", "web"))->doc(), {"status", "availableReplicas"}, 0),
      2);
}

// A pod whose Secret is missing stays in CreateContainerConfigError; creating the Secret lets it
// start.
TEST_F(DeploymentTest, MissingSecretBlocksStartUntilItExists) {
  Json d = Deployment("default", "web", 1);
  d["spec"]["template"]["spec"]["containers"][0]["env"] = {
      {{"name", "PASSWORD"},
       {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "password"}}}}}}};
  store.Create(Obj(d));
  sim.RunUntil(At(300));
  std::vector<LiveObject> pods = Pods(store);
  ASSERT_EQ(pods.size(), 1u);
  const Json& waiting =
      JsonAt(pods[0].doc(), {"status", "containerStatuses"})[0]["state"]["waiting"];
  EXPECT_EQ(waiting["reason"], "CreateContainerConfigError");
  EXPECT_EQ(waiting["message"], "secret \"db\" not found");
  EXPECT_EQ(
      IntAt(store.Find(DeploymentKey("default", "web"))->doc(), {"status", "availableReplicas"}, 0),
      0);
  store.Create(
      Obj(J(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"default"},
                        "data":{"password":"cw=="}})")));
  sim.RunUntil(At(331));
  EXPECT_EQ(
      IntAt(store.Find(DeploymentKey("default", "web"))->doc(), {"status", "availableReplicas"}, 0),
      1);
}

TEST_F(DeploymentTest, OptionalConfigMapDoesNotBlock) {
  Json d = Deployment("default", "web", 1);
  d["spec"]["template"]["spec"]["containers"][0]["envFrom"] = {
      {{"configMapRef", {{"name", "extra"}, {"optional", true}}}}};
  store.Create(Obj(d));
  sim.RunUntil(At(31));
  EXPECT_EQ(
      IntAt(store.Find(DeploymentKey("default", "web"))->doc(), {"status", "availableReplicas"}, 0),
      1);
}

// A bad image never becomes ready: ErrImagePull then ImagePullBackOff (Degraded pods), and the
// Deployment exceeds its progress deadline (600 s by default) and turns Degraded.
TEST_F(DeploymentTest, BadImageNeverReadyAndDeploymentDegradesAtDeadline) {
  controller.SetImagePullFailing("img:bad", true);
  store.Create(Obj(Deployment("default", "web", 2, "img:bad")));
  sim.RunUntil(At(120));
  for (const LiveObject& p : Pods(store)) {
    const Json& waiting = JsonAt(p.doc(), {"status", "containerStatuses"})[0]["state"]["waiting"];
    EXPECT_EQ(waiting["reason"], "ImagePullBackOff");
    EXPECT_EQ(GetResourceHealth(*p.object)->code, HealthCode::kDegraded);
  }
  ObjectKey key = DeploymentKey("default", "web");
  EXPECT_EQ(GetResourceHealth(*store.Find(key)->object)->code, HealthCode::kProgressing);
  sim.RunUntil(At(598));
  EXPECT_EQ(GetResourceHealth(*store.Find(key)->object)->code, HealthCode::kProgressing);
  sim.RunUntil(At(700));
  EXPECT_EQ(
      *GetResourceHealth(*store.Find(key)->object),
      (HealthStatus{HealthCode::kDegraded, "Deployment \"web\" exceeded its progress deadline"}));
  controller.SetImagePullFailing("img:bad", false);
  sim.RunUntil(At(760));
  EXPECT_EQ(GetResourceHealth(*store.Find(key)->object)->code, HealthCode::kHealthy);
}

TEST_F(DeploymentTest, CrashingImageCrashLoops) {
  controller.SetImageCrashing("img:crash", true);
  store.Create(Obj(Deployment("default", "web", 1, "img:crash")));
  sim.RunUntil(At(60));
  std::vector<LiveObject> pods = Pods(store);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(JsonAt(pods[0].doc(), {"status", "containerStatuses"})[0]["state"]["waiting"]["reason"],
            "CrashLoopBackOff");
  EXPECT_EQ(GetResourceHealth(*pods[0].object)->code, HealthCode::kDegraded);
}

TEST_F(DeploymentTest, PausedDeploymentDoesNotRollOut) {
  Json d = Deployment("default", "web", 1);
  d["spec"]["paused"] = true;
  store.Create(Obj(d));
  sim.RunUntil(At(60));
  EXPECT_TRUE(store.Dependents(store.Find(DeploymentKey("default", "web"))->uid).empty());
  const LiveObject* live = store.Find(DeploymentKey("default", "web"));
  EXPECT_EQ(GetResourceHealth(*live->object)->code, HealthCode::kSuspended);
  EXPECT_EQ(
      StringAt(*FindCondition(live->doc(), {"status", "conditions"}, "Progressing"), {"reason"}),
      "DeploymentPaused");
}

TEST_F(DeploymentTest, ScalingDownRemovesPods) {
  store.Create(Obj(Deployment("default", "web", 3)));
  sim.RunUntil(At(60));
  store.Apply(Obj(Deployment("default", "web", 1)));
  sim.RunUntil(At(61));
  EXPECT_EQ(Pods(store).size(), 1u);
  EXPECT_EQ(GetResourceHealth(*store.Find(DeploymentKey("default", "web"))->object)->code,
            HealthCode::kHealthy);
}

// Deleting the Deployment: the ReplicaSet and pods are garbage-collected (cause "gc"), which
// resources_deleted does not count.
TEST_F(DeploymentTest, DeletionGarbageCollectsReplicaSetAndPods) {
  store.Create(Obj(Deployment("default", "web", 2)));
  sim.RunUntil(At(60));
  std::vector<std::string> deleted;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) deleted.push_back(e.object.key().kind + " " + e.cause);
  });
  store.Delete(DeploymentKey("default", "web"), {.cause = std::string(kCauseArgoCdPrune)});
  EXPECT_THAT(deleted, ::testing::ElementsAre("Deployment argocd-prune", "ReplicaSet gc", "Pod gc",
                                              "Pod gc"));
}

// Foreground propagation (Argo CD's default cascade): the ReplicaSet, which has dependents of its
// own, is deleted in the foreground too; pods go first, then the ReplicaSet, then the Deployment.
TEST_F(DeploymentTest, ForegroundDeletionRemovesPodsThenReplicaSetThenDeployment) {
  store.Create(Obj(Deployment("default", "web", 1)));
  sim.RunUntil(At(60));
  std::vector<std::string> deleted;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) deleted.push_back(e.object.key().kind);
  });
  store.Delete(DeploymentKey("default", "web"),
               {Propagation::kForeground, std::string(kCauseArgoCdCascade), ""});
  EXPECT_THAT(deleted, ::testing::ElementsAre("Pod", "ReplicaSet", "Deployment"));
}

// Deleting a namespace: what nothing owns is deleted by the namespace controller; what those own
// is garbage-collected after them.
TEST_F(DeploymentTest, NamespaceDeletionDeletesOwnersAndCollectsTheirDependents) {
  store.Create(Obj(Namespace("shop")));
  store.Create(Obj(Deployment("shop", "web", 1)));
  sim.RunUntil(At(60));
  std::vector<std::string> deleted;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) deleted.push_back(e.object.key().kind + " " + e.cause);
  });
  store.Delete({"", "Namespace", "", "shop"}, {});
  EXPECT_THAT(deleted, ::testing::ElementsAre("Deployment namespace", "ReplicaSet gc", "Pod gc",
                                              "Namespace kubectl"));
}

// cleanupDeployment: with revisionHistoryLimit 1, one old (scaled-down) ReplicaSet is kept.
TEST_F(DeploymentTest, RevisionHistoryLimitBoundsOldReplicaSets) {
  for (int v = 1; v <= 4; ++v) {
    Json d = Deployment("default", "web", 1, "img:" + std::to_string(v));
    d["spec"]["revisionHistoryLimit"] = 1;
    store.Apply(Obj(d));
    sim.RunUntil(At(100 * v));
  }
  std::vector<LiveObject> rs = ListOf(store, "apps", "ReplicaSet", "default");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(store.Find(DeploymentKey("default", "web"))
                ->object->annotation("deployment.kubernetes.io/revision"),
            "4");
}

// Determinism: the same objects and seed give byte-identical cluster state.
TEST_F(DeploymentTest, SameSeedSameClusterState) {
  auto run = [] {
    WorkloadsFixture f(99);
    f.store.Create(Obj(Deployment("default", "web", 3)));
    f.store.Create(Obj(
        J(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
                             "spec":{"selector":{"app":"web"}}})")));
    f.sim.RunUntil(At(30));
    f.store.Apply(Obj(Deployment("default", "web", 3, "img:2")));
    f.sim.RunUntil(At(300));
    std::string dump;
    for (const char* kind : {"Pod", "Service"}) {
      for (const LiveObject& o : ListOf(f.store, "", kind, "default"))
        dump += o.doc().dump() + "\n";
    }
    for (const char* kind : {"Deployment", "ReplicaSet"}) {
      for (const LiveObject& o : ListOf(f.store, "apps", kind, "default"))
        dump += o.doc().dump() + "\n";
    }
    return dump;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace fleetsim
