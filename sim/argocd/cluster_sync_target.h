// SyncTarget and DeletionTarget over a destination cluster's ClusterApi: what a sync or a cascade
// deletion does to the cluster, with every request paced by the controller's client rate limiter
// for that cluster (client-go QPS/burst), so that an operation pass takes the time its requests do.
#ifndef FLEETSIM_SIM_ARGOCD_CLUSTER_SYNC_TARGET_H_
#define FLEETSIM_SIM_ARGOCD_CLUSTER_SYNC_TARGET_H_

#include <string>

#include "engine/rate_limiter.h"
#include "sim/argocd/deletion.h"
#include "sim/argocd/sync_target.h"
#include "sim/cluster/cluster_api.h"

namespace fleetsim {

class ClusterSyncTarget final : public SyncTarget, public DeletionTarget {
 public:
  // REQUIRES: `api` and `limiter` outlive this object. `managed` lists the app's tracked objects
  // (for DeletionTarget::ManagedLive). `cause` is recorded on deletions (prune or cascade).
  ClusterSyncTarget(ClusterApi& api, TokenBucket& limiter, SimTime now, std::string cause,
                    std::vector<ObjectPtr> managed = {});

  Status Apply(const Object& obj, const ApplyMode& mode) override;
  Status DryRun(const Object& obj) override;
  Status Delete(const ObjectKey& key, PropagationPolicy policy) override;
  ObjectPtr GetLive(const ObjectKey& key) override;
  std::optional<HealthStatus> Health(const ObjectKey& key) override;
  bool IsBeingDeleted(const ObjectKey& key) override;
  bool ServesKind(std::string_view api_version, std::string_view kind) override;

  std::vector<ObjectPtr> ManagedLive() override { return managed_; }
  Status Create(const Object& obj) override;

  // When the last request of this pass may go out (now when the limiter never made one wait).
  SimTime done_at() const { return done_at_; }
  int requests() const { return requests_; }

 private:
  void Pace();  // one request through the rate limiter

  ClusterApi& api_;
  TokenBucket& limiter_;
  SimTime now_;
  SimTime done_at_;
  std::string cause_;
  std::vector<ObjectPtr> managed_;
  int requests_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_CLUSTER_SYNC_TARGET_H_
