#include "sim/rollouts/canary_steps.h"

#include <fmt/format.h>

namespace fleetsim::rollouts {
namespace {

const RolloutCondition* FindCondition(const RolloutStatus& status, std::string_view type) {
  for (const RolloutCondition& c : status.conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

}  // namespace

bool IsFullyPromoted(const RolloutStatus& status) {
  return status.stable_rs == status.current_pod_hash;
}

const CanaryStep* CurrentStep(const RolloutSpec& spec, const RolloutStatus& status,
                              int32_t* index) {
  const std::vector<CanaryStep>& steps = spec.strategy.steps;
  if (steps.empty()) return nullptr;
  int32_t i = status.current_step_index.value_or(0);
  if (index != nullptr) *index = i;
  if (i < 0 || static_cast<size_t>(i) >= steps.size()) return nullptr;
  return &steps[static_cast<size_t>(i)];
}

int32_t CurrentSetWeight(const RolloutSpec& spec, const RolloutStatus& status) {
  if (status.abort) return 0;
  int32_t index = 0;
  if (CurrentStep(spec, status, &index) == nullptr) return spec.strategy.max_traffic_weight;
  for (int32_t i = index; i >= 0; --i) {
    const CanaryStep& step = spec.strategy.steps[static_cast<size_t>(i)];
    if (step.kind == StepKind::kSetWeight) return step.set_weight;
  }
  return 0;
}

std::optional<SetCanaryScale> ActiveSetCanaryScale(const RolloutSpec& spec,
                                                   const RolloutStatus& status) {
  if (!spec.strategy.traffic_routing) return std::nullopt;
  if (status.abort && spec.strategy.AbortScaleDownDelaySeconds().has_value()) return std::nullopt;
  int32_t index = 0;
  if (CurrentStep(spec, status, &index) == nullptr) return std::nullopt;
  for (int32_t i = index; i >= 0; --i) {
    const CanaryStep& step = spec.strategy.steps[static_cast<size_t>(i)];
    if (step.kind != StepKind::kSetCanaryScale) continue;
    if (step.set_canary_scale.match_traffic_weight) return std::nullopt;
    return step.set_canary_scale;
  }
  return std::nullopt;
}

const PauseCondition* FindPauseCondition(const RolloutStatus& status, std::string_view reason) {
  for (const PauseCondition& p : status.pause_conditions) {
    if (p.reason == reason) return &p;
  }
  return nullptr;
}

std::optional<SimTime> PauseStepDeadline(const CanaryStep& step, const RolloutStatus& status) {
  const PauseCondition* pause = FindPauseCondition(status, kPauseReasonCanaryPauseStep);
  if (step.kind != StepKind::kPause || !step.pause_duration || pause == nullptr) {
    return std::nullopt;
  }
  return pause->start_time + *step.pause_duration;
}

bool PauseStepCompleted(const CanaryStep& step, const RolloutStatus& status, SimTime now) {
  if (status.controller_pause &&
      FindPauseCondition(status, kPauseReasonCanaryPauseStep) == nullptr) {
    return true;
  }
  std::optional<SimTime> deadline = PauseStepDeadline(step, status);
  return deadline && now >= *deadline;
}

bool IsIndefiniteStep(const RolloutSpec& spec, const RolloutStatus& status) {
  const CanaryStep* step = CurrentStep(spec, status);
  if (step != nullptr && (step->kind == StepKind::kExperiment ||
                          step->kind == StepKind::kAnalysis || step->kind == StepKind::kPause)) {
    return true;
  }
  const RolloutCondition* paused = FindCondition(status, kConditionPaused);
  return paused != nullptr && paused->status == "True";
}

bool RolloutTimedOut(const RolloutSpec& spec, const RolloutStatus& status, SimTime now) {
  const RolloutCondition* progressing = FindCondition(status, kConditionProgressing);
  if (progressing == nullptr || progressing->reason == kReasonRolloutAborted ||
      progressing->reason == kReasonRolloutPaused) {
    return false;
  }
  if (progressing->reason == kReasonProgressDeadlineExceeded) return true;
  SimTime deadline =
      progressing->last_update_time + SimDuration::Seconds(spec.progress_deadline_seconds);
  return deadline < now;
}

bool ProgressDeadlineApplies(const RolloutSpec& spec, const RolloutStatus& status, SimTime now) {
  return !status.abort && !IsIndefiniteStep(spec, status) && RolloutTimedOut(spec, status, now);
}

std::string_view RolloutPhaseName(RolloutPhase phase) {
  switch (phase) {
    case RolloutPhase::kHealthy:
      return "Healthy";
    case RolloutPhase::kProgressing:
      return "Progressing";
    case RolloutPhase::kPaused:
      return "Paused";
    case RolloutPhase::kDegraded:
      return "Degraded";
  }
  return "Unknown";
}

PhaseAndMessage CalculatePhase(const RolloutSpec& spec, const RolloutStatus& status) {
  for (const RolloutCondition& c : status.conditions) {
    if (c.type == kConditionInvalidSpec) {
      return {RolloutPhase::kDegraded, fmt::format("{}: {}", kConditionInvalidSpec, c.message)};
    }
    if (c.reason == kReasonRolloutAborted || c.reason == kReasonProgressDeadlineExceeded) {
      return {RolloutPhase::kDegraded, fmt::format("{}: {}", c.reason, c.message)};
    }
  }
  if (spec.paused) return {RolloutPhase::kPaused, "manually paused"};
  if (!status.pause_conditions.empty()) {
    return {RolloutPhase::kPaused, status.pause_conditions.front().reason};
  }
  if (status.restart_pending) return {RolloutPhase::kProgressing, "rollout is restarting"};
  if (status.updated_replicas < spec.replicas) {
    return {RolloutPhase::kProgressing, "more replicas need to be updated"};
  }
  if (status.available_replicas < status.updated_replicas) {
    return {RolloutPhase::kProgressing, "updated replicas are still becoming available"};
  }
  if (spec.canary) {
    if (!spec.strategy.traffic_routing && status.replicas > status.updated_replicas) {
      return {RolloutPhase::kProgressing, "old replicas are pending termination"};
    }
    if (status.stable_rs.empty() || !IsFullyPromoted(status)) {
      return {RolloutPhase::kProgressing, "waiting for all steps to complete"};
    }
  }
  return {RolloutPhase::kHealthy, ""};
}

PhaseAndMessage ClientPhase(const RolloutSpec& spec, const RolloutStatus& status) {
  if (!status.generation_observed) {
    return {RolloutPhase::kProgressing, "waiting for rollout spec update to be observed"};
  }
  if (status.controller_pause && status.pause_conditions.empty()) {
    return {RolloutPhase::kProgressing, "waiting for rollout to unpause"};
  }
  return CalculatePhase(spec, status);
}

}  // namespace fleetsim::rollouts
