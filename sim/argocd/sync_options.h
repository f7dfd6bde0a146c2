// Argo CD sync options: the Application's (or operation's) `syncOptions` list and a resource's
// `argocd.argoproj.io/sync-options` annotation. The annotation overrides the app-level value for
// the options a resource may set. Semantics: reference section 2.6; gitops-engine
// pkg/sync/common/types.go, pkg/sync/resource/annotations.go, sync_context.go (applyObject,
// pruneObject), argo-cd controller/sync.go, controller/state.go (isObjRequiresDeletionConfirmation)
// and controller/appcontroller.go (shouldBeDeleted).
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_OPTIONS_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_OPTIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

namespace fleetsim {

class Object;

inline constexpr std::string_view kAnnotationSyncOptions = "argocd.argoproj.io/sync-options";
inline constexpr std::string_view kAnnotationDeletionApproved =
    "argocd.argoproj.io/deletion-approved";

// metav1.DeletionPropagation. kServerDefault sends no policy (the API server's default for the
// kind), as Argo CD does when it deletes failed PreDelete/PostDelete hooks.
enum class PropagationPolicy { kForeground, kBackground, kOrphan, kServerDefault };
std::string_view PropagationPolicyName(PropagationPolicy policy);

// How `Prune=<v>` or `Delete=<v>` lets a resource be removed. Only "false" and "confirm" mean
// something; any other value (including "true") leaves removal allowed.
enum class RemovalOption { kAllowed, kDisabled, kConfirm };

// App-level options, parsed the way argo-cd's SyncOptions.HasOption / GetOptionValue read them:
// entries match exactly (no trimming, case-sensitive); a key=value lookup takes the first entry.
struct SyncOptions {
  std::optional<std::string> prune;         // value of the first "Prune=" entry
  std::optional<std::string> delete_value;  // value of the first "Delete=" entry
  bool prune_last = false;                  // PruneLast=true
  PropagationPolicy prune_propagation_policy = PropagationPolicy::kForeground;
  bool create_namespace = false;        // CreateNamespace=true
  bool apply_out_of_sync_only = false;  // ApplyOutOfSyncOnly=true
  bool replace = false;                 // Replace=true
  bool server_side_apply = false;       // ServerSideApply=true
  bool validate = true;                 // false with Validate=false
  bool skip_dry_run_on_missing_resource = false;
  bool fail_on_shared_resource = false;
  bool respect_ignore_differences = false;
  bool client_side_apply_migration = true;  // false with ClientSideApplyMigration=false

  static SyncOptions Parse(const std::vector<std::string>& entries);
  // From an Application document's spec.syncPolicy.syncOptions; defaults when absent. Entries
  // that are not strings are skipped (the loader reports malformed Applications).
  static SyncOptions FromApplication(const Json& app);
};

// gitops-engine GetAnnotationCSVs: the annotation split on ',', each item trimmed, empty items
// dropped, duplicates removed (first occurrence kept). Empty when `obj` is null.
std::vector<std::string> AnnotationCsv(const Object* obj, std::string_view annotation);
// HasAnnotationOption: one of the CSV items equals `option` exactly.
bool HasAnnotationOption(const Object* obj, std::string_view annotation, std::string_view option);
// GetAnnotationOptionValue: the rest of the first CSV item starting with "<key>=".
std::optional<std::string> AnnotationOptionValue(const Object* obj, std::string_view annotation,
                                                 std::string_view key);

// Effective options for one resource. `target`/`live` may be null; where upstream reads only one
// of them the parameter says which.
//
// Prune=… on the live object, else the app level (objRequiresPruneConfirmation, isPruningDisabled).
RemovalOption EffectivePrune(const Object* live, const SyncOptions& app);
// Delete=… on the object, else the app level (shouldBeDeleted).
RemovalOption EffectiveDelete(const Object* obj, const SyncOptions& app);
// App-level PruneLast=true, or PruneLast=true in the live object's annotation.
bool EffectivePruneLast(const Object* live, const SyncOptions& app);
// App-level Replace=true or the annotation on target or live. A resource's Replace=false does not
// turn off the app-level option (applyObject never reads it).
bool EffectiveReplace(const Object* target, const Object* live, const SyncOptions& app);
// The operation's force flag (sync strategy) or Force=true on target or live.
bool EffectiveForce(const Object* target, const Object* live, bool strategy_force);
// For a wet run: ServerSideApply=false on the target wins; else the app level or the target's
// ServerSideApply=true (shouldUseServerSideApply). Dry runs never use server-side apply.
bool EffectiveServerSideApply(const Object* target, const SyncOptions& app);
// App-level validation unless the target says Validate=false.
bool EffectiveValidate(const Object* target, const SyncOptions& app);
// App level or the target's SkipDryRunOnMissingResource=true.
bool EffectiveSkipDryRunOnMissingResource(const Object* target, const SyncOptions& app);
// Resource status `requiresDeletionConfirmation`: Delete=confirm or Prune=confirm on target or live
// (each falling back to the app level).
bool RequiresDeletionConfirmation(const Object* target, const Object* live, const SyncOptions& app);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_OPTIONS_H_
