#include "sim/secrets/sealed_controller.h"

#include <algorithm>

#include <fmt/format.h>

namespace fleetsim::secrets {
namespace {

constexpr int kMaxUnsealRetries = 5;  // --max-unseal-retries
constexpr SimDuration kRetryBase = SimDuration::Millis(5);

bool IsSealedSecret(const ObjectKey& k) {
  return k.group == "bitnami.com" && k.kind == "SealedSecret";
}
bool IsSecret(const ObjectKey& k) { return k.group.empty() && k.kind == "Secret"; }

const Json& At(const Json& doc, std::initializer_list<const char*> path) {
  static const Json kNull;
  const Json* node = &doc;
  for (const char* step : path) {
    if (!node->is_object() || !node->contains(step)) return kNull;
    node = &(*node)[step];
  }
  return *node;
}

std::string Str(const Json& doc, std::initializer_list<const char*> path) {
  const Json& v = At(doc, path);
  return v.is_string() ? v.get<std::string>() : "";
}

// The owner reference naming a SealedSecret as the Secret's controller, or null.
const Json* ControllerRef(const Json& secret) {
  const Json& refs = At(secret, {"metadata", "ownerReferences"});
  if (!refs.is_array()) return nullptr;
  for (const Json& r : refs) {
    if (Str(r, {"kind"}) == "SealedSecret" && At(r, {"controller"}) == true) return &r;
  }
  return nullptr;
}

}  // namespace

SealedSecretController::SealedSecretController(Simulator& sim, ObjectStore& store,
                                               KeyAuthority& keys, CiphertextIndex& ciphertexts,
                                               SealedSecretsConfig config, EventSink sink)
    : sim_(sim),
      store_(store),
      authority_(keys),
      ciphertexts_(ciphertexts),
      config_(std::move(config)),
      sink_(std::move(sink)) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

SealedSecretController::~SealedSecretController() {
  store_.RemoveObserver(watch_);
  Stop();
}

bool SealedSecretController::Served() const {
  return store_.List({"bitnami.com", "SealedSecret", std::nullopt, {}}).ok();
}

void SealedSecretController::Start(bool quiet) {
  if (running_ || !Served()) return;
  running_ = true;
  LoadKeys(quiet);
  ScheduleRenewal();
  Result<std::vector<LiveObject>> all =
      store_.List({"bitnami.com", "SealedSecret", std::nullopt, {}});
  if (all.ok()) {
    for (const LiveObject& ss : *all) Enqueue(ss.key());
  }
}

void SealedSecretController::Stop() {
  running_ = false;
  loaded_.clear();
  queue_.clear();
  queued_.clear();
  requeues_.clear();
  last_error_.clear();
  if (flush_ != 0) sim_.Cancel(flush_);
  if (renewal_ != 0) sim_.Cancel(renewal_);
  flush_ = renewal_ = 0;
  for (auto& [key, id] : retries_) sim_.Cancel(id);
  retries_.clear();
}

void SealedSecretController::Restart() {
  Stop();
  Start();
}

// Every Secret labelled ...sealed-secrets-key=active in the controller's namespace, oldest key
// first; none: a fresh key of this cluster's own (a shared one only at the fleet's first start).
void SealedSecretController::LoadKeys(bool quiet) {
  loaded_.clear();
  ListOptions options{"", "Secret", std::string(kKeyNamespace), {}};
  Result<std::vector<LiveObject>> secrets = store_.List(options);
  if (secrets.ok()) {
    for (const LiveObject& s : *secrets) {
      if (auto key = KeyFromSecret(s.doc(), config_.start_unix)) loaded_.push_back(*key);
    }
  }
  std::stable_sort(loaded_.begin(), loaded_.end(), [](const SealingKey& a, const SealingKey& b) {
    return a.not_before < b.not_before;
  });
  for (const SealingKey& k : loaded_) authority_.Hold(config_.cluster, k);
  if (loaded_.empty()) {
    bool shared = config_.shared_keys && quiet;
    AddKey(authority_.Generate(shared ? "shared" : config_.cluster, sim_.now()), quiet,
           "no sealing key found");
    return;
  }
  if (!quiet) {
    std::vector<std::string> ids;
    for (const SealingKey& k : loaded_) ids.push_back(k.id);
    sink_("SealingKeysLoaded",
          {"", "Secret", std::string(kKeyNamespace), KeySecretName(loaded_.back())},
          fmt::format("controller started with {} key(s): {}", ids.size(), fmt::join(ids, ", ")));
  }
}

void SealedSecretController::AddKey(const SealingKey& key, bool quiet, std::string_view why) {
  Json doc = KeySecretDoc(key, config_.start_unix);
  (void)store_.Create(Object(doc));
  loaded_.push_back(key);
  authority_.Hold(config_.cluster, key);
  if (!quiet) {
    sink_("SealingKeyGenerated", {"", "Secret", std::string(kKeyNamespace), KeySecretName(key)},
          fmt::format("{}: new key {} written to {}/{}", why, key.id, kKeyNamespace,
                      KeySecretName(key)));
  }
}

void SealedSecretController::ScheduleRenewal() {
  if (config_.renewal <= SimDuration::Zero() || loaded_.empty()) return;
  SimTime due = loaded_.back().not_before + config_.renewal;
  if (due < sim_.now()) due = sim_.now();
  renewal_ = sim_.At(due, [this] {
    renewal_ = 0;
    Renew();
  });
}

void SealedSecretController::Renew() {
  bool shared = config_.shared_keys && loaded_.back().id.rfind("shared-", 0) == 0;
  AddKey(authority_.Generate(shared ? "shared" : config_.cluster, sim_.now()), false,
         "key renewal");
  ScheduleRenewal();
}

std::set<std::string> SealedSecretController::KeyIds() const {
  std::set<std::string> ids;
  for (const SealingKey& k : loaded_) ids.insert(k.id);
  return ids;
}

std::vector<Json> SealedSecretController::KeySecrets() const {
  std::vector<Json> out;
  ListOptions options{"", "Secret", std::string(kKeyNamespace), {}};
  Result<std::vector<LiveObject>> secrets = store_.List(options);
  if (!secrets.ok()) return out;
  for (const LiveObject& s : *secrets) {
    if (KeyFromSecret(s.doc(), config_.start_unix)) out.push_back(s.doc());
  }
  return out;
}

UnsealResult SealedSecretController::TryUnseal(const Json& sealed_secret) {
  return ciphertexts_.Unseal(sealed_secret, config_.cluster, KeyIds(), authority_, sim_.now());
}

// A SealedSecret added or with a new spec; an owned Secret deleted (re-created unless the
// SealedSecret is gone too).
void SealedSecretController::OnEvent(const WatchEvent& event) {
  if (!running_) return;
  const ObjectKey& key = event.object.key();
  if (IsSealedSecret(key)) {
    if (event.type == WatchEventType::kDeleted) {
      requeues_.erase(key);
      last_error_.erase(key);
      return;
    }
    if (event.type == WatchEventType::kAdded || event.previous == nullptr ||
        At(event.previous->doc(), {"spec"}) != At(event.object.doc(), {"spec"})) {
      requeues_.erase(key);
      Enqueue(key);
    }
    return;
  }
  if (IsSecret(key) && event.type == WatchEventType::kDeleted) {
    const Json* ref = ControllerRef(event.object.doc());
    if (ref == nullptr) return;
    ObjectKey owner{"bitnami.com", "SealedSecret", key.ns, Str(*ref, {"name"})};
    if (store_.Find(owner) != nullptr) Enqueue(owner);
  }
}

void SealedSecretController::Enqueue(const ObjectKey& key) {
  if (!queued_.insert(key).second) return;
  queue_.push_back(key);
  if (flush_ == 0) flush_ = sim_.At(sim_.now(), [this] { Flush(); });
}

void SealedSecretController::Flush() {
  flush_ = 0;
  std::vector<ObjectKey> work;
  work.swap(queue_);
  queued_.clear();
  for (const ObjectKey& key : work) Reconcile(key);
}

void SealedSecretController::Reconcile(const ObjectKey& key) {
  if (!running_) return;
  Result<LiveObject> ss = store_.Get(key);
  if (!ss.ok() || ss->being_deleted()) {
    requeues_.erase(key);
    return;
  }
  UnsealResult unsealed = TryUnseal(ss->doc());
  std::string error;
  if (!unsealed.ok) {
    error = unsealed.error;
    if (last_error_[key] != error) {
      sink_("SealedSecretUnsealFailed", key, "ErrUnsealFailed: Failed to unseal: " + error);
    }
  } else {
    error = WriteSecret(*ss, unsealed);
    if (!error.empty() && last_error_[key] != error) {
      sink_("SealedSecretUnsealFailed", key, "ErrUpdateFailed: " + error);
    }
  }
  WriteStatus(*ss, error);
  if (error.empty()) {
    last_error_.erase(key);
    requeues_.erase(key);
    return;
  }
  last_error_[key] = error;
  int& n = requeues_[key];
  if (n >= kMaxUnsealRetries) return;  // giving up until the next trigger
  SimDuration delay = kRetryBase * (int64_t{1} << n);
  ++n;
  retries_[key] = sim_.After(delay, [this, key] {
    retries_.erase(key);
    Enqueue(key);
  });
}

std::string SealedSecretController::WriteSecret(const LiveObject& ss,
                                                const UnsealResult& unsealed) {
  const Json& doc = ss.doc();
  const Json& tmeta = At(doc, {"spec", "template", "metadata"});
  std::string name = Str(tmeta, {"name"});
  if (name.empty()) name = ss.key().name;
  Json secret = {{"apiVersion", "v1"},
                 {"kind", "Secret"},
                 {"metadata", {{"name", name}, {"namespace", ss.key().ns}}},
                 {"type", Str(doc, {"spec", "template", "type"}).empty()
                              ? "Opaque"
                              : Str(doc, {"spec", "template", "type"})},
                 {"data", unsealed.data}};
  if (At(tmeta, {"labels"}).is_object()) secret["metadata"]["labels"] = tmeta["labels"];
  if (At(tmeta, {"annotations"}).is_object())
    secret["metadata"]["annotations"] = tmeta["annotations"];
  if (Str(doc, {"metadata", "annotations",
                "sealedsecrets.bitnami.com/skip-set-owner-references"}) != "true") {
    secret["metadata"]["ownerReferences"] = Json::array({{{"apiVersion", "bitnami.com/v1alpha1"},
                                                          {"kind", "SealedSecret"},
                                                          {"name", ss.key().name},
                                                          {"uid", ss.uid},
                                                          {"controller", true}}});
  }
  ObjectKey skey{"", "Secret", ss.key().ns, name};
  Result<LiveObject> existing = store_.Get(skey);
  if (!existing.ok()) {
    Result<LiveObject> created = store_.Create(Object(secret));
    return created.ok() ? "" : created.error();
  }
  const Json& live = existing->doc();
  const Json* ref = ControllerRef(live);
  bool owned = ref != nullptr && Str(*ref, {"uid"}) == ss.uid;
  std::string managed = Str(live, {"metadata", "annotations", "sealedsecrets.bitnami.com/managed"});
  std::string patch = Str(live, {"metadata", "annotations", "sealedsecrets.bitnami.com/patch"});
  if (!owned && managed != "true" && patch != "true") {
    return fmt::format(
        "failed update: Resource \"{}\" already exists and is not managed by "
        "SealedSecret",
        name);
  }
  Json next = live;
  if (patch == "true") {
    for (const auto& [k, v] : secret["data"].items()) next["data"][k] = v;
  } else {
    next["data"] = secret["data"];
    next["metadata"].erase("labels");
    next["metadata"].erase("annotations");
    next["metadata"].erase("ownerReferences");
    for (const char* f : {"labels", "annotations", "ownerReferences"}) {
      if (secret["metadata"].contains(f)) next["metadata"][f] = secret["metadata"][f];
    }
  }
  next["type"] = secret["type"];
  if (next == live) return "";
  Result<LiveObject> updated = store_.Update(Object(next));
  return updated.ok() ? "" : updated.error();
}

// updateSealedSecretsStatusConditions: the Synced condition; the times move only when its status
// flips (lastTransitionTime takes the previous lastUpdateTime, as upstream).
void SealedSecretController::WriteStatus(const LiveObject& ss, const std::string& error) {
  Json status = ss.status().is_object() ? ss.status() : Json::object();
  Json& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = Json::array();
  Json* cond = nullptr;
  for (Json& c : conditions) {
    if (Str(c, {"type"}) == "Synced") cond = &c;
  }
  if (cond == nullptr) {
    conditions.push_back({{"type", "Synced"}});
    cond = &conditions.back();
  }
  std::string want = error.empty() ? "True" : "False";
  if (error.empty()) {
    cond->erase("message");
  } else {
    (*cond)["message"] = error;
  }
  bool flipped = Str(*cond, {"status"}) != want;
  if (flipped) {
    if (cond->contains("lastUpdateTime")) (*cond)["lastTransitionTime"] = (*cond)["lastUpdateTime"];
    (*cond)["status"] = want;
    (*cond)["lastUpdateTime"] = store_.Timestamp(sim_.now());
  }
  status["observedGeneration"] = ss.generation;
  if (status == ss.status()) return;
  (void)store_.UpdateStatus(ss.key(), status);
  if (flipped && error.empty()) {
    sink_("SealedSecretUnsealed", ss.key(), "SealedSecret unsealed successfully");
  }
}

}  // namespace fleetsim::secrets
