// ObjectStore writes: create, apply (client-side three-way merge), update, merge patch, status,
// finalizers; the API server's validation and the status it gives new objects.
#include <algorithm>
#include <memory>
#include <utility>

#include "engine/random.h"
#include "sim/cluster/api_errors.h"
#include "sim/cluster/json_fields.h"
#include "sim/cluster/object_store.h"
#include "sim/cluster/validation.h"

namespace fleetsim {
namespace {

// metadata fields only the server sets; ignored in what clients send.
constexpr const char* kSystemMetadata[] = {"uid",
                                           "resourceVersion",
                                           "generation",
                                           "creationTimestamp",
                                           "selfLink",
                                           "deletionGracePeriodSeconds",
                                           "deletionTimestamp",
                                           "managedFields"};

void StripSystemMetadata(Json& doc) {
  auto it = doc.find("metadata");
  if (it == doc.end() || !it->is_object()) return;
  for (const char* f : kSystemMetadata) it->erase(f);
}

bool IsSystemMetadata(const std::string& key) {
  for (const char* f : kSystemMetadata) {
    if (key == f) return true;
  }
  return false;
}

// Whether `stripped` (without system metadata) equals `stored` once the stored document's system
// metadata is ignored; compares in place, without copying either document.
bool SameContent(const Json& stripped, const Json& stored) {
  if (!stripped.is_object() || !stored.is_object()) return stripped == stored;
  size_t seen = 0;
  for (const auto& [k, v] : stored.items()) {
    auto it = stripped.find(k);
    if (k != "metadata") {
      if (it == stripped.end() || *it != v) return false;
      ++seen;
      continue;
    }
    if (it == stripped.end()) return false;
    ++seen;
    if (!v.is_object() || !it->is_object()) {
      if (*it != v) return false;
      continue;
    }
    size_t meta_seen = 0;
    for (const auto& [mk, mv] : v.items()) {
      if (IsSystemMetadata(mk)) continue;
      auto mt = it->find(mk);
      if (mt == it->end() || *mt != mv) return false;
      ++meta_seen;
    }
    if (meta_seen != it->size()) return false;
  }
  return seen == stripped.size();
}

// Whether anything outside metadata (and status, when it is a subresource) differs: the rule for
// bumping metadata.generation.
bool SpecChanged(const Json& a, const Json& b, bool status_subresource) {
  auto skip = [&](const std::string& k) {
    return k == "metadata" || k == "apiVersion" || k == "kind" ||
           (status_subresource && k == "status");
  };
  for (const auto& [k, v] : a.items()) {
    if (skip(k)) continue;
    auto it = b.find(k);
    if (it == b.end() || *it != v) return true;
  }
  for (const auto& [k, v] : b.items()) {
    if (!skip(k) && !a.contains(k)) return true;
  }
  return false;
}

// kubectl's client-side three-way merge, for JSON objects: set what `desired` says, delete what
// `last` had and `desired` no longer has, keep the rest. Lists and scalars are replaced whole.
void ThreeWayMerge(Json& live, const Json& last, const Json& desired) {
  for (const auto& [k, v] : desired.items()) {
    auto it = live.find(k);
    if (v.is_null()) {
      live.erase(k);
    } else if (v.is_object() && it != live.end() && it->is_object()) {
      auto lt = last.is_object() ? last.find(k) : last.end();
      ThreeWayMerge(*it, last.is_object() && lt != last.end() ? *lt : Json(), v);
    } else {
      live[k] = v;
    }
  }
  if (!last.is_object()) return;
  for (const auto& [k, v] : last.items()) {
    if (!desired.contains(k)) live.erase(k);
  }
}

// The last-applied configuration as the merge reads it: which keys each object had and which of
// their values were objects (ThreeWayMerge reads nothing else). Stored compactly, without the
// values: an object is its members, each 'k', the key's length (LEB128), the key, then 'o' and the
// value's members for an object or 'v' for any other value, and an 'e' at its end. "" = never
// applied.
void AppendKeys(const Json& object, std::string& out) {
  for (const auto& [k, v] : object.items()) {
    out += 'k';
    size_t n = k.size();
    do {
      const auto low = static_cast<unsigned char>(n & 0x7f);
      n >>= 7;
      out += static_cast<char>(n != 0 ? low | 0x80 : low);
    } while (n != 0);
    out += k;
    if (v.is_object()) {
      out += 'o';
      AppendKeys(v, out);
    } else {
      out += 'v';
    }
  }
  out += 'e';
}

std::string AppliedKeys(const Json& doc) {
  std::string out;
  if (doc.is_object()) AppendKeys(doc, out);
  return out;
}

// AppendKeys read back from `pos` (just after the object's own 'o'): the same keys, each with an
// object or null as its value.
Json ReadKeys(std::string_view text, size_t& pos) {
  Json out = Json::object();
  while (pos < text.size() && text[pos++] == 'k') {
    size_t n = 0;
    for (int shift = 0; pos < text.size(); shift += 7) {
      const auto b = static_cast<unsigned char>(text[pos++]);
      n |= static_cast<size_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    std::string key(text.substr(pos, n));
    pos += n;
    if (pos < text.size() && text[pos++] == 'o') {
      out[std::move(key)] = ReadKeys(text, pos);
    } else {
      out[std::move(key)] = nullptr;
    }
  }
  return out;
}

Json ReadAppliedKeys(const std::string& keys) {
  if (keys.empty()) return Json();
  size_t pos = 0;
  return ReadKeys(keys, pos);
}

// A copy of the stored document `doc` with `status` in place of its own (none when null): the
// other members are copied in order, the old status is not.
Json WithStatus(const Json& doc, Json status) {
  Json out = Json::object();
  auto& members = out.get_ref<Json::object_t&>();
  const auto& old = doc.get_ref<const Json::object_t&>();
  members.reserve(old.size() + 1);
  bool placed = status.is_null();
  for (const auto& [k, v] : old) {
    if (k == "status") continue;
    if (!placed && k > "status") {
      members.emplace_hint(members.end(), "status", std::move(status));
      placed = true;
    }
    members.emplace_hint(members.end(), k, v);
  }
  if (!placed) members.emplace_hint(members.end(), "status", std::move(status));
  return out;
}

bool IsNamespaceKey(const ObjectKey& k) { return k.group.empty() && k.kind == "Namespace"; }
bool IsCrdKey(const ObjectKey& k) {
  return k.group == "apiextensions.k8s.io" && k.kind == "CustomResourceDefinition";
}

constexpr std::string_view kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

}  // namespace

Result<const ApiResource*> ObjectStore::ResourceFor(const Object& obj) const {
  const ApiResource* r = resources_.Find(obj.api_version(), obj.kind());
  if (r == nullptr) return UnknownKindError();
  if (r->custom) {
    std::string crd_name = r->plural + "." + r->group;
    const LiveObject* crd =
        Find({"apiextensions.k8s.io", "CustomResourceDefinition", "", crd_name});
    if (crd != nullptr && crd->being_deleted()) {
      return Status::Error("create not allowed while custom resource definition is terminating");
    }
  }
  return r;
}

Status ObjectStore::CheckNamespace(const ApiResource& r, const ObjectKey& key) const {
  if (!r.namespaced) return Status::Ok();
  if (key.ns.empty()) {
    return InvalidError(r, key.name, "metadata.namespace: Required value");
  }
  const LiveObject* ns = Find({"", "Namespace", "", key.ns});
  if (ns == nullptr) return NamespaceNotFoundError(key.ns);
  if (ns->being_deleted()) return NamespaceTerminatingError(r, key.name, key.ns);
  return Status::Ok();
}

Result<LiveObject> ObjectStore::Create(const Object& obj) {
  Result<const ApiResource*> r = ResourceFor(obj);
  if (!r.ok()) return r.status();
  Json doc = obj.doc();
  return Insert(**r, std::move(doc), std::string(), false);
}

Result<LiveObject> ObjectStore::Insert(const ApiResource& r, Json doc, std::string last_applied,
                                       bool dry_run) {
  StripSystemMetadata(doc);
  Json& meta = doc["metadata"];
  if (!r.namespaced) meta.erase("namespace");
  if (r.status_subresource) doc.erase("status");
  if (StringAt(meta, {"name"}).empty() && !StringAt(meta, {"generateName"}).empty()) {
    for (uint64_t n = uid_counter_;; ++n) {
      uint64_t h = HashName(cluster_ + "/name/" + std::to_string(n));
      std::string name = StringAt(meta, {"generateName"});
      for (int i = 0; i < 5; ++i, h /= kNameAlphabet.size())
        name += kNameAlphabet[h % kNameAlphabet.size()];
      ObjectKey k{r.group, r.kind, StringAt(meta, {"namespace"}), name};
      if (Find(k) == nullptr) {
        meta["name"] = name;
        break;
      }
    }
  }
  if (Status s = ValidateCreate(r, doc); !s.ok()) return s;
  ObjectKey key{r.group, r.kind, StringAt(meta, {"namespace"}), StringAt(meta, {"name"})};
  if (Status s = CheckNamespace(r, key); !s.ok()) return s;
  if (Find(key) != nullptr) return AlreadyExistsError(r, key.name);
  // Status the API server itself gives new objects (registry strategies and v1 defaults).
  if (IsNamespaceKey(key)) {
    doc["spec"] = {{"finalizers", {"kubernetes"}}};
    doc["status"] = {{"phase", "Active"}};
  } else if (key.group.empty() && key.kind == "Pod") {
    doc["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
  } else if (key.group.empty() &&
             (key.kind == "PersistentVolumeClaim" || key.kind == "PersistentVolume")) {
    doc["status"] = {{"phase", "Pending"}};
  }
  if (IsCrdKey(key)) {
    Status s = dry_run ? ApiResources::CheckCrd(doc) : resources_.AddCrd(doc);
    if (!s.ok()) return s;
    doc["status"] = {
        {"acceptedNames", JsonAt(doc, {"spec", "names"})},
        {"conditions",
         {{{"type", "NamesAccepted"}, {"status", "True"}, {"reason", "NoConflicts"}},
          {{"type", "Established"}, {"status", "True"}, {"reason", "InitialNamesAccepted"}}}}};
  }
  if (dry_run) {
    LiveObject live;
    live.created = now();
    live.object = std::make_shared<const Object>(std::move(doc));
    return live;
  }
  Batch batch(this);
  LiveObject live = Store(std::move(doc), nullptr, false);
  auto stored = objects_.try_emplace(key).first;
  Entry& entry = stored->second;
  entry.key = &stored->first;
  by_key_.emplace(entry.key, &entry);
  entry.live = live;
  entry.last_applied = std::move(last_applied);
  IndexAdd(entry);
  Notify(WatchEventType::kAdded, live, nullptr, "");
  return live;
}

Result<LiveObject> ObjectStore::Replace(Entry& entry, const ApiResource& r, Json doc, bool validate,
                                        bool* changed) {
  StripSystemMetadata(doc);
  const Json& old_doc = entry.live.object->doc();
  if (SameContent(doc, old_doc)) {
    if (changed != nullptr) *changed = false;
    return entry.live;
  }
  if (validate) {
    if (Status s = ValidateUpdate(r, old_doc, doc); !s.ok()) return s;
  }
  if (changed != nullptr) *changed = true;
  if (IsCrdKey(entry.live.key())) {
    if (Status s = resources_.AddCrd(doc); !s.ok()) return s;
  }
  Batch batch(this);
  bool bump = SpecChanged(old_doc, doc, r.status_subresource);
  ObjectPtr previous = entry.live.object;
  entry.live = Store(std::move(doc), &entry, bump);
  // Only the owner index can change: keys and uids are fixed for an object's life.
  if (previous->owner_references() != entry.live.object->owner_references()) {
    LiveObject before = entry.live;
    before.object = previous;
    IndexRemove(*entry.key, before);
    IndexAdd(entry);
  }
  LiveObject result = entry.live;
  Notify(WatchEventType::kModified, result, std::move(previous), "");
  if (result.being_deleted() && result.object->finalizers().empty()) Remove(result.key());
  return result;
}

Result<ApplyResult> ObjectStore::Apply(const Object& desired, const ApplyOptions& options) {
  Result<const ApiResource*> r = ResourceFor(desired);
  if (!r.ok()) return r.status();
  Json want = desired.doc();
  StripSystemMetadata(want);
  if ((*r)->status_subresource) want.erase("status");
  if (!(*r)->namespaced && want.contains("metadata")) want["metadata"].erase("namespace");
  ObjectKey key{(*r)->group, (*r)->kind, StringAt(want, {"metadata", "namespace"}),
                StringAt(want, {"metadata", "name"})};
  Entry* entry = key.name.empty() ? nullptr : FindEntry(key);
  if (entry == nullptr) {
    std::string keys = options.dry_run ? std::string() : AppliedKeys(want);
    Result<LiveObject> created = Insert(**r, std::move(want), std::move(keys), options.dry_run);
    if (!created.ok()) return created.status();
    return ApplyResult{*created, true, true};
  }
  Json merged = entry->live.object->doc();
  ThreeWayMerge(merged, ReadAppliedKeys(entry->last_applied), want);
  if (options.dry_run) {
    Json a = merged, b = entry->live.object->doc();
    StripSystemMetadata(a);
    StripSystemMetadata(b);
    if (a != b) {
      if (Status s = ValidateUpdate(**r, b, a); !s.ok()) return s;
    }
    LiveObject preview = entry->live;
    preview.object = std::make_shared<const Object>(std::move(merged));
    return ApplyResult{preview, false, a != b};
  }
  bool changed = false;
  Result<LiveObject> updated = Replace(*entry, **r, std::move(merged), true, &changed);
  if (!updated.ok()) return updated.status();
  if (Entry* still = FindEntry(key)) still->last_applied = AppliedKeys(want);
  return ApplyResult{*updated, false, changed};
}

Result<LiveObject> ObjectStore::Update(const Object& obj) {
  Result<const ApiResource*> r = ResourceFor(obj);
  if (!r.ok()) return r.status();
  ObjectKey key = obj.key();
  if (!(*r)->namespaced) key.ns.clear();
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return NotFoundError(**r, key.name);
  Json doc = obj.doc();
  if (!(*r)->namespaced) doc["metadata"].erase("namespace");
  if ((*r)->status_subresource) {
    const Json& status = entry->live.status();
    if (status.is_null()) {
      doc.erase("status");
    } else {
      doc["status"] = status;
    }
  }
  return Replace(*entry, **r, std::move(doc), true, nullptr);
}

Result<LiveObject> ObjectStore::Patch(const ObjectKey& key, const Json& merge_patch) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return Get(key).status();
  const ApiResource* r = resources_.Find(entry->live.object->api_version(), key.kind);
  if (r == nullptr) return UnknownKindError();
  Json patch = merge_patch;
  StripSystemMetadata(patch);
  if (r->status_subresource && patch.is_object()) patch.erase("status");
  Json doc = entry->live.object->doc();
  doc.merge_patch(patch);
  return Replace(*entry, *r, std::move(doc), true, nullptr);
}

Result<LiveObject> ObjectStore::UpdateStatus(const ObjectKey& key, Json status) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return Get(key).status();
  const ApiResource* r = resources_.Find(entry->live.object->api_version(), key.kind);
  if (r == nullptr) return UnknownKindError();
  if (status == entry->live.status()) return entry->live;
  if (IsCrdKey(key)) {  // the CRD is registered again from the new document
    return Replace(*entry, *r, WithStatus(entry->live.object->doc(), std::move(status)), false,
                   nullptr);
  }
  // What Replace would store, without comparing documents known to differ only in status: a new
  // resourceVersion, and a new generation where status is not a subresource (any change outside
  // metadata counts there). Identity, metadata and owners stay.
  Batch batch(this);
  ObjectPtr previous = entry->live.object;
  Json doc = WithStatus(previous->doc(), std::move(status));
  LiveObject& live = entry->live;
  live.resource_version = ++resource_version_;
  if (!r->status_subresource) ++live.generation;
  Json& meta = doc["metadata"];
  meta["resourceVersion"] = std::to_string(live.resource_version);
  meta["generation"] = live.generation;
  live.object = std::make_shared<const Object>(std::move(doc), *previous);
  LiveObject result = live;
  Notify(WatchEventType::kModified, result, std::move(previous), "");
  return result;
}

Status ObjectStore::AddFinalizer(const ObjectKey& key, std::string_view finalizer) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return Get(key).status();
  const auto& current = entry->live.object->finalizers();
  if (std::find(current.begin(), current.end(), finalizer) != current.end()) return Status::Ok();
  if (entry->live.being_deleted()) {
    const ApiResource* r = resources_.FindKind(key.group, key.kind);
    return InvalidError(*r, key.name,
                        "metadata.finalizers: Forbidden: no new finalizers can be added if the "
                        "object is being deleted, found new finalizers []string{\"" +
                            std::string(finalizer) + "\"}");
  }
  Json finalizers = JsonAt(entry->live.doc(), {"metadata", "finalizers"});
  if (!finalizers.is_array()) finalizers = Json::array();
  finalizers.push_back(finalizer);
  Result<LiveObject> r = Patch(key, {{"metadata", {{"finalizers", finalizers}}}});
  return r.ok() ? Status::Ok() : r.status();
}

Status ObjectStore::RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return Get(key).status();
  Batch batch(this);
  return RemoveFinalizerInternal(*entry, finalizer);
}

Status ObjectStore::RemoveFinalizerInternal(Entry& entry, std::string_view finalizer) {
  Json doc = entry.live.object->doc();
  Json& list = doc["metadata"]["finalizers"];
  if (!list.is_array()) return Status::Ok();
  auto it = std::find(list.begin(), list.end(), finalizer);
  if (it == list.end()) return Status::Ok();
  list.erase(it);
  if (list.empty()) doc["metadata"].erase("finalizers");
  const ApiResource* r = resources_.Find(entry.live.object->api_version(), entry.live.key().kind);
  if (r == nullptr) r = resources_.FindKind(entry.live.key().group, entry.live.key().kind);
  if (r == nullptr) return UnknownKindError();
  Result<LiveObject> done = Replace(entry, *r, std::move(doc), false, nullptr);
  return done.ok() ? Status::Ok() : done.status();
}

}  // namespace fleetsim
