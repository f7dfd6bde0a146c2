// The Kubernetes controllers inside one cluster that make workloads run, in virtual time: the
// Deployment controller (one ReplicaSet per pod template; rolling update with maxSurge rounded up
// and maxUnavailable rounded down, 25% each by default; Recreate; progress deadline), the
// ReplicaSet, StatefulSet (OrderedReady or Parallel; rolling update from the highest ordinal;
// volumeClaimTemplates), DaemonSet (one pod per node) and Job controllers (completions,
// parallelism, backoffLimit with exponential back-off, activeDeadlineSeconds, TTL), a kubelet
// (pod start-up, missing ConfigMaps / Secrets / PVCs, image pull failures, crashing containers,
// run-to-completion), the endpoints controller (ready endpoints per Service), a storage
// provisioner (PVCs bind), a load-balancer provider (LoadBalancer Services and Ingresses get an
// address), the HPA controller's conditions and the aggregator's APIService availability.
//
// Everything is driven by the ObjectStore's watch: a change enqueues the affected objects, and a
// queue drained at the same virtual instant reconciles them (so a controller reacts to a change
// after it, never inside it). Work is proportional to what changes: pods are found through the
// store's owner index, Services through a per-namespace index.
//
// Model choices, with reasons:
//  * Pod start-up (scheduled → containers ready) is one draw per pod, uniform in
//    [pod_startup.min, pod_startup.max], from the stream "cluster/<name>/pods"; pods draw in the
//    order they are created, so a seed gives the same times.
//  * Pods are deleted at once (no graceful termination) — the store's choice; endpoints drop at
//    the same instant, as they do in Kubernetes when the deletionTimestamp is set.
//  * imagePullSecrets that do not exist do not block a pod: the kubelet pulls without them (an
//    event), as Kubernetes does; only a bad image (SetImagePullFailing) fails the pull.
//  * A Job pod with restartPolicy OnFailure is handled like Never (a failure is a new pod).
//  * StatefulSet pods are always created from the current template (no ControllerRevision
//    history), so a partitioned update recreates pods below the partition at the new revision.
//  * No ControllerRevision, Endpoints or EndpointSlice objects are written; ready endpoints are
//    reported through EndpointsObserver.
//  * The HPA controller does not scale on metrics: it only keeps its target's spec.replicas
//    within [minReplicas, maxReplicas] (which is what makes a Git replicas field drift) and
//    reports AbleToScale/ScalingActive, or FailedGetScale while the target is missing.
//  * A crash-looping container stays in CrashLoopBackOff (restartCount 1) without further
//    restarts being simulated; a pod stuck on a bad image stays in ImagePullBackOff. Clearing the
//    fault lets them start after one back-off (crash_backoff / image_pull_backoff).
//  * minReadySeconds is honoured for ReplicaSets and DaemonSets; StatefulSet availability is
//    readiness.
#ifndef FLEETSIM_SIM_CLUSTER_WORKLOADS_H_
#define FLEETSIM_SIM_CLUSTER_WORKLOADS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/random.h"
#include "engine/simulator.h"
#include "sim/cluster/label_selector.h"
#include "sim/cluster/live_object.h"
#include "sim/cluster/object_store.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

struct WorkloadConfig {
  PodStartup pod_startup;                                     // DESIGN: default uniform 5-30 s
  int nodes = 3;                                              // DaemonSet pods per cluster
  SimDuration job_run_time = SimDuration::Seconds(10);        // a run-to-completion container
  SimDuration pvc_bind_delay = SimDuration::Seconds(1);       // default StorageClass provisioner
  SimDuration load_balancer_delay = SimDuration::Seconds(5);  // cloud LB / ingress controller
  SimDuration image_pull_backoff = SimDuration::Seconds(10);  // ErrImagePull → ImagePullBackOff
  SimDuration crash_backoff = SimDuration::Seconds(10);       // kubelet's first restart back-off
};

class WorkloadController {
 public:
  // A Service's ready endpoints changed (also reported once when the Service appears).
  using EndpointsObserver = std::function<void(const ObjectKey& service, int ready)>;

  // Watches `store`. REQUIRES: sim and store outlive the controller.
  WorkloadController(Simulator& sim, ObjectStore& store, uint64_t run_seed, WorkloadConfig config);
  WorkloadController(const WorkloadController&) = delete;
  WorkloadController& operator=(const WorkloadController&) = delete;
  ~WorkloadController();

  // ---- Fault hooks (bad-image, slow-start) ----
  // Pulls of `image` fail (ErrImagePull, then ImagePullBackOff) for pods starting from now; when
  // cleared, pods stuck on it retry after image_pull_backoff.
  void SetImagePullFailing(const std::string& image, bool failing);
  // Containers of `image` exit with code 1 on start: CrashLoopBackOff for long-running pods, a
  // failed pod for run-to-completion ones. When cleared, crash-looping pods recover after
  // crash_backoff.
  void SetImageCrashing(const std::string& image, bool crashing);
  // slow-start: pods created from now on whose containers use `image` take `extra` longer to
  // become ready (zero clears it); with several slow images in a pod, the largest counts.
  void SetImageSlowStart(const std::string& image, SimDuration extra);
  // Start-up times drawn from now on.
  void SetPodStartup(PodStartup startup) { config_.pod_startup = startup; }

