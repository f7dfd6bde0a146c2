// secretStores: what the External Secrets providers hold (sim/secrets/eso_provider.h).
//
//   secretStores:
//     vault-backend:                       # a SecretStore / ClusterSecretStore name
//       keys:
//         prod/payments/db: {username: payments, password: s3cr3t}   # properties
//         prod/fraud/api-key: k-123                                  # a plain value
#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"

namespace fleetsim {
namespace {

RemoteSecretSpec ReadRemoteSecret(const YamlNode& node) {
  RemoteSecretSpec secret;
  if (node.IsMap()) {
    secret.is_map = true;
    for (const MapEntry& property : node.Entries()) {
      if (property.key.empty()) {
        property.key_node.Fail("a property name must not be empty");
        break;
      }
      secret.properties[property.key] = property.value.AsString();
      if (!node.ok()) break;
    }
    return secret;
  }
  if (!node.IsScalar() || node.IsNull()) {
    node.Fail("expected a value or a map of properties, found " + node.Describe());
    return secret;
  }
  secret.value = node.AsString();
  return secret;
}

SecretStoreSpec ReadStore(const MapEntry& entry) {
  SecretStoreSpec store;
  store.name = entry.key;
  store.pos = entry.key_node.pos();
  if (!IsDnsSubdomain(entry.key)) {
    entry.key_node.Fail("store name \"" + entry.key +
                        "\" is not a valid Kubernetes object name (a DNS-1123 subdomain)");
    return store;
  }
  if (!entry.value.ExpectMap() || !entry.value.CheckKeys({"keys"})) return store;
  YamlNode keys = entry.value.Require("keys");
  if (!entry.value.ok()) return store;
  if (!keys.ExpectMap()) return store;
  for (const MapEntry& key : keys.Entries()) {
    if (key.key.empty()) {
      key.key_node.Fail("a remote key must not be empty");
      break;
    }
    store.keys[key.key] = ReadRemoteSecret(key.value);
    if (!keys.ok()) break;
  }
  return store;
}

}  // namespace

std::vector<SecretStoreSpec> LoadSecretStores(const YamlNode& node) {
  std::vector<SecretStoreSpec> stores;
  if (!node.present()) return stores;
  if (!node.ExpectMap()) return stores;
  for (const MapEntry& entry : node.Entries()) {
    stores.push_back(ReadStore(entry));
    if (!node.ok()) break;
  }
  std::sort(stores.begin(), stores.end(),
            [](const SecretStoreSpec& a, const SecretStoreSpec& b) { return a.name < b.name; });
  return stores;
}

}  // namespace fleetsim
