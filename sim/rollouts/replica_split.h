// How a canary Rollout splits replicas between its ReplicaSets (reference 1.1, 1.5, 1.6;
// argo-rollouts utils/replicaset/canary.go, utils/replicaset/replicaset.go, rollout/canary.go,
// rollout/replicaset.go):
//
// - maxSurge/maxUnavailable: an int or a percentage of spec.replicas; surge rounds up,
//   unavailable down; when both resolve to 0, maxUnavailable becomes 1; maxUnavailable is
//   capped at spec.replicas (resolveFenceposts, MaxSurge, MaxUnavailable).
// - Basic canary targets: the canary/total ratio closest to the weight among ceil and floor
//   of R·W/100 against R and, with surge, R+1; ties go to the earlier option; no side is 0
//   for 0<W<100 unless R=1 without surge; ceil ≥ R is skipped unless 0 is allowed
//   (approximateWeightedCanaryStableReplicaCounts).
// - Per reconcile (CalculateReplicaCountsForBasicCanary): scale-up budget R+S−Σspec, stable
//   first; nothing else scales down while an old RS has replicas; scale-down budget
//   (countable replicas) − (R − maxUnavailable), where the draining side counts its spec.
// - Traffic-routed targets (CalculateReplicaCountsForTrafficRoutedCanary): canary =
//   ceil(W·R/maxWeight) raised to minPodsPerReplicaSet, or setCanaryScale; stable = R, or with
//   dynamicStableScale the larger of the desired and the router's current stable weight.
// - The next actions of one reconcile (reconcileCanaryReplicaSets): stable, else new, else old
//   ReplicaSets (unhealthy replicas first, then as maxUnavailable allows).
#ifndef FLEETSIM_SIM_ROLLOUTS_REPLICA_SPLIT_H_
#define FLEETSIM_SIM_ROLLOUTS_REPLICA_SPLIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim_time.h"
#include "sim/rollouts/canary_steps.h"
#include "sim/rollouts/canary_strategy.h"

namespace fleetsim::rollouts {

struct ReplicaSetState {
  std::string name;
  int64_t revision = 0;
  int32_t spec_replicas = 0;
  int32_t replicas = 0;                        // status.replicas (created pods)
  int32_t available = 0;                       // status.availableReplicas
  std::optional<SimTime> scale_down_deadline;  // the scale-down-deadline annotation
};

// The ReplicaSets of one reconcile. Pointers may be null; they and `others` must outlive the
// call. `others` are neither new nor stable (GetOtherRSs).
struct CanaryReplicaSets {
  const ReplicaSetState* new_rs = nullptr;
  const ReplicaSetState* stable_rs = nullptr;
  std::vector<ReplicaSetState> others;
};

// intstrutil.GetValueFromIntOrPercent against `total` (percent: ceil when round_up, else floor).
int32_t ResolveIntOrPercent(const IntOrPercent& value, int32_t total, bool round_up);

struct Fenceposts {
  int32_t max_surge = 0;
  int32_t max_unavailable = 0;
};
// resolveFenceposts: both resolved against `desired`; both 0 → maxUnavailable 1.
Fenceposts ResolveFenceposts(const IntOrPercent& max_surge, const IntOrPercent& max_unavailable,
                             int32_t desired);
int32_t MaxSurge(const RolloutSpec& spec);
// 0 when spec.replicas is 0; capped at spec.replicas.
int32_t MaxUnavailable(const RolloutSpec& spec);

struct CanaryStableCounts {
  int32_t canary = 0;
  int32_t stable = 0;
  bool operator==(const CanaryStableCounts&) const = default;
};

// approximateWeightedCanaryStableReplicaCounts: the target counts for weight W out of
// max_weight, before rolling limits. (0, 0) when replicas or max_weight is not positive.
CanaryStableCounts ApproximateWeightedCounts(int32_t replicas, int32_t weight, int32_t max_weight,
                                             int32_t max_surge);

// CheckStableRSExists: a stable RS that is not the new RS.
bool StableExists(const CanaryReplicaSets& sets);

struct ReplicasOrWeight {
  std::optional<int32_t> replicas;  // an explicit setCanaryScale replica count
  int32_t weight = 0;
};
// GetCanaryReplicasOrWeight: maxWeight when promoting fully, before the first stable or once
// fully promoted; else setCanaryScale replicas or weight; else GetDesiredCanaryWeight (which,
// aborted with dynamicStableScale, walks the setWeight steps backwards as the stable becomes
// available), else the current setWeight.
ReplicasOrWeight CanaryReplicasOrWeight(const RolloutSpec& spec, const RolloutStatus& status,
                                        const CanaryReplicaSets& sets);

// CalculateReplicaCountsForBasicCanary: this reconcile's new and stable spec counts.
CanaryStableCounts BasicCanaryCounts(const RolloutSpec& spec, const RolloutStatus& status,
                                     const CanaryReplicaSets& sets);

// CalculateReplicaCountsForTrafficRoutedCanary. `weights` is what the router currently has.
CanaryStableCounts TrafficRoutedCanaryCounts(const RolloutSpec& spec, const RolloutStatus& status,
                                             const CanaryReplicaSets& sets,
                                             const std::optional<TrafficWeights>& weights);

// AtDesiredReplicaCountsForCanary: the setWeight/setCanaryScale step's replica condition: the
// new RS meets replicaProgressThreshold (default: all desired available); the stable has its
// desired count created (unless dynamicStableScale with a router); basic canary: no old RS has
// available replicas.
bool AtDesiredReplicaCounts(const RolloutSpec& spec, const RolloutStatus& status,
                            const CanaryReplicaSets& sets,
                            const std::optional<TrafficWeights>& weights);

struct ScaleAction {
  enum class Kind { kScale, kSetScaleDownDeadline };
  Kind kind = Kind::kScale;
  std::string replica_set;
  int32_t replicas = 0;  // kScale: the new spec.replicas
  SimTime deadline;      // kSetScaleDownDeadline
  bool operator==(const ScaleAction&) const = default;
};

// The ReplicaSet changes of one reconcile (reconcileCanaryReplicaSets): the stable RS if its
// count changes, else the new RS if its count changes, else the old RSs. Old RSs: unhealthy
// replicas are removed first, then, as far as (available − minAvailable) allows, newest
// revision first: a basic canary scales them toward 0; with a router an intermediate RS goes to
// 0, and after promotion (or once it has a deadline) the old stable waits scaleDownDelaySeconds
// (a kSetScaleDownDeadline action, then 0 once `now` reaches it), or goes to 0 at once with
// dynamicStableScale. Not modelled: the abort scale-down delay of the new RS,
// scaleDownDelayRevisionLimit and the "still referenced by a router" check.
std::vector<ScaleAction> NextCanaryScaleActions(const RolloutSpec& spec,
                                                const RolloutStatus& status,
                                                const CanaryReplicaSets& sets, SimTime now);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_REPLICA_SPLIT_H_
