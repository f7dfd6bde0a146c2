// The error texts a Kubernetes API server answers with (what kubectl prints after "Error from
// server (...):" and what Argo CD shows in a sync result), and tests on them.
#ifndef FLEETSIM_SIM_CLUSTER_API_ERRORS_H_
#define FLEETSIM_SIM_CLUSTER_API_ERRORS_H_

#include <string>
#include <string_view>

#include "engine/status.h"
#include "sim/cluster/api_resources.h"

namespace fleetsim {

// `deployments.apps "web" not found`
Status NotFoundError(const ApiResource& resource, std::string_view name);
// `namespaces "x" not found`
Status NamespaceNotFoundError(std::string_view ns);
// `deployments.apps "web" already exists`
Status AlreadyExistsError(const ApiResource& resource, std::string_view name);
// `deployments.apps "web" is forbidden: unable to create new content in namespace x because it is
// being terminated`
Status NamespaceTerminatingError(const ApiResource& resource, std::string_view name,
                                 std::string_view ns);
// `Deployment.apps "web" is invalid: <detail>`
Status InvalidError(const ApiResource& resource, std::string_view name, std::string_view detail);
// `the server could not find the requested resource`
Status UnknownKindError();

// Whether the error is a NotFound (404) answer: of the object, of its namespace, or of its kind.
bool IsNotFound(const Status& status);
bool IsAlreadyExists(const Status& status);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_API_ERRORS_H_
