#include "sim/argocd/appset_spec.h"

#include <algorithm>

namespace fleetsim {
namespace {

const Json& At(const Json& doc, std::initializer_list<const char*> path) {
  static const Json kNull;
  const Json* node = &doc;
  for (const char* key : path) {
    if (!node->is_object()) return kNull;
    auto it = node->find(key);
    if (it == node->end()) return kNull;
    node = &*it;
  }
  return *node;
}

std::string StringAt(const Json& doc, std::initializer_list<const char*> path) {
  const Json& v = At(doc, path);
  return v.is_string() ? v.get<std::string>() : "";
}

std::vector<std::string> Strings(const Json& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const Json& item : v) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<RollingSyncStep> ParseSteps(const Json& steps) {
  std::vector<RollingSyncStep> out;
  if (!steps.is_array()) return out;
  for (const Json& s : steps) {
    RollingSyncStep step;
    for (const Json& e : At(s, {"matchExpressions"})) {
      RollingSyncStep::Expression expr;
      expr.key = StringAt(e, {"key"});
      // progressive_sync.go reports operators other than In and NotIn in the
      // InvalidRolloutConfig condition; they do not stop the reconcile.
      expr.op = StringAt(e, {"operator"});
      expr.values = Strings(At(e, {"values"}));
      step.match_expressions.push_back(std::move(expr));
    }
    const Json& max = At(s, {"maxUpdate"});
    if (!max.is_null()) step.max_update = max;
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& KnownGeneratorKinds() {
  static const std::vector<std::string_view> kinds = {
      "list",        "clusters", "git",   "scmProvider", "clusterDecisionResource",
      "pullRequest", "matrix",   "merge", "plugin"};
  return kinds;
}

std::optional<AppSetPolicy> ParseAppSetPolicy(std::string_view text) {
  if (text.empty() || text == "sync") return AppSetPolicy::kSync;
  if (text == "create-only") return AppSetPolicy::kCreateOnly;
  if (text == "create-update") return AppSetPolicy::kCreateUpdate;
  if (text == "create-delete") return AppSetPolicy::kCreateDelete;
  return std::nullopt;
}

bool AllowsUpdate(AppSetPolicy p) {
  return p == AppSetPolicy::kSync || p == AppSetPolicy::kCreateUpdate;
}
bool AllowsDelete(AppSetPolicy p) {
  return p == AppSetPolicy::kSync || p == AppSetPolicy::kCreateDelete;
}

AppSetPolicy EffectivePolicy(const AppSetSpec& spec, std::string_view controller_policy,
                             bool override_enabled) {
  AppSetPolicy controller = ParseAppSetPolicy(controller_policy).value_or(AppSetPolicy::kSync);
  if (!spec.applications_sync || !override_enabled) return controller;
  return ParseAppSetPolicy(*spec.applications_sync).value_or(controller);
}

std::string UnrecognizedGeneratorsMessage(const AppSetSpec& spec) {
  std::string names;
  for (const std::string& n : spec.unrecognized_generators) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  return "ApplicationSet " + spec.name + " contains unrecognized generators: " + names;
}

Result<AppSetSpec> ParseAppSetSpec(const Json& doc) {
  AppSetSpec spec;
  spec.name = StringAt(doc, {"metadata", "name"});
  std::string ns = StringAt(doc, {"metadata", "namespace"});
  if (!ns.empty()) spec.ns = ns;
  spec.uid = StringAt(doc, {"metadata", "uid"});
  spec.finalizers = Strings(At(doc, {"metadata", "finalizers"}));
  const Json& s = At(doc, {"spec"});
  if (!s.is_object()) return Status::Error("ApplicationSet " + spec.name + " has no spec");
  const Json& go = At(s, {"goTemplate"});
  spec.go_template = go.is_boolean() && go.get<bool>();
  spec.go_template_options = Strings(At(s, {"goTemplateOptions"}));
  Result<GoTemplateOptions> options = ParseGoTemplateOptions(spec.go_template_options);
  if (!options.ok()) return options.status();
  spec.template_options = *options;
  const Json& generators = At(s, {"generators"});
  if (generators.is_array()) spec.generators = generators;
  std::vector<std::string> unknown;
  for (const Json& g : spec.generators) {
    if (!g.is_object())
      return Status::Error("ApplicationSet " + spec.name + ": a generator must be a map");
    for (const auto& [key, value] : g.items()) {
      const auto& kinds = KnownGeneratorKinds();
      if (key != "selector" && std::find(kinds.begin(), kinds.end(), key) == kinds.end()) {
        unknown.push_back(key);
      }
    }
  }
  std::sort(unknown.begin(), unknown.end());
  unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
  spec.unrecognized_generators = std::move(unknown);
  const Json& tmpl = At(s, {"template"});
  if (tmpl.is_object()) spec.template_ = tmpl;
  const Json& patch = At(s, {"templatePatch"});
  if (patch.is_string()) spec.template_patch = patch.get<std::string>();
  const Json& sync = At(s, {"syncPolicy", "applicationsSync"});
  if (sync.is_string()) {
    std::string value = sync.get<std::string>();
    if (!ParseAppSetPolicy(value) || value.empty()) {
      return Status::Error("ApplicationSet " + spec.name +
                           ": spec.syncPolicy.applicationsSync: Unsupported value: \"" + value +
                           "\": supported values: \"create-only\", \"create-update\", "
                           "\"create-delete\", \"sync\"");
    }
    spec.applications_sync = value;
  }
  const Json& preserve = At(s, {"syncPolicy", "preserveResourcesOnDeletion"});
  spec.preserve_resources_on_deletion = preserve.is_boolean() && preserve.get<bool>();
  spec.preserved_annotations = Strings(At(s, {"preservedFields", "annotations"}));
  spec.preserved_labels = Strings(At(s, {"preservedFields", "labels"}));
  Result<std::vector<IgnoreDifferencesRule>> ignore =
      ParseIgnoreDifferences(At(s, {"ignoreApplicationDifferences"}));
  if (!ignore.ok())
    return Status::Error("ApplicationSet " + spec.name + ": spec." + ignore.error());
  spec.ignore_differences = std::move(ignore).value();
  // IsRollingSyncStrategy: the type says RollingSync and a rollingSync block is present.
  spec.rolling_sync = StringAt(s, {"strategy", "type"}) == "RollingSync" &&
                      At(s, {"strategy", "rollingSync"}).is_object();
  spec.deletion_order_reverse = StringAt(s, {"strategy", "deletionOrder"}) == "Reverse";
  spec.steps = ParseSteps(At(s, {"strategy", "rollingSync", "steps"}));
  return spec;
}

}  // namespace fleetsim
