#include "sim/argocd/live_state_cache.h"

#include "sim/argocd/tracking.h"

namespace fleetsim {

LiveStateCache::~LiveStateCache() {
  for (auto& [name, state] : clusters_) state.api->Unwatch(state.watch);
}

void LiveStateCache::Watch(ClusterApi& api) {
  auto [it, inserted] = clusters_.try_emplace(api.cluster());
  if (!inserted) return;
  ++layout_;
  ClusterState& state = it->second;
  state.name = api.cluster();
  cluster_index_.Insert(&state);
  state.api = &api;
  state.watch = api.Watch([this, &state](const WatchEvent& e) { OnEvent(state, e); });
}

void LiveStateCache::Forget(const std::string& cluster) {
  auto it = clusters_.find(cluster);
  if (it == clusters_.end()) return;
  ++layout_;
  it->second.api->Unwatch(it->second.watch);
  cluster_index_.Erase(&it->second);
  clusters_.erase(it);
}

const LiveStateCache::AppObjects& LiveStateCache::Tracked(const std::string& cluster,
                                                          const std::string& app) const {
  const ClusterState* state = cluster_index_.Find(cluster);
  if (state == nullptr) return empty_;
  const AppSet* set = state->index.Find(app);
  return set == nullptr ? empty_ : set->objects;
}

LiveStateCache::AppObjects& LiveStateCache::SetFor(ClusterState& state, const std::string& app) {
  if (AppSet* set = state.index.Find(app)) return set->objects;
  ++layout_;
  state.sets.push_back({app, {}});
  state.index.Insert(&state.sets.back());
  return state.sets.back().objects;
}

void LiveStateCache::OnEvent(ClusterState& state, const WatchEvent& event) {
  std::optional<std::string> app = TrackedBy(*event.object.object);
  std::optional<std::string> previous_app;
  if (event.previous) previous_app = TrackedBy(*event.previous);
  const ObjectKey& key = event.object.key();
  // An edit that changed or removed the tracking id takes the object from its old app.
  if (previous_app && previous_app != app) {
    AppObjects& old_set = SetFor(state, *previous_app);
    if (old_set.objects.erase(key) > 0) {
      old_set.version = ++last_version_;
      on_change_(state.api->cluster(), *previous_app, key);
    }
  }
  if (!app) return;
  AppObjects& set = SetFor(state, *app);
  if (event.type == WatchEventType::kDeleted) {
    set.objects.erase(key);
  } else {
    set.objects.insert_or_assign(key, event.object);
  }
  set.version = ++last_version_;
  on_change_(state.api->cluster(), *app, key);
}

}  // namespace fleetsim
