// What a SealedSecret's ciphertexts say about how they were made (reference 2.2), in a model with
// no cryptography: each `spec.encryptedData` value is one ciphertext, sealed
//
//  * with the sealing key active, on the cluster it is applied to, when the commit that first
//    carried that value landed (DESIGN.md "Sealing keys"); a value Git never carried (a manifest
//    applied from a local file) is sealed when a controller first sees it;
//  * for the scope label of the SealedSecret that carried it then: "namespace/name" (strict),
//    "namespace" (namespace-wide) or "" (cluster-wide). A namespace the manifest leaves out is
//    the one the object is first applied to;
//  * for another cluster's key when the SealedSecret says `fleetsim.io/sealed-for: CLUSTER`
//    (a manifest copied from a cluster whose certificate kubeseal fetched; upstream has no such
//    field, the ciphertext alone decides).
//
// So moving a strict SealedSecret to another name or namespace, changing its scope annotation,
// or applying it to a cluster whose controller does not hold the sealing key fails as upstream:
// "no key could decrypt secret (items)". A value that is not valid base64 fails to decode.
// Not modelled: a tampered but well-formed ciphertext (any new value counts as freshly sealed).
#ifndef FLEETSIM_SIM_SECRETS_SEALED_CIPHERTEXTS_H_
#define FLEETSIM_SIM_SECRETS_SEALED_CIPHERTEXTS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "sim/secrets/sealed_keys.h"

namespace fleetsim::secrets {

inline constexpr std::string_view kSealedForAnnotation = "fleetsim.io/sealed-for";

enum class SealScope { kStrict, kNamespaceWide, kClusterWide };

// The scope a SealedSecret declares (kubeseal copies it into the object's annotations and its
// template's): sealedsecrets.bitnami.com/cluster-wide "true" wins over namespace-wide "true".
SealScope ScopeOf(const Json& sealed_secret);
std::string_view ScopeName(SealScope scope);  // "strict", "namespace-wide", "cluster-wide"
// The OAEP label for `scope` (2.2).
std::string ScopeLabel(SealScope scope, const std::string& ns, const std::string& name);

struct Seal {
  SimTime sealed_at;
  SealScope scope = SealScope::kStrict;
  std::string ns;  // "" until first applied, when the manifest named none
  std::string name;
  std::string sealed_for;  // cluster whose key sealed it; "" = the cluster it is applied to
  std::string plaintext;   // base64, what the Secret gets (kept by re-encryption)
};

// Why a SealedSecret cannot be opened, with the controller's message.
struct UnsealResult {
  bool ok = false;
  std::string error;  // "no key could decrypt secret (a, b)" or a base64 error
  std::map<std::string, std::string> data;  // item → base64 plaintext, when ok
};

class CiphertextIndex {
 public:
  // Records the ciphertexts of every SealedSecret document in `docs` not seen before, as sealed
  // at `t`.
  void RecordDocuments(const std::vector<Json>& docs, SimTime t);
  // The seal of `value`, recording it (as sealed at `now` for `sealed_secret`) when unknown and
  // filling in the namespace a manifest left out.
  const Seal& SealOf(const std::string& value, const Json& sealed_secret, SimTime now);

  // Unseals `sealed_secret` (a live object on `cluster`) with the keys in `key_ids`: every item
  // whose sealing key is held and whose label matches opens. Items are reported sorted.
  UnsealResult Unseal(const Json& sealed_secret, const std::string& cluster,
                      const std::set<std::string>& key_ids, const KeyAuthority& keys, SimTime now);

  // kubeseal --re-encrypt at `t` (2.6): a new ciphertext of the same plaintext, well-formed
  // base64 derived from the old value and `t`, sealed at `t` for the same label.
  // REQUIRES: `value` is known (SealOf).
  std::string Reseal(const std::string& value, SimTime t);

  bool empty() const { return seals_.empty(); }

 private:
  std::map<std::string, Seal> seals_;  // ciphertext → how it was sealed
};

}  // namespace fleetsim::secrets

#endif  // FLEETSIM_SIM_SECRETS_SEALED_CIPHERTEXTS_H_
