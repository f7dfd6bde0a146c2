// ObjectStore's deletion: finalizers, propagation policies, the garbage collector, the namespace
// controller and CRD clean-up. The controllers' work is done at once, inside the Delete call (or
// inside the call that removed the last blocker), which keeps the store free of timers; the order
// of the resulting watch events is the order Kubernetes would produce them in.
#include <algorithm>

#include "sim/cluster/api_errors.h"
#include "sim/cluster/json_fields.h"
#include "sim/cluster/object_store.h"

namespace fleetsim {
namespace {

constexpr std::string_view kForegroundFinalizer = "foregroundDeletion";
constexpr std::string_view kCrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

bool IsNamespace(const ObjectKey& k) { return k.group.empty() && k.kind == "Namespace"; }
bool IsCrd(const ObjectKey& k) {
  return k.group == "apiextensions.k8s.io" && k.kind == "CustomResourceDefinition";
}

bool HasFinalizer(const LiveObject& live, std::string_view f) {
  const auto& list = live.object->finalizers();
  return std::find(list.begin(), list.end(), f) != list.end();
}

}  // namespace

Status ObjectStore::Delete(const ObjectKey& key, const DeleteOptions& options) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr) return Get(key).status();
  if (!options.uid_precondition.empty() && options.uid_precondition != entry->live.uid) {
    const ApiResource* r = resources_.FindKind(key.group, key.kind);
    return Status::Error("Operation cannot be fulfilled on " + r->group_resource() + " \"" +
                         key.name + "\": Precondition failed: UID in precondition: " +
                         options.uid_precondition + ", UID in object meta: " + entry->live.uid);
  }
  if (entry->live.being_deleted()) return Status::Ok();
  Batch batch(this);
  DeleteInternal(key, options.propagation.value_or(Propagation::kBackground), options.cause);
  return Status::Ok();
}

void ObjectStore::DeleteInternal(const ObjectKey& key, Propagation policy, std::string_view cause) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr || entry->live.being_deleted()) return;
  if (IsNamespace(key)) {
    MarkDeleting(*entry, cause, {});
    DeleteNamespaceContents(key.name);
    FinishIfUnblocked(key);
    return;
  }
  if (IsCrd(key)) {
    MarkDeleting(*entry, cause, kCrdCleanupFinalizer);
    auto [group, kind] = ApiResources::CrdGroupKind(entry->live.doc());
    std::vector<ObjectKey> instances;
    for (auto it = objects_.lower_bound({group, kind, "", ""});
         it != objects_.end() && it->first.group == group && it->first.kind == kind; ++it) {
      instances.push_back(it->first);
    }
    for (const ObjectKey& k : instances) DeleteInternal(k, Propagation::kBackground, kCauseGc);
    FinishIfUnblocked(key);
    return;
  }
  bool has_dependents = by_owner_uid_.count(entry->live.uid) != 0;
  switch (policy) {
    case Propagation::kOrphan:
      OrphanDependents(entry->live.uid);
      break;
    case Propagation::kForeground:
      if (has_dependents) {
        std::string uid = entry->live.uid;
        MarkDeleting(*entry, cause, kForegroundFinalizer);
        CollectDependents(uid, Propagation::kForeground);
        FinishIfUnblocked(key);
        return;
      }
      break;
    case Propagation::kBackground:
      break;
  }
  entry = FindEntry(key);
  if (entry == nullptr) return;
  if (entry->live.object->finalizers().empty()) {
    entry->deletion_cause = std::string(cause);
    Remove(key);
  } else {
    MarkDeleting(*entry, cause, {});
  }
}

void ObjectStore::MarkDeleting(Entry& entry, std::string_view cause,
                               std::string_view extra_finalizer) {
  Json doc = entry.live.object->doc();
  if (!extra_finalizer.empty()) doc["metadata"]["finalizers"].push_back(extra_finalizer);
  if (IsNamespace(entry.live.key())) doc["status"]["phase"] = "Terminating";
  entry.deletion_cause = std::string(cause);
  ObjectPtr previous = entry.live.object;
  entry.live.deletion_timestamp = now();
  // The API server bumps the generation when it sets the deletionTimestamp.
  entry.live = Store(std::move(doc), &entry, entry.live.generation > 0);
  Notify(WatchEventType::kModified, entry.live, std::move(previous), entry.deletion_cause);
}

void ObjectStore::Remove(const ObjectKey& key) {
  auto it = objects_.find(key);
  if (it == objects_.end()) return;
  LiveObject gone = it->second.live;
  std::string cause = std::move(it->second.deletion_cause);
  IndexRemove(it->first, gone);
  by_key_.erase(&it->first);
  objects_.erase(it);
  if (IsCrd(key)) resources_.RemoveCrd(key.name);
  Notify(WatchEventType::kDeleted, gone, nullptr, std::move(cause));
  AfterRemoval(gone);
}

