// The application controller's view of every destination cluster (Argo CD's liveStateCache):
// the live objects each Application tracks, kept current from watch events, so a comparison reads
// memory instead of listing the API server. Each app's set carries a version that changes with any
// event on it, which is what lets an unchanged app compare in O(1).
#ifndef FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_
#define FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "engine/name_index.h"
#include "sim/cluster/cluster_api.h"

namespace fleetsim {

class LiveStateCache {
 public:
  struct AppObjects {
    std::map<ObjectKey, LiveObject> objects;
    // Changes with any event on the set and never repeats within a cache (one counter serves
    // every set), so a set's address and version name one state of it. 0: never changed.
    uint64_t version = 0;
  };
  // Called after the cache changed for (cluster, app); `key` is the object that changed.
  using ChangeObserver =
      std::function<void(const std::string& cluster, const std::string& app, const ObjectKey& key)>;

  explicit LiveStateCache(ChangeObserver on_change) : on_change_(std::move(on_change)) {}
  ~LiveStateCache();

  // Starts watching `api` (idempotent per cluster name) after listing what it holds, as the
  // cluster cache's informers list every served kind before they watch: objects that already
  // carry a tracking id are the apps' from the start (a controller installed again adopts them).
  // A kind that cannot be listed (the cluster unreachable) is left to the watch. REQUIRES: `api`
  // outlives the watch or is removed with Forget first.
  void Watch(ClusterApi& api);
  void Forget(const std::string& cluster);
  // Whether the cache of `cluster` holds a complete list. When its last list failed (the cluster
  // unreachable or throttled when the cache was built, e.g. by a controller starting during a
  // partition), it is built again from a fresh list first, as gitops-engine's EnsureSynced
  // retries a failed sync on the next use. A cluster not watched counts as synced.
  bool EnsureSynced(const std::string& cluster);

  // What a caller may keep between lookups of the same (cluster, app) to skip the indexes: the
  // answer stays valid while no set or cluster has been added or removed since.
  struct Hint {
    const std::string* cluster = nullptr;  // the caller's string the answer was found for
    uint64_t layout = 0;
    const AppObjects* set = nullptr;
  };

  // The objects `app` tracks on `cluster`; an empty set when none.
  const AppObjects& Tracked(const std::string& cluster, const std::string& app) const;
  // The same, for a caller that always passes the same `app` with the same `hint` (and names the
  // cluster with a string that keeps its value while it keeps its address).
  const AppObjects& Tracked(const std::string& cluster, const std::string& app, Hint* hint) const {
    if (hint->set == nullptr || hint->layout != layout_ || hint->cluster != &cluster) {
      hint->set = &Tracked(cluster, app);
      hint->layout = layout_;
      hint->cluster = &cluster;
    }
    return *hint->set;
  }

 private:
  struct AppSet {
    std::string app;
    AppObjects objects;
  };
  struct ClusterState {
    std::string name;
    ClusterApi* api = nullptr;
    WatchId watch = 0;
    bool synced = false;      // every kind listed when the cache was built
    std::deque<AppSet> sets;  // stable addresses; a set is never removed while its cluster is
    // Every refresh of an unchanged app looks its set up here: a flat index keeps that to a cache
    // miss or two.
    NameIndex<AppSet, &AppSet::app> index;
  };
  AppObjects& SetFor(ClusterState& state, const std::string& app);
  void OnEvent(ClusterState& state, const WatchEvent& event);
  void Prime(ClusterState& state);

  ChangeObserver on_change_;
  std::map<std::string, ClusterState, std::less<>> clusters_;
  // The same clusters, for the lookup of every refresh; Watch and Forget keep it in step.
  NameIndex<ClusterState, &ClusterState::name> cluster_index_;
  uint64_t last_version_ = 0;
  uint64_t layout_ = 1;  // changes whenever a set or a cluster is added or removed (see Hint)
  AppObjects empty_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_LIVE_STATE_CACHE_H_
