// The small controllers a working cluster has, whose only visible effect is a status that health
// checks read: the default StorageClass's provisioner binds PVCs, a cloud load balancer / ingress
// controller gives LoadBalancer Services and Ingresses an address, the HPA controller keeps its
// target's replicas within [minReplicas, maxReplicas] and reports its conditions (no metric-driven
// scaling), and the aggregator marks APIServices Available.
#include <algorithm>

#include <fmt/format.h>

#include "engine/random.h"
#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

Json Condition(std::string_view type, std::string_view status, std::string_view reason,
               std::string_view message, const std::string& now) {
  return {{"type", type},
          {"status", status},
          {"reason", reason},
          {"message", message},
          {"lastTransitionTime", now}};
}

}  // namespace

void WorkloadController::ReconcilePvc(const LiveObject& pvc) {
  const Json& doc = pvc.doc();
  std::string phase = StringAt(doc, {"status", "phase"});
  if (phase == "Bound" || phase == "Lost" || pvc.being_deleted()) return;
  // An explicit empty storageClassName asks for a pre-provisioned volume: none exists here.
  const Json& sc = JsonAt(doc, {"spec", "storageClassName"});
  bool provisioned = !(sc.is_string() && sc.get<std::string>().empty());
  SimTime bind_at = pvc.created + config_.pvc_bind_delay;
  if (!provisioned || sim_.now() < bind_at) {
    if (phase != "Pending") store_.UpdateStatus(pvc.key(), {{"phase", "Pending"}});
    if (provisioned) WakeAt(pvc.key(), bind_at);
    return;
  }
  Json status = {{"phase", "Bound"}};
  if (const Json& modes = JsonAt(doc, {"spec", "accessModes"}); !modes.is_null())
    status["accessModes"] = modes;
  if (const Json& size = JsonAt(doc, {"spec", "resources", "requests", "storage"});
      !size.is_null()) {
    status["capacity"] = {{"storage", size}};
  }
  store_.UpdateStatus(pvc.key(), std::move(status));
}

void WorkloadController::ReconcileLoadBalancer(const LiveObject& obj) {
  const Json& doc = obj.doc();
  bool service = obj.key().kind == "Service";
  if (service && StringAt(doc, {"spec", "type"}) != "LoadBalancer") return;
  const Json& ingress = JsonAt(doc, {"status", "loadBalancer", "ingress"});
  if ((ingress.is_array() && !ingress.empty()) || obj.being_deleted()) return;
  SimTime ready_at = obj.created + config_.load_balancer_delay;
  if (sim_.now() < ready_at) {
    WakeAt(obj.key(), ready_at);
    return;
  }
  uint64_t h = HashName(store_.cluster() + "/" + obj.key().ToString());
  std::string ip = fmt::format("203.0.{}.{}", (h >> 8) % 256, 1 + h % 254);
  Json status = obj.status().is_object() ? obj.status() : Json::object();
  status["loadBalancer"] = {{"ingress", Json::array({{{"ip", ip}}})}};
  store_.UpdateStatus(obj.key(), std::move(status));
}

void WorkloadController::ReconcileHpa(const LiveObject& hpa) {
  if (hpa.being_deleted()) return;
  const Json& spec = JsonAt(hpa.doc(), {"spec"});
  const Json& ref = JsonAt(spec, {"scaleTargetRef"});
  ObjectKey target{GroupOf(StringAt(ref, {"apiVersion"})), StringAt(ref, {"kind"}), hpa.key().ns,
                   StringAt(ref, {"name"})};
  hpa_targets_[target].insert(hpa.key());
  std::string now = Now();
  const LiveObject* live = store_.Find(target);
  Json conditions = Json::array();
  Json status = Json::object();
  if (live == nullptr) {
    const ApiResource* r = store_.resources().FindKind(target.group, target.kind);
    std::string resource = r ? r->plural + "/scale" + (r->group.empty() ? "" : "." + r->group)
                             : target.kind + "/scale";
    conditions.push_back(Condition("AbleToScale", "False", "FailedGetScale",
                                   fmt::format("the HPA controller was unable to get the target's "
                                               "current scale: {} \"{}\" not found",
                                               resource, target.name),
                                   now));
  } else {
    int64_t current = IntAt(live->doc(), {"spec", "replicas"}, 1);
    int64_t desired =
        std::clamp(current, IntAt(spec, {"minReplicas"}, 1),
                   std::max(IntAt(spec, {"maxReplicas"}, 1), IntAt(spec, {"minReplicas"}, 1)));
    if (desired != current) store_.Patch(target, {{"spec", {{"replicas", desired}}}});
    status = {{"currentReplicas", current}, {"desiredReplicas", desired}};
    conditions.push_back(Condition("AbleToScale", "True", "ReadyForNewScale",
                                   "recommended size matches current size", now));
    conditions.push_back(Condition("ScalingActive", "True", "ValidMetricFound",
                                   "the HPA was able to successfully calculate a replica count",
                                   now));
    conditions.push_back(Condition("ScalingLimited", "False", "DesiredWithinRange",
                                   "the desired count is within the acceptable range", now));
  }
  // Keep transition times of unchanged conditions, so a resync writes nothing new.
  auto stable = [&](Json& list, const Json& before) {
    for (Json& c : list) {
      if (!before.is_array()) continue;
      for (const Json& old : before) {
        if (StringAt(old, {"type"}) == StringAt(c, {"type"}) &&
            StringAt(old, {"status"}) == StringAt(c, {"status"}) &&
            StringAt(old, {"reason"}) == StringAt(c, {"reason"})) {
          c = old;
        }
      }
    }
  };
  if (hpa.object->api_version() == "autoscaling/v1") {
    Json before = Json::parse(
        std::string(hpa.object->annotation("autoscaling.alpha.kubernetes.io/conditions")), nullptr,
        false);
    stable(conditions, before.is_array() ? before : Json::array());
    std::string text = conditions.dump();
    if (hpa.object->annotation("autoscaling.alpha.kubernetes.io/conditions") != text) {
      store_.Patch(hpa.key(),
                   {{"metadata",
                     {{"annotations", {{"autoscaling.alpha.kubernetes.io/conditions", text}}}}}});
    }
  } else {
    stable(conditions, JsonAt(hpa.doc(), {"status", "conditions"}));
    status["conditions"] = conditions;
  }
  if (const LiveObject* latest = store_.Find(hpa.key());
      latest != nullptr && status != latest->status()) {
    store_.UpdateStatus(hpa.key(), std::move(status));
  }
}

void WorkloadController::ReconcileApiService(const LiveObject& api_service) {
  if (FindCondition(api_service.doc(), {"status", "conditions"}, "Available") != nullptr) return;
  bool local = JsonAt(api_service.doc(), {"spec", "service"}).is_null();
  Json condition =
      Condition("Available", "True", local ? "Local" : "Passed",
                local ? "Local APIServices are always available" : "all checks passed", Now());
  store_.UpdateStatus(api_service.key(), {{"conditions", Json::array({condition})}});
}

}  // namespace fleetsim
