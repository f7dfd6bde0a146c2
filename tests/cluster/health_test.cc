// Health checks, each against the gitops-engine rule (argo-cd gitops-engine/pkg/health/<file>) it
// reproduces; messages are gitops-engine's.
#include "sim/cluster/health.h"

#include <gtest/gtest.h>

#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using testing_cluster::J;

HealthStatus Health(std::string_view json, const HealthOptions& options = {}) {
  std::optional<HealthStatus> h = GetResourceHealth(Object(J(json)), options);
  EXPECT_TRUE(h.has_value()) << json;
  return h.value_or(HealthStatus{HealthCode::kUnknown, "<no health>"});
}

HealthStatus H(HealthCode code, std::string message = "") { return {code, std::move(message)}; }

constexpr HealthCode kHealthy = HealthCode::kHealthy;
constexpr HealthCode kProgressing = HealthCode::kProgressing;
constexpr HealthCode kDegraded = HealthCode::kDegraded;
constexpr HealthCode kSuspended = HealthCode::kSuspended;
constexpr HealthCode kUnknown = HealthCode::kUnknown;

// health.go healthOrder.
TEST(HealthTest, OrderIsHealthySuspendedProgressingMissingDegradedUnknown) {
  EXPECT_TRUE(IsWorse(kHealthy, kSuspended));
  EXPECT_TRUE(IsWorse(kSuspended, kProgressing));
  EXPECT_TRUE(IsWorse(kProgressing, HealthCode::kMissing));
  EXPECT_TRUE(IsWorse(HealthCode::kMissing, kDegraded));
  EXPECT_TRUE(IsWorse(kDegraded, kUnknown));
  EXPECT_FALSE(IsWorse(kDegraded, kProgressing));
  EXPECT_EQ(ParseHealthCode("Missing"), HealthCode::kMissing);
  EXPECT_EQ(HealthCodeName(kSuspended), "Suspended");
}

// health.go GetResourceHealth: a deletionTimestamp comes first.
TEST(HealthTest, ObjectBeingDeletedIsPendingDeletion) {
  EXPECT_EQ(Health(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w",
      "deletionTimestamp":"2026-01-01T00:00:00Z"},"spec":{"paused":true}})"),
            H(kProgressing, "Pending deletion"));
}

// ... unless the object carries the hook finalizer (hook.HasHookFinalizer).
TEST(HealthTest, HookFinalizerSkipsPendingDeletion) {
  EXPECT_EQ(Health(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j",
      "deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["argocd.argoproj.io/hook-finalizer"]},
      "status":{"conditions":[{"type":"Complete","status":"True"}]}})"),
            H(kHealthy));
}

TEST(HealthTest, KindsWithoutACheckHaveNoHealth) {
  EXPECT_FALSE(GetResourceHealth(
      Object(J(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})"))));
  EXPECT_FALSE(GetResourceHealth(
      Object(J(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}})"))));
}

// health_deployment.go
TEST(HealthTest, PausedDeploymentIsSuspended) {
  EXPECT_EQ(
      Health(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","generation":2},
      "spec":{"paused":true}})"),
      H(kSuspended, "Deployment is paused"));
}

TEST(HealthTest, DeploymentWithUnobservedGenerationIsProgressing) {
  EXPECT_EQ(
      Health(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","generation":3},
      "spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"availableReplicas":1}})"),
      H(kProgressing,
        "Waiting for rollout to finish: observed deployment generation less than desired "
        "generation"));
}

TEST(HealthTest, DeploymentPastItsProgressDeadlineIsDegraded) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":1},
      "spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"replicas":2,
      "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}})"),
      H(kDegraded, "Deployment \"web\" exceeded its progress deadline"));
}

