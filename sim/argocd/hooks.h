// Resource hooks: which objects are hooks, of which types and phases, in which wave, with which
// delete policies, and how generateName hooks are named. Reference section 2.1 and 2.4;
// gitops-engine pkg/sync/hook/{hook.go,delete_policy.go}, hook/helm/*.go, syncwaves/waves.go,
// ignore/ignore.go, sync_phase.go, sync_context.go (getSyncTasks); argo-cd controller/hook.go
// (PreDelete/PostDelete) and controller/state.go (partitionTargetObjsForSync).
#ifndef FLEETSIM_SIM_ARGOCD_HOOKS_H_
#define FLEETSIM_SIM_ARGOCD_HOOKS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/object.h"

namespace fleetsim {

inline constexpr std::string_view kAnnotationHook = "argocd.argoproj.io/hook";
inline constexpr std::string_view kAnnotationHookDeletePolicy =
    "argocd.argoproj.io/hook-delete-policy";
inline constexpr std::string_view kAnnotationSyncWave = "argocd.argoproj.io/sync-wave";
inline constexpr std::string_view kAnnotationHelmHook = "helm.sh/hook";
inline constexpr std::string_view kAnnotationHelmHookWeight = "helm.sh/hook-weight";
inline constexpr std::string_view kAnnotationHelmHookDeletePolicy = "helm.sh/hook-delete-policy";

// Sync phases; the numeric value is syncPhaseOrder in sync_tasks.go.
enum class SyncPhase { kPreSync = -1, kSync = 0, kPostSync = 1, kSyncFail = 2 };
std::string_view SyncPhaseName(SyncPhase phase);

// Hook types. PreDelete and PostDelete are handled by the application controller outside sync:
// gitops-engine's own type list (NewHookType) does not know them.
enum class HookType { kPreSync, kSync, kPostSync, kSyncFail, kSkip, kPreDelete, kPostDelete };
std::string_view HookTypeName(HookType type);

enum class HookDeletePolicy { kHookSucceeded, kHookFailed, kBeforeHookCreation };
std::string_view HookDeletePolicyName(HookDeletePolicy policy);

// hook.Types: the recognized Argo CD types (PreSync, Sync, PostSync, SyncFail, Skip) in annotation
// order; when there is none, the Helm mapping (pre-install/pre-upgrade → PreSync,
// post-install/post-upgrade → PostSync; other Helm types are ignored).
std::vector<HookType> HookTypes(const Object& obj);
// hook.Skip: the only type is Skip ("Skip,PreSync" is a PreSync hook).
bool IsSkipped(const Object& obj);
// hook.IsHook: carries the Argo hook annotation and is not Skip, or a Helm hook annotation other
// than crd-install.
bool IsHook(const Object& obj);
// ignore.Ignore: a hook with no recognized type (e.g. "hook: Foo", Helm "test"); never synced.
bool IsIgnored(const Object& obj);
// controller/hook.go isHookOfType: "PreDelete" among the Argo values or "pre-delete" among the Helm
// ones (either annotation counts).
bool IsPreDeleteHook(const Object& obj);
bool IsPostDeleteHook(const Object& obj);
// The phases the sync runs the object in (sync_phase.go), in phase order: none when skipped, the
// hook's sync-phase types for a hook, else {Sync}.
std::vector<SyncPhase> SyncPhasesOf(const Object& obj);
// syncwaves.Wave: argocd.argoproj.io/sync-wave, else helm.sh/hook-weight, else 0. A value that Go's
// strconv.Atoi rejects (spaces, overflow, non-digits) falls through to the next source.
int64_t SyncWave(const Object& obj);
// hook.DeletePolicies: Argo policies, then the mapped Helm ones; {BeforeHookCreation} when none.
std::vector<HookDeletePolicy> HookDeletePolicies(const Object& obj);

// The name a hook gets when it has generateName and no name (getSyncTasks):
// generateName + lower("<revision[0:7]>-<phase>-<startedAt unix seconds>"); the revision is used
// whole when shorter than 8 characters. Returns the name unchanged when it is set.
std::string HookName(const Object& hook, std::string_view revision, SyncPhase phase,
                     int64_t started_at_unix);

// controller/state.go partitionTargetObjsForSync: the objects handed to the sync (PreDelete and
// PostDelete hooks only when they also have a sync-phase type) and whether delete hooks exist.
struct SyncPartition {
  std::vector<ObjectPtr> sync_objects;
  bool has_pre_delete_hooks = false;
  bool has_post_delete_hooks = false;
};
SyncPartition PartitionTargetsForSync(const std::vector<ObjectPtr>& targets);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_HOOKS_H_
