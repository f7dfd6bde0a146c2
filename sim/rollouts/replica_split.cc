#include "sim/rollouts/replica_split.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fleetsim::rollouts {
namespace {

int32_t SpecOf(const ReplicaSetState* rs) { return rs == nullptr ? 0 : rs->spec_replicas; }

int32_t SumSpec(const std::vector<ReplicaSetState>& sets) {
  int32_t sum = 0;
  for (const ReplicaSetState& rs : sets) sum += rs.spec_replicas;
  return sum;
}

int32_t SumAvailable(const std::vector<ReplicaSetState>& sets) {
  int32_t sum = 0;
  for (const ReplicaSetState& rs : sets) sum += rs.available;
  return sum;
}

// A float64 count as int32, clamped (Go's conversion of an out-of-range float is
// implementation-defined; C++'s is undefined).
int32_t ClampToInt32(double v) {
  if (!(v > -2147483648.0)) return std::numeric_limits<int32_t>::min();
  if (!(v < 2147483647.0)) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(v);
}

// trafficWeightToReplicas: ceil(weight · replicas / maxWeight), in float64 as upstream. A
// non-positive maxWeight (rejected by ParseRollout) gives 0.
int32_t WeightToReplicas(int32_t replicas, int32_t weight, int32_t max_weight) {
  if (max_weight <= 0) return 0;
  return ClampToInt32(std::ceil(static_cast<double>(weight) * static_cast<double>(replicas) /
                                static_cast<double>(max_weight)));
}

// floorCeilingTied: total · (W / maxWeight) has a fractional part of exactly 0.5.
bool FloorCeilingTied(int32_t weight, int32_t max_weight, int32_t total) {
  double product =
      static_cast<double>(total) * (static_cast<double>(weight) / static_cast<double>(max_weight));
  double integral = 0;
  return std::modf(product, &integral) == 0.5;
}

double WeightDelta(int32_t weight, int32_t max_weight, int32_t canary, int32_t total) {
  double actual =
      static_cast<double>(static_cast<int64_t>(canary) * max_weight) / static_cast<double>(total);
  return std::fabs(actual - static_cast<double>(weight));
}

// GetReplicasForScaleDown: spec when availability is ignored or exceeds spec, else available.
int32_t ReplicasForScaleDown(const ReplicaSetState* rs, bool ignore_availability) {
  if (rs == nullptr) return 0;
  if (rs->spec_replicas < rs->available || ignore_availability) return rs->spec_replicas;
  return rs->available;
}

// calculateScaleDownReplicaCount: the draining RS moves toward its desired count.
int32_t ScaleDownCount(const ReplicaSetState* drain, int32_t desired, int32_t scale_down,
                       int32_t current) {
  if (drain != nullptr && drain->spec_replicas > desired) {
    return std::max(desired, drain->spec_replicas - scale_down);
  }
  return current;
}

// adjustReplicaWithinLimits: keeps the adjusted RS within maxSurge and gives back what its
// availability needs under maxUnavailable. Returns {drain, adjust}.
std::pair<int32_t, int32_t> AdjustWithinLimits(const ReplicaSetState* drain,
                                               const ReplicaSetState* adjust, int32_t drain_count,
                                               int32_t adjust_count, int32_t max_allowed,
                                               int32_t min_available) {
  int32_t over = std::max(0, adjust_count + drain_count - max_allowed);
  int32_t total_available = 0;
  if (drain != nullptr) total_available += std::min(drain->available, drain_count);
  if (adjust == nullptr) return {drain_count, adjust_count};
  adjust_count -= over;
  total_available += std::min(adjust->available, adjust_count);
  int32_t extra_available = std::max(0, adjust->available - adjust_count);
  int32_t still_needed = std::max(0, min_available - total_available);
  adjust_count += std::min(extra_available, still_needed);
  over = std::max(0, adjust_count + drain_count - max_allowed);
  drain_count -= over;
  return {drain_count, adjust_count};
}

// CheckMinPodsPerReplicaSet: a non-zero count is at least minPodsPerReplicaSet (capped at R).
int32_t WithMinPods(const RolloutSpec& spec, int32_t count) {
  const CanaryStrategy& c = spec.strategy;
  if (count == 0 || !c.min_pods_per_replica_set || !c.traffic_routing) return count;
  return std::max(count, std::min(*c.min_pods_per_replica_set, spec.replicas));
}

// ReplicaProgressThresholdMet.
bool ProgressThresholdMet(const std::optional<ReplicaProgressThreshold>& threshold,
                          const ReplicaSetState* rs, int32_t desired) {
  if (!threshold || rs == nullptr || threshold->value < 0) {
    return rs != nullptr && desired == rs->spec_replicas && desired == rs->available;
  }
  if (!threshold->percent) return rs->available >= threshold->value;
  if (desired == 0) return true;
  double percent = static_cast<double>(rs->available) / static_cast<double>(desired) * 100;
  return percent >= threshold->value || std::fabs(percent - threshold->value) <= 1e-10;
}

// scaleDownOldReplicaSetsForCanary after cleanupUnhealthyReplicas.
void ScaleDownOldReplicaSets(const RolloutSpec& spec, const RolloutStatus& status,
                             const CanaryReplicaSets& sets, SimTime now,
                             std::vector<ScaleAction>* actions) {
  std::vector<ReplicaSetState> old;
  for (const ReplicaSetState& rs : sets.others) {
    if (rs.spec_replicas > 0) old.push_back(rs);
  }
  std::sort(old.begin(), old.end(),
            [](const auto& a, const auto& b) { return a.revision < b.revision; });
  for (ReplicaSetState& rs : old) {
    if (rs.spec_replicas == rs.available) continue;
    rs.spec_replicas = rs.available;
    actions->push_back({.replica_set = rs.name, .replicas = rs.available});
  }
  int32_t available = SumAvailable(sets.others);
  if (sets.new_rs != nullptr) available += sets.new_rs->available;
  if (sets.stable_rs != nullptr && sets.stable_rs != sets.new_rs) {
    available += sets.stable_rs->available;
  }
  int32_t max_scale_down = available - (spec.replicas - MaxUnavailable(spec));
  if (max_scale_down <= 0) return;
  std::reverse(old.begin(), old.end());  // newest revision first
  const CanaryStrategy& c = spec.strategy;
  for (const ReplicaSetState& rs : old) {
    if (max_scale_down <= 0) break;
    if (rs.spec_replicas == 0) continue;
    int32_t desired = 0;
    if (!c.traffic_routing) {
      if (rs.spec_replicas > max_scale_down) desired = rs.spec_replicas - max_scale_down;
    } else if ((IsFullyPromoted(status) || rs.scale_down_deadline) && !c.dynamic_stable_scale) {
      if (!rs.scale_down_deadline) {
        actions->push_back({.kind = ScaleAction::Kind::kSetScaleDownDeadline,
                            .replica_set = rs.name,
                            .deadline = now + SimDuration::Seconds(c.ScaleDownDelaySeconds())});
        desired = rs.spec_replicas;
      } else if (*rs.scale_down_deadline > now) {
        desired = rs.spec_replicas;
      }
    }
    if (desired == rs.spec_replicas) continue;
    actions->push_back({.replica_set = rs.name, .replicas = desired});
    max_scale_down -= rs.spec_replicas - desired;
  }
}

}  // namespace

