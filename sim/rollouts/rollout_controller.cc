// RolloutController: the watch, the queue, the plugin's actions, the ReplicaSets and Services a
// Rollout owns or points, and the status write (rollout/sync.go persistRolloutStatus,
// calculateRolloutConditions, evaluateProgressDeadlineAbort, requeueStuckRollout). The strategies
// are in rollout_canary.cc and rollout_bluegreen.cc, the AnalysisRuns in
// rollout_analysis_runs.cc.
#include "sim/rollouts/rollout_controller.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/rollouts/analysis_spec.h"
#include "sim/rollouts/rollout_context.h"
#include "sim/scenario/rfc3339.h"

namespace fleetsim::rollouts {
namespace {

// A Rollout whose status keeps changing at one instant is left for the next event: a guard
// against a reconcile loop, never reached by a converging rollout.
constexpr int kMaxPassesPerInstant = 64;

bool IsRollout(const ObjectKey& k) { return k.group == "argoproj.io" && k.kind == "Rollout"; }
bool IsTemplate(const ObjectKey& k) {
  return k.group == "argoproj.io" &&
         (k.kind == "AnalysisTemplate" || k.kind == "ClusterAnalysisTemplate");
}

int64_t GenerationOf(const ObjectPtr& obj) {
  return obj ? IntAt(obj->doc(), {"metadata", "generation"}, 0) : 0;
}

std::string NotFound(const ObjectKey& key) {
  return fmt::format("rollouts.argoproj.io \"{}\" not found", key.name);
}

}  // namespace

const ReplicaSetState* RolloutController::Context::FindState(const std::string& h) const {
  for (const ReplicaSetState& s : states) {
    auto it = hash_of.find(s.name);
    if (it != hash_of.end() && it->second == h) return &s;
  }
  return nullptr;
}

RolloutStatus RolloutController::Context::OldCore() const { return old_status.core; }

RolloutController::RolloutController(Simulator& sim, ObjectStore& store, int64_t start_unix,
                                     EventSink sink)
    : sim_(sim), store_(store), start_unix_(start_unix), sink_(std::move(sink)) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

RolloutController::~RolloutController() {
  if (watch_ != 0) store_.RemoveObserver(watch_);
  if (flush_ != 0) sim_.Cancel(flush_);
  for (auto& [key, wake] : wakeups_) sim_.Cancel(wake.second);
}

// The Rollout's own spec changes, and every change of what it owns (ReplicaSets, AnalysisRuns);
// a new or changed template requeues the Rollouts of its namespace (all, for a cluster one).
void RolloutController::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (IsRollout(key)) {
    if (event.type == WatchEventType::kDeleted) {
      memory_.erase(key);
      return;
    }
    if (event.type == WatchEventType::kAdded ||
        GenerationOf(event.previous) != event.object.generation ||
        (event.previous && JsonAt(event.previous->doc(), {"status"}) != event.object.status())) {
      Enqueue(key);
    }
    return;
  }
  if ((key.group == "apps" && key.kind == "ReplicaSet") ||
      (key.group == "argoproj.io" && key.kind == "AnalysisRun")) {
    std::optional<ObjectKey> owner = workload::ControllerOf(*event.object.object);
    if (owner && owner->kind == "Rollout") {
      owner->group = "argoproj.io";
      Enqueue(*owner);
    }
    return;
  }
  if (IsTemplate(key) && event.type != WatchEventType::kDeleted) {
    ListOptions options{"argoproj.io", "Rollout", std::nullopt, {}};
    if (!key.ns.empty()) options.ns = key.ns;
    Result<std::vector<LiveObject>> rollouts = store_.List(options);
    if (!rollouts.ok()) return;
    for (const LiveObject& r : *rollouts) Enqueue(r.key());
  }
}

void RolloutController::Enqueue(const ObjectKey& key) {
  if (!queued_.insert(key).second) return;
  queue_.push_back(key);
  if (flush_ == 0) flush_ = sim_.At(sim_.now(), [this] { Flush(); });
}

