// One cluster's API server state: every live object, keyed by ObjectKey, with Kubernetes'
// semantics for what the server itself decides — uid, resourceVersion, generation, timestamps,
// namespaces, custom kinds that exist only while their CRD does, finalizers, deletion with
// Foreground / Background / Orphan propagation and the garbage collection of dependents — and a
// watch on every change.
//
// Determinism: uids derive from (cluster name, a per-store counter), resourceVersions from another
// counter; lists are ordered by key; watch observers run in the order they were added, and events
// in the order the changes happened.
//
// Re-entrancy: observers run after the call that caused the change has finished its bookkeeping
// (the store is consistent) and before that call returns. An observer may call any method,
// mutating ones included; the events those cause are delivered after the current ones.
//
// Model choices (see the comments at each): the API server's and the controllers' asynchronous
// work that has no timing of interest is done at once — garbage collection, the namespace
// controller, CRD establishment, and pods' graceful termination (a deleted pod is gone at once).
#ifndef FLEETSIM_SIM_CLUSTER_OBJECT_STORE_H_
#define FLEETSIM_SIM_CLUSTER_OBJECT_STORE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/simulator.h"
#include "engine/status.h"
#include "sim/cluster/api_resources.h"
#include "sim/cluster/live_object.h"
#include "sim/manifest/object.h"

namespace fleetsim {

class ObjectStore {
 public:
  // REQUIRES: `sim` outlives the store. `start_unix_seconds` is the wall-clock time of t=0
  // (timestamps in documents are RFC 3339 of start + now()).
  ObjectStore(std::string cluster, const Simulator& sim, int64_t start_unix_seconds);
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  const std::string& cluster() const { return cluster_; }
  SimTime now() const { return sim_.now(); }
  const ApiResources& resources() const { return resources_; }
  // RFC 3339 (whole seconds, UTC) of the instant t, as documents show timestamps.
  std::string Timestamp(SimTime t) const;

  // What a new cluster has: the namespaces default, kube-system, kube-public, kube-node-lease, and
  // the CRDs of each add-on in `addons` (AddonCrds names).
  void Bootstrap(const std::vector<std::string>& addons);
  // Every object disappears at once (cluster destroyed); each gets a kDeleted event with `cause`.
  // Finalizers are not honoured. Custom kinds are forgotten with their CRDs.
  void Wipe(std::string_view cause);

  // ---- Reads ----
  // The live object, or null. The pointer is valid until the next mutating call.
  const LiveObject* Find(const ObjectKey& key) const;
  // The live object or the API server's NotFound error.
  Result<LiveObject> Get(const ObjectKey& key) const;
  // Objects of one kind (in one namespace, when given) matching the selector, ordered by key.
  // Fails when the kind is not served.
  Result<std::vector<LiveObject>> List(const ListOptions& options) const;
  // Keys of every object in a namespace, ordered.
  std::vector<ObjectKey> KeysInNamespace(std::string_view ns) const;
  // Keys of the objects that list `owner_uid` among their ownerReferences, ordered.
  std::vector<ObjectKey> Dependents(std::string_view owner_uid) const;
  size_t size() const { return objects_.size(); }

  // ---- Writes ----
  // POST: creates the object. metadata.generateName is honoured when the name is empty. System
  // metadata in `obj` (uid, resourceVersion, ...) is ignored; for kinds with a status subresource,
  // so is `status`. A cluster-scoped kind loses any namespace it names.
  Result<LiveObject> Create(const Object& obj);
  // kubectl apply (client-side): creates the object, or three-way merges `desired` into it
  // (fields the previous apply set and `desired` no longer has are removed, fields others set are
  // kept; lists are replaced whole). Unchanged results bump nothing and notify no one.
  Result<ApplyResult> Apply(const Object& desired, const ApplyOptions& options = {});
  // PUT: replaces everything but system metadata and (with a status subresource) status.
  Result<LiveObject> Update(const Object& obj);
  // JSON merge patch (RFC 7386) of the main resource: metadata.labels/annotations/finalizers,
  // spec, ... (status too for kinds without a status subresource).
  Result<LiveObject> Patch(const ObjectKey& key, const Json& merge_patch);
  // PUT of the status subresource: replaces `status` (null removes it). Bumps no generation —
  // except on a custom kind without a status subresource (an Argo CD Application), where
  // Kubernetes counts any change outside metadata. Besides, new objects get the status the API
  // server gives them: Namespace Active, Pod / PersistentVolumeClaim / PersistentVolume Pending.
  Result<LiveObject> UpdateStatus(const ObjectKey& key, Json status);
  // Adding a finalizer to an object being deleted is forbidden, as in Kubernetes.
  Status AddFinalizer(const ObjectKey& key, std::string_view finalizer);
  // Removing the last finalizer of an object being deleted removes the object.
  Status RemoveFinalizer(const ObjectKey& key, std::string_view finalizer);
  // DELETE. An object with finalizers gets a deletionTimestamp and stays until they are removed.
  // Background: the object goes (when it can), then its dependents are garbage-collected.
  // Foreground: the object gets the foregroundDeletion finalizer, its dependents are deleted, and
  // it goes once those with blockOwnerDeletion are gone. Orphan: its dependents lose their
  // ownerReferences to it. A Namespace goes Terminating, everything in it is deleted (the objects
  // nothing owns with cause "namespace", what they own garbage-collected after them), and it goes
  // when empty. A CRD takes all its objects with it (cause "gc"). Deleting an object already being
  // deleted is a no-op. The generation is bumped when the deletionTimestamp is set.
  Status Delete(const ObjectKey& key, const DeleteOptions& options = {});

