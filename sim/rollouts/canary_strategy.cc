#include "sim/rollouts/canary_strategy.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>

#include <fmt/format.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

constexpr std::string_view kStepKeys[] = {"setWeight",      "pause",      "analysis",
                                          "setCanaryScale", "experiment", "setHeaderRoute",
                                          "setMirrorRoute", "plugin"};
constexpr StepKind kStepKinds[] = {StepKind::kSetWeight,      StepKind::kPause,
                                   StepKind::kAnalysis,       StepKind::kSetCanaryScale,
                                   StepKind::kExperiment,     StepKind::kSetHeaderRoute,
                                   StepKind::kSetMirrorRoute, StepKind::kPlugin};

Status FieldTypeError(std::string_view path, std::string_view expected, const json& got) {
  return Status::Error(fmt::format("{}: expected {}, got {}", path, expected, got.dump()));
}

bool ParseInt64(std::string_view text, int64_t* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

// Reads an optional int32 member; absent or null leaves `out` untouched.
Status ReadInt(const json& obj, std::string_view key, std::string_view path,
               std::optional<int32_t>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  std::string field = fmt::format("{}.{}", path, key);
  if (!it->is_number_integer()) return FieldTypeError(field, "an integer", *it);
  int64_t v = it->get<int64_t>();
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return FieldTypeError(field, "a 32-bit integer", *it);
  }
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status ReadInt(const json& obj, std::string_view key, std::string_view path, int32_t* out) {
  std::optional<int32_t> v;
  if (Status s = ReadInt(obj, key, path, &v); !s.ok()) return s;
  if (v) *out = *v;
  return Status::Ok();
}

Status ReadBool(const json& obj, std::string_view key, std::string_view path, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_boolean()) return FieldTypeError(fmt::format("{}.{}", path, key), "a bool", *it);
  *out = it->get<bool>();
  return Status::Ok();
}

Status ReadString(const json& obj, std::string_view key, std::string_view path, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return FieldTypeError(fmt::format("{}.{}", path, key), "a string", *it);
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadIntOrPercent(const json& obj, std::string_view key, std::string_view path,
                        IntOrPercent* out, bool* set) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  Result<IntOrPercent> v = IntOrPercent::FromJson(*it);
  if (!v.ok()) return Status::Error(fmt::format("{}.{}: {}", path, key, v.error()));
  *out = *v;
  if (set != nullptr) *set = true;
  return Status::Ok();
}

// RolloutPause.DurationSeconds(): an int, a string of an int (seconds), or a Go duration
// truncated to whole seconds; -1 when the string parses as neither.
int64_t PauseSeconds(const json& duration) {
  if (duration.is_number_integer()) return duration.get<int64_t>();
  std::string text = duration.get<std::string>();
  int64_t seconds = 0;
  if (ParseInt64(text, &seconds)) return seconds;
  // Go's time.ParseDuration has no day unit; ParseDuration would accept one.
  if (text.find('d') != std::string::npos) return -1;
  Result<SimDuration> d = ParseDuration(text);
  if (!d.ok()) return -1;
  return d->whole_seconds();
}

Status ParsePause(const json& pause, const std::string& path, CanaryStep* step) {
  if (!pause.is_object()) return FieldTypeError(path, "an object", pause);
  auto it = pause.find("duration");
  if (it == pause.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer() && !it->is_string()) {
    return FieldTypeError(path + ".duration", "an integer or a duration string", *it);
  }
  step->pause_seconds = PauseSeconds(*it);
  if (step->pause_seconds >= 0) step->pause_duration = SimDuration::Seconds(step->pause_seconds);
  return Status::Ok();
}

