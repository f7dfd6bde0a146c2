#include "sim/rollouts/analysis_run_controller.h"

#include <fmt/format.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

bool Terminate(const json& doc) {
  auto spec = doc.find("spec");
  if (spec == doc.end() || !spec->is_object()) return false;
  auto t = spec->find("terminate");
  return t != spec->end() && t->is_boolean() && t->get<bool>();
}

// api.Config's address check (prometheus.go IsUrl): a scheme and a host.
bool IsUrl(const std::string& address) {
  size_t scheme = address.find("://");
  return scheme != std::string::npos && scheme > 0 && scheme + 3 < address.size() &&
         address[scheme + 3] != '/';
}

std::string ValueString(const PromValue& v) {
  if (v.is_scalar) return FormatPromFloat(v.scalar);
  std::string out = "[";
  for (size_t i = 0; i < v.vector.size(); ++i) {
    out += (i ? "," : "") + FormatPromFloat(v.vector[i].value);
  }
  return out + "]";
}

json ValueJson(const PromValue& v) {
  if (v.is_scalar) return v.scalar;
  json out = json::array();
  for (const PromSample& s : v.vector) out.push_back(s.value);
  return out;
}

}  // namespace

AnalysisRunController::AnalysisRunController(std::string cluster, Simulator& sim,
                                             ObjectStore& store, Trace& trace,
                                             TrafficModel& traffic)
    : cluster_(std::move(cluster)), sim_(sim), store_(store), trace_(trace), traffic_(traffic) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

AnalysisRunController::~AnalysisRunController() {
  store_.RemoveObserver(watch_);
  for (auto& [key, run] : runs_) {
    if (run.timer != 0) sim_.Cancel(run.timer);
  }
}

void AnalysisRunController::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (key.group != "argoproj.io" || key.kind != "AnalysisRun") return;
  if (event.type == WatchEventType::kDeleted) {
    auto it = runs_.find(key);
    if (it != runs_.end()) {
      if (it->second.timer != 0) sim_.Cancel(it->second.timer);
      runs_.erase(it);
    }
    return;
  }
  // Our own status writes change nothing we read; a new object or spec.terminate does.
  if (event.type == WatchEventType::kModified && event.previous != nullptr &&
      Terminate(event.previous->doc()) == Terminate(event.object.doc()) && runs_.count(key) != 0 &&
      runs_.at(key).uid == event.object.uid) {
    return;
  }
  Enqueue(key);
}

void AnalysisRunController::Enqueue(const ObjectKey& key) {
  if (!queued_.insert(key).second) return;
  sim_.After(SimDuration::Zero(), [this, key] {
    queued_.erase(key);
    Reconcile(key);
  });
}

void AnalysisRunController::Report(const ObjectKey& key, std::string event, std::string detail) {
  TraceRecord r;
  r.t = sim_.now();
  r.event = std::move(event);
  r.cluster = cluster_;
  r.object = key.ToString();
  r.detail = std::move(detail);
  trace_.Append(std::move(r));
}

void AnalysisRunController::Resolve(Run& run, const json& doc) {
  run.resolved = true;
  Result<AnalysisSpec> spec = ParseAnalysisDocument(doc);
  if (!spec.ok()) {
    run.error = "Analysis spec invalid: " + spec.error();
    return;
  }
  Result<std::vector<Metric>> metrics = ResolveMetrics(*spec);
  if (!metrics.ok()) {
    run.error = metrics.error();
    return;
  }
  Result<std::set<std::string>> dry_run = DryRunMetrics(*spec, *metrics);
  if (!dry_run.ok()) {
    run.error = "Analysis spec invalid: " + dry_run.error();
    return;
  }
  run.metrics = std::move(metrics.value());
  run.dry_run = std::move(dry_run.value());
  for (const Metric& m : run.metrics) run.conditions.push_back(MetricConditions::Compile(m));
  run.queries.resize(run.metrics.size());
  run.query_errors.resize(run.metrics.size());
}

