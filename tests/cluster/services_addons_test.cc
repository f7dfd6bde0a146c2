// Service endpoints (the endpoints controller), PVC binding, load balancers, HPA and APIService
// status, and the availability rule of the metrics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/availability.h"
#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"
#include "tests/cluster/workloads_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;

Json Service(const std::string& name, const std::string& app,
             const std::string& type = "ClusterIP") {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec", {{"type", type}, {"selector", {{"app", app}}}, {"ports", {{{"port", 80}}}}}}};
}

const ObjectKey kSvc{"", "Service", "default", "web"};

class ServiceTest : public WorkloadsFixture {};

// Endpoints are the Ready pods the selector selects; they follow readiness and deletion.
TEST_F(ServiceTest, EndpointsFollowPodReadiness) {
  std::vector<int> reported;
  controller.AddEndpointsObserver([&](const ObjectKey& svc, int ready) {
    if (svc == kSvc) reported.push_back(ready);
  });
  store.Create(Obj(Service("web", "web")));
  store.Create(Obj(Deployment("default", "web", 2)));
  sim.RunUntil(At(60));
  EXPECT_EQ(controller.ReadyEndpoints(kSvc), 2);
  store.Delete(Pods(store)[0].key(), {});
  EXPECT_EQ(controller.ReadyEndpoints(kSvc), 1);
  sim.RunUntil(At(120));
  EXPECT_THAT(reported, ::testing::ElementsAre(0, 1, 2, 1, 2));
}

TEST_F(ServiceTest, ServiceCreatedAfterPodsCountsThem) {
  store.Create(Obj(Deployment("default", "web", 3)));
  sim.RunUntil(At(60));
  store.Create(Obj(Service("web", "web")));
  EXPECT_EQ(controller.ReadyEndpoints(kSvc), 3);
}

// A selector edit that no longer matches the pods leaves the Service without endpoints (the
// edit-selector fault).
TEST_F(ServiceTest, SelectorChangeDropsEndpoints) {
  store.Create(Obj(Deployment("default", "web", 1)));
  store.Create(Obj(Service("web", "web")));
  sim.RunUntil(At(60));
  store.Apply(Obj(Service("web", "web-v2")));
  EXPECT_EQ(controller.ReadyEndpoints(kSvc), 0);
}

TEST_F(ServiceTest, ServiceWithoutSelectorHasUnmanagedEndpoints) {
  Json svc = Service("ext", "x");
  svc["spec"].erase("selector");
  store.Create(Obj(svc));
  EXPECT_EQ(controller.ReadyEndpoints({"", "Service", "default", "ext"}), std::nullopt);
}

// A LoadBalancer Service is Progressing until the provider gives it an address.
TEST_F(ServiceTest, LoadBalancerGetsAnAddress) {
  store.Create(Obj(Service("web", "web", "LoadBalancer")));
  EXPECT_EQ(GetResourceHealth(*store.Find(kSvc)->object)->code, HealthCode::kProgressing);
  sim.RunUntil(At(6));
  EXPECT_EQ(GetResourceHealth(*store.Find(kSvc)->object)->code, HealthCode::kHealthy);
}

class AddonsTest : public WorkloadsFixture {};

// PVCs bind after the provisioner's delay; a pod that mounts one is unschedulable until then.
TEST_F(AddonsTest, PodWaitsForItsClaimToBind) {
  Json d = Deployment("default", "web", 1);
  d["spec"]["template"]["spec"]["volumes"] = {
      {{"name", "data"}, {"persistentVolumeClaim", {{"claimName", "data"}}}}};
  store.Create(Obj(d));
  sim.RunUntil(At(100));
  const LiveObject pod = Pods(store).at(0);
  const Json* scheduled = FindCondition(pod.doc(), {"status", "conditions"}, "PodScheduled");
  ASSERT_NE(scheduled, nullptr);
  EXPECT_EQ(StringAt(*scheduled, {"message"}), "persistentvolumeclaim \"data\" not found");
  store.Create(Obj(J(
      R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"default"},
                        "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})")));
  const LiveObject* pvc = store.Find({"", "PersistentVolumeClaim", "default", "data"});
  EXPECT_EQ(GetResourceHealth(*pvc->object)->code, HealthCode::kProgressing);
  sim.RunUntil(At(132));
  EXPECT_EQ(GetResourceHealth(*store.Find({"", "PersistentVolumeClaim", "default", "data"})->object)
                ->code,
            HealthCode::kHealthy);
  EXPECT_TRUE(PodIsReady(*Pods(store).at(0).object));
}

// The HPA controller's conditions make an HPA Healthy; a missing target makes it Degraded
// (AbleToScale/FailedGetScale). It keeps the target within [minReplicas, maxReplicas].
TEST_F(AddonsTest, HorizontalPodAutoscalerConditionsAndBounds) {
  Json hpa = J(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
      "metadata":{"name":"web","namespace":"default"},
      "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":5}})");
  store.Create(Obj(hpa));
  sim.RunUntil(At(1));
  ObjectKey key{"autoscaling", "HorizontalPodAutoscaler", "default", "web"};
  EXPECT_EQ(GetResourceHealth(*store.Find(key)->object)->code, HealthCode::kDegraded);
  store.Create(Obj(Deployment("default", "web", 1)));
  sim.RunUntil(At(60));
  EXPECT_EQ(GetResourceHealth(*store.Find(key)->object)->code, HealthCode::kHealthy);
  EXPECT_EQ(IntAt(store.Find(DeploymentKey("default", "web"))->doc(), {"spec", "replicas"}, 0), 2);
}

TEST_F(AddonsTest, ApiServiceBecomesAvailable) {
  store.Create(Obj(J(
      R"({"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1beta1.metrics.k8s.io"},
      "spec":{"group":"metrics.k8s.io","version":"v1beta1","service":{"name":"metrics-server","namespace":"kube-system"}}})")));
  sim.RunUntil(At(1));
  EXPECT_EQ(GetResourceHealth(
                *store.Find({"apiregistration.k8s.io", "APIService", "", "v1beta1.metrics.k8s.io"})
                     ->object)
                ->code,
            HealthCode::kHealthy);
}

// availability.h: available while availableReplicas >= 1; scaled to zero is not applicable.
TEST_F(AddonsTest, WorkloadAvailabilityRule) {
  store.Create(Obj(Deployment("default", "web", 2)));
  ObjectKey key = DeploymentKey("default", "web");
  EXPECT_EQ(WorkloadAvailability(*store.Find(key)->object), Availability::kUnavailable);
  sim.RunUntil(At(60));
  EXPECT_EQ(WorkloadAvailability(*store.Find(key)->object), Availability::kAvailable);
  store.Apply(Obj(Deployment("default", "web", 0)));
  EXPECT_EQ(WorkloadAvailability(*store.Find(key)->object), Availability::kNotApplicable);
  EXPECT_TRUE(IsWorkloadKind(key));
  EXPECT_FALSE(IsWorkloadKind({"apps", "ReplicaSet", "default", "web-1"}));
}

}  // namespace
}  // namespace fleetsim
