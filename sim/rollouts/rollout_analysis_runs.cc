// The AnalysisRuns a Rollout creates and reads (rollout/analysis.go reconcileAnalysisRuns,
// reconcileStepBasedAnalysisRun, reconcileBackgroundAnalysisRun, createAnalysisRun,
// newAnalysisRunFromRollout, cancelAnalysisRuns; utils/analysis/factory.go
// BuildArgumentsForRolloutAnalysisRun, StepLabels, BackgroundLabels, Pre/PostPromotionLabels;
// utils/analysis/helpers.go NewAnalysisRunFromTemplates, FlattenTemplates,
// CreateWithCollisionCounter).
//
// The contract with the AnalysisRun controller is the object: spec {metrics, args, dryRun,
// measurementRetention, terminate}, named <rollout>-<hash>-<revision>[-<step>|-pre|-post]
// (".N" on a name collision), labelled rollouts-pod-template-hash, rollout-type (Step,
// Background, PrePromotion, PostPromotion), step-index and the Rollout's selector labels,
// annotated with the revision, owned by the Rollout. It writes status.phase and status.message.
#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/rollouts/analysis_spec.h"
#include "sim/rollouts/canary_progress.h"
#include "sim/rollouts/rollout_context.h"

namespace fleetsim::rollouts {
namespace {

RunStatus& Slot(WorkStatus& s, const std::string& kind) {
  if (kind == "Step") return s.step_run;
  if (kind == "Background") return s.background_run;
  if (kind == "PrePromotion") return s.pre_run;
  return s.post_run;
}

// flattenArgs: the templates' args in order; a repeated name keeps the first value unless it had
// none.
void AppendArgs(const Json& args, Json& out) {
  if (!args.is_array()) return;
  for (const Json& a : args) {
    bool merged = false;
    for (Json& have : out) {
      if (StringAt(have, {"name"}) != StringAt(a, {"name"})) continue;
      merged = true;
      if (!have.contains("value") && !have.contains("valueFrom")) have = a;
    }
    if (!merged) out.push_back(a);
  }
}

void Append(const Json& list, Json& out) {
  if (!list.is_array()) return;
  for (const Json& x : list) out.push_back(x);
}

// BuildArgumentsForRolloutAnalysisRun: value, or valueFrom podTemplateHashValue / fieldRef.
std::string ArgValue(const Json& arg, const RolloutController::Context& c) {
  const Json& from = JsonAt(arg, {"valueFrom"});
  if (!from.is_object()) return StringAt(arg, {"value"});
  std::string which = StringAt(from, {"podTemplateHashValue"});
  if (which == "Latest") return c.hash;
  if (which == "Stable") return c.old_status.core.stable_rs;
  std::string path = StringAt(from, {"fieldRef", "fieldPath"});
  if (path == "metadata.name") return c.key.name;
  if (path == "metadata.namespace") return c.key.ns;
  for (const char* map : {"labels", "annotations"}) {
    std::string prefix = fmt::format("metadata.{}['", map);
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + 2) {
      std::string k = path.substr(prefix.size(), path.size() - prefix.size() - 2);
      return StringAt(c.live.doc(), {"metadata", map, k});
    }
  }
  if (path.rfind("spec.", 0) == 0) {
    const Json* node = &c.live.doc()["spec"];
    size_t pos = 5;
    while (node->is_object() && pos <= path.size()) {
      size_t dot = path.find('.', pos);
      std::string part = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
      if (!node->contains(part)) return "";
      node = &(*node)[part];
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    return node->is_string() ? node->get<std::string>() : node->dump();
  }
  return "";
}

std::vector<AnalysisArg> ToArgs(const Json& list) {
  std::vector<AnalysisArg> out;
  if (!list.is_array()) return out;
  for (const Json& a : list) {
    AnalysisArg arg;
    arg.name = StringAt(a, {"name"});
    if (a.contains("value") && a["value"].is_string()) arg.value = a["value"].get<std::string>();
    arg.value_from = JsonAt(a, {"valueFrom"});
    out.push_back(std::move(arg));
  }
  return out;
}

}  // namespace

std::optional<std::string> RolloutController::CurrentRunPhase(Context& c, const std::string& kind,
                                                              int32_t step, const Json& analysis,
                                                              bool create) {
  RunStatus& slot = Slot(c.status, kind);
  const LiveObject* run = slot.name.empty()
                              ? nullptr
                              : store_.Find({"argoproj.io", "AnalysisRun", c.key.ns, slot.name});
  if (run != nullptr) {
    const Json& labels = JsonAt(run->doc(), {"metadata", "labels"});
    if (StringAt(labels, {std::string(kHashLabel)}) != c.hash ||
        (kind == "Step" && StringAt(labels, {"step-index"}) != std::to_string(step))) {
      run = nullptr;
    }
  }
  // needsNewAnalysisRun: none yet, or an Inconclusive run the user has resumed from.
  const RolloutStatus& old = c.old_status.core;
  bool resumed = old.controller_pause && old.pause_conditions.empty();
  bool needs_new =
      run == nullptr || (StringAt(run->status(), {"phase"}) == "Inconclusive" && resumed);
  if (!needs_new) {
    slot = {slot.name, StringAt(run->status(), {"phase"}), StringAt(run->status(), {"message"})};
    c.current_runs.insert(slot.name);
    return slot.status;
  }
  slot = {};
  if (!create) return std::nullopt;

  // NewAnalysisRunFromTemplates over the referenced templates.
  Json metrics = Json::array(), template_args = Json::array(), dry_run = Json::array(),
       retention = Json::array();
  const Json& refs = JsonAt(analysis, {"templates"});
  if (!refs.is_array()) return std::nullopt;
  for (const Json& ref : refs) {
    bool cluster = BoolAt(ref, {"clusterScope"});
    const LiveObject* t =
        store_.Find({"argoproj.io", cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                     cluster ? "" : c.key.ns, StringAt(ref, {"templateName"})});
    if (t == nullptr) return std::nullopt;
    Append(JsonAt(t->doc(), {"spec", "metrics"}), metrics);
    AppendArgs(JsonAt(t->doc(), {"spec", "args"}), template_args);
    Append(JsonAt(t->doc(), {"spec", "dryRun"}), dry_run);
    Append(JsonAt(t->doc(), {"spec", "measurementRetention"}), retention);
  }
  Append(JsonAt(analysis, {"dryRun"}), dry_run);
  Append(JsonAt(analysis, {"measurementRetention"}), retention);
  std::vector<AnalysisArg> incoming;
  if (const Json& args = JsonAt(analysis, {"args"}); args.is_array()) {
    for (const Json& a : args) incoming.push_back({StringAt(a, {"name"}), ArgValue(a, c), Json()});
  }
  Result<std::vector<AnalysisArg>> merged = MergeArgs(incoming, ToArgs(template_args));
  if (!merged.ok()) return std::nullopt;
  Json args = Json::array();
  for (const AnalysisArg& a : *merged) {
    Json j = {{"name", a.name}};
    if (a.value) j["value"] = *a.value;
    if (!a.value_from.is_null()) j["valueFrom"] = a.value_from;
    args.push_back(std::move(j));
  }
  Json spec = {{"metrics", metrics}, {"args", args}};
  if (!dry_run.empty()) spec["dryRun"] = dry_run;
  if (!retention.empty()) spec["measurementRetention"] = retention;

  Json labels = Json::object();
  if (const Json& ml = JsonAt(c.live.doc(), {"spec", "selector", "matchLabels"}); ml.is_object()) {
    labels = ml;
  }
  if (const Json& meta = JsonAt(analysis, {"analysisRunMetadata", "labels"}); meta.is_object()) {
    labels.update(meta);
  }
  labels[std::string(kHashLabel)] = c.hash;
  labels["rollout-type"] = kind;
  std::string infix;
  if (kind == "Step") {
    labels["step-index"] = std::to_string(step);
    infix = "-" + std::to_string(step);
  } else if (kind == "PrePromotion") {
    infix = "-pre";
  } else if (kind == "PostPromotion") {
    infix = "-post";
  }
  Json annotations = {{std::string(kRevisionAnnotation), std::to_string(c.revision)}};
  if (const Json& meta = JsonAt(analysis, {"analysisRunMetadata", "annotations"});
      meta.is_object()) {
    annotations.update(meta);
  }
  std::string base = fmt::format("{}-{}-{}{}", c.key.name, c.hash, c.revision, infix);
  std::string name = base;
  for (int n = 1; store_.Find({"argoproj.io", "AnalysisRun", c.key.ns, name}) != nullptr; ++n) {
    name = fmt::format("{}.{}", base, n);
  }
  Json doc = {{"apiVersion", "argoproj.io/v1alpha1"},
              {"kind", "AnalysisRun"},
              {"metadata",
               {{"name", name},
                {"namespace", c.key.ns},
                {"labels", labels},
                {"annotations", annotations},
                {"ownerReferences", Json::array({workload::ControllerRef(c.live)})}}},
              {"spec", spec}};
  if (!store_.Create(Object(std::move(doc))).ok()) return std::nullopt;
  slot = {name, "", ""};
  c.current_runs.insert(name);
  return std::string();
}

// cancelAnalysisRuns: every owned run not kept and not completed gets spec.terminate.
void RolloutController::TerminateRuns(Context& c, const std::set<std::string>& keep) {
  for (const ObjectKey& k : store_.Dependents(c.live.uid)) {
    if (k.group != "argoproj.io" || k.kind != "AnalysisRun" || keep.count(k.name)) continue;
    const LiveObject* run = store_.Find(k);
    if (run == nullptr || BoolAt(run->doc(), {"spec", "terminate"})) continue;
    if (IsCompleted(ParsePhase(StringAt(run->status(), {"phase"})))) continue;
    store_.Patch(k, {{"spec", {{"terminate", true}}}});
  }
}

void RolloutController::ReactToRun(Context& c, const std::string& phase, const std::string& message,
                                   const std::string& source) {
  if (source == "PrePromotion" || source == "PostPromotion") {  // setPauseOrAbortForBlueGreen
    AnalysisPhase p = ParsePhase(phase);
    if (p == AnalysisPhase::kInconclusive) {
      c.add_pause.emplace_back(kPauseReasonInconclusiveAnalysis);
    } else if (p == AnalysisPhase::kFailed || p == AnalysisPhase::kError) {
      c.add_abort = true;
      c.abort_message = fmt::format("Blue/green {}-promotion analysis phase error/failed",
                                    source == "PrePromotion" ? "pre" : "post");
      if (!message.empty()) c.abort_message += ": " + message;
    }
    return;
  }
  AnalysisReaction r =
      ReactToAnalysis(source == "Background" ? AnalysisSource::kBackground : AnalysisSource::kStep,
                      ParsePhase(phase), message);
  if (r.kind == AnalysisReaction::Kind::kPause) {
    c.add_pause.push_back(r.message);
  } else if (r.kind == AnalysisReaction::Kind::kAbort) {
    c.add_abort = true;
    c.abort_message = r.message;
  }
}

// Canary: the current step's run and the background run; everything else is terminated. While
// aborted every run is terminated and the statuses are cleared, so a retry starts new runs.
void RolloutController::ReconcileAnalysisRuns(Context& c) {
  const RolloutStatus& old = c.old_status.core;
  if (c.IsAborted() || old.stable_rs.empty() || old.stable_rs == c.hash || old.promote_full) {
    c.status.step_run = c.status.background_run = {};
    TerminateRuns(c, {});
    return;
  }
  RolloutStatus view = c.status.core;
  int32_t index = 0;
  const CanaryStep* step = CurrentStep(c.spec, view, &index);
  if (step != nullptr && step->kind == StepKind::kAnalysis) {
    const Json& analysis = JsonAt(c.live.doc(), {"spec", "strategy", "canary",
                                                 "steps"})[static_cast<size_t>(index)]["analysis"];
    std::optional<std::string> phase = CurrentRunPhase(c, "Step", index, analysis, true);
    if (phase) {
      c.step_run_phase = *phase;
      ReactToRun(c, *phase, c.status.step_run.message, "Step");
    }
  } else {
    c.status.step_run = {};
  }
  if (BackgroundAnalysisActive(c.spec, view)) {
    const Json& analysis = JsonAt(c.live.doc(), {"spec", "strategy", "canary", "analysis"});
    if (std::optional<std::string> phase = CurrentRunPhase(c, "Background", 0, analysis, true)) {
      ReactToRun(c, *phase, c.status.background_run.message, "Background");
    }
  } else {
    c.status.background_run = {};
  }
  TerminateRuns(c, c.current_runs);
}

}  // namespace fleetsim::rollouts
