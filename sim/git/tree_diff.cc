#include "sim/git/tree_diff.h"

#include <algorithm>

namespace fleetsim {
namespace {

std::string ChildPath(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "/" + name;
}

void AddAll(const TreeEntry& entry, const std::string& path, std::vector<std::string>& out) {
  if (!entry.is_directory()) {
    out.push_back(path);
    return;
  }
  for (const TreeEntry& child : entry.tree->entries()) {
    AddAll(child, ChildPath(path, child.name), out);
  }
}

// Merges two directories' entries, both in Git's order, which keeps every output list in byte
// order of full paths.
void DiffNodes(const TreeNode& from, const TreeNode& to, const std::string& prefix,
               TreeDiff& diff) {
  const auto& a = from.entries();
  const auto& b = to.entries();
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && GitEntryLess(a[i].name, a[i].is_directory(), b[j].name,
                                                       b[j].is_directory()))) {
      AddAll(a[i], ChildPath(prefix, a[i].name), diff.deleted);
      ++i;
    } else if (i == a.size() ||
               GitEntryLess(b[j].name, b[j].is_directory(), a[i].name, a[i].is_directory())) {
      AddAll(b[j], ChildPath(prefix, b[j].name), diff.added);
      ++j;
    } else {
      if (a[i].id() != b[j].id()) {
        const std::string path = ChildPath(prefix, a[i].name);
        if (a[i].is_directory()) {
          DiffNodes(*a[i].tree, *b[j].tree, path, diff);
        } else {
          diff.changed.push_back(path);
        }
      }
      ++i;
      ++j;
    }
  }
}

}  // namespace

bool TreeDiff::Touches(std::string_view dir) const {
  while (!dir.empty() && dir.back() == '/') dir.remove_suffix(1);
  const auto under = [dir](const std::string& path) {
    if (dir.empty() || dir == ".") return true;
    return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           (path.size() == dir.size() || path[dir.size()] == '/');
  };
  return std::any_of(added.begin(), added.end(), under) ||
         std::any_of(changed.begin(), changed.end(), under) ||
         std::any_of(deleted.begin(), deleted.end(), under);
}

TreeDiff DiffTrees(const Tree& from, const Tree& to) {
  TreeDiff diff;
  if (from.id() != to.id()) DiffNodes(*from.root(), *to.root(), "", diff);
  return diff;
}

}  // namespace fleetsim
