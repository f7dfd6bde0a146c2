#include "sim/scenario/metric_names.h"

#include <algorithm>

namespace fleetsim {

const std::vector<std::string>& KnownMetrics() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names = {
        "apps_generated",
        "apps_deleted",
        "apps_deletion_pending",
        "resources_deleted",
        "resources_orphaned",
        "workloads_unavailable_max",
        "clusters_affected",
        "downtime_seconds",
        "data_loss_pvcs",
        "time_to_first_impact_seconds",
        "convergence_p50_seconds",
        "convergence_p90_seconds",
        "convergence_p99_seconds",
        "convergence_max_seconds",
        "converged_fraction",
        "fleet_convergence_seconds",
        "recovery_p50_seconds",
        "recovery_p99_seconds",
        "recovery_max_seconds",
        "syncs",
        "sync_failures",
        "selfheal_reverts",
        "refreshes",
        "rollbacks",
        "bad_requests",
        "canary_exposure_seconds",
        "rto_seconds",
        "secrets_unrecoverable",
        "notifications_sent",
        "notifications_on_sync_failed",
        "notifications_on_health_degraded",
        "notifications_on_sync_succeeded",
        "notifications_on_deployed",
        "events_processed",
        "sim_seconds",
    };
    std::sort(names.begin(), names.end());
    return names;
  }();
  return kNames;
}

bool IsKnownMetric(std::string_view name) {
  const std::vector<std::string>& names = KnownMetrics();
  return std::binary_search(names.begin(), names.end(), name);
}

}  // namespace fleetsim
