// Rendering an Argo CD Helm source from Git (a source path holding Chart.yaml) as the repo-server
// of argo-cd v3.5 does (reposerver/repository/repository.go helmTemplate, util/helm/cmd.go
// template): `helm template . --name-template <release> --namespace <ns> ...` in the chart's
// directory, with the chart, its value files and file parameters written to the tool's workspace.
// The release name is helm.releaseName or the Application's name; the namespace helm.namespace or
// the destination's. Renders are cached by the inputs' blob ids and the options, like Kustomize's.
//
// Not modelled: `helm dependency build` (charts/ must be in Git), Helm repository and OCI charts,
// `$ref` value files of multi-source Applications, remote value files, build environment variables.
//
// Errors read as the application controller receives them, e.g. without helm installed:
//   rpc error: code = Unknown desc = failed to execute helm template command: failed running helm:
//       exec: "helm": executable file not found in $PATH
#ifndef FLEETSIM_SIM_MANIFEST_HELM_SOURCE_H_
#define FLEETSIM_SIM_MANIFEST_HELM_SOURCE_H_

#include <compare>
#include <cstdint>
#include <map>
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

struct HelmParameter {
  std::string name;
  std::string value;
  bool force_string = false;
  auto operator<=>(const HelmParameter&) const = default;
  bool operator==(const HelmParameter&) const = default;
};

// spec.source.helm, with the release name and namespace already defaulted from the Application.
struct HelmOptions {
  std::string release_name;
  std::string ns;
  std::vector<std::string> value_files;  // relative to the chart's directory
  std::string values;                    // values, or valuesObject as YAML; "" for none
  std::vector<HelmParameter> parameters;
  std::vector<std::pair<std::string, std::string>> file_parameters;  // name, path
  std::string kube_version;
  std::vector<std::string> api_versions;
  bool skip_crds = false;
  bool skip_tests = false;
  bool skip_schema_validation = false;

  auto operator<=>(const HelmOptions&) const = default;
  bool operator==(const HelmOptions&) const = default;
};

// The arguments of `helm template` as Argo CD builds them, for chart "." and, when
// `values_file` is not empty, the file holding options.values. Argo CD walks Go maps for
// --set, --set-string and --set-file (a random order); fleetsim sorts them by name. Commas in a
// value are escaped unless it is a {list}.
std::vector<std::string> HelmTemplateArgs(const HelmOptions& options,
                                          const std::string& values_file);

class HelmRenderer {
 public:
  // `tools` nullptr: helm is not installed. REQUIRES: `tools` outlives this.
  explicit HelmRenderer(ToolRunner* tools) : tools_(tools) {}
  HelmRenderer(const HelmRenderer&) = delete;
  HelmRenderer& operator=(const HelmRenderer&) = delete;

  Result<RenderedManifestsPtr> Render(const Tree& tree, std::string_view path,
                                      const HelmOptions& options);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  Result<RenderedManifestsPtr> Build(const std::string& dir,
                                     const std::map<std::string, const Blob*>& inputs,
                                     const HelmOptions& options);

  ToolRunner* tools_;
  std::map<ObjectId, Result<RenderedManifestsPtr>> entries_;
  std::map<std::tuple<TreeId, std::string, HelmOptions>, const Result<RenderedManifestsPtr>*>
      known_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_HELM_SOURCE_H_
