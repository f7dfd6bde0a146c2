// The result of rendering an Application source (directory today; Kustomize and Helm later), and
// the two pieces of Argo CD's controller that apply to any rendered set: the ComparisonError text
// for a failed render, and the RepeatedResourceWarning check.
#ifndef FLEETSIM_SIM_MANIFEST_RENDERED_MANIFESTS_H_
#define FLEETSIM_SIM_MANIFEST_RENDERED_MANIFESTS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "sim/manifest/object.h"

namespace fleetsim {

// Immutable once made, and shared by every Application rendering the same inputs.
struct RenderedManifests {
  // The target objects in the order Argo CD's repo-server returns them. Namespaces are as written
  // (defaulting to the destination namespace is the sync engine's job).
  std::vector<ObjectPtr> objects;
  // RepeatedResourceWarning messages for objects repeated as written (see DeduplicateTargets); the
  // controller's authoritative check runs after namespace defaulting.
  std::vector<std::string> warnings;
};

using RenderedManifestsPtr = std::shared_ptr<const RenderedManifests>;

// The message of the ComparisonError condition the application controller sets when rendering
// source `index` (0-based) of `count` failed with `render_error` (controller/state.go):
//   Failed to load target state: failed to generate manifest for source 1 of 1: <render_error>
// Renderers word errors from the repo-server as the gRPC client prints them ("rpc error: code =
// FailedPrecondition desc = ..."); any other error comes from the controller reading the rendered
// manifests back, and is worded "... failed to unmarshal manifests for source 1 of 1: ...".
std::string TargetStateError(std::string_view render_error, size_t index, size_t count);

// "rpc error: code = <code> desc = <description>": a repo-server error as the controller sees it.
std::string RpcError(std::string_view code, std::string_view description);

// The objects a config-management tool printed (kustomize build, helm template): YAML documents
// in order (empty ones skipped), Lists expanded, each with a kind; RepeatedResourceWarning
// messages as for a directory. Errors as ParseManifestFile words them.
Result<RenderedManifestsPtr> RenderedFromYaml(std::string_view yaml);

struct DeduplicatedTargets {
  std::vector<ObjectPtr> objects;
  // "Resource apps/Deployment/prod/web appeared 2 times among application resources.", sorted by
  // resource key.
  std::vector<std::string> warnings;
};

// The last step of the controller's NormalizeTargetObjects (controller/state.go), to be run after
// namespace defaulting: objects are keyed by (group, kind, namespace, name), an object with no name
// but a generateName by generateName followed by its index in `objects`; each repeated key gives
// one warning, and only its last object is kept. Argo CD walks a Go map here, so its output order
// is random; fleetsim keeps each key where it first appears.
DeduplicatedTargets DeduplicateTargets(const std::vector<ObjectPtr>& objects);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_RENDERED_MANIFESTS_H_
