#include "sim/git/tree_loader.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

Status IoError(const std::string& what, const fs::path& path, const std::error_code& ec) {
  return Status::Error("cannot " + what + " " + path.string() + ": " + ec.message());
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("cannot read " + path.string());
  // Whole buffers at a time (a character-wise copy costs more than the rest of the import).
  std::string content;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Status::Error("cannot read " + path.string());
  return content;
}

// The node for `dir`; empty if nothing under it is a file.
Result<TreeNodePtr> LoadNode(const fs::path& dir, BlobStore& blobs) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return IoError("read directory", dir, ec);
  std::vector<TreeEntry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path path = it->path();
    const std::string name = path.filename().string();
    if (name == ".git") continue;
    const fs::file_status status = it->symlink_status(ec);
    if (ec) return IoError("stat", path, ec);
    if (fs::is_directory(status)) {
      Result<TreeNodePtr> child = LoadNode(path, blobs);
      if (!child.ok()) return child.status();
      if (!(*child)->empty()) entries.push_back(TreeEntry{name, nullptr, std::move(*child)});
    } else if (fs::is_regular_file(status)) {
      Result<std::string> content = ReadFile(path);
      if (!content.ok()) return content.status();
      entries.push_back(TreeEntry{name, blobs.Intern(std::move(*content)), nullptr});
    } else if (fs::is_symlink(status)) {
      return Status::Error("symbolic links are not supported in a repository tree: " +
                           path.string());
    } else {
      return Status::Error("not a regular file or directory: " + path.string());
    }
  }
  if (ec) return IoError("read directory", dir, ec);
  return TreeNode::Make(std::move(entries));
}

}  // namespace

Result<Tree> LoadTreeFromDirectory(const std::string& dir, BlobStore& blobs) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::Error("not a directory: " + dir);
  Result<TreeNodePtr> root = LoadNode(fs::path(dir), blobs);
  if (!root.ok()) return root.status();
  return Tree(std::move(*root));
}

}  // namespace fleetsim
