// What a change between two revisions of a real repository does to the fleet (`fleetsim diff`):
// for every ApplicationSet and app-of-apps parent found at either revision, the Applications
// created, deleted, changed and kept, per destination cluster; for each deleted Application the
// live resources its deletion deletes or orphans; and the resources automated prune removes from
// Applications that stay. "Live" means what the base revision renders: the fleet is taken to be
// synced to the base before the change lands.
//
// Rules (reference/argocd.md): generators run against the repository at each revision (4.1); an
// ApplicationSet deletes Applications it no longer generates only when its effective policy allows
// delete (4.2: sync, create-delete) and updates them only when it allows update; a parent prunes
// a child Application or ApplicationSet only with automated prune, honouring Prune=false and
// Prune=confirm on the child and the allowEmpty guard (2.8, 3.3); a deleted ApplicationSet's
// Applications are garbage-collected (4.3). A deleted Application cascades only with a resources
// finalizer (3.1; `/background` deletes in the background), never to CRDs, Delete=false or
// helm.sh/resource-policy: keep objects (3.2); Delete=confirm does not stop the deletion, it makes
// the cascade wait for confirmation (DESIGN.md "Traps in the article"). Deleted child
// Applications cascade in turn.
#ifndef FLEETSIM_SIM_CLI_FLEET_DIFF_H_
#define FLEETSIM_SIM_CLI_FLEET_DIFF_H_

#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/argocd/appset_sources.h"
#include "sim/git/git_snapshot.h"
#include "sim/manifest/object.h"
#include "sim/manifest/tool_runner.h"

namespace fleetsim {

struct DiffResource {
  ObjectKey key;       // namespace defaulted to the Application's destination namespace
  std::string action;  // "delete", "orphan" (deleted apps); "prune", "keep" (prunes)
  std::string reason;  // why it is orphaned or kept, or what the deletion waits for; or ""
};

enum class AppChange { kCreated, kDeleted, kChanged, kKept };

struct AppDiff {
  std::string name;
  std::string ns;       // the Application's namespace
  std::string cluster;  // the destination: fleet cluster name, else as written
  std::string owner;    // "ApplicationSet argocd/tenants", "Application argocd/root"
  AppChange change = AppChange::kChanged;
  std::string reason;  // deleted: what deletes it; kept: what keeps it
  // Deleted: whether the deletion cascades, and its propagation ("foreground", "background").
  bool cascade = false;
  std::string propagation;
  std::vector<DiffResource> resources;  // deleted: every live resource with its fate
  std::string resources_error;          // deleted: why the resources could not be rendered
};

// Resources automated prune removes from an Application that exists at both revisions.
struct PruneDiff {
  std::string name;
  std::string ns;
  std::string cluster;
  std::string owner;  // "" for an Application applied by hand
  std::vector<DiffResource> resources;
  std::string note;  // e.g. the allowEmpty guard refusing the sync
};

struct FleetDiff {
  std::vector<AppDiff> apps;      // sorted by (cluster, change, name, ns)
  std::vector<PruneDiff> prunes;  // sorted by (cluster, name, ns)
};

// One side of the diff: the snapshot, the revision as the user wrote it, and "base" or "head".
struct DiffSide {
  GitSnapshot* snapshot;
  std::string rev;
  std::string name;
};

// REQUIRES: the snapshots outlive the call; `tools` may be null (no kustomize or helm installed).
// Errors (a broken manifest or ApplicationSet at either revision) read
// "REV:PATH:LINE:COLUMN: message (SIDE)", e.g. "feature:appsets/tenants.yaml:12:7: ... (head)".
Result<FleetDiff> ComputeFleetDiff(const DiffSide& base, const DiffSide& head,
                                   const std::vector<AppSetCluster>& clusters, ToolRunner* tools);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_FLEET_DIFF_H_
