#include "sim/git/history_ops.h"

#include <string>
#include <string_view>
#include <utility>

#include "sim/git/image_edit.h"
#include "sim/git/yaml_set.h"

namespace fleetsim {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string_view BaseName(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Replaces the YAML file at op.path by edit(its text).
template <typename Edit>
Result<Tree> EditYamlFile(const Tree& tree, const HistoryOp& op, const char* op_name,
                          BlobStore& blobs, const Edit& edit) {
  switch (tree.Kind(op.path)) {
    case PathKind::kMissing:
      return Status::Error("path " + Quoted(op.path) + " does not exist");
    case PathKind::kDirectory:
      return Status::Error(std::string(op_name) + " " + Quoted(op.path) +
                           ": it is a directory, not a file");
    case PathKind::kFile:
      break;
  }
  Result<std::string> edited = edit(tree.FindFile(op.path)->content());
  if (!edited.ok()) {
    return Status::Error(std::string(op_name) + " " + Quoted(op.path) + ": " + edited.error());
  }
  return tree.WithFile(op.path, blobs.Intern(std::move(*edited)));
}

Result<Tree> SetImage(const Tree& tree, const HistoryOp& op, BlobStore& blobs) {
  if (op.container.empty() || op.image.empty()) {
    return Status::Error("set-image " + Quoted(op.path) + ": container and image must be given");
  }
  const bool kustomization = IsKustomizationFileName(BaseName(op.path));
  return EditYamlFile(tree, op, "set-image", blobs, [&op, kustomization](const std::string& text) {
    return kustomization ? SetKustomizationImage(text, op.container, op.image)
                         : SetWorkloadImage(text, op.container, op.image);
  });
}

}  // namespace

Result<Tree> ApplyHistoryOp(const Tree& tree, const HistoryOp& op, BlobStore& blobs) {
  switch (op.kind) {
    case HistoryOp::Kind::kWrite:
      return tree.WithFile(op.path, blobs.Intern(op.content));
    case HistoryOp::Kind::kDelete:
      return tree.Without(op.path);
    case HistoryOp::Kind::kRename:
      return tree.Moved(op.path, op.to);
    case HistoryOp::Kind::kSetImage:
      return SetImage(tree, op, blobs);
    case HistoryOp::Kind::kSet:
      return EditYamlFile(tree, op, "set", blobs, [&op](const std::string& text) {
        return SetYamlField(text, op.field, op.value, op.select);
      });
  }
  return Status::Error("unknown history op");
}

}  // namespace fleetsim
