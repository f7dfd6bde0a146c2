#include "sim/cluster/validation.h"

#include <string_view>

#include "sim/cluster/api_errors.h"
#include "sim/cluster/label_selector.h"

namespace fleetsim {
namespace {

const Json& Field(const Json& doc, std::string_view a, std::string_view b = {}) {
  static const Json kNull;
  auto it = doc.find(a);
  if (it == doc.end()) return kNull;
  if (b.empty()) return *it;
  if (!it->is_object()) return kNull;
  auto jt = it->find(b);
  return jt == it->end() ? kNull : *jt;
}

std::map<std::string, std::string> StringMap(const Json& j) {
  std::map<std::string, std::string> out;
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

// Go's %#v of a metav1.LabelSelector holding only matchLabels (what manifests use).
std::string GoLabelSelector(const Json& selector) {
  std::string expressions = "[]v1.LabelSelectorRequirement(nil)";
  if (selector.contains("matchExpressions") && !selector["matchExpressions"].empty()) {
    expressions = "[]v1.LabelSelectorRequirement{...}";
  }
  const Json& labels = Field(selector, "matchLabels");
  std::string match =
      labels.is_object() ? GoStringMap(StringMap(labels)) : std::string("map[string]string(nil)");
  return "v1.LabelSelector{MatchLabels:" + match + ", MatchExpressions:" + expressions + "}";
}

bool IsApps(const ApiResource& r, std::string_view kind) {
  return r.group == "apps" && r.kind == kind;
}

bool HasPodTemplateSelector(const ApiResource& r) {
  return IsApps(r, "Deployment") || IsApps(r, "ReplicaSet") || IsApps(r, "DaemonSet") ||
         IsApps(r, "StatefulSet");
}

Status ValidateSelector(const ApiResource& r, const Json& doc, std::string_view name) {
  const Json& spec = Field(doc, "spec");
  const Json& selector = Field(spec, "selector");
  if (selector.is_null()) return InvalidError(r, name, "spec.selector: Required value");
  Result<LabelSelector> parsed = LabelSelector::FromJson(selector);
  if (!parsed.ok()) return InvalidError(r, name, "spec.selector: " + parsed.error());
  if (parsed->empty()) {
    return InvalidError(r, name,
                        "spec.selector: Invalid value: " + GoLabelSelector(selector) +
                            ": empty selector is invalid for deployment");
  }
  auto labels = StringMap(Field(Field(spec, "template"), "metadata", "labels"));
  if (!parsed->Matches(labels)) {
    return InvalidError(r, name,
                        "spec.template.metadata.labels: Invalid value: " + GoStringMap(labels) +
                            ": `selector` does not match template `labels`");
  }
  return Status::Ok();
}

// apps/v1 StatefulSet: only these spec fields may change (ValidateStatefulSetUpdate).
Status ValidateStatefulSetUpdate(const ApiResource& r, const Json& old_doc, const Json& new_doc,
                                 std::string_view name) {
  static constexpr std::string_view kUpdatable[] = {"replicas",
                                                    "ordinals",
                                                    "template",
                                                    "updateStrategy",
                                                    "persistentVolumeClaimRetentionPolicy",
                                                    "minReadySeconds"};
  Json a = Field(old_doc, "spec"), b = Field(new_doc, "spec");
  for (std::string_view f : kUpdatable) {
    if (a.is_object()) a.erase(std::string(f));
    if (b.is_object()) b.erase(std::string(f));
  }
  if (a == b) return Status::Ok();
  return InvalidError(r, name,
                      "spec: Forbidden: updates to statefulset spec for fields other than "
                      "'replicas', 'ordinals', 'template', 'updateStrategy', "
                      "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
}

}  // namespace

std::string GoStringMap(const std::map<std::string, std::string>& m) {
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [k, v] : m) {
    out += (first ? "" : ", ") + Json(k).dump() + ":" + Json(v).dump();
    first = false;
  }
  return out + "}";
}

Status ValidateCreate(const ApiResource& resource, const Json& doc) {
  std::string name = Field(doc, "metadata", "name").is_string()
                         ? Field(doc, "metadata", "name").get<std::string>()
                         : "";
  if (name.empty()) {
    return InvalidError(resource, name,
                        "metadata.name: Required value: name or generateName is required");
  }
  if (HasPodTemplateSelector(resource)) return ValidateSelector(resource, doc, name);
  return Status::Ok();
}

Status ValidateUpdate(const ApiResource& resource, const Json& old_doc, const Json& new_doc) {
  std::string name = Field(new_doc, "metadata", "name").get<std::string>();
  if (HasPodTemplateSelector(resource)) {
    if (Status s = ValidateSelector(resource, new_doc, name); !s.ok()) return s;
  }
  const Json& old_selector = Field(Field(old_doc, "spec"), "selector");
  const Json& new_selector = Field(Field(new_doc, "spec"), "selector");
  if (IsApps(resource, "StatefulSet")) {
    return ValidateStatefulSetUpdate(resource, old_doc, new_doc, name);
  }
  bool job = resource.group == "batch" && resource.kind == "Job";
  if ((HasPodTemplateSelector(resource) || job) && old_selector != new_selector) {
    return InvalidError(
        resource, name,
        "spec.selector: Invalid value: " + GoLabelSelector(new_selector) + ": field is immutable");
  }
  if (job &&
      Field(Field(old_doc, "spec"), "template") != Field(Field(new_doc, "spec"), "template")) {
    return InvalidError(resource, name,
                        "spec.template: Invalid value: core.PodTemplateSpec{...}: field is "
                        "immutable");
  }
  return Status::Ok();
}

}  // namespace fleetsim