Status ParseAnalysis(const json& analysis, const std::string& path, RolloutAnalysis* out) {
  if (!analysis.is_object()) return FieldTypeError(path, "an object", analysis);
  if (auto it = analysis.find("templates"); it != analysis.end() && !it->is_null()) {
    if (!it->is_array()) return FieldTypeError(path + ".templates", "a list", *it);
    for (size_t i = 0; i < it->size(); ++i) {
      const json& t = (*it)[i];
      std::string tpath = fmt::format("{}.templates[{}]", path, i);
      if (!t.is_object()) return FieldTypeError(tpath, "an object", t);
      AnalysisTemplateRef ref;
      if (Status s = ReadString(t, "templateName", tpath, &ref.template_name); !s.ok()) return s;
      if (Status s = ReadBool(t, "clusterScope", tpath, &ref.cluster_scope); !s.ok()) return s;
      out->templates.push_back(std::move(ref));
    }
  }
  if (auto it = analysis.find("args"); it != analysis.end() && !it->is_null()) {
    if (!it->is_array()) return FieldTypeError(path + ".args", "a list", *it);
    for (size_t i = 0; i < it->size(); ++i) {
      const json& a = (*it)[i];
      std::string apath = fmt::format("{}.args[{}]", path, i);
      if (!a.is_object()) return FieldTypeError(apath, "an object", a);
      RolloutAnalysisArg arg;
      if (Status s = ReadString(a, "name", apath, &arg.name); !s.ok()) return s;
      if (auto v = a.find("value"); v != a.end() && !v->is_null()) {
        if (!v->is_string()) return FieldTypeError(apath + ".value", "a string", *v);
        arg.value = v->get<std::string>();
      }
      if (auto v = a.find("valueFrom"); v != a.end()) arg.value_from = *v;
      out->args.push_back(std::move(arg));
    }
  }
  return ReadInt(analysis, "startingStep", path, &out->starting_step);
}

Status ParseSetCanaryScale(const json& scs, const std::string& path, SetCanaryScale* out) {
  if (!scs.is_object()) return FieldTypeError(path, "an object", scs);
  if (Status s = ReadInt(scs, "replicas", path, &out->replicas); !s.ok()) return s;
  if (Status s = ReadInt(scs, "weight", path, &out->weight); !s.ok()) return s;
  return ReadBool(scs, "matchTrafficWeight", path, &out->match_traffic_weight);
}

Status ParseCanary(const json& canary, RolloutSpec* spec) {
  const std::string path = "spec.strategy.canary";
  if (!canary.is_object()) return FieldTypeError(path, "an object", canary);
  CanaryStrategy& c = spec->strategy;
  if (auto it = canary.find("steps"); it != canary.end() && !it->is_null()) {
    if (!it->is_array()) return FieldTypeError(path + ".steps", "a list", *it);
    for (size_t i = 0; i < it->size(); ++i) {
      Result<CanaryStep> step = ParseCanaryStep((*it)[i], i);
      if (!step.ok()) return step.status();
      c.steps.push_back(std::move(step.value()));
    }
  }
  Status s = ReadIntOrPercent(canary, "maxSurge", path, &c.max_surge, &c.max_surge_set);
  if (s.ok()) {
    s = ReadIntOrPercent(canary, "maxUnavailable", path, &c.max_unavailable,
                         &c.max_unavailable_set);
  }
  if (s.ok()) s = ReadInt(canary, "scaleDownDelaySeconds", path, &c.scale_down_delay_seconds);
  if (s.ok()) {
    s = ReadInt(canary, "abortScaleDownDelaySeconds", path, &c.abort_scale_down_delay_seconds);
  }
  if (s.ok()) s = ReadBool(canary, "dynamicStableScale", path, &c.dynamic_stable_scale);
  if (s.ok()) s = ReadInt(canary, "minPodsPerReplicaSet", path, &c.min_pods_per_replica_set);
  if (s.ok()) s = ReadString(canary, "canaryService", path, &c.canary_service);
  if (s.ok()) s = ReadString(canary, "stableService", path, &c.stable_service);
  if (!s.ok()) return s;
  if (auto it = canary.find("replicaProgressThreshold"); it != canary.end() && !it->is_null()) {
    std::string tpath = path + ".replicaProgressThreshold";
    if (!it->is_object()) return FieldTypeError(tpath, "an object", *it);
    ReplicaProgressThreshold threshold;
    std::string type;
    if (Status t = ReadString(*it, "type", tpath, &type); !t.ok()) return t;
    if (type != "Percent" && type != "Pods") {
      return Status::Error(
          fmt::format("{}.type: expected Percent or Pods, got \"{}\"", tpath, type));
    }
    threshold.percent = type == "Percent";
    if (Status t = ReadInt(*it, "value", tpath, &threshold.value); !t.ok()) return t;
    c.replica_progress_threshold = threshold;
  }
  if (auto it = canary.find("trafficRouting"); it != canary.end() && !it->is_null()) {
    if (!it->is_object()) return FieldTypeError(path + ".trafficRouting", "an object", *it);
    c.traffic_routing = true;
    if (Status t =
            ReadInt(*it, "maxTrafficWeight", path + ".trafficRouting", &c.max_traffic_weight);
        !t.ok()) {
      return t;
    }
    if (c.max_traffic_weight <= 0) {
      return Status::Error(
          fmt::format("{}.trafficRouting.maxTrafficWeight: must be positive, got {}", path,
                      c.max_traffic_weight));
    }
  }
  if (auto it = canary.find("analysis"); it != canary.end() && !it->is_null()) {
    RolloutAnalysis analysis;
    if (Status t = ParseAnalysis(*it, path + ".analysis", &analysis); !t.ok()) return t;
    c.analysis = std::move(analysis);
  }
  return Status::Ok();
}

