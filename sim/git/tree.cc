#include "sim/git/tree.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace fleetsim {
namespace {

std::string Quoted(std::string_view path) { return "\"" + std::string(path) + "\""; }

std::string Join(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out;
}

// The Git tree object body: per entry "<mode> <name>\0<20-byte id>", in Git's order.
TreeId ComputeTreeId(const std::vector<TreeEntry>& entries) {
  std::string body;
  for (const TreeEntry& e : entries) {
    body += e.is_directory() ? "40000 " : "100644 ";
    body += e.name;
    body += '\0';
    const auto& raw = e.id().raw();
    body.append(reinterpret_cast<const char*>(raw.data()), raw.size());
  }
  return HashObject(ObjectType::kTree, body);
}

// Decides what stands at an edited path: given the entry there now (nullptr if none), returns the
// entry to leave there (nullopt removes it) or an error.
using LeafEdit = std::function<Result<std::optional<TreeEntry>>(const TreeEntry* current)>;

// Rewrites the nodes along one path, sharing every other node with the original tree.
class PathEditor {
 public:
  PathEditor(std::string_view path, std::vector<std::string> parts, bool create_parents,
             LeafEdit edit)
      : path_(path),
        parts_(std::move(parts)),
        create_parents_(create_parents),
        edit_(std::move(edit)) {}

  Result<Tree> Run(const Tree& tree) const {
    if (parts_.empty()) return Status::Error("invalid path " + Quoted(path_) + ": it is the root");
    Result<TreeNodePtr> root = Edit(tree.root(), 0);
    if (!root.ok()) return root.status();
    return Tree(std::move(*root));
  }

 private:
  Result<TreeNodePtr> Edit(const TreeNodePtr& dir, size_t depth) const {
    const std::string& name = parts_[depth];
    const TreeEntry* current = dir->Find(name);
    std::optional<TreeEntry> replacement;
    if (depth + 1 == parts_.size()) {
      Result<std::optional<TreeEntry>> leaf = edit_(current);
      if (!leaf.ok()) return leaf.status();
      replacement = std::move(*leaf);
      if (replacement && current && replacement->is_directory() == current->is_directory() &&
          replacement->id() == current->id()) {
        return dir;  // same content: keep sharing the existing node
      }
      if (replacement) replacement->name = name;
    } else {
      Result<TreeNodePtr> child = EditChild(current, depth);
      if (!child.ok()) return child.status();
      if (current && child->get() == current->tree.get()) return dir;  // nothing changed below
      if (!(*child)->empty()) replacement = TreeEntry{name, nullptr, std::move(*child)};
    }
    return Replace(*dir, name, std::move(replacement));
  }

  Result<TreeNodePtr> EditChild(const TreeEntry* current, size_t depth) const {
    if (current && current->is_directory()) return Edit(current->tree, depth + 1);
    if (!create_parents_) return Status::Error("path " + Quoted(path_) + " does not exist");
    if (current) {
      return Status::Error("cannot create " + Quoted(path_) + ": " +
                           Quoted(Join(parts_, depth + 1)) + " is a file");
    }
    return Edit(TreeNode::Make({}), depth + 1);
  }

  static TreeNodePtr Replace(const TreeNode& dir, const std::string& name,
                             std::optional<TreeEntry> replacement) {
    std::vector<TreeEntry> entries;
    entries.reserve(dir.entries().size() + 1);
    for (const TreeEntry& e : dir.entries()) {
      if (e.name != name) entries.push_back(e);
    }
    if (replacement) entries.push_back(std::move(*replacement));
    return TreeNode::Make(std::move(entries));
  }

  std::string path_;
  std::vector<std::string> parts_;
  bool create_parents_;
  LeafEdit edit_;
};

// The entry at `parts` (nullptr for the root or a missing path).
const TreeEntry* FindEntry(const TreeNode& root, const std::vector<std::string>& parts) {
  const TreeNode* dir = &root;
  const TreeEntry* entry = nullptr;
  for (const std::string& part : parts) {
    if (dir == nullptr) return nullptr;
    entry = dir->Find(part);
    if (entry == nullptr) return nullptr;
    dir = entry->tree.get();
  }
  return entry;
}

void WalkNode(const TreeNode& node, std::string& prefix,
              const std::function<void(const std::string&, const Blob&)>& visit) {
  for (const TreeEntry& e : node.entries()) {
    const size_t mark = prefix.size();
    if (!prefix.empty()) prefix += '/';
    prefix += e.name;
    if (e.is_directory()) {
      WalkNode(*e.tree, prefix, visit);
    } else {
      visit(prefix, *e.blob);
    }
    prefix.resize(mark);
  }
}

}  // namespace

const ObjectId& TreeEntry::id() const { return is_directory() ? tree->id() : blob->id(); }

bool GitEntryLess(std::string_view a, bool a_is_dir, std::string_view b, bool b_is_dir) {
  const size_t common = std::min(a.size(), b.size());
  const int cmp = std::memcmp(a.data(), b.data(), common);
  if (cmp != 0) return cmp < 0;
  const auto next = [common](std::string_view s, bool is_dir) -> unsigned char {
    if (s.size() > common) return static_cast<unsigned char>(s[common]);
    return is_dir ? '/' : '\0';
  };
  return next(a, a_is_dir) < next(b, b_is_dir);
}

TreeNode::TreeNode(std::vector<TreeEntry> entries, TreeId id)
    : entries_(std::move(entries)), id_(id) {}

TreeNodePtr TreeNode::Make(std::vector<TreeEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const TreeEntry& x, const TreeEntry& y) {
    return GitEntryLess(x.name, x.is_directory(), y.name, y.is_directory());
  });
  const TreeId id = ComputeTreeId(entries);
  return TreeNodePtr(new TreeNode(std::move(entries), id));
}

