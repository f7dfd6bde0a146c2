// ExternalSecretsController: the watch, the work queue with ESO's rate limiter, and the
// ExternalSecret reconcile (external-secrets externalsecret_controller.go Reconcile,
// shouldRefresh, isSecretValid, markAsDone, markAsFailed, createOrUpdateSecret, patchSecret;
// reference rollouts-secrets.md 3.2-3.6).
#include "sim/secrets/external_secrets_controller.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "engine/random.h"
#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/scenario/rfc3339.h"
#include "sim/template/go_template.h"

namespace fleetsim::eso {
namespace {

constexpr std::string_view kGroup = "external-secrets.io";
constexpr std::string_view kManaged = "reconcile.external-secrets.io/managed";
constexpr std::string_view kCreatedBy = "reconcile.external-secrets.io/created-by";
constexpr std::string_view kDataHash = "reconcile.external-secrets.io/data-hash";
constexpr SimDuration kDefaultRefresh = SimDuration::Seconds(3600);  // CRD default 1h0m0s
constexpr const char* kErrGetData = "could not get secret data from provider";
constexpr const char* kErrUpdate = "could not update secret";
constexpr const char* kErrDelete = "could not delete secret";

bool IsStoreKind(std::string_view kind) {
  return kind == "SecretStore" || kind == "ClusterSecretStore";
}

std::string Hex(uint64_t h) { return fmt::format("{:016x}", h); }

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// utils.ObjectHash of the Secret's data (here FNV-1a of its JSON, 16 hex digits).
std::string DataHash(const Json& data) {
  return Hex(HashName(data.is_null() ? "{}" : data.dump()));
}

bool SecretValid(const LiveObject* secret) {
  if (secret == nullptr) return false;
  const Json& doc = secret->doc();
  return StringAt(doc, {"metadata", "labels", std::string(kManaged)}) == "true" &&
         StringAt(doc, {"metadata", "annotations", std::string(kDataHash)}) ==
             DataHash(JsonAt(doc, {"data"}));
}

// Sets the Ready condition as SetExternalSecretCondition does: an identical condition changes
// nothing; lastTransitionTime moves only when the status does. True when it changed.
bool SetReady(Json& status, const std::string& value, std::string_view reason,
              const std::string& message, const std::string& now) {
  Json& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = Json::array();
  std::string since = now;
  for (auto it = conditions.begin(); it != conditions.end(); ++it) {
    if (StringAt(*it, {"type"}) != "Ready") continue;
    if (StringAt(*it, {"status"}) == value && StringAt(*it, {"reason"}) == reason &&
        StringAt(*it, {"message"}) == message) {
      return false;
    }
    if (StringAt(*it, {"status"}) == value) since = StringAt(*it, {"lastTransitionTime"});
    conditions.erase(it);
    break;
  }
  conditions.push_back({{"type", "Ready"},
                        {"status", value},
                        {"reason", reason},
                        {"message", message},
                        {"lastTransitionTime", since}});
  return true;
}

}  // namespace

SimDuration FailureBackoff(int failures) {
  constexpr SimDuration kMax = SimDuration::Seconds(420);
  if (failures <= 1) return SimDuration::Seconds(1);
  if (failures > 10) return kMax;
  return std::min(kMax, SimDuration::Seconds(int64_t{1} << (failures - 1)));
}

struct ExternalSecretsController::Sync {
  LiveObject es;
  Json status;
  std::string target, creation, deletion, policy, store_name, version;
  SimDuration interval;
  std::optional<LiveObject> existing;
  std::map<std::string, std::string> data;  // secretKey -> plain value
  std::vector<std::string> missing;         // secretKeys whose remote key is gone
  bool changed = false;                     // the Ready condition changed
};

ExternalSecretsController::ExternalSecretsController(Simulator& sim, ObjectStore& store,
                                                     const SecretProviders& providers,
                                                     int64_t start_unix, EventSink sink)
    : sim_(sim),
      store_(store),
      providers_(providers),
      start_unix_(start_unix),
      sink_(std::move(sink)) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

ExternalSecretsController::~ExternalSecretsController() {
  store_.RemoveObserver(watch_);
  if (flush_ != 0) sim_.Cancel(flush_);
  for (auto& [key, wake] : wakeups_) sim_.Cancel(wake.second);
}

// ExternalSecrets on a spec or metadata change (status writes are ignored), stores on a spec
// change, and an Owner target's every change through its controller reference.
void ExternalSecretsController::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (key.group == kGroup) {
    bool es = key.kind == "ExternalSecret";
    if (!es && !IsStoreKind(key.kind)) return;
    if (event.type == WatchEventType::kDeleted) {
      failures_.erase(key);
      written_keys_.erase(key);
      return;
    }
    bool spec =
        event.type == WatchEventType::kAdded || event.previous == nullptr ||
        IntAt(event.previous->doc(), {"metadata", "generation"}, 0) != event.object.generation;
    bool meta = es && event.previous != nullptr &&
                (JsonAt(event.previous->doc(), {"metadata", "labels"}) !=
                     JsonAt(event.object.doc(), {"metadata", "labels"}) ||
                 JsonAt(event.previous->doc(), {"metadata", "annotations"}) !=
                     JsonAt(event.object.doc(), {"metadata", "annotations"}));
    if (spec || meta) Enqueue(key);
    return;
  }
  if (!key.group.empty() || key.kind != "Secret") return;
  std::optional<ObjectKey> owner = workload::ControllerOf(*event.object.object);
  if (owner && owner->group == kGroup && owner->kind == "ExternalSecret") Enqueue(*owner);
}

