// The application controller's view of every destination cluster (Argo CD's liveStateCache):
// the live objects each Application tracks, kept current from watch events, so a comparison reads
// memory instead of listing the API server. Each app's set carries a version that changes with any
// event on it, which is what lets an unchanged app compare in O(1).
#ifndef FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_
#define FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sim/cluster/cluster_api.h"

namespace fleetsim {

class LiveStateCache {
 public:
  struct AppObjects {
    std::map<ObjectKey, LiveObject> objects;
    uint64_t version = 0;
  };
  // Called after the cache changed for (cluster, app); `key` is the object that changed.
  using ChangeObserver =
      std::function<void(const std::string& cluster, const std::string& app, const ObjectKey& key)>;

  explicit LiveStateCache(ChangeObserver on_change) : on_change_(std::move(on_change)) {}
  ~LiveStateCache();

  // Starts watching `api` (idempotent per cluster name). REQUIRES: `api` outlives the watch or is
  // removed with Forget first.
  void Watch(ClusterApi& api);
  void Forget(const std::string& cluster);

  // The objects `app` tracks on `cluster`; an empty set when none.
  const AppObjects& Tracked(const std::string& cluster, const std::string& app) const;

 private:
  struct ClusterState {
    ClusterApi* api = nullptr;
    WatchId watch = 0;
    // Only ever looked up by name, never iterated, so a hash map: a refresh of an unchanged app
    // looks its set up here, and an ordered map's walk over cold nodes dominated that.
    std::unordered_map<std::string, AppObjects> apps;
  };
  void OnEvent(ClusterState& state, const WatchEvent& event);

  ChangeObserver on_change_;
  std::map<std::string, ClusterState, std::less<>> clusters_;
  AppObjects empty_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_