  // ---- Service endpoints ----
  // The number of ready pods a Service selects, or nullopt for an unknown Service or one without
  // a selector (whose endpoints Kubernetes does not manage).
  std::optional<int> ReadyEndpoints(const ObjectKey& service) const;
  void AddEndpointsObserver(EndpointsObserver observer);

  const WorkloadConfig& config() const { return config_; }

 private:
  enum class PodStage { kWaiting, kStarting, kPullFailing, kRunning, kCrashLooping, kDone };
  struct PodState {
    ObjectKey key;
    SimDuration startup;
    PodStage stage = PodStage::kWaiting;
    EventId timer = 0;
    SimTime ready_since;
    std::vector<ObjectKey> waiting_on;  // missing ConfigMaps, Secrets, unbound PVCs
  };
  struct ServiceState {
    LabelSelector selector;
    std::set<ObjectKey> ready;
    int reported = -1;
  };

  void OnEvent(const WatchEvent& event);
  void Enqueue(const ObjectKey& key);
  // Reconciles `key` at `t` (the earliest of several requests wins).
  void WakeAt(const ObjectKey& key, SimTime t);
  void Flush();
  void Reconcile(const ObjectKey& key);
  std::string Now() const;  // RFC 3339 of now()
  // workload::TemplateHash of the object's spec.template, cached per (uid, generation).
  const std::string& PodTemplateHash(const LiveObject& owner);

  // Kubelet (kubelet_model.cc).
  void OnPodEvent(const WatchEvent& event);
  void Admit(PodState& pod);
  void StartContainers(PodState& pod);
  void FinishPod(PodState& pod);
  void PullBackOff(PodState& pod);
  void ArmPodTimer(PodState& pod, SimDuration delay, void (WorkloadController::*step)(PodState&));
  void OnDependencyChanged(const ObjectKey& dependency);
  void WritePodStatus(const ObjectKey& key, Json status);
  std::vector<std::string> MissingDependencies(const LiveObject& pod, std::vector<ObjectKey>* waits,
                                               std::string* waiting_reason) const;
  bool ImageIn(const LiveObject& pod, const std::set<std::string>& images) const;
  void RetryPods(const std::string& image, PodStage stage, SimDuration delay);

  // Deployment and ReplicaSet (deployment_controller.cc, replicaset_controller.cc).
  void ReconcileDeployment(const LiveObject& d);
  void ReconcileReplicaSet(const LiveObject& rs);
  void SyncDeploymentStatus(const LiveObject& d, const std::vector<LiveObject>& all,
                            const LiveObject* new_rs, int64_t max_unavailable, bool created_new);
  std::vector<LiveObject> OwnedActivePods(const LiveObject& owner) const;
  // Ready pods that have been ready for min_ready_seconds; asks to reconcile `wake` when the
  // others will have been.
  int64_t AvailablePods(const std::vector<LiveObject>& pods, int64_t min_ready_seconds,
                        const ObjectKey& wake);

  // StatefulSet, DaemonSet, Job (statefulset_controller.cc, daemonset_controller.cc,
  // job_controller.cc).
  void ReconcileStatefulSet(const LiveObject& sts);
  void EnsureClaims(const LiveObject& sts, int64_t ordinal);
  void ReconcileDaemonSet(const LiveObject& ds);
  void ReconcileJob(const LiveObject& job);
  void FinishJob(const LiveObject& job, Json status, std::string_view type, std::string_view reason,
                 std::string_view message, const std::vector<LiveObject>& active);

  // Small controllers (cluster_addons.cc): PVC binding, load balancers, HPA, APIService.
  void ReconcilePvc(const LiveObject& pvc);
  void ReconcileLoadBalancer(const LiveObject& obj);
  void ReconcileHpa(const LiveObject& hpa);
  void ReconcileApiService(const LiveObject& api_service);

  // Endpoints (service_endpoints.cc).
  void OnServiceEvent(const WatchEvent& event);
  void UpdatePodEndpoints(const ObjectKey& pod, const LiveObject* live);
  void Report(const ObjectKey& service, ServiceState& state);

  Simulator& sim_;
  ObjectStore& store_;
  RandomStream rng_;
  WorkloadConfig config_;
  WatchId watch_ = 0;

  std::vector<ObjectKey> queue_;
  std::set<ObjectKey> queued_;
  EventId flush_ = 0;
  std::map<ObjectKey, std::pair<SimTime, EventId>> wakeups_;

  std::map<ObjectKey, PodState> pods_;
  std::map<ObjectKey, std::set<ObjectKey>> waiters_;  // dependency -> pods waiting on it
  std::set<std::string> pull_failing_;
  std::set<std::string> crashing_;
  std::map<std::string, SimDuration> slow_images_;  // slow-start: image -> extra start-up

  std::map<ObjectKey, SimTime> progress_update_;  // Deployment -> Progressing lastUpdateTime
  std::map<ObjectKey, std::pair<int64_t, std::string>> template_hashes_;  // by generation
  struct JobMemory {
    SimTime started;
    SimTime last_failure;
    int64_t failed_seen = 0;
    std::optional<SimTime> finished;
  };
  std::map<ObjectKey, JobMemory> jobs_;
  std::map<ObjectKey, std::set<ObjectKey>> hpa_targets_;  // scale target -> HPAs

  std::map<ObjectKey, ServiceState> services_;
  std::map<std::string, std::set<ObjectKey>, std::less<>> services_by_ns_;
  std::vector<EndpointsObserver> endpoints_observers_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_WORKLOADS_H_