std::string IntOrStringGoSyntax(const IntOrPercent& v) {
  if (!v.percent)
    return fmt::format("intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}", v.value);
  return fmt::format("intstr.IntOrString{{Type:1, IntVal:0, StrVal:\"{}\"}}", v.text);
}

std::string Invalid(std::string_view path, std::string_view value, std::string_view detail) {
  return fmt::format("{}: Invalid value: {}: {}", path, value, detail);
}

// validation.go's per-step checks, in its order; empty when the step is valid.
std::string ValidateStep(const RolloutSpec& spec, const CanaryStep& step, size_t i) {
  std::string path = fmt::format("spec.strategy.steps[{}]", i);
  auto has = [&](std::string_view key) {
    return std::find(step.present.begin(), step.present.end(), key) != step.present.end();
  };
  int core = has("setWeight") + has("pause") + has("experiment") + has("analysis");
  if (core > 1) {
    return Invalid(path,
                   fmt::format("\"step.Experiment: {} step.Pause: {} step.SetWeight: {} "
                               "step.Analysis: {}\"",
                               has("experiment"), has("pause"), has("setWeight"), has("analysis")),
                   "Step must have one of the following set: experiment, setWeight, "
                   "setCanaryScale, plugin or pause");
  }
  if (step.present.empty()) {
    return Invalid(path,
                   "\"step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: "
                   "true step.SetCanaryScale: true step.SetHeaderRoute: true "
                   "step.SetMirrorRoute: true step.Plugin: true\"",
                   "Step must have one of the following set: experiment, setWeight, "
                   "setCanaryScale, plugin or pause");
  }
  int32_t max_weight = spec.strategy.max_traffic_weight;
  if (step.kind == StepKind::kSetWeight && (step.set_weight < 0 || step.set_weight > max_weight)) {
    return Invalid(path + ".setWeight", std::to_string(step.set_weight),
                   fmt::format("SetWeight needs to be between 0 and {}", max_weight));
  }
  if (step.kind == StepKind::kPause && step.pause_seconds < 0) {
    return Invalid(path + ".pause.duration", std::to_string(step.pause_seconds),
                   "Duration needs to be greater than 0");
  }
  if (step.kind == StepKind::kSetCanaryScale && !spec.strategy.traffic_routing) {
    return "spec.strategy.trafficRouting: Required value: SetCanaryScale requires TrafficRouting "
           "to be set";
  }
  return "";
}

