// Sealed Secrets' sealing keys (reference rollouts-secrets.md 2.1, 2.5): key pairs kept as
// kubernetes.io/tls Secrets labelled sealedsecrets.bitnami.com/sealed-secrets-key=active in the
// controller's namespace (kube-system), the newest sealing, all of them opening; and the
// authority that remembers every key each cluster ever generated, so that "which key sealed this
// ciphertext" has an answer after the key itself is gone.
//
// Model: a key is an id, not RSA material. The Secret carries the id and the certificate's
// NotBefore in `tls.crt` / `tls.key` (base64 of "fleetsim-sealing-key <id> <notBefore unix>"), so
// a backup applied to a rebuilt cluster restores exactly the same keys.
#ifndef FLEETSIM_SIM_SECRETS_SEALED_KEYS_H_
#define FLEETSIM_SIM_SECRETS_SEALED_KEYS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"

namespace fleetsim::secrets {

inline constexpr std::string_view kKeyNamespace = "kube-system";
inline constexpr std::string_view kKeyLabel = "sealedsecrets.bitnami.com/sealed-secrets-key";

struct SealingKey {
  std::string id;      // "<owner>-<n>": owner is a cluster name, or "shared" (sharedKeys)
  SimTime not_before;  // when it was generated (orders keys: the newest seals)
};

// The key Secret the controller writes for `key` (`name` from generateName sealed-secrets-key).
Json KeySecretDoc(const SealingKey& key, int64_t start_unix);
// The key a Secret holds, or nullopt when it is not an active sealing key Secret (label set to
// anything but "active", e.g. "compromised", or data that is not a fleetsim key).
std::optional<SealingKey> KeyFromSecret(const Json& doc, int64_t start_unix);
// The name of `key`'s Secret: "sealed-secrets-key" plus five characters derived from the id.
std::string KeySecretName(const SealingKey& key);

// Every key every cluster generated during the run, in order, including keys since lost.
class KeyAuthority {
 public:
  // A new key of `owner` generated at `t`. For a shared owner, the key the fleet already made at
  // `t` (every cluster renews at the same instants, and gets the same key).
  SealingKey Generate(const std::string& owner, SimTime t);
  // Records that `cluster` holds `key` from its not_before on (what it sealed with).
  void Hold(const std::string& cluster, const SealingKey& key);
  // The key that sealed, for `cluster`, a ciphertext made at `t`: the newest key that cluster held
  // with not_before <= t; nullopt if it held none yet.
  std::optional<SealingKey> ActiveAt(const std::string& cluster, SimTime t) const;

 private:
  std::map<std::string, std::vector<SealingKey>> generated_;  // owner → keys, oldest first
  std::map<std::string, std::vector<SealingKey>> held_;       // cluster → keys, by not_before
};

}  // namespace fleetsim::secrets

#endif  // FLEETSIM_SIM_SECRETS_SEALED_KEYS_H_