int32_t ResolveIntOrPercent(const IntOrPercent& value, int32_t total, bool round_up) {
  if (!value.percent) return value.value;
  int64_t product = static_cast<int64_t>(value.value) * total;
  return static_cast<int32_t>(round_up ? (product + 99) / 100 : product / 100);
}

Fenceposts ResolveFenceposts(const IntOrPercent& max_surge, const IntOrPercent& max_unavailable,
                             int32_t desired) {
  Fenceposts f{ResolveIntOrPercent(max_surge, desired, true),
               ResolveIntOrPercent(max_unavailable, desired, false)};
  if (f.max_surge == 0 && f.max_unavailable == 0) f.max_unavailable = 1;
  return f;
}

int32_t MaxSurge(const RolloutSpec& spec) {
  if (!spec.canary) return 0;
  return ResolveFenceposts(spec.strategy.max_surge, spec.strategy.max_unavailable, spec.replicas)
      .max_surge;
}

int32_t MaxUnavailable(const RolloutSpec& spec) {
  if (spec.replicas == 0) return 0;
  int32_t unavailable =
      spec.canary
          ? ResolveFenceposts(spec.strategy.max_surge, spec.strategy.max_unavailable, spec.replicas)
                .max_unavailable
          : ResolveIntOrPercent(spec.strategy.max_unavailable, spec.replicas, false);
  return std::min(unavailable, spec.replicas);
}