// One measurement of metric `index` at now(): prometheus.go Run and processResponse.
Measurement AnalysisRunController::Measure(Run& run, size_t index) {
  const Metric& metric = run.metrics[index];
  Measurement m{
      .phase = AnalysisPhase::kError, .started_at = sim_.now(), .finished_at = sim_.now()};
  if (metric.provider != "prometheus") {
    m.message = fmt::format(
        "fleetsim has no model of the {} metric provider; only prometheus metrics are measured",
        metric.provider);
    return m;
  }
  const json& p = metric.provider_spec;
  std::string address = p.is_object() && p.contains("address") && p["address"].is_string()
                            ? p["address"].get<std::string>()
                            : "";
  if (address.empty()) {
    m.message = "prometheus address is not configured";
    return m;
  }
  if (!IsUrl(address)) {
    m.message = "prometheus address is not is url format";
    return m;
  }
  if (p.contains("timeout") && p["timeout"].is_number() && p["timeout"].get<double>() < 0) {
    m.message = "prometheus timeout should not be negative";
    return m;
  }
  if (!run.queries[index] && run.query_errors[index].empty()) {
    std::string query =
        p.contains("query") && p["query"].is_string() ? p["query"].get<std::string>() : "";
    Result<PromQuery> parsed = PromQuery::Parse(query);
    if (parsed.ok()) {
      run.queries[index] = std::move(parsed.value());
    } else {
      run.query_errors[index] = parsed.error();
    }
  }
  if (!run.queries[index]) {
    m.message = run.query_errors[index];
    return m;
  }
  traffic_.BeginQuery();
  Result<PromValue> value = run.queries[index]->Evaluate(traffic_);
  if (!value.ok()) {
    m.message = value.error();
    return m;
  }
  MetricConditions::Judgement j = run.conditions[index].Judge(ValueJson(*value));
  m.phase = j.phase;
  m.message = j.message;
  if (j.phase != AnalysisPhase::kError) m.value = ValueString(*value);
  return m;
}

void AnalysisRunController::Reconcile(const ObjectKey& key) {
  const LiveObject* live = store_.Find(key);
  if (live == nullptr || live->being_deleted()) return;
  auto [it, fresh] = runs_.try_emplace(key);
  Run& run = it->second;
  if (!fresh && run.uid != live->uid) {
    if (run.timer != 0) sim_.Cancel(run.timer);
    run = Run{};
    fresh = true;
  }
  if (fresh) {
    run.uid = live->uid;
    // A run some earlier controller already completed stays as it is.
    const json& phase = live->status().is_object() ? live->status().value("phase", json()) : json();
    if (phase.is_string() && (phase == "Successful" || phase == "Failed" || phase == "Error" ||
                              phase == "Inconclusive")) {
      run.completed = true;
    }
    run.status.started_at = sim_.now();
  }
  if (run.completed) return;
  if (run.timer != 0) {
    sim_.Cancel(run.timer);
    run.timer = 0;
  }
  if (!run.resolved) Resolve(run, live->doc());
  run.status.terminate = Terminate(live->doc());
  if (!run.error.empty()) {
    run.status.phase = AnalysisPhase::kError;
    run.status.message = run.error;
  } else {
    MeasurementPlan plan = PlanMeasurements(run.metrics, run.status, sim_.now());
    for (size_t i : plan.measure_now) {
      const Metric& metric = run.metrics[i];
      Measurement m = Measure(run, i);
      std::string detail = m.phase == AnalysisPhase::kError
                               ? fmt::format("{} Error: {}", metric.name, m.message)
                               : fmt::format("{}={} {}", metric.name,
                                             m.value.is_string() ? m.value.get<std::string>() : "",
                                             AnalysisPhaseName(m.phase));
      RecordMeasurement(run.status, metric.name, run.dry_run.count(metric.name) != 0, std::move(m));
      MetricResult* result = run.status.Find(metric.name);
      if (result->measurements.size() > kMeasurementRetention) {
        result->measurements.erase(
            result->measurements.begin(),
            result->measurements.end() - static_cast<std::ptrdiff_t>(kMeasurementRetention));
      }
      Report(key, "AnalysisMeasurement", std::move(detail));
    }
    RunAssessment a = AssessRun(run.metrics, run.status);
    run.status.phase = a.phase;
    run.status.message = a.message;
    if (!IsCompleted(a.phase)) {
      MeasurementPlan next = PlanMeasurements(run.metrics, run.status, sim_.now());
      SimTime wake = next.next_wakeup.value_or(SimTime::Max());
      if (!next.measure_now.empty()) wake = sim_.now();
      if (wake != SimTime::Max()) {
        run.timer = sim_.At(wake, [this, key] {
          auto r = runs_.find(key);
          if (r != runs_.end()) r->second.timer = 0;
          Reconcile(key);
        });
      }
    }
  }
  run.completed = IsCompleted(run.status.phase);
  json status = StatusJson(run, sim_.now());
  if (live->status() != status) {
    Result<LiveObject> written = store_.UpdateStatus(key, std::move(status));
    (void)written;  // the run was deleted meanwhile: nothing to do
  }
  if (run.completed) {
    std::string detail(AnalysisPhaseName(run.status.phase));
    if (!run.status.message.empty()) detail += ": " + run.status.message;
    Report(key, "AnalysisRunCompleted", std::move(detail));
  }
}

