// gitops-engine pkg/health: health.go (order, dispatch), health_pod.go, health_job.go,
// health_pvc.go, health_service.go, health_ingress.go, health_hpa.go, health_apiservice.go,
// health_argo.go. The apps/v1 workload checks are in health_workloads.cc, the Lua ones in
// health_lua.cc.
#include "sim/cluster/health.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"

namespace fleetsim {
namespace {

using namespace health_internal;

constexpr std::array<std::string_view, 6> kCodeNames = {"Healthy", "Suspended", "Progressing",
                                                        "Missing", "Degraded",  "Unknown"};

HealthStatus H(HealthCode code, std::string message) { return {code, std::move(message)}; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string> SplitCsv(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = std::min(s.find(',', i), s.size());
    std::string part(s.substr(i, j - i));
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) out.push_back(part);
    i = j + 1;
  }
  return out;
}

// gitops-engine hook.IsHook: an Argo CD hook annotation that is not only "Skip", else a Helm hook
// other than crd-install.
bool IsHook(const Object& obj) {
  if (obj.annotations().count("argocd.argoproj.io/hook") != 0) {
    std::vector<std::string> types = SplitCsv(obj.annotation("argocd.argoproj.io/hook"));
    static constexpr std::string_view kTypes[] = {"PreSync",   "Sync",       "PostSync", "SyncFail",
                                                  "PreDelete", "PostDelete", "Skip"};
    std::vector<std::string> valid;
    for (const std::string& t : types) {
      if (std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes))
        valid.push_back(t);
    }
    bool skip_only = valid.size() == 1 && valid[0] == "Skip";
    return !skip_only;
  }
  auto helm = obj.annotations().find("helm.sh/hook");
  return helm != obj.annotations().end() && helm->second != "crd-install";
}

std::string ContainerFailMessage(const Json& cs) {
  const Json& term = JsonAt(cs, {"state", "terminated"});
  if (!term.is_object()) return "";
  if (std::string m = StringAt(term, {"message"}); !m.empty()) return m;
  if (StringAt(term, {"reason"}) == "OOMKilled") return "OOMKilled";
  int64_t code = IntAt(term, {"exitCode"}, 0);
  if (code != 0)
    return fmt::format("container \"{}\" failed with exit code {}", StringAt(cs, {"name"}), code);
  return "";
}

HealthStatus PodHealth(const Object& obj) {
  const Json& doc = obj.doc();
  std::string policy = StringAt(doc, {"spec", "restartPolicy"});
  if (policy.empty()) policy = "Always";
  bool ignore_policy =
      obj.annotation("argocd.argoproj.io/ignore-restart-policy") == "true" && !IsHook(obj);
  bool long_running = policy == "Always" || ignore_policy;
  const Json& statuses = JsonAt(doc, {"status", "containerStatuses"});
  if (long_running && statuses.is_array()) {
    std::string messages;
    bool degraded = false;
    for (const Json& cs : statuses) {
      const Json& waiting = JsonAt(cs, {"state", "waiting"});
      if (!waiting.is_object()) continue;
      std::string reason = StringAt(waiting, {"reason"});
      if (reason.starts_with("Err") || EndsWith(reason, "Error") || EndsWith(reason, "BackOff")) {
        messages += (degraded ? ", " : "") + StringAt(waiting, {"message"});
        degraded = true;
      }
    }
    if (degraded) return H(HealthCode::kDegraded, messages);
  }
  std::string message = StringAt(doc, {"status", "message"});
  std::string phase = StringAt(doc, {"status", "phase"});
  if (phase == "Pending") return H(HealthCode::kProgressing, message);
  if (phase == "Succeeded") return H(HealthCode::kHealthy, message);
  if (phase == "Failed") {
    if (!message.empty()) return H(HealthCode::kDegraded, message);
    for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
      const Json& l = JsonAt(doc, {"status", list});
      if (!l.is_array()) continue;
      for (const Json& cs : l) {
        if (std::string m = ContainerFailMessage(cs); !m.empty())
          return H(HealthCode::kDegraded, m);
      }
    }
    return H(HealthCode::kDegraded, "");
  }
  if (phase == "Running") {
    if (long_running) {
      const Json* ready = FindCondition(doc, {"status", "conditions"}, "Ready");
      if (ready != nullptr && StringAt(*ready, {"status"}) == "True") {
        return H(HealthCode::kHealthy, message);
      }
      if (statuses.is_array()) {
        for (const Json& cs : statuses) {
          if (JsonAt(cs, {"lastState", "terminated"}).is_object())
            return H(HealthCode::kDegraded, message);
        }
      }
      return H(HealthCode::kProgressing, message);
    }
    if (policy == "OnFailure" || policy == "Never") return H(HealthCode::kProgressing, message);
  }
  return H(HealthCode::kUnknown, message);
}

