// The narrow interface through which controllers outside a cluster (Argo CD, and anything that
// should feel a partition) reach its API server, and the in-process implementation over an
// ObjectStore. Faults are decorators of this interface (UnreachableCluster), never branches in the
// controllers. Controllers that run inside the cluster (workloads.h) use the ObjectStore directly.
#ifndef FLEETSIM_SIM_CLUSTER_CLUSTER_API_H_
#define FLEETSIM_SIM_CLUSTER_CLUSTER_API_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/cluster/api_resources.h"
#include "sim/cluster/live_object.h"
#include "sim/manifest/object.h"

namespace fleetsim {

class ObjectStore;

// Every call may fail with the text the real client would show (NotFound, AlreadyExists, invalid,
// the CRD missing, a timeout); see api_errors.h and ObjectStore for the semantics of each call.
class ClusterApi {
 public:
  virtual ~ClusterApi() = default;

  // The cluster's name (the fleet's name for it).
  virtual const std::string& cluster() const = 0;

  // Discovery of a kind at a version, as gitops-engine's ServerResourceForGroupVersionKind.
  virtual Result<ApiResource> Discover(std::string_view api_version, std::string_view kind) = 0;
  // Discover's answer without the resource (the controller's per-refresh probe): ok, or the error.
  virtual Status Discoverable(std::string_view api_version, std::string_view kind) {
    Result<ApiResource> r = Discover(api_version, kind);
    return r.ok() ? Status::Ok() : r.status();
  }
  virtual Result<LiveObject> Get(const ObjectKey& key) = 0;
  virtual Result<std::vector<LiveObject>> List(const ListOptions& options) = 0;

  virtual Result<LiveObject> Create(const Object& obj) = 0;
  virtual Result<ApplyResult> Apply(const Object& desired, const ApplyOptions& options) = 0;
  virtual Result<LiveObject> Update(const Object& obj) = 0;
  virtual Result<LiveObject> Patch(const ObjectKey& key, const Json& merge_patch) = 0;
  virtual Result<LiveObject> UpdateStatus(const ObjectKey& key, const Json& status) = 0;
  virtual Status AddFinalizer(const ObjectKey& key, std::string_view finalizer) = 0;
  virtual Status RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) = 0;
  virtual Status Delete(const ObjectKey& key, const DeleteOptions& options) = 0;

  // A watch on every object: `observer` sees each change while the connection is up (see
  // UnreachableCluster for what happens across an outage). Observers may call back into the API.
  virtual WatchId Watch(WatchObserver observer) = 0;
  virtual void Unwatch(WatchId id) = 0;
};

// The API server itself, in process. REQUIRES: `store` outlives this object.
class InProcessClusterApi final : public ClusterApi {
 public:
  explicit InProcessClusterApi(ObjectStore& store) : store_(store) {}

  const std::string& cluster() const override;
  Result<ApiResource> Discover(std::string_view api_version, std::string_view kind) override;
  Status Discoverable(std::string_view api_version, std::string_view kind) override;
  Result<LiveObject> Get(const ObjectKey& key) override;
  Result<std::vector<LiveObject>> List(const ListOptions& options) override;
  Result<LiveObject> Create(const Object& obj) override;
  Result<ApplyResult> Apply(const Object& desired, const ApplyOptions& options) override;
  Result<LiveObject> Update(const Object& obj) override;
  Result<LiveObject> Patch(const ObjectKey& key, const Json& merge_patch) override;
  Result<LiveObject> UpdateStatus(const ObjectKey& key, const Json& status) override;
  Status AddFinalizer(const ObjectKey& key, std::string_view finalizer) override;
  Status RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) override;
  Status Delete(const ObjectKey& key, const DeleteOptions& options) override;
  WatchId Watch(WatchObserver observer) override;
  void Unwatch(WatchId id) override;

 private:
  ObjectStore& store_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_CLUSTER_API_H_
