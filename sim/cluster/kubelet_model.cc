// The kubelet (and the scheduler's one decision that matters here): a pod waits for the
// PersistentVolumeClaims, ConfigMaps and Secrets it needs, then its containers start after the
// pod's start-up time; a bad image never starts (ErrImagePull, then ImagePullBackOff), a crashing
// one goes to CrashLoopBackOff (or fails, for run-to-completion pods); run-to-completion pods
// succeed after job_run_time. Status texts are the kubelet's.
#include <utility>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

// slow-start: the largest extra start-up among the images of the pod's containers.
SimDuration SlowStartOf(const Json& pod, const std::map<std::string, SimDuration>& slow) {
  SimDuration extra = SimDuration::Zero();
  for (const char* list : {"initContainers", "containers"}) {
    const Json& containers = JsonAt(pod, {"spec", list});
    if (!containers.is_array()) continue;
    for (const Json& c : containers) {
      if (!c.is_object() || !c.contains("image") || !c["image"].is_string()) continue;
      auto it = slow.find(c["image"].get<std::string>());
      if (it != slow.end() && it->second > extra) extra = it->second;
    }
  }
  return extra;
}

enum class Container {
  kCreating,
  kConfigError,
  kErrImagePull,
  kImagePullBackOff,
  kRunning,
  kCrashLoop,
  kFailed,
  kCompleted
};

// Statuses are built member by member: nlohmann's initializer-list constructor first builds
// every member as a two-element array and copies it, several times the work (a pod's status is
// written twice on its way to Running, thousands of times in a fleet's first minutes).
Json Waiting(std::string_view reason, const std::string& message) {
  Json w = Json::object();
  w["reason"] = reason;
  if (!message.empty()) w["message"] = message;
  Json state = Json::object();
  state["waiting"] = std::move(w);
  return state;
}

// The status of one container in the pod's situation `state`. `affected`: this container's image
// is the one failing (others of the pod wait or run normally).
Json ContainerStatus(const Json& c, Container state, bool affected, const std::string& message,
                     const std::string& pod_ref, const std::string& now) {
  std::string name = StringAt(c, {"name"}), image = StringAt(c, {"image"});
  Json s = Json::object();
  s["image"] = image;
  s["name"] = name;
  s["ready"] = false;
  s["restartCount"] = 0;
  s["started"] = false;
  auto running = [&] {
    s["ready"] = true;
    s["started"] = true;
    Json started = Json::object();
    started["startedAt"] = now;
    s["state"] = Json::object();
    s["state"]["running"] = std::move(started);
  };
  switch (state) {
    case Container::kCreating:
      s["state"] = Waiting("ContainerCreating", "");
      break;
    case Container::kConfigError:
      s["state"] = Waiting("CreateContainerConfigError", message);
      break;
    case Container::kErrImagePull:
      s["state"] = affected
                       ? Waiting("ErrImagePull",
                                 fmt::format("failed to pull and unpack image \"{}\": failed to "
                                             "resolve reference \"{}\": not found",
                                             image, image))
                       : Waiting("ContainerCreating", "");
      break;
    case Container::kImagePullBackOff:
      s["state"] = affected ? Waiting("ImagePullBackOff",
                                      fmt::format("Back-off pulling image \"{}\"", image))
                            : Waiting("ContainerCreating", "");
      break;
    case Container::kRunning:
      running();
      break;
    case Container::kCrashLoop:
      if (!affected) {
        running();
        break;
      }
      s["restartCount"] = 1;
      s["state"] =
          Waiting("CrashLoopBackOff",
                  fmt::format("back-off 10s restarting failed container={} pod={}", name, pod_ref));
      s["lastState"] = {
          {"terminated", {{"exitCode", 1}, {"reason", "Error"}, {"finishedAt", now}}}};
      break;
    case Container::kFailed:
    case Container::kCompleted: {
      bool failed = state == Container::kFailed && affected;
      s["state"] = {{"terminated",
                     {{"exitCode", failed ? 1 : 0},
                      {"reason", failed ? "Error" : "Completed"},
                      {"finishedAt", now}}}};
      break;
    }
  }
  return s;
}

