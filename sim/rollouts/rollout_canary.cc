// The canary strategy (rollout/canary.go rolloutCanary, reconcileCanaryReplicaSets,
// reconcileCanaryPause, syncRolloutStatusCanary; rollout/sync.go shouldFullPromote,
// promoteStable; rollout/trafficrouting.go for the router's weight; rollout/service.go
// reconcileStableAndCanaryService).
#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/rollouts/canary_progress.h"
#include "sim/rollouts/rollout_context.h"

namespace fleetsim::rollouts {
namespace {

// calculateBaseStatus: the counts over every owned ReplicaSet.
void BaseCounts(RolloutController::Context& c) {
  RolloutStatus& s = c.status.core;
  s.current_pod_hash = c.hash;
  c.status.step_hash = c.step_hash;
  s.replicas = s.available_replicas = c.status.ready_replicas = 0;
  for (const ReplicaSetState& rs : c.states) {
    s.replicas += rs.replicas;
    s.available_replicas += rs.available;
    c.status.ready_replicas +=
        static_cast<int32_t>(IntAt(c.rs_live.at(rs.name).status(), {"readyReplicas"}, 0));
  }
  s.updated_replicas = c.new_rs ? c.new_rs->replicas : 0;
}

// ensureSVCTargets: a Service is switched only to a ReplicaSet with an available pod.
bool HasAvailable(const RolloutController::Context& c, const std::string& hash) {
  const ReplicaSetState* rs = c.FindState(hash);
  return rs != nullptr && rs->available > 0;
}

}  // namespace

void RolloutController::ReconcileCanary(Context& c) {
  WorkStatus& n = c.status;
  const int32_t step_count = static_cast<int32_t>(c.spec.strategy.steps.size());
  BaseCounts(c);

  // PodTemplateOrStepsChanged → resetRolloutStatus; back on the stable template: fast rollback.
  if (c.old_status.core.current_pod_hash != c.hash || c.old_status.step_hash != c.step_hash) {
    n.core.current_step_index =
        step_count > 0 ? std::optional<int32_t>(0) : std::optional<int32_t>();
    c.clear_pause = true;
    c.remove_abort = true;
    n.core.promote_full = false;
    n.step_run = n.background_run = {};
    if (step_count > 0 && c.old_status.core.stable_rs == c.hash) {
      n.core.current_step_index = step_count;
      if (!c.old_status.core.current_pod_hash.empty()) {
        c.events.emplace_back("RolloutFastRollback", "Rollback to stable ReplicaSets");
      }
    }
    TerminateRuns(c, {});
    Persist(c);
    return;
  }
  if (c.old_status.core.promote_full) {
    c.clear_pause = true;
    c.remove_abort = true;
    if (step_count > 0) n.core.current_step_index = step_count;
  }
  for (const ReplicaSetState& rs : c.states) {
    if (rs.spec_replicas > 0 && rs.scale_down_deadline) {
      WakeAt(c.key, *rs.scale_down_deadline + SimDuration::Seconds(1));
    }
  }

  // Services.
  const CanaryStrategy& s = c.spec.strategy;
  if (c.stable_rs && HasAvailable(c, c.old_status.core.stable_rs)) {
    PointService(c, s.stable_service, c.old_status.core.stable_rs);
  }
  std::string canary_target = c.IsAborted() && c.stable_rs ? c.old_status.core.stable_rs : c.hash;
  if (HasAvailable(c, canary_target) || !c.stable_rs) {
    PointService(c, s.canary_service, canary_target);
  }

  ReconcileTrafficWeights(c);
  ReconcileAnalysisRuns(c);
  if (c.HasAddPause()) {
    SyncCanaryStatus(c);
    return;
  }

  // reconcileCanaryReplicaSets, unless halted (haltProgress: spec.paused or an Inconclusive
  // analysis pause).
  bool halted = c.spec.paused ||
                FindPauseCondition(c.old_status.core, kPauseReasonInconclusiveAnalysis) != nullptr;
  if (!halted) {
    RolloutStatus view = n.core;
    view.abort = c.IsAborted();
    view.weights = c.old_status.core.weights;
    std::vector<ScaleAction> actions = NextCanaryScaleActions(c.spec, view, c.sets, c.now);
    std::optional<int32_t> abort_delay = s.AbortScaleDownDelaySeconds();
    int32_t canary = c.new_rs ? c.new_rs->spec_replicas : 0;
    int32_t stable = c.stable_rs ? c.stable_rs->spec_replicas : 0;
    for (const ScaleAction& a : actions) {
      bool is_new = c.new_rs && a.replica_set == c.new_rs->name;
      if (a.kind == ScaleAction::Kind::kSetScaleDownDeadline) {
        SetScaleDownDeadline(c, a.replica_set, a.deadline);
        continue;
      }
      // An aborted canary behind a router stays up until the stable is whole, then waits
      // abortScaleDownDelaySeconds (0 explicitly: stays up).
      if (is_new && view.abort && s.traffic_routing && a.replicas < c.new_rs->spec_replicas) {
        if (!abort_delay) continue;
        if (*abort_delay > 0) {
          if (!c.stable_rs || c.stable_rs->available < c.spec.replicas) continue;
          if (!c.new_rs->scale_down_deadline) {
            SetScaleDownDeadline(c, a.replica_set, c.now + SimDuration::Seconds(*abort_delay));
            continue;
          }
          if (*c.new_rs->scale_down_deadline > c.now) continue;
        }
      }
      ScaleReplicaSet(c, a.replica_set, a.replicas);
      if (is_new) canary = a.replicas;
      if (c.stable_rs && a.replica_set == c.stable_rs->name) stable = a.replicas;
    }
    if (c.scaled) {
      int32_t weight = !StableExists(c.sets)                 ? s.max_traffic_weight
                       : s.traffic_routing && n.core.weights ? n.core.weights->canary
                                                             : CurrentSetWeight(c.spec, view);
      c.events.emplace_back(
          "RolloutScaled",
          fmt::format("canary={} stable={} weight={}", canary,
                      c.stable_rs && c.stable_rs->name != c.new_rs->name ? stable : 0, weight));
      SyncCanaryStatus(c);
      return;
    }
  }
  ReconcileCanaryPause(c);
  SyncCanaryStatus(c);
}

// The router's weight: 0 while aborted or once fully promoted; else the current setWeight (all
// of maxTrafficWeight after the last step or with promote --full), raised only once the canary
// has the available pods for it.
void RolloutController::ReconcileTrafficWeights(Context& c) {
  WorkStatus& n = c.status;
  if (!c.spec.strategy.traffic_routing) {
    n.core.weights.reset();
    return;
  }
  TrafficWeights w = c.old_status.core.weights.value_or(TrafficWeights{});
  const int32_t max = c.spec.strategy.max_traffic_weight;
  int32_t desired = 0;
  if (!c.IsAborted() && c.stable_rs && c.old_status.core.stable_rs != c.hash) {
    RolloutStatus view = n.core;
    desired = n.core.promote_full ? max : CurrentSetWeight(c.spec, view);
    if (desired > w.canary) {
      CanaryStableCounts need = TrafficRoutedCanaryCounts(c.spec, view, c.sets, w);
      int32_t for_weight =
          static_cast<int32_t>((static_cast<int64_t>(c.spec.replicas) * desired + max - 1) / max);
      int32_t required = std::min(need.canary, for_weight);
      if (!c.new_rs || c.new_rs->available < required) desired = w.canary;
    }
  }
  n.core.weights = TrafficWeights{desired, max - desired, std::nullopt};
}

void RolloutController::ReconcileCanaryPause(Context& c) {
  if (c.spec.paused || c.old_status.core.promote_full) return;
  RolloutStatus view = c.OldCore();
  view.current_step_index = c.status.core.current_step_index;
  const CanaryStep* step = CurrentStep(c.spec, view);
  if (step == nullptr || step->kind != StepKind::kPause) return;
  if (FindPauseCondition(view, kPauseReasonCanaryPauseStep) == nullptr) {
    if (!view.controller_pause) c.add_pause.emplace_back(kPauseReasonCanaryPauseStep);
    return;
  }
  if (std::optional<SimTime> deadline = PauseStepDeadline(*step, view)) WakeAt(c.key, *deadline);
}

void RolloutController::PromoteStable(Context& c, const std::string& reason) {
  WorkStatus& n = c.status;
  c.clear_pause = true;
  c.remove_abort = true;
  n.core.promote_full = false;
  n.scale_up_preview_check_point = false;
  if (c.spec.canary) {
    int32_t steps = static_cast<int32_t>(c.spec.strategy.steps.size());
    n.core.current_step_index = steps > 0 ? std::optional<int32_t>(steps) : std::nullopt;
  }
  if (n.core.stable_rs != n.core.current_pod_hash) {
    n.core.stable_rs = n.core.current_pod_hash;
    c.events.emplace_back("RolloutCompleted", fmt::format("revision {}: {}", c.revision, reason));
  }
}

void RolloutController::SyncCanaryStatus(Context& c) {
  WorkStatus& n = c.status;
  const int32_t step_count = static_cast<int32_t>(c.spec.strategy.steps.size());
  // shouldFullPromote.
  std::string reason;
  if (!c.stable_rs) {
    reason = "Initial deploy";
  } else if (!c.IsAborted() && c.new_rs && (c.new_rs->available >= c.spec.replicas)) {
    int32_t index = n.core.current_step_index.value_or(0);
    if (c.old_status.core.promote_full) {
      reason = "Full promotion requested";
    } else if (c.old_status.core.stable_rs == c.hash) {
      reason = "Fast rollback";
    } else if (step_count == 0 || index == step_count) {
      reason = fmt::format("Completed all {} canary steps", step_count);
    }
  }
  if (!reason.empty()) {
    PromoteStable(c, reason);
    n.core.weights = c.spec.strategy.traffic_routing
                         ? std::optional<TrafficWeights>(
                               TrafficWeights{0, c.spec.strategy.max_traffic_weight, {}})
                         : std::nullopt;
    TerminateRuns(c, {});
    Persist(c);
    return;
  }
  if (c.IsAborted()) {
    if (step_count > 0) {
      n.core.current_step_index = n.core.stable_rs == n.core.current_pod_hash ? step_count : 0;
    }
    Persist(c);
    return;
  }
  RolloutStatus view = c.OldCore();
  view.current_step_index = n.core.current_step_index;
  view.abort = false;
  StepObservations observed;
  observed.sets = &c.sets;
  observed.weights = n.core.weights;
  if (!c.step_run_phase.empty()) observed.step_analysis = ParsePhase(c.step_run_phase);
  observed.now = c.now;
  if (CurrentStepCompleted(c.spec, view, observed)) {
    n.core.current_step_index = view.current_step_index.value_or(0) + 1;
    n.step_run = {};
    c.remove_pause.emplace_back(kPauseReasonCanaryPauseStep);
  }
  Persist(c);
}

}  // namespace fleetsim::rollouts
