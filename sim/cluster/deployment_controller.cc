// Kubernetes' Deployment controller (pkg/controller/deployment: rolling.go, recreate.go, sync.go,
// progress.go, util/deployment_util.go), over the ObjectStore.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

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

Result<LiveObject> CreateReplicaSet(ObjectStore& store, const LiveObject& d,
                                    const std::string& hash, int64_t replicas, int64_t revision,
                                    int64_t max_surge) {
  const Json& spec = JsonAt(d.doc(), {"spec"});
  Json tpl = JsonAt(spec, {"template"});
  tpl["metadata"]["labels"][kHashLabel] = hash;
  Json selector = JsonAt(spec, {"selector"});
  selector["matchLabels"][kHashLabel] = hash;
  Json labels = JsonAt(tpl, {"metadata", "labels"});
  int64_t desired = IntAt(spec, {"replicas"}, 1);
  Json rs = {{"apiVersion", "apps/v1"},
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

struct RolloutParams {
  int64_t replicas = 1;
  int64_t max_surge = 0;
  int64_t max_unavailable = 0;
  bool recreate = false;
};

// spec.replicas and the rolling-update bounds: maxSurge rounds up, maxUnavailable down, both 25%
// by default, and both zero means maxUnavailable 1 (deployment_util.ResolveFenceposts).
RolloutParams ParamsOf(const Json& spec) {
  RolloutParams p;
  p.replicas = IntAt(spec, {"replicas"}, 1);
  p.recreate = StringAt(spec, {"strategy", "type"}) == "Recreate";
  if (p.recreate) return p;
  const Json& rolling = JsonAt(spec, {"strategy", "rollingUpdate"});
  const Json& surge = JsonAt(rolling, {"maxSurge"});
  const Json& unavailable = JsonAt(rolling, {"maxUnavailable"});
  p.max_surge = workload::ScaledValue(surge.is_null() ? Json("25%") : surge, p.replicas, true, 0);
  p.max_unavailable = workload::ScaledValue(unavailable.is_null() ? Json("25%") : unavailable,
                                            p.replicas, false, 0);
  if (p.max_surge == 0 && p.max_unavailable == 0) p.max_unavailable = 1;
  return p;
}

// The Deployment's ReplicaSets (not being deleted), oldest first.
std::vector<Rs> ReplicaSetsOf(const ObjectStore& store, const LiveObject& d) {
  std::vector<Rs> all;
  for (const ObjectKey& k : store.Dependents(d.uid)) {
    if (k.group != "apps" || k.kind != "ReplicaSet") continue;
    const LiveObject* rs = store.Find(k);
    if (rs == nullptr || rs->being_deleted()) continue;
    all.push_back({*rs, IntAt(rs->doc(), {"spec", "replicas"}, 1),
                   IntAt(rs->doc(), {"status", "availableReplicas"}, 0)});
  }
  std::sort(all.begin(), all.end(), [](const Rs& a, const Rs& b) {
    return std::tie(a.live.created, a.live.key()) < std::tie(b.live.created, b.live.key());
  });
  return all;
}

// NewRSNewReplicas: Recreate wants all replicas at once; RollingUpdate scales the new ReplicaSet
// up as far as replicas + maxSurge pods in total allow (and down to replicas).
int64_t NewReplicaCount(const std::vector<Rs>& all, const Rs* new_rs, const RolloutParams& p) {
  if (p.recreate) return p.replicas;
  int64_t base = new_rs ? new_rs->replicas : 0;
  if (base > p.replicas) return p.replicas;
  int64_t current = SumReplicas(all);
  if (current >= p.replicas + p.max_surge) return base;
  return base + std::min(p.replicas + p.max_surge - current, p.replicas - base);
}

// cleanupDeployment: once the rollout is complete, keep at most revisionHistoryLimit (default 10)
// old ReplicaSets that are scaled to zero; the oldest go first.
void CleanupOldReplicaSets(ObjectStore& store, const ObjectKey& d_key,
                           const std::vector<LiveObject>& all, const ObjectKey& new_key) {
  const LiveObject* d = store.Find(d_key);
  if (d == nullptr) return;
  int64_t replicas = IntAt(d->doc(), {"spec", "replicas"}, 1);
  const Json& st = d->status();
  if (IntAt(st, {"updatedReplicas"}, 0) != replicas || IntAt(st, {"replicas"}, 0) != replicas ||
      IntAt(st, {"availableReplicas"}, 0) != replicas) {
    return;
  }
  std::vector<ObjectKey> empty_old;
  for (const LiveObject& rs : all) {
    if (rs.key() != new_key && IntAt(rs.doc(), {"spec", "replicas"}, 1) == 0 &&
        IntAt(rs.doc(), {"status", "replicas"}, 0) == 0) {
      empty_old.push_back(rs.key());
    }
  }
  auto limit = static_cast<size_t>(
      std::max<int64_t>(IntAt(d->doc(), {"spec", "revisionHistoryLimit"}, 10), 0));
  for (size_t i = 0; i + limit < empty_old.size(); ++i) {
    store.Delete(empty_old[i], {Propagation::kBackground, std::string(kCauseGc), ""});
  }
}

}  // namespace

void WorkloadController::ReconcileDeployment(const LiveObject& d) {
  if (d.being_deleted()) return;
  const Json& spec = JsonAt(d.doc(), {"spec"});
  RolloutParams params = ParamsOf(spec);
  const std::string& hash = PodTemplateHash(d);
  std::vector<Rs> all = ReplicaSetsOf(store_, d);
  Rs* new_rs = nullptr;
  int64_t max_revision = 0;
  for (Rs& rs : all) {
    auto label = rs.live.object->labels().find(kHashLabel);
    if (label != rs.live.object->labels().end() && label->second == hash) {
      new_rs = &rs;
    } else {
      max_revision = std::max(max_revision, Revision(rs.live));
    }
  }
  bool created = false;
  if (!BoolAt(spec, {"paused"})) {
    // Recreate: every old ReplicaSet goes to zero and its pods must be gone first.
    bool old_pods_running = false;
    for (Rs& rs : all) {
      if (!params.recreate || &rs == new_rs) continue;
      ScaleTo(store_, rs, 0);
      old_pods_running = old_pods_running || !OwnedActivePods(rs.live).empty();
    }
    int64_t target = NewReplicaCount(all, new_rs, params);
    if (new_rs == nullptr && !old_pods_running) {
      Result<LiveObject> rs =
          CreateReplicaSet(store_, d, hash, target, max_revision + 1, params.max_surge);
      if (rs.ok()) {
        created = true;
        all.push_back({*rs, target, 0});
        new_rs = &all.back();
      }
    } else if (new_rs != nullptr && !old_pods_running) {
      bool scaled_up = new_rs->replicas != target;
      ScaleTo(store_, *new_rs, target);
      if (Revision(new_rs->live) <= max_revision) {
        store_.Patch(
            new_rs->live.key(),
            {{"metadata", {{"annotations", {{kRevision, std::to_string(max_revision + 1)}}}}}});
      }
      if (!params.recreate && !scaled_up) {
        ScaleDownOld(store_, all, new_rs, params.replicas, params.max_unavailable);
      }
    }
  }
  if (new_rs != nullptr) {
    std::string revision = std::to_string(std::max(Revision(new_rs->live), max_revision + 1));
    if (d.object->annotation(kRevision) != revision) {
      store_.Patch(d.key(), {{"metadata", {{"annotations", {{kRevision, revision}}}}}});
    }
  }
  std::vector<LiveObject> now;
  for (const Rs& rs : all) {
    if (const LiveObject* live = store_.Find(rs.live.key())) now.push_back(*live);
  }
  const LiveObject* new_live = new_rs ? store_.Find(new_rs->live.key()) : nullptr;
  SyncDeploymentStatus(d, now, new_live, params.max_unavailable, created);
  if (!created && new_live != nullptr) CleanupOldReplicaSets(store_, d.key(), now, new_live->key());
}

void WorkloadController::SyncDeploymentStatus(const LiveObject& d,
                                              const std::vector<LiveObject>& all,
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
  Json status = Json::object();
  status["availableReplicas"] = available;
  status["observedGeneration"] = d.generation;
  status["readyReplicas"] = ready;
  status["replicas"] = total;
  status["unavailableReplicas"] = std::max<int64_t>(replicas - available, 0);
  status["updatedReplicas"] = updated;
  Json conditions = JsonAt(old, {"conditions"});
  std::string now = Now();
  if (available >= replicas - max_unavailable) {
    workload::SetCondition(conditions, "Available", "True", "MinimumReplicasAvailable",
                           "Deployment has minimum availability.", now, true);
  } else {
    workload::SetCondition(conditions, "Available", "False", "MinimumReplicasUnavailable",
                           "Deployment does not have minimum availability.", now, true);
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
    return new_rs ? fmt::format("ReplicaSet \"{}\"", rs_name)
                  : fmt::format("Deployment \"{}\"", d.key().name);
  };
  auto progressed = [&](const char* r, std::string message, bool refresh) {
    workload::SetCondition(conditions, "Progressing", "True", r, message, now, true, refresh);
    progress_update_[d.key()] = sim_.now();
  };
  int64_t deadline = IntAt(spec, {"progressDeadlineSeconds"}, 600);
  if (BoolAt(spec, {"paused"})) {
    if (reason != "ProgressDeadlineExceeded" && reason != "DeploymentPaused") {
      workload::SetCondition(conditions, "Progressing", "Unknown", "DeploymentPaused",
                             "Deployment is paused", now, true);
    }
  } else if (reason == "DeploymentPaused") {
    workload::SetCondition(conditions, "Progressing", "Unknown", "DeploymentResumed",
                           "Deployment is resumed", now, true);
    progress_update_[d.key()] = sim_.now();
  } else {
    // getNewReplicaSet: a Progressing condition for the ReplicaSet it created or first found.
    if (created_new) {
      progressed("NewReplicaSetCreated", fmt::format("Created new replica set \"{}\"", rs_name),
                 false);
      reason = "NewReplicaSetCreated";
    } else if (new_rs != nullptr && !has_progressing) {
      progressed("FoundNewReplicaSet", fmt::format("Found new replica set \"{}\"", rs_name), false);
      reason = "FoundNewReplicaSet";
    }
    bool already_complete = total == updated && reason == "NewReplicaSetAvailable";
    bool complete = updated == replicas && total == replicas && available == replicas;
    int64_t old_stale = IntAt(old, {"replicas"}, 0) - IntAt(old, {"updatedReplicas"}, 0);
    bool progressing = updated > IntAt(old, {"updatedReplicas"}, 0) ||
                       (total - updated) < old_stale || ready > IntAt(old, {"readyReplicas"}, 0) ||
                       available > IntAt(old, {"availableReplicas"}, 0);
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
  const Json* failure =
      new_rs ? FindCondition(new_rs->doc(), {"status", "conditions"}, "ReplicaFailure") : nullptr;
  if (failure != nullptr) {
    workload::SetCondition(conditions, "ReplicaFailure", StringAt(*failure, {"status"}),
                           StringAt(*failure, {"reason"}), StringAt(*failure, {"message"}), now,
                           true);
  } else {
    workload::RemoveCondition(conditions, "ReplicaFailure");
  }
  status["conditions"] = conditions;
  workload::DropZeroFields(status);
  if (status != old) store_.UpdateStatus(d.key(), std::move(status));
}

}  // namespace fleetsim