// health_job.go as vendored in argo-cd 3.x (a Suspended job reports the condition's message).
HealthStatus JobHealth(const Json& doc) {
  bool failed = false, complete = false, suspended = false;
  std::string fail_message, message;
  const Json& conditions = JsonAt(doc, {"status", "conditions"});
  if (conditions.is_array()) {
    for (const Json& c : conditions) {
      std::string type = StringAt(c, {"type"});
      if (type == "Failed") {
        failed = complete = true;
        fail_message = StringAt(c, {"message"});
      } else if (type == "Complete") {
        complete = true;
        message = StringAt(c, {"message"});
      } else if (type == "Suspended") {
        complete = true;
        message = StringAt(c, {"message"});
        if (StringAt(c, {"status"}) == "True") suspended = true;
      }
    }
  }
  if (!complete) return H(HealthCode::kProgressing, message);
  if (failed) return H(HealthCode::kDegraded, fail_message);
  if (suspended) return H(HealthCode::kSuspended, message);
  return H(HealthCode::kHealthy, message);
}

HealthStatus PvcHealth(const Json& doc) {
  std::string phase = StringAt(doc, {"status", "phase"});
  if (phase == "Lost") return H(HealthCode::kDegraded, "");
  if (phase == "Pending") return H(HealthCode::kProgressing, "");
  if (phase == "Bound") return H(HealthCode::kHealthy, "");
  return H(HealthCode::kUnknown, "");
}

bool HasLoadBalancerIngress(const Json& doc) {
  const Json& ingress = JsonAt(doc, {"status", "loadBalancer", "ingress"});
  return ingress.is_array() && !ingress.empty();
}

HealthStatus ServiceHealth(const Json& doc) {
  if (StringAt(doc, {"spec", "type"}) == "LoadBalancer" && !HasLoadBalancerIngress(doc)) {
    return H(HealthCode::kProgressing, "");
  }
  return H(HealthCode::kHealthy, "");
}

HealthStatus HpaConditions(const Json& conditions) {
  if (conditions.is_array()) {
    for (const Json& c : conditions) {
      // encoding/json matches field names case-insensitively (the v1 annotation's keys).
      auto field = [&](std::string_view lower, std::string_view upper) {
        std::string v = StringAt(c, {lower});
        return v.empty() ? StringAt(c, {upper}) : v;
      };
      std::string type = field("type", "Type"), reason = field("reason", "Reason");
      std::string status = field("status", "Status"), message = field("message", "Message");
      bool degraded = (type == "AbleToScale" &&
                       (reason == "FailedGetScale" || reason == "FailedUpdateScale")) ||
                      (type == "ScalingActive" &&
                       (reason == "FailedGetResourceMetric" || reason == "InvalidSelector"));
      if (degraded) return H(HealthCode::kDegraded, message);
      if ((type == "AbleToScale" || type == "ScalingLimited") && status == "True") {
        return H(HealthCode::kHealthy, message);
      }
    }
  }
  return H(HealthCode::kProgressing, "Waiting to Autoscale");
}

HealthStatus HpaHealth(const Object& obj) {
  const std::string& v = obj.api_version();
  if (v == "autoscaling/v2") return HpaConditions(JsonAt(obj.doc(), {"status", "conditions"}));
  if (v != "autoscaling/v1") {
    return H(HealthCode::kUnknown,
             "unsupported HPA GVK: " + GvkString(v, "HorizontalPodAutoscaler"));
  }
  auto it = obj.annotations().find("autoscaling.alpha.kubernetes.io/conditions");
  if (it == obj.annotations().end()) return H(HealthCode::kProgressing, "Waiting to Autoscale");
  Json conditions = Json::parse(it->second, nullptr, false);
  if (conditions.is_discarded() || !(conditions.is_array() || conditions.is_null())) {
    return H(HealthCode::kUnknown,
             "failed to convert conditions annotation to typed: invalid JSON");
  }
  return HpaConditions(conditions);
}

