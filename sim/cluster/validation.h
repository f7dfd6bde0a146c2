// The API server's validation of the fields that decide whether a sync succeeds: a name, workload
// selectors that match their pod template, and the immutable fields (a Deployment's selector, a
// StatefulSet's spec outside the updatable fields, a Job's selector and template) whose change
// makes `kubectl apply` fail. Messages are the API server's own.
#ifndef FLEETSIM_SIM_CLUSTER_VALIDATION_H_
#define FLEETSIM_SIM_CLUSTER_VALIDATION_H_

#include <map>
#include <string>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/cluster/api_resources.h"

namespace fleetsim {

// REQUIRES: `doc` is a JSON object of the kind `resource` serves.
Status ValidateCreate(const ApiResource& resource, const Json& doc);
// REQUIRES: both documents are JSON objects of the kind `resource` serves.
Status ValidateUpdate(const ApiResource& resource, const Json& old_doc, const Json& new_doc);

// Go's %#v of a map[string]string: `map[string]string{"a":"1", "b":"2"}`.
std::string GoStringMap(const std::map<std::string, std::string>& m);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_VALIDATION_H_
