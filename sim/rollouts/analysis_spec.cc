#include "sim/rollouts/analysis_spec.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <regex>

#include <fmt/format.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

constexpr std::string_view kProviders[] = {"prometheus", "web",       "job",        "datadog",
                                           "newRelic",   "wavefront", "kayenta",    "cloudWatch",
                                           "graphite",   "influxdb",  "skywalking", "plugin"};

Status TypeError(std::string_view path, std::string_view expected, const json& got) {
  return Status::Error(fmt::format("{}: expected {}, got {}", path, expected, got.dump()));
}

bool ParseInt(std::string_view text, int64_t* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

// An intstr field read as IntValue(): an int, or a string holding one.
Status ReadIntOrString(const json& obj, std::string_view key, std::optional<int32_t>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  int64_t v = 0;
  if (it->is_number_integer()) {
    v = it->get<int64_t>();
  } else if (!it->is_string() || !ParseInt(it->get<std::string>(), &v)) {
    return TypeError(key, "an integer", *it);
  }
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return TypeError(key, "a 32-bit integer", *it);
  }
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

// DurationString.Duration(): Go's time.ParseDuration, which needs a unit (except "0") and has
// no day unit.
Result<SimDuration> GoDuration(const std::string& text) {
  int64_t bare = 0;
  bool unitless = ParseInt(text, &bare) && bare != 0;
  if (unitless) return Status::Error(fmt::format("time: missing unit in duration \"{}\"", text));
  if (text.find('d') != std::string::npos) {
    return Status::Error(fmt::format("time: unknown unit \"d\" in duration \"{}\"", text));
  }
  Result<SimDuration> d = ParseDuration(text);
  if (!d.ok()) return Status::Error(fmt::format("time: invalid duration \"{}\"", text));
  return d;
}

Status ReadDuration(const json& obj, std::string_view key, std::string_view what,
                    std::optional<SimDuration>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return TypeError(key, "a duration string", *it);
  if (it->get_ref<const std::string&>().empty()) return Status::Ok();
  Result<SimDuration> d = GoDuration(it->get<std::string>());
  if (!d.ok()) return Status::Error(fmt::format("invalid {} string: {}", what, d.error()));
  *out = *d;
  return Status::Ok();
}

Status ReadString(const json& obj, std::string_view key, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return TypeError(key, "a string", *it);
  *out = it->get<std::string>();
  return Status::Ok();
}

Result<std::vector<AnalysisArg>> ParseArgs(const json& args) {
  std::vector<AnalysisArg> out;
  if (args.is_null()) return out;
  if (!args.is_array()) return TypeError("spec.args", "a list", args);
  for (size_t i = 0; i < args.size(); ++i) {
    const json& a = args[i];
    std::string path = fmt::format("spec.args[{}]", i);
    if (!a.is_object()) return TypeError(path, "an object", a);
    AnalysisArg arg;
    if (Status s = ReadString(a, "name", &arg.name); !s.ok()) {
      return Status::Error(path + "." + s.message());
    }
    if (auto v = a.find("value"); v != a.end() && !v->is_null()) {
      if (!v->is_string()) return TypeError(path + ".value", "a string", *v);
      arg.value = v->get<std::string>();
    }
    if (auto v = a.find("valueFrom"); v != a.end()) arg.value_from = *v;
    out.push_back(std::move(arg));
  }
  return out;
}

// Substitutes into every string of `value`, recursively.
Status SubstituteAll(json& value, const std::vector<AnalysisArg>& args) {
  if (value.is_string()) {
    Result<std::string> s = SubstituteArgs(value.get<std::string>(), args);
    if (!s.ok()) return s.status();
    value = *s;
  } else if (value.is_array() || value.is_object()) {
    for (json& child : value) {
      if (Status s = SubstituteAll(child, args); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

std::string ValidateMetric(const Metric& m) {
  const int32_t count = m.count;
  const int32_t failure = m.FailureLimit();
  const int32_t success = m.ConsecutiveSuccessLimit();
  const int32_t inconclusive = m.InconclusiveLimit();
  if (success < 0) return "consecutiveSuccessLimit must be >= 0";
  if (failure < -1) return "failureLimit must be >= 0, or -1 to be disabled";
  if (success == 0 && failure == -1) {
    return "failureLimit and consecutiveSuccessLimit cannot both be disabled";
  }
  if (inconclusive < 0) return "inconclusiveLimit must be >= 0";
  if (m.consecutive_error_limit && *m.consecutive_error_limit < 0) {
    return "consecutiveErrorLimit must be >= 0";
  }
  if (count > 0) {
    if (success >= 0 && failure >= 0 && count < failure + success) {
      return fmt::format(
          "count ({}) must be >= failureLimit + consecutiveSuccessLimit ({} + {}) if both >= 0",
          count, failure, success);
    }
    if (success >= 0 && failure < 0 && count < success) {
      return "count must be >= consecutiveSuccessLimit";
    }
    if (count < inconclusive) return "count must be >= inconclusiveLimit";
  }
  if (count > 1 && !m.interval) return "interval must be specified when count > 1";
  if (m.provider.empty()) return "no provider specified";
  return "";
}

}  // namespace

std::optional<int32_t> Metric::EffectiveCount() const {
  if (count == 0) {
    if (!interval) return 1;
    return std::nullopt;
  }
  return count;
}

Result<AnalysisSpec> ParseAnalysisDocument(const json& doc) {
  if (!doc.is_object()) return TypeError("document", "an object", doc);
  AnalysisSpec out;
  if (auto k = doc.find("kind"); k != doc.end() && k->is_string()) out.kind = k->get<std::string>();
  if (auto m = doc.find("metadata"); m != doc.end() && m->is_object()) {
    if (Status s = ReadString(*m, "name", &out.name); !s.ok()) return s;
  }
  const json& spec = doc.contains("spec") ? doc["spec"] : doc;
  if (!spec.is_object()) return TypeError("spec", "an object", spec);
  Result<std::vector<AnalysisArg>> args = ParseArgs(spec.value("args", json()));
  if (!args.ok()) return args.status();
  out.args = std::move(args.value());
  if (auto m = spec.find("metrics"); m != spec.end() && !m->is_null()) {
    if (!m->is_array()) return TypeError("spec.metrics", "a list", *m);
    for (size_t i = 0; i < m->size(); ++i) {
      if (!(*m)[i].is_object())
        return TypeError(fmt::format("spec.metrics[{}]", i), "an object", (*m)[i]);
    }
    out.metrics = *m;
  }
  if (auto d = spec.find("dryRun"); d != spec.end() && !d->is_null()) {
    if (!d->is_array()) return TypeError("spec.dryRun", "a list", *d);
    for (const json& rule : *d) {
      if (!rule.is_object() || !rule.value("metricName", json()).is_string()) {
        return TypeError("spec.dryRun[]", "an object with a metricName", rule);
      }
      out.dry_run.push_back(rule["metricName"].get<std::string>());
    }
  }
  if (auto t = spec.find("terminate"); t != spec.end() && !t->is_null()) {
    if (!t->is_boolean()) return TypeError("spec.terminate", "a bool", *t);
    out.terminate = t->get<bool>();
  }
  return out;
}

Result<std::vector<AnalysisArg>> MergeArgs(const std::vector<AnalysisArg>& incoming,
                                           const std::vector<AnalysisArg>& template_args) {
  std::vector<AnalysisArg> merged = template_args;
  for (const AnalysisArg& arg : incoming) {
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const AnalysisArg& a) { return a.name == arg.name; });
    if (it == merged.end()) continue;
    if (arg.value) {
      it->value = arg.value;
    } else if (!arg.value_from.is_null()) {
      it->value_from = arg.value_from;
    }
  }
  for (const AnalysisArg& arg : merged) {
    if (!arg.value && arg.value_from.is_null()) {
      return Status::Error(fmt::format("args.{} was not resolved", arg.name));
    }
  }
  return merged;
}

Result<std::string> SubstituteArgs(std::string_view text, const std::vector<AnalysisArg>& args) {
  for (const AnalysisArg& arg : args) {
    if (!arg.value) return Status::Error(fmt::format("argument \"{}\" was not supplied", arg.name));
  }
  std::string out;
  Status unresolved;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::Error(
          fmt::format("cannot find end tag=\"}}}}\" in the template=\"{}\"", text));
    }
    out.append(text.substr(pos, open - pos));
    std::string_view tag = text.substr(open + 2, close - open - 2);
    std::string_view trimmed = tag;
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
    auto it = std::find_if(args.begin(), args.end(), [&](const AnalysisArg& a) {
      return trimmed.substr(0, 5) == "args." && trimmed.substr(5) == a.name;
    });
    if (it != args.end()) {
      out += *it->value;
    } else {
      unresolved = Status::Error(fmt::format("failed to resolve {{{{{}}}}}", tag));
    }
    pos = close + 2;
  }
  if (!unresolved.ok()) return unresolved;
  out.append(text.substr(pos));
  return out;
}

