// Kubernetes' DaemonSet controller (pkg/controller/daemon): one pod per node (the cluster has
// WorkloadConfig::nodes nodes, named <cluster>-node-<n>); RollingUpdate replaces old pods while at
// most maxUnavailable (default 1, a percentage rounds up) are unavailable; OnDelete leaves old pods
// alone.
#include <map>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {

void WorkloadController::ReconcileDaemonSet(const LiveObject& ds) {
  if (ds.being_deleted()) return;
  const Json& spec = JsonAt(ds.doc(), {"spec"});
  int64_t nodes = config_.nodes;
  std::string hash = PodTemplateHash(ds);
  std::map<std::string, LiveObject> by_node;
  for (const LiveObject& pod : OwnedActivePods(ds)) {
    by_node.emplace(StringAt(pod.doc(), {"spec", "nodeName"}), pod);
  }
  for (int64_t i = 1; i <= nodes; ++i) {
    std::string node = store_.cluster() + "-node-" + std::to_string(i);
    if (by_node.count(node) != 0) continue;
    Json pod =
        workload::PodFromTemplate(JsonAt(spec, {"template"}), ds.key().ns, "", ds.key().name + "-",
                                  workload::ControllerRef(ds),
                                  {{"controller-revision-hash", hash},
                                   {"pod-template-generation", std::to_string(ds.generation)}});
    pod["spec"]["nodeName"] = node;
    store_.Create(Object(std::move(pod)));
  }
  int64_t min_ready = IntAt(spec, {"minReadySeconds"}, 0);
  std::vector<LiveObject> pods = OwnedActivePods(ds);
  int64_t available = AvailablePods(pods, min_ready, ds.key());
  if (StringAt(spec, {"updateStrategy", "type"}) != "OnDelete") {
    const Json& max = JsonAt(spec, {"updateStrategy", "rollingUpdate", "maxUnavailable"});
    int64_t max_unavailable = workload::ScaledValue(max.is_null() ? Json(1) : max, nodes, true, 1);
    if (max_unavailable == 0) max_unavailable = 1;
    int64_t budget = max_unavailable - (nodes - available);
    for (const LiveObject& pod : pods) {
      if (budget <= 0) break;
      auto labels = pod.object->labels();
      if (labels["controller-revision-hash"] == hash) continue;
      store_.Delete(pod.key(), {Propagation::kBackground, std::string(kCauseGc), ""});
      --budget;
    }
    pods = OwnedActivePods(ds);
    available = AvailablePods(pods, min_ready, ds.key());
  }
  int64_t ready = 0, updated = 0;
  for (const LiveObject& pod : pods) {
    ready += workload::PodReady(*pod.object) ? 1 : 0;
    auto labels = pod.object->labels();
    updated += labels["controller-revision-hash"] == hash ? 1 : 0;
  }
  auto count = static_cast<int64_t>(pods.size());
  Json status = {{"observedGeneration", ds.generation},
                 {"desiredNumberScheduled", nodes},
                 {"currentNumberScheduled", count},
                 {"numberMisscheduled", 0},
                 {"numberReady", ready},
                 {"numberAvailable", available},
                 {"numberUnavailable", std::max<int64_t>(nodes - available, 0)},
                 {"updatedNumberScheduled", updated}};
  workload::DropZeroFields(status);
  for (const char* required :
       {"currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"}) {
    if (!status.contains(required)) status[required] = 0;  // not omitempty in DaemonSetStatus
  }
  if (status != ds.status()) store_.UpdateStatus(ds.key(), std::move(status));
}

}  // namespace fleetsim