void RolloutController::WakeAt(const ObjectKey& key, SimTime t) {
  if (t <= sim_.now()) {
    Enqueue(key);
    return;
  }
  auto it = wakeups_.find(key);
  if (it != wakeups_.end()) {
    if (it->second.first <= t && it->second.first > sim_.now()) return;
    sim_.Cancel(it->second.second);
  }
  EventId id = sim_.At(t, [this, key] {
    wakeups_.erase(key);
    Enqueue(key);
  });
  wakeups_[key] = {t, id};
}

void RolloutController::Flush() {
  flush_ = 0;
  std::vector<ObjectKey> work;
  work.swap(queue_);
  queued_.clear();
  for (const ObjectKey& key : work) Reconcile(key);
}

std::optional<SimTime> RolloutController::ParseTime(const Json& text) const {
  if (!text.is_string()) return std::nullopt;
  Result<int64_t> unix = ParseRfc3339(text.get<std::string>());
  if (!unix.ok()) return std::nullopt;
  return SimTime::Zero() + SimDuration::Seconds(*unix - start_unix_);
}

void RolloutController::Reconcile(const ObjectKey& key) {
  const LiveObject* found = store_.Find(key);
  if (found == nullptr || found->being_deleted()) return;
  Memory& memory = memory_[key];
  if (memory.pass_instant != sim_.now()) memory = {0, sim_.now()};
  if (++memory.same_instant_passes > kMaxPassesPerInstant) return;

  Context c;
  c.live = *found;
  c.key = key;
  c.now = sim_.now();
  TimeParser parse = [this](const std::string& s) {
    return ParseTime(Json(s)).value_or(SimTime::Zero());
  };
  c.old_status = WorkStatus::FromJson(c.live.status(), parse);
  c.old_status.core.conditions = CoreConditions(c.old_status.conditions, parse);
  c.status = c.old_status;

  Result<RolloutSpec> spec = ParseRollout(c.live.doc());
  Status valid = spec.ok() ? ValidateRollout(*spec) : spec.status();
  if (valid.ok() && spec->blue_green &&
      StringAt(c.live.doc(), {"spec", "strategy", "blueGreen", "activeService"}).empty()) {
    valid = Status::Error(
        "spec.strategy.blueGreen.activeService: Invalid value: \"\": must not be empty");
  }
  if (valid.ok() && spec->canary) {
    std::map<std::pair<bool, std::string>, AnalysisSpec> templates;
    auto lookup = [&](const AnalysisTemplateRef& ref) -> const AnalysisSpec* {
      auto k = std::make_pair(ref.cluster_scope, ref.template_name);
      if (auto it = templates.find(k); it != templates.end()) return &it->second;
      const LiveObject* t = store_.Find(
          {"argoproj.io", ref.cluster_scope ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
           ref.cluster_scope ? "" : key.ns, ref.template_name});
      if (t == nullptr) return nullptr;
      Result<AnalysisSpec> parsed = ParseAnalysisDocument(t->doc());
      if (!parsed.ok()) return nullptr;
      return &templates.emplace(k, std::move(*parsed)).first->second;
    };
    valid = ValidateAnalysisReferences(*spec, lookup);
  }
  if (!valid.ok()) {
    c.spec.name = key.name;
    c.spec.canary = spec.ok() ? spec->canary : true;
    SetCondition(c.status.conditions, kConditionInvalidSpec, "True", kConditionInvalidSpec,
                 InvalidSpecMessage(key.name, valid.message()), Stamp(c.now));
    if (spec.ok()) c.spec = *spec;
    Persist(c);
    return;
  }
  RemoveConditionJson(c.status.conditions, kConditionInvalidSpec);
  c.spec = *spec;
  c.bg = ParseBlueGreen(c.live.doc());
  c.hash = workload::TemplateHash(JsonAt(c.live.doc(), {"spec", "template"}));
  if (c.spec.canary) {
    c.step_hash =
        workload::TemplateHash(JsonAt(c.live.doc(), {"spec", "strategy", "canary", "steps"}));
  }
  if (!LoadReplicaSets(c)) return;
  if (c.spec.canary) {
    ReconcileCanary(c);
  } else {
    ReconcileBlueGreen(c);
  }
}

