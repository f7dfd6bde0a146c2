// Kubernetes' ReplicaSet controller (pkg/controller/replicaset): as many active pods as
// spec.replicas (scale-down removes not-ready pods first, then the newest), and a status of
// replicas, ready and available (ready for minReadySeconds) pods; a pod it cannot create shows as
// a ReplicaFailure condition (FailedCreate).
#include <algorithm>
#include <tuple>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {}  // namespace

std::vector<LiveObject> WorkloadController::OwnedActivePods(const LiveObject& owner) const {
  std::vector<LiveObject> out;
  for (const ObjectKey& k : store_.Dependents(owner.uid)) {
    if (!k.group.empty() || k.kind != "Pod") continue;
    const LiveObject* pod = store_.Find(k);
    if (pod != nullptr && workload::PodActive(*pod)) out.push_back(*pod);
  }
  return out;
}

int64_t WorkloadController::AvailablePods(const std::vector<LiveObject>& pods,
                                          int64_t min_ready_seconds, const ObjectKey& wake) {
  int64_t n = 0;
  for (const LiveObject& pod : pods) {
    if (!workload::PodReady(*pod.object)) continue;
    auto it = pods_.find(pod.key());
    SimTime since = it != pods_.end() ? it->second.ready_since : pod.created;
    SimTime at = since + SimDuration::Seconds(min_ready_seconds);
    if (at <= sim_.now()) {
      ++n;
    } else {
      WakeAt(wake, at);
    }
  }
  return n;
}

void WorkloadController::ReconcileReplicaSet(const LiveObject& rs) {
  if (rs.being_deleted()) return;
  const Json& spec = JsonAt(rs.doc(), {"spec"});
  int64_t replicas = IntAt(spec, {"replicas"}, 1);
  std::vector<LiveObject> pods = OwnedActivePods(rs);
  std::string failure;
  auto have = static_cast<int64_t>(pods.size());
  for (int64_t i = have; i < replicas; ++i) {
    Json pod = workload::PodFromTemplate(JsonAt(spec, {"template"}), rs.key().ns, "",
                                         rs.key().name + "-", workload::ControllerRef(rs), {});
    Result<LiveObject> created = store_.Create(Object(std::move(pod)));
    if (!created.ok()) {
      failure = created.error();
      break;
    }
  }
  if (have > replicas) {
    // controller.ActivePods ranking: not-ready pods go first, then the most recently created.
    std::sort(pods.begin(), pods.end(), [](const LiveObject& a, const LiveObject& b) {
      bool ra = workload::PodReady(*a.object), rb = workload::PodReady(*b.object);
      return std::tie(ra, b.created, a.key()) < std::tie(rb, a.created, b.key());
    });
    for (int64_t i = 0; i < have - replicas; ++i) {
      store_.Delete(pods[static_cast<size_t>(i)].key(),
                    {Propagation::kBackground, std::string(kCauseGc), ""});
    }
  }
  if (have != replicas) pods = OwnedActivePods(rs);
  int64_t ready = 0;
  for (const LiveObject& p : pods) ready += workload::PodReady(*p.object) ? 1 : 0;
  Json status = rs.status().is_object() ? rs.status() : Json::object();
  status["replicas"] = pods.size();
  status["fullyLabeledReplicas"] = pods.size();
  status["readyReplicas"] = ready;
  status["availableReplicas"] = AvailablePods(pods, IntAt(spec, {"minReadySeconds"}, 0), rs.key());
  status["observedGeneration"] = rs.generation;
  Json conditions = JsonAt(status, {"conditions"});
  if (!failure.empty()) {
    workload::SetCondition(conditions, "ReplicaFailure", "True", "FailedCreate", failure, Now(),
                           false);
  } else {
    workload::RemoveCondition(conditions, "ReplicaFailure");
  }
  status["conditions"] = conditions;
  workload::DropZeroFields(status);
  status["replicas"] = pods.size();  // not omitempty in ReplicaSetStatus
  if (status != rs.status()) store_.UpdateStatus(rs.key(), std::move(status));
}

}  // namespace fleetsim