const TreeEntry* TreeNode::Find(std::string_view name) const {
  // The same name sorts at one of two places, depending on whether it is a directory.
  for (const bool as_dir : {false, true}) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [as_dir](const TreeEntry& e, std::string_view n) {
                                 return GitEntryLess(e.name, e.is_directory(), n, as_dir);
                               });
    if (it != entries_.end() && it->name == name) return &*it;
  }
  return nullptr;
}

Result<std::vector<std::string>> SplitTreePath(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." || part == ".git") {
      return Status::Error("invalid path " + Quoted(path) + ": " + Quoted(part) +
                           " is not allowed");
    }
    if (part.find('\0') != std::string_view::npos) {
      return Status::Error("invalid path " + Quoted(path) + ": it contains a NUL byte");
    }
    parts.emplace_back(part);
  }
  return parts;
}

Tree::Tree() : root_(TreeNode::Make({})) {}

Tree::Tree(TreeNodePtr root) : root_(std::move(root)) {}

PathKind Tree::Kind(std::string_view path) const {
  Result<std::vector<std::string>> parts = SplitTreePath(path);
  if (!parts.ok()) return PathKind::kMissing;
  if (parts->empty()) return PathKind::kDirectory;
  const TreeEntry* entry = FindEntry(*root_, *parts);
  if (entry == nullptr) return PathKind::kMissing;
  return entry->is_directory() ? PathKind::kDirectory : PathKind::kFile;
}

const Blob* Tree::FindFile(std::string_view path) const {
  Result<std::vector<std::string>> parts = SplitTreePath(path);
  if (!parts.ok()) return nullptr;
  const TreeEntry* entry = FindEntry(*root_, *parts);
  return entry == nullptr || entry->is_directory() ? nullptr : entry->blob.get();
}

TreeNodePtr Tree::FindDirectory(std::string_view path) const {
  Result<std::vector<std::string>> parts = SplitTreePath(path);
  if (!parts.ok()) return nullptr;
  if (parts->empty()) return root_;
  const TreeEntry* entry = FindEntry(*root_, *parts);
  return entry == nullptr ? nullptr : entry->tree;
}

std::optional<TreeId> Tree::DirectoryId(std::string_view path) const {
  TreeNodePtr dir = FindDirectory(path);
  if (dir == nullptr) return std::nullopt;
  return dir->id();
}

bool Tree::Walk(std::string_view dir,
                const std::function<void(const std::string& path, const Blob& blob)>& visit) const {
  TreeNodePtr node = FindDirectory(dir);
  if (node == nullptr) return false;
  std::string prefix;
  Result<std::vector<std::string>> parts = SplitTreePath(dir);
  if (parts.ok()) prefix = Join(*parts, parts->size());
  WalkNode(*node, prefix, visit);
  return true;
}

std::vector<std::string> Tree::FilePaths(std::string_view dir) const {
  std::vector<std::string> paths;
  Walk(dir, [&paths](const std::string& path, const Blob&) { paths.push_back(path); });
  return paths;
}

Result<Tree> Tree::WithFile(std::string_view path, BlobPtr blob) const {
  Result<std::vector<std::string>> parts = SplitTreePath(path);
  if (!parts.ok()) return parts.status();
  const std::string quoted = Quoted(path);
  PathEditor editor(path, std::move(*parts), /*create_parents=*/true,
                    [&quoted, &blob](const TreeEntry* current) -> Result<std::optional<TreeEntry>> {
                      if (current && current->is_directory()) {
                        return Status::Error("path " + quoted + " is a directory");
                      }
                      return std::optional<TreeEntry>(TreeEntry{"", blob, nullptr});
                    });
  return editor.Run(*this);
}

Result<Tree> Tree::Without(std::string_view path) const {
  Result<std::vector<std::string>> parts = SplitTreePath(path);
  if (!parts.ok()) return parts.status();
  const std::string quoted = Quoted(path);
  PathEditor editor(path, std::move(*parts), /*create_parents=*/false,
                    [&quoted](const TreeEntry* current) -> Result<std::optional<TreeEntry>> {
                      if (current == nullptr) {
                        return Status::Error("path " + quoted + " does not exist");
                      }
                      return std::optional<TreeEntry>();
                    });
  return editor.Run(*this);
}

Result<Tree> Tree::Moved(std::string_view from, std::string_view to) const {
  Result<std::vector<std::string>> from_parts = SplitTreePath(from);
  if (!from_parts.ok()) return from_parts.status();
  Result<std::vector<std::string>> to_parts = SplitTreePath(to);
  if (!to_parts.ok()) return to_parts.status();
  if (from_parts->empty())
    return Status::Error("invalid path " + Quoted(from) + ": it is the root");
  const TreeEntry* source = FindEntry(*root_, *from_parts);
  if (source == nullptr) return Status::Error("path " + Quoted(from) + " does not exist");
  if (Kind(to) != PathKind::kMissing) {
    return Status::Error("path " + Quoted(to) + " already exists");
  }
  if (to_parts->size() > from_parts->size() &&
      std::equal(from_parts->begin(), from_parts->end(), to_parts->begin())) {
    return Status::Error("cannot move " + Quoted(from) + " into itself (" + Quoted(to) + ")");
  }
  const TreeEntry moved = *source;
  Result<Tree> without = Without(from);
  if (!without.ok()) return without.status();
  PathEditor editor(to, std::move(*to_parts), /*create_parents=*/true,
                    [&moved](const TreeEntry*) -> Result<std::optional<TreeEntry>> {
                      return std::optional<TreeEntry>(moved);
                    });
  return editor.Run(*without);
}

}  // namespace fleetsim
