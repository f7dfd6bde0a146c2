// Kubernetes' Deployment controller (pkg/controller/deployment: rolling.go, recreate.go, sync.go,
// progress.go, util/deployment_util.go) and ReplicaSet controller, over the ObjectStore.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

using Json = nlohmann::json;

constexpr const char* kHashLabel = "pod-template-hash";
constexpr const char* kRevision = "deployment.kubernetes.io/revision";

// One ReplicaSet of a Deployment, with its spec.replicas as the current pass leaves it.
struct Rs {
  LiveObject live;
  int64_t replicas = 0;
  int64_t available = 0;
};

int64_t Revision(const LiveObject& rs) {
  std::string_view v = rs.object->annotation(kRevision);
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

void ScaleTo(ObjectStore& store, Rs& rs, int64_t replicas) {
  if (rs.replicas == replicas) return;
  rs.replicas = replicas;
  store.Patch(rs.live.key(), {{"spec", {{"replicas", replicas}}}});
}

int64_t SumReplicas(const std::vector<Rs>& all) {
  int64_t n = 0;
  for (const Rs& r : all) n += r.replicas;
  return n;
}

Result<LiveObject> CreateReplicaSet(ObjectStore& store, const LiveObject& d, const std::string& hash,
                                    int64_t replicas, int64_t revision, int64_t max_surge) {
  const Json& spec = JsonAt(d.doc(), {"spec"});
  Json tpl = JsonAt(spec, {"template"});
  tpl["metadata"]["labels"][kHashLabel] = hash;
  Json selector = JsonAt(spec, {"selector"});
  selector["matchLabels"][kHashLabel] = hash;
  Json labels = JsonAt(tpl, {"metadata", "labels"});
  int64_t desired = IntAt(spec, {"replicas"}, 1);
  Json rs = {
      {"apiVersion", "apps/v1"},
      {"kind", "ReplicaSet"},
      {"metadata",
       {{"name", d.key().name + "-" + hash},
        {"namespace", d.key().ns},
        {"labels", labels},
        {"annotations",
         {{"deployment.kubernetes.io/desired-replicas", std::to_string(desired)},
          {"deployment.kubernetes.io/max-replicas", std::to_string(desired + max_surge)},
          {kRevision, std::to_string(revision)}}},
        {"ownerReferences", Json::array({workload::ControllerRef(d)})}}},
      {"spec",
       {{"replicas", replicas},
        {"minReadySeconds", IntAt(spec, {"minReadySeconds"}, 0)},
        {"selector", selector},
        {"template", tpl}}}};
  return store.Create(Object(std::move(rs)));
}

// cleanupUnhealthyReplicas, then scaleDownOldReplicaSetsForRollingUpdate (rolling.go).
bool ScaleDownOld(ObjectStore& store, std::vector<Rs>& all, Rs* new_rs, int64_t replicas,
                  int64_t max_unavailable) {
  int64_t min_available = replicas - max_unavailable;
  int64_t new_unavailable = new_rs ? new_rs->replicas - new_rs->available : 0;
  int64_t max_scaled_down = SumReplicas(all) - min_available - new_unavailable;
  if (max_scaled_down <= 0) return false;
  bool scaled = false;
  int64_t cleaned = 0;
  for (Rs& rs : all) {
    if (&rs == new_rs || rs.replicas == 0 || rs.replicas == rs.available) continue;
    if (cleaned >= max_scaled_down) break;
    int64_t n = std::min(max_scaled_down - cleaned, rs.replicas - rs.available);
    ScaleTo(store, rs, rs.replicas - n);
    cleaned += n;
    scaled = true;
  }
  int64_t available = 0;
  for (const Rs& rs : all) available += rs.available;
  if (available <= min_available) return scaled;
  int64_t total = available - min_available, done = 0;
  for (Rs& rs : all) {
    if (done >= total) break;
    if (&rs == new_rs || rs.replicas == 0) continue;
    int64_t n = std::min(rs.replicas, total - done);
    ScaleTo(store, rs, rs.replicas - n);
    done += n;
    scaled = true;
  }
  return scaled;
}

}  // namespace

std::vector<LiveObject> WorkloadController::OwnedActivePods(const LiveObject& owner) const {
  std::vector<LiveObject> out;
  for (const ObjectKey& k : store_.Dependents(owner.uid)) {
    if (!k.group.empty() || k.kind != "Pod") continue;
    const LiveObject* pod = store_.Find(k);
    if (pod != nullptr && workload::PodActive(*pod)) out.push_back(*pod);
  }
  return out;
}