void ExternalSecretsController::Enqueue(const ObjectKey& key) {
  if (!queued_.insert(key).second) return;
  queue_.push_back(key);
  if (flush_ == 0) flush_ = sim_.At(sim_.now(), [this] { Flush(); });
}

// controller-runtime's AddAfter: of several pending delays, the earliest wins.
void ExternalSecretsController::RequeueAfter(const ObjectKey& key, SimDuration delay) {
  SimTime t = sim_.now() + delay;
  auto it = wakeups_.find(key);
  if (it != wakeups_.end()) {
    if (it->second.first <= t) return;
    sim_.Cancel(it->second.second);
  }
  EventId id = sim_.At(t, [this, key] {
    wakeups_.erase(key);
    Enqueue(key);
  });
  wakeups_[key] = {t, id};
}

void ExternalSecretsController::Backoff(const ObjectKey& key) {
  RequeueAfter(key, FailureBackoff(++failures_[key]));
}

void ExternalSecretsController::Flush() {
  flush_ = 0;
  std::vector<ObjectKey> work;
  work.swap(queue_);
  queued_.clear();
  for (const ObjectKey& key : work) Reconcile(key);
}

void ExternalSecretsController::Reconcile(const ObjectKey& key) {
  const LiveObject* live = store_.Find(key);
  if (live == nullptr || live->being_deleted()) return;
  LiveObject copy = *live;
  if (IsStoreKind(key.kind)) {
    ReconcileStore(copy);
  } else {
    ReconcileExternalSecret(copy);
  }
}

void ExternalSecretsController::EnqueueAll() {
  for (const char* kind : {"ClusterSecretStore", "SecretStore", "ExternalSecret"}) {
    Result<std::vector<LiveObject>> all =
        store_.List({std::string(kGroup), kind, std::nullopt, {}});
    if (!all.ok()) continue;
    for (const LiveObject& o : *all) Enqueue(o.key());
  }
}

void ExternalSecretsController::Restart() {
  if (flush_ != 0) sim_.Cancel(flush_);
  flush_ = 0;
  for (auto& [key, wake] : wakeups_) sim_.Cancel(wake.second);
  wakeups_.clear();
  queue_.clear();
  queued_.clear();
  failures_.clear();
  written_keys_.clear();
  EnqueueAll();
}

