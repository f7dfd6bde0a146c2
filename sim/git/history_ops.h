// Applying a scenario's history ops (sim/scenario/scenario.h, HistoryOp) to a tree.
#ifndef FLEETSIM_SIM_GIT_HISTORY_OPS_H_
#define FLEETSIM_SIM_GIT_HISTORY_OPS_H_

#include "engine/status.h"
#include "sim/git/blob_store.h"
#include "sim/git/tree.h"
#include "sim/scenario/scenario.h"

namespace fleetsim {

// Returns `tree` with `op` applied, new file contents interned in `blobs`; `tree` is unchanged.
//   write      creates or replaces op.path with op.content (parents created).
//   delete     removes the file or directory op.path.
//   rename     moves the file or directory op.path to op.to.
//   set-image  see image_edit.h; a kustomization file (by base name) gets its images: list edited,
//              any other file its workloads' containers.
//   set        see yaml_set.h (op.field, op.value, op.select).
// Fails with a message that names the path and the reason and has no location; the caller puts
// op.pos in front. Every edit that re-writes YAML drops comments and formatting, not data.
Result<Tree> ApplyHistoryOp(const Tree& tree, const HistoryOp& op, BlobStore& blobs);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_HISTORY_OPS_H_