int64_t WorkloadController::AvailablePods(const std::vector<LiveObject>& pods,
                                          int64_t min_ready_seconds, const ObjectKey& wake) {
  int64_t n = 0;
  for (const LiveObject& pod : pods) {
    if (!workload::PodReady(*pod.object)) continue;
    auto it = pods_.find(pod.key());
    SimTime since = it != pods_.end() ? it->second.ready_since : pod.created;
    SimTime at = since + SimDuration::Seconds(min_ready_seconds);
    if (at <= sim_.now()) {
      ++n;
    } else {
      WakeAt(wake, at);
    }
  }
  return n;
}

void WorkloadController::ReconcileReplicaSet(const LiveObject& rs) {
  if (rs.being_deleted()) return;
  const Json& spec = JsonAt(rs.doc(), {"spec"});
  int64_t replicas = IntAt(spec, {"replicas"}, 1);
  std::vector<LiveObject> pods = OwnedActivePods(rs);
  std::string failure;
  auto have = static_cast<int64_t>(pods.size());
  for (int64_t i = have; i < replicas; ++i) {
    Json pod = workload::PodFromTemplate(JsonAt(spec, {"template"}), rs.key().ns, "",
                                         rs.key().name + "-", workload::ControllerRef(rs), {});
    Result<LiveObject> created = store_.Create(Object(std::move(pod)));
    if (!created.ok()) {
      failure = created.error();
      break;
    }
  }
  if (have > replicas) {
    // controller.ActivePods ranking: not-ready pods go first, then the most recently created.
    std::sort(pods.begin(), pods.end(), [](const LiveObject& a, const LiveObject& b) {
      bool ra = workload::PodReady(*a.object), rb = workload::PodReady(*b.object);
      return std::tie(ra, b.created, a.key()) < std::tie(rb, a.created, b.key());
    });
    for (int64_t i = 0; i < have - replicas; ++i) {
      store_.Delete(pods[static_cast<size_t>(i)].key(), {Propagation::kBackground, std::string(kCauseGc), ""});
    }
  }
  pods = OwnedActivePods(rs);
  int64_t ready = 0;
  for (const LiveObject& p : pods) ready += workload::PodReady(*p.object) ? 1 : 0;
  Json status = rs.status().is_object() ? rs.status() : Json::object();
  status["replicas"] = pods.size();
  status["fullyLabeledReplicas"] = pods.size();
  status["readyReplicas"] = ready;
  status["availableReplicas"] = AvailablePods(pods, IntAt(spec, {"minReadySeconds"}, 0), rs.key());
  status["observedGeneration"] = rs.generation;
  Json conditions = JsonAt(status, {"conditions"});
  if (!failure.empty()) {
    workload::SetCondition(conditions, "ReplicaFailure", "True", "FailedCreate", failure, Now(), false);
  } else {
    workload::RemoveCondition(conditions, "ReplicaFailure");
  }
  status["conditions"] = conditions;
  workload::DropZeroFields(status);
  status["replicas"] = pods.size();  // not omitempty in ReplicaSetStatus
  if (status != rs.status()) store_.UpdateStatus(rs.key(), std::move(status));
}

