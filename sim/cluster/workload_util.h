// Helpers the workload controllers share: pod documents from templates, owner references, pod
// state, conditions, int-or-percent values. Internal to sim/cluster.
#ifndef FLEETSIM_SIM_CLUSTER_WORKLOAD_UTIL_H_
#define FLEETSIM_SIM_CLUSTER_WORKLOAD_UTIL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "sim/cluster/live_object.h"
#include "sim/manifest/object.h"

namespace fleetsim::workload {

// A pod-template-hash shaped like Kubernetes' (rand.SafeEncodeString of a 32-bit hash of the
// template), stable for equal templates.
std::string TemplateHash(const Json& pod_template);

// A controller owner reference to `owner` (controller: true, blockOwnerDeletion: true).
Json ControllerRef(const LiveObject& owner);
// The key of the object's controller (the ownerReference with controller: true), if any. Owners are
// in the object's namespace.
std::optional<ObjectKey> ControllerOf(const Object& obj);

// A Pod document built from a pod template: its labels and annotations plus `extra_labels`, its
// spec (restartPolicy defaulted to Always), owned by `owner_ref`. Named `name`, or generated from
// `name_prefix` when `name` is empty.
Json PodFromTemplate(const Json& pod_template, const std::string& ns, const std::string& name,
                     const std::string& name_prefix, const Json& owner_ref,
                     const std::map<std::string, std::string>& extra_labels);

std::string PodPhase(const Object& pod);
// The pod's Ready condition is True.
bool PodReady(const Object& pod);
// Counted by controllers as a replica: not being deleted and not finished.
bool PodActive(const LiveObject& pod);

// Kubernetes' SetDeploymentCondition: a condition with the same status and reason as the current
// one changes nothing; a status change sets lastTransitionTime; the condition moves to the end.
// With `refresh_update_time`, an unchanged condition still gets a new lastUpdateTime (the
// Progressing condition when progress is seen).
void SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now,
                  bool with_update_time, bool refresh_update_time = false);
void RemoveCondition(Json& conditions, std::string_view type);

// intstr.GetScaledValueFromIntOrPercent: an integer, or "N%" of `total` rounded up or down.
int64_t ScaledValue(const Json& int_or_percent, int64_t total, bool round_up, int64_t fallback);

// Removes zero integers and empty values, as Go's omitempty does for status fields.
void DropZeroFields(Json& status);

}  // namespace fleetsim::workload

#endif  // FLEETSIM_SIM_CLUSTER_WORKLOAD_UTIL_H_
