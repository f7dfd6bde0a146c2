#include "sim/argocd/sync_task_builder.h"

#include <memory>
#include <optional>

#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

ObjectPtr WithMetadata(const Object& obj, const char* field, const std::string& value) {
  Json doc = obj.doc();
  Json& metadata = doc["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  metadata[field] = value;
  return std::make_shared<const Object>(std::move(doc));
}

// sc.liveObj: a live object of the same group, kind and name whose namespace is the target's, or
// empty (cluster-scoped objects have none, whatever namespace the target carries).
ObjectPtr FindLive(SyncTarget& cluster, const ObjectKey& key) {
  if (ObjectPtr live = cluster.GetLive(key)) return live;
  if (key.ns.empty()) return nullptr;
  ObjectKey cluster_scoped = key;
  cluster_scoped.ns.clear();
  return cluster.GetLive(cluster_scoped);
}

bool IsNamespaceNamed(const Object* obj, const std::string& name) {
  return obj != nullptr && obj->group().empty() && obj->kind() == "Namespace" &&
         obj->name() == name;
}

// isCRDOfGroupKind over the hooks and resource targets (sc.targetObjs).
bool HasCrdOf(const SyncOperationSpec& spec, const std::string& group, const std::string& kind) {
  auto is_crd_of = [&](const Object* obj) {
    if (obj == nullptr || obj->kind() != "CustomResourceDefinition" ||
        obj->group() != "apiextensions.k8s.io") {
      return false;
    }
    auto spec_it = obj->doc().find("spec");
    if (spec_it == obj->doc().end() || !spec_it->is_object()) return false;
    auto g = spec_it->find("group");
    auto names = spec_it->find("names");
    if (g == spec_it->end() || !g->is_string() || names == spec_it->end() || !names->is_object()) {
      return false;
    }
    auto k = names->find("kind");
    return k != names->end() && k->is_string() && *g == group && *k == kind;
  };
  for (const ObjectPtr& hook : spec.hooks) {
    if (is_crd_of(hook.get())) return true;
  }
  for (const ResourcePair& pair : spec.resources) {
    if (is_crd_of(pair.target.get())) return true;
  }
  return false;
}

void AddResourceTasks(const SyncOperationSpec& spec, std::vector<SyncTask>& tasks) {
  for (const ResourcePair& pair : spec.resources) {
    const Object& obj = pair.target ? *pair.target : *pair.live;
    if (IsHook(obj)) continue;  // live hooks are never pruned; hook targets come from spec.hooks
    for (SyncPhase phase : SyncPhasesOf(obj)) {
      tasks.push_back(SyncTask::Make(phase, pair.target, pair.live, pair.modified));
    }
  }
}

void AddHookTasks(const SyncOperationSpec& spec, std::vector<SyncTask>& tasks) {
  if (spec.skip_hooks) return;
  for (const ObjectPtr& hook : spec.hooks) {
    for (SyncPhase phase : SyncPhasesOf(*hook)) {
      ObjectPtr target = hook;
      if (hook->name().empty()) {
        target = WithMetadata(*hook, "name",
                              HookName(*hook, spec.revision, phase, spec.started_at_unix));
      }
      tasks.push_back(SyncTask::Make(phase, std::move(target), nullptr));
    }
  }
}

// autoCreateNamespace with controller/sync_namespace.go's modifier: a PreSync Namespace task when
// no resource target is that Namespace and either it is absent or its metadata is managed.
// (Upstream means to look at hooks too, but copies them into a nil slice, so only resources count.)
void AddNamespaceTask(const SyncOperationSpec& spec, SyncTarget& cluster,
                      std::vector<SyncTask>& tasks) {
  const std::string& ns = spec.destination_namespace;
  if (!spec.options.create_namespace || ns.empty()) return;
  for (const ResourcePair& pair : spec.resources) {
    if (IsNamespaceNamed(pair.target.get(), ns)) return;
  }
  Json doc = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
  ObjectPtr live = cluster.GetLive(ObjectKey{"", "Namespace", "", ns});
  if (spec.managed_namespace_metadata) {
    // Managed metadata relies on server-side apply so existing labels and annotations survive.
    Json annotations(spec.managed_namespace_metadata->annotations);
    annotations[std::string(kAnnotationSyncOptions)] = "ServerSideApply=true";
    doc["metadata"]["labels"] = spec.managed_namespace_metadata->labels;
    doc["metadata"]["annotations"] = std::move(annotations);
  } else if (live != nullptr) {
    return;
  }
  tasks.push_back(SyncTask::Make(SyncPhase::kPreSync,
                                 std::make_shared<const Object>(std::move(doc)), std::move(live)));
}

// Re-reads live objects; returns false for a prune candidate that is gone.
bool RefreshLive(SyncTask& task, SyncTarget& cluster) {
  if (task.is_prune()) {
    task.live = cluster.GetLive(task.live->key());
    return task.live != nullptr;
  }
  if (!task.live) task.live = FindLive(cluster, task.target->key());
  return true;
}

void CheckTask(const SyncOperationSpec& spec, SyncTarget& cluster, SyncTask& task,
               std::vector<InvalidTask>& invalid) {
  const Object& obj = task.obj();
  if (!cluster.ServesKind(obj.api_version(), obj.kind())) {
    if (EffectiveSkipDryRunOnMissingResource(task.target.get(), spec.options) ||
        HasCrdOf(spec, obj.group(), obj.kind())) {
      task.skip_dry_run = true;  // the CRD comes with this sync
      return;
    }
    invalid.push_back({obj.key(), task.phase, task.is_hook,
                       "failed to discover server resources for group version " +
                           obj.api_version() +
                           ": the server could not find the requested resource"});
    return;
  }
  if (spec.permitted) {
    if (Status s = spec.permitted(obj); !s.ok()) {
      invalid.push_back({obj.key(), task.phase, task.is_hook, s.message()});
    }
  }
}

}  // namespace

BuiltTasks BuildSyncTasks(const SyncOperationSpec& spec, SyncTarget& cluster) {
  BuiltTasks out;
  std::vector<SyncTask> tasks;
  AddResourceTasks(spec, tasks);
  AddHookTasks(spec, tasks);
  for (SyncTask& task : tasks) {
    if (!task.target) continue;
    // Every target gets the destination namespace, cluster-scoped ones included (as upstream).
    if (task.target->ns().empty() && !spec.destination_namespace.empty()) {
      task.target = WithMetadata(*task.target, "namespace", spec.destination_namespace);
    }
    task.live = nullptr;  // re-read below: each pass sees the cluster as it is now
  }
  AddNamespaceTask(spec, cluster, tasks);
  for (SyncTask& task : tasks) {
    if (!RefreshLive(task, cluster)) continue;
    CheckTask(spec, cluster, task, out.invalid);
    out.tasks.push_back(std::move(task));
  }
  AssignPruneWaves(out.tasks, spec.options);
  SortSyncTasks(out.tasks);
  return out;
}

}  // namespace fleetsim