// getAllReplicaSetsAndSyncRevision: the owned ReplicaSets; the new one (created when missing)
// gets the revision after the highest of the others.
bool RolloutController::LoadReplicaSets(Context& c) {
  int64_t max_old = 0;
  std::string new_name = c.key.name + "-" + c.hash;
  std::vector<LiveObject> owned;
  for (const ObjectKey& k : store_.Dependents(c.live.uid)) {
    if (k.group != "apps" || k.kind != "ReplicaSet") continue;
    const LiveObject* rs = store_.Find(k);
    if (rs == nullptr || rs->being_deleted()) continue;
    owned.push_back(*rs);
    int64_t rev = 0;
    if (auto t = StringAt(rs->doc(), {"metadata", "annotations", std::string(kRevisionAnnotation)});
        !t.empty()) {
      rev = std::atoll(t.c_str());
    }
    if (k.name != new_name) max_old = std::max(max_old, rev);
  }
  const Json& tmpl = JsonAt(c.live.doc(), {"spec", "template"});
  auto found = std::find_if(owned.begin(), owned.end(),
                            [&](const LiveObject& rs) { return rs.key().name == new_name; });
  std::string revision = std::to_string(max_old + 1);
  if (found == owned.end()) {
    Json pod_template = tmpl;
    pod_template["metadata"]["labels"][std::string(kHashLabel)] = c.hash;
    Json selector = JsonAt(c.live.doc(), {"spec", "selector"});
    if (!selector.is_object()) selector = Json::object();
    selector["matchLabels"][std::string(kHashLabel)] = c.hash;
    Json labels = pod_template["metadata"]["labels"];
    Json rs = {{"apiVersion", "apps/v1"},
               {"kind", "ReplicaSet"},
               {"metadata",
                {{"name", new_name},
                 {"namespace", c.key.ns},
                 {"labels", labels},
                 {"annotations", {{std::string(kRevisionAnnotation), revision}}},
                 {"ownerReferences", Json::array({workload::ControllerRef(c.live)})}}},
               {"spec",
                {{"replicas", 0},
                 {"minReadySeconds", c.spec.min_ready_seconds},
                 {"selector", selector},
                 {"template", pod_template}}}};
    Result<LiveObject> created = store_.Create(Object(std::move(rs)));
    if (!created.ok()) return false;
    owned.push_back(*created);
  } else {
    std::string have =
        StringAt(found->doc(), {"metadata", "annotations", std::string(kRevisionAnnotation)});
    if (std::atoll(have.c_str()) <= max_old) {
      Result<LiveObject> patched = store_.Patch(
          found->key(),
          {{"metadata", {{"annotations", {{std::string(kRevisionAnnotation), revision}}}}}});
      if (patched.ok()) *found = *patched;
    }
  }
  for (const LiveObject& rs : owned) {
    ReplicaSetState s;
    s.name = rs.key().name;
    s.revision = std::atoll(
        StringAt(rs.doc(), {"metadata", "annotations", std::string(kRevisionAnnotation)}).c_str());
    s.spec_replicas = static_cast<int32_t>(IntAt(rs.doc(), {"spec", "replicas"}, 1));
    s.replicas = static_cast<int32_t>(IntAt(rs.status(), {"replicas"}, 0));
    s.available = static_cast<int32_t>(IntAt(rs.status(), {"availableReplicas"}, 0));
    s.scale_down_deadline = ParseTime(
        JsonAt(rs.doc(), {"metadata", "annotations", std::string(kScaleDownDeadlineAnnotation)}));
    c.hash_of[s.name] = StringAt(rs.doc(), {"metadata", "labels", std::string(kHashLabel)});
    c.rs_live[s.name] = rs;
    c.states.push_back(s);
  }
  std::sort(c.states.begin(), c.states.end(), [](const auto& a, const auto& b) {
    return std::tie(a.revision, a.name) < std::tie(b.revision, b.name);
  });
  for (const ReplicaSetState& s : c.states) {
    if (s.name == new_name) {
      c.new_rs = s;
      c.revision = s.revision;
    }
  }
  if (const ReplicaSetState* stable = c.FindState(c.old_status.core.stable_rs)) {
    c.stable_rs = *stable;
  }
  c.sets.new_rs = c.new_rs ? &*c.new_rs : nullptr;
  c.sets.stable_rs = c.stable_rs ? &*c.stable_rs : nullptr;
  for (const ReplicaSetState& s : c.states) {
    if ((c.new_rs && s.name == c.new_rs->name) || (c.stable_rs && s.name == c.stable_rs->name)) {
      continue;
    }
    c.sets.others.push_back(s);
  }
  return c.new_rs.has_value();
}