HealthStatus ApiServiceHealth(const Object& obj) {
  const std::string& v = obj.api_version();
  if (v != "apiregistration.k8s.io/v1" && v != "apiregistration.k8s.io/v1beta1") {
    return H(HealthCode::kUnknown, "unsupported APIService GVK: " + GvkString(v, "APIService"));
  }
  const Json* c = FindCondition(obj.doc(), {"status", "conditions"}, "Available");
  if (c == nullptr) return H(HealthCode::kProgressing, "Waiting to be processed");
  std::string message = StringAt(*c, {"reason"}) + ": " + StringAt(*c, {"message"});
  return H(StringAt(*c, {"status"}) == "True" ? HealthCode::kHealthy : HealthCode::kProgressing,
           message);
}

HealthStatus WorkflowHealth(const Json& doc) {
  std::string phase = StringAt(doc, {"status", "phase"});
  std::string message = StringAt(doc, {"status", "message"});
  if (phase.empty() || phase == "Pending" || phase == "Running")
    return H(HealthCode::kProgressing, message);
  if (phase == "Succeeded") return H(HealthCode::kHealthy, message);
  if (phase == "Failed" || phase == "Error") return H(HealthCode::kDegraded, message);
  return H(HealthCode::kUnknown, message);
}

std::optional<HealthStatus> BuiltInHealth(const Object& obj) {
  const std::string& g = obj.group();
  const std::string& k = obj.kind();
  const Json& doc = obj.doc();
  if (g == "apps") {
    if (k == "Deployment") return DeploymentHealth(obj);
    if (k == "StatefulSet") return StatefulSetHealth(obj);
    if (k == "ReplicaSet") return ReplicaSetHealth(obj);
    if (k == "DaemonSet") return DaemonSetHealth(obj);
  } else if ((g == "extensions" || g == "networking.k8s.io") && k == "Ingress") {
    return H(HasLoadBalancerIngress(doc) ? HealthCode::kHealthy : HealthCode::kProgressing, "");
  } else if (g == "argoproj.io" && k == "Workflow") {
    return WorkflowHealth(doc);
  } else if (g == "apiregistration.k8s.io" && k == "APIService") {
    return ApiServiceHealth(obj);
  } else if (g.empty()) {
    if (obj.api_version() != "v1" &&
        (k == "Service" || k == "PersistentVolumeClaim" || k == "Pod")) {
      return H(HealthCode::kUnknown,
               fmt::format("unsupported {} GVK: {}", k, GvkString(obj.api_version(), k)));
    }
    if (k == "Service") return ServiceHealth(doc);
    if (k == "PersistentVolumeClaim") return PvcHealth(doc);
    if (k == "Pod") return PodHealth(obj);
  } else if (g == "batch" && k == "Job") {
    if (obj.api_version() != "batch/v1") {
      return H(HealthCode::kUnknown, "unsupported Job GVK: " + GvkString(obj.api_version(), k));
    }
    return JobHealth(doc);
  } else if (g == "autoscaling" && k == "HorizontalPodAutoscaler") {
    return HpaHealth(obj);
  }
  return std::nullopt;
}

}  // namespace

std::string_view HealthCodeName(HealthCode code) { return kCodeNames[static_cast<size_t>(code)]; }

std::optional<HealthCode> ParseHealthCode(std::string_view name) {
  for (size_t i = 0; i < kCodeNames.size(); ++i) {
    if (kCodeNames[i] == name) return static_cast<HealthCode>(i);
  }
  return std::nullopt;
}

bool IsWorse(HealthCode current, HealthCode candidate) {
  return static_cast<int>(candidate) > static_cast<int>(current);
}

std::optional<HealthStatus> GetResourceHealth(const Object& obj, const HealthOptions& options) {
  const Json& deletion = JsonAt(obj.doc(), {"metadata", "deletionTimestamp"});
  const auto& finalizers = obj.finalizers();
  bool hook_finalizer = std::find(finalizers.begin(), finalizers.end(),
                                  "argocd.argoproj.io/hook-finalizer") != finalizers.end();
  if (!deletion.is_null() && !hook_finalizer)
    return H(HealthCode::kProgressing, "Pending deletion");
  bool has_script = false;
  std::optional<HealthStatus> lua = LuaHealth(obj, options, &has_script);
  if (has_script) return lua;
  return BuiltInHealth(obj);
}

}  // namespace fleetsim
