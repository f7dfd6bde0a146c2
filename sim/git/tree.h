// Immutable Git trees with structural sharing. A TreeNode is one directory; it never changes once
// made and is shared (std::shared_ptr<const TreeNode>) by every commit whose tree contains it, so a
// commit that edits one file makes new nodes only along that file's path. Each node caches its Git
// tree id, which is what `git write-tree` prints for the same directory.
//
// Paths are '/'-separated and relative to the root. Empty and "." components are ignored, so "",
// "." and "/" name the root and "a//b/" is "a/b"; ".." and ".git" components make a path invalid
// (lookups find nothing, edits fail). Files have mode 100644, directories 40000; as in Git, there
// are no empty directories: an edit that empties one removes it (only the root may be empty).
#ifndef FLEETSIM_SIM_GIT_TREE_H_
#define FLEETSIM_SIM_GIT_TREE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/git/blob_store.h"
#include "sim/git/object_id.h"

namespace fleetsim {

class TreeNode;
using TreeNodePtr = std::shared_ptr<const TreeNode>;

// One name in a directory: a file (blob set) or a subdirectory (tree set), never both.
struct TreeEntry {
  std::string name;
  BlobPtr blob;
  TreeNodePtr tree;

  bool is_directory() const { return tree != nullptr; }
  const ObjectId& id() const;  // the blob id or the subtree id
};

// Git's order of entries in a tree: byte order of names, a directory's name compared as if it
// ended in '/'. Walking a tree in this order visits full paths in byte order.
bool GitEntryLess(std::string_view a, bool a_is_dir, std::string_view b, bool b_is_dir);

class TreeNode {
 public:
  // REQUIRES: names are distinct, non-empty, without '/' or '\0'; each entry holds exactly one of
  // blob and tree. Entries may come in any order; they are stored in Git's order.
  static TreeNodePtr Make(std::vector<TreeEntry> entries);

  const TreeId& id() const { return id_; }
  const std::vector<TreeEntry>& entries() const { return entries_; }  // Git's order
  bool empty() const { return entries_.empty(); }
  const TreeEntry* Find(std::string_view name) const;  // nullptr if absent

 private:
  TreeNode(std::vector<TreeEntry> entries, TreeId id);

  std::vector<TreeEntry> entries_;
  TreeId id_;
};

enum class PathKind { kMissing, kFile, kDirectory };

// A root directory, cheap to copy (one shared pointer). Edits return a new Tree and leave this one
// unchanged; their error messages carry no location (the caller adds it).
class Tree {
 public:
  Tree();                           // the empty tree, 4b825dc642cb6eb9a060e54bf8d69288fbee4904
  explicit Tree(TreeNodePtr root);  // REQUIRES: root != nullptr

  const TreeId& id() const { return root_->id(); }
  const TreeNodePtr& root() const { return root_; }

  PathKind Kind(std::string_view path) const;
  // nullptr unless `path` is a file / a directory. Valid while this Tree (or any holder of the
  // same nodes) lives.
  const Blob* FindFile(std::string_view path) const;
  TreeNodePtr FindDirectory(std::string_view path) const;
  // The Git tree id of a directory: the cache key for anything rendered from it.
  std::optional<TreeId> DirectoryId(std::string_view path) const;

  // Calls visit(path, blob) for every file under directory `dir`, with paths from the root, in
  // byte order. False (and no calls) if `dir` is not a directory.
  bool Walk(std::string_view dir,
            const std::function<void(const std::string& path, const Blob& blob)>& visit) const;
  std::vector<std::string> FilePaths(std::string_view dir) const;  // Walk's paths

  // Creates or replaces the file at `path`, creating parent directories. Fails if `path` is a
  // directory or a parent component is a file.
  Result<Tree> WithFile(std::string_view path, BlobPtr blob) const;
  // Removes the file or whole directory at `path`. Fails if it does not exist or is the root.
  Result<Tree> Without(std::string_view path) const;
  // Moves the file or directory `from` to `to`, creating parents of `to`. Fails if `from` does not
  // exist, `to` exists, or `to` is inside `from`.
  Result<Tree> Moved(std::string_view from, std::string_view to) const;

 private:
  TreeNodePtr root_;
};

// Splits a path into its components (see the top of this file); the root gives an empty list.
// On error the message says why the path is invalid.
Result<std::vector<std::string>> SplitTreePath(std::string_view path);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_TREE_H_
