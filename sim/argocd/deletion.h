// Finalizing a deleted Application: argo-cd controller/appcontroller.go finalizeApplicationDeletion
// (with shouldBeDeleted), controller/sort_delete.go FilterObjectsForDeletion and controller/hook.go
// (PreDelete/PostDelete hooks and their cleanup). Reference section 3.
//
// The application controller calls FinalizeApplicationDeletion once per operation pass while the
// Application has a deletionTimestamp, applies the returned finalizer list to the Application and
// sets or clears the DeletionError condition. The Kubernetes API server removes the Application
// once its finalizer list is empty; with no resources finalizer (non-cascading delete) its
// resources stay.
#ifndef FLEETSIM_SIM_ARGOCD_DELETION_H_
#define FLEETSIM_SIM_ARGOCD_DELETION_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/argocd/finalizers.h"
#include "sim/argocd/health_status.h"
#include "sim/argocd/sync_options.h"
#include "sim/manifest/object.h"

namespace fleetsim {

// The destination cluster as the deletion sees it (implemented over the cluster model).
class DeletionTarget {
 public:
  virtual ~DeletionTarget() = default;
  // Live objects the app tracks on its destination that its project permits
  // (getPermittedAppLiveObjects); any order.
  virtual std::vector<ObjectPtr> ManagedLive() = 0;
  virtual bool IsBeingDeleted(const ObjectKey& key) = 0;
  // Deleting an absent object returns ok.
  virtual Status Delete(const ObjectKey& key, PropagationPolicy policy) = 0;
  // kubectl create of a PreDelete/PostDelete hook; the implementation adds the app's tracking
  // metadata so ManagedLive() lists it. An object that already exists returns ok.
  virtual Status Create(const Object& obj) = 0;
  // nullopt when the kind has no health check (counts as Healthy).
  virtual std::optional<HealthStatus> Health(const ObjectKey& key) = 0;
};

struct DeletionInputs {
  std::vector<std::string> finalizers;  // the Application's metadata.finalizers now
  SimTime deletion_timestamp;
  std::optional<SimTime> deletion_approved_at;  // argocd.argoproj.io/deletion-approved, parsed
  // argo.GetDestinationCluster succeeded (false: the cluster Secret is gone or never existed).
  bool destination_resolvable = true;
  std::string destination_namespace;
  ObjectKey app_key;        // the Application itself: an app never deletes its own object
  SyncOptions app_options;  // spec.syncPolicy.syncOptions (Delete=…, Prune=… defaults)
  // Resources whose status says requiresDeletionConfirmation (judged on target and live at the last
  // comparison); live objects are also judged here directly.
  std::set<ObjectKey> confirmation_required;
  // PreDelete and PostDelete hooks rendered from Git (controller/hook.go executeHooks fetches
  // them).
  std::vector<ObjectPtr> delete_hooks;
};

struct DeletionStep {
  std::vector<std::string> finalizers;  // the Application's finalizers after this pass
  std::vector<ObjectKey> deleted;       // cascade deletions issued this pass
  PropagationPolicy propagation = PropagationPolicy::kForeground;  // of those deletions
  std::vector<ObjectKey> hooks_created;
  std::vector<ObjectKey> hooks_deleted;
  std::string waiting;               // why the pass stopped short, for the timeline
  std::optional<std::string> error;  // the DeletionError condition's message
  // No Argo CD finalizer is left: the Application goes once any other finalizers are gone.
  bool finished = false;
  // When finished with a reachable destination: managed objects still live (orphaned).
  std::vector<ObjectKey> left_behind;
};

DeletionStep FinalizeApplicationDeletion(const DeletionInputs& in, DeletionTarget& cluster);

// shouldBeDeleted: not a CRD, not the app itself, not Delete=false, not helm.sh/resource-policy:
// keep.
bool ShouldBeDeleted(const Object& obj, const ObjectKey& app_key, const SyncOptions& app_options);

// FilterObjectsForDeletion: the objects of the highest sync wave (in key order).
std::vector<ObjectPtr> FilterObjectsForDeletion(std::vector<ObjectPtr> objs);

// True when `finalizers` holds any resources finalizer (app.CascadedDeletion).
bool IsCascadedDeletion(const std::vector<std::string>& finalizers);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_DELETION_H_
