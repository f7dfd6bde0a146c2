// The Sealed Secrets controller of one cluster (reference rollouts-secrets.md 2.1-2.5;
// bitnami-labs/sealed-secrets pkg/controller/controller.go, keyregistry.go). It works through the
// cluster's ObjectStore as the real one works through the API server, and only where the
// SealedSecret CRD exists:
//
//  * keys: at start it loads every key Secret labelled sealed-secrets-key=active in kube-system;
//    with none it generates one and writes its Secret; a new key every `renewal` (the first at
//    renewal minus the newest key's age, clamped to now; 0 disables); keys added by hand are seen
//    only after a restart;
//  * unsealing: on a SealedSecret's creation, a change of its spec, the deletion of the Secret it
//    owns, and at every (re)start; success creates or updates the Secret (spec.template's
//    metadata and type, an ownerReference to the SealedSecret unless
//    sealedsecrets.bitnami.com/skip-set-owner-references), Synced=True; failure leaves any
//    existing Secret alone and sets Synced=False with the error as message. A Secret that exists
//    unowned, without sealedsecrets.bitnami.com/managed or patch "true", is not touched:
//    "failed update: Resource "x" already exists and is not managed by SealedSecret";
//  * retries: client-go's rate-limited queue, 5 ms doubling, --max-unseal-retries 5 requeues
//    (six attempts in 155 ms), then nothing until one of the triggers above.
//
// Timeline: SealedSecretUnsealed (the condition turns True), SealedSecretUnsealFailed (the
// Warning event ErrUnsealFailed / ErrUpdateFailed, once per distinct message), SealingKeysLoaded
// at a restart, SealingKeyGenerated (a fresh or renewed key).
#ifndef FLEETSIM_SIM_SECRETS_SEALED_CONTROLLER_H_
#define FLEETSIM_SIM_SECRETS_SEALED_CONTROLLER_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/simulator.h"
#include "sim/cluster/object_store.h"
#include "sim/secrets/sealed_ciphertexts.h"
#include "sim/secrets/sealed_keys.h"

namespace fleetsim::secrets {

struct SealedSecretsConfig {
  std::string cluster;
  bool shared_keys = false;                     // fleet.sealedSecrets.sharedKeys
  SimDuration renewal = SimDuration::Days(30);  // --key-renew-period; 0 = never
  int64_t start_unix = 0;
};

class SealedSecretController {
 public:
  using EventSink =
      std::function<void(std::string_view event, const ObjectKey& object, std::string detail)>;

  // Watches `store` from now on; does nothing until Start. REQUIRES: sim, store, keys and
  // ciphertexts outlive the controller.
  SealedSecretController(Simulator& sim, ObjectStore& store, KeyAuthority& keys,
                         CiphertextIndex& ciphertexts, SealedSecretsConfig config, EventSink sink);
  SealedSecretController(const SealedSecretController&) = delete;
  SealedSecretController& operator=(const SealedSecretController&) = delete;
  ~SealedSecretController();

  // The controller pod starts (first install, a restart, a rebuilt cluster): loads the keys,
  // generates one when there is none, and unseals every SealedSecret. `quiet`: no timeline record
  // for the keys (the fleet's state at t=0).
  void Start(bool quiet = false);
  // The pod is gone (the cluster destroyed): no reaction to changes, no timers, no keys in memory.
  void Stop();
  // kubectl rollout restart: Stop then Start.
  void Restart();
  bool running() const { return running_; }

  // The keys in memory, oldest first.
  const std::vector<SealingKey>& keys() const { return loaded_; }
  // Whether this controller could open `sealed_secret` now (kubeseal --re-encrypt and --validate
  // ask the controller), with the error when it cannot.
  UnsealResult TryUnseal(const Json& sealed_secret);
  // The key Secrets as `kubectl get secret -n kube-system -l ...sealed-secrets-key` lists them.
  std::vector<Json> KeySecrets() const;

 private:
  void OnEvent(const WatchEvent& event);
  void Enqueue(const ObjectKey& key);
  void Flush();
  void Reconcile(const ObjectKey& key);
  // The error of writing the Secret, or "" on success.
  std::string WriteSecret(const LiveObject& ss, const UnsealResult& unsealed);
  void WriteStatus(const LiveObject& ss, const std::string& error);
  void LoadKeys(bool quiet);
  void AddKey(const SealingKey& key, bool quiet, std::string_view why);
  void ScheduleRenewal();
  void Renew();
  std::set<std::string> KeyIds() const;
  bool Served() const;

  Simulator& sim_;
  ObjectStore& store_;
  KeyAuthority& authority_;
  CiphertextIndex& ciphertexts_;
  SealedSecretsConfig config_;
  EventSink sink_;
  WatchId watch_ = 0;
  bool running_ = false;
  std::vector<SealingKey> loaded_;
  std::vector<ObjectKey> queue_;
  std::set<ObjectKey> queued_;
  EventId flush_ = 0;
  EventId renewal_ = 0;
  std::map<ObjectKey, int> requeues_;  // failures so far in the current series
  std::map<ObjectKey, EventId> retries_;
  std::map<ObjectKey, std::string> last_error_;  // the last failure put on the timeline
};

}  // namespace fleetsim::secrets

#endif  // FLEETSIM_SIM_SECRETS_SEALED_CONTROLLER_H_
