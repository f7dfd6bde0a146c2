// The health Lua scripts Argo CD ships (argo-cd resource_customizations/<group>/<Kind>/health.lua)
// for the kinds fleetsim models, transcribed rule by rule, and the documented Application snippet
// (docs/operator-manual/health.md). A script's status that is not a health code gives Unknown
// "Lua returned an invalid health status" (util/lua/lua.go); a script returning an empty table
// gives no health.
#include <fmt/format.h>

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"

namespace fleetsim::health_internal {
namespace {

HealthStatus H(HealthCode code, std::string message) { return {code, std::move(message)}; }

// Lua's `tonumber` on a JSON value: numbers and numeric strings.
std::optional<int64_t> ToNumber(const Json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    size_t used = 0;
    try {
      int64_t n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (...) {
    }
  }
  return std::nullopt;
}

// A status code a script returned: valid codes pass, others are "invalid".
HealthStatus FromScript(std::string_view code, std::string message) {
  if (std::optional<HealthCode> c = ParseHealthCode(code)) return H(*c, std::move(message));
  return H(HealthCode::kUnknown, "Lua returned an invalid health status");
}

// SealedSecret (Synced), ExternalSecret / SecretStore / ClusterSecretStore (Ready): the first
// condition of that type decides; none: Progressing with the script's waiting message.
HealthStatus FirstConditionHealth(const Json& doc, std::string_view type, std::string waiting) {
  const Json& conditions = JsonAt(doc, {"status", "conditions"});
  if (conditions.is_array()) {
    for (const Json& c : conditions) {
      if (StringAt(c, {"type"}) != type) continue;
      std::string status = StringAt(c, {"status"});
      if (status == "False") return H(HealthCode::kDegraded, StringAt(c, {"message"}));
      if (status == "True") return H(HealthCode::kHealthy, StringAt(c, {"message"}));
    }
  }
  return H(HealthCode::kProgressing, std::move(waiting));
}

HealthStatus ClusterExternalSecretHealth(const Json& doc) {
  const Json& conditions = JsonAt(doc, {"status", "conditions"});
  if (conditions.is_array() && !conditions.empty()) {
    const Json& last = conditions.back();
    std::string type = StringAt(last, {"type"});
    bool on = StringAt(last, {"status"}) == "True";
    if (type == "Ready" && on) return H(HealthCode::kHealthy, StringAt(last, {"message"}));
    if ((type == "PartiallyReady" || type == "NotReady") && on) {
      return H(HealthCode::kDegraded, StringAt(last, {"message"}));
    }
  }
  return H(HealthCode::kProgressing, "Waiting for ClusterExternalSecret");
}

// AnalysisRun and Experiment: by status.phase.
std::optional<HealthStatus> PhaseHealth(const Json& doc, bool analysis_run) {
  const Json& status = JsonAt(doc, {"status"});
  if (status.is_null()) {
    return analysis_run ? H(HealthCode::kProgressing,
                            "Waiting for analysis run to finish: status has not been reconciled.")
                        : H(HealthCode::kProgressing,
                            "Waiting for experiment to finish: status has not been reconciled.");
  }
  std::string phase = StringAt(status, {"phase"});
  const Json& msg = JsonAt(status, {"message"});
  auto message_or = [&](const char* fallback) {
    return msg.is_string() ? msg.get<std::string>() : std::string(fallback);
  };
  if (analysis_run) {
    if (phase == "Pending" || phase == "Running")
      return H(HealthCode::kProgressing, "Analysis run is running");
    if (phase == "Successful")
      return H(HealthCode::kHealthy, message_or("Analysis run completed successfully"));
    if (phase == "Failed") return H(HealthCode::kDegraded, message_or("Analysis run failed"));
    if (phase == "Error") return H(HealthCode::kDegraded, message_or("Analysis run had an error"));
    if (phase == "Inconclusive")
      return H(HealthCode::kUnknown, message_or("Analysis run was inconclusive"));
    return std::nullopt;
  }
  if (phase == "Pending") return H(HealthCode::kProgressing, "Experiment is pending");
  if (phase == "Running") return H(HealthCode::kProgressing, "Experiment is running");
  if (phase == "Successful") return H(HealthCode::kHealthy, "Experiment is successful");
  if (phase == "Failed") return H(HealthCode::kDegraded, "Experiment has failed");
  if (phase == "Error") return H(HealthCode::kDegraded, "Experiment had an error");
  return std::nullopt;
}

bool RolloutGenerationObserved(const Json& doc) {
  const Json& status = JsonAt(doc, {"status"});
  if (status.is_null()) return false;
  std::optional<int64_t> observed = ToNumber(JsonAt(status, {"observedGeneration"}));
  int64_t generation = IntAt(doc, {"metadata", "generation"}, 0);
  // No (or a larger) observedGeneration: a v0.9 rollout, taken as observed.
  if (observed && *observed <= generation && *observed != generation) return false;
  if (JsonAt(doc, {"spec", "workloadRef"}).is_null()) return true;
  const Json& annotations = JsonAt(doc, {"metadata", "annotations"});
  if (annotations.is_null()) return true;
  return ToNumber(JsonAt(annotations, {"rollout.argoproj.io/workload-generation"})) ==
         ToNumber(JsonAt(status, {"workloadObservedGeneration"}));
}

HealthStatus RolloutHealth(const Json& doc) {
  if (!RolloutGenerationObserved(doc)) {
    return H(HealthCode::kProgressing, "Waiting for rollout spec update to be observed");
  }
  const Json& status = doc["status"];
  if (status.contains("phase") && !status["phase"].is_null()) {
    std::string phase = StringAt(status, {"phase"});
    return FromScript(phase == "Paused" ? "Suspended" : phase, StringAt(status, {"message"}));
  }
  const Json& conditions = JsonAt(status, {"conditions"});
  if (!conditions.is_array()) {
    return H(HealthCode::kUnknown,
             "<string>:91: bad argument #1 to ipairs (table expected, got nil)");
  }
  for (const Json& c : conditions) {
    std::string type = StringAt(c, {"type"}), reason = StringAt(c, {"reason"});
    if (type == "InvalidSpec" ||
        (type == "Progressing" &&
         (reason == "RolloutAborted" || reason == "ProgressDeadlineExceeded"))) {
      return H(HealthCode::kDegraded, StringAt(c, {"message"}));
    }
  }
  const Json& pauses = JsonAt(status, {"pauseConditions"});
  if ((pauses.is_array() && !pauses.empty()) || BoolAt(doc, {"spec", "paused"})) {
    return H(HealthCode::kSuspended, "Rollout is paused");
  }
  if (JsonAt(status, {"currentPodHash"}).is_null()) {
    return H(HealthCode::kProgressing,
             "Waiting for rollout to finish: status has not been reconciled.");
  }
  int64_t desired = IntAt(doc, {"spec", "replicas"}, 1);
  int64_t replicas = IntAt(status, {"replicas"}, 0);
  int64_t updated = IntAt(status, {"updatedReplicas"}, 0);
  int64_t available = IntAt(status, {"availableReplicas"}, 0);
  if (updated < desired) {
    return H(HealthCode::kProgressing,
             "Waiting for roll out to finish: More replicas need to be updated");
  }
  if (available < updated) {
    return H(HealthCode::kProgressing,
             "Waiting for roll out to finish: updated replicas are still becoming available");
  }
  std::string hash = StringAt(status, {"currentPodHash"});
  std::string stable = status.contains("stableRS") ? StringAt(status, {"stableRS"})
                                                   : StringAt(status, {"canary", "stableRS"});
  if (!JsonAt(doc, {"spec", "strategy", "blueGreen"}).is_null()) {
    if (StringAt(status, {"blueGreen", "activeSelector"}) != hash ||
        JsonAt(status, {"blueGreen"}).is_null()) {
      return H(HealthCode::kProgressing, "active service cutover pending");
    }
    if (!stable.empty() && stable != hash) {
      return H(HealthCode::kProgressing, "waiting for analysis to complete");
    }
  } else if (!JsonAt(doc, {"spec", "strategy", "canary"}).is_null()) {
    if (replicas > updated) {
      return H(HealthCode::kProgressing,
               "Waiting for roll out to finish: old replicas are pending termination");
    }
    if (stable.empty() || stable != hash) {
      return H(HealthCode::kProgressing, "Waiting for rollout to finish steps");
    }
  }
  return H(HealthCode::kHealthy, "");
}

HealthStatus ApplicationSetHealth(const Json& doc) {
  const Json& conditions = JsonAt(doc, {"status", "conditions"});
  auto find = [&](std::string_view type, std::string_view status) -> const Json* {
    if (!conditions.is_array()) return nullptr;
    for (const Json& c : conditions) {
      if (StringAt(c, {"type"}) == type && StringAt(c, {"status"}) == status) return &c;
    }
    return nullptr;
  };
  if (const Json* c = find("ErrorOccurred", "True"))
    return H(HealthCode::kDegraded, StringAt(*c, {"message"}));
  if (const Json* c = find("ResourcesUpToDate", "False"))
    return H(HealthCode::kDegraded, StringAt(*c, {"message"}));
  if (const Json* c = find("RolloutProgressing", "True"))
    return H(HealthCode::kProgressing, StringAt(*c, {"message"}));
  if (const Json* c = find("ResourcesUpToDate", "True"))
    return H(HealthCode::kHealthy, StringAt(*c, {"message"}));
  return H(HealthCode::kProgressing, "Waiting for the status to be reported");
}

HealthStatus CronJobHealth(const Json& doc) {
  if (BoolAt(doc, {"spec", "suspend"})) return H(HealthCode::kHealthy, "CronJob is Suspended");
  const Json& status = JsonAt(doc, {"status"});
  if (status.is_null()) return H(HealthCode::kProgressing, "Waiting for CronJob");
  if (JsonAt(status, {"lastScheduleTime"}).is_null()) {
    return H(HealthCode::kHealthy, "CronJob has not been scheduled yet");
  }
  if (JsonAt(status, {"lastSuccessfulTime"}).is_null()) {
    return H(HealthCode::kHealthy,
             "The CronJob never completed successfully. It may not be healthy");
  }
  const Json& active = JsonAt(status, {"active"});
  if (active.is_array() && !active.empty()) {
    return H(HealthCode::kHealthy,
             "The job is running. Its last execution may not have been successful");
  }
  if (StringAt(status, {"lastSuccessfulTime"}) < StringAt(status, {"lastScheduleTime"})) {
    return H(HealthCode::kDegraded, "CronJob has not completed its last execution successfully");
  }
  return H(HealthCode::kHealthy, "CronJob has completed its last execution successfully");
}

std::optional<HealthStatus> ApplicationHealth(const Json& doc) {
  const Json& health = JsonAt(doc, {"status", "health"});
  if (health.is_null()) return H(HealthCode::kProgressing, "");
  const Json& code = JsonAt(health, {"status"});
  if (!code.is_string()) return std::nullopt;  // hs.status = nil: the script gives no status
  return FromScript(code.get<std::string>(), StringAt(health, {"message"}));
}

}  // namespace

std::optional<HealthStatus> LuaHealth(const Object& obj, const HealthOptions& options,
                                      bool* has_script) {
  *has_script = true;
  const Json& doc = obj.doc();
  const std::string& g = obj.group();
  const std::string& k = obj.kind();
  if (g == "argoproj.io") {
    if (k == "Rollout") return RolloutHealth(doc);
    if (k == "AnalysisRun") return PhaseHealth(doc, true);
    if (k == "Experiment") return PhaseHealth(doc, false);
    if (k == "ApplicationSet") return ApplicationSetHealth(doc);
    if (k == "Application" && options.application_health) return ApplicationHealth(doc);
  } else if (g == "bitnami.com" && k == "SealedSecret") {
    return FirstConditionHealth(doc, "Synced", "Waiting for Sealed Secret to be decrypted");
  } else if (g == "external-secrets.io") {
    if (k == "ExternalSecret")
      return FirstConditionHealth(doc, "Ready", "Waiting for ExternalSecret");
    if (k == "SecretStore") return FirstConditionHealth(doc, "Ready", "Waiting for SecretStore");
    if (k == "ClusterSecretStore") {
      return FirstConditionHealth(doc, "Ready", "Waiting for ClusterSecretStore");
    }
    if (k == "ClusterExternalSecret") return ClusterExternalSecretHealth(doc);
  } else if (g == "batch" && k == "CronJob") {
    return CronJobHealth(doc);
  }
  *has_script = false;
  return std::nullopt;
}

}  // namespace fleetsim::health_internal
