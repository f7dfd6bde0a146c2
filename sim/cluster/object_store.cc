// ObjectStore: construction, bootstrap, reads, server-set metadata, the watch and the indexes.
// Writes are in object_store_write.cc, deletion in object_store_delete.cc.
#include "sim/cluster/object_store.h"

#include <memory>
#include <utility>

#include <fmt/format.h>

#include "engine/random.h"
#include "sim/cluster/api_errors.h"
#include "sim/cluster/json_fields.h"
#include "sim/scenario/rfc3339.h"

namespace fleetsim {

const Json& LiveObject::status() const { return JsonAt(object->doc(), {"status"}); }

std::string_view WatchEventTypeName(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
  }
  return "";
}

ObjectStore::ObjectStore(std::string cluster, const Simulator& sim, int64_t start_unix_seconds)
    : cluster_(std::move(cluster)), sim_(sim), start_unix_seconds_(start_unix_seconds) {}

void ObjectStore::Bootstrap(const std::vector<std::string>& addons) {
  Batch batch(this);
  for (const char* ns : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
    Create(Object({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}}));
  }
  for (const std::string& addon : addons) {
    for (Json& crd : AddonCrds(addon)) Create(Object(std::move(crd)));
  }
}

void ObjectStore::Wipe(std::string_view cause) {
  Batch batch(this);
  for (auto& [key, entry] : objects_) {
    Notify(WatchEventType::kDeleted, entry.live, nullptr, std::string(cause));
  }
  by_key_.clear();
  objects_.clear();
  by_namespace_.clear();
  by_owner_uid_.clear();
  by_uid_.clear();
  resources_ = ApiResources();
}

// ---- Reads ----