void WorkloadController::ReconcileDeployment(const LiveObject& d) {
  if (d.being_deleted()) return;
  const Json& spec = JsonAt(d.doc(), {"spec"});
  int64_t replicas = IntAt(spec, {"replicas"}, 1);
  std::string hash = workload::TemplateHash(JsonAt(spec, {"template"}));
  std::vector<Rs> all;
  for (const ObjectKey& k : store_.Dependents(d.uid)) {
    if (k.group != "apps" || k.kind != "ReplicaSet") continue;
    const LiveObject* rs = store_.Find(k);
    if (rs == nullptr || rs->being_deleted()) continue;
    all.push_back({*rs, IntAt(rs->doc(), {"spec", "replicas"}, 1),
                   IntAt(rs->doc(), {"status", "availableReplicas"}, 0)});
  }
  std::sort(all.begin(), all.end(), [](const Rs& a, const Rs& b) {
    return std::tie(a.live.created, a.live.key()) < std::tie(b.live.created, b.live.key());
  });
  auto find_new = [&]() -> Rs* {
    for (Rs& rs : all) {
      if (rs.live.object->labels().count(kHashLabel) != 0 &&
          rs.live.object->labels().at(kHashLabel) == hash) {
        return &rs;
      }
    }
    return nullptr;
  };
  Rs* new_rs = find_new();
  bool recreate = StringAt(spec, {"strategy", "type"}) == "Recreate";
  const Json& rolling = JsonAt(spec, {"strategy", "rollingUpdate"});
  Json surge_spec = JsonAt(rolling, {"maxSurge"}), unavailable_spec = JsonAt(rolling, {"maxUnavailable"});
  int64_t max_surge = recreate ? 0 : workload::ScaledValue(surge_spec.is_null() ? Json("25%") : surge_spec, replicas, true, 0);
  int64_t max_unavailable = recreate ? 0 : workload::ScaledValue(unavailable_spec.is_null() ? Json("25%") : unavailable_spec, replicas, false, 0);
  if (!recreate && max_surge == 0 && max_unavailable == 0) max_unavailable = 1;
  int64_t max_revision = 0;
  for (const Rs& rs : all) {
    if (&rs != new_rs) max_revision = std::max(max_revision, Revision(rs.live));
  }
  std::string created_name;
  if (!BoolAt(spec, {"paused"})) {
    bool old_pods_running = false;
    if (recreate) {
      for (Rs& rs : all) {
        if (&rs == new_rs) continue;
        ScaleTo(store_, rs, 0);
        if (!OwnedActivePods(rs.live).empty()) old_pods_running = true;
      }
    }
    int64_t target = replicas;
    if (!recreate) {
      int64_t current = SumReplicas(all);
      int64_t base = new_rs ? new_rs->replicas : 0;
      target = base;
      if (base > replicas) target = replicas;
      else if (current < replicas + max_surge) target = base + std::min(replicas + max_surge - current, replicas - base);
    }
    if (new_rs == nullptr && !old_pods_running) {
      Result<LiveObject> rs = CreateReplicaSet(store_, d, hash, target, max_revision + 1, max_surge);
      if (rs.ok()) {
        created_name = rs->key().name;
        all.push_back({*rs, target, 0});
        new_rs = &all.back();
      }
    } else if (new_rs != nullptr && !old_pods_running) {
      bool scaled_up = new_rs->replicas != target;
      ScaleTo(store_, *new_rs, target);
      if (Revision(new_rs->live) <= max_revision) {
        store_.Patch(new_rs->live.key(), {{"metadata", {{"annotations", {{kRevision, std::to_string(max_revision + 1)}}}}}});
      }
      if (!recreate && !scaled_up) ScaleDownOld(store_, all, new_rs, replicas, max_unavailable);
    }
  }
  if (new_rs != nullptr) {
    std::string revision = created_name.empty() ? std::string(new_rs->live.object->annotation(kRevision))
                                                : std::to_string(max_revision + 1);
    if (!revision.empty() && d.object->annotation(kRevision) != revision) {
      store_.Patch(d.key(), {{"metadata", {{"annotations", {{kRevision, revision}}}}}});
    }
  }
  std::vector<LiveObject> rs_now;
  for (const Rs& rs : all) {
    if (const LiveObject* live = store_.Find(rs.live.key())) rs_now.push_back(*live);
  }
  const LiveObject* new_live = new_rs ? store_.Find(new_rs->live.key()) : nullptr;
  SyncDeploymentStatus(d, rs_now, new_live, max_unavailable, !created_name.empty());
  if (!created_name.empty() || new_rs == nullptr) return;
  // cleanupDeployment: once complete, keep at most revisionHistoryLimit old, empty ReplicaSets.
  const LiveObject* latest = store_.Find(d.key());
  if (latest == nullptr) return;
  const Json& st = latest->status();
  bool complete = IntAt(st, {"updatedReplicas"}, 0) == replicas && IntAt(st, {"replicas"}, 0) == replicas &&
                  IntAt(st, {"availableReplicas"}, 0) == replicas;
  if (!complete) return;
  std::vector<ObjectKey> empty_old;
  for (const LiveObject& rs : rs_now) {
    if (rs.key() == new_live->key()) continue;
    if (IntAt(rs.doc(), {"spec", "replicas"}, 1) == 0 && IntAt(rs.doc(), {"status", "replicas"}, 0) == 0) {
      empty_old.push_back(rs.key());
    }
  }
  int64_t limit = IntAt(spec, {"revisionHistoryLimit"}, 10);
  for (int64_t i = 0; i + limit < static_cast<int64_t>(empty_old.size()); ++i) {
    store_.Delete(empty_old[static_cast<size_t>(i)], {Propagation::kBackground, std::string(kCauseGc), ""});
  }
}

