// Which files differ between two trees. Cost follows the change, not the tree: subtrees with equal
// ids are skipped without being opened.
#ifndef FLEETSIM_SIM_GIT_TREE_DIFF_H_
#define FLEETSIM_SIM_GIT_TREE_DIFF_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/git/tree.h"

namespace fleetsim {

// File paths from the root, each list in byte order. A rename is a delete plus an add; a file that
// becomes a directory (or back) is a delete of the one plus adds of the other's files.
struct TreeDiff {
  std::vector<std::string> added;    // files only in `to`
  std::vector<std::string> changed;  // files in both, with different contents
  std::vector<std::string> deleted;  // files only in `from`

  bool empty() const { return added.empty() && changed.empty() && deleted.empty(); }
  // Whether a listed file is `dir` or lies under it; "" (the root) matches any change.
  bool Touches(std::string_view dir) const;
};

TreeDiff DiffTrees(const Tree& from, const Tree& to);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_TREE_DIFF_H_
