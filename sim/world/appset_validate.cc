// World::ValidateApplicationSets: what `fleetsim validate` checks of the ApplicationSets a
// scenario can reach (DESIGN.md: validate renders everything it can and exits 2 on any error).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "sim/argocd/app_project.h"
#include "sim/argocd/appset_generate.h"
#include "sim/argocd/argo_manifests.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

struct FoundAppSet {
  std::string file;  // as the scenario names it
  YAML::Node node;   // the document, for positions
  Json doc;
};

std::string Position(const FoundAppSet& found, const AppSetIssue& issue) {
  return found.file + ":" + IssuePosition(found.node, issue);
}

std::string Mark(const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  return std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// What argocd-server's ValidateProject would refuse of an AppProject's sync windows and
// restrictions (a kubectl-applied project is not checked upstream, but such a window blocks
// every sync it selects), each at its YAML position.
void ValidateProject(const std::string& file, const YAML::Node& node, const Json& doc,
                     TimeZoneDatabase* zones, std::vector<std::string>& errors) {
  std::string name = doc.value("metadata", Json::object()).value("name", "");
  std::string prefix = ": AppProject " + name + ": ";
  Result<AppProject> project = ParseAppProject(Object(doc));
  if (!project.ok()) {
    errors.push_back(file + ":" + Mark(node) + prefix + project.error());
    return;
  }
  const YAML::Node spec = node["spec"];
  for (size_t i = 0; i < project->source_repos.size(); ++i) {
    if (project->source_repos[i] == "!*") {
      errors.push_back(file + ":" + Mark(spec["sourceRepos"][i]) + prefix +
                       "source repository has an invalid format, '!*'");
    }
  }
  ResolveSyncWindows(project->sync_windows, zones);
  for (size_t i = 0; i < project->sync_windows.size(); ++i) {
    const SyncWindow& w = project->sync_windows[i];
    const YAML::Node at = spec["syncWindows"][i];
    std::string where = "spec.syncWindows[" + std::to_string(i) + "]: ";
    if (w.kind != "allow" && w.kind != "deny") {
      errors.push_back(file + ":" + Mark(at["kind"] ? at["kind"] : at) + prefix + where + "kind '" +
                       w.kind + "' mismatch: can only be allow or deny");
    }
    if (!w.error.empty()) {
      const char* field = w.cron ? "duration" : "schedule";
      errors.push_back(file + ":" + Mark(at[field] ? at[field] : at) + prefix + where + w.error);
    }
    if (w.applications.empty() && w.namespaces.empty() && w.clusters.empty()) {
      errors.push_back(file + ":" + Mark(at) + prefix + where + "window '" + w.kind + "':'" +
                       w.schedule + "':'" + w.duration +
                       "' requires one of application, cluster or namespace");
    }
  }
}

}  // namespace

std::vector<std::string> World::ValidateApplicationSets() {
  std::vector<FoundAppSet> appsets;
  std::set<std::string> projects;
  std::vector<std::string> project_errors;
  for (const RepoSpec& spec : scenario_.repos) {
    const Repository* repo = git_.FindByName(spec.name);
    if (repo == nullptr || repo->empty()) continue;
    FindArgoDocuments(repo->head().tree, [&](const ArgoDocument& found) {
      if (IsArgoKind(found.doc, "AppProject")) {
        projects.insert(found.doc.value("metadata", Json::object()).value("name", ""));
        ValidateProject(spec.tree + "/" + found.path, found.node, found.doc, &time_zones_,
                        project_errors);
      }
      if (IsArgoKind(found.doc, "ApplicationSet")) {
        appsets.push_back({spec.tree + "/" + found.path, found.node, found.doc});
      }
    });
  }
  WorldAppSetSources sources(git_, nullptr, registry_, cluster_directory(), nullptr);
  sources.set_known_projects(projects);
  std::vector<std::string> errors = std::move(project_errors);
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
      const Json& meta = spec->template_.value("metadata", Json::object());
      if (meta.is_object() && meta.contains("name") && meta["name"].is_string()) {
        name_text = meta["name"].get<std::string>();
      }
      report({validation.message, "ApplicationValidationError", name_text, -1});
    }
  }
  return errors;
}

}  // namespace fleetsim
