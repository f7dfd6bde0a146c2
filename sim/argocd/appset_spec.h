// An ApplicationSet as its controller reads it (argo-cd pkg/apis/application/v1alpha1
// applicationset_types.go): generators, the Application template (kept as JSON, rendered per
// parameter set), the template mode, the sync policy and the RollingSync strategy. The policy rule
// of reference/argocd.md 4.2 (applicationset/utils/policy.go DefaultPolicy) lives here too.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_SPEC_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_SPEC_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/argocd/appset_ignore_differences.h"
#include "sim/argocd/finalizers.h"
#include "sim/template/go_template.h"

namespace fleetsim {

// spec.syncPolicy.applicationsSync and the controller's --policy.
enum class AppSetPolicy { kSync, kCreateOnly, kCreateUpdate, kCreateDelete };

// "" and "sync" give kSync; nullopt for anything else.
std::optional<AppSetPolicy> ParseAppSetPolicy(std::string_view text);
bool AllowsUpdate(AppSetPolicy p);  // sync, create-update
bool AllowsDelete(AppSetPolicy p);  // sync, create-delete

// One RollingSync step: matchExpressions (In/NotIn) on the generated Applications' labels and
// maxUpdate (an int, or a percentage; unset = every Application of the step at once).
struct RollingSyncStep {
  struct Expression {
    std::string key;
    std::string op;  // In or NotIn; any other operator is an InvalidRolloutConfig issue
    std::vector<std::string> values;
  };
  std::vector<Expression> match_expressions;
  std::optional<Json> max_update;  // a number or a "N%" string
};

struct AppSetSpec {
  std::string name;
  std::string ns = "argocd";
  std::string uid;
  std::vector<std::string> finalizers;  // of the ApplicationSet object
  bool go_template = false;
  std::vector<std::string> go_template_options;
  GoTemplateOptions template_options;
  Json generators = Json::array();
  Json template_ = Json::object();  // spec.template: {metadata, spec}
  std::optional<std::string> template_patch;
  std::optional<std::string> applications_sync;  // unset when the appset does not say
  bool preserve_resources_on_deletion = false;
  std::vector<std::string> preserved_annotations;  // spec.preservedFields
  std::vector<std::string> preserved_labels;
  std::vector<IgnoreDifferencesRule> ignore_differences;  // spec.ignoreApplicationDifferences
  bool rolling_sync = false;  // spec.strategy.type RollingSync with a rollingSync block
  std::vector<RollingSyncStep> steps;
  bool deletion_order_reverse = false;
  // Keys of generator entries that name no generator Argo CD knows (CheckInvalidGenerators).
  std::vector<std::string> unrecognized_generators;
};

// Reads an argoproj.io ApplicationSet document. Fails on what the CRD schema or the controller
// refuses before generating (a bad goTemplateOptions entry, a non-object generator, a bad
// applicationsSync value).
Result<AppSetSpec> ParseAppSetSpec(const Json& doc);

// DefaultPolicy: the ApplicationSet's own applicationsSync when it sets one and the override is
// enabled, else the controller's policy ("" = sync).
AppSetPolicy EffectivePolicy(const AppSetSpec& spec, std::string_view controller_policy,
                             bool override_enabled);

// "ApplicationSet NAME contains unrecognized generators: a, b" (utils.CheckInvalidGenerators).
std::string UnrecognizedGeneratorsMessage(const AppSetSpec& spec);

// The generator kinds a generator entry may hold (besides `selector`), in Argo CD's field order.
const std::vector<std::string_view>& KnownGeneratorKinds();

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_SPEC_H_
