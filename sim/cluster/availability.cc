#include "sim/cluster/availability.h"

#include "sim/cluster/json_fields.h"

namespace fleetsim {

bool IsWorkloadKind(const ObjectKey& key) {
  if (key.group == "apps") {
    return key.kind == "Deployment" || key.kind == "StatefulSet" || key.kind == "DaemonSet";
  }
  return key.group == "argoproj.io" && key.kind == "Rollout";
}

Availability WorkloadAvailability(const Object& obj) {
  const Json& doc = obj.doc();
  const ObjectKey& key = obj.key();
  bool replicated =
      (key.group == "apps" &&
       (key.kind == "Deployment" || key.kind == "StatefulSet" || key.kind == "ReplicaSet")) ||
      (key.group == "argoproj.io" && key.kind == "Rollout");
  if (replicated) {
    if (IntAt(doc, {"spec", "replicas"}, 1) <= 0) return Availability::kNotApplicable;
    return IntAt(doc, {"status", "availableReplicas"}, 0) >= 1 ? Availability::kAvailable
                                                               : Availability::kUnavailable;
  }
  if (key.group == "apps" && key.kind == "DaemonSet") {
    if (IntAt(doc, {"status", "desiredNumberScheduled"}, 0) <= 0) {
      return Availability::kNotApplicable;
    }
    return IntAt(doc, {"status", "numberAvailable"}, 0) >= 1 ? Availability::kAvailable
                                                             : Availability::kUnavailable;
  }
  return Availability::kNotApplicable;
}

}  // namespace fleetsim
