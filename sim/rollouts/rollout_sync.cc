// The status write of one reconcile (rollout/sync.go persistRolloutStatus): the progress-deadline
// abort, the pause and abort fields (rollout/pause.go CalculatePauseStatus), the conditions
// (checkPausedConditions, calculateRolloutConditions), the phase (rolloututil
// CalculateRolloutPhase), then the timeline events and the progress-deadline requeue.
#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/rollouts/rollout_context.h"

namespace fleetsim::rollouts {
namespace {

constexpr std::string_view kPausedMessage = "Rollout is paused";

bool Completed(const WorkStatus& s) {
  return !s.core.stable_rs.empty() && s.core.stable_rs == s.core.current_pod_hash;
}

// conditions.RolloutHealthy.
bool Healthy(const RolloutController::Context& c, const WorkStatus& s) {
  int32_t r = c.spec.replicas;
  bool completed = true;
  if (c.spec.blue_green) {
    completed = s.active_selector == s.core.current_pod_hash &&
                (c.bg.preview_service.empty() || s.preview_selector == s.core.current_pod_hash);
  } else {
    int32_t steps = static_cast<int32_t>(c.spec.strategy.steps.size());
    bool all_steps =
        steps == 0 || !s.core.current_step_index || *s.core.current_step_index == steps;
    completed = all_steps && Completed(s);
  }
  return s.core.updated_replicas == r && s.core.replicas == r && s.core.available_replicas == r &&
         completed;
}

// isWaitingForReplicaSetScaleDown: an old ReplicaSet still waits out its scale-down delay.
bool WaitingForScaleDown(const RolloutController::Context& c) {
  for (const ReplicaSetState& s : c.states) {
    if (c.new_rs && s.name == c.new_rs->name) continue;
    if (c.stable_rs && s.name == c.stable_rs->name) continue;
    if (s.spec_replicas > 0 && s.scale_down_deadline && *s.scale_down_deadline > c.now) return true;
  }
  return false;
}

std::string StepText(const CanaryStep& step) {
  switch (step.kind) {
    case StepKind::kSetWeight:
      return fmt::format("setWeight {}", step.set_weight);
    case StepKind::kPause:
      return step.pause_duration ? fmt::format("pause {}s", step.pause_seconds) : "pause";
    case StepKind::kSetCanaryScale:
      if (step.set_canary_scale.replicas) {
        return fmt::format("setCanaryScale replicas={}", *step.set_canary_scale.replicas);
      }
      if (step.set_canary_scale.weight) {
        return fmt::format("setCanaryScale weight={}", *step.set_canary_scale.weight);
      }
      return "setCanaryScale matchTrafficWeight";
    default:
      return std::string(StepKindName(step.kind));
  }
}

}  // namespace

void RolloutController::EvaluateProgressDeadlineAbort(Context& c) {
  if (!c.spec.progress_deadline_abort || c.IsAborted() || Completed(c.status)) return;
  if (MadeProgress(c.spec, c.old_status, c.status, c.spec.blue_green)) return;
  RolloutStatus old = c.OldCore();
  if ((c.spec.canary && IsIndefiniteStep(c.spec, old)) || WaitingForScaleDown(c)) return;
  if (!old.pause_conditions.empty() || c.spec.paused) return;
  if (!RolloutTimedOut(c.spec, old, c.now)) return;
  c.add_abort = true;
  c.abort_message = fmt::format("ReplicaSet \"{}\" has timed out progressing.",
                                c.new_rs ? c.new_rs->name : c.key.name);
}

void RolloutController::CalculateConditions(Context& c) {
  WorkStatus& n = c.status;
  std::string now = Stamp(c.now);
  bool aborted = n.core.abort;
  bool paused = !n.core.pause_conditions.empty() || c.spec.paused;

  // checkPausedConditions, from the status this reconcile started with.
  const Json* prog = FindConditionJson(c.old_status.conditions, kConditionProgressing);
  std::string prog_reason = prog ? StringAt(*prog, {"reason"}) : "";
  bool was_paused = !c.old_status.core.pause_conditions.empty() || c.spec.paused;
  bool abort_cond = prog_reason == kReasonRolloutAborted;
  if (c.old_status.observed_generation == std::to_string(c.live.generation)) {
    if (was_paused != (prog_reason == kReasonRolloutPaused) && !abort_cond &&
        !Completed(c.old_status)) {
      SetCondition(n.conditions, kConditionProgressing, "Unknown",
                   was_paused ? kReasonRolloutPaused : "RolloutResumed",
                   was_paused ? kPausedMessage : "Rollout is resumed", now);
    }
    if (!c.old_status.core.abort && abort_cond) {
      SetCondition(n.conditions, kConditionProgressing, "Unknown", "RolloutRetry",
                   "Retrying Rollout after abort", now);
    }
    const Json* pc = FindConditionJson(c.old_status.conditions, kConditionPaused);
    bool paused_true = pc != nullptr && StringAt(*pc, {"status"}) == "True";
    if (was_paused != paused_true && !abort_cond) {
      SetCondition(n.conditions, kConditionPaused, was_paused ? "True" : "False",
                   kReasonRolloutPaused, kPausedMessage, now);
    }
  }

  bool became_unhealthy = false;
  const bool healthy = Healthy(c, n);
  if (!paused && healthy) {
    SetCondition(n.conditions, "Healthy", "True", "RolloutHealthy", "Rollout is healthy", now);
  } else if (FindConditionJson(n.conditions, "Healthy") != nullptr) {
    became_unhealthy = SetCondition(n.conditions, "Healthy", "False", "RolloutHealthy",
                                    "Rollout is not healthy", now);
  }
  std::string rs_name = c.new_rs ? c.new_rs->name : "";
  if (aborted) {
    std::string message = fmt::format("Rollout aborted update to revision {}", c.revision);
    if (!c.abort_message.empty()) message += ": " + c.abort_message;
    if (SetCondition(n.conditions, kConditionProgressing, "False", kReasonRolloutAborted, message,
                     now)) {
      c.events.emplace_back("RolloutAborted", message);
    }
  } else if (healthy) {
    SetCondition(n.conditions, kConditionProgressing, "True", "NewReplicaSetAvailable",
                 fmt::format("ReplicaSet \"{}\" has successfully progressed.", rs_name), now);
  } else if (MadeProgress(c.spec, c.old_status, n, c.spec.blue_green) || became_unhealthy) {
    bool not_available = Completed(n) && became_unhealthy;
    const Json* cur = FindConditionJson(n.conditions, kConditionProgressing);
    std::string transition = now;
    if (cur != nullptr && StringAt(*cur, {"status"}) == "True") {
      transition = StringAt(*cur, {"lastTransitionTime"});
    }
    RemoveConditionJson(n.conditions, kConditionProgressing);
    n.conditions.push_back(
        {{"type", kConditionProgressing},
         {"status", "True"},
         {"reason", not_available ? "ReplicaSetNotAvailable" : kReasonReplicaSetUpdated},
         {"message", not_available ? "Rollout does not have minimum availability"
                                   : fmt::format("ReplicaSet \"{}\" is progressing.", rs_name)},
         {"lastUpdateTime", now},
         {"lastTransitionTime", transition}});
  } else {
    RolloutStatus probe = n.core;
    TimeParser parse = [this](const std::string& s) {
      return ParseTime(Json(s)).value_or(SimTime::Zero());
    };
    probe.conditions = CoreConditions(n.conditions, parse);
    bool indefinite = c.spec.canary && IsIndefiniteStep(c.spec, c.OldCore());
    if (!indefinite && !WaitingForScaleDown(c) && RolloutTimedOut(c.spec, probe, c.now)) {
      if (SetCondition(n.conditions, kConditionProgressing, "False",
                       kReasonProgressDeadlineExceeded,
                       fmt::format("ReplicaSet \"{}\" has timed out progressing.", rs_name), now)) {
        c.events.emplace_back("RolloutProgressDeadlineExceeded", rs_name);
      }
    }
  }

  bool available = false;
  if (c.spec.blue_green) {
    const ReplicaSetState* active = c.FindState(n.active_selector);
    available = active != nullptr && active->available >= c.spec.replicas &&
                active->spec_replicas == c.spec.replicas;
  } else {
    available = n.core.available_replicas >= c.spec.replicas;
  }
  SetCondition(
      n.conditions, "Available", available ? "True" : "False", "AvailableReason",
      available ? "Rollout has minimum availability" : "Rollout does not have minimum availability",
      now);
  SetCondition(n.conditions, "Completed", Completed(n) ? "True" : "False", "RolloutCompleted",
               "RolloutCompleted", now);
}

void RolloutController::Persist(Context& c) {
  WorkStatus& n = c.status;
  n.observed_generation = std::to_string(c.live.generation);
  EvaluateProgressDeadlineAbort(c);

  // CalculatePauseStatus.
  const RolloutStatus& old = c.old_status.core;
  if (c.IsAborted()) {
    n.core.abort = true;
    n.aborted_at = c.old_status.aborted_at.empty() ? Stamp(c.now) : c.old_status.aborted_at;
    n.core.pause_conditions.clear();
    n.core.controller_pause = false;
  } else {
    n.core.abort = false;
    n.aborted_at.clear();
    std::vector<PauseCondition> kept;
    bool controller_pause = old.controller_pause;
    if (!c.clear_pause) {
      for (const PauseCondition& p : old.pause_conditions) {
        if (std::find(c.remove_pause.begin(), c.remove_pause.end(), p.reason) ==
            c.remove_pause.end()) {
          kept.push_back(p);
        }
      }
      for (const std::string& reason : c.add_pause) {
        if (FindPauseCondition(old, reason) != nullptr) continue;
        kept.push_back({reason, c.now});
        controller_pause = true;
      }
    }
    n.core.pause_conditions = kept;
    n.core.controller_pause = !kept.empty() && controller_pause;
  }

  CalculateConditions(c);
  TimeParser parse = [this](const std::string& s) {
    return ParseTime(Json(s)).value_or(SimTime::Zero());
  };
  RolloutStatus phase_view = n.core;
  phase_view.conditions = CoreConditions(n.conditions, parse);
  PhaseAndMessage phase = CalculatePhase(c.spec, phase_view);
  if (c.spec.blue_green && phase.phase == RolloutPhase::kHealthy) {
    if (!n.active_selector.empty() && n.active_selector != n.core.current_pod_hash) {
      phase = {RolloutPhase::kProgressing, "active service cutover pending"};
    } else if (n.core.stable_rs.empty() || n.core.stable_rs != n.core.current_pod_hash) {
      phase = {RolloutPhase::kProgressing, "waiting for post-promotion verification to complete"};
    }
  }
  n.phase = std::string(RolloutPhaseName(phase.phase));
  n.message = phase.message;
  n.selector.clear();
  if (const Json& ml = JsonAt(c.live.doc(), {"spec", "selector", "matchLabels"}); ml.is_object()) {
    for (const auto& [k, v] : ml.items()) {
      if (!n.selector.empty()) n.selector += ",";
      n.selector += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
  TimeStamper stamp = [this](SimTime t) { return Stamp(t); };
  Json doc = n.ToJson(c.spec.canary, c.spec.strategy.canary_service, c.spec.strategy.stable_service,
                      stamp);
  if (doc != c.live.status()) store_.UpdateStatus(c.key, doc);
  EmitEvents(c);
  RequeueStuck(c);
}

void RolloutController::EmitEvents(const Context& c) {
  const RolloutStatus& a = c.old_status.core;
  const RolloutStatus& b = c.status.core;
  const auto& steps = c.spec.strategy.steps;
  if (c.spec.canary && !b.abort && b.current_step_index &&
      a.current_step_index != b.current_step_index && !(a.current_pod_hash.empty()) &&
      *b.current_step_index < static_cast<int32_t>(steps.size()) && !Completed(c.status)) {
    int32_t i = *b.current_step_index;
    sink_("RolloutStepStarted", c.key,
          fmt::format("step {}/{}: {}", i + 1, steps.size(),
                      StepText(steps[static_cast<size_t>(i)])));
  }
  for (const auto& [event, detail] : c.events) sink_(event, c.key, detail);
  if (a.pause_conditions.empty() && !b.pause_conditions.empty()) {
    sink_("RolloutPaused", c.key, b.pause_conditions.front().reason);
  }
  if (c.spec.paused && c.old_status.phase != "Paused" && c.status.phase == "Paused" &&
      b.pause_conditions.empty()) {
    sink_("RolloutPaused", c.key, "manually paused");
  }
}

// requeueStuckRollout: a rollout without progress is looked at again when its deadline passes.
void RolloutController::RequeueStuck(const Context& c) {
  const Json* prog = FindConditionJson(c.status.conditions, kConditionProgressing);
  if (prog == nullptr) return;
  std::string reason = StringAt(*prog, {"reason"});
  if (reason == kReasonProgressDeadlineExceeded || reason == "NewReplicaSetAvailable") return;
  if (!c.status.core.pause_conditions.empty() || c.spec.paused || c.status.core.abort) return;
  if (c.spec.canary && IsIndefiniteStep(c.spec, c.status.core)) return;
  std::optional<SimTime> updated = ParseTime(JsonAt(*prog, {"lastUpdateTime"}));
  if (!updated) return;
  WakeAt(c.key, *updated + SimDuration::Seconds(c.spec.progress_deadline_seconds + 1));
}

}  // namespace fleetsim::rollouts
