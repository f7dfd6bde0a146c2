// One ApplicationSet's desired Applications: every generator entry transformed, the template
// rendered per parameter set (argo-cd applicationset/controllers/template/template.go
// GenerateApplications), then the generated Applications validated as the controller does before
// applying them (applicationset_controller.go validateGeneratedApplications).
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_GENERATE_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_GENERATE_H_

#include <map>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "sim/argocd/appset_sources.h"
#include "sim/argocd/appset_spec.h"

namespace fleetsim {

// An error of generation or validation. `reason` is the condition's reason
// (ApplicationParamsGenerationError, RenderTemplateParamsError, ApplicationValidationError);
// `text` is the template string that failed, when one did; `generator` the index of the entry in
// spec.generators, when the error came from one.
struct AppSetIssue {
  std::string message;
  std::string reason;
  std::string text;
  int generator = -1;
};

struct GeneratedApps {
  std::vector<Json> apps;           // in generation order
  std::vector<AppSetIssue> errors;  // the first is the condition Argo CD sets
};

struct GenerateOptions {
  bool no_revision_cache = false;
  // Go on after an error and keep every error (validate): each failing string stays as written and
  // the Application is kept, so that later checks (duplicate names) still run.
  bool keep_going = false;
};

GeneratedApps GenerateApplications(const AppSetSpec& spec, AppSetSources& sources,
                                   const GenerateOptions& options = {});

// validateGeneratedApplications: the names that must not be applied (no name, a duplicate name —
// every Application of that name —, a project that does not exist, a destination that does not
// resolve) with each one's error, and the condition message (the last error by name, with
// " (and N more)").
struct ValidationResult {
  std::map<std::string, std::string> invalid;  // by Application name
  std::string message;
};
ValidationResult ValidateApplications(const AppSetSpec& spec, const std::vector<Json>& apps,
                                      AppSetSources& sources);

// getMinRequeueAfter over spec.generators (zero: no periodic requeue).
SimDuration MinRequeueAfter(const AppSetSpec& spec, SimDuration git_default);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_GENERATE_H_
