// The External Secrets providers (Vault, AWS Secrets Manager, ...) as one model: the remote keys
// each store holds (the scenario's `secretStores:`), and the faults that make a store unreachable
// or a key disappear. Providers are outside every cluster: one model serves the whole fleet, and
// a store is named by the SecretStore / ClusterSecretStore that points at it (its metadata.name,
// on any cluster, in any namespace; the provider block of its spec is not read).
//
// Rules (reference rollouts-secrets.md 3.4, 3.5):
//  * A store the scenario declares holds exactly its keys; one it does not declare holds every
//    key it is asked for, with the value "<key>" (or "<key>/<property>").
//  * `secret-store-down` mode network: every call fails with a timeout; mode auth: the provider
//    refuses the credentials (403). Neither is "not found": the ExternalSecret keeps its Secret.
//  * `secret-key-deleted`: the provider answers "not found" for that key (its NoSecretError), the
//    one error deletionPolicy acts on.
#ifndef FLEETSIM_SIM_SECRETS_ESO_PROVIDER_H_
#define FLEETSIM_SIM_SECRETS_ESO_PROVIDER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace fleetsim::eso {

enum class FetchCode { kOk, kNotFound, kError };

struct FetchResult {
  FetchCode code = FetchCode::kOk;
  // kOk: the values read (one entry "" -> value for a plain read, property -> value for extract).
  std::map<std::string, std::string> values;
  std::string error;  // kNotFound / kError: the provider's message
};

class SecretProviders {
 public:
  explicit SecretProviders(const std::vector<SecretStoreSpec>& stores);

  // The provider's error when `store` cannot be used from `cluster` (down, or auth failing);
  // nullopt when it answers.
  std::optional<std::string> Outage(const std::string& cluster, const std::string& store) const;

  // remoteRef {key, property}: one value. `property` "" reads the whole value (a map of
  // properties reads as its JSON text, keys sorted).
  FetchResult Get(const std::string& cluster, const std::string& store, const std::string& key,
                  const std::string& property) const;
  // dataFrom.extract: every property of the key (a plain value: an error, as a provider fails to
  // decode a non-JSON secret).
  FetchResult Extract(const std::string& cluster, const std::string& store,
                      const std::string& key) const;

  // Faults. `cluster` and `store` are globs ("" = every one). Overlapping faults stack: each
  // deactivation removes one matching activation.
  void SetDown(const std::string& cluster, const std::string& store, const std::string& mode,
               bool active);
  void SetKeyDeleted(const std::string& cluster, const std::string& store, const std::string& key,
                     bool active);

 private:
  struct Fault {
    std::string cluster, store, mode_or_key;
    bool operator==(const Fault&) const = default;
  };
  const RemoteSecretSpec* Find(const std::string& cluster, const std::string& store,
                               const std::string& key, RemoteSecretSpec* scratch) const;
  static void Toggle(std::vector<Fault>& faults, Fault f, bool active);

  std::map<std::string, const SecretStoreSpec*> stores_;
  std::vector<Fault> down_;     // mode_or_key: "network" or "auth"
  std::vector<Fault> deleted_;  // mode_or_key: the remote key
};

}  // namespace fleetsim::eso

#endif  // FLEETSIM_SIM_SECRETS_ESO_PROVIDER_H_