void ExternalSecretsController::ReconcileExternalSecret(const LiveObject& es) {
  Sync s;
  s.es = es;
  const Json& doc = es.doc();
  s.status = es.status().is_object() ? es.status() : Json::object();
  s.target = StringAt(doc, {"spec", "target", "name"});
  if (s.target.empty()) s.target = es.key().name;
  s.creation = StringAt(doc, {"spec", "target", "creationPolicy"});
  if (s.creation.empty()) s.creation = "Owner";
  s.deletion = StringAt(doc, {"spec", "target", "deletionPolicy"});
  if (s.deletion.empty()) s.deletion = "Retain";
  s.policy = StringAt(doc, {"spec", "refreshPolicy"});
  if (s.policy.empty()) s.policy = "Periodic";
  s.interval = kDefaultRefresh;
  if (std::string text = StringAt(doc, {"spec", "refreshInterval"}); !text.empty()) {
    if (Result<SimDuration> d = ParseDuration(text); d.ok()) s.interval = *d;
  }
  Json meta = {{"labels", JsonAt(doc, {"metadata", "labels"})},
               {"annotations", JsonAt(doc, {"metadata", "annotations"})}};
  s.version = fmt::format("{}-{}", es.generation, Hex(HashName(meta.dump())));
  if (const LiveObject* secret = store_.Find({"", "Secret", es.key().ns, s.target})) {
    s.existing = *secret;
  }

  // shouldRefresh (reference 3.3); refreshTime is whole seconds, and the real reconcile that
  // reads it always runs a little after it, hence <=.
  std::string synced = StringAt(s.status, {"syncedResourceVersion"});
  std::optional<SimTime> refreshed;
  if (Result<int64_t> unix = ParseRfc3339(StringAt(s.status, {"refreshTime"})); unix.ok()) {
    refreshed = SimTime::Zero() + SimDuration::Seconds(*unix - start_unix_);
  }
  bool refresh;
  if (s.policy == "CreatedOnce") {
    refresh = synced.empty() || !refreshed;
  } else if (s.policy == "OnChange") {
    refresh = synced != s.version || !refreshed;
  } else {
    refresh = synced != s.version || (s.interval > SimDuration::Zero() &&
                                      (!refreshed || *refreshed + s.interval <= sim_.now()));
  }
  if (!refresh && SecretValid(s.existing ? &*s.existing : nullptr)) {
    failures_.erase(es.key());
    if (s.policy == "Periodic" && s.interval > SimDuration::Zero() && refreshed) {
      SimDuration left = *refreshed + s.interval - sim_.now() + SimDuration::Seconds(5);
      if (left > SimDuration::Zero()) RequeueAfter(es.key(), left);
    }
    return;
  }

  Result<LiveObject> usable = UsableStore(es);
  if (!usable.ok()) return Fail(s, kErrGetData, usable.error());
  s.store_name = usable->key().name;
  if (!FetchData(s)) return;

  if (s.data.empty()) {
    if (s.deletion == "Delete") {
      if (s.creation != "Owner") {
        return Fail(s, kErrDelete,
                    fmt::format("invalid creationPolicy={}. Can not delete secret i do not own",
                                s.creation));
      }
      if (s.existing) {
        DeleteOptions options;
        options.cause = "external-secrets";
        Status deleted = store_.Delete(s.existing->key(), options);
        if (!deleted.ok()) return Fail(s, kErrDelete, deleted.message());
        sink_("SecretDeleted", es.key(),
              fmt::format("Deleted Secret {} (deletionPolicy Delete: every remote key is gone)",
                          s.target),
              true);
      }
      return Done(s, "SecretDeleted", "secret deleted due to DeletionPolicy=Delete");
    }
    if (s.deletion == "Retain") {
      return Done(s, "SecretSynced", "secret retained due to DeletionPolicy=Retain");
    }
  }
  if (s.creation == "Merge" && !s.existing) {
    return Done(s, "SecretMissing", "secret will not be created due to CreationPolicy=Merge");
  }
  if (s.creation != "None" && !WriteSecret(s)) return;
  Done(s, "SecretSynced", "secret synced");
}

