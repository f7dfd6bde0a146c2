// Builds the sorted task list of one sync pass: gitops-engine sync_context.go getSyncTasks and
// autoCreateNamespace. Reference sections 2.1–2.3 (step 1) and 2.6 (CreateNamespace).
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_TASK_BUILDER_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_TASK_BUILDER_H_

#include <string>
#include <vector>

#include "sim/argocd/sync_operation.h"
#include "sim/argocd/sync_target.h"
#include "sim/argocd/sync_tasks.h"

namespace fleetsim {

// A task that cannot run: its kind is not served (and no dry-run skip applies) or the project
// forbids it. The operation records it as SyncFailed and fails "not valid".
struct InvalidTask {
  ObjectKey key;
  SyncPhase phase = SyncPhase::kSync;
  bool hook = false;
  std::string message;
};

struct BuiltTasks {
  std::vector<SyncTask> tasks;  // sorted (SortSyncTasks), progress not yet restored
  std::vector<InvalidTask> invalid;
};

// In order: one task per (resource, sync phase), skipping hooks and Skip objects among resources;
// one task per (hook, phase) unless spec.skip_hooks, generateName hooks named by HookName; the
// destination namespace set on targets without one; the CreateNamespace task in PreSync; live
// objects re-read from `cluster` (a prune candidate that is gone drops out); kind and permission
// checks; prune-wave rewrites; sort.
BuiltTasks BuildSyncTasks(const SyncOperationSpec& spec, SyncTarget& cluster);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_TASK_BUILDER_H_