CanaryStableCounts ApproximateWeightedCounts(int32_t replicas, int32_t weight, int32_t max_weight,
                                             int32_t max_surge) {
  if (replicas <= 0 || max_weight <= 0) return {0, 0};
  struct Option {
    int32_t canary;
    int32_t total;
  };
  std::vector<Option> options;
  double exact = static_cast<double>(static_cast<int64_t>(replicas) * weight) /
                 static_cast<double>(max_weight);
  int32_t ceil_count = ClampToInt32(std::ceil(exact));
  int32_t floor_count = ClampToInt32(std::floor(exact));
  bool zero_allowed = weight == max_weight || weight == 0 || (replicas == 1 && max_surge == 0);
  if (ceil_count < replicas || zero_allowed) options.push_back({ceil_count, replicas});
  if (!FloorCeilingTied(weight, max_weight, replicas) && (floor_count != 0 || zero_allowed)) {
    options.push_back({floor_count, replicas});
  }
  if (max_surge > 0) {
    options.push_back({ceil_count, replicas + 1});
    if (!FloorCeilingTied(weight, max_weight, replicas + 1) && (floor_count != 0 || zero_allowed)) {
      options.push_back({floor_count, replicas + 1});
    }
  }
  if (options.empty()) return {0, replicas};
  Option best = options[0];
  double best_delta = WeightDelta(weight, max_weight, best.canary, best.total);
  for (size_t i = 1; i < options.size(); ++i) {
    double delta = WeightDelta(weight, max_weight, options[i].canary, options[i].total);
    if (delta < best_delta) {
      best = options[i];
      best_delta = delta;
    }
  }
  return {best.canary, best.total - best.canary};
}

bool StableExists(const CanaryReplicaSets& sets) {
  if (sets.stable_rs == nullptr) return false;
  return sets.new_rs == nullptr || sets.new_rs->name != sets.stable_rs->name;
}

ReplicasOrWeight CanaryReplicasOrWeight(const RolloutSpec& spec, const RolloutStatus& status,
                                        const CanaryReplicaSets& sets) {
  const CanaryStrategy& c = spec.strategy;
  if (status.promote_full || status.stable_rs.empty() || IsFullyPromoted(status)) {
    return {std::nullopt, c.max_traffic_weight};
  }
  if (std::optional<SetCanaryScale> scs = ActiveSetCanaryScale(spec, status)) {
    if (scs->replicas) return {scs->replicas, 0};
    if (scs->weight) return {std::nullopt, *scs->weight};
  }
  if (status.abort && c.dynamic_stable_scale && sets.new_rs != nullptr &&
      sets.stable_rs != nullptr) {
    int32_t expected_canary = spec.replicas - sets.stable_rs->available;
    int32_t canary = std::max(expected_canary, sets.new_rs->available);
    if (c.HasExplicitAbortScaleDownDelay()) canary = expected_canary;
    for (auto it = c.steps.rbegin(); it != c.steps.rend(); ++it) {
      if (it->kind != StepKind::kSetWeight) continue;
      if (WeightToReplicas(spec.replicas, it->set_weight, c.max_traffic_weight) < canary) {
        return {std::nullopt, it->set_weight};
      }
    }
    return {std::nullopt, 0};
  }
  return {std::nullopt, CurrentSetWeight(spec, status)};
}

CanaryStableCounts BasicCanaryCounts(const RolloutSpec& spec, const RolloutStatus& status,
                                     const CanaryReplicaSets& sets) {
  const int32_t replicas = spec.replicas;
  const int32_t max_surge = MaxSurge(spec);
  const ReplicaSetState* new_rs = sets.new_rs;
  const ReplicaSetState* stable_rs = sets.stable_rs;
  int32_t weight = CanaryReplicasOrWeight(spec, status, sets).weight;
  CanaryStableCounts desired =
      ApproximateWeightedCounts(replicas, weight, spec.strategy.max_traffic_weight, max_surge);

  const bool scale_stable = StableExists(sets);
  CanaryStableCounts out{SpecOf(new_rs), scale_stable ? SpecOf(stable_rs) : 0};
  if (!scale_stable) desired = {replicas, 0};

  const int32_t max_allowed = replicas + max_surge;
  int32_t total = SumSpec(sets.others) + SpecOf(new_rs) + (scale_stable ? SpecOf(stable_rs) : 0);
  int32_t scale_up = max_allowed - total;
  if (scale_stable && stable_rs->spec_replicas < desired.stable && scale_up > 0) {
    int32_t need = desired.stable - stable_rs->spec_replicas;
    out.stable = stable_rs->spec_replicas + std::min(scale_up, need);
    scale_up -= std::min(scale_up, need);
  }
  if (new_rs != nullptr && new_rs->spec_replicas < desired.canary && scale_up > 0) {
    out.canary = std::min(new_rs->spec_replicas + scale_up, desired.canary);
  }
  if (SumSpec(sets.others) > 0) return out;  // old ReplicaSets scale down first

  const int32_t min_available = replicas - MaxUnavailable(spec);
  // Growing the canary ignores the stable's availability; shrinking it ignores the canary's.
  const bool increasing = new_rs == nullptr || desired.canary >= new_rs->spec_replicas;
  int32_t countable = ReplicasForScaleDown(new_rs, !increasing) +
                      ReplicasForScaleDown(scale_stable ? stable_rs : nullptr, increasing);
  if (countable <= min_available) return out;
  int32_t scale_down = countable - min_available;
  if (!increasing) {
    out.canary = ScaleDownCount(new_rs, desired.canary, scale_down, out.canary);
    std::tie(out.canary, out.stable) =
        AdjustWithinLimits(new_rs, stable_rs, out.canary, out.stable, max_allowed, min_available);
  } else if (scale_stable) {
    out.stable = ScaleDownCount(stable_rs, desired.stable, scale_down, out.stable);
    std::tie(out.stable, out.canary) =
        AdjustWithinLimits(stable_rs, new_rs, out.stable, out.canary, max_allowed, min_available);
  }
  return out;
}