// getProviderSecretData: spec.data, then spec.dataFrom extracts (later keys win). A key the
// provider says is gone is an error under deletionPolicy Retain and skipped otherwise (3.5).
bool ExternalSecretsController::FetchData(Sync& s) {
  const std::string& cluster = store_.cluster();
  auto gone = [&](const std::string& where, const std::string& key, const FetchResult& r) {
    if (s.deletion == "Retain") {
      Fail(s, kErrGetData, fmt::format("{}: key \"{}\": {}", where, key, r.error));
      return false;
    }
    s.missing.push_back(key);
    return true;
  };
  const Json& data = JsonAt(s.es.doc(), {"spec", "data"});
  for (size_t i = 0; data.is_array() && i < data.size(); ++i) {
    std::string secret_key = StringAt(data[i], {"secretKey"});
    std::string key = StringAt(data[i], {"remoteRef", "key"});
    FetchResult r =
        providers_.Get(cluster, s.store_name, key, StringAt(data[i], {"remoteRef", "property"}));
    if (r.code == FetchCode::kError) {
      Fail(s, kErrGetData, r.error);
      return false;
    }
    if (r.code == FetchCode::kNotFound) {
      if (!gone(fmt::format("spec.data[{}]", i), key, r)) return false;
      continue;
    }
    s.data[secret_key] = r.values[""];
  }
  const Json& from = JsonAt(s.es.doc(), {"spec", "dataFrom"});
  for (size_t i = 0; from.is_array() && i < from.size(); ++i) {
    std::string key = StringAt(from[i], {"extract", "key"});
    if (key.empty()) continue;  // find / generators: not modelled, no data
    FetchResult r = providers_.Extract(cluster, s.store_name, key);
    if (r.code == FetchCode::kError) {
      Fail(s, kErrGetData, r.error);
      return false;
    }
    if (r.code == FetchCode::kNotFound) {
      if (!gone(fmt::format("spec.dataFrom[{}].extract", i), key, r)) return false;
      continue;
    }
    for (auto& [k, v] : r.values) s.data[k] = v;
  }
  return true;
}

// target.template.data (engine v2): each value is a Go template executed with the fetched keys
// as dot (missingkey=error, Sprig functions); mergePolicy Replace (default) keeps only the
// templated keys, Merge adds them to the fetched ones.
static Result<std::map<std::string, std::string>> ApplyTemplate(
    const Json& tpl, std::map<std::string, std::string> data) {
  const Json& entries = JsonAt(tpl, {"data"});
  if (!entries.is_object()) return data;
  Json dot(data);
  std::map<std::string, std::string> out;
  if (StringAt(tpl, {"mergePolicy"}) == "Merge") out = data;
  for (const auto& [key, text] : entries.items()) {
    Result<GoTemplate> parsed =
        GoTemplate::Parse(text.is_string() ? text.get<std::string>() : "", key);
    if (!parsed.ok()) return Status::Error("could not apply template: " + parsed.error());
    Result<std::string> value = parsed->Execute(dot, {MissingKey::kError});
    if (!value.ok()) return Status::Error("could not apply template: " + value.error());
    out[key] = *value;
  }
  return out;
}