Json PodStatusFor(const LiveObject& pod, Container state, const std::set<std::string>& bad,
                  const std::string& message, const std::string& now) {
  const Json& spec = JsonAt(pod.doc(), {"spec"});
  std::string pod_ref = pod.key().name + "_" + pod.key().ns + "(" + pod.uid + ")";
  std::string phase = "Pending";
  if (state == Container::kRunning || state == Container::kCrashLoop) phase = "Running";
  if (state == Container::kFailed) phase = "Failed";
  if (state == Container::kCompleted) phase = "Succeeded";
  Json statuses = Json::array();
  std::string unready;
  for (const Json& c : JsonAt(spec, {"containers"})) {
    bool affected = bad.count(StringAt(c, {"image"})) != 0;
    Json cs = ContainerStatus(c, state, affected, message, pod_ref, now);
    if (!cs["ready"].get<bool>()) unready += (unready.empty() ? "" : " ") + StringAt(c, {"name"});
    statuses.push_back(std::move(cs));
  }
  bool ready = unready.empty() && state == Container::kRunning;
  std::string start = StringAt(pod.doc(), {"status", "startTime"});
  Json conditions = Json::array();
  auto condition = [&](const char* type, bool status) {
    Json c = Json::object();
    c["type"] = type;
    c["status"] = status ? "True" : "False";
    // The transition time of a condition whose status did not change is kept.
    const Json* old = FindCondition(pod.doc(), {"status", "conditions"}, type);
    if (old != nullptr && StringAt(*old, {"status"}) == StringAt(c, {"status"})) {
      c["lastTransitionTime"] = StringAt(*old, {"lastTransitionTime"});
    } else {
      c["lastTransitionTime"] = now;
    }
    return c;
  };
  conditions.push_back(condition("PodScheduled", true));
  conditions.push_back(condition("Initialized", true));
  for (const char* type : {"ContainersReady", "Ready"}) {
    Json c = condition(type, ready);
    if (!ready) {
      bool done = state == Container::kCompleted || state == Container::kFailed;
      c["reason"] = done ? "PodCompleted" : "ContainersNotReady";
      if (!done) c["message"] = "containers with unready status: [" + unready + "]";
    }
    conditions.push_back(std::move(c));
  }
  Json status = Json::object();
  status["conditions"] = std::move(conditions);
  status["containerStatuses"] = std::move(statuses);
  status["phase"] = phase;
  status["qosClass"] = "BestEffort";
  status["startTime"] = start.empty() ? now : start;
  return status;
}

// An unschedulable pod: its PVC is missing or not bound yet.
Json UnschedulableStatus(const std::string& message, const std::string& now) {
  return {{"phase", "Pending"},
          {"conditions",
           {{{"type", "PodScheduled"},
             {"status", "False"},
             {"reason", "Unschedulable"},
             {"message", message},
             {"lastTransitionTime", now}}}},
          {"qosClass", "BestEffort"}};
}

bool HasKey(const LiveObject& obj, const std::string& key) {
  const char* fields[] = {"data", obj.key().kind == "Secret" ? "stringData" : "binaryData"};
  for (const char* f : fields) {
    if (JsonAt(obj.doc(), {f, key}).is_string()) return true;
  }
  return false;
}

}  // namespace

void WorkloadController::OnPodEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (event.type == WatchEventType::kAdded && !event.object.being_deleted()) {
    PodState& s = pods_[key];
    s.key = key;
    s.startup = rng_.UniformDuration(config_.pod_startup.min, config_.pod_startup.max);
    if (!slow_images_.empty()) s.startup += SlowStartOf(event.object.doc(), slow_images_);
    Admit(s);
  } else if (event.type == WatchEventType::kDeleted) {
    if (auto it = pods_.find(key); it != pods_.end()) {
      if (it->second.timer != 0) sim_.Cancel(it->second.timer);
      for (const ObjectKey& dep : it->second.waiting_on) {
        auto w = waiters_.find(dep);
        if (w == waiters_.end()) continue;
        w->second.erase(key);
        if (w->second.empty()) waiters_.erase(w);
      }
      pods_.erase(it);
    }
  }
  bool deleted = event.type == WatchEventType::kDeleted;
  // Controllers count pods by phase, readiness and deletion only.
  bool counted_change =
      event.type != WatchEventType::kModified ||
      event.previous->owner_references() != event.object.object->owner_references() ||
      workload::PodPhase(*event.previous) != workload::PodPhase(*event.object.object) ||
      workload::PodReady(*event.previous) != workload::PodReady(*event.object.object) ||
      event.object.being_deleted();
  if (counted_change || event.previous->labels() != event.object.object->labels()) {
    UpdatePodEndpoints(key, deleted ? nullptr : &event.object);
  }
  if (!counted_change) return;
  if (auto owner = workload::ControllerOf(*event.object.object)) Enqueue(*owner);
}

