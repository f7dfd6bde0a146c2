// The ApplicationSet generators (reference/argocd.md 4.4, 4.5; argo-cd applicationset/generators/
// *.go): list, clusters, git directories and files, matrix and merge, each producing parameter
// sets from one generator entry of spec.generators, with Argo CD's error texts.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_H_

#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/argocd/appset_params.h"
#include "sim/argocd/appset_render.h"
#include "sim/argocd/appset_sources.h"
#include "sim/argocd/appset_spec.h"

namespace fleetsim {

struct GeneratorContext {
  const AppSetSpec& spec;
  AppSetSources& sources;
  AppSetRenderer& renderer;
  bool no_revision_cache = false;  // the application-set-refresh annotation or a webhook
};

// generators.Transform of one entry: the parameter sets of each generator the entry holds (in
// Argo CD's field order), after the entry's `selector`. `outer` (a matrix's first child's set, or
// empty) is interpolated into the entry's strings first. `nested` is true inside a matrix or merge.
Result<std::vector<ParamSet>> TransformGenerator(const Json& entry, GeneratorContext& ctx,
                                                 const ParamSet& outer, int depth);

// GetRequeueAfter of an entry: git and clusterDecisionResource `git_default` (or
// requeueAfterSeconds), scmProvider, pullRequest and plugin 30 min, list and clusters none (zero),
// matrix and merge the smallest non-zero of their children.
SimDuration GeneratorRequeueAfter(const Json& entry, SimDuration git_default);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_GENERATORS_H_
