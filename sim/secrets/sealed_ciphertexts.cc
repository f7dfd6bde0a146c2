#include "sim/secrets/sealed_ciphertexts.h"

#include <fmt/format.h>

#include "sim/secrets/sealed_base64.h"

namespace fleetsim::secrets {
namespace {

uint64_t Fnv(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string StringField(const Json& doc, std::initializer_list<const char*> path) {
  const Json* node = &doc;
  for (const char* step : path) {
    if (!node->is_object() || !node->contains(step)) return "";
    node = &(*node)[step];
  }
  return node->is_string() ? node->get<std::string>() : "";
}

bool IsSealedSecret(const Json& doc) {
  return doc.is_object() && StringField(doc, {"kind"}) == "SealedSecret" &&
         StringField(doc, {"apiVersion"}).rfind("bitnami.com/", 0) == 0;
}

bool AnnotationTrue(const Json& meta, const char* key) {
  return StringField(meta, {"annotations", key}) == "true";
}

}  // namespace

SealScope ScopeOf(const Json& ss) {
  const Json empty = Json::object();
  const Json& meta = ss.contains("metadata") ? ss["metadata"] : empty;
  const Json* tmeta = &empty;
  if (ss.contains("spec") && ss["spec"].contains("template") &&
      ss["spec"]["template"].contains("metadata"))
    tmeta = &ss["spec"]["template"]["metadata"];
  auto any = [&](const char* key) {
    return AnnotationTrue(meta, key) || AnnotationTrue(*tmeta, key);
  };
  if (any("sealedsecrets.bitnami.com/cluster-wide")) return SealScope::kClusterWide;
  if (any("sealedsecrets.bitnami.com/namespace-wide")) return SealScope::kNamespaceWide;
  return SealScope::kStrict;
}

std::string_view ScopeName(SealScope scope) {
  switch (scope) {
    case SealScope::kStrict:
      return "strict";
    case SealScope::kNamespaceWide:
      return "namespace-wide";
    case SealScope::kClusterWide:
      return "cluster-wide";
  }
  return "strict";
}

std::string ScopeLabel(SealScope scope, const std::string& ns, const std::string& name) {
  switch (scope) {
    case SealScope::kStrict:
      return ns + "/" + name;
    case SealScope::kNamespaceWide:
      return ns;
    case SealScope::kClusterWide:
      return "";
  }
  return "";
}

void CiphertextIndex::RecordDocuments(const std::vector<Json>& docs, SimTime t) {
  for (const Json& doc : docs) {
    if (!IsSealedSecret(doc)) continue;
    const Json* items = nullptr;
    if (doc.contains("spec") && doc["spec"].contains("encryptedData"))
      items = &doc["spec"]["encryptedData"];
    if (items == nullptr || !items->is_object()) continue;
    for (const auto& [item, value] : items->items()) {
      if (value.is_string()) SealOf(value.get<std::string>(), doc, t);
    }
  }
}

const Seal& CiphertextIndex::SealOf(const std::string& value, const Json& ss, SimTime now) {
  auto [it, inserted] = seals_.try_emplace(value);
  Seal& seal = it->second;
  if (inserted) {
    seal.sealed_at = now;
    seal.scope = ScopeOf(ss);
    seal.ns = StringField(ss, {"metadata", "namespace"});
    seal.name = StringField(ss, {"metadata", "name"});
    seal.sealed_for = StringField(ss, {"metadata", "annotations", "fleetsim.io/sealed-for"});
    seal.plaintext = Base64Encode(fmt::format("plaintext-{:016x}", Fnv(value)));
  } else if (seal.ns.empty()) {
    seal.ns = StringField(ss, {"metadata", "namespace"});
  }
  return seal;
}

UnsealResult CiphertextIndex::Unseal(const Json& ss, const std::string& cluster,
                                     const std::set<std::string>& key_ids, const KeyAuthority& keys,
                                     SimTime now) {
  UnsealResult result;
  std::string ns = StringField(ss, {"metadata", "namespace"});
  std::string name = StringField(ss, {"metadata", "name"});
  SealScope scope = ScopeOf(ss);
  std::string label = ScopeLabel(scope, ns, name);
  std::vector<std::string> failed;
  const Json empty = Json::object();
  const Json& items = ss.contains("spec") && ss["spec"].contains("encryptedData")
                          ? ss["spec"]["encryptedData"]
                          : empty;
  for (const auto& [item, value] : items.items()) {  // nlohmann objects iterate sorted
    std::string text = value.is_string() ? value.get<std::string>() : "";
    std::string error;
    if (!Base64Decode(text, &error)) {
      result.error = error;
      return result;
    }
    const Seal& seal = SealOf(text, ss, now);
    std::optional<SealingKey> key =
        keys.ActiveAt(seal.sealed_for.empty() ? cluster : seal.sealed_for, seal.sealed_at);
    bool opens =
        key && key_ids.count(key->id) > 0 && ScopeLabel(seal.scope, seal.ns, seal.name) == label;
    if (opens) {
      result.data[item] = seal.plaintext;
    } else {
      failed.push_back(item);
    }
  }
  if (!failed.empty()) {
    result.data.clear();
    result.error = fmt::format("no key could decrypt secret ({})", fmt::join(failed, ", "));
    return result;
  }
  result.ok = true;
  return result;
}

std::string CiphertextIndex::Reseal(const std::string& value, SimTime t) {
  Seal seal = seals_.at(value);
  std::string fresh;
  for (int i = 0; i < 4; ++i) {
    fresh +=
        fmt::format("{:016x}", Fnv(fmt::format("{}|{}|{}", value, t.since_start().micros(), i)));
  }
  std::string out = Base64Encode(std::string("\x02\x00", 2) + fresh);  // "AgA...", as kubeseal
  seal.sealed_at = t;
  seal.sealed_for.clear();
  seals_.try_emplace(out, seal);
  return out;
}

}  // namespace fleetsim::secrets
