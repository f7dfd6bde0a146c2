// Argo CD's ApplicationSet controller (reference/argocd.md 4.1-4.3; argo-cd applicationset/
// controllers/applicationset_controller.go): watches ApplicationSets in the management cluster,
// generates their Applications, and creates, updates and deletes them through the same API a real
// controller uses, so that the application controller then syncs, cascades or orphans as usual.
//
// Each reconcile: a deleted ApplicationSet loses its finalizer (its Applications' owner references
// first, when the policy forbids deletes); else generate — any generator or template error sets
// the ErrorOccurred condition and changes nothing, retried after 3 minutes —, validate (invalid
// names are neither applied nor deleted), create or update (policy permitting, in name order),
// delete the owned Applications no longer generated (policy permitting; the resources finalizer
// is removed first when their cluster is gone), record the status, and requeue after the smallest
// generator requeue.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_CONTROLLER_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_CONTROLLER_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/simulator.h"
#include "engine/trace.h"
#include "engine/work_queue.h"
#include "sim/argocd/appset_generate.h"
#include "sim/argocd/appset_memo.h"
#include "sim/argocd/appset_progressive.h"
#include "sim/argocd/appset_sources.h"
#include "sim/argocd/appset_spec.h"
#include "sim/cluster/cluster_api.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

// Requeue after a generation or validation error (ReconcileRequeueOnValidationError, v2.13+).
inline constexpr SimDuration kAppSetErrorRequeue = SimDuration::Minutes(3);
// controller-runtime's per-item backoff when Reconcile returns an error (a failed create, update
// or delete of an Application): 5 ms doubled per consecutive failure, at most 1000 s.
inline constexpr SimDuration kAppSetMaxBackoff = SimDuration::Seconds(1000);
SimDuration WriteErrorBackoff(int64_t failures);

class ApplicationSetController {
 public:
  // REQUIRES: every reference outlives the controller. `management` is in-cluster's API.
  ApplicationSetController(Simulator& sim, Trace& trace, const ArgoCdSettings& settings,
                           ClusterApi& management, AppSetSources& sources);
  ~ApplicationSetController();

  void Start();
  // The control plane is lost (argocd-destroyed): the watch ends, requeues are cancelled, the
  // controller forgets every ApplicationSet and reconciles nothing more. A new controller
  // replaces it.
  void Stop();
  // The controller's pod restarts: the watch, the requeue timers, the queue and the write
  // back-off are lost at once; after `downtime` it lists every ApplicationSet and reconciles each
  // (controller-runtime's initial list). A restart while one is under way changes nothing.
  void Restart(SimDuration downtime);
  // The ApplicationSet webhook: reconciles, with a fresh revision, every ApplicationSet whose git
  // generators read `repo_url`.
  void OnPush(const std::string& repo_url);
  // Cluster Secrets changed: requeue every ApplicationSet with a cluster generator.
  void OnClustersChanged();

  // --enable-progressive-syncs: RollingSync strategies drive their Applications' syncs through
  // `host` (reference 4.6). Off by default, as in Argo CD: the strategy is then ignored and any
  // status.applicationStatus cleared. `start_unix` dates status.applicationStatus entries.
  // REQUIRES: `host` outlives the controller.
  void EnableProgressiveSyncs(ProgressiveSyncHost& host, int64_t start_unix);
  // An owned Application's sync, health or operation changed: with progressive syncs, its
  // ApplicationSet is reconciled again (shouldRequeueForApplication).
  void OnApplicationStatusChanged(const std::string& app);
  // status.applicationStatus of `appset` as last written (empty without a RollingSync).
  const std::vector<AppSetAppStatus>& AppStatuses(const std::string& appset) const;

  // The error condition of the last reconcile of `appset` ("" when none).
  std::string ErrorOf(const std::string& appset) const;
  uint64_t reconciles() const { return reconciles_; }

 private:
  struct AppSetState {
    std::string name;
    EventId requeue = 0;
    bool no_cache = false;
    std::string last_error;
    std::string last_warning;
    std::vector<std::string> repo_urls;  // of its git generators (for the webhook)
    bool cluster_generator = false;
    int64_t write_failures = 0;  // consecutive reconciles that failed to write an Application
    // RollingSync: status.applicationStatus and the RolloutProgressing / InvalidRolloutConfig
    // conditions (unset when the strategy is not in force).
    std::vector<AppSetAppStatus> app_statuses;
    std::optional<RolloutCondition> rollout_progressing;
    std::optional<RolloutCondition> rollout_config;
    // The spec parsed at resourceVersion parsed_version, and its JSON text.
    std::optional<AppSetSpec> parsed;
    uint64_t parsed_version = 0;
    std::string spec_text;
    AppSetMemo memo;  // the last generation and what it read
    // The Applications that generation was written over (or found equal to), at their
    // resourceVersion then.
    std::map<std::string, uint64_t, std::less<>> up_to_date;
  };
  struct Counts {
    int created = 0;
    int updated = 0;
    int deleted = 0;
  };

  void OnEvent(const WatchEvent& event);
  void Enqueue(const std::string& name);
  void Reconcile(const std::string& name);
  void ReconcileDeletion(const LiveObject& appset, const AppSetSpec& spec);
  void Fail(AppSetState& state, const LiveObject& appset, const std::string& reason,
            const std::string& message, bool parameters_generated = false);
  // PerformProgressiveSyncs: updates the statuses of the owned Applications and returns the
  // Applications the strategy lets sync now.
  std::set<std::string> PerformProgressiveSyncs(AppSetState& state, const AppSetSpec& spec,
                                                const std::vector<Json>& generated);
  // SyncDesiredApplications: disables automated sync on every Application and returns, by name,
  // the Pending ones to sync with their template's automated.prune.
  std::map<std::string, bool> SyncDesiredApplications(const AppSetState& state,
                                                      const std::set<std::string>& to_sync,
                                                      std::vector<Json>* apps);
  void TriggerSyncs(const AppSetState& state, const std::map<std::string, bool>& syncs);
  void SetAppStatuses(AppSetState& state, std::vector<AppSetAppStatus> next);
  std::vector<LiveObject> OwnedApplications(const AppSetSpec& spec);
  void CreateOrUpdate(const AppSetSpec& spec, const LiveObject& appset, const Json& desired,
                      bool update, Counts* counts, std::string* error,
                      std::map<std::string, uint64_t, std::less<>>* up_to_date);
  // Deletes the `owned` Applications (listed before this reconcile wrote any) not `wanted` (no
  // longer generated).
  void DeleteStale(const AppSetSpec& spec, const std::set<std::string, std::less<>>& wanted,
                   const std::vector<LiveObject>& owned, Counts* counts, std::string* error);
  void WriteStatus(const AppSetState& state, const LiveObject& appset,
                   const std::string& error_reason, const std::string& error,
                   bool parameters_generated);
  void RequeueAfter(AppSetState& state, SimDuration delay);
  void Record(const std::string& event, const std::string& appset, const std::string& app,
              const std::string& detail, bool change = true);

  Simulator& sim_;
  Trace& trace_;
  ArgoCdSettings settings_;
  ClusterApi& management_;
  AppSetSources& sources_;
  ProcessorPool<std::string> queue_;
  std::map<std::string, AppSetState> states_;  // by ApplicationSet name
  WatchId watch_ = 0;
  bool stopped_ = false;
  bool restarting_ = false;
  uint64_t reconciles_ = 0;
  ProgressiveSyncHost* progressive_ = nullptr;  // null: progressive syncs disabled
  int64_t start_unix_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_CONTROLLER_H_