Result<Metric> ParseMetric(const json& metric) {
  if (!metric.is_object()) return TypeError("metric", "an object", metric);
  Metric m;
  Status s = ReadString(metric, "name", &m.name);
  if (s.ok()) s = ReadDuration(metric, "interval", "interval", &m.interval);
  if (s.ok()) s = ReadDuration(metric, "initialDelay", "startDelay", &m.initial_delay);
  std::optional<int32_t> count;
  if (s.ok()) s = ReadIntOrString(metric, "count", &count);
  m.count = count.value_or(0);
  if (s.ok()) s = ReadString(metric, "successCondition", &m.success_condition);
  if (s.ok()) s = ReadString(metric, "failureCondition", &m.failure_condition);
  if (s.ok()) s = ReadIntOrString(metric, "failureLimit", &m.failure_limit);
  if (s.ok()) s = ReadIntOrString(metric, "inconclusiveLimit", &m.inconclusive_limit);
  if (s.ok()) s = ReadIntOrString(metric, "consecutiveErrorLimit", &m.consecutive_error_limit);
  if (s.ok()) {
    s = ReadIntOrString(metric, "consecutiveSuccessLimit", &m.consecutive_success_limit);
  }
  if (!s.ok()) return s;
  auto provider = metric.find("provider");
  if (provider != metric.end() && !provider->is_null()) {
    if (!provider->is_object()) return TypeError("provider", "an object", *provider);
    for (const auto& [key, value] : provider->items()) {
      if (std::find(std::begin(kProviders), std::end(kProviders), key) == std::end(kProviders)) {
        return Status::Error(fmt::format("provider: unknown provider \"{}\"", key));
      }
      if (!m.provider.empty()) return Status::Error("multiple providers specified");
      m.provider = key;
      m.provider_spec = value;
    }
  }
  return m;
}

