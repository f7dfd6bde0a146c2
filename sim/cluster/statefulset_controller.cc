// Kubernetes' StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go): pods
// <name>-<ordinal>; with OrderedReady a pod is created only when every lower ordinal is Running and
// Ready, scale-down removes the highest ordinal first, one at a time; RollingUpdate replaces pods
// from the highest ordinal down to the partition, one at a time, each after all are ready;
// volumeClaimTemplates give each ordinal its PVCs, kept after the pod (and the StatefulSet) go
// unless persistentVolumeClaimRetentionPolicy.whenDeleted is Delete.
#include <map>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

constexpr const char* kRevisionLabel = "controller-revision-hash";

// The ordinal of `pod` in StatefulSet `sts`, or -1.
int64_t OrdinalOf(const std::string& sts, const std::string& pod) {
  if (pod.size() <= sts.size() + 1 || pod.compare(0, sts.size(), sts) != 0 ||
      pod[sts.size()] != '-') {
    return -1;
  }
  int64_t n = 0;
  for (size_t i = sts.size() + 1; i < pod.size(); ++i) {
    if (pod[i] < '0' || pod[i] > '9') return -1;
    n = n * 10 + (pod[i] - '0');
  }
  return n;
}

bool RunningAndReady(const LiveObject& pod) {
  return workload::PodPhase(*pod.object) == "Running" && workload::PodReady(*pod.object);
}

}  // namespace

void WorkloadController::EnsureClaims(const LiveObject& sts, int64_t ordinal) {
  const Json& spec = JsonAt(sts.doc(), {"spec"});
  bool owned = StringAt(spec, {"persistentVolumeClaimRetentionPolicy", "whenDeleted"}) == "Delete";
  for (const Json& tpl : JsonAt(spec, {"volumeClaimTemplates"})) {
    std::string name =
        StringAt(tpl, {"metadata", "name"}) + "-" + sts.key().name + "-" + std::to_string(ordinal);
    if (store_.Find({"", "PersistentVolumeClaim", sts.key().ns, name}) != nullptr) continue;
    Json labels = JsonAt(tpl, {"metadata", "labels"});
    if (!labels.is_object()) labels = Json::object();
    for (const auto& [k, v] : StringMapAt(spec, {"selector", "matchLabels"})) labels[k] = v;
    Json meta = {{"name", name}, {"namespace", sts.key().ns}, {"labels", labels}};
    if (owned) meta["ownerReferences"] = Json::array({workload::ControllerRef(sts)});
    store_.Create(Object({{"apiVersion", "v1"},
                          {"kind", "PersistentVolumeClaim"},
                          {"metadata", meta},
                          {"spec", JsonAt(tpl, {"spec"})}}));
  }
}

void WorkloadController::ReconcileStatefulSet(const LiveObject& sts) {
  if (sts.being_deleted()) return;
  const Json& spec = JsonAt(sts.doc(), {"spec"});
  const std::string& name = sts.key().name;
  int64_t replicas = IntAt(spec, {"replicas"}, 1);
  bool parallel = StringAt(spec, {"podManagementPolicy"}) == "Parallel";
  bool on_delete = StringAt(spec, {"updateStrategy", "type"}) == "OnDelete";
  int64_t partition = IntAt(spec, {"updateStrategy", "rollingUpdate", "partition"}, 0);
  std::string update_revision = name + "-" + PodTemplateHash(sts);
  std::map<int64_t, LiveObject> pods;
  for (const LiveObject& pod : OwnedActivePods(sts)) {
    int64_t ordinal = OrdinalOf(name, pod.key().name);
    if (ordinal >= 0) pods.emplace(ordinal, pod);
  }
  bool blocked = false;  // OrderedReady: a lower ordinal is not Running and Ready yet
  for (int64_t i = 0; i < replicas && !blocked; ++i) {
    auto it = pods.find(i);
    if (it != pods.end()) {
      if (!parallel && !RunningAndReady(it->second)) blocked = true;
      continue;
    }
    EnsureClaims(sts, i);
    Json tpl = JsonAt(spec, {"template"});
    for (const Json& claim : JsonAt(spec, {"volumeClaimTemplates"})) {
      std::string vol = StringAt(claim, {"metadata", "name"});
      tpl["spec"]["volumes"].push_back(
          {{"name", vol},
           {"persistentVolumeClaim", {{"claimName", vol + "-" + name + "-" + std::to_string(i)}}}});
    }
    std::string pod_name = name + "-" + std::to_string(i);
    Json pod =
        workload::PodFromTemplate(tpl, sts.key().ns, pod_name, "", workload::ControllerRef(sts),
                                  {{kRevisionLabel, update_revision},
                                   {"statefulset.kubernetes.io/pod-name", pod_name},
                                   {"apps.kubernetes.io/pod-index", std::to_string(i)}});
    pod["spec"]["hostname"] = pod_name;
    if (std::string svc = StringAt(spec, {"serviceName"}); !svc.empty())
      pod["spec"]["subdomain"] = svc;
    store_.Create(Object(std::move(pod)));
    if (!parallel) blocked = true;
  }
  bool all_ready = !blocked;
  for (const auto& [ordinal, pod] : pods) {
    if (ordinal < replicas && !RunningAndReady(pod)) all_ready = false;
  }
  DeleteOptions gc{Propagation::kBackground, std::string(kCauseGc), ""};
  // Scale down: highest ordinal first; with OrderedReady one at a time, once all others are ready.
  bool scaled_down = false;
  for (auto it = pods.rbegin(); it != pods.rend() && it->first >= replicas; ++it) {
    if (!parallel && !all_ready) break;
    store_.Delete(it->second.key(), gc);
    scaled_down = true;
    if (!parallel) break;
  }
  // Rolling update: the highest ordinal at an old revision, once every pod is Running and Ready.
  if (!on_delete && all_ready && !scaled_down) {
    for (auto it = pods.rbegin(); it != pods.rend(); ++it) {
      if (it->first >= replicas || it->first < partition) continue;
      auto labels = it->second.object->labels();
      if (labels[kRevisionLabel] == update_revision) continue;
      store_.Delete(it->second.key(), gc);
      break;
    }
  }
  int64_t count = 0, ready = 0, updated = 0;
  for (const LiveObject& pod : OwnedActivePods(sts)) {
    if (OrdinalOf(name, pod.key().name) < 0) continue;
    ++count;
    ready += RunningAndReady(pod) ? 1 : 0;
    auto labels = pod.object->labels();
    updated += labels[kRevisionLabel] == update_revision ? 1 : 0;
  }
  Json old = sts.status().is_object() ? sts.status() : Json::object();
  std::string current_revision = StringAt(old, {"currentRevision"});
  if (current_revision.empty() || (updated == replicas && ready == replicas))
    current_revision = update_revision;
  int64_t current = current_revision == update_revision ? updated : count - updated;
  Json status = {{"observedGeneration", sts.generation},
                 {"replicas", count},
                 {"readyReplicas", ready},
                 {"currentReplicas", current},
                 {"updatedReplicas", updated},
                 {"availableReplicas", ready},
                 {"currentRevision", current_revision},
                 {"updateRevision", update_revision},
                 {"collisionCount", 0}};
  workload::DropZeroFields(status);
  status["replicas"] = count;  // not omitempty in StatefulSetStatus
  status["availableReplicas"] = ready;
  if (status != old) store_.UpdateStatus(sts.key(), std::move(status));
}

}  // namespace fleetsim
