// argocd: controller settings, each defaulting to Argo CD's own (ArgoCdSettings).
#include <limits>

#include "sim/scenario/load_sections.h"

namespace fleetsim {
namespace {

constexpr int64_t kMaxWorkers = 100000;
constexpr int64_t kMaxReplicas = 1000;
constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

const std::vector<std::string_view> kKeys = {
    "reconcileInterval",       "reconcileJitter",
    "hardReconcileInterval",   "appsetRequeue",
    "repoErrorGracePeriod",    "selfHealBackoffTimeout",
    "selfHealBackoffFactor",   "selfHealBackoffCap",
    "syncWaveDelay",           "statusProcessors",
    "operationProcessors",     "controllerReplicas",
    "kubectlParallelismLimit", "repoServerParallelism",
    "applicationsSyncPolicy",  "applicationsSyncPolicyOverride",
    "kubeClientQPS",           "kubeClientBurst",
    "shardingAlgorithm",       "appsetProgressiveSyncs"};

// The controller-wide ApplicationSet policy; "" means none (each ApplicationSet's own applies).
const std::vector<std::string_view> kSyncPolicies = {"", "create-only", "create-update",
                                                     "create-delete", "sync"};
const std::vector<std::string_view> kShardingAlgorithms = {"legacy", "round-robin",
                                                           "consistent-hashing"};

void ReadDurations(const YamlNode& node, ArgoCdSettings* a) {
  a->reconcile_interval = node.Duration("reconcileInterval", a->reconcile_interval);
  a->reconcile_jitter = node.Duration("reconcileJitter", a->reconcile_jitter);
  a->hard_reconcile_interval = node.Duration("hardReconcileInterval", a->hard_reconcile_interval);
  a->appset_requeue = node.Duration("appsetRequeue", a->appset_requeue);
  a->repo_error_grace_period = node.Duration("repoErrorGracePeriod", a->repo_error_grace_period);
  a->self_heal_backoff_timeout =
      node.Duration("selfHealBackoffTimeout", a->self_heal_backoff_timeout);
  a->self_heal_backoff_cap = node.Duration("selfHealBackoffCap", a->self_heal_backoff_cap);
  a->sync_wave_delay = node.Duration("syncWaveDelay", a->sync_wave_delay);
}

void ReadCounts(const YamlNode& node, ArgoCdSettings* a) {
  a->self_heal_backoff_factor =
      node.Int("selfHealBackoffFactor", a->self_heal_backoff_factor, 1, kMaxWorkers);
  a->status_processors = node.Int("statusProcessors", a->status_processors, 1, kMaxWorkers);
  a->operation_processors =
      node.Int("operationProcessors", a->operation_processors, 1, kMaxWorkers);
  a->controller_replicas = node.Int("controllerReplicas", a->controller_replicas, 1, kMaxReplicas);
  a->kubectl_parallelism_limit =
      node.Int("kubectlParallelismLimit", a->kubectl_parallelism_limit, 1, kMaxWorkers);
  a->repo_server_parallelism =
      node.Int("repoServerParallelism", a->repo_server_parallelism, 0, kMaxWorkers);
  a->kube_client_burst = node.Int("kubeClientBurst", a->kube_client_burst, 1, kUnbounded);
  YamlNode qps = node.Get("kubeClientQPS");
  if (qps.present()) {
    a->kube_client_qps = qps.AsNumber();
    if (node.ok() && a->kube_client_qps <= 0) qps.Fail("kubeClientQPS must be greater than 0");
  }
}

}  // namespace

ArgoCdSettings LoadArgoCd(const YamlNode& node) {
  ArgoCdSettings a;
  if (!node.CheckKeys(kKeys)) return a;
  ReadDurations(node, &a);
  ReadCounts(node, &a);
  if (node.Has("applicationsSyncPolicy")) {
    a.applications_sync_policy =
        ReadChoice(node.Get("applicationsSyncPolicy"), "applicationsSyncPolicy", kSyncPolicies);
  }
  // Argo CD: --enable-policy-override defaults to true exactly when no policy is set.
  a.applications_sync_policy_override =
      node.Bool("applicationsSyncPolicyOverride", a.applications_sync_policy.empty());
  a.appset_progressive_syncs = node.Bool("appsetProgressiveSyncs", a.appset_progressive_syncs);
  if (node.Has("shardingAlgorithm")) {
    a.sharding_algorithm =
        ReadChoice(node.Get("shardingAlgorithm"), "shardingAlgorithm", kShardingAlgorithms);
  }
  return a;
}

}  // namespace fleetsim