Status ValidateMetrics(const std::vector<Metric>& metrics) {
  if (metrics.empty()) return Status::Error("no metrics specified");
  std::set<std::string> names;
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!names.insert(metrics[i].name).second) {
      return Status::Error(fmt::format("metrics[{}]: duplicate name '{}'", i, metrics[i].name));
    }
    std::string error = ValidateMetric(metrics[i]);
    if (!error.empty()) return Status::Error(fmt::format("metrics[{}]: {}", i, error));
  }
  return Status::Ok();
}

Result<std::vector<Metric>> ResolveMetrics(const AnalysisSpec& run) {
  // Secret args are resolved late upstream; a placeholder keeps validation going.
  std::vector<AnalysisArg> args = run.args;
  for (AnalysisArg& arg : args) {
    if (!arg.value && arg.value_from.is_object() && arg.value_from.contains("secretKeyRef")) {
      arg.value = "temp-for-secret";
    }
  }
  std::vector<Metric> metrics;
  for (size_t i = 0; i < run.metrics.size(); ++i) {
    json substituted = run.metrics[i];
    if (Status s = SubstituteAll(substituted, args); !s.ok()) {
      return Status::Error("Unable to resolve metric arguments: " + s.message());
    }
    Result<Metric> m = ParseMetric(substituted);
    if (!m.ok()) {
      return Status::Error(fmt::format("Analysis spec invalid: metrics[{}]: {}", i, m.error()));
    }
    metrics.push_back(std::move(m.value()));
  }
  if (Status s = ValidateMetrics(metrics); !s.ok()) {
    return Status::Error("Analysis spec invalid: " + s.message());
  }
  return metrics;
}

Result<std::set<std::string>> DryRunMetrics(const AnalysisSpec& run,
                                            const std::vector<Metric>& metrics) {
  std::set<std::string> names;
  for (size_t i = 0; i < run.dry_run.size(); ++i) {
    std::regex pattern;
    try {
      pattern = std::regex(run.dry_run[i]);
    } catch (const std::regex_error&) {
      return Status::Error(fmt::format("dryRun[{}]: Rule didn't match any metric name(s)", i));
    }
    int matched = 0;
    for (const Metric& m : metrics) {
      if (!std::regex_search(m.name, pattern)) continue;
      names.insert(m.name);
      ++matched;
    }
    if (matched == 0) {
      return Status::Error(fmt::format("dryRun[{}]: Rule didn't match any metric name(s)", i));
    }
  }
  return names;
}