CanaryStableCounts TrafficRoutedCanaryCounts(const RolloutSpec& spec, const RolloutStatus& status,
                                             const CanaryReplicaSets& sets,
                                             const std::optional<TrafficWeights>& weights) {
  const CanaryStrategy& c = spec.strategy;
  const int32_t replicas = spec.replicas;
  ReplicasOrWeight row = CanaryReplicasOrWeight(spec, status, sets);
  int32_t canary =
      row.replicas
          ? *row.replicas
          : WithMinPods(spec, WeightToReplicas(replicas, row.weight, c.max_traffic_weight));
  if (!c.dynamic_stable_scale) return {canary, replicas};
  int32_t stable =
      WeightToReplicas(replicas, c.max_traffic_weight - row.weight, c.max_traffic_weight);
  if (weights) {
    stable = std::max(stable, WeightToReplicas(replicas, weights->stable, c.max_traffic_weight));
    if (status.abort) {
      canary = std::max(canary, WeightToReplicas(replicas, weights->canary, c.max_traffic_weight));
    }
  }
  return {WithMinPods(spec, canary), WithMinPods(spec, stable)};
}

bool AtDesiredReplicaCounts(const RolloutSpec& spec, const RolloutStatus& status,
                            const CanaryReplicaSets& sets,
                            const std::optional<TrafficWeights>& weights) {
  const CanaryStrategy& c = spec.strategy;
  CanaryStableCounts desired = c.traffic_routing
                                   ? TrafficRoutedCanaryCounts(spec, status, sets, weights)
                                   : BasicCanaryCounts(spec, status, sets);
  if (!ProgressThresholdMet(c.replica_progress_threshold, sets.new_rs, desired.canary)) {
    return false;
  }
  if (!c.traffic_routing || !c.dynamic_stable_scale) {
    const ReplicaSetState* stable = sets.stable_rs;
    if (stable == nullptr || desired.stable != stable->spec_replicas ||
        desired.stable != stable->replicas) {
      return false;
    }
  }
  return c.traffic_routing || SumAvailable(sets.others) == 0;
}

std::vector<ScaleAction> NextCanaryScaleActions(const RolloutSpec& spec,
                                                const RolloutStatus& status,
                                                const CanaryReplicaSets& sets, SimTime now) {
  const bool routed = spec.strategy.traffic_routing;
  std::optional<CanaryStableCounts> counts;
  auto targets = [&]() -> const CanaryStableCounts& {
    if (!counts) {
      counts = routed ? TrafficRoutedCanaryCounts(spec, status, sets, status.weights)
                      : BasicCanaryCounts(spec, status, sets);
    }
    return *counts;
  };
  if (StableExists(sets) && targets().stable != sets.stable_rs->spec_replicas) {
    return {{.replica_set = sets.stable_rs->name, .replicas = targets().stable}};
  }
  if (sets.new_rs != nullptr && targets().canary != sets.new_rs->spec_replicas) {
    return {{.replica_set = sets.new_rs->name, .replicas = targets().canary}};
  }
  std::vector<ScaleAction> actions;
  ScaleDownOldReplicaSets(spec, status, sets, now, &actions);
  return actions;
}

}  // namespace fleetsim::rollouts