TEST(HealthTest, DeploymentReplicaChecksInOrder) {
  const char* base =
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","generation":1},"spec":{"replicas":3},"status":)";
  EXPECT_EQ(
      Health(std::string(base) + R"({"observedGeneration":1,"replicas":3,"updatedReplicas":1}})"),
      H(kProgressing,
        "Waiting for rollout to finish: 1 out of 3 new replicas have been updated..."));
  EXPECT_EQ(
      Health(std::string(base) + R"({"observedGeneration":1,"replicas":4,"updatedReplicas":3}})"),
      H(kProgressing, "Waiting for rollout to finish: 1 old replicas are pending termination..."));
  EXPECT_EQ(
      Health(std::string(base) +
             R"({"observedGeneration":1,"replicas":3,"updatedReplicas":3,"availableReplicas":2}})"),
      H(kProgressing, "Waiting for rollout to finish: 2 of 3 updated replicas are available..."));
  EXPECT_EQ(
      Health(std::string(base) +
             R"({"observedGeneration":1,"replicas":3,"updatedReplicas":3,"availableReplicas":3}})"),
      H(kHealthy));
}

// The live object always has spec.replicas (defaulted to 1 by the API server).
TEST(HealthTest, DeploymentWithoutReplicasIsReadAsOne) {
  EXPECT_EQ(
      Health(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w","generation":1},
      "status":{"observedGeneration":1}})"),
      H(kProgressing,
        "Waiting for rollout to finish: 0 out of 1 new replicas have been updated..."));
}

TEST(HealthTest, UnreadableDeploymentIsUnknown) {
  HealthStatus h = Health(
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},"spec":{"replicas":"three"}})");
  EXPECT_EQ(h.code, kUnknown);
  EXPECT_NE(h.message.find("failed to convert unstructured Deployment to typed"),
            std::string::npos);
}

// health_statefulset.go; apps/v1 defaulting gives RollingUpdate a partition of 0.
TEST(HealthTest, StatefulSetChecks) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":1},"spec":{"replicas":3},"status":{}})"),
      H(kProgressing, "Waiting for statefulset spec update to be observed..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":1},"spec":{"replicas":3},
      "status":{"observedGeneration":1,"readyReplicas":1}})"),
      H(kProgressing, "Waiting for 2 pods to be ready..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":1},"spec":{"replicas":3},
      "status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":2}})"),
      H(kProgressing,
        "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":1},"spec":{"replicas":3},
      "status":{"observedGeneration":1,"readyReplicas":3,"updatedReplicas":3}})"),
      H(kHealthy, "partitioned roll out complete: 3 new pods have been updated..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":1},
      "spec":{"replicas":1,"updateStrategy":{"type":"OnDelete"}},"status":{"observedGeneration":1,"readyReplicas":1}})"),
      H(kHealthy, "statefulset has 1 ready pods"));
}

// health_daemonset.go
TEST(HealthTest, DaemonSetChecks) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","generation":1},
      "status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":2}})"),
      H(kProgressing,
        "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are "
        "available..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","generation":1},
      "status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":1}})"),
      H(kProgressing,
        "Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been "
        "updated..."));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","generation":1},
      "status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3}})"),
      H(kHealthy));
}

// health_replicaset.go
TEST(HealthTest, ReplicaSetFailureIsDegraded) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"w","generation":1},"spec":{"replicas":2},
      "status":{"observedGeneration":1,"conditions":[{"type":"ReplicaFailure","status":"True","message":"quota exceeded"}]}})"),
      H(kDegraded, "quota exceeded"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"w","generation":1},"spec":{"replicas":2},
      "status":{"observedGeneration":1,"availableReplicas":1}})"),
      H(kProgressing, "Waiting for rollout to finish: 1 out of 2 new replicas are available..."));
}

// health_pod.go
TEST(HealthTest, CrashLoopingPodIsDegraded) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"restartPolicy":"Always"},
      "status":{"phase":"Running","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 10s"}}},
      {"name":"b","state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image"}}}]}})"),
      H(kDegraded, "back-off 10s, Back-off pulling image"));
}

TEST(HealthTest, PodPhases) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Pending","message":"m"}})"),
      H(kProgressing, "m"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Succeeded"}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Failed",
      "containerStatuses":[{"name":"main","state":{"terminated":{"exitCode":2}}}]}})"),
      H(kDegraded, "container \"main\" failed with exit code 2"));
  EXPECT_EQ(
      Health(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Running",
      "conditions":[{"type":"Ready","status":"True"}]}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{"phase":"Running",
      "containerStatuses":[{"name":"a","lastState":{"terminated":{"exitCode":1}}}]}})"),
      H(kDegraded));
}

