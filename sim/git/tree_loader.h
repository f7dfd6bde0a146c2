// Imports a directory on disk as a Tree. This is the only code in sim/git that touches the
// filesystem; it runs at load time, before the simulation starts.
#ifndef FLEETSIM_SIM_GIT_TREE_LOADER_H_
#define FLEETSIM_SIM_GIT_TREE_LOADER_H_

#include <string>

#include "engine/status.h"
#include "sim/git/blob_store.h"
#include "sim/git/tree.h"

namespace fleetsim {

// Reads every regular file under `dir` in binary into `blobs` and returns the tree that
// `git add -A && git write-tree` would give for it, with every file as mode 100644 (the executable
// bit is not kept). Entries named ".git" are skipped at every level and empty directories vanish,
// as in Git. A symbolic link or any other non-regular file is an error naming its path: scenario
// trees must hold their content, not point outside themselves.
Result<Tree> LoadTreeFromDirectory(const std::string& dir, BlobStore& blobs);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_TREE_LOADER_H_