void WorkloadController::SyncDeploymentStatus(const LiveObject& d, const std::vector<LiveObject>& all,
                                              const LiveObject* new_rs, int64_t max_unavailable,
                                              bool created_new) {
  const Json& spec = JsonAt(d.doc(), {"spec"});
  const Json& old = d.status().is_object() ? d.status() : Json::object();
  int64_t replicas = IntAt(spec, {"replicas"}, 1);
  int64_t total = 0, ready = 0, available = 0;
  for (const LiveObject& rs : all) {
    total += IntAt(rs.doc(), {"status", "replicas"}, 0);
    ready += IntAt(rs.doc(), {"status", "readyReplicas"}, 0);
    available += IntAt(rs.doc(), {"status", "availableReplicas"}, 0);
  }
  int64_t updated = new_rs ? IntAt(new_rs->doc(), {"status", "replicas"}, 0) : 0;
  Json status = {{"observedGeneration", d.generation}, {"replicas", total},
                 {"updatedReplicas", updated}, {"readyReplicas", ready},
                 {"availableReplicas", available},
                 {"unavailableReplicas", std::max<int64_t>(replicas - available, 0)}};
  Json conditions = JsonAt(old, {"conditions"});
  std::string now = Now();
  if (available >= replicas - max_unavailable) {
    workload::SetCondition(conditions, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now, true);
  } else {
    workload::SetCondition(conditions, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, true);
  }
  bool has_progressing = false;
  std::string reason;
  for (const Json& c : conditions) {
    if (StringAt(c, {"type"}) != "Progressing") continue;
    has_progressing = true;
    reason = StringAt(c, {"reason"});
  }
  std::string rs_name = new_rs ? new_rs->key().name : "";
  auto subject = [&] {
    return new_rs ? fmt::format("ReplicaSet \"{}\"", rs_name) : fmt::format("Deployment \"{}\"", d.key().name);
  };
  auto progressed = [&](const char* r, std::string message, bool refresh) {
    workload::SetCondition(conditions, "Progressing", "True", r, message, now, true, refresh);
    progress_update_[d.key()] = sim_.now();
  };
  int64_t deadline = IntAt(spec, {"progressDeadlineSeconds"}, 600);
  if (BoolAt(spec, {"paused"})) {
    if (reason != "ProgressDeadlineExceeded" && reason != "DeploymentPaused") {
      workload::SetCondition(conditions, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now, true);
    }
  } else if (reason == "DeploymentPaused") {
    workload::SetCondition(conditions, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now, true);
    progress_update_[d.key()] = sim_.now();
  } else {
    // getNewReplicaSet: a Progressing condition for the ReplicaSet it created or first found.
    if (created_new) {
      progressed("NewReplicaSetCreated", fmt::format("Created new replica set \"{}\"", rs_name), false);
      reason = "NewReplicaSetCreated";
    } else if (new_rs != nullptr && !has_progressing) {
      progressed("FoundNewReplicaSet", fmt::format("Found new replica set \"{}\"", rs_name), false);
      reason = "FoundNewReplicaSet";
    }
    bool already_complete = total == updated && reason == "NewReplicaSetAvailable";
    bool complete = updated == replicas && total == replicas && available == replicas;
    int64_t old_stale = IntAt(old, {"replicas"}, 0) - IntAt(old, {"updatedReplicas"}, 0);
    bool progressing = updated > IntAt(old, {"updatedReplicas"}, 0) || (total - updated) < old_stale ||
                       ready > IntAt(old, {"readyReplicas"}, 0) || available > IntAt(old, {"availableReplicas"}, 0);
    auto last = progress_update_.find(d.key());
    SimTime last_update = last != progress_update_.end() ? last->second : sim_.now();
    if (!already_complete) {
      if (complete) {
        progressed("NewReplicaSetAvailable", subject() + " has successfully progressed.", false);
      } else if (progressing) {
        progressed("ReplicaSetUpdated", subject() + " is progressing.", true);
      } else if (reason == "ProgressDeadlineExceeded" ||
                 last_update + SimDuration::Seconds(deadline) < sim_.now()) {
        workload::SetCondition(conditions, "Progressing", "False", "ProgressDeadlineExceeded",
                               subject() + " has timed out progressing.", now, true);
      } else {
        WakeAt(d.key(), last_update + SimDuration::Seconds(deadline + 1));
      }
    }
  }
  const Json* failure = new_rs ? FindCondition(new_rs->doc(), {"status", "conditions"}, "ReplicaFailure") : nullptr;
  if (failure != nullptr) {
    workload::SetCondition(conditions, "ReplicaFailure", StringAt(*failure, {"status"}), StringAt(*failure, {"reason"}),
                           StringAt(*failure, {"message"}), now, true);
  } else {
    workload::RemoveCondition(conditions, "ReplicaFailure");
  }
  status["conditions"] = conditions;
  workload::DropZeroFields(status);
  if (status != old) store_.UpdateStatus(d.key(), std::move(status));
}

}  // namespace fleetsim
