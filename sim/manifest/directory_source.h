// Rendering an Argo CD directory source (spec.source.directory) from a Git tree, as the
// repo-server of argo-cd v3.5 does (reposerver/repository/repository.go: findManifests,
// getPotentiallyValidManifests, getObjsFromYAMLOrJSON, and the list step of GenerateManifests).
//
//   * Files: the source path's files, and with `recurse` those of every subdirectory, in the order
//     Go's filepath.Walk visits them (names in byte order within each directory, a subdirectory's
//     files at its name's place); within a file, documents in order; a List in place of its items.
//   * A file is read when its name matches ^.*\.(yaml|yml|json|jsonnet)$; it is not excluded
//     (`exclude` matches its path relative to the source path); `include` is empty or matches that
//     path (globs: see glob.h; exclude wins); and it does not contain
//     "+argocd:skip-file-rendering". The files read may total at most `max_combined_size` bytes
//     (jsonnet files do not count).
//   * Each file is parsed as manifest_parser.h says; a file that is not a manifest is ignored.
//
// Errors, worded as the application controller receives them from the repo-server (pass them to
// TargetStateError for the ComparisonError text):
//   rpc error: code = Unknown desc = apps/web: app path does not exist
//   rpc error: code = Unknown desc = apps/web: app path is not a directory
//   rpc error: code = Unknown desc = /apps: app path is absolute
//   rpc error: code = Unknown desc = ../x: app path outside root
//   rpc error: code = Unknown desc = failed to get potentially valid manifests: exceeded max
//       combined manifest file size
//   rpc error: code = FailedPrecondition desc = Failed to unmarshal "web.yaml": failed to
//       unmarshal manifest: error converting YAML to JSON: yaml: line 7, column 3: ...
//   rpc error: code = Unknown desc = items member is not an object: map[string]interface {}
// and one the controller raises when reading the result back (a JSON file or List item without a
// kind): Object 'Kind' is missing in '{...}'.
//
// An empty directory, or one without manifests, renders to no objects (not an error). Objects
// without apiVersion or metadata.name render too, as in Argo CD: the API server refuses them at
// sync.
//
// Not modelled: `.argocd-source.yaml` / `.argocd-source-<app>.yaml` parameter overrides (a
// directory source takes none that matter here) and the detection of Kustomize, Helm or plugin
// sources in the same path (the caller picks the source type); symbolic links (fleetsim trees have
// none); jsonnet, which fails with a message saying fleetsim does not evaluate it; the
// disableExtensionFilter option (argo-cd 3.6).
#ifndef FLEETSIM_SIM_MANIFEST_DIRECTORY_SOURCE_H_
#define FLEETSIM_SIM_MANIFEST_DIRECTORY_SOURCE_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "sim/git/tree.h"
#include "sim/manifest/rendered_manifests.h"

namespace fleetsim {

// spec.source.directory.
struct DirectorySource {
  bool recurse = false;
  std::string include;  // glob on paths relative to the source path; "" reads every file
  std::string exclude;  // glob; "" excludes nothing

  auto operator<=>(const DirectorySource&) const = default;
  bool operator==(const DirectorySource&) const = default;
};

// The repo-server's --max-combined-directory-manifests-size default, "10M" (10^7 bytes).
inline constexpr int64_t kDefaultMaxCombinedManifestsSize = 10'000'000;

// The directory `path` names in `tree`, as a clean tree path ("" for the root), or Argo CD's
// error for a path that is absolute, leaves the root, does not exist or is a file. "." and ".."
// components are resolved lexically, as Go's filepath.Join does.
Result<std::string> ResolveAppPath(const Tree& tree, std::string_view path);

// Renders the directory source at `path` of `tree`. 0 for `max_combined_size` means no limit.
Result<RenderedManifestsPtr> RenderDirectory(
    const Tree& tree, std::string_view path, const DirectorySource& source,
    int64_t max_combined_size = kDefaultMaxCombinedManifestsSize);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_DIRECTORY_SOURCE_H_
