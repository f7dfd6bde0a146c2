// Whether a workload serves, for the availability metrics (DESIGN.md: workloads_unavailable_max,
// clusters_affected, time_to_first_impact_seconds). A Service's availability is its ready
// endpoints (WorkloadController::ReadyEndpoints): available while it has at least one.
//
// Rule: a workload is available while at least one of its replicas is available —
// status.availableReplicas >= 1 for Deployment, StatefulSet, ReplicaSet and Rollout,
// status.numberAvailable >= 1 for DaemonSet. A workload asked for nothing (spec.replicas 0, or a
// DaemonSet with no node to run on) is neither: scaling to zero on purpose is not an outage.
// "Available" is Kubernetes' own notion (ready for minReadySeconds), so a crash-looping or
// image-pull-failing replica never counts.
#ifndef FLEETSIM_SIM_CLUSTER_AVAILABILITY_H_
#define FLEETSIM_SIM_CLUSTER_AVAILABILITY_H_

#include "sim/manifest/object.h"

namespace fleetsim {

enum class Availability { kAvailable, kUnavailable, kNotApplicable };

// Deployment, StatefulSet, DaemonSet (apps) and Rollout (argoproj.io): the kinds
// workloads_unavailable_max counts. ReplicaSets are left out (a Deployment's are counted through
// it).
bool IsWorkloadKind(const ObjectKey& key);

// kNotApplicable for other kinds (ReplicaSet aside, which follows the Deployment rule).
Availability WorkloadAvailability(const Object& obj);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_AVAILABILITY_H_
