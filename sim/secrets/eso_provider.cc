#include "sim/secrets/eso_provider.h"

#include <fnmatch.h>

#include <algorithm>

#include "sim/manifest/json.h"

namespace fleetsim::eso {
namespace {

bool Matches(const std::string& glob, const std::string& name) {
  return glob.empty() || fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

// esv1.NoSecretError's text.
constexpr const char* kNoSecret = "Secret does not exist";

FetchResult NotFound() { return {FetchCode::kNotFound, {}, kNoSecret}; }

}  // namespace

SecretProviders::SecretProviders(const std::vector<SecretStoreSpec>& stores) {
  for (const SecretStoreSpec& s : stores) stores_[s.name] = &s;
}

std::optional<std::string> SecretProviders::Outage(const std::string& cluster,
                                                   const std::string& store) const {
  for (const Fault& f : down_) {
    if (!Matches(f.cluster, cluster) || !Matches(f.store, store)) continue;
    if (f.mode_or_key == "auth") return "permission denied: 403 Forbidden";
    return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
  }
  return std::nullopt;
}

const RemoteSecretSpec* SecretProviders::Find(const std::string& cluster, const std::string& store,
                                              const std::string& key,
                                              RemoteSecretSpec* scratch) const {
  for (const Fault& f : deleted_) {
    if (Matches(f.cluster, cluster) && Matches(f.store, store) && f.mode_or_key == key) {
      return nullptr;
    }
  }
  auto it = stores_.find(store);
  if (it == stores_.end()) {
    scratch->value = key;
    return scratch;
  }
  auto k = it->second->keys.find(key);
  return k == it->second->keys.end() ? nullptr : &k->second;
}

FetchResult SecretProviders::Get(const std::string& cluster, const std::string& store,
                                 const std::string& key, const std::string& property) const {
  if (std::optional<std::string> down = Outage(cluster, store)) {
    return {FetchCode::kError, {}, *down};
  }
  RemoteSecretSpec scratch;
  const RemoteSecretSpec* secret = Find(cluster, store, key, &scratch);
  if (secret == nullptr) return NotFound();
  if (secret == &scratch) {
    return {FetchCode::kOk, {{"", property.empty() ? key : key + "/" + property}}, ""};
  }
  if (property.empty()) {
    if (!secret->is_map) return {FetchCode::kOk, {{"", secret->value}}, ""};
    Json map(secret->properties);
    return {FetchCode::kOk, {{"", map.dump()}}, ""};
  }
  auto p = secret->properties.find(property);
  if (!secret->is_map || p == secret->properties.end()) {
    // Providers report a missing property as an error of their own, not as NoSecretError.
    return {FetchCode::kError, {}, "key " + property + " does not exist in secret " + key};
  }
  return {FetchCode::kOk, {{"", p->second}}, ""};
}

FetchResult SecretProviders::Extract(const std::string& cluster, const std::string& store,
                                     const std::string& key) const {
  if (std::optional<std::string> down = Outage(cluster, store)) {
    return {FetchCode::kError, {}, *down};
  }
  RemoteSecretSpec scratch;
  const RemoteSecretSpec* secret = Find(cluster, store, key, &scratch);
  if (secret == nullptr) return NotFound();
  if (secret == &scratch) return {FetchCode::kOk, {{"value", key}}, ""};
  if (!secret->is_map) {
    return {FetchCode::kError, {}, "unable to unmarshal secret " + key + ": not a JSON object"};
  }
  return {FetchCode::kOk, secret->properties, ""};
}

void SecretProviders::Toggle(std::vector<Fault>& faults, Fault f, bool active) {
  if (active) {
    faults.push_back(std::move(f));
    return;
  }
  auto it = std::find(faults.begin(), faults.end(), f);
  if (it != faults.end()) faults.erase(it);
}

void SecretProviders::SetDown(const std::string& cluster, const std::string& store,
                              const std::string& mode, bool active) {
  Toggle(down_, {cluster, store, mode.empty() ? "network" : mode}, active);
}

void SecretProviders::SetKeyDeleted(const std::string& cluster, const std::string& store,
                                    const std::string& key, bool active) {
  Toggle(deleted_, {cluster, store, key}, active);
}

}  // namespace fleetsim::eso