void RolloutController::ScaleReplicaSet(Context& c, const std::string& name, int32_t replicas) {
  auto it = c.rs_live.find(name);
  if (it == c.rs_live.end()) return;
  if (IntAt(it->second.doc(), {"spec", "replicas"}, 1) == replicas) return;
  Json patch = {{"spec", {{"replicas", replicas}}}};
  if (replicas == 0) {
    patch["metadata"]["annotations"][std::string(kScaleDownDeadlineAnnotation)] = nullptr;
  }
  if (store_.Patch(it->second.key(), patch).ok()) c.scaled = true;
}

void RolloutController::SetScaleDownDeadline(Context& c, const std::string& name,
                                             std::optional<SimTime> deadline) {
  auto it = c.rs_live.find(name);
  if (it == c.rs_live.end()) return;
  Json value = deadline ? Json(Stamp(*deadline)) : Json(nullptr);
  const Json& have = JsonAt(it->second.doc(),
                            {"metadata", "annotations", std::string(kScaleDownDeadlineAnnotation)});
  if (have == value || (have.is_null() && value.is_null())) return;
  store_.Patch(
      it->second.key(),
      {{"metadata", {{"annotations", {{std::string(kScaleDownDeadlineAnnotation), value}}}}}});
  if (deadline) WakeAt(c.key, *deadline + SimDuration::Seconds(1));
}

// rollout/service.go: the Service selects the pods of one pod-template hash.
void RolloutController::PointService(const Context& c, const std::string& service,
                                     const std::string& hash) {
  if (service.empty() || hash.empty()) return;
  const LiveObject* svc = store_.Find({"", "Service", c.key.ns, service});
  if (svc == nullptr) return;
  if (StringAt(svc->doc(), {"spec", "selector", std::string(kHashLabel)}) == hash) return;
  store_.Patch(svc->key(), {{"spec", {{"selector", {{std::string(kHashLabel), hash}}}}}});
}

// ---- Actions (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause}) ----

Status RolloutController::Promote(const ObjectKey& key, bool full) {
  const LiveObject* r = store_.Find(key);
  if (r == nullptr) return Status::Error(NotFound(key));
  LiveObject live = *r;
  if (BoolAt(live.doc(), {"spec", "paused"})) {
    Result<LiveObject> p = store_.Patch(key, {{"spec", {{"paused", false}}}});
    if (!p.ok()) return p.status();
    live = *p;
  }
  Json status = live.status().is_object() ? live.status() : Json::object();
  bool canary = !JsonAt(live.doc(), {"spec", "strategy", "canary"}).is_null();
  std::string detail;
  if (full) {
    status["promoteFull"] = true;
    status.erase("pauseConditions");
    detail = "full";
  } else if (JsonAt(status, {"pauseConditions"}).is_array() && !status["pauseConditions"].empty()) {
    bool inconclusive = false;
    for (const Json& p : status["pauseConditions"]) {
      inconclusive |= StringAt(p, {"reason"}) == kPauseReasonInconclusiveAnalysis;
    }
    status.erase("pauseConditions");
    detail = "resumed";
    if (inconclusive && canary) {
      // An Inconclusive step analysis is skipped along with its step.
      status["controllerPause"] = false;
      const Json& steps = JsonAt(live.doc(), {"spec", "strategy", "canary", "steps"});
      int64_t index = IntAt(status, {"currentStepIndex"}, 0);
      if (steps.is_array() && index < static_cast<int64_t>(steps.size()) &&
          steps[static_cast<size_t>(index)].contains("analysis")) {
        status["currentStepIndex"] = index + 1;
      }
    }
  } else if (canary) {
    const Json& steps = JsonAt(live.doc(), {"spec", "strategy", "canary", "steps"});
    int64_t index = IntAt(status, {"currentStepIndex"}, 0);
    if (steps.is_array() && index < static_cast<int64_t>(steps.size())) {
      status["currentStepIndex"] = index + 1;
      detail = fmt::format("skipped step {}", index);
    }
  }
  if (status != live.status()) {
    Result<LiveObject> u = store_.UpdateStatus(key, status);
    if (!u.ok()) return u.status();
  }
  sink_("RolloutPromoted", key, detail);
  return Status::Ok();
}