Status ValidateStepAnalysisTemplate(int step_index, const AnalysisSpec& tmpl) {
  std::string path = fmt::format("spec.strategy.canary.steps[{}].analysis.templates", step_index);
  AnalysisSpec placeholder = tmpl;
  for (AnalysisArg& arg : placeholder.args) {
    if (!arg.value) arg.value = "dummy-value";
  }
  auto invalid = [&](const std::string& message) {
    return Status::Error(fmt::format("{}: Invalid value: \"{}\": {}", path, tmpl.name, message));
  };
  std::vector<Metric> metrics;
  for (const json& raw : placeholder.metrics) {
    json substituted = raw;
    Status s = SubstituteAll(substituted, placeholder.args);
    Result<Metric> m = s.ok() ? ParseMetric(substituted) : Result<Metric>(s);
    if (!m.ok()) return invalid(fmt::format("AnalysisTemplate {}: {}", tmpl.name, m.error()));
    metrics.push_back(std::move(m.value()));
  }
  if (Status s = ValidateMetrics(metrics); !s.ok()) {
    return invalid(fmt::format("AnalysisTemplate {}: {}", tmpl.name, s.message()));
  }
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i].EffectiveCount()) continue;
    const json& raw_count = tmpl.metrics[i].value("count", json());
    std::string count = raw_count.is_null()     ? "<nil>"
                        : raw_count.is_string() ? raw_count.get<std::string>()
                                                : raw_count.dump();
    return invalid(fmt::format(
        "AnalysisTemplate {} has metric {} which runs indefinitely. Invalid value for count: {}",
        tmpl.name, metrics[i].name, count));
  }
  return Status::Ok();
}

namespace {

std::string NotFound(std::string_view path, const AnalysisTemplateRef& ref) {
  return fmt::format("{}: Invalid value: \"{}\": {} '{}' not found", path, ref.template_name,
                     ref.cluster_scope ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                     ref.template_name);
}

// ValidateAnalysisTemplateWithType for BackgroundAnalysis: template args without a value must
// be supplied by the Rollout.
Status ValidateBackgroundArgs(const RolloutAnalysis& analysis, const AnalysisSpec& tmpl) {
  const std::string path = "spec.strategy.canary.analysis.templates";
  for (const AnalysisArg& arg : tmpl.args) {
    if (arg.value || !arg.value_from.is_null()) continue;
    if (analysis.args.empty()) {
      return Status::Error(
          fmt::format("{}: Invalid value: \"{}\": missing analysis arguments in "
                      "rollout spec",
                      path, tmpl.name));
    }
    bool found = std::any_of(analysis.args.begin(), analysis.args.end(),
                             [&](const RolloutAnalysisArg& a) { return a.name == arg.name; });
    if (!found) {
      return Status::Error(fmt::format("{}: Invalid value: \"{}\": {}", path, tmpl.name, arg.name));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateAnalysisReferences(const RolloutSpec& spec, const AnalysisTemplateLookup& lookup) {
  const CanaryStrategy& c = spec.strategy;
  if (c.analysis) {
    for (const AnalysisTemplateRef& ref : c.analysis->templates) {
      const AnalysisSpec* tmpl = lookup(ref);
      if (tmpl == nullptr) {
        return Status::Error(NotFound("spec.strategy.canary.analysis.templates", ref));
      }
      if (Status s = ValidateBackgroundArgs(*c.analysis, *tmpl); !s.ok()) return s;
    }
  }
  for (size_t i = 0; i < c.steps.size(); ++i) {
    if (c.steps[i].kind != StepKind::kAnalysis) continue;
    for (const AnalysisTemplateRef& ref : c.steps[i].analysis.templates) {
      const AnalysisSpec* tmpl = lookup(ref);
      if (tmpl == nullptr) {
        return Status::Error(
            NotFound(fmt::format("spec.strategy.canary.steps[{}].analysis.templates", i), ref));
      }
      if (Status s = ValidateStepAnalysisTemplate(static_cast<int>(i), *tmpl); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace fleetsim::rollouts
