// gitops-engine health_deployment.go, health_statefulset.go, health_daemonset.go and
// health_replicaset.go (themselves kubectl's rollout status).
#include <fmt/format.h>

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"

namespace fleetsim::health_internal {
namespace {

HealthStatus Progressing(std::string message) {
  return {HealthCode::kProgressing, std::move(message)};
}

// Reads integer fields the way the typed conversion would: an absent field is the default, a
// field of another type is a conversion error (reported as Unknown by GetResourceHealth's caller).
class Reader {
 public:
  Reader(const Object& obj, std::string_view kind) : doc_(obj.doc()), kind_(kind) {}

  int64_t Int(JsonPath path, std::string_view go_field, int64_t fallback) {
    const Json& v = JsonAt(doc_, path);
    if (v.is_null()) return fallback;
    if (std::optional<int64_t> i = IntAt(doc_, path)) return *i;
    if (error_.empty()) {
      error_ = fmt::format(
          "failed to convert unstructured {} to typed: json: cannot unmarshal {} "
          "into Go struct field {} of type int",
          kind_, v.type_name(), go_field);
    }
    return fallback;
  }
  std::optional<HealthStatus> Failure() const {
    if (error_.empty()) return std::nullopt;
    return HealthStatus{HealthCode::kUnknown, error_};
  }

 private:
  const Json& doc_;
  std::string_view kind_;
  std::string error_;
};

std::optional<HealthStatus> CheckGvk(const Object& obj, std::string_view kind) {
  if (obj.api_version() == "apps/v1") return std::nullopt;
  return HealthStatus{HealthCode::kUnknown, fmt::format("unsupported {} GVK: {}", kind,
                                                        GvkString(obj.api_version(), kind))};
}

}  // namespace

std::optional<HealthStatus> DeploymentHealth(const Object& obj) {
  if (auto bad = CheckGvk(obj, "Deployment")) return bad;
  const Json& doc = obj.doc();
  Reader r(obj, "Deployment");
  int64_t generation = r.Int({"metadata", "generation"}, "ObjectMeta.metadata.generation", 0);
  int64_t observed =
      r.Int({"status", "observedGeneration"}, "DeploymentStatus.status.observedGeneration", 0);
  int64_t replicas = r.Int({"spec", "replicas"}, "DeploymentSpec.spec.replicas", 1);
  int64_t status_replicas = r.Int({"status", "replicas"}, "DeploymentStatus.status.replicas", 0);
  int64_t updated =
      r.Int({"status", "updatedReplicas"}, "DeploymentStatus.status.updatedReplicas", 0);
  int64_t available =
      r.Int({"status", "availableReplicas"}, "DeploymentStatus.status.availableReplicas", 0);
  if (auto failure = r.Failure()) return failure;
  if (BoolAt(doc, {"spec", "paused"}))
    return HealthStatus{HealthCode::kSuspended, "Deployment is paused"};
  if (generation > observed) {
    return Progressing(
        "Waiting for rollout to finish: observed deployment generation less than "
        "desired generation");
  }
  const Json* cond = FindCondition(doc, {"status", "conditions"}, "Progressing");
  if (cond != nullptr && StringAt(*cond, {"reason"}) == "ProgressDeadlineExceeded") {
    return HealthStatus{
        HealthCode::kDegraded,
        fmt::format("Deployment \"{}\" exceeded its progress deadline", obj.name())};
  }
  if (updated < replicas) {
    return Progressing(
        fmt::format("Waiting for rollout to finish: {} out of {} new replicas have "
                    "been updated...",
                    updated, replicas));
  }
  if (status_replicas > updated) {
    return Progressing(
        fmt::format("Waiting for rollout to finish: {} old replicas are pending "
                    "termination...",
                    status_replicas - updated));
  }
  if (available < updated) {
    return Progressing(
        fmt::format("Waiting for rollout to finish: {} of {} updated replicas are "
                    "available...",
                    available, updated));
  }
  return HealthStatus{HealthCode::kHealthy, ""};
}

std::optional<HealthStatus> StatefulSetHealth(const Object& obj) {
  if (auto bad = CheckGvk(obj, "StatefulSet")) return bad;
  const Json& doc = obj.doc();
  Reader r(obj, "StatefulSet");
  int64_t generation = r.Int({"metadata", "generation"}, "ObjectMeta.metadata.generation", 0);
  int64_t observed =
      r.Int({"status", "observedGeneration"}, "StatefulSetStatus.status.observedGeneration", 0);
  int64_t replicas = r.Int({"spec", "replicas"}, "StatefulSetSpec.spec.replicas", 1);
  int64_t ready = r.Int({"status", "readyReplicas"}, "StatefulSetStatus.status.readyReplicas", 0);
  int64_t updated =
      r.Int({"status", "updatedReplicas"}, "StatefulSetStatus.status.updatedReplicas", 0);
  int64_t current =
      r.Int({"status", "currentReplicas"}, "StatefulSetStatus.status.currentReplicas", 0);
  int64_t partition =
      r.Int({"spec", "updateStrategy", "rollingUpdate", "partition"},
            "RollingUpdateStatefulSetStrategy.spec.updateStrategy.rollingUpdate.partition", 0);
  if (auto failure = r.Failure()) return failure;
  if (observed == 0 || generation > observed) {
    return Progressing("Waiting for statefulset spec update to be observed...");
  }
  if (ready < replicas) {
    return Progressing(fmt::format("Waiting for {} pods to be ready...", replicas - ready));
  }
  std::string type = StringAt(doc, {"spec", "updateStrategy", "type"});
  if (type.empty()) type = "RollingUpdate";
  // apps/v1 defaulting gives every RollingUpdate StatefulSet a rollingUpdate block with a
  // partition, so this branch is the usual one.
  if (type == "RollingUpdate") {
    if (updated < replicas - partition) {
      return Progressing(
          fmt::format("Waiting for partitioned roll out to finish: {} out of {} new "
                      "pods have been updated...",
                      updated, replicas - partition));
    }
    return HealthStatus{HealthCode::kHealthy,
                        fmt::format("partitioned roll out complete: {} new pods have been "
                                    "updated...",
                                    updated)};
  }
  if (type == "OnDelete") {
    return HealthStatus{HealthCode::kHealthy, fmt::format("statefulset has {} ready pods", ready)};
  }
  std::string update_revision = StringAt(doc, {"status", "updateRevision"});
  std::string current_revision = StringAt(doc, {"status", "currentRevision"});
  if (update_revision != current_revision) {
    return Progressing(
        fmt::format("waiting for statefulset rolling update to complete {} pods at "
                    "revision {}...",
                    updated, update_revision));
  }
  return HealthStatus{HealthCode::kHealthy,
                      fmt::format("statefulset rolling update complete {} pods at revision {}...",
                                  current, current_revision)};
}

std::optional<HealthStatus> DaemonSetHealth(const Object& obj) {
  if (auto bad = CheckGvk(obj, "DaemonSet")) return bad;
  const Json& doc = obj.doc();
  Reader r(obj, "DaemonSet");
  int64_t generation = r.Int({"metadata", "generation"}, "ObjectMeta.metadata.generation", 0);
  int64_t observed =
      r.Int({"status", "observedGeneration"}, "DaemonSetStatus.status.observedGeneration", 0);
  int64_t updated = r.Int({"status", "updatedNumberScheduled"},
                          "DaemonSetStatus.status.updatedNumberScheduled", 0);
  int64_t desired = r.Int({"status", "desiredNumberScheduled"},
                          "DaemonSetStatus.status.desiredNumberScheduled", 0);
  int64_t available =
      r.Int({"status", "numberAvailable"}, "DaemonSetStatus.status.numberAvailable", 0);
  if (auto failure = r.Failure()) return failure;
  if (generation > observed) {
    return Progressing(
        "Waiting for rollout to finish: observed daemon set generation less than "
        "desired generation");
  }
  if (StringAt(doc, {"spec", "updateStrategy", "type"}) == "OnDelete") {
    return HealthStatus{
        HealthCode::kHealthy,
        fmt::format("daemon set {} out of {} new pods have been updated", updated, desired)};
  }
  if (updated < desired) {
    return Progressing(
        fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} out of {} "
                    "new pods have been updated...",
                    obj.name(), updated, desired));
  }
  if (available < desired) {
    return Progressing(
        fmt::format("Waiting for daemon set \"{}\" rollout to finish: {} of {} "
                    "updated pods are available...",
                    obj.name(), available, desired));
  }
  return HealthStatus{HealthCode::kHealthy, ""};
}

