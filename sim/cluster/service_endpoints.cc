// The endpoints controller: a Service's ready endpoints are the Ready pods (without a
// deletionTimestamp) in its namespace that its spec.selector selects. A Service without a
// selector is left alone, as Kubernetes does. Services are indexed by namespace, so a pod change
// is checked against the Services of its namespace only.
#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {

void WorkloadController::OnServiceEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (event.type == WatchEventType::kDeleted) {
    services_.erase(key);
    if (auto it = services_by_ns_.find(key.ns); it != services_by_ns_.end()) {
      it->second.erase(key);
      if (it->second.empty()) services_by_ns_.erase(it);
    }
    return;
  }
  auto selector_map = StringMapAt(event.object.doc(), {"spec", "selector"});
  LabelSelector selector =
      selector_map.empty() ? LabelSelector::Nothing() : LabelSelector::FromMap(selector_map);
  auto [it, inserted] = services_.try_emplace(key);
  ServiceState& state = it->second;
  if (!inserted && state.selector.ToString() == selector.ToString() &&
      state.selector.matches_nothing() == selector.matches_nothing()) {
    return;
  }
  state.selector = std::move(selector);
  state.ready.clear();
  services_by_ns_[key.ns].insert(key);
  if (!state.selector.matches_nothing()) {
    for (const ObjectKey& k : store_.KeysInNamespace(key.ns)) {
      if (!k.group.empty() || k.kind != "Pod") continue;
      const LiveObject* pod = store_.Find(k);
      if (pod != nullptr && !pod->being_deleted() && workload::PodReady(*pod->object) &&
          state.selector.Matches(pod->object->labels())) {
        state.ready.insert(k);
      }
    }
  }
  Report(key, state);
}

void WorkloadController::UpdatePodEndpoints(const ObjectKey& pod, const LiveObject* live) {
  auto ns = services_by_ns_.find(pod.ns);
  if (ns == services_by_ns_.end()) return;
  bool ready = live != nullptr && !live->being_deleted() && workload::PodReady(*live->object);
  for (const ObjectKey& service : ns->second) {
    ServiceState& state = services_.at(service);
    bool member = ready && state.selector.Matches(live->object->labels());
    bool changed = member ? state.ready.insert(pod).second : state.ready.erase(pod) != 0;
    if (changed) Report(service, state);
  }
}

void WorkloadController::Report(const ObjectKey& service, ServiceState& state) {
  if (state.selector.matches_nothing()) return;
  int ready = static_cast<int>(state.ready.size());
  if (ready == state.reported) return;
  state.reported = ready;
  for (const EndpointsObserver& observer : endpoints_observers_) observer(service, ready);
}

std::optional<int> WorkloadController::ReadyEndpoints(const ObjectKey& service) const {
  auto it = services_.find(service);
  if (it == services_.end() || it->second.selector.matches_nothing()) return std::nullopt;
  return static_cast<int>(it->second.ready.size());
}

void WorkloadController::AddEndpointsObserver(EndpointsObserver observer) {
  endpoints_observers_.push_back(std::move(observer));
}

}  // namespace fleetsim
