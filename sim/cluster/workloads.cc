// WorkloadController: the watch dispatch, the reconcile queue and the fault hooks. The controllers
// themselves are in deployment_controller.cc, replicaset_controller.cc, statefulset_controller.cc,
// daemonset_controller.cc, job_controller.cc, kubelet_model.cc, service_endpoints.cc and
// cluster_addons.cc.
#include "sim/cluster/workloads.h"

#include <utility>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"

namespace fleetsim {
namespace {

bool Is(const ObjectKey& k, std::string_view group, std::string_view kind) {
  return k.group == group && k.kind == kind;
}

bool IsController(const ObjectKey& k) {
  return Is(k, "apps", "Deployment") || Is(k, "apps", "ReplicaSet") ||
         Is(k, "apps", "StatefulSet") || Is(k, "apps", "DaemonSet") || Is(k, "batch", "Job");
}

bool ScaleTargetKind(const ObjectKey& k) {
  return Is(k, "apps", "Deployment") || Is(k, "apps", "StatefulSet") ||
         Is(k, "apps", "ReplicaSet") || Is(k, "argoproj.io", "Rollout");
}

int64_t GenerationOf(const ObjectPtr& obj) {
  return obj ? IntAt(obj->doc(), {"metadata", "generation"}, 0) : 0;
}

}  // namespace

WorkloadController::WorkloadController(Simulator& sim, ObjectStore& store, uint64_t run_seed,
                                       WorkloadConfig config)
    : sim_(sim),
      store_(store),
      rng_(run_seed, "cluster/" + store.cluster() + "/pods"),
      config_(config) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

WorkloadController::~WorkloadController() {
  store_.RemoveObserver(watch_);
  if (flush_ != 0) sim_.Cancel(flush_);
  for (auto& [key, wake] : wakeups_) sim_.Cancel(wake.second);
  for (auto& [key, pod] : pods_) {
    if (pod.timer != 0) sim_.Cancel(pod.timer);
  }
}

std::string WorkloadController::Now() const { return store_.Timestamp(sim_.now()); }

const std::string& WorkloadController::PodTemplateHash(const LiveObject& owner) {
  auto& [generation, hash] = template_hashes_[owner.key()];
  if (generation != owner.generation || hash.empty()) {
    generation = owner.generation;
    hash = workload::TemplateHash(JsonAt(owner.doc(), {"spec", "template"}));
  }
  return hash;
}

void WorkloadController::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  bool deleted = event.type == WatchEventType::kDeleted;
  if (key.group.empty()) {
    if (key.kind == "Pod") {
      OnPodEvent(event);
    } else if (key.kind == "Service") {
      OnServiceEvent(event);
      if (!deleted) Enqueue(key);
    } else if (key.kind == "ConfigMap" || key.kind == "Secret") {
      if (!deleted) OnDependencyChanged(key);
    } else if (key.kind == "PersistentVolumeClaim") {
      if (!deleted) {
        Enqueue(key);
        OnDependencyChanged(key);
      }
    }
    return;
  }
  if (ScaleTargetKind(key) && (event.type != WatchEventType::kModified)) {
    if (auto it = hpa_targets_.find(key); it != hpa_targets_.end()) {
      for (const ObjectKey& hpa : it->second) Enqueue(hpa);
    }
  }
  if (IsController(key)) {
    if (deleted) {
      progress_update_.erase(key);
      jobs_.erase(key);
      template_hashes_.erase(key);
    } else if (event.type == WatchEventType::kAdded ||
               GenerationOf(event.previous) != event.object.generation) {
      Enqueue(key);
    }
    if (Is(key, "apps", "ReplicaSet")) {
      if (auto owner = workload::ControllerOf(*event.object.object)) Enqueue(*owner);
    }
    return;
  }
  bool spec_change = event.type == WatchEventType::kAdded ||
                     (!deleted && GenerationOf(event.previous) != event.object.generation);
  if (spec_change && (Is(key, "networking.k8s.io", "Ingress") || Is(key, "extensions", "Ingress") ||
                      Is(key, "autoscaling", "HorizontalPodAutoscaler") ||
                      Is(key, "apiregistration.k8s.io", "APIService"))) {
    Enqueue(key);
  }
}

void WorkloadController::Enqueue(const ObjectKey& key) {
  if (!queued_.insert(key).second) return;
  queue_.push_back(key);
  if (flush_ == 0) flush_ = sim_.At(sim_.now(), [this] { Flush(); });
}

void WorkloadController::WakeAt(const ObjectKey& key, SimTime t) {
  if (t <= sim_.now()) {
    Enqueue(key);
    return;
  }
  auto it = wakeups_.find(key);
  if (it != wakeups_.end()) {
    if (it->second.first <= t) return;
    sim_.Cancel(it->second.second);
  }
  EventId id = sim_.At(t, [this, key] {
    wakeups_.erase(key);
    Enqueue(key);
  });
  wakeups_[key] = {t, id};
}

void WorkloadController::Flush() {
  flush_ = 0;
  std::vector<ObjectKey> work;
  work.swap(queue_);
  queued_.clear();
  for (const ObjectKey& key : work) Reconcile(key);
}

void WorkloadController::Reconcile(const ObjectKey& key) {
  const LiveObject* found = store_.Find(key);
  if (found == nullptr) return;
  LiveObject live = *found;  // the store may change under the reconciler
  if (key.group == "apps") {
    if (key.kind == "Deployment") ReconcileDeployment(live);
    if (key.kind == "ReplicaSet") ReconcileReplicaSet(live);
    if (key.kind == "StatefulSet") ReconcileStatefulSet(live);
    if (key.kind == "DaemonSet") ReconcileDaemonSet(live);
  } else if (Is(key, "batch", "Job")) {
    ReconcileJob(live);
  } else if (Is(key, "", "PersistentVolumeClaim")) {
    ReconcilePvc(live);
  } else if (Is(key, "", "Service") || key.kind == "Ingress") {
    ReconcileLoadBalancer(live);
  } else if (Is(key, "autoscaling", "HorizontalPodAutoscaler")) {
    ReconcileHpa(live);
  } else if (Is(key, "apiregistration.k8s.io", "APIService")) {
    ReconcileApiService(live);
  }
}

void WorkloadController::SetImagePullFailing(const std::string& image, bool failing) {
  if (failing) {
    pull_failing_.insert(image);
    return;
  }
  if (pull_failing_.erase(image) != 0) {
    RetryPods(image, PodStage::kPullFailing, config_.image_pull_backoff);
  }
}

void WorkloadController::SetImageCrashing(const std::string& image, bool crashing) {
  if (crashing) {
    crashing_.insert(image);
    return;
  }
  if (crashing_.erase(image) != 0) RetryPods(image, PodStage::kCrashLooping, config_.crash_backoff);
}

}  // namespace fleetsim

namespace fleetsim {

void WorkloadController::SetImageSlowStart(const std::string& image, SimDuration extra) {
  if (extra <= SimDuration::Zero()) {
    slow_images_.erase(image);
  } else {
    slow_images_[image] = extra;
  }
}

}  // namespace fleetsim
