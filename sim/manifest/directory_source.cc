#include "sim/manifest/directory_source.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "sim/manifest/glob.h"
#include "sim/manifest/go_json.h"
#include "sim/manifest/manifest_parser.h"

namespace fleetsim {
namespace {

using json = Json;

constexpr std::string_view kSkipMarker = "+argocd:skip-file-rendering";

struct ManifestFile {
  std::string relative_path;  // from the source path: what include/exclude see
  std::string name;           // base name: what messages show
  const Blob* blob = nullptr;
};

// manifestFile in repository.go: ^.*\.(yaml|yml|json|jsonnet)$ ('.' does not match a newline).
bool HasManifestExtension(std::string_view name) {
  if (name.find('\n') != std::string_view::npos) return false;
  return name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") ||
         name.ends_with(".jsonnet");
}

// filepath.Walk's order: each directory's entries by name, descending into a subdirectory at its
// place. (Git orders a directory "a" as "a/", after "a.yaml"; Go puts it before.)
void CollectFiles(const TreeNode& dir, const std::string& prefix, bool recurse,
                  std::vector<ManifestFile>& out) {
  std::vector<const TreeEntry*> entries;
  for (const TreeEntry& e : dir.entries()) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry* a, const TreeEntry* b) { return a->name < b->name; });
  for (const TreeEntry* e : entries) {
    if (e->is_directory()) {
      if (recurse) CollectFiles(*e->tree, prefix + e->name + "/", recurse, out);
    } else {
      out.push_back(ManifestFile{prefix + e->name, e->name, e->blob.get()});
    }
  }
}

// A compiled include or exclude; a pattern that does not compile matches nothing (Argo CD logs a
// warning and glob.Match returns false).
class Filter {
 public:
  explicit Filter(const std::string& pattern) : set_(!pattern.empty()) {
    if (Result<Glob> glob = Glob::Compile(pattern); glob.ok()) glob_ = std::move(glob).value();
  }
  bool set() const { return set_; }
  bool Matches(std::string_view path) const { return glob_.has_value() && glob_->Match(path); }

 private:
  bool set_;
  std::optional<Glob> glob_;
};

// getPotentiallyValidManifests: the files to read, in order, or the size-limit error.
Result<std::vector<ManifestFile>> SelectFiles(const TreeNode& dir, const DirectorySource& source,
                                              int64_t max_combined_size) {
  std::vector<ManifestFile> files;
  CollectFiles(dir, "", source.recurse, files);
  const Filter include(source.include);
  const Filter exclude(source.exclude);
  std::vector<ManifestFile> selected;
  int64_t total = 0;
  for (ManifestFile& f : files) {
    if (!HasManifestExtension(f.name)) continue;
    if (exclude.set() && exclude.Matches(f.relative_path)) continue;
    if (include.set() && !include.Matches(f.relative_path)) continue;
    if (f.blob->content().find(kSkipMarker) != std::string::npos) continue;
    if (!f.name.ends_with(".jsonnet")) {
      total += static_cast<int64_t>(f.blob->content().size());
      if (max_combined_size != 0 && total > max_combined_size) {
        return Status::Error(RpcError("Unknown",
                                      "failed to get potentially valid manifests: exceeded max "
                                      "combined manifest file size"));
      }
    }
    selected.push_back(std::move(f));
  }
  return selected;
}

// findManifests and GenerateManifests: the documents of every file, Lists expanded.
Result<std::vector<json>> ReadDocuments(const std::vector<ManifestFile>& files) {
  std::vector<json> docs;
  for (const ManifestFile& f : files) {
    if (f.name.ends_with(".jsonnet")) {
      return Status::Error(
          RpcError("FailedPrecondition", "Failed to evaluate jsonnet " + GoQuote(f.name) +
                                             ": fleetsim does not evaluate jsonnet"));
    }
    Result<std::vector<json>> file_docs = ParseManifestFile(f.name, f.blob->content());
    if (!file_docs.ok()) return Status::Error(RpcError("FailedPrecondition", file_docs.error()));
    for (json& d : *file_docs) docs.push_back(std::move(d));
  }
  Result<std::vector<json>> expanded = ExpandLists(std::move(docs));
  if (!expanded.ok()) return Status::Error(RpcError("Unknown", expanded.error()));
  return expanded;
}

}  // namespace

Result<std::string> ResolveAppPath(const Tree& tree, std::string_view path) {
  const std::string quoted(path);
  if (path.starts_with('/'))
    return Status::Error(RpcError("Unknown", quoted + ": app path is absolute"));
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty())
        return Status::Error(RpcError("Unknown", quoted + ": app path outside root"));
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string clean;
  for (std::string_view part : parts) {
    if (!clean.empty()) clean += '/';
    clean.append(part);
  }
  switch (tree.Kind(clean)) {
    case PathKind::kDirectory:
      return clean;
    case PathKind::kFile:
      return Status::Error(RpcError("Unknown", quoted + ": app path is not a directory"));
    case PathKind::kMissing:
      break;
  }
  return Status::Error(RpcError("Unknown", quoted + ": app path does not exist"));
}

Result<RenderedManifestsPtr> RenderDirectory(const Tree& tree, std::string_view path,
                                             const DirectorySource& source,
                                             int64_t max_combined_size) {
  Result<std::string> dir_path = ResolveAppPath(tree, path);
  if (!dir_path.ok()) return dir_path.status();
  const TreeNodePtr dir = tree.FindDirectory(*dir_path);
  Result<std::vector<ManifestFile>> files = SelectFiles(*dir, source, max_combined_size);
  if (!files.ok()) return files.status();
  Result<std::vector<json>> docs = ReadDocuments(*files);
  if (!docs.ok()) return docs.status();
  // The controller refuses, on reading them back, objects the repo-server let through.
  for (const json& d : *docs) {
    if (KindOf(d).empty()) return Status::Error(MissingKindError(d));
  }
  auto rendered = std::make_shared<RenderedManifests>();
  for (json& d : *docs) rendered->objects.push_back(std::make_shared<const Object>(std::move(d)));
  rendered->warnings = DeduplicateTargets(rendered->objects).warnings;
  return RenderedManifestsPtr(std::move(rendered));
}

}  // namespace fleetsim