void ObjectStore::AfterRemoval(const LiveObject& gone) {
  // The garbage collector: dependents whose owners are all gone are deleted; dependents with a
  // remaining owner lose the dangling reference.
  for (const ObjectKey& k : Dependents(gone.uid)) {
    Entry* d = FindEntry(k);
    if (d == nullptr) continue;
    bool other_owner = false;
    for (const OwnerReference& ref : d->live.object->owner_references()) {
      if (ref.uid != gone.uid && by_uid_.count(ref.uid) != 0) other_owner = true;
    }
    if (other_owner) {
      Json refs = Json::array();
      for (const Json& ref : JsonAt(d->live.doc(), {"metadata", "ownerReferences"})) {
        if (StringAt(ref, {"uid"}) != gone.uid) refs.push_back(ref);
      }
      Patch(k, {{"metadata", {{"ownerReferences", refs}}}});
    } else {
      DeleteInternal(k, Propagation::kBackground, kCauseGc);
    }
  }
  const ObjectKey& key = gone.key();
  if (!key.ns.empty()) FinishIfUnblocked({"", "Namespace", "", key.ns});
  if (const ApiResource* r = resources_.FindKind(key.group, key.kind); r != nullptr && r->custom) {
    FinishIfUnblocked(
        {"apiextensions.k8s.io", "CustomResourceDefinition", "", r->plural + "." + r->group});
  }
  for (const OwnerReference& ref : gone.object->owner_references()) {
    auto it = by_uid_.find(ref.uid);
    if (it == by_uid_.end()) continue;
    const ObjectKey owner = *it->second;  // a copy: the owner may leave objects_ now
    FinishIfUnblocked(owner);
  }
}

void ObjectStore::CollectDependents(const std::string& uid, Propagation owner_policy) {
  for (const ObjectKey& k : Dependents(uid)) {
    Entry* d = FindEntry(k);
    if (d == nullptr || d->live.being_deleted()) continue;
    // The garbage collector deletes a dependent of a foreground deletion in the foreground too
    // when it has dependents of its own (attemptToDeleteItem), in the background otherwise.
    bool nested = by_owner_uid_.count(d->live.uid) != 0;
    Propagation p = owner_policy == Propagation::kForeground && nested ? Propagation::kForeground
                                                                       : Propagation::kBackground;
    DeleteInternal(k, p, kCauseGc);
  }
}

void ObjectStore::OrphanDependents(const std::string& uid) {
  for (const ObjectKey& k : Dependents(uid)) {
    Entry* d = FindEntry(k);
    if (d == nullptr) continue;
    Json refs = Json::array();
    for (const Json& ref : JsonAt(d->live.doc(), {"metadata", "ownerReferences"})) {
      if (StringAt(ref, {"uid"}) != uid) refs.push_back(ref);
    }
    Json patch = {{"metadata", {{"ownerReferences", refs.empty() ? Json() : refs}}}};
    Patch(k, patch);
  }
}

// Objects without owners go first, so that what they own is garbage-collected after them (cause
// "gc", as after any other deletion); whatever is left is deleted by the namespace controller.
void ObjectStore::DeleteNamespaceContents(const std::string& ns) {
  std::vector<ObjectKey> keys = KeysInNamespace(ns);
  for (bool owned : {false, true}) {
    for (const ObjectKey& k : keys) {
      const Entry* e = FindEntry(k);
      if (e == nullptr || e->live.object->owner_references().empty() == owned) continue;
      DeleteInternal(k, Propagation::kBackground, kCauseNamespace);
    }
  }
}

void ObjectStore::FinishIfUnblocked(const ObjectKey& key) {
  Entry* entry = FindEntry(key);
  if (entry == nullptr || !entry->live.being_deleted()) return;
  if (IsNamespace(key)) {
    // The namespace controller's own finalizer ("kubernetes", in spec) is done when it is empty.
    if (by_namespace_.count(key.name) == 0 && entry->live.object->finalizers().empty()) {
      Remove(key);
    }
    return;
  }
  if (IsCrd(key) && HasFinalizer(entry->live, kCrdCleanupFinalizer)) {
    auto [group, kind] = ApiResources::CrdGroupKind(entry->live.doc());
    auto it = objects_.lower_bound({group, kind, "", ""});
    if (it == objects_.end() || it->first.group != group || it->first.kind != kind) {
      RemoveFinalizerInternal(*entry, kCrdCleanupFinalizer);
    }
    return;
  }
  if (!HasFinalizer(entry->live, kForegroundFinalizer)) return;
  for (const ObjectKey& k : Dependents(entry->live.uid)) {
    const LiveObject* d = Find(k);
    for (const OwnerReference& ref : d->object->owner_references()) {
      if (ref.uid == entry->live.uid && ref.block_owner_deletion) return;
    }
  }
  RemoveFinalizerInternal(*entry, kForegroundFinalizer);
}

}  // namespace fleetsim
