// Kubernetes' strategic merge patch (k8s.io/apimachinery pkg/util/strategicpatch
// StrategicMergePatch) on the Application type, as applicationset/controllers/template/patch.go
// applies an ApplicationSet's templatePatch. Maps merge key by key and null deletes; lists are
// replaced unless the Go type marks them patchStrategy "merge": on an Application that is
// metadata.finalizers (scalars: union, ordered as strategicpatch orders it) and
// metadata.ownerReferences (merged by uid). The directives $patch (replace, delete, and delete
// inside merged lists), $retainKeys, $deleteFromPrimitiveList/<field> and
// $setElementOrder/<field> are honoured. The result then reads as Go decodes it into the struct:
// nulls and leftover directive keys dropped.
#ifndef FLEETSIM_SIM_ARGOCD_STRATEGIC_MERGE_H_
#define FLEETSIM_SIM_ARGOCD_STRATEGIC_MERGE_H_

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

// REQUIRES: `original` and `patch` are objects.
Result<Json> StrategicMergeApplication(Json original, const Json& patch);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_STRATEGIC_MERGE_H_
