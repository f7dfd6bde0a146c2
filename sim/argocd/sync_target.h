// What a sync operation needs from its destination cluster. The application controller implements
// it over the cluster model (ClusterApi); tests use a fake. Faults wrap an implementation.
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_TARGET_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_TARGET_H_

#include <optional>
#include <string_view>

#include "engine/status.h"
#include "sim/argocd/health_status.h"
#include "sim/argocd/sync_options.h"
#include "sim/manifest/object.h"

namespace fleetsim {

// How gitops-engine's applyObject writes an object (sync_context.go).
enum class ApplyStrategy {
  kApply,            // kubectl apply (client-side)
  kServerSideApply,  // kubectl apply --server-side --force-conflicts, manager argocd-controller
  kReplace,          // kubectl replace (Replace=true, object exists)
  kCreate,           // kubectl create (Replace=true, object absent)
  kUpdate,           // plain update: Replace=true on an existing CRD or Namespace
};

struct ApplyMode {
  ApplyStrategy strategy = ApplyStrategy::kApply;
  bool force = false;    // --force: delete and re-create when the patch cannot be applied
  bool validate = true;  // --validate
  bool operator==(const ApplyMode&) const = default;
};

class SyncTarget {
 public:
  virtual ~SyncTarget() = default;

  // Writes `obj`. Argo CD gives every target without a namespace the app's destination namespace,
  // cluster-scoped ones included; implementations ignore it for cluster-scoped kinds, as the API
  // server does.
  virtual Status Apply(const Object& obj, const ApplyMode& mode) = 0;
  // Client-side dry run (kubectl apply --dry-run=client): fails on what the client can see, e.g. a
  // kind the API server does not serve.
  virtual Status DryRun(const Object& obj) = 0;
  // Deletes with the propagation policy. Deleting an absent object returns ok.
  virtual Status Delete(const ObjectKey& key, PropagationPolicy policy) = 0;
  // The live object, or nullptr when absent.
  virtual ObjectPtr GetLive(const ObjectKey& key) = 0;
  // The live object's health; nullopt when its kind has no health check (counts as Healthy).
  virtual std::optional<HealthStatus> Health(const ObjectKey& key) = 0;
  // The live object has a deletionTimestamp (finalizers or foreground dependents pending).
  virtual bool IsBeingDeleted(const ObjectKey& key) = 0;
  // Discovery: the API server serves this kind in this apiVersion (false for a custom kind whose
  // CRD is not installed).
  virtual bool ServesKind(std::string_view api_version, std::string_view kind) = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_TARGET_H_
