// AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun specs (reference 1.12): args with
// value/valueFrom, metrics with interval, initialDelay, count, conditions, limits, dryRun and a
// provider; `{{args.name}}` substitution (utils/template ResolveArgs, fasttemplate tags with
// surrounding spaces trimmed); argument merging (analysisutil.MergeArgs); metric validation
// (analysisutil.ValidateMetric) and the Rollout-side check that a step analysis terminates
// (validation_references.go ValidateAnalysisTemplateWithType).
//
// Metrics are kept as JSON until their args are substituted, as upstream substitutes into the
// marshalled metric; ResolveMetrics then parses and validates them.
#ifndef FLEETSIM_SIM_ROLLOUTS_ANALYSIS_SPEC_H_
#define FLEETSIM_SIM_ROLLOUTS_ANALYSIS_SPEC_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/rollouts/canary_strategy.h"

namespace fleetsim::rollouts {

struct AnalysisArg {
  std::string name;
  std::optional<std::string> value;
  Json value_from;  // null when absent (secretKeyRef, fieldRef, podTemplateHashValue)
};

struct Metric {
  std::string name;
  std::optional<SimDuration> interval;
  std::optional<SimDuration> initial_delay;
  int32_t count = 0;  // 0 = unset
  std::string success_condition;
  std::string failure_condition;
  std::optional<int32_t> failure_limit;
  std::optional<int32_t> inconclusive_limit;
  std::optional<int32_t> consecutive_error_limit;
  std::optional<int32_t> consecutive_success_limit;
  std::string provider;  // "prometheus", "web", "job", ...
  Json provider_spec;    // that provider's object

  int32_t FailureLimit() const { return failure_limit.value_or(0); }  // -1 disables
  int32_t InconclusiveLimit() const { return inconclusive_limit.value_or(0); }
  int32_t ConsecutiveErrorLimit() const { return consecutive_error_limit.value_or(4); }
  int32_t ConsecutiveSuccessLimit() const { return consecutive_success_limit.value_or(0); }
  // Metric.EffectiveCount: count unset/0 → 1 without an interval, nullopt (runs until
  // terminated) with one; else count.
  std::optional<int32_t> EffectiveCount() const;
};

struct AnalysisSpec {
  std::string kind;  // AnalysisTemplate, ClusterAnalysisTemplate or AnalysisRun
  std::string name;
  std::vector<AnalysisArg> args;
  Json metrics = Json::array();      // unresolved metric objects
  std::vector<std::string> dry_run;  // dryRun[].metricName patterns
  bool terminate = false;            // AnalysisRun spec.terminate
};

// Parses a document of one of the three kinds (or a bare spec object). Errors name the field.
Result<AnalysisSpec> ParseAnalysisDocument(const Json& doc);

// MergeArgs: `incoming` (the Rollout's) override the template's values; every resulting arg
// needs a value or valueFrom ("args.<name> was not resolved").
Result<std::vector<AnalysisArg>> MergeArgs(const std::vector<AnalysisArg>& incoming,
                                           const std::vector<AnalysisArg>& template_args);

// Replaces each `{{ args.name }}` in `text`. Errors: an arg without a value ("argument "x" was
// not supplied"), a tag naming no arg ("failed to resolve {{args.y}}"), an unclosed tag.
Result<std::string> SubstituteArgs(std::string_view text, const std::vector<AnalysisArg>& args);

// Parses one (substituted) metric object; durations are Go durations ("30s", "5m", "1h").
Result<Metric> ParseMetric(const Json& metric);

// ValidateMetrics: at least one metric, unique names, and per metric the limit, count,
// interval and provider rules; messages as upstream ("metrics[0]: interval must be specified
// when count > 1").
Status ValidateMetrics(const std::vector<Metric>& metrics);

// What the AnalysisRun controller does first on each reconcile: substitute args into every
// string of every metric, parse and validate. Errors are the run's Error message:
// "Unable to resolve metric arguments: ..." or "Analysis spec invalid: ...".
Result<std::vector<Metric>> ResolveMetrics(const AnalysisSpec& run);

// GetDryRunMetrics: names of the metrics matched (unanchored regex search) by a dryRun rule;
// a rule matching none is an error ("dryRun[0]: Rule didn't match any metric name(s)").
Result<std::set<std::string>> DryRunMetrics(const AnalysisSpec& run,
                                            const std::vector<Metric>& metrics);

// The Rollout-side validation of a template referenced by canary step `step_index`: every
// metric must have an effective count. The InvalidSpec error text, e.g.
// `spec.strategy.canary.steps[1].analysis.templates: Invalid value: "t": AnalysisTemplate t has
// metric m which runs indefinitely. Invalid value for count: <nil>`.
Status ValidateStepAnalysisTemplate(int step_index, const AnalysisSpec& tmpl);

// Finds a referenced AnalysisTemplate (or ClusterAnalysisTemplate when ref.cluster_scope);
// null when it does not exist.
using AnalysisTemplateLookup = std::function<const AnalysisSpec*(const AnalysisTemplateRef&)>;

// The analysis part of the controller's referenced-resource validation (rollout/controller.go
// getReferencedAnalysisTemplates, ValidateAnalysisTemplateWithType): the background analysis,
// then each analysis step in order. Errors: a missing template (`<path>: Invalid value: "t":
// AnalysisTemplate 't' not found`), a background template arg with no value that the Rollout
// does not supply, and a step metric that runs indefinitely. The first error, as InvalidSpec
// text.
Status ValidateAnalysisReferences(const RolloutSpec& spec, const AnalysisTemplateLookup& lookup);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_ANALYSIS_SPEC_H_
