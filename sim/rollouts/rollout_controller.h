// The Argo Rollouts controller of one cluster (reference 1; argo-rollouts rollout/canary.go,
// rollout/bluegreen.go, rollout/replicaset.go, rollout/sync.go, rollout/analysis.go,
// rollout/trafficrouting.go, rollout/service.go). It works through the ObjectStore as the real one
// works through the API server:
//
//  * it owns one ReplicaSet per pod template, named <rollout>-<pod-template-hash>, labelled (and
//    selecting) rollouts-pod-template-hash, annotated rollout.argoproj.io/revision; the cluster's
//    ReplicaSet controller makes the pods;
//  * it writes the Rollout's status as the real controller does (currentPodHash, stableRS,
//    currentStepIndex, currentStepHash, pauseConditions, controllerPause, abort, promoteFull,
//    canary.weights, the analysis run statuses, blueGreen selectors, conditions, phase, message,
//    observedGeneration as a string), so Argo CD's Rollout health reads it;
//  * it points the canary/stable (or active/preview) Services' selectors at a pod-template hash;
//  * it creates AnalysisRuns from AnalysisTemplates / ClusterAnalysisTemplates and reads back
//    their status.phase (Successful, Failed, Error, Inconclusive). It never measures: the
//    AnalysisRun controller fills the status.
//
// Model choices, with reasons:
//  * A traffic router (`trafficRouting` present, whatever the mesh) is modelled by the weights the
//    controller would set on it, written to status.canary.weights; no mesh object is written.
//  * Reconciles run from the store's watch (the Rollout's spec, its ReplicaSets and
//    AnalysisRuns, templates) and at timed wake-ups (pause durations, scale-down deadlines,
//    autoPromotionSeconds, the progress deadline + 1 s as requeueStuckRollout does); a status
//    write requeues the Rollout at the same instant, as the informer's update event does.
//  * Times in status are whole seconds (metav1.Time), so a pause ends at its start second plus
//    its duration, as upstream.
//  * Not modelled: workloadRef, experiments (an experiment step never completes: the rollout waits
//    there), header/mirror routes (complete at once), pod restarts (restartAt), HPA replicas,
//    anti-affinity, revisionHistoryLimit clean-up of old ReplicaSets, analysis run history limits.
#ifndef FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTROLLER_H_
#define FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/simulator.h"
#include "engine/status.h"
#include "sim/cluster/live_object.h"
#include "sim/cluster/object_store.h"

namespace fleetsim::rollouts {

// Where a Rollout's user traffic goes now: what a metrics provider needs to split requests
// between versions. With a traffic router: the router's weight (status.canary.weights). Without
// one (basic canary): the share of available pods, canary / (canary + stable). Blue-green: all
// traffic on the active selector's version (canary weight 100 once the active Service points at
// the new version before it is marked stable, else 0).
struct TrafficSplit {
  std::string stable_hash;  // pod-template hash of the stable version
  std::string canary_hash;  // the new version's hash; "" when fully promoted
  int32_t canary_weight_percent = 0;
  int32_t canary_available = 0;  // available pods of each version (basic canary's split)
  int32_t stable_available = 0;
  bool traffic_routed = false;
};

class RolloutController {
 public:
  // A timeline record about `rollout`: RolloutStepStarted, RolloutScaled, RolloutAborted,
  // RolloutPromoted, RolloutCompleted, RolloutPaused, RolloutResumed.
  using EventSink =
      std::function<void(std::string_view event, const ObjectKey& rollout, std::string detail)>;

  // Watches `store`. `start_unix` is the wall-clock time of t=0 (to read status timestamps back).
  // REQUIRES: sim and store outlive the controller.
  RolloutController(Simulator& sim, ObjectStore& store, int64_t start_unix, EventSink sink);
  RolloutController(const RolloutController&) = delete;
  RolloutController& operator=(const RolloutController&) = delete;
  ~RolloutController();

  // ---- kubectl argo rollouts (the plugin's patches, reference 1.8) ----
  // promote: unpause spec, clear pause conditions, or (canary, no pause condition) skip the
  // current step; `full`: status.promoteFull. abort: status.abort. retry: clears it. pause:
  // spec.paused. Errors: the Rollout does not exist (the plugin's NotFound text).
  Status Promote(const ObjectKey& rollout, bool full);
  Status Abort(const ObjectKey& rollout);
  Status Retry(const ObjectKey& rollout);
  Status Pause(const ObjectKey& rollout);

  // The current split of `rollout`'s traffic; nullopt when it does not exist or has no status.
  std::optional<TrafficSplit> Split(const ObjectKey& rollout) const;

  // The controller's pod restarts: its watch, queue, wake-ups and per-Rollout memory are lost at
  // once; after `downtime` it watches again and requeues every Rollout (its informer's initial
  // list). AnalysisRuns and the Rollouts' status are objects, so nothing else is lost.
  void Restart(SimDuration downtime);

  struct Context;  // one reconcile's view (rollout_context.h, internal)

 private:
  struct Memory {
    int same_instant_passes = 0;
    SimTime pass_instant;
  };

  void OnEvent(const WatchEvent& event);
  void Enqueue(const ObjectKey& key);
  void WakeAt(const ObjectKey& key, SimTime t);
  void Flush();
  void Reconcile(const ObjectKey& key);

  // rollout_controller.cc: ReplicaSets, Services, status.
  bool LoadReplicaSets(Context& c);
  void ScaleReplicaSet(Context& c, const std::string& name, int32_t replicas);
  void SetScaleDownDeadline(Context& c, const std::string& name, std::optional<SimTime> deadline);
  void PointService(const Context& c, const std::string& service, const std::string& hash);
  void Persist(Context& c);
  void CalculateConditions(Context& c);
  void EvaluateProgressDeadlineAbort(Context& c);
  void EmitEvents(const Context& c);
  void RequeueStuck(const Context& c);
  std::optional<SimTime> ParseTime(const Json& text) const;
  std::string Stamp(SimTime t) const { return store_.Timestamp(t); }

  // rollout_canary.cc
  void ReconcileCanary(Context& c);
  void ReconcileTrafficWeights(Context& c);
  void ReconcileCanaryPause(Context& c);
  void SyncCanaryStatus(Context& c);
  void PromoteStable(Context& c, const std::string& reason);

  // rollout_bluegreen.cc
  void ReconcileBlueGreen(Context& c);
  void ScaleBlueGreen(Context& c);
  bool BlueGreenPauseDone(Context& c);
  void SyncBlueGreenStatus(Context& c);

  // rollout_analysis_runs.cc
  void ReconcileAnalysisRuns(Context& c);
  void ReconcileBlueGreenAnalysis(Context& c);
  // The run for `kind` ("Step", "Background", "PrePromotion", "PostPromotion"), creating it when
  // `create`; writes its {name, status, message} into the status. nullopt when none.
  std::optional<std::string> CurrentRunPhase(Context& c, const std::string& kind, int32_t step,
                                             const Json& analysis, bool create);
  void TerminateRuns(Context& c, const std::set<std::string>& keep);
  void ReactToRun(Context& c, const std::string& phase, const std::string& message,
                  const std::string& source);

  Simulator& sim_;
  ObjectStore& store_;
  int64_t start_unix_;
  EventSink sink_;
  WatchId watch_ = 0;
  std::vector<ObjectKey> queue_;
  std::set<ObjectKey> queued_;
  EventId flush_ = 0;
  std::map<ObjectKey, std::pair<SimTime, EventId>> wakeups_;
  std::map<ObjectKey, Memory> memory_;
  bool restarting_ = false;
};

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_ROLLOUT_CONTROLLER_H_
