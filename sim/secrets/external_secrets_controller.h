// The External Secrets Operator of one cluster (reference rollouts-secrets.md section 3;
// external-secrets pkg/controllers/externalsecret, pkg/controllers/secretstore,
// pkg/controllers/common BuildRateLimiter). It works through the ObjectStore as the real one
// works through the API server, and reads remote secrets from the SecretProviders model:
//
//  * SecretStore / ClusterSecretStore: validated on creation, on a spec change and every
//    spec.refreshInterval seconds (default --store-requeue-interval, 5 min); status.conditions
//    Ready True `Valid` "store validated", or False `InvalidProviderConfig` with "could not get
//    provider client" (auth failing) or "unable to validate store" (provider unreachable). A
//    failed validation is retried with the per-item backoff below.
//  * ExternalSecret: status.conditions Ready (reasons SecretSynced, SecretSyncedError,
//    SecretDeleted, SecretMissing, with the messages of reference 3.2), status.refreshTime,
//    status.syncedResourceVersion ("<generation>-<hash of labels and annotations>"),
//    status.binding; the target Secret (default name: the ExternalSecret's) with the label
//    reconcile.external-secrets.io/managed=true, the annotation
//    reconcile.external-secrets.io/data-hash, and for creationPolicy Owner a controller
//    ownerReference and the reconcile.external-secrets.io/created-by label.
//  * Timing (reference 3.3): a sync is skipped while the refresh is not due, the generation and
//    metadata are unchanged and the Secret is valid (requeued after the rest of refreshInterval
//    + 5 s, as upstream); refreshInterval 0 syncs once per spec change; refreshPolicy
//    CreatedOnce / OnChange. A spec or metadata change, and for Owner a change or deletion of the
//    target Secret, reconcile at once. An error is retried with controller-runtime's per-item
//    exponential backoff as ESO configures it: 1 s doubling to at most 7 min (BuildRateLimiter;
//    not the 5 ms default), reset by a success; it is not requeued at refreshInterval.
//  * The flood gate (on by default): a store whose Ready condition is not True fails the sync
//    with `SecretStore "x" is not ready`.
//
// Model choices: reconciles take no virtual time (the 10 qps bucket of the rate limiter never
// binds at fleet sizes of interest, so it is not modelled); keys a Merge target received earlier
// are remembered in memory (upstream reads managedFields), so after a restart only the current
// spec's keys are known; dataFrom.find and generators read nothing and give an empty result;
// target.template applies type, metadata and data (Go templates with the fetched keys as dot;
// templateFrom is not read); the admission webhook's checks are not run.
#ifndef FLEETSIM_SIM_SECRETS_EXTERNAL_SECRETS_CONTROLLER_H_
#define FLEETSIM_SIM_SECRETS_EXTERNAL_SECRETS_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/simulator.h"
#include "sim/cluster/live_object.h"
#include "sim/cluster/object_store.h"
#include "sim/secrets/eso_provider.h"

namespace fleetsim::eso {

// controller-runtime's ItemExponentialFailureRateLimiter with ESO's settings: the delay after
// the n-th consecutive failure (n >= 1) is 1 s × 2^(n-1), at most 7 min.
SimDuration FailureBackoff(int failures);

class ExternalSecretsController {
 public:
  // A timeline record about an ExternalSecret or store: ExternalSecretReady, SecretCreated,
  // SecretUpdated, SecretDeleted, SecretStoreReady. `change` false: a repeat of the same state.
  using EventSink = std::function<void(std::string_view event, const ObjectKey& object,
                                       std::string detail, bool change)>;

  // Watches `store`; `start_unix` is the wall-clock time of t=0 (status timestamps).
  // REQUIRES: sim, store and providers outlive the controller.
  ExternalSecretsController(Simulator& sim, ObjectStore& store, const SecretProviders& providers,
                            int64_t start_unix, EventSink sink);
  ExternalSecretsController(const ExternalSecretsController&) = delete;
  ExternalSecretsController& operator=(const ExternalSecretsController&) = delete;
  ~ExternalSecretsController();

  // kubectl rollout restart: the queue, the backoff counters and the remembered keys are lost;
  // every store and ExternalSecret is reconciled as the new process lists them.
  void Restart();

 private:
  struct Sync;  // one ExternalSecret reconcile (external_secrets_controller.cc)

  void OnEvent(const WatchEvent& event);
  void Enqueue(const ObjectKey& key);
  void RequeueAfter(const ObjectKey& key, SimDuration delay);
  void Backoff(const ObjectKey& key);  // AddRateLimited
  void Flush();
  void Reconcile(const ObjectKey& key);
  void EnqueueAll();

  // eso_stores.cc
  void ReconcileStore(const LiveObject& store);
  // The store an ExternalSecret uses, or the error the sync fails with.
  Result<LiveObject> UsableStore(const LiveObject& es) const;
  void EnqueueUsers(const LiveObject& store);

  // external_secrets_controller.cc
  void ReconcileExternalSecret(const LiveObject& es);
  void Fail(Sync& s, const std::string& message, const std::string& error);
  void Done(Sync& s, std::string_view reason, const std::string& message);
  bool FetchData(Sync& s);
  bool WriteSecret(Sync& s);
  void WriteStatus(Sync& s);

  Simulator& sim_;
  ObjectStore& store_;
  const SecretProviders& providers_;
  int64_t start_unix_;
  EventSink sink_;
  WatchId watch_ = 0;
  std::vector<ObjectKey> queue_;
  std::set<ObjectKey> queued_;
  EventId flush_ = 0;
  std::map<ObjectKey, std::pair<SimTime, EventId>> wakeups_;
  std::map<ObjectKey, int> failures_;
  std::map<ObjectKey, std::set<std::string>> written_keys_;  // Merge targets, per ExternalSecret
};

}  // namespace fleetsim::eso

#endif  // FLEETSIM_SIM_SECRETS_EXTERNAL_SECRETS_CONTROLLER_H_
