// World::ValidateApplicationSets: what `fleetsim validate` checks of the ApplicationSets a
// scenario can reach (DESIGN.md: validate renders everything it can and exits 2 on any error).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "sim/argocd/appset_generate.h"
#include "sim/argocd/argo_manifests.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

struct FoundAppSet {
  std::string file;  // as the scenario names it
  YAML::Node node;   // the document, for positions
  nlohmann::json doc;
};

std::string Position(const FoundAppSet& found, const AppSetIssue& issue) {
  return found.file + ":" + IssuePosition(found.node, issue);
}

}  // namespace

std::vector<std::string> World::ValidateApplicationSets() {
  std::vector<FoundAppSet> appsets;
  std::set<std::string> projects;
  for (const RepoSpec& spec : scenario_.repos) {
    const Repository* repo = git_.FindByName(spec.name);
    if (repo == nullptr || repo->empty()) continue;
    FindArgoDocuments(repo->head().tree, [&](const ArgoDocument& found) {
      if (IsArgoKind(found.doc, "AppProject")) {
        projects.insert(found.doc.value("metadata", nlohmann::json::object()).value("name", ""));
      }
      if (IsArgoKind(found.doc, "ApplicationSet")) {
        appsets.push_back({spec.tree + "/" + found.path, found.node, found.doc});
      }
    });
  }
  WorldAppSetSources sources(git_, nullptr, registry_, cluster_directory(), nullptr);
  sources.set_known_projects(projects);
  std::vector<std::string> errors;
  for (const FoundAppSet& found : appsets) {
    std::string name = found.doc["metadata"].value("name", "");
    auto report = [&](const AppSetIssue& issue) {
      std::string line = Position(found, issue) + ": ApplicationSet " + name + ": " + issue.message;
      if (std::find(errors.begin(), errors.end(), line) == errors.end()) errors.push_back(line);
    };
    Result<AppSetSpec> spec = ParseAppSetSpec(found.doc);
    if (!spec.ok()) {
      report({spec.error(), "", "", -1});
      continue;
    }
    if (!spec->unrecognized_generators.empty()) report(UnrecognizedGeneratorsIssue(*spec));
    GenerateOptions options;
    options.keep_going = true;
    GeneratedApps generated = GenerateApplications(*spec, sources, options);
    for (const AppSetIssue& issue : generated.errors) report(issue);
    ValidationResult validation = ValidateApplications(*spec, generated.apps, sources);
    if (!validation.message.empty()) {
      std::string name_text;
      const nlohmann::json& meta = spec->template_.value("metadata", nlohmann::json::object());
      if (meta.is_object() && meta.contains("name") && meta["name"].is_string()) {
        name_text = meta["name"].get<std::string>();
      }
      report({validation.message, "ApplicationValidationError", name_text, -1});
    }
  }
  return errors;
}

}  // namespace fleetsim
