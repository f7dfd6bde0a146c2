// What one cluster's API server hands out and takes in: a live object with its server-set
// metadata, the options of the write calls, and the watch events every change produces. Shared by
// the ObjectStore and by ClusterApi, so that controllers and the store speak the same types.
#ifndef FLEETSIM_SIM_CLUSTER_LIVE_OBJECT_H_
#define FLEETSIM_SIM_CLUSTER_LIVE_OBJECT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "sim/cluster/label_selector.h"
#include "sim/manifest/object.h"

namespace fleetsim {

// Who removed an object (WatchEvent::cause, DeleteOptions::cause). Metrics count objects removed by
// Argo CD, a person, a namespace deletion or a fault, not those Kubernetes removes after them.
inline constexpr std::string_view kCauseArgoCdPrune = "argocd-prune";
inline constexpr std::string_view kCauseArgoCdCascade = "argocd-cascade";
// Kubernetes itself: the garbage collector, a controller scaling down or replacing pods, the TTL
// controller, CRD clean-up.
inline constexpr std::string_view kCauseGc = "gc";
inline constexpr std::string_view kCauseNamespace = "namespace";
inline constexpr std::string_view kCauseKubectl = "kubectl";
inline constexpr std::string_view kCauseFault = "fault";

// A live object: the whole document as the API server returns it (metadata.uid,
// resourceVersion, generation, creationTimestamp, deletionTimestamp, status included) plus the
// same server-set values as typed fields. Cheap to copy: the document is shared and immutable.
struct LiveObject {
  ObjectPtr object;  // never null in a LiveObject handed out by the store
  std::string uid;
  uint64_t resource_version = 0;
  int64_t generation = 0;
  SimTime created;
  std::optional<SimTime> deletion_timestamp;

  const ObjectKey& key() const { return object->key(); }
  const Json& doc() const { return object->doc(); }
  bool being_deleted() const { return deletion_timestamp.has_value(); }
  // The object's `status`, or a null JSON value when it has none.
  const Json& status() const;
};

enum class Propagation { kBackground, kForeground, kOrphan };

struct DeleteOptions {
  // Unset: the kind's default, which is Background for every kind fleetsim serves.
  std::optional<Propagation> propagation;
  std::string cause = std::string(kCauseKubectl);
  // Only delete when the live object has this uid (metadata.preconditions.uid); "" = any.
  std::string uid_precondition;
};

struct ApplyOptions {
  bool dry_run = false;  // validate and compute the result without storing it
};

struct ApplyResult {
  LiveObject object;  // the object as stored (or as it would be, for a dry run)
  bool created = false;
  bool changed = false;  // created, or the stored document differs from before
};

struct ListOptions {
  std::string group;
  std::string kind;
  std::optional<std::string> ns;  // unset: every namespace
  LabelSelector selector;         // default: everything
};

enum class WatchEventType { kAdded, kModified, kDeleted };

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  std::string_view cluster;
  LiveObject object;   // the state after the change; for kDeleted the last state
  ObjectPtr previous;  // the state before a kModified; null otherwise
  // For kDeleted, and for the kModified that set the deletionTimestamp: who deleted it.
  std::string cause;
};

using WatchObserver = std::function<void(const WatchEvent&)>;
using WatchId = uint64_t;

std::string_view WatchEventTypeName(WatchEventType type);  // "ADDED", "MODIFIED", "DELETED"

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_LIVE_OBJECT_H_