std::optional<HealthStatus> ReplicaSetHealth(const Object& obj) {
  if (auto bad = CheckGvk(obj, "ReplicaSet")) return bad;
  const Json& doc = obj.doc();
  Reader r(obj, "ReplicaSet");
  int64_t generation = r.Int({"metadata", "generation"}, "ObjectMeta.metadata.generation", 0);
  int64_t observed =
      r.Int({"status", "observedGeneration"}, "ReplicaSetStatus.status.observedGeneration", 0);
  int64_t replicas = r.Int({"spec", "replicas"}, "ReplicaSetSpec.spec.replicas", 1);
  int64_t available =
      r.Int({"status", "availableReplicas"}, "ReplicaSetStatus.status.availableReplicas", 0);
  if (auto failure = r.Failure()) return failure;
  if (generation > observed) {
    return Progressing(
        "Waiting for rollout to finish: observed replica set generation less than "
        "desired generation");
  }
  const Json* cond = FindCondition(doc, {"status", "conditions"}, "ReplicaFailure");
  if (cond != nullptr && StringAt(*cond, {"status"}) == "True") {
    return HealthStatus{HealthCode::kDegraded, StringAt(*cond, {"message"})};
  }
  if (available < replicas) {
    return Progressing(
        fmt::format("Waiting for rollout to finish: {} out of {} new replicas are "
                    "available...",
                    available, replicas));
  }
  return HealthStatus{HealthCode::kHealthy, ""};
}

}  // namespace fleetsim::health_internal
