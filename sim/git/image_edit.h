// The `set-image` history op: a new container image in workload manifests or in a kustomization.
#ifndef FLEETSIM_SIM_GIT_IMAGE_EDIT_H_
#define FLEETSIM_SIM_GIT_IMAGE_EDIT_H_

#include <string>
#include <string_view>

#include "engine/status.h"

namespace fleetsim {

// An image reference split as kustomize splits it: "[host[:port]/]path[:tag][@digest]".
struct ImageRef {
  std::string name;    // everything before the tag or digest
  std::string tag;     // without ':'
  std::string digest;  // without '@', e.g. "sha256:..."
};
ImageRef SplitImageRef(std::string_view image);

// Whether kustomize reads a file of this base name as a kustomization: kustomization.yaml,
// kustomization.yml or Kustomization.
bool IsKustomizationFileName(std::string_view base_name);

// Returns `text` (one or more YAML documents) with `image` set on every container named
// `container` (in containers or initContainers) of every workload's pod template: Pod,
// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, Rollout
// (spec.template) and CronJob (spec.jobTemplate.spec.template). Fails if none matched.
Result<std::string> SetWorkloadImage(std::string_view text, std::string_view container,
                                     std::string_view image);

// Returns the kustomization `text` with its `images:` list edited as
// `kustomize edit set image <container>=<image>` (kustomize v5) does: the entry whose `name` is
// `container` is replaced (or added) by {name, newName: image's name, newTag, digest} from
// SplitImageRef, "*" as the new name, tag or digest keeping the old value; the list is sorted by
// name, one entry per name. kustomize writes newName even when it equals the name.
Result<std::string> SetKustomizationImage(std::string_view text, std::string_view container,
                                          std::string_view image);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_GIT_IMAGE_EDIT_H_
