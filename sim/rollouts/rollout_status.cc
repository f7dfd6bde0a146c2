// The Rollout status document (pkg/apis/rollouts/v1alpha1 RolloutStatus json tags), conditions
// (utils/conditions/conditions.go SetRolloutCondition, RolloutProgressing) and the blueGreen
// strategy fields.
#include <functional>

#include "sim/cluster/json_fields.h"
#include "sim/rollouts/rollout_context.h"

namespace fleetsim::rollouts {
namespace {

RunStatus RunFrom(const Json& j) {
  return {StringAt(j, {"name"}), StringAt(j, {"status"}), StringAt(j, {"message"})};
}

void PutRun(Json& parent, const char* field, const RunStatus& run) {
  if (run.name.empty()) return;
  Json r = {{"name", run.name}, {"status", run.status}};
  if (!run.message.empty()) r["message"] = run.message;
  parent[field] = std::move(r);
}

int32_t Int32At(const Json& j, JsonPath path) { return static_cast<int32_t>(IntAt(j, path, 0)); }

}  // namespace

WorkStatus WorkStatus::FromJson(const Json& s, const TimeParser& parse) {
  WorkStatus w;
  if (!s.is_object()) return w;
  RolloutStatus& c = w.core;
  if (auto i = IntAt(s, {"currentStepIndex"})) c.current_step_index = static_cast<int32_t>(*i);
  for (const Json& p : JsonAt(s, {"pauseConditions"})) {
    c.pause_conditions.push_back({StringAt(p, {"reason"}), parse(StringAt(p, {"startTime"}))});
  }
  c.controller_pause = BoolAt(s, {"controllerPause"});
  c.abort = BoolAt(s, {"abort"});
  c.promote_full = BoolAt(s, {"promoteFull"});
  c.stable_rs = StringAt(s, {"stableRS"});
  c.current_pod_hash = StringAt(s, {"currentPodHash"});
  c.replicas = Int32At(s, {"replicas"});
  c.updated_replicas = Int32At(s, {"updatedReplicas"});
  c.available_replicas = Int32At(s, {"availableReplicas"});
  const Json& weights = JsonAt(s, {"canary", "weights"});
  if (weights.is_object()) {
    TrafficWeights tw;
    tw.canary = Int32At(weights, {"canary", "weight"});
    tw.stable = Int32At(weights, {"stable", "weight"});
    c.weights = tw;
  }
  w.ready_replicas = Int32At(s, {"readyReplicas"});
  w.step_hash = StringAt(s, {"currentStepHash"});
  w.aborted_at = StringAt(s, {"abortedAt"});
  w.step_run = RunFrom(JsonAt(s, {"canary", "currentStepAnalysisRunStatus"}));
  w.background_run = RunFrom(JsonAt(s, {"canary", "currentBackgroundAnalysisRunStatus"}));
  w.pre_run = RunFrom(JsonAt(s, {"blueGreen", "prePromotionAnalysisRunStatus"}));
  w.post_run = RunFrom(JsonAt(s, {"blueGreen", "postPromotionAnalysisRunStatus"}));
  w.active_selector = StringAt(s, {"blueGreen", "activeSelector"});
  w.preview_selector = StringAt(s, {"blueGreen", "previewSelector"});
  w.scale_up_preview_check_point = BoolAt(s, {"blueGreen", "scaleUpPreviewCheckPoint"});
  if (JsonAt(s, {"conditions"}).is_array()) w.conditions = s["conditions"];
  w.phase = StringAt(s, {"phase"});
  w.message = StringAt(s, {"message"});
  w.observed_generation = StringAt(s, {"observedGeneration"});
  w.selector = StringAt(s, {"selector"});
  return w;
}

Json WorkStatus::ToJson(bool canary, const std::string& canary_service,
                        const std::string& stable_service, const TimeStamper& stamp) const {
  const RolloutStatus& c = core;
  Json s = Json::object();
  if (c.abort) s["abort"] = true;
  if (!aborted_at.empty()) s["abortedAt"] = aborted_at;
  if (c.controller_pause) s["controllerPause"] = true;
  if (c.promote_full) s["promoteFull"] = true;
  if (!c.current_pod_hash.empty()) s["currentPodHash"] = c.current_pod_hash;
  if (!step_hash.empty()) s["currentStepHash"] = step_hash;
  if (c.current_step_index) s["currentStepIndex"] = *c.current_step_index;
  if (!c.stable_rs.empty()) s["stableRS"] = c.stable_rs;
  s["replicas"] = c.replicas;
  s["updatedReplicas"] = c.updated_replicas;
  s["readyReplicas"] = ready_replicas;
  s["availableReplicas"] = c.available_replicas;
  if (!conditions.empty()) s["conditions"] = conditions;
  if (!phase.empty()) s["phase"] = phase;
  if (!message.empty()) s["message"] = message;
  s["observedGeneration"] = observed_generation;
  if (!selector.empty()) s["selector"] = selector;
  Json pauses = Json::array();
  for (const PauseCondition& p : c.pause_conditions) {
    pauses.push_back({{"reason", p.reason}, {"startTime", stamp(p.start_time)}});
  }
  if (!pauses.empty()) s["pauseConditions"] = pauses;
  Json can = Json::object();
  if (canary) {
    PutRun(can, "currentStepAnalysisRunStatus", step_run);
    PutRun(can, "currentBackgroundAnalysisRunStatus", background_run);
    if (c.weights) {
      can["weights"] = {{"canary",
                         {{"podTemplateHash", c.current_pod_hash},
                          {"serviceName", canary_service},
                          {"weight", c.weights->canary}}},
                        {"stable",
                         {{"podTemplateHash", c.stable_rs},
                          {"serviceName", stable_service},
                          {"weight", c.weights->stable}}}};
    }
  }
  s["canary"] = can;
  Json bg = Json::object();
  if (!canary) {
    if (!active_selector.empty()) bg["activeSelector"] = active_selector;
    if (!preview_selector.empty()) bg["previewSelector"] = preview_selector;
    if (scale_up_preview_check_point) bg["scaleUpPreviewCheckPoint"] = true;
    PutRun(bg, "prePromotionAnalysisRunStatus", pre_run);
    PutRun(bg, "postPromotionAnalysisRunStatus", post_run);
  }
  s["blueGreen"] = bg;
  return s;
}

const Json* FindConditionJson(const Json& conditions, std::string_view type) {
  if (!conditions.is_array()) return nullptr;
  for (const Json& c : conditions) {
    if (StringAt(c, {"type"}) == type) return &c;
  }
  return nullptr;
}

void RemoveConditionJson(Json& conditions, std::string_view type) {
  Json out = Json::array();
  for (const Json& c : conditions) {
    if (StringAt(c, {"type"}) != type) out.push_back(c);
  }
  conditions = std::move(out);
}

bool SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now) {
  const Json* current = FindConditionJson(conditions, type);
  std::string transition = now;
  if (current != nullptr) {
    if (StringAt(*current, {"status"}) == status && StringAt(*current, {"reason"}) == reason) {
      return false;
    }
    if (StringAt(*current, {"status"}) == status) {
      transition = StringAt(*current, {"lastTransitionTime"});
    }
  }
  RemoveConditionJson(conditions, type);
  conditions.push_back({{"type", type},
                        {"status", status},
                        {"reason", reason},
                        {"message", message},
                        {"lastUpdateTime", now},
                        {"lastTransitionTime", transition}});
  return true;
}

