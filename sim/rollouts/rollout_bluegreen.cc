// The blue-green strategy (rollout/bluegreen.go rolloutBlueGreen, reconcileBlueGreenPause,
// reconcileBlueGreenReplicaSets, scaleDownOldReplicaSetsForBlueGreen,
// syncRolloutStatusBlueGreen; rollout/service.go reconcileActiveService, reconcilePreviewService;
// rollout/pause.go CompletedBlueGreenPause; rollout/sync.go shouldFullPromote; reference 1.11).
#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/rollouts/rollout_context.h"

namespace fleetsim::rollouts {
namespace {

// NewRSNewReplicas: previewReplicaCount until promoted (the scale-up checkpoint, promote --full)
// or while the new version is the active one.
int32_t DesiredNew(const RolloutController::Context& c) {
  const WorkStatus& n = c.status;
  if (!c.bg.preview_replica_count || !c.stable_rs || c.old_status.core.stable_rs == c.hash ||
      n.scale_up_preview_check_point || c.old_status.core.promote_full ||
      n.active_selector == c.hash) {
    return c.spec.replicas;
  }
  return *c.bg.preview_replica_count;
}

// annotations.IsSaturated: the new RS has its desired count, all available.
bool Saturated(const RolloutController::Context& c) {
  int32_t desired = DesiredNew(c);
  return c.new_rs && c.new_rs->spec_replicas == desired && c.new_rs->available >= desired;
}

}  // namespace

// CompletedBlueGreenPause.
bool RolloutController::BlueGreenPauseDone(Context& c) {
  const RolloutStatus& old = c.old_status.core;
  const PauseCondition* cond = FindPauseCondition(old, kPauseReasonBlueGreenPause);
  if (c.HasAddPause()) return false;
  if (c.old_status.scale_up_preview_check_point) return true;
  if (c.bg.auto_promotion_enabled) {
    if (c.bg.auto_promotion_seconds == 0) return true;
    return cond != nullptr &&
           c.now >= cond->start_time + SimDuration::Seconds(c.bg.auto_promotion_seconds);
  }
  return old.controller_pause && cond == nullptr;
}

void RolloutController::ReconcileBlueGreen(Context& c) {
  WorkStatus& n = c.status;
  const RolloutStatus& old = c.old_status.core;
  n.core.current_pod_hash = c.hash;
  if (old.current_pod_hash != c.hash) {  // resetRolloutStatus
    c.clear_pause = true;
    c.remove_abort = true;
    n.core.promote_full = false;
    n.pre_run = n.post_run = {};
    n.scale_up_preview_check_point = false;
    TerminateRuns(c, {});
    SyncBlueGreenStatus(c);
    return;
  }
  if (!c.bg.preview_service.empty()) {
    PointService(c, c.bg.preview_service, c.hash);
    n.preview_selector = c.hash;
  }
  const bool aborted = c.IsAborted();
  const bool switched = n.active_selector == c.hash;
  if (aborted) {
    c.status.pre_run = c.status.post_run = {};
    TerminateRuns(c, {});
  }
  if (!aborted && !old.stable_rs.empty() && old.stable_rs != c.hash && !switched && Saturated(c)) {
    bool pre_done = true;
    if (c.bg.pre_promotion_analysis.is_object() && !old.promote_full) {
      std::optional<std::string> phase =
          CurrentRunPhase(c, "PrePromotion", 0, c.bg.pre_promotion_analysis, true);
      if (phase) ReactToRun(c, *phase, n.pre_run.message, "PrePromotion");
      pre_done = phase && *phase == "Successful";
    }
    // reconcileBlueGreenPause: pause once ready (unless auto-promoting at once).
    bool pausing = !c.bg.auto_promotion_enabled || c.bg.auto_promotion_seconds > 0;
    if (pre_done && pausing && !c.spec.paused && !old.promote_full &&
        !c.old_status.scale_up_preview_check_point && !c.IsAborted()) {
      const PauseCondition* cond = FindPauseCondition(old, kPauseReasonBlueGreenPause);
      if (cond != nullptr && c.bg.auto_promotion_enabled) {
        SimTime deadline = cond->start_time + SimDuration::Seconds(c.bg.auto_promotion_seconds);
        if (c.now >= deadline) {
          c.remove_pause.emplace_back(kPauseReasonBlueGreenPause);
        } else {
          WakeAt(c.key, deadline);
        }
      }
      if (cond == nullptr && !old.controller_pause) {
        c.add_pause.emplace_back(kPauseReasonBlueGreenPause);
      }
    }
    if (pre_done && !c.IsAborted() && !c.spec.paused &&
        (old.promote_full || BlueGreenPauseDone(c))) {
      if (DesiredNew(c) < c.spec.replicas) {
        n.scale_up_preview_check_point = true;  // full size first, then switch
      } else {
        n.active_selector = c.hash;
      }
    }
  }
  if (old.stable_rs.empty() || old.stable_rs == c.hash) {  // initial deploy or fast rollback
    if (Saturated(c)) n.active_selector = c.hash;
  }
  if (aborted && !old.stable_rs.empty()) n.active_selector = old.stable_rs;
  if (n.active_selector != c.old_status.active_selector && !n.active_selector.empty()) {
    // switchServiceSelector: the previously active ReplicaSet waits out scaleDownDelaySeconds,
    // unless post-promotion analysis decides first (no explicit delay).
    const ReplicaSetState* previous = c.FindState(c.old_status.active_selector);
    bool wait_for_post = c.bg.post_promotion_analysis.is_object() && !c.bg.scale_down_delay_set;
    if (previous != nullptr && previous->name != c.new_rs->name && !wait_for_post) {
      SetScaleDownDeadline(c, previous->name,
                           c.now + SimDuration::Seconds(c.bg.scale_down_delay_seconds));
    }
    c.events.emplace_back("RolloutServiceSwitched",
                          fmt::format("{} → {}", c.bg.active_service, n.active_selector));
  }
  PointService(c, c.bg.active_service, n.active_selector);

  if (!aborted && n.active_selector == c.hash && !old.stable_rs.empty() &&
      old.stable_rs != c.hash && c.bg.post_promotion_analysis.is_object() && !old.promote_full) {
    std::optional<std::string> phase =
        CurrentRunPhase(c, "PostPromotion", 0, c.bg.post_promotion_analysis, true);
    if (phase) ReactToRun(c, *phase, n.post_run.message, "PostPromotion");
    if (c.add_abort && !old.stable_rs.empty()) n.active_selector = old.stable_rs;
    PointService(c, c.bg.active_service, n.active_selector);
  }
  std::set<std::string> keep;
  if (!n.pre_run.name.empty()) keep.insert(n.pre_run.name);
  if (!n.post_run.name.empty()) keep.insert(n.post_run.name);
  if (!c.IsAborted()) TerminateRuns(c, keep);

  ScaleBlueGreen(c);
  SyncBlueGreenStatus(c);
}

void RolloutController::ScaleBlueGreen(Context& c) {
  const WorkStatus& n = c.status;
  const bool aborted = c.IsAborted();
  int32_t desired = DesiredNew(c);
  bool new_is_stable = c.old_status.core.stable_rs == c.hash;
  if (aborted && !new_is_stable && c.stable_rs) {
    // The preview ReplicaSet goes after abortScaleDownDelaySeconds (0: it stays).
    desired = c.new_rs->spec_replicas;
    int32_t delay = c.bg.abort_scale_down_delay_seconds;
    if (delay > 0 && !c.new_rs->scale_down_deadline) {
      SetScaleDownDeadline(c, c.new_rs->name, c.now + SimDuration::Seconds(delay));
    } else if (delay > 0 && *c.new_rs->scale_down_deadline <= c.now) {
      desired = 0;
    } else if (c.new_rs->scale_down_deadline) {
      WakeAt(c.key, *c.new_rs->scale_down_deadline);
    }
  }
  ScaleReplicaSet(c, c.new_rs->name, desired);
  if (c.stable_rs && c.stable_rs->name != c.new_rs->name &&
      c.stable_rs->spec_replicas != c.spec.replicas && !new_is_stable) {
    ScaleReplicaSet(c, c.stable_rs->name, c.spec.replicas);
  }
  // scaleDownOldReplicaSetsForBlueGreen: the active one and the stable stay; the others go when
  // their deadline has passed (at once without one, after promotion).
  for (const ReplicaSetState& rs : c.states) {
    if (rs.name == c.new_rs->name || rs.spec_replicas == 0) continue;
    const std::string& h = c.hash_of.at(rs.name);
    if (h == n.active_selector || (h == c.old_status.core.stable_rs && !new_is_stable)) continue;
    if (rs.scale_down_deadline && *rs.scale_down_deadline > c.now) {
      WakeAt(c.key, *rs.scale_down_deadline);
      continue;
    }
    if (!rs.scale_down_deadline && h == c.old_status.active_selector) {
      SetScaleDownDeadline(c, rs.name, c.now + SimDuration::Seconds(c.bg.scale_down_delay_seconds));
      continue;
    }
    ScaleReplicaSet(c, rs.name, 0);
  }
  if (c.scaled) {
    const ReplicaSetState* stable = c.stable_rs && !new_is_stable ? &*c.stable_rs : nullptr;
    c.events.emplace_back(
        "RolloutScaled",
        fmt::format("canary={} stable={} weight={}", desired, stable ? stable->spec_replicas : 0,
                    n.active_selector == c.hash && stable ? 100 : 0));
  }
}

void RolloutController::SyncBlueGreenStatus(Context& c) {
  WorkStatus& n = c.status;
  RolloutStatus& s = n.core;
  s.current_step_index.reset();
  s.weights.reset();
  s.replicas = c.status.ready_replicas = 0;
  for (const ReplicaSetState& rs : c.states) {
    s.replicas += rs.replicas;
    c.status.ready_replicas +=
        static_cast<int32_t>(IntAt(c.rs_live.at(rs.name).status(), {"readyReplicas"}, 0));
  }
  s.updated_replicas = c.new_rs ? c.new_rs->replicas : 0;
  const ReplicaSetState* active = c.FindState(n.active_selector);
  s.available_replicas = active ? active->available : 0;

  std::string reason;
  const RolloutStatus& old = c.old_status.core;
  if (old.stable_rs.empty()) {
    reason = "Initial deploy";
  } else if (n.active_selector == c.hash) {
    if (old.promote_full) {
      reason = "Full promotion requested";
    } else if (old.stable_rs == c.hash) {
      reason = "Fast rollback";
    } else if (!c.IsAborted() &&
               (!c.bg.post_promotion_analysis.is_object() || n.post_run.status == "Successful")) {
      reason = "Completed blue-green update";
    }
  }
  if (!reason.empty()) PromoteStable(c, reason);
  Persist(c);
}

}  // namespace fleetsim::rollouts