std::vector<std::string> WorkloadController::MissingDependencies(const LiveObject& pod,
                                                                 std::vector<ObjectKey>* waits,
                                                                 std::string* reason) const {
  const Json& spec = JsonAt(pod.doc(), {"spec"});
  const std::string& ns = pod.key().ns;
  std::vector<std::string> unschedulable, mount, config;
  auto need = [&](const char* kind, const std::string& name, const std::string& key, bool optional,
                  std::vector<std::string>* out) {
    if (name.empty() || optional) return;
    const LiveObject* obj = store_.Find({"", kind, ns, name});
    std::string lower = kind[0] == 'C' ? "configmap" : "secret";
    if (obj == nullptr) {
      out->push_back(fmt::format("{} \"{}\" not found", lower, name));
    } else if (!key.empty() && !HasKey(*obj, key)) {
      out->push_back(fmt::format("couldn't find key {} in {} {}/{}", key, kind, ns, name));
    } else {
      return;
    }
    waits->push_back({"", kind, ns, name});
  };
  for (const Json& v : JsonAt(spec, {"volumes"})) {
    if (const Json& c = JsonAt(v, {"configMap"}); c.is_object()) {
      need("ConfigMap", StringAt(c, {"name"}), "", BoolAt(c, {"optional"}), &mount);
    }
    if (const Json& c = JsonAt(v, {"secret"}); c.is_object()) {
      need("Secret", StringAt(c, {"secretName"}), "", BoolAt(c, {"optional"}), &mount);
    }
    for (const Json& src : JsonAt(v, {"projected", "sources"})) {
      if (const Json& c = JsonAt(src, {"configMap"}); c.is_object()) {
        need("ConfigMap", StringAt(c, {"name"}), "", BoolAt(c, {"optional"}), &mount);
      }
      if (const Json& c = JsonAt(src, {"secret"}); c.is_object()) {
        need("Secret", StringAt(c, {"name"}), "", BoolAt(c, {"optional"}), &mount);
      }
    }
    std::string claim = StringAt(v, {"persistentVolumeClaim", "claimName"});
    if (claim.empty()) continue;
    const LiveObject* pvc = store_.Find({"", "PersistentVolumeClaim", ns, claim});
    if (pvc == nullptr) {
      unschedulable.push_back(fmt::format("persistentvolumeclaim \"{}\" not found", claim));
    } else if (StringAt(pvc->doc(), {"status", "phase"}) != "Bound") {
      unschedulable.push_back("pod has unbound immediate PersistentVolumeClaims");
    } else {
      continue;
    }
    waits->push_back({"", "PersistentVolumeClaim", ns, claim});
  }
  for (const char* list : {"initContainers", "containers"}) {
    for (const Json& c : JsonAt(spec, {list})) {
      for (const Json& e : JsonAt(c, {"env"})) {
        const Json& cm = JsonAt(e, {"valueFrom", "configMapKeyRef"});
        if (cm.is_object())
          need("ConfigMap", StringAt(cm, {"name"}), StringAt(cm, {"key"}), BoolAt(cm, {"optional"}),
               &config);
        const Json& sk = JsonAt(e, {"valueFrom", "secretKeyRef"});
        if (sk.is_object())
          need("Secret", StringAt(sk, {"name"}), StringAt(sk, {"key"}), BoolAt(sk, {"optional"}),
               &config);
      }
      for (const Json& e : JsonAt(c, {"envFrom"})) {
        const Json& cm = JsonAt(e, {"configMapRef"});
        if (cm.is_object())
          need("ConfigMap", StringAt(cm, {"name"}), "", BoolAt(cm, {"optional"}), &config);
        const Json& sr = JsonAt(e, {"secretRef"});
        if (sr.is_object())
          need("Secret", StringAt(sr, {"name"}), "", BoolAt(sr, {"optional"}), &config);
      }
    }
  }
  if (!unschedulable.empty()) {
    *reason = "Unschedulable";
    return unschedulable;
  }
  if (!mount.empty()) {
    *reason = "ContainerCreating";
    return mount;
  }
  *reason = "CreateContainerConfigError";
  return config;
}

