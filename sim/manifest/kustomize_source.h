// Rendering an Argo CD Kustomize source (a source path holding kustomization.yaml,
// kustomization.yml or Kustomization) as the repo-server of argo-cd v3.5 does
// (util/kustomize/kustomize.go): the Application's spec.source.kustomize options are written into
// a copy of the kustomization, as `kustomize edit set/add ...` would, then `kustomize build <path>`
// runs, and its output is read as a directory source's files are (Lists expanded, kinds checked).
//
// The tool: `kustomize` when installed, else `kubectl kustomize` (kubectl carries kustomize);
// neither installed gives the Application Argo CD's "executable file not found" error. Only the
// kustomization's inputs are written to the tool's workspace, at their paths in the repository:
// every kustomization file reached through resources, bases, components (and `../../base`
// references), and every file its fields name (patches, generator files and envs, configurations,
// generators and transformers with the files those name, CRDs, replacements, openapi, a Helm
// chart home). Remote resources (URLs, `github.com/...`) are refused without going to the
// network.
//
// Caching: a render is keyed by the Git blob ids and paths of those inputs plus the options, so
// unchanged inputs render once, across commits and across Applications; failures are cached too.
//
// Errors read as the application controller receives them, with the checkout shown as
// "<path to cached source>" (Argo CD's redaction), and kubectl's log format turned into
// kustomize's "Error: ..." line:
//   rpc error: code = Unknown desc = `kustomize build <path to cached source>/apps/overlays/prod`
//       failed exit status 1: Error: accumulating resources: ...
#ifndef FLEETSIM_SIM_MANIFEST_KUSTOMIZE_SOURCE_H_
#define FLEETSIM_SIM_MANIFEST_KUSTOMIZE_SOURCE_H_

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/status.h"
#include "sim/git/object_id.h"
#include "sim/git/tree.h"
#include "sim/manifest/rendered_manifests.h"
#include "sim/manifest/tool_runner.h"

namespace fleetsim {

// spec.source.kustomize, the options Argo CD turns into `kustomize edit` commands.
struct KustomizeOptions {
  std::string name_prefix;
  std::string name_suffix;
  std::string ns;                   // namespace
  std::vector<std::string> images;  // "name=newName:tag", "name:tag", "name@digest", ...
  std::map<std::string, std::string> common_labels;
  std::map<std::string, std::string> common_annotations;
  std::vector<std::pair<std::string, int64_t>> replicas;  // name, count
  std::vector<std::string> components;
  bool force_common_labels = false;
  bool force_common_annotations = false;
  bool label_without_selector = false;
  bool label_include_templates = false;

  auto operator<=>(const KustomizeOptions&) const = default;
  bool operator==(const KustomizeOptions&) const = default;
  bool empty() const { return *this == KustomizeOptions{}; }
};

// The kustomization file names kustomize looks for, in its order.
inline constexpr std::string_view kKustomizationNames[] = {"kustomization.yaml",
                                                           "kustomization.yml", "Kustomization"};

// `ref`, relative to repository directory `dir`, as a clean repository path ("" for the root);
// nullopt when it is absolute or leaves the repository.
std::optional<std::string> ResolveRepoPath(const std::string& dir, std::string_view ref);

// The files `kustomize build` of directory `dir` of `tree` reads (see the top of this file), by
// path; an error for a remote resource. The files point into `tree`.
Result<std::map<std::string, const Blob*>> KustomizeInputs(const Tree& tree,
                                                           const std::string& dir);

// `kustomization` (a kustomization file's text) edited as Argo CD's `kustomize edit` commands
// would edit it for `options`; an error worded as Argo CD reports a failed edit command.
Result<std::string> ApplyKustomizeOptions(const std::string& kustomization,
                                          const KustomizeOptions& options);

// kustomize's error line from a tool's stderr: kustomize's own "Error: ..." as is; kubectl's
// "error: ..." and its klog form (`E1127 ... "command failed" err="..."`) as kustomize writes it.
std::string KustomizeErrorText(std::string_view stderr_text);

class KustomizeRenderer {
 public:
  // `tools` nullptr: neither kustomize nor kubectl is installed. REQUIRES: `tools` outlives this.
  explicit KustomizeRenderer(ToolRunner* tools) : tools_(tools) {}
  KustomizeRenderer(const KustomizeRenderer&) = delete;
  KustomizeRenderer& operator=(const KustomizeRenderer&) = delete;

  // Renders the Kustomize source at `path` of `tree`, from the cache when its inputs were
  // rendered before.
  Result<RenderedManifestsPtr> Render(const Tree& tree, std::string_view path,
                                      const KustomizeOptions& options);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }  // renders that ran the tool (or tried to)

 private:
  enum class Tool { kUnknown, kKustomize, kKubectl, kNone };
  Result<RenderedManifestsPtr> Build(const Tree& tree, const std::string& dir,
                                     const std::map<std::string, const Blob*>& inputs,
                                     const KustomizeOptions& options);
  Result<ToolOutcome> RunTool(ToolInvocation invocation, const std::string& dir);

  ToolRunner* tools_;
  Tool tool_ = Tool::kUnknown;
  std::map<ObjectId, Result<RenderedManifestsPtr>> entries_;  // by hash of inputs and options
  // The entry each (root tree id, path, options) found, so a repeated lookup skips the walk.
  std::map<std::tuple<TreeId, std::string, KustomizeOptions>, const Result<RenderedManifestsPtr>*>
      known_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_KUSTOMIZE_SOURCE_H_
