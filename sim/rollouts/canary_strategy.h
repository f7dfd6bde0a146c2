// A Rollout's spec as the canary controller reads it: the top-level fields, the canary strategy
// and its steps, with the defaults of argo-rollouts utils/defaults/defaults.go (reference 1.1),
// and the controller's validation (pkg/apis/rollouts/validation/validation.go), whose first
// error becomes the InvalidSpec condition (reference 1.4, 1.10).
#ifndef FLEETSIM_SIM_ROLLOUTS_CANARY_STRATEGY_H_
#define FLEETSIM_SIM_ROLLOUTS_CANARY_STRATEGY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"

namespace fleetsim::rollouts {

// intstr.IntOrString as maxSurge/maxUnavailable hold it. Any string is a percentage, with or
// without '%': the controller resolves them with apimachinery's deprecated
// GetValueFromIntOrPercent (reference 5.1), so the default "25" means 25%.
struct IntOrPercent {
  int32_t value = 0;
  bool percent = false;  // given as a string
  std::string text;      // the string as written, for messages
  static IntOrPercent Int(int32_t v) { return {v, false, ""}; }
  static IntOrPercent Percent(int32_t v) { return {v, true, std::to_string(v) + "%"}; }
  // An int, or a string of an integer with an optional '%' suffix.
  static Result<IntOrPercent> FromJson(const Json& value);
};

// One entry of a Rollout's analysis `args` (value, or valueFrom kept as JSON).
struct RolloutAnalysisArg {
  std::string name;
  std::optional<std::string> value;
  Json value_from;  // null when absent
};

struct AnalysisTemplateRef {
  std::string template_name;
  bool cluster_scope = false;  // a ClusterAnalysisTemplate
};

// An analysis step, or the background `strategy.canary.analysis`.
struct RolloutAnalysis {
  std::vector<AnalysisTemplateRef> templates;
  std::vector<RolloutAnalysisArg> args;
  std::optional<int32_t> starting_step;  // background only
};

// canary.replicaProgressThreshold: {type: Percent|Pods, value}.
struct ReplicaProgressThreshold {
  bool percent = false;
  int32_t value = 0;
};

struct SetCanaryScale {
  std::optional<int32_t> replicas;
  std::optional<int32_t> weight;
  bool match_traffic_weight = false;
};

enum class StepKind {
  kSetWeight,
  kPause,
  kAnalysis,
  kSetCanaryScale,
  kExperiment,
  kSetHeaderRoute,
  kSetMirrorRoute,
  kPlugin,
};
std::string_view StepKindName(StepKind kind);

struct CanaryStep {
  StepKind kind = StepKind::kPause;
  int32_t set_weight = 0;                     // kSetWeight
  std::optional<SimDuration> pause_duration;  // kPause; nullopt = until promoted
  // kPause: RolloutPause.DurationSeconds(); -1 when the string does not parse (then invalid).
  int64_t pause_seconds = 0;
  RolloutAnalysis analysis;          // kAnalysis
  SetCanaryScale set_canary_scale;   // kSetCanaryScale
  Json body;                         // the step's object for kExperiment, routes and plugins
  std::vector<std::string> present;  // every step kind key the object holds (validation)
};

struct CanaryStrategy {
  std::vector<CanaryStep> steps;
  IntOrPercent max_surge = IntOrPercent::Percent(25);
  IntOrPercent max_unavailable = IntOrPercent::Percent(25);
  bool max_surge_set = false;
  bool max_unavailable_set = false;
  bool traffic_routing = false;      // spec.strategy.canary.trafficRouting is set
  int32_t max_traffic_weight = 100;  // trafficRouting.maxTrafficWeight
  std::optional<int32_t> scale_down_delay_seconds;
  std::optional<int32_t> abort_scale_down_delay_seconds;
  bool dynamic_stable_scale = false;
  std::optional<int32_t> min_pods_per_replica_set;
  std::optional<RolloutAnalysis> analysis;  // background analysis
  std::optional<ReplicaProgressThreshold> replica_progress_threshold;
  std::string canary_service;
  std::string stable_service;

  // 30 with trafficRouting unless set; not used by a basic canary (defaults.go).
  int32_t ScaleDownDelaySeconds() const;
  // GetAbortScaleDownDelaySecondsOrDefault: nullopt when explicitly 0 (never scale the canary
  // down); otherwise the explicit value, 30 with trafficRouting, 0 (at once) without.
  std::optional<int32_t> AbortScaleDownDelaySeconds() const;
  // HasExplicitAbortScaleDownDelay: set to a non-zero value.
  bool HasExplicitAbortScaleDownDelay() const;
};

struct RolloutSpec {
  std::string name;
  int32_t replicas = 1;
  int32_t revision_history_limit = 10;
  int32_t min_ready_seconds = 0;
  int32_t progress_deadline_seconds = 600;
  bool progress_deadline_abort = false;
  bool paused = false;
  bool canary = false;      // strategy.canary present
  bool blue_green = false;  // strategy.blueGreen present
  CanaryStrategy strategy;  // meaningful when canary
};

// Parse errors name the document's path (spec.strategy.canary.steps[i]); validation errors the
// path upstream's validation builds, which omits "canary" (spec.strategy.steps[i]).
//
// Parses a Rollout document (or just its spec: a JSON object without `spec` is taken as the
// spec). Errors name the field: a wrong type, a step that is not an object, a malformed
// intstr. Semantic problems are left to ValidateRollout.
Result<RolloutSpec> ParseRollout(const Json& rollout);

// Parses one step object. `index` is used in messages only.
Result<CanaryStep> ParseCanaryStep(const Json& step, size_t index);

// The controller's validation of a canary Rollout; the first error in upstream's order, as
// k8s field.Error text, e.g. `spec.strategy.canary.steps[0].setWeight: Invalid value: 110:
// SetWeight needs to be between 0 and 100`.
Status ValidateRollout(const RolloutSpec& spec);

// The InvalidSpec condition message for a validation error (rollout/controller.go
// createInvalidRolloutCondition): `The Rollout "<name>" is invalid: <error>`.
std::string InvalidSpecMessage(std::string_view rollout_name, std::string_view error);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_CANARY_STRATEGY_H_