json AnalysisRunController::StatusJson(const Run& run, SimTime completed_at) const {
  json status = {{"phase", AnalysisPhaseName(run.status.phase)},
                 {"startedAt", store_.Timestamp(run.status.started_at)}};
  if (!run.status.message.empty()) status["message"] = run.status.message;
  json results = json::array();
  json summary = json::object(), dry_summary = json::object();
  auto count = [](json& s, const char* field) { s[field] = s.value(field, 0) + 1; };
  for (const Metric& metric : run.metrics) {
    const MetricResult* r = run.status.Find(metric.name);
    json& s = run.dry_run.count(metric.name) ? dry_summary : summary;
    count(s, "count");
    AnalysisPhase phase = r != nullptr ? r->phase : AnalysisPhase::kPending;
    if (phase == AnalysisPhase::kSuccessful) count(s, "successful");
    if (phase == AnalysisPhase::kFailed) count(s, "failed");
    if (phase == AnalysisPhase::kInconclusive) count(s, "inconclusive");
    if (phase == AnalysisPhase::kError) count(s, "error");
    if (r == nullptr) continue;
    json m = {{"name", r->name}, {"phase", AnalysisPhaseName(r->phase)}};
    json measurements = json::array();
    for (const Measurement& x : r->measurements) {
      json one = {{"phase", AnalysisPhaseName(x.phase)},
                  {"startedAt", store_.Timestamp(x.started_at)}};
      if (x.finished_at) one["finishedAt"] = store_.Timestamp(*x.finished_at);
      if (x.value.is_string()) one["value"] = x.value;
      if (!x.message.empty()) one["message"] = x.message;
      measurements.push_back(std::move(one));
    }
    if (!measurements.empty()) m["measurements"] = std::move(measurements);
    if (!r->message.empty()) m["message"] = r->message;
    auto put = [&m](const char* field, int32_t v) {
      if (v != 0) m[field] = v;
    };
    put("count", r->count);
    put("successful", r->successful);
    put("failed", r->failed);
    put("inconclusive", r->inconclusive);
    put("error", r->error);
    put("consecutiveError", r->consecutive_error);
    put("consecutiveSuccess", r->consecutive_success);
    if (r->dry_run) m["dryRun"] = true;
    if (metric.provider == "prometheus" && metric.provider_spec.contains("query")) {
      m["metadata"] = {{"ResolvedPrometheusQuery", metric.provider_spec["query"]}};
    }
    results.push_back(std::move(m));
  }
  if (!results.empty()) status["metricResults"] = std::move(results);
  if (!summary.empty()) status["runSummary"] = std::move(summary);
  if (!dry_summary.empty()) status["dryRunSummary"] = std::move(dry_summary);
  if (IsCompleted(run.status.phase)) status["completedAt"] = store_.Timestamp(completed_at);
  return status;
}

}  // namespace fleetsim::rollouts