size_t ObjectStore::KeyPtrHash::operator()(const ObjectKey* k) const {
  const std::hash<std::string> hash;
  size_t h = hash(k->name);
  for (const std::string* part : {&k->ns, &k->kind, &k->group}) {
    h ^= hash(*part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

const LiveObject* ObjectStore::Find(const ObjectKey& key) const {
  auto it = by_key_.find(&key);
  return it == by_key_.end() ? nullptr : &it->second->live;
}

ObjectStore::Entry* ObjectStore::FindEntry(const ObjectKey& key) {
  auto it = by_key_.find(&key);
  return it == by_key_.end() ? nullptr : it->second;
}

Result<LiveObject> ObjectStore::Get(const ObjectKey& key) const {
  if (const LiveObject* live = Find(key)) return *live;
  const ApiResource* r = resources_.FindKind(key.group, key.kind);
  if (r == nullptr) return UnknownKindError();
  return NotFoundError(*r, key.name);
}

Result<std::vector<LiveObject>> ObjectStore::List(const ListOptions& options) const {
  if (resources_.FindKind(options.group, options.kind) == nullptr) return UnknownKindError();
  std::vector<LiveObject> out;
  ObjectKey from{options.group, options.kind, options.ns.value_or(""), ""};
  for (auto it = objects_.lower_bound(from); it != objects_.end(); ++it) {
    const ObjectKey& k = it->first;
    if (k.group != options.group || k.kind != options.kind) break;
    if (options.ns && k.ns != *options.ns) break;
    if (options.selector.Matches(it->second.live.object->labels())) out.push_back(it->second.live);
  }
  return out;
}

namespace {

template <typename KeySet>
std::vector<ObjectKey> Copies(const KeySet& keys) {
  std::vector<ObjectKey> out;
  out.reserve(keys.size());
  for (const ObjectKey* key : keys) out.push_back(*key);
  return out;
}

}  // namespace

std::vector<ObjectKey> ObjectStore::KeysInNamespace(std::string_view ns) const {
  auto it = by_namespace_.find(ns);
  if (it == by_namespace_.end()) return {};
  return Copies(it->second);
}

std::vector<ObjectKey> ObjectStore::Dependents(std::string_view owner_uid) const {
  auto it = by_owner_uid_.find(owner_uid);
  if (it == by_owner_uid_.end()) return {};
  return Copies(it->second);
}

// ---- Server-set metadata ----

std::string ObjectStore::NextUid() {
  ++uid_counter_;
  std::string seed = cluster_ + "/uid/" + std::to_string(uid_counter_);
  uint64_t hi = HashName(seed);
  uint64_t lo = HashName(seed + "/" + std::to_string(hi));
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                     hi & 0xfff, 0x8000 | ((lo >> 48) & 0x3fff), lo & 0xffffffffffffULL);
}

std::string ObjectStore::Timestamp(SimTime t) const {
  int64_t second = start_unix_seconds_ + t.micros() / 1'000'000;
  if (second != timestamp_second_) {
    timestamp_second_ = second;
    timestamp_text_ = FormatRfc3339Utc(second);
  }
  return timestamp_text_;
}

LiveObject ObjectStore::Store(Json doc, const Entry* previous, bool bump_generation) {
  LiveObject live;
  live.uid = previous ? previous->live.uid : NextUid();
  live.resource_version = ++resource_version_;
  live.generation = previous ? previous->live.generation + (bump_generation ? 1 : 0) : 1;
  live.created = previous ? previous->live.created : now();
  live.deletion_timestamp = previous ? previous->live.deletion_timestamp : std::nullopt;
  Json& meta = doc["metadata"];
  meta["uid"] = live.uid;
  meta["resourceVersion"] = std::to_string(live.resource_version);
  meta["generation"] = live.generation;
  meta["creationTimestamp"] = Timestamp(live.created);
  if (live.deletion_timestamp) {
    meta["deletionTimestamp"] = Timestamp(*live.deletion_timestamp);
    meta["deletionGracePeriodSeconds"] = 0;
  }
  live.object = std::make_shared<const Object>(std::move(doc));
  return live;
}

// ---- Watch ----

WatchId ObjectStore::AddObserver(WatchObserver observer) {
  WatchId id = next_watch_id_++;
  observers_.emplace(id, std::move(observer));
  ++observers_version_;
  return id;
}

void ObjectStore::RemoveObserver(WatchId id) {
  observers_.erase(id);
  ++observers_version_;
}

void ObjectStore::Notify(WatchEventType type, const LiveObject& object, ObjectPtr previous,
                         std::string cause) {
  pending_.push_back({type, object, std::move(previous), std::move(cause)});
}

void ObjectStore::Deliver() {
  if (delivering_) return;
  delivering_ = true;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending p = std::move(pending_[i]);
    WatchEvent event{p.type, cluster_, std::move(p.object), std::move(p.previous),
                     std::move(p.cause)};
    // The observers when the event's delivery starts, in the order they were added; one that an
    // earlier observer removes is skipped.
    if (delivery_ids_version_ != observers_version_) {
      delivery_ids_.clear();
      for (const auto& [id, fn] : observers_) delivery_ids_.push_back(id);
      delivery_ids_version_ = observers_version_;
    }
    for (size_t k = 0; k < delivery_ids_.size(); ++k) {
      auto it = observers_.find(delivery_ids_[k]);
      if (it != observers_.end()) it->second(event);
    }
  }
  pending_.clear();
  delivering_ = false;
}

// ---- Indexes ----

void ObjectStore::IndexAdd(const Entry& entry) {
  const ObjectKey* key = entry.key;
  if (!key->ns.empty()) by_namespace_[key->ns].insert(key);
  for (const OwnerReference& ref : entry.live.object->owner_references()) {
    by_owner_uid_[ref.uid].insert(key);
  }
  by_uid_[entry.live.uid] = key;
}

// `key` is the one in objects_ (the sets find it by the key it points at).
void ObjectStore::IndexRemove(const ObjectKey& key, const LiveObject& live) {
  if (auto it = by_namespace_.find(key.ns); it != by_namespace_.end()) {
    it->second.erase(&key);
    if (it->second.empty()) by_namespace_.erase(it);
  }
  for (const OwnerReference& ref : live.object->owner_references()) {
    auto it = by_owner_uid_.find(ref.uid);
    if (it == by_owner_uid_.end()) continue;
    it->second.erase(&key);
    if (it->second.empty()) by_owner_uid_.erase(it);
  }
  by_uid_.erase(live.uid);
}

}  // namespace fleetsim
