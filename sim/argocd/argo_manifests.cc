#include "sim/argocd/argo_manifests.h"

#include <vector>

#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

bool IsManifestPath(const std::string& path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json");
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

// Whether `path` lies in a Helm chart: some directory above it holds a Chart.yaml.
bool InHelmChart(const Tree& tree, const std::string& path) {
  for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
       slash = path.rfind('/', slash - 1)) {
    if (tree.Kind(path.substr(0, slash) + "/Chart.yaml") == PathKind::kFile) return true;
  }
  return tree.Kind("Chart.yaml") == PathKind::kFile;
}

}  // namespace

bool IsArgoKind(const Json& doc, std::string_view kind) {
  return doc.is_object() && doc.value("kind", "") == kind &&
         doc.value("apiVersion", "").rfind("argoproj.io/", 0) == 0;
}

void FindArgoDocuments(
    const Tree& tree, const std::function<void(const ArgoDocument&)>& visit,
    const std::function<void(const std::string& path, const std::string& error)>& broken) {
  tree.Walk("", [&](const std::string& path, const Blob& blob) {
    if (!IsManifestPath(path)) return;
    Result<std::vector<Json>> docs = YamlToJson(blob.content());
    if (!docs.ok()) {
      if (broken && blob.content().find("argoproj.io") != std::string::npos &&
          !InHelmChart(tree, path)) {
        broken(path, docs.error());
      }
      return;
    }
    std::vector<YAML::Node> nodes;
    try {
      for (const YAML::Node& n : YAML::LoadAll(blob.content())) {
        if (!n.IsNull()) nodes.push_back(n);
      }
    } catch (const YAML::Exception&) {
      return;
    }
    for (size_t i = 0; i < docs->size() && i < nodes.size(); ++i) {
      const Json& doc = (*docs)[i];
      if (doc.is_object() && doc.value("apiVersion", "").rfind("argoproj.io/", 0) == 0) {
        visit(ArgoDocument{path, nodes[i], doc});
      }
    }
  });
}

AppSetIssue UnrecognizedGeneratorsIssue(const AppSetSpec& spec) {
  AppSetIssue issue{UnrecognizedGeneratorsMessage(spec), "", "", -1};
  for (size_t i = 0; i < spec.generators.size(); ++i) {
    for (const std::string& key : spec.unrecognized_generators) {
      if (spec.generators[i].contains(key)) issue.generator = static_cast<int>(i);
    }
  }
  return issue;
}

std::string IssuePosition(const YAML::Node& node, const AppSetIssue& issue) {
  YAML::Mark mark = node.Mark();
  if (!issue.text.empty()) {
    FindScalar(node, issue.text, &mark);
  } else if (issue.generator >= 0) {
    YAML::Node generators = node["spec"]["generators"];
    if (generators.IsSequence() && static_cast<size_t>(issue.generator) < generators.size()) {
      mark = generators[static_cast<size_t>(issue.generator)].Mark();
    }
  }
  return std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace fleetsim