void WorkloadController::Admit(PodState& s) {
  const LiveObject* live = store_.Find(s.key);
  if (live == nullptr) return;
  for (const ObjectKey& dep : s.waiting_on) {
    auto w = waiters_.find(dep);
    if (w == waiters_.end()) continue;
    w->second.erase(s.key);
    if (w->second.empty()) waiters_.erase(w);
  }
  s.waiting_on.clear();
  std::string reason;
  std::vector<std::string> missing = MissingDependencies(*live, &s.waiting_on, &reason);
  if (!s.waiting_on.empty()) {
    for (const ObjectKey& dep : s.waiting_on) waiters_[dep].insert(s.key);
    s.stage = PodStage::kWaiting;
    std::string message = missing.front();
    if (reason == "Unschedulable") {
      WritePodStatus(s.key, UnschedulableStatus(message, Now()));
    } else {
      Container state =
          reason == "ContainerCreating" ? Container::kCreating : Container::kConfigError;
      WritePodStatus(s.key, PodStatusFor(*live, state, {}, message, Now()));
    }
    return;
  }
  s.stage = PodStage::kStarting;
  WritePodStatus(s.key, PodStatusFor(*live, Container::kCreating, {}, "", Now()));
  ArmPodTimer(s, s.startup, &WorkloadController::StartContainers);
}

void WorkloadController::ArmPodTimer(PodState& pod, SimDuration delay,
                                     void (WorkloadController::*step)(PodState&)) {
  if (pod.timer != 0) sim_.Cancel(pod.timer);
  PodState* p = &pod;
  pod.timer = sim_.After(delay, [this, p, step] {
    p->timer = 0;
    (this->*step)(*p);
  });
}

void WorkloadController::StartContainers(PodState& s) {
  const LiveObject* live = store_.Find(s.key);
  if (live == nullptr) return;
  if (ImageIn(*live, pull_failing_)) {
    s.stage = PodStage::kPullFailing;
    WritePodStatus(s.key, PodStatusFor(*live, Container::kErrImagePull, pull_failing_, "", Now()));
    ArmPodTimer(s, config_.image_pull_backoff, &WorkloadController::PullBackOff);
    return;
  }
  bool always = StringAt(live->doc(), {"spec", "restartPolicy"}) == "Always" ||
                StringAt(live->doc(), {"spec", "restartPolicy"}).empty();
  if (ImageIn(*live, crashing_)) {
    s.stage = always ? PodStage::kCrashLooping : PodStage::kDone;
    Container state = always ? Container::kCrashLoop : Container::kFailed;
    WritePodStatus(s.key, PodStatusFor(*live, state, crashing_, "", Now()));
    return;
  }
  s.stage = PodStage::kRunning;
  s.ready_since = sim_.now();
  WritePodStatus(s.key, PodStatusFor(*live, Container::kRunning, {}, "", Now()));
  if (!always) ArmPodTimer(s, config_.job_run_time, &WorkloadController::FinishPod);
}

void WorkloadController::PullBackOff(PodState& s) {
  const LiveObject* live = store_.Find(s.key);
  if (live == nullptr || s.stage != PodStage::kPullFailing) return;
  WritePodStatus(s.key,
                 PodStatusFor(*live, Container::kImagePullBackOff, pull_failing_, "", Now()));
}

void WorkloadController::FinishPod(PodState& s) {
  const LiveObject* live = store_.Find(s.key);
  if (live == nullptr) return;
  s.stage = PodStage::kDone;
  WritePodStatus(s.key, PodStatusFor(*live, Container::kCompleted, {}, "", Now()));
}

void WorkloadController::WritePodStatus(const ObjectKey& key, Json status) {
  store_.UpdateStatus(key, std::move(status));  // a pod deleted meanwhile needs no status
}

void WorkloadController::OnDependencyChanged(const ObjectKey& dependency) {
  auto it = waiters_.find(dependency);
  if (it == waiters_.end()) return;
  std::set<ObjectKey> pods = it->second;
  for (const ObjectKey& pod : pods) {
    auto p = pods_.find(pod);
    if (p != pods_.end() && p->second.stage == PodStage::kWaiting) Admit(p->second);
  }
}

bool WorkloadController::ImageIn(const LiveObject& pod, const std::set<std::string>& images) const {
  if (images.empty()) return false;
  for (const char* list : {"initContainers", "containers"}) {
    for (const Json& c : JsonAt(pod.doc(), {"spec", list})) {
      if (images.count(StringAt(c, {"image"})) != 0) return true;
    }
  }
  return false;
}

void WorkloadController::RetryPods(const std::string& image, PodStage stage, SimDuration delay) {
  std::set<std::string> one = {image};
  for (auto& [key, pod] : pods_) {
    if (pod.stage != stage) continue;
    const LiveObject* live = store_.Find(key);
    if (live == nullptr || !ImageIn(*live, one)) continue;
    pod.stage = PodStage::kStarting;
    ArmPodTimer(pod, delay, &WorkloadController::StartContainers);
  }
}

}  // namespace fleetsim
