// Resource health as Argo CD assesses it: gitops-engine's pkg/health built-in checks (vendored in
// argo-cd 3.x at gitops-engine/pkg/health) and the health Lua scripts Argo CD ships in
// resource_customizations/ for the kinds fleetsim models, with the same codes, order and messages.
//
// Checks read the live document as the API server would have defaulted it: a missing
// spec.replicas is 1, a missing StatefulSet updateStrategy is RollingUpdate with partition 0, a
// missing DaemonSet updateStrategy is RollingUpdate, a missing Pod restartPolicy is Always
// (fleetsim's store keeps documents as applied, without defaulting).
#ifndef FLEETSIM_SIM_CLUSTER_HEALTH_H_
#define FLEETSIM_SIM_CLUSTER_HEALTH_H_

#include <optional>
#include <string>
#include <string_view>

#include "sim/manifest/object.h"

namespace fleetsim {

// Best to worst, as gitops-engine's healthOrder.
enum class HealthCode { kHealthy, kSuspended, kProgressing, kMissing, kDegraded, kUnknown };

std::string_view HealthCodeName(HealthCode code);  // "Healthy", ...
std::optional<HealthCode> ParseHealthCode(std::string_view name);
// gitops-engine's IsWorse: whether `candidate` is worse than `current`.
bool IsWorse(HealthCode current, HealthCode candidate);

struct HealthStatus {
  HealthCode code = HealthCode::kHealthy;
  std::string message;
  bool operator==(const HealthStatus&) const = default;
};

struct HealthOptions {
  // The documented `resource.customizations.health.argoproj.io_Application` Lua snippet is
  // configured (app-of-apps wave gating); without it an Application has no health.
  bool application_health = false;
};

// The object's health, or nullopt for a kind without any check (ConfigMap, Secret, ...), which
// Argo CD ignores in app health and counts as success in sync waves. In order: an object with a
// deletionTimestamp (and without the hook finalizer) is Progressing "Pending deletion"; then the
// Lua checks; then the built-in checks. A document the check cannot read gives Unknown with the
// conversion error, as in gitops-engine.
std::optional<HealthStatus> GetResourceHealth(const Object& obj, const HealthOptions& options = {});

// ---- Internal: the checks by family (health_workloads.cc, health_lua.cc). ----
namespace health_internal {
std::optional<HealthStatus> DeploymentHealth(const Object& obj);
std::optional<HealthStatus> StatefulSetHealth(const Object& obj);
std::optional<HealthStatus> DaemonSetHealth(const Object& obj);
std::optional<HealthStatus> ReplicaSetHealth(const Object& obj);
// nullopt when Argo CD ships no health Lua for this kind (or it yields no status).
std::optional<HealthStatus> LuaHealth(const Object& obj, const HealthOptions& options,
                                      bool* has_script);
}  // namespace health_internal

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_HEALTH_H_