  // ---- Watch ----
  WatchId AddObserver(WatchObserver observer);
  void RemoveObserver(WatchId id);

 private:
  struct Entry {
    const ObjectKey* key = nullptr;  // its key in objects_ (a map's keys stay where they are)
    LiveObject live;
    // What the last Apply asked for, as far as the next Apply's merge reads it: the keys, encoded
    // compactly (AppliedKeys in object_store_write.cc); "" if never applied. Read only when the
    // object is applied again.
    std::string last_applied;
    std::string deletion_cause;
  };
  // Held by every mutating call: the outermost one delivers the queued watch events at its end.
  class Batch {
   public:
    explicit Batch(ObjectStore* store) : store_(store) { ++store_->batch_depth_; }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    ~Batch() {
      if (--store_->batch_depth_ == 0) store_->Deliver();
    }

   private:
    ObjectStore* store_;
  };

  // The resource serving obj's apiVersion and kind, or the API server's error.
  Result<const ApiResource*> ResourceFor(const Object& obj) const;
  Status CheckNamespace(const ApiResource& r, const ObjectKey& key) const;
  // Builds the stored document: system metadata from `entry` (when updating), timestamps, ...
  LiveObject Store(Json doc, const Entry* previous, bool bump_generation);
  Result<LiveObject> Insert(const ApiResource& r, Json doc, std::string last_applied, bool dry_run);
  // Replaces an existing object's document; no-op (no event) when nothing changed.
  Result<LiveObject> Replace(Entry& entry, const ApiResource& r, Json doc, bool validate,
                             bool* changed);
  void Notify(WatchEventType type, const LiveObject& object, ObjectPtr previous, std::string cause);
  void Deliver();

  // Deletion machinery (object_store_delete.cc).
  void DeleteInternal(const ObjectKey& key, Propagation policy, std::string_view cause);
  // Sets the deletionTimestamp (and adds `extra_finalizer` unless empty).
  void MarkDeleting(Entry& entry, std::string_view cause, std::string_view extra_finalizer);
  // Removes the object from storage and lets the garbage collector and the controllers waiting
  // on it (foreground owners, a terminating namespace or CRD) act.
  void Remove(const ObjectKey& key);
  void CollectDependents(const std::string& uid, Propagation owner_policy);
  void OrphanDependents(const std::string& uid);
  void DeleteNamespaceContents(const std::string& ns);
  void FinishIfUnblocked(const ObjectKey& key);
  void AfterRemoval(const LiveObject& gone);
  Status RemoveFinalizerInternal(Entry& entry, std::string_view finalizer);
  void IndexAdd(const Entry& entry);
  void IndexRemove(const ObjectKey& key, const LiveObject& live);
  Entry* FindEntry(const ObjectKey& key);
  std::string NextUid();

  std::string cluster_;
  const Simulator& sim_;
  int64_t start_unix_seconds_;
  ApiResources resources_;
  std::map<ObjectKey, Entry> objects_;
  // The indexes point at objects_'s keys (ordered by the keys they point at), not copies of them:
  // an entry is removed from them before it leaves objects_.
  struct KeyPtrLess {
    bool operator()(const ObjectKey* a, const ObjectKey* b) const { return *a < *b; }
  };
  using KeySet = std::set<const ObjectKey*, KeyPtrLess>;
  // Every entry by its key, for lookups that need no order (the map's four-string comparisons
  // down a tree cost more than one hash).
  struct KeyPtrHash {
    size_t operator()(const ObjectKey* k) const;
  };
  struct KeyPtrEq {
    bool operator()(const ObjectKey* a, const ObjectKey* b) const { return *a == *b; }
  };
  std::unordered_map<const ObjectKey*, Entry*, KeyPtrHash, KeyPtrEq> by_key_;
  std::map<std::string, KeySet, std::less<>> by_namespace_;
  std::map<std::string, KeySet, std::less<>> by_owner_uid_;
  std::map<std::string, const ObjectKey*, std::less<>> by_uid_;
  mutable int64_t timestamp_second_ = -1;  // Timestamp's last answer, reused within a second
  mutable std::string timestamp_text_;
  uint64_t uid_counter_ = 0;
  uint64_t resource_version_ = 0;

  struct Pending {
    WatchEventType type;
    LiveObject object;
    ObjectPtr previous;
    std::string cause;
  };
  std::vector<Pending> pending_;
  int batch_depth_ = 0;
  bool delivering_ = false;
  std::map<WatchId, WatchObserver> observers_;
  uint64_t observers_version_ = 0;  // bumped by every AddObserver and RemoveObserver
  // Deliver's list of the observers' ids, rebuilt when observers_version_ has moved on.
  std::vector<WatchId> delivery_ids_;
  uint64_t delivery_ids_version_ = ~uint64_t{0};
  WatchId next_watch_id_ = 1;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_OBJECT_STORE_H_
