#include "sim/argocd/sync_tasks.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "sim/manifest/json.h"

#include "sim/argocd/sync_options.h"

namespace fleetsim {
namespace {

// pkg/sync/sync_tasks.go kindOrder, itself Helm's releaseutil/kind_sorter.go install order.
constexpr std::array<std::string_view, 35> kKindOrder = {
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
};

// Go's int arithmetic wraps; C++ signed overflow is undefined.
int64_t WrappingAddOne(int64_t v) { return static_cast<int64_t>(static_cast<uint64_t>(v) + 1u); }

std::optional<std::string> NestedString(const Json& doc, std::initializer_list<const char*> path) {
  const Json* node = &doc;
  for (const char* field : path) {
    if (!node->is_object()) return std::nullopt;
    auto it = node->find(field);
    if (it == node->end()) return std::nullopt;
    node = &*it;
  }
  if (!node->is_string()) return std::nullopt;
  return node->get<std::string>();
}

bool IsCrd(const Object& obj) {
  return obj.kind() == "CustomResourceDefinition" && obj.group() == "apiextensions.k8s.io";
}

// syncTasks.adjustDeps: a task that is a dependency (is_dep yields its key) moves to just before
// the first task that references that key (ref_dep), taking its phase and wave.
template <typename IsDep, typename RefDep>
void AdjustDeps(std::vector<SyncTask>& s, IsDep is_dep, RefDep ref_dep) {
  std::map<std::string, size_t> first_index_by_key;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!s[i].target) continue;
    if (std::optional<std::string> dep = is_dep(*s[i].target)) {
      auto it = first_index_by_key.find(*dep);
      if (it == first_index_by_key.end()) continue;
      size_t index = it->second;
      s[i].wave_override = s[index].wave();
      s[i].phase = s[index].phase;
      std::rotate(s.begin() + static_cast<std::ptrdiff_t>(index),
                  s.begin() + static_cast<std::ptrdiff_t>(i),
                  s.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      for (auto& entry : first_index_by_key) {
        if (entry.second >= index) ++entry.second;
      }
    } else if (std::optional<std::string> ref = ref_dep(*s[i].target)) {
      first_index_by_key.emplace(*ref, i);  // keeps the first occurrence
    }
  }
}

std::optional<std::string> NamespaceDep(const Object& obj) {
  if (obj.kind() == "Namespace" && obj.group().empty()) return obj.name();
  return std::nullopt;
}

std::optional<std::string> NamespaceRef(const Object& obj) {
  if (obj.ns().empty()) return std::nullopt;
  return obj.ns();
}

std::optional<std::string> CrdDep(const Object& obj) {
  if (!IsCrd(obj)) return std::nullopt;
  std::optional<std::string> group = NestedString(obj.doc(), {"spec", "group"});
  std::optional<std::string> kind = NestedString(obj.doc(), {"spec", "names", "kind"});
  if (!group || !kind) return std::nullopt;
  return *group + "/" + *kind;
}

std::optional<std::string> CrdRef(const Object& obj) { return obj.group() + "/" + obj.kind(); }

}  // namespace

std::string_view OperationPhaseName(OperationPhase phase) {
  switch (phase) {
    case OperationPhase::kRunning:
      return "Running";
    case OperationPhase::kTerminating:
      return "Terminating";
    case OperationPhase::kFailed:
      return "Failed";
    case OperationPhase::kError:
      return "Error";
    case OperationPhase::kSucceeded:
      return "Succeeded";
  }
  return "";
}

std::string_view ResultCodeName(ResultCode code) {
  switch (code) {
    case ResultCode::kSynced:
      return "Synced";
    case ResultCode::kSyncFailed:
      return "SyncFailed";
    case ResultCode::kPruned:
      return "Pruned";
    case ResultCode::kPruneSkipped:
      return "PruneSkipped";
  }
  return "";
}

SyncTask SyncTask::Make(SyncPhase phase, ObjectPtr target, ObjectPtr live, bool modified) {
  SyncTask t;
  t.phase = phase;
  t.target = std::move(target);
  t.live = std::move(live);
  t.is_hook = IsHook(t.obj());
  t.modified = modified;
  return t;
}

bool SyncTask::HasDeletePolicy(HookDeletePolicy policy) const {
  if (!is_hook) return false;
  std::vector<HookDeletePolicy> policies = HookDeletePolicies(obj());
  return std::find(policies.begin(), policies.end(), policy) != policies.end();
}

int KindOrder(std::string_view kind) {
  for (size_t i = 0; i < kKindOrder.size(); ++i) {
    if (kKindOrder[i] == kind) return static_cast<int>(i) - static_cast<int>(kKindOrder.size());
  }
  return 0;
}

bool SyncTaskLess(const SyncTask& a, const SyncTask& b) {
  if (a.phase != b.phase) return static_cast<int>(a.phase) < static_cast<int>(b.phase);
  if (a.wave() != b.wave()) return a.wave() < b.wave();
  const Object& x = a.obj();
  const Object& y = b.obj();
  if (int kx = KindOrder(x.kind()), ky = KindOrder(y.kind()); kx != ky) return kx < ky;
  if (x.name() != y.name()) return x.name() < y.name();
  // Tiebreaks of our own (upstream leaves these ties unordered).
  if (x.ns() != y.ns()) return x.ns() < y.ns();
  if (x.group() != y.group()) return x.group() < y.group();
  return !a.is_prune() && b.is_prune();
}

void AssignPruneWaves(std::vector<SyncTask>& tasks, const SyncOptions& options) {
  std::set<int64_t> prune_waves;
  for (const SyncTask& t : tasks) {
    if (t.is_prune()) prune_waves.insert(t.wave());
  }
  const std::vector<int64_t> waves(prune_waves.begin(), prune_waves.end());
  std::map<int64_t, int64_t> mirror;
  for (size_t i = 0; i < waves.size(); ++i) mirror[waves[i]] = waves[waves.size() - 1 - i];
  for (SyncTask& t : tasks) {
    if (t.is_prune()) t.wave_override = mirror.at(t.wave());
  }

  // The last Sync-phase wave starts at 0 and counts prune tasks (after mirroring).
  int64_t last_sync_wave = 0;
  for (const SyncTask& t : tasks) {
    if (t.phase == SyncPhase::kSync) last_sync_wave = std::max(last_sync_wave, t.wave());
  }
  const int64_t prune_last_wave = WrappingAddOne(last_sync_wave);
  for (SyncTask& t : tasks) {
    if (t.is_prune() && EffectivePruneLast(t.live.get(), options)) {
      t.wave_override = prune_last_wave;
    }
  }
}

void SortSyncTasks(std::vector<SyncTask>& tasks) {
  std::stable_sort(tasks.begin(), tasks.end(), SyncTaskLess);
  AdjustDeps(tasks, NamespaceDep, NamespaceRef);
  AdjustDeps(tasks, CrdDep, CrdRef);
}

bool IsMultiStep(const std::vector<SyncTask>& tasks) {
  if (tasks.empty()) return false;
  return tasks.front().wave() != tasks.back().wave() || tasks.front().phase != tasks.back().phase;
}

std::string TaskRef(const SyncTask& task) {
  const Object& o = task.obj();
  return o.group() + "/" + o.kind() + "/" + o.name();
}

}  // namespace fleetsim
