// Finding Argo CD's own objects (Application, ApplicationSet, AppProject) in a repository tree,
// with the YAML nodes that give their positions: what `fleetsim validate` and `fleetsim diff` read
// before generating anything.
#ifndef FLEETSIM_SIM_ARGOCD_ARGO_MANIFESTS_H_
#define FLEETSIM_SIM_ARGOCD_ARGO_MANIFESTS_H_

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <string_view>

#include "sim/manifest/json.h"

#include "sim/argocd/appset_generate.h"
#include "sim/git/tree.h"

namespace fleetsim {

// One argoproj.io document of a manifest file.
struct ArgoDocument {
  std::string path;  // in the tree
  YAML::Node node;   // the document, for positions
  Json doc;
};

// True for an argoproj.io object of `kind`.
bool IsArgoKind(const Json& doc, std::string_view kind);

// Calls `visit` for every argoproj.io document of every .yaml/.yml/.json file under the tree, in
// path order. A file that does not parse is skipped (the repo-server reports it when an
// Application renders it), unless `broken` is set: then it is called with the file's path and
// the parse error ("... line L, column C: ...") for a file that mentions argoproj.io outside a
// Helm chart (a directory holding Chart.yaml, whose templates are not YAML).
void FindArgoDocuments(
    const Tree& tree, const std::function<void(const ArgoDocument&)>& visit,
    const std::function<void(const std::string& path, const std::string& error)>& broken = nullptr);

// The unrecognized-generators error (UnrecognizedGeneratorsMessage) pointing at the last entry
// holding one. REQUIRES: !spec.unrecognized_generators.empty().
AppSetIssue UnrecognizedGeneratorsIssue(const AppSetSpec& spec);

// "LINE:COLUMN" (1-based) of what `issue` points at in `node`: the failing template string, else
// the failing generator, else the document.
std::string IssuePosition(const YAML::Node& node, const AppSetIssue& issue);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_ARGO_MANIFESTS_H_
