// The cluster-unreachable fault: a ClusterApi decorator that, while switched on, fails every call
// the way client-go does when the API server's address does not answer —
//   Get "https://prod-2.fleet.invalid/apis/apps/v1/namespaces/shop/deployments/web": dial tcp
//   10.118.7.21:443: i/o timeout
// (Argo CD wraps this in its own prefixes, e.g. "failed to sync cluster ...", and treats
// "i/o timeout" as a transient network error). The address is derived from the server's host name.
//
// Watches: while the cluster is unreachable, events are not delivered (the watch is broken). When
// it heals, each object that changed meanwhile is delivered once, in key order, with the last
// event it had — what a re-list shows a client that re-establishes its watch.
#ifndef FLEETSIM_SIM_CLUSTER_UNREACHABLE_CLUSTER_H_
#define FLEETSIM_SIM_CLUSTER_UNREACHABLE_CLUSTER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cluster/cluster_api.h"

namespace fleetsim {

// REQUIRES: `inner` and `discovery` outlive this object, and watches made through this object are
// removed (Unwatch) before it is destroyed.
class UnreachableCluster final : public ClusterApi {
 public:
  // `server` is the cluster's API URL as Argo CD knows it ("https://prod-2.fleet.invalid");
  // `discovery` is the client's cached discovery, used only to spell request paths.
  UnreachableCluster(ClusterApi& inner, std::string server, const ApiResources& discovery);

  void set_unreachable(bool unreachable);
  bool unreachable() const { return unreachable_; }
  // The error every call gets while unreachable, for a request `verb` ("Get") to `path`.
  Status TimeoutError(std::string_view verb, std::string_view path) const;

  const std::string& cluster() const override { return inner_.cluster(); }
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
  struct Watcher {
    WatchId inner_id = 0;
    WatchObserver observer;
    std::map<ObjectKey, WatchEvent> missed;  // last event per object during the outage
  };

  // The REST path of an object (name may be empty for a collection).
  std::string PathOf(std::string_view group, std::string_view kind, std::string_view api_version,
                     std::string_view ns, std::string_view name);
  std::string PathOf(const ObjectKey& key);
  std::string PathOf(const Object& obj);
  void OnEvent(WatchId id, const WatchEvent& event);

  ClusterApi& inner_;
  const ApiResources& discovery_;
  std::string server_;
  std::string address_;  // "10.x.y.z:443"
  bool unreachable_ = false;
  std::map<WatchId, Watcher> watchers_;
  WatchId next_watch_id_ = 1;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_UNREACHABLE_CLUSTER_H_