// Hook-like pods (OnFailure/Never) are Progressing while running, and their waiting errors do not
// make them Degraded (the comment in health_pod.go).
TEST(HealthTest, RunToCompletionPodIgnoresWaitingErrors) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"restartPolicy":"Never"},
      "status":{"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ImagePullBackOff"}}}]}})"),
      H(kProgressing));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"restartPolicy":"OnFailure"},
      "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})"),
      H(kProgressing));
}

// argocd.argoproj.io/ignore-restart-policy makes a non-hook pod count as long-running.
TEST(HealthTest, IgnoreRestartPolicyAnnotationOnNonHookPod) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"argocd.argoproj.io/ignore-restart-policy":"true"}},
      "spec":{"restartPolicy":"Never"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"argocd.argoproj.io/ignore-restart-policy":"true","argocd.argoproj.io/hook":"PreSync"}},
      "spec":{"restartPolicy":"Never"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})"),
      H(kProgressing));
}

// health_job.go (as vendored in argo-cd 3.x).
TEST(HealthTest, JobConditions) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"active":1}})"),
      H(kProgressing));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[
      {"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}})"),
      H(kDegraded, "Job has reached the specified backoff limit"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[
      {"type":"Complete","status":"True","message":"done"}]}})"),
      H(kHealthy, "done"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[
      {"type":"Suspended","status":"True","message":"Job suspended"}]}})"),
      H(kSuspended, "Job suspended"));
}

// reference 9: a Suspended=False condition counts as "complete" and yields Healthy.
TEST(HealthTest, JobWithSuspendedFalseIsHealthy) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[
      {"type":"Suspended","status":"False","message":"Job resumed"}]}})"),
      H(kHealthy, "Job resumed"));
}

// health_pvc.go
TEST(HealthTest, PvcPhases) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"d"},"status":{"phase":"Pending"}})"),
      H(kProgressing));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"d"},"status":{"phase":"Bound"}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"d"},"status":{"phase":"Lost"}})"),
      H(kDegraded));
  EXPECT_EQ(Health(R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"d"}})"),
            H(kUnknown));
}

// health_service.go, health_ingress.go
TEST(HealthTest, LoadBalancerWithoutIngressIsProgressing) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"LoadBalancer"}})"),
      H(kProgressing));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"LoadBalancer"},
      "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"}]}}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"ClusterIP"}})"),
      H(kHealthy));
  EXPECT_EQ(
      Health(R"({"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i"}})"),
      H(kProgressing));
}

// health_hpa.go: v2 conditions; v1 conditions in the annotation; unsupported versions are Unknown.
TEST(HealthTest, HorizontalPodAutoscaler) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},"status":{"conditions":[
      {"type":"ScalingActive","status":"False","reason":"FailedGetResourceMetric","message":"no metrics"}]}})"),
      H(kDegraded, "no metrics"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},"status":{"conditions":[
      {"type":"AbleToScale","status":"True","reason":"ReadyForNewScale","message":"ok"}]}})"),
      H(kHealthy, "ok"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"}})"),
      H(kProgressing, "Waiting to Autoscale"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","annotations":{
      "autoscaling.alpha.kubernetes.io/conditions":"[{\"type\":\"AbleToScale\",\"status\":\"True\",\"message\":\"fine\"}]"}}})"),
      H(kHealthy, "fine"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"}})")
          .code,
      kUnknown);
}

// health_apiservice.go
TEST(HealthTest, ApiService) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"a"},"status":{"conditions":[
      {"type":"Available","status":"True","reason":"Local","message":"Local APIServices are always available"}]}})"),
      H(kHealthy, "Local: Local APIServices are always available"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"a"}})"),
      H(kProgressing, "Waiting to be processed"));
}

}  // namespace
}  // namespace fleetsim