std::string ValidateSpecFields(const RolloutSpec& spec) {
  auto nonnegative = [](std::string_view field, int64_t v) {
    return v < 0 ? Invalid(fmt::format("spec.{}", field), std::to_string(v),
                           "must be greater than or equal to 0")
                 : std::string();
  };
  for (std::string error :
       {nonnegative("replicas", spec.replicas),
        nonnegative("minReadySeconds", spec.min_ready_seconds),
        nonnegative("revisionHistoryLimit", spec.revision_history_limit),
        nonnegative("progressDeadlineSeconds", spec.progress_deadline_seconds)}) {
    if (!error.empty()) return error;
  }
  if (spec.progress_deadline_seconds <= spec.min_ready_seconds) {
    return Invalid("spec.progressDeadlineSeconds", std::to_string(spec.progress_deadline_seconds),
                   "must be greater than minReadySeconds");
  }
  if (!spec.canary && !spec.blue_green) {
    return "spec.strategy: Required value: Rollout has missing field '.spec.strategy.canary or "
           ".spec.strategy.blueGreen'";
  }
  if (spec.canary && spec.blue_green) {
    return Invalid("spec.strategy", "\"blueGreen: true canary: true\"",
                   "Multiple Strategies can not be listed");
  }
  return "";
}

std::string ValidateCanary(const RolloutSpec& spec) {
  const CanaryStrategy& c = spec.strategy;
  if (c.max_surge.value == 0 && c.max_unavailable.value == 0) {
    return Invalid("spec.strategy.maxSurge", IntOrStringGoSyntax(c.max_surge),
                   "MaxSurge and MaxUnavailable both can not be zero");
  }
  if (!c.canary_service.empty() && c.canary_service == c.stable_service) {
    return Invalid("spec.strategy.stableService", fmt::format("\"{}\"", c.stable_service),
                   "This rollout uses the same service for the stable and canary services, but "
                   "two different services are required.");
  }
  if (!c.traffic_routing && c.scale_down_delay_seconds) {
    return Invalid("spec.strategy.scaleDownDelaySeconds",
                   std::to_string(*c.scale_down_delay_seconds),
                   "Canary scaleDownDelaySeconds can only be used with traffic routing");
  }
  if (!c.traffic_routing && c.dynamic_stable_scale) {
    return Invalid("spec.strategy.dynamicStableScale", "true",
                   "Canary dynamicStableScale can only be used with traffic routing");
  }
  if (c.traffic_routing && c.scale_down_delay_seconds && c.dynamic_stable_scale) {
    return Invalid("spec.strategy.dynamicStableScale", "true",
                   "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds");
  }
  for (size_t i = 0; i < c.steps.size(); ++i) {
    std::string error = ValidateStep(spec, c.steps[i], i);
    if (!error.empty()) return error;
  }
  return "";
}

}  // namespace

std::string_view StepKindName(StepKind kind) {
  for (size_t i = 0; i < std::size(kStepKinds); ++i) {
    if (kStepKinds[i] == kind) return kStepKeys[i];
  }
  return "unknown";
}

Result<IntOrPercent> IntOrPercent::FromJson(const json& value) {
  if (value.is_number_integer()) {
    int64_t v = value.get<int64_t>();
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
      return Status::Error(fmt::format("integer {} out of range", v));
    }
    return IntOrPercent::Int(static_cast<int32_t>(v));
  }
  if (!value.is_string()) {
    return Status::Error(fmt::format("expected an int or a percentage, got {}", value.dump()));
  }
  std::string text = value.get<std::string>();
  std::string_view digits = text;
  if (!digits.empty() && digits.back() == '%') digits.remove_suffix(1);
  int64_t v = 0;
  if (!ParseInt64(digits, &v) || v < 0 || v > std::numeric_limits<int32_t>::max()) {
    return Status::Error(fmt::format("invalid value for IntOrString: invalid value \"{}\"", text));
  }
  return IntOrPercent{static_cast<int32_t>(v), true, text};
}

int32_t CanaryStrategy::ScaleDownDelaySeconds() const {
  if (!traffic_routing) return 0;
  return scale_down_delay_seconds.value_or(30);
}

std::optional<int32_t> CanaryStrategy::AbortScaleDownDelaySeconds() const {
  if (!traffic_routing) return 0;
  if (!abort_scale_down_delay_seconds) return 30;
  if (*abort_scale_down_delay_seconds == 0) return std::nullopt;
  return abort_scale_down_delay_seconds;
}

bool CanaryStrategy::HasExplicitAbortScaleDownDelay() const {
  return traffic_routing && abort_scale_down_delay_seconds && *abort_scale_down_delay_seconds != 0;
}