std::vector<RolloutCondition> CoreConditions(const Json& conditions, const TimeParser& parse) {
  std::vector<RolloutCondition> out;
  if (!conditions.is_array()) return out;
  for (const Json& c : conditions) {
    out.push_back({StringAt(c, {"type"}), StringAt(c, {"status"}), StringAt(c, {"reason"}),
                   StringAt(c, {"message"}), parse(StringAt(c, {"lastUpdateTime"}))});
  }
  return out;
}

bool MadeProgress(const RolloutSpec& spec, const WorkStatus& before, const WorkStatus& after,
                  bool blue_green) {
  const RolloutStatus& a = before.core;
  const RolloutStatus& b = after.core;
  if (blue_green) {
    if (before.active_selector != after.active_selector ||
        before.preview_selector != after.preview_selector) {
      return true;
    }
  } else if (a.current_step_index != b.current_step_index || a.stable_rs != b.stable_rs ||
             before.step_hash != after.step_hash) {
    return true;
  }
  (void)spec;
  return b.updated_replicas != a.updated_replicas ||
         b.replicas - b.updated_replicas < a.replicas - a.updated_replicas ||
         after.ready_replicas > before.ready_replicas ||
         b.available_replicas > a.available_replicas;
}

AnalysisPhase ParsePhase(std::string_view phase) {
  if (phase == "Running") return AnalysisPhase::kRunning;
  if (phase == "Successful") return AnalysisPhase::kSuccessful;
  if (phase == "Failed") return AnalysisPhase::kFailed;
  if (phase == "Error") return AnalysisPhase::kError;
  if (phase == "Inconclusive") return AnalysisPhase::kInconclusive;
  return AnalysisPhase::kPending;
}

BlueGreenSpec ParseBlueGreen(const Json& rollout) {
  BlueGreenSpec bg;
  const Json& s = JsonAt(rollout, {"spec", "strategy", "blueGreen"});
  if (!s.is_object()) return bg;
  bg.active_service = StringAt(s, {"activeService"});
  bg.preview_service = StringAt(s, {"previewService"});
  if (JsonAt(s, {"autoPromotionEnabled"}).is_boolean()) {
    bg.auto_promotion_enabled = s["autoPromotionEnabled"].get<bool>();
  }
  bg.auto_promotion_seconds = static_cast<int32_t>(IntAt(s, {"autoPromotionSeconds"}, 0));
  if (auto n = IntAt(s, {"previewReplicaCount"})) {
    bg.preview_replica_count = static_cast<int32_t>(*n);
  }
  if (auto n = IntAt(s, {"scaleDownDelaySeconds"})) {
    bg.scale_down_delay_seconds = static_cast<int32_t>(*n);
    bg.scale_down_delay_set = true;
  }
  if (auto n = IntAt(s, {"abortScaleDownDelaySeconds"})) {
    bg.abort_scale_down_delay_seconds = static_cast<int32_t>(*n);
  }
  bg.pre_promotion_analysis = JsonAt(s, {"prePromotionAnalysis"});
  bg.post_promotion_analysis = JsonAt(s, {"postPromotionAnalysis"});
  return bg;
}

}  // namespace fleetsim::rollouts
