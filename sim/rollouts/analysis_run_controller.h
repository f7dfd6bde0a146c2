// The AnalysisRun controller of one cluster (argo-rollouts analysis/controller.go and
// analysis/analysis.go reconcileAnalysisRun): watches AnalysisRun objects in the cluster's
// ObjectStore, takes their measurements in virtual time and writes their status as the real CRD
// shows it (phase, message, startedAt, metricResults with counters and the last 10 measurements,
// runSummary, dryRunSummary, completedAt).
//
// On each reconcile of a run that is not completed: resolve the metrics (args substituted,
// validated; a failure is phase Error with "Unable to resolve metric arguments: ..." or
// "Analysis spec invalid: ..."), take the measurements due (analysis.h PlanMeasurements), assess
// the run, write the status, and wake up when the next measurement falls due. spec.terminate
// stops new measurements ("Run Terminated").
//
// Measurements come from the prometheus provider (metricproviders/prometheus): the address must
// be a URL, the query is PromQL answered by the cluster's TrafficModel at that instant; a vector
// gives `result` as the list of its values (value "[v1,v2]"), a scalar one number. A query error,
// an unparseable condition, or a condition that errors on the result (`result[0]` of an empty
// vector) is an Error measurement carrying the message, as in the real controller (conditions
// are compiled at each measurement upstream, so a bad expression is caught there, not when the
// run is created). Other providers (web, job, datadog, ...) have no model here: their
// measurements are Errors that say so.
//
// Trace: AnalysisMeasurement (object AnalysisRun/ns/name; detail "<metric>=<value> <Phase>" or
// "<metric> Error: <message>") and AnalysisRunCompleted ("<Phase>[: <message>]").
#ifndef FLEETSIM_SIM_ROLLOUTS_ANALYSIS_RUN_CONTROLLER_H_
#define FLEETSIM_SIM_ROLLOUTS_ANALYSIS_RUN_CONTROLLER_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/simulator.h"
#include "engine/trace.h"
#include "sim/cluster/object_store.h"
#include "sim/rollouts/analysis.h"
#include "sim/rollouts/analysis_spec.h"
#include "sim/rollouts/promql.h"
#include "sim/rollouts/traffic_model.h"

namespace fleetsim::rollouts {

// Measurements kept per metric (analysis.go DefaultMeasurementHistoryLimit).
inline constexpr size_t kMeasurementRetention = 10;

class AnalysisRunController {
 public:
  // REQUIRES: sim, store, trace and traffic outlive the controller.
  AnalysisRunController(std::string cluster, Simulator& sim, ObjectStore& store, Trace& trace,
                        TrafficModel& traffic);
  AnalysisRunController(const AnalysisRunController&) = delete;
  AnalysisRunController& operator=(const AnalysisRunController&) = delete;
  ~AnalysisRunController();

 private:
  struct Run {
    std::string uid;
    bool resolved = false;
    std::vector<Metric> metrics;
    std::set<std::string> dry_run;
    std::vector<MetricConditions> conditions;
    std::vector<std::optional<PromQuery>> queries;  // per metric, parsed on first use
    std::vector<std::string> query_errors;
    AnalysisRunStatus status;
    std::string error;  // the run's Error message when its spec cannot be resolved
    bool completed = false;
    EventId timer = 0;
  };

  void OnEvent(const WatchEvent& event);
  void Enqueue(const ObjectKey& key);
  void Reconcile(const ObjectKey& key);
  void Resolve(Run& run, const Json& doc);
  Measurement Measure(Run& run, size_t metric);
  Json StatusJson(const Run& run, SimTime completed_at) const;
  void Report(const ObjectKey& key, std::string event, std::string detail);

  std::string cluster_;
  Simulator& sim_;
  ObjectStore& store_;
  Trace& trace_;
  TrafficModel& traffic_;
  WatchId watch_ = 0;
  std::map<ObjectKey, Run> runs_;
  std::set<ObjectKey> queued_;
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_ANALYSIS_RUN_CONTROLLER_H_