Status RolloutController::Abort(const ObjectKey& key) {
  const LiveObject* r = store_.Find(key);
  if (r == nullptr) return Status::Error(NotFound(key));
  Json status = r->status().is_object() ? r->status() : Json::object();
  status["abort"] = true;
  if (!status.contains("abortedAt")) status["abortedAt"] = Stamp(sim_.now());
  Result<LiveObject> u = store_.UpdateStatus(key, status);
  return u.ok() ? Status::Ok() : u.status();
}

Status RolloutController::Retry(const ObjectKey& key) {
  const LiveObject* r = store_.Find(key);
  if (r == nullptr) return Status::Error(NotFound(key));
  Json status = r->status().is_object() ? r->status() : Json::object();
  status["abort"] = false;
  status.erase("abortedAt");
  Result<LiveObject> u = store_.UpdateStatus(key, status);
  return u.ok() ? Status::Ok() : u.status();
}

Status RolloutController::Pause(const ObjectKey& key) {
  if (store_.Find(key) == nullptr) return Status::Error(NotFound(key));
  Result<LiveObject> p = store_.Patch(key, {{"spec", {{"paused", true}}}});
  return p.ok() ? Status::Ok() : p.status();
}

std::optional<TrafficSplit> RolloutController::Split(const ObjectKey& key) const {
  const LiveObject* r = store_.Find(key);
  if (r == nullptr || !r->status().is_object()) return std::nullopt;
  const Json& s = r->status();
  TrafficSplit split;
  split.stable_hash = StringAt(s, {"stableRS"});
  std::string current = StringAt(s, {"currentPodHash"});
  if (current != split.stable_hash) split.canary_hash = current;
  auto available = [&](const std::string& hash) {
    if (hash.empty()) return int32_t{0};
    const LiveObject* rs = store_.Find({"apps", "ReplicaSet", key.ns, key.name + "-" + hash});
    return rs ? static_cast<int32_t>(IntAt(rs->status(), {"availableReplicas"}, 0)) : 0;
  };
  split.stable_available = available(split.stable_hash);
  split.canary_available = available(split.canary_hash);
  const Json& canary = JsonAt(r->doc(), {"spec", "strategy", "canary"});
  if (canary.is_null()) {  // blue-green: the active Service's version takes everything
    bool switched = !split.canary_hash.empty() &&
                    StringAt(s, {"blueGreen", "activeSelector"}) == split.canary_hash;
    split.canary_weight_percent = switched ? 100 : 0;
    return split;
  }
  split.traffic_routed = canary.contains("trafficRouting") && !canary["trafficRouting"].is_null();
  if (split.traffic_routed) {
    split.canary_weight_percent =
        split.canary_hash.empty()
            ? 0
            : static_cast<int32_t>(IntAt(s, {"canary", "weights", "canary", "weight"}, 0));
    return split;
  }
  int32_t total = split.canary_available + split.stable_available;
  split.canary_weight_percent =
      total == 0 ? 0 : static_cast<int32_t>((200 * split.canary_available + total) / (2 * total));
  return split;
}

}  // namespace fleetsim::rollouts

namespace fleetsim::rollouts {

void RolloutController::Restart(SimDuration downtime) {
  if (restarting_) return;
  restarting_ = true;
  store_.RemoveObserver(watch_);
  watch_ = 0;
  if (flush_ != 0) sim_.Cancel(flush_);
  flush_ = 0;
  queue_.clear();
  queued_.clear();
  for (auto& [key, wake] : wakeups_) sim_.Cancel(wake.second);
  wakeups_.clear();
  memory_.clear();
  sim_.After(downtime, [this] {
    restarting_ = false;
    watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
    Result<std::vector<LiveObject>> rollouts =
        store_.List({"argoproj.io", "Rollout", std::nullopt, {}});
    if (!rollouts.ok()) return;
    for (const LiveObject& r : *rollouts) Enqueue(r.key());
  });
}

}  // namespace fleetsim::rollouts
