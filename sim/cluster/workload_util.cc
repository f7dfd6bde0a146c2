#include "sim/cluster/workload_util.h"

#include <vector>

#include "sim/cluster/json_fields.h"

namespace fleetsim::workload {
namespace {

constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

}  // namespace

std::string TemplateHash(const Json& pod_template) {
  uint32_t h = static_cast<uint32_t>(HashJson(pod_template));
  std::string out;
  for (char c : std::to_string(h))
    out += kSafeAlphabet[static_cast<size_t>(c) % kSafeAlphabet.size()];
  return out;
}

Json ControllerRef(const LiveObject& owner) {
  // Built member by member: cheaper than nlohmann's initializer lists, on a path run per pod.
  Json ref = Json::object();
  ref["apiVersion"] = owner.object->api_version();
  ref["blockOwnerDeletion"] = true;
  ref["controller"] = true;
  ref["kind"] = owner.key().kind;
  ref["name"] = owner.key().name;
  ref["uid"] = owner.uid;
  return ref;
}

std::optional<ObjectKey> ControllerOf(const Object& obj) {
  for (const OwnerReference& ref : obj.owner_references()) {
    if (ref.controller) return ObjectKey{GroupOf(ref.api_version), ref.kind, obj.ns(), ref.name};
  }
  return std::nullopt;
}

Json PodFromTemplate(const Json& pod_template, const std::string& ns, const std::string& name,
                     const std::string& name_prefix, const Json& owner_ref,
                     const std::map<std::string, std::string>& extra_labels) {
  Json meta = Json::object();
  meta["namespace"] = ns;
  if (name.empty()) {
    meta["generateName"] = name_prefix;
  } else {
    meta["name"] = name;
  }
  Json labels = JsonAt(pod_template, {"metadata", "labels"});
  if (!labels.is_object()) labels = Json::object();
  for (const auto& [k, v] : extra_labels) labels[k] = v;
  meta["labels"] = std::move(labels);
  const Json& annotations = JsonAt(pod_template, {"metadata", "annotations"});
  if (annotations.is_object()) meta["annotations"] = annotations;
  if (!owner_ref.is_null()) meta["ownerReferences"] = Json::array({owner_ref});
  Json spec = JsonAt(pod_template, {"spec"});
  if (!spec.is_object()) spec = Json::object();
  if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
  Json pod = Json::object();
  pod["apiVersion"] = "v1";
  pod["kind"] = "Pod";
  pod["metadata"] = std::move(meta);
  pod["spec"] = std::move(spec);
  return pod;
}

std::string PodPhase(const Object& pod) { return StringAt(pod.doc(), {"status", "phase"}); }

bool PodReady(const Object& pod) {
  const Json* c = FindCondition(pod.doc(), {"status", "conditions"}, "Ready");
  return c != nullptr && StringAt(*c, {"status"}) == "True";
}

bool PodActive(const LiveObject& pod) {
  if (pod.being_deleted()) return false;
  std::string phase = PodPhase(*pod.object);
  return phase != "Succeeded" && phase != "Failed";
}

void RemoveCondition(Json& conditions, std::string_view type) {
  if (!conditions.is_array()) return;
  Json kept = Json::array();
  for (Json& c : conditions) {
    if (StringAt(c, {"type"}) != type) kept.push_back(std::move(c));
  }
  conditions = std::move(kept);
}

void SetCondition(Json& conditions, std::string_view type, std::string_view status,
                  std::string_view reason, std::string_view message, const std::string& now,
                  bool with_update_time, bool refresh_update_time) {
  if (!conditions.is_array()) conditions = Json::array();
  std::string transition = now;
  for (const Json& c : conditions) {
    if (StringAt(c, {"type"}) != type) continue;
    bool same_status = StringAt(c, {"status"}) == status;
    if (same_status && StringAt(c, {"reason"}) == reason && !refresh_update_time) return;
    if (same_status) transition = StringAt(c, {"lastTransitionTime"});
  }
  RemoveCondition(conditions, type);
  Json c = Json::object();
  c["type"] = type;
  c["status"] = status;
  c["lastTransitionTime"] = std::move(transition);
  if (with_update_time) c["lastUpdateTime"] = now;
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  conditions.push_back(std::move(c));
}

int64_t ScaledValue(const Json& int_or_percent, int64_t total, bool round_up, int64_t fallback) {
  if (int_or_percent.is_number_integer()) return int_or_percent.get<int64_t>();
  if (!int_or_percent.is_string()) return fallback;
  std::string s = int_or_percent.get<std::string>();
  if (s.empty() || s.back() != '%') return fallback;
  int64_t pct = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return fallback;
    pct = pct * 10 + (s[i] - '0');
  }
  int64_t scaled = pct * total;
  return round_up ? (scaled + 99) / 100 : scaled / 100;
}

void DropZeroFields(Json& status) {
  std::vector<std::string> drop;
  for (const auto& [k, v] : status.items()) {
    if ((v.is_number_integer() && v.get<int64_t>() == 0) || v.is_null() ||
        (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty())) {
      drop.push_back(k);
    }
  }
  for (const std::string& k : drop) status.erase(k);
}

}  // namespace fleetsim::workload