// createOrUpdateSecret (Owner, Orphan, CreateOrMerge when absent) or patchSecret (Merge,
// CreateOrMerge when present).
bool ExternalSecretsController::WriteSecret(Sync& s) {
  const ObjectKey& es_key = s.es.key();
  const Json& tpl = JsonAt(s.es.doc(), {"spec", "target", "template"});
  bool merge = s.creation == "Merge" || (s.creation == "CreateOrMerge" && s.existing);
  Json doc = s.existing ? s.existing->doc()
                        : Json{{"apiVersion", "v1"},
                               {"kind", "Secret"},
                               {"metadata", {{"name", s.target}, {"namespace", es_key.ns}}},
                               {"type", "Opaque"}};
  if (s.existing) {
    std::optional<ObjectKey> owner = workload::ControllerOf(*s.existing->object);
    bool other = false;
    for (const Json& ref : JsonAt(doc, {"metadata", "ownerReferences"})) {
      if (BoolAt(ref, {"controller"}) && StringAt(ref, {"kind"}) == "ExternalSecret" &&
          StringAt(ref, {"uid"}) != s.es.uid) {
        other = true;
      }
    }
    if (other && owner) {
      Fail(s, "target is owned by another ExternalSecret",
           fmt::format("Secret {} is controlled by ExternalSecret {}", s.target, owner->name));
      return false;
    }
  }
  Json before = doc;
  Json data = merge ? JsonAt(doc, {"data"}) : Json::object();
  if (!data.is_object()) data = Json::object();
  if (merge) {
    std::set<std::string> drop = written_keys_[es_key];
    for (const std::string& k : s.missing) drop.insert(k);
    for (const std::string& k : drop) data.erase(k);
  }
  Result<std::map<std::string, std::string>> produced = ApplyTemplate(tpl, s.data);
  if (!produced.ok()) {
    Fail(s, kErrUpdate, produced.error());
    return false;
  }
  for (const auto& [k, v] : *produced) data[k] = Base64(v);
  if (s.existing && BoolAt(doc, {"immutable"}) && data != JsonAt(doc, {"data"})) {
    Fail(s, "could not update secret, target is immutable",
         fmt::format("Secret {} is immutable", s.target));
    return false;
  }
  doc["data"] = data;
  if (std::string type = StringAt(tpl, {"type"}); !type.empty() && !s.existing) doc["type"] = type;
  if (BoolAt(s.es.doc(), {"spec", "target", "immutable"})) doc["immutable"] = true;
  // Taken after the top-level writes: inserting into `doc` moves its members.
  Json& meta = doc["metadata"];
  for (const char* field : {"labels", "annotations"}) {
    const Json& extra = JsonAt(tpl, {"metadata", field});
    if (extra.is_object()) meta[field].update(extra);
  }
  meta["labels"][std::string(kManaged)] = "true";
  if (s.creation == "Owner") {
    meta["labels"][std::string(kCreatedBy)] =
        Hex(HashName(fmt::format("{}/{}", es_key.ns, es_key.name)));
    Json refs = Json::array();
    for (const Json& ref : JsonAt(doc, {"metadata", "ownerReferences"})) {
      if (!BoolAt(ref, {"controller"})) refs.push_back(ref);
    }
    refs.push_back(workload::ControllerRef(s.es));
    meta["ownerReferences"] = refs;
  }
  meta["annotations"][std::string(kDataHash)] = DataHash(data);

  std::set<std::string> written;
  for (const auto& [k, v] : *produced) written.insert(k);
  written_keys_[es_key] = std::move(written);
  if (s.existing && doc == before) return true;
  Result<LiveObject> r = s.existing ? store_.Update(Object(doc)) : store_.Create(Object(doc));
  if (!r.ok()) {
    Fail(s, kErrUpdate, r.error());
    return false;
  }
  std::string detail = fmt::format("{} Secret {} (creationPolicy {}",
                                   s.existing ? "Updated" : "Created", s.target, s.creation);
  if (!s.missing.empty())
    detail += fmt::format(", missing remote keys: {}", fmt::join(s.missing, ","));
  sink_(s.existing ? "SecretUpdated" : "SecretCreated", es_key, detail + ")", true);
  return true;
}

// markAsFailed: Ready False SecretSyncedError, the Secret untouched, retried with backoff and not
// at refreshInterval (reference 3.3, 3.4).
void ExternalSecretsController::Fail(Sync& s, const std::string& message,
                                     const std::string& error) {
  s.changed =
      SetReady(s.status, "False", "SecretSyncedError", message, store_.Timestamp(sim_.now()));
  WriteStatus(s);
  const ObjectKey& key = s.es.key();
  Backoff(key);
  sink_("ExternalSecretReady", key,
        fmt::format("False SecretSyncedError: {}: {}; retry in {}", message, error,
                    FormatDuration(FailureBackoff(failures_[key]))),
        s.changed);
}

// markAsDone (SecretSynced sets refreshTime and syncedResourceVersion), then the requeue at
// refreshInterval.
void ExternalSecretsController::Done(Sync& s, std::string_view reason, const std::string& message) {
  std::string now = store_.Timestamp(sim_.now());
  s.changed = SetReady(s.status, "True", reason, message, now);
  if (reason != "SecretMissing") {
    s.status["refreshTime"] = now;
    s.status["syncedResourceVersion"] = s.version;
  }
  if (reason == "SecretSynced" && s.creation != "None") {
    s.status["binding"] = {{"name", s.target}};
  }
  WriteStatus(s);
  const ObjectKey& key = s.es.key();
  failures_.erase(key);
  if (s.interval > SimDuration::Zero()) RequeueAfter(key, s.interval);
  std::string detail = fmt::format("True {}: {}", reason, message);
  if (!s.missing.empty()) {
    detail += fmt::format(" (MissingProviderSecret: {})", fmt::join(s.missing, ","));
  }
  sink_("ExternalSecretReady", key, detail, s.changed);
}

void ExternalSecretsController::WriteStatus(Sync& s) {
  if (s.status == s.es.status()) return;
  (void)store_.UpdateStatus(s.es.key(), s.status);
}

}  // namespace fleetsim::eso
