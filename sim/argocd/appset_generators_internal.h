// Shared between the generator files; not part of the ApplicationSet controller's interface.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_INTERNAL_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_INTERNAL_H_

#include <vector>

#include "sim/manifest/json.h"

#include "sim/argocd/appset_generators.h"

namespace fleetsim {

// appendTemplatedValues: the generator's `values` (each rendered with `params`) added as
// values.<k> (fasttemplate) or .values.<k> (goTemplate).
Status AppendValues(const Json& generator, ParamSet& params, GeneratorContext& ctx);

// The git generator: `git` is the entry's `git` object.
Result<std::vector<ParamSet>> GitParams(const Json& git, GeneratorContext& ctx);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_INTERNAL_H_
