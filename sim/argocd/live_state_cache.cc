#include "sim/argocd/live_state_cache.h"

#include "sim/argocd/tracking.h"
#include "sim/cluster/api_errors.h"
#include "sim/manifest/kinds.h"

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
  Prime(state);
}

// The built-in kinds, then the kinds of the CustomResourceDefinitions, each listed once.
void LiveStateCache::Prime(ClusterState& state) {
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const KindInfo& k : BuiltInKinds()) kinds.emplace_back(k.group, k.kind);
  Result<std::vector<LiveObject>> crds =
      state.api->List({.group = "apiextensions.k8s.io", .kind = "CustomResourceDefinition"});
  // A kind the cluster does not serve is not a failure; a timeout or a 429 is.
  state.synced = crds.ok() || IsNotFound(crds.status());
  if (crds.ok()) {
    for (const LiveObject& crd : *crds) {
      Result<CustomResourceInfo> info = ReadCustomResourceDefinition(*crd.object);
      if (info.ok()) kinds.emplace_back(info->group, info->kind);
    }
  }
  for (const auto& [group, kind] : kinds) {
    Result<std::vector<LiveObject>> objects = state.api->List({.group = group, .kind = kind});
    if (!objects.ok()) {
      if (!IsNotFound(objects.status())) state.synced = false;
      continue;
    }
    for (const LiveObject& object : *objects) {
      if (!TrackedBy(*object.object)) continue;
      WatchEvent event;
      event.type = WatchEventType::kAdded;
      event.cluster = state.name;
      event.object = object;
      OnEvent(state, event);
    }
  }
}

bool LiveStateCache::EnsureSynced(const std::string& cluster) {
  const ClusterState* state = cluster_index_.Find(cluster);
  if (state == nullptr || state->synced) return true;
  ClusterApi& api = *state->api;
  Forget(cluster);
  Watch(api);
  return clusters_.at(cluster).synced;
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
