#include "sim/argocd/deletion.h"

#include <algorithm>
#include <functional>

#include "sim/argocd/hooks.h"

namespace fleetsim {
namespace {

bool IsPropagationFinalizer(std::string_view f) {
  return f == kResourcesFinalizer || f == kForegroundResourcesFinalizer ||
         f == kBackgroundResourcesFinalizer;
}

bool Has(const std::vector<std::string>& finalizers, std::string_view f) {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

void RemoveIf(std::vector<std::string>& finalizers,
              const std::function<bool(std::string_view)>& pred) {
  finalizers.erase(std::remove_if(finalizers.begin(), finalizers.end(),
                                  [&](const std::string& f) { return pred(f); }),
                   finalizers.end());
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsArgoFinalizer(std::string_view f) {
  return IsPropagationFinalizer(f) || StartsWith(f, kPreDeleteFinalizer) ||
         StartsWith(f, kPostDeleteFinalizer);
}

// app.GetPropagationPolicy: the first propagation finalizer decides; only /background is
// background.
PropagationPolicy CascadePolicy(const std::vector<std::string>& finalizers) {
  for (const std::string& f : finalizers) {
    if (IsPropagationFinalizer(f)) {
      return f == kBackgroundResourcesFinalizer ? PropagationPolicy::kBackground
                                                : PropagationPolicy::kForeground;
    }
  }
  return PropagationPolicy::kForeground;
}

std::vector<ObjectPtr> SortedLive(DeletionTarget& cluster) {
  std::vector<ObjectPtr> live = cluster.ManagedLive();
  std::sort(live.begin(), live.end(),
            [](const ObjectPtr& a, const ObjectPtr& b) { return a->key() < b->key(); });
  return live;
}

using HookPredicate = bool (*)(const Object&);

struct HookStage {
  std::string_view type;  // "PreDelete" / "PostDelete"
  HookPredicate is_type;
};
constexpr HookStage kPreDeleteStage{"PreDelete", &IsPreDeleteHook};
constexpr HookStage kPostDeleteStage{"PostDelete", &IsPostDeleteHook};

HealthCode HealthOf(DeletionTarget& cluster, const ObjectKey& key) {
  std::optional<HealthStatus> h = cluster.Health(key);
  return h ? h->code : HealthCode::kHealthy;
}

// executeHooks: create the missing hooks (then come back), fail on a Degraded one (deleted so it
// can be retried), wait while any is Progressing. Other health states count as done.
bool ExecuteHooks(const HookStage& stage, const DeletionInputs& in, DeletionTarget& cluster,
                  DeletionStep& out) {
  std::vector<ObjectPtr> running;
  for (const ObjectPtr& obj : SortedLive(cluster)) {
    if (stage.is_type(*obj)) running.push_back(obj);
  }
  auto exists = [&](const ObjectKey& key) {
    return std::any_of(running.begin(), running.end(),
                       [&](const ObjectPtr& o) { return o->key() == key; });
  };
  int created = 0;
  for (const ObjectPtr& hook : in.delete_hooks) {
    if (!stage.is_type(*hook)) continue;
    Object obj = *hook;
    if (obj.ns().empty()) {
      Json doc = obj.doc();
      doc["metadata"]["namespace"] = in.destination_namespace;
      obj = Object(std::move(doc));
    }
    if (exists(obj.key())) continue;
    if (Status s = cluster.Create(obj); !s.ok()) {
      out.error = s.message();
      return false;
    }
    out.hooks_created.push_back(obj.key());
    ++created;
  }
  if (created > 0) {
    out.waiting = "created " + std::to_string(created) + " " + std::string(stage.type) + " hooks";
    return false;
  }
  int progressing = 0;
  std::vector<ObjectPtr> failed;
  for (const ObjectPtr& obj : running) {
    HealthCode code = HealthOf(cluster, obj->key());
    if (code == HealthCode::kProgressing) ++progressing;
    if (code == HealthCode::kDegraded) failed.push_back(obj);
  }
  if (!failed.empty()) {
    std::string names;
    for (const ObjectPtr& obj : failed) {
      cluster.Delete(obj->key(), PropagationPolicy::kServerDefault);  // errors only logged upstream
      out.hooks_deleted.push_back(obj->key());
      names += (names.empty() ? "" : ", ") + obj->ns() + "/" + obj->name();
    }
    out.error = std::string(stage.type) + " hook(s) failed: " + names;
    return false;
  }
  if (progressing > 0) {
    out.waiting = "waiting for " + std::to_string(progressing) + " " + std::string(stage.type) +
                  " hooks to complete";
    return false;
  }
  return true;
}

// cleanupHooks: with the hooks' aggregated health, delete those whose policy matches
// (HookSucceeded when Healthy, HookFailed when Degraded) and wait until they are gone. Upstream's
// "no policy: always delete" branch is unreachable (DeletePolicies defaults to BeforeHookCreation).
bool CleanupHooks(const HookStage& stage, DeletionTarget& cluster, DeletionStep& out) {
  std::vector<ObjectPtr> hooks;
  HealthCode aggregated = HealthCode::kHealthy;
  for (const ObjectPtr& obj : SortedLive(cluster)) {
    if (!stage.is_type(*obj)) continue;
    HealthCode code = HealthOf(cluster, obj->key());
    if (IsWorse(aggregated, code)) aggregated = code;
    hooks.push_back(obj);
  }
  int pending = 0;
  for (const ObjectPtr& obj : hooks) {
    bool should_delete = false;
    for (HookDeletePolicy p : HookDeletePolicies(*obj)) {
      should_delete |=
          (p == HookDeletePolicy::kHookFailed && aggregated == HealthCode::kDegraded) ||
          (p == HookDeletePolicy::kHookSucceeded && aggregated == HealthCode::kHealthy);
    }
    if (!should_delete) continue;
    ++pending;
    if (cluster.IsBeingDeleted(obj->key())) continue;
    if (Status s = cluster.Delete(obj->key(), PropagationPolicy::kServerDefault); !s.ok()) {
      out.error = s.message();
      return false;
    }
    out.hooks_deleted.push_back(obj->key());
  }
  if (pending > 0) {
    out.waiting = "waiting for " + std::to_string(pending) + " " + std::string(stage.type) +
                  " hooks to be deleted";
    return false;
  }
  return true;
}

bool RequiresConfirmation(const DeletionInputs& in, const Object& obj) {
  return in.confirmation_required.count(obj.key()) > 0 ||
         RequiresDeletionConfirmation(nullptr, &obj, in.app_options);
}

// The cascade stage: delete the highest remaining wave, and drop the resources finalizer once
// nothing deletable is left.
void Cascade(const DeletionInputs& in, DeletionTarget& cluster, DeletionStep& out) {
  const bool approved =
      in.deletion_approved_at && *in.deletion_approved_at >= in.deletion_timestamp;
  std::vector<ObjectPtr> live = SortedLive(cluster);
  for (const ObjectPtr& obj : live) {
    if (cluster.IsBeingDeleted(obj->key())) {
      out.waiting = std::to_string(live.size()) + " objects remaining for deletion";
      return;
    }
  }
  std::vector<ObjectPtr> candidates;
  for (const ObjectPtr& obj : live) {
    if (!ShouldBeDeleted(*obj, in.app_key, in.app_options)) continue;
    if (RequiresConfirmation(in, *obj) && !approved) {
      out.waiting = "Resource " + obj->key().ToString() + " requires manual confirmation to delete";
      return;
    }
    candidates.push_back(obj);
  }
  out.propagation = CascadePolicy(in.finalizers);
  for (const ObjectPtr& obj : FilterObjectsForDeletion(candidates)) {
    Status s = cluster.Delete(obj->key(), out.propagation);
    if (!s.ok() && !out.error) out.error = s.message();  // RunAllAsync: every delete runs
    if (s.ok()) out.deleted.push_back(obj->key());
  }
  if (out.error) return;
  size_t remaining = 0;
  for (const ObjectPtr& obj : cluster.ManagedLive()) {
    if (ShouldBeDeleted(*obj, in.app_key, in.app_options)) ++remaining;
  }
  if (remaining > 0) {
    out.waiting = std::to_string(remaining) + " objects remaining for deletion";
    return;
  }
  RemoveIf(out.finalizers, IsPropagationFinalizer);
}

void Finalize(const DeletionInputs& in, DeletionTarget& cluster, DeletionStep& out) {
  if (!in.destination_resolvable) {
    // "Resource entries removed from undefined cluster": nothing on the cluster is touched.
    RemoveIf(out.finalizers, IsArgoFinalizer);
    return;
  }
  if (Has(out.finalizers, kPreDeleteFinalizer)) {
    if (!ExecuteHooks(kPreDeleteStage, in, cluster, out)) {
      if (out.error) out.error = "error executing pre-delete hooks: " + *out.error;
      return;
    }
    RemoveIf(out.finalizers, [](std::string_view f) { return f == kPreDeleteFinalizer; });
  }
  if (IsCascadedDeletion(out.finalizers)) return Cascade(in, cluster, out);
  const std::string pre_cleanup = std::string(kPreDeleteFinalizer) + "/cleanup";
  const std::string post_cleanup = std::string(kPostDeleteFinalizer) + "/cleanup";
  std::string_view done;
  if (Has(out.finalizers, kPostDeleteFinalizer)) {
    if (ExecuteHooks(kPostDeleteStage, in, cluster, out)) done = kPostDeleteFinalizer;
  } else if (Has(out.finalizers, pre_cleanup)) {
    if (CleanupHooks(kPreDeleteStage, cluster, out)) done = pre_cleanup;
  } else if (Has(out.finalizers, post_cleanup)) {
    if (CleanupHooks(kPostDeleteStage, cluster, out)) done = post_cleanup;
  }
  if (!done.empty()) RemoveIf(out.finalizers, [&](std::string_view f) { return f == done; });
}

}  // namespace

bool IsCascadedDeletion(const std::vector<std::string>& finalizers) {
  return std::any_of(finalizers.begin(), finalizers.end(),
                     [](const std::string& f) { return IsPropagationFinalizer(f); });
}

bool ShouldBeDeleted(const Object& obj, const ObjectKey& app_key, const SyncOptions& app_options) {
  const bool crd =
      obj.kind() == "CustomResourceDefinition" && obj.group() == "apiextensions.k8s.io";
  const bool self =
      obj.key() == app_key && obj.group() == "argoproj.io" && obj.kind() == "Application";
  return !crd && !self && EffectiveDelete(&obj, app_options) != RemovalOption::kDisabled &&
         !HasAnnotationOption(&obj, "helm.sh/resource-policy", "keep");
}

std::vector<ObjectPtr> FilterObjectsForDeletion(std::vector<ObjectPtr> objs) {
  if (objs.empty()) return objs;
  int64_t highest = SyncWave(*objs.front());
  for (const ObjectPtr& obj : objs) highest = std::max(highest, SyncWave(*obj));
  std::vector<ObjectPtr> out;
  for (ObjectPtr& obj : objs) {
    if (SyncWave(*obj) == highest) out.push_back(std::move(obj));
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectPtr& a, const ObjectPtr& b) { return a->key() < b->key(); });
  return out;
}

DeletionStep FinalizeApplicationDeletion(const DeletionInputs& in, DeletionTarget& cluster) {
  DeletionStep out;
  out.finalizers = in.finalizers;
  out.propagation = CascadePolicy(in.finalizers);
  Finalize(in, cluster, out);
  out.finished = std::none_of(out.finalizers.begin(), out.finalizers.end(),
                              [](const std::string& f) { return IsArgoFinalizer(f); });
  if (out.finished && in.destination_resolvable) {
    for (const ObjectPtr& obj : SortedLive(cluster)) {
      if (obj->key() != in.app_key && !cluster.IsBeingDeleted(obj->key())) {
        out.left_behind.push_back(obj->key());
      }
    }
  }
  return out;
}

}  // namespace fleetsim
