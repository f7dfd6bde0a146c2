#include "sim/secrets/sealed_keys.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "sim/secrets/sealed_base64.h"

namespace fleetsim::secrets {
namespace {

constexpr std::string_view kMarker = "fleetsim-sealing-key";

// FNV-1a, for names and ciphertexts derived from ids (stable across platforms).
uint64_t Fnv(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string KeySecretName(const SealingKey& key) {
  // generateName's suffix alphabet (k8s.io/apiserver names.SimpleNameGenerator).
  constexpr std::string_view kChars = "bcdfghjklmnpqrstvwxz2456789";
  uint64_t h = Fnv(key.id);
  std::string name = "sealed-secrets-key";
  for (int i = 0; i < 5; ++i) {
    name += kChars[h % kChars.size()];
    h /= kChars.size();
  }
  return name;
}

Json KeySecretDoc(const SealingKey& key, int64_t start_unix) {
  int64_t not_before = start_unix + key.not_before.since_start().whole_seconds();
  std::string material = fmt::format("{} {} {}", kMarker, key.id, not_before);
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", "kubernetes.io/tls"},
          {"metadata",
           {{"name", KeySecretName(key)},
            {"namespace", kKeyNamespace},
            {"labels", {{kKeyLabel, "active"}}}}},
          {"data", {{"tls.crt", Base64Encode(material)}, {"tls.key", Base64Encode(material)}}}};
}

std::optional<SealingKey> KeyFromSecret(const Json& doc, int64_t start_unix) {
  const Json* labels = nullptr;
  if (doc.contains("metadata") && doc["metadata"].contains("labels"))
    labels = &doc["metadata"]["labels"];
  if (labels == nullptr || !labels->contains(kKeyLabel) || (*labels)[kKeyLabel] != "active")
    return std::nullopt;
  if (!doc.contains("data") || !doc["data"].contains("tls.key") ||
      !doc["data"]["tls.key"].is_string())
    return std::nullopt;
  std::string error;
  std::optional<std::string> text = Base64Decode(doc["data"]["tls.key"].get<std::string>(), &error);
  if (!text || text->rfind(kMarker, 0) != 0) return std::nullopt;
  size_t a = kMarker.size() + 1;
  size_t b = text->find(' ', a);
  if (a >= text->size() || b == std::string::npos) return std::nullopt;
  int64_t unix = 0;
  auto [end, ec] = std::from_chars(text->data() + b + 1, text->data() + text->size(), unix);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return SealingKey{text->substr(a, b - a),
                    SimTime::Zero() + SimDuration::Seconds(unix - start_unix)};
}

SealingKey KeyAuthority::Generate(const std::string& owner, SimTime t) {
  std::vector<SealingKey>& keys = generated_[owner];
  if (owner == "shared" && !keys.empty() && keys.back().not_before == t) return keys.back();
  keys.push_back({fmt::format("{}-{}", owner, keys.size() + 1), t});
  return keys.back();
}

void KeyAuthority::Hold(const std::string& cluster, const SealingKey& key) {
  std::vector<SealingKey>& keys = held_[cluster];
  for (const SealingKey& k : keys) {
    if (k.id == key.id) return;
  }
  auto at = std::upper_bound(
      keys.begin(), keys.end(), key,
      [](const SealingKey& a, const SealingKey& b) { return a.not_before < b.not_before; });
  keys.insert(at, key);
}

std::optional<SealingKey> KeyAuthority::ActiveAt(const std::string& cluster, SimTime t) const {
  auto it = held_.find(cluster);
  if (it == held_.end()) return std::nullopt;
  std::optional<SealingKey> out;
  for (const SealingKey& k : it->second) {
    if (k.not_before <= t) out = k;
  }
  return out;
}

}  // namespace fleetsim::secrets
