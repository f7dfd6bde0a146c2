// The user traffic one cluster's Services serve and the Prometheus series it leaves, from the
// scenario's `traffic:` model (DESIGN.md "Scenario files"; issue 5 item 3).
//
// The model starts once the cluster serves argoproj.io/Rollout (Argo Rollouts' CRDs installed);
// from then on it tracks every Service. Per Service: a request rate (traffic.services, else
// traffic.default.rps; a Rollout's canaryService or previewService gets none unless
// traffic.services names it: users reach the stable and active Services). The rate is split between
// versions (ready pods grouped by rollouts-pod-template-hash, else pod-template-hash, and image):
//  * the stableService of a Rollout with a traffic router, once status.canary.weights is set:
//    by those weights (the Rollout's pods of each hash; a weight whose version has no ready pod
//    is dropped and the rest renormalised);
//  * every other Service: by the share of ready pods it selects (the basic canary, blue-green's
//    active Service, a Deployment).
// Each version serves at its image's successRate and latencyP99 (traffic.images, else
// traffic.default, as changed by a metrics-degraded fault). Noise is drawn per query from the
// stream "<seedStream>/<cluster>": the success rate ± U(0, successRateNoise), the p99 × (1 ±
// U(0, latencyNoise)).
//
// A Service governed by a Rollout (named in its strategy, or selecting what its selector
// selects) has a stable version, status.stableRS. Whenever its split or rates change the model
// writes `TrafficShifted` (object Service/ns/name, detail `rps=R canary=C bad_rps=B: ...`): C is
// the share served by versions other than stable, B the failed requests per second of versions
// whose success rate is below stable's. Metrics integrate them (bad_requests,
// canary_exposure_seconds).
//
// Series (SeriesSource): request counters (any metric name containing "request" or "_rq", and
// histograms' `_count`), latency histograms (`*_bucket`, milliseconds when the name says so, else
// seconds) and their `_sum`, one series per (Service, version, code class) with the labels
// namespace, service, exported_service, destination_service (the cluster FQDN),
// destination_service_name, destination_service_namespace, app, rollouts_pod_template_hash,
// pod_template_hash, version (image tag), reporter="source", and code, status, status_code,
// response_code ("200" / "500") and envoy_response_code_class ("2" / "5"). Counters integrate
// the piecewise-constant rates since t=0; a range sees (now - range, now].
#ifndef FLEETSIM_SIM_ROLLOUTS_TRAFFIC_MODEL_H_
#define FLEETSIM_SIM_ROLLOUTS_TRAFFIC_MODEL_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/random.h"
#include "engine/simulator.h"
#include "engine/trace.h"
#include "sim/cluster/object_store.h"
#include "sim/rollouts/promql.h"
#include "sim/scenario/scenario.h"

namespace fleetsim::rollouts {

// The Rollout that uses `service` as a test-only Service (its canary strategy's canaryService or
// its blue-green strategy's previewService), as "<preview|canary> Service of Rollout NAME"; empty
// when no Rollout of the Service's namespace does. Users reach the stable and active Services, so
// such a Service carries no user traffic (unless traffic.services names it) and its outages are
// not user-facing downtime.
std::string TestOnlyServiceRole(const ObjectStore& store, const ObjectKey& service);

class TrafficModel : public SeriesSource {
 public:
  // One version's slice of a Service's traffic.
  struct Version {
    std::string hash;
    std::string image;
    double rps = 0;
    double success_rate = 1;
    SimDuration latency_p99;
    bool operator==(const Version&) const = default;
  };

  // REQUIRES: sim, store, trace and spec outlive the model.
  TrafficModel(std::string cluster, Simulator& sim, ObjectStore& store, Trace& trace,
               const TrafficSpec& spec, uint64_t run_seed);
  TrafficModel(const TrafficModel&) = delete;
  TrafficModel& operator=(const TrafficModel&) = delete;
  ~TrafficModel() override;

  // metrics-degraded: `image` serves at these rates (unset ones unchanged) while active.
  void SetDegraded(const std::string& image, std::optional<double> success_rate,
                   std::optional<SimDuration> latency_p99, bool active);

  // The Service's traffic now, by version (hash, image order).
  std::vector<Version> Split(const ObjectKey& service) const;

  // Starts a query: noise is drawn once per (Service, version) per query.
  void BeginQuery() { noise_.clear(); }
  std::vector<SeriesPoint> Select(std::string_view name,
                                  const std::function<bool(const PromLabels&)>& matches,
                                  SimDuration range) override;

 private:
  struct Segment {
    SimTime start;
    std::vector<Version> versions;
  };
  struct ServiceTraffic {
    std::vector<Segment> history;  // piecewise-constant, oldest first
    std::string app;
    std::string stable_hash;
    double bad_rps = 0;
    double canary_share = 0;
    // Each version's series labels but the code class, built once.
    std::map<std::pair<std::string, std::string>, PromLabels> labels;
  };
  struct Noise {
    double success_offset = 0;
    double latency_factor = 1;
  };

  void OnEvent(const WatchEvent& event);
  void MarkNamespace(const std::string& ns);
  void Flush();
  void Recompute(const ObjectKey& service);
  TrafficProfile ProfileOf(const std::string& image) const;
  double ServiceRps(const ObjectKey& service) const;
  const Noise& NoiseFor(const ObjectKey& service, const Version& v);
  static const PromLabels& LabelsFor(const ObjectKey& service, ServiceTraffic& traffic,
                                     const Version& v);

  std::string cluster_;
  Simulator& sim_;
  ObjectStore& store_;
  Trace& trace_;
  const TrafficSpec& spec_;
  RandomStream random_;
  WatchId watch_ = 0;
  bool active_ = false;
  std::set<ObjectKey> dirty_;
  bool flush_pending_ = false;
  std::map<ObjectKey, ServiceTraffic> services_;
  std::map<std::string, TrafficProfile> degraded_;
  std::map<std::tuple<ObjectKey, std::string, std::string>, Noise> noise_;
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_TRAFFIC_MODEL_H_
