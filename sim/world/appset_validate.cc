// World::ValidateApplicationSets: what `fleetsim validate` checks of the ApplicationSets a
// scenario can reach (DESIGN.md: validate renders everything it can and exits 2 on any error).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "sim/argocd/appset_generate.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

bool IsManifestPath(const std::string& path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

bool IsKind(const nlohmann::json& doc, std::string_view kind) {
  return doc.is_object() && doc.value("kind", "") == kind &&
         doc.value("apiVersion", "").rfind("argoproj.io/", 0) == 0;
}

// The 1-based position of the first scalar equal to `text` under `node`.
bool FindScalar(const YAML::Node& node, const std::string& text, YAML::Mark* mark) {
  if (node.IsScalar()) {
    if (node.Scalar() != text) return false;
    *mark = node.Mark();
    return true;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& child : node) {
      if (FindScalar(child, text, mark)) return true;
    }
  }
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (FindScalar(kv.first, text, mark) || FindScalar(kv.second, text, mark)) return true;
    }
  }
  return false;
}

struct FoundAppSet {
  std::string file;  // on disk
  YAML::Node node;   // the document, for positions
  nlohmann::json doc;
};

std::string Position(const FoundAppSet& found, const AppSetIssue& issue) {
  YAML::Mark mark = found.node.Mark();
  if (!issue.text.empty()) {
    FindScalar(found.node, issue.text, &mark);
  } else if (issue.generator >= 0) {
    YAML::Node generators = found.node["spec"]["generators"];
    if (generators.IsSequence() && static_cast<size_t>(issue.generator) < generators.size()) {
      mark = generators[static_cast<size_t>(issue.generator)].Mark();
    }
  }
  return found.file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace

std::vector<std::string> World::ValidateApplicationSets() {
  std::vector<FoundAppSet> appsets;
  std::set<std::string> projects;
  for (const RepoSpec& spec : scenario_.repos) {
    const Repository* repo = git_.FindByName(spec.name);
    if (repo == nullptr || repo->empty()) continue;
    repo->head().tree.Walk("", [&](const std::string& path, const Blob& blob) {
      if (!IsManifestPath(path)) return;
      Result<std::vector<nlohmann::json>> docs = YamlToJson(blob.content());
      if (!docs.ok()) return;  // the repo-server reports a broken manifest when an app renders it
      std::vector<YAML::Node> nodes;
      try {
        for (const YAML::Node& n : YAML::LoadAll(blob.content())) {
          if (!n.IsNull()) nodes.push_back(n);
        }
      } catch (const YAML::Exception&) {
        return;
      }
      for (size_t i = 0; i < docs->size(); ++i) {
        const nlohmann::json& doc = (*docs)[i];
        if (IsKind(doc, "AppProject")) {
          projects.insert(doc.value("metadata", nlohmann::json::object()).value("name", ""));
        }
        if (IsKind(doc, "ApplicationSet") && i < nodes.size()) {
          appsets.push_back({spec.tree + "/" + path, nodes[i], doc});
        }
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
    if (!spec->unrecognized_generators.empty()) {
      AppSetIssue issue{UnrecognizedGeneratorsMessage(*spec), "", "", -1};
      for (size_t i = 0; i < spec->generators.size(); ++i) {
        for (const std::string& key : spec->unrecognized_generators) {
          if (spec->generators[i].contains(key)) issue.generator = static_cast<int>(i);
        }
      }
      report(issue);
    }
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