Result<CanaryStep> ParseCanaryStep(const json& step, size_t index) {
  std::string path = fmt::format("spec.strategy.canary.steps[{}]", index);
  if (!step.is_object()) return FieldTypeError(path, "an object", step);
  CanaryStep out;
  for (const auto& [key, value] : step.items()) {
    auto known = std::find(std::begin(kStepKeys), std::end(kStepKeys), key);
    if (known == std::end(kStepKeys)) {
      return Status::Error(fmt::format("{}: unknown step kind \"{}\"", path, key));
    }
    if (value.is_null()) continue;
    out.present.push_back(key);
  }
  // A step with several kinds is kept (validation reports it); the first in kStepKeys order wins.
  for (size_t k = 0; k < std::size(kStepKeys); ++k) {
    auto it = step.find(kStepKeys[k]);
    if (it == step.end() || it->is_null()) continue;
    out.kind = kStepKinds[k];
    std::string field = fmt::format("{}.{}", path, kStepKeys[k]);
    Status s;
    switch (out.kind) {
      case StepKind::kSetWeight: {
        std::optional<int32_t> weight;
        s = ReadInt(step, "setWeight", path, &weight);
        out.set_weight = weight.value_or(0);
        break;
      }
      case StepKind::kPause:
        s = ParsePause(*it, field, &out);
        break;
      case StepKind::kAnalysis:
        s = ParseAnalysis(*it, field, &out.analysis);
        break;
      case StepKind::kSetCanaryScale:
        s = ParseSetCanaryScale(*it, field, &out.set_canary_scale);
        break;
      default:
        if (!it->is_object()) s = FieldTypeError(field, "an object", *it);
        out.body = *it;
        break;
    }
    if (!s.ok()) return s;
    break;
  }
  return out;
}

Result<RolloutSpec> ParseRollout(const json& rollout) {
  if (!rollout.is_object()) return FieldTypeError("rollout", "an object", rollout);
  RolloutSpec spec;
  if (auto meta = rollout.find("metadata"); meta != rollout.end() && meta->is_object()) {
    if (Status s = ReadString(*meta, "name", "metadata", &spec.name); !s.ok()) return s;
  }
  const json& body = rollout.contains("spec") ? rollout["spec"] : rollout;
  if (!body.is_object()) return FieldTypeError("spec", "an object", body);
  Status s = ReadInt(body, "replicas", "spec", &spec.replicas);
  if (s.ok()) s = ReadInt(body, "revisionHistoryLimit", "spec", &spec.revision_history_limit);
  if (s.ok()) s = ReadInt(body, "minReadySeconds", "spec", &spec.min_ready_seconds);
  if (s.ok()) s = ReadInt(body, "progressDeadlineSeconds", "spec", &spec.progress_deadline_seconds);
  if (s.ok()) s = ReadBool(body, "progressDeadlineAbort", "spec", &spec.progress_deadline_abort);
  if (s.ok()) s = ReadBool(body, "paused", "spec", &spec.paused);
  if (!s.ok()) return s;
  auto strategy = body.find("strategy");
  if (strategy == body.end() || strategy->is_null()) return spec;
  if (!strategy->is_object()) return FieldTypeError("spec.strategy", "an object", *strategy);
  auto bg = strategy->find("blueGreen");
  spec.blue_green = bg != strategy->end() && !bg->is_null();
  auto canary = strategy->find("canary");
  if (canary == strategy->end() || canary->is_null()) return spec;
  spec.canary = true;
  if (Status c = ParseCanary(*canary, &spec); !c.ok()) return c;
  return spec;
}

Status ValidateRollout(const RolloutSpec& spec) {
  std::string error = ValidateSpecFields(spec);
  if (error.empty() && spec.canary) error = ValidateCanary(spec);
  return error.empty() ? Status::Ok() : Status::Error(error);
}

std::string InvalidSpecMessage(std::string_view rollout_name, std::string_view error) {
  return fmt::format("The Rollout \"{}\" is invalid: {}", rollout_name, error);
}

}  // namespace fleetsim::rollouts
