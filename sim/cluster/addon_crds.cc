// The CRDs of the add-ons fleetsim models, reduced to what the API server reads (group, names,
// scope, served versions, subresources), as the projects' own manifests declare them:
// argo-rollouts manifests/crds/*.yaml (only Rollout has a status subresource), sealed-secrets
// (bitnami.com/v1alpha1), external-secrets (v1 stored, v1beta1 still served) and argo-cd
// manifests/crds (Application and AppProject without a status subresource).
#include <string>

#include "sim/cluster/api_resources.h"

namespace fleetsim {
namespace {

struct CrdSpec {
  const char* group;
  const char* kind;
  const char* plural;
  bool namespaced;
  bool status;
  const char* versions;  // storage version first
};

Json CrdDoc(const CrdSpec& c) {
  Json versions = Json::array();
  std::string list = c.versions;
  bool first = true;
  size_t i = 0;
  while (i < list.size()) {
    size_t j = list.find(' ', i);
    if (j == std::string::npos) j = list.size();
    Json v = {{"name", list.substr(i, j - i)}, {"served", true}, {"storage", first}};
    v["subresources"] = c.status ? Json{{"status", Json::object()}} : Json::object();
    versions.push_back(std::move(v));
    first = false;
    i = j + 1;
  }
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", std::string(c.plural) + "." + c.group}}},
          {"spec",
           {{"group", c.group},
            {"names",
             {{"kind", c.kind}, {"plural", c.plural}, {"listKind", std::string(c.kind) + "List"}}},
            {"scope", c.namespaced ? "Namespaced" : "Cluster"},
            {"versions", versions}}}};
}

constexpr CrdSpec kRollouts[] = {
    {"argoproj.io", "Rollout", "rollouts", true, true, "v1alpha1"},
    {"argoproj.io", "AnalysisTemplate", "analysistemplates", true, false, "v1alpha1"},
    {"argoproj.io", "ClusterAnalysisTemplate", "clusteranalysistemplates", false, false,
     "v1alpha1"},
    {"argoproj.io", "AnalysisRun", "analysisruns", true, false, "v1alpha1"},
    {"argoproj.io", "Experiment", "experiments", true, false, "v1alpha1"},
};
constexpr CrdSpec kSealedSecrets[] = {
    {"bitnami.com", "SealedSecret", "sealedsecrets", true, true, "v1alpha1"},
};
constexpr CrdSpec kExternalSecrets[] = {
    {"external-secrets.io", "ExternalSecret", "externalsecrets", true, true, "v1 v1beta1"},
    {"external-secrets.io", "SecretStore", "secretstores", true, true, "v1 v1beta1"},
    {"external-secrets.io", "ClusterSecretStore", "clustersecretstores", false, true, "v1 v1beta1"},
    {"external-secrets.io", "ClusterExternalSecret", "clusterexternalsecrets", false, true,
     "v1 v1beta1"},
};
constexpr CrdSpec kArgoCd[] = {
    {"argoproj.io", "Application", "applications", true, false, "v1alpha1"},
    {"argoproj.io", "ApplicationSet", "applicationsets", true, true, "v1alpha1"},
    {"argoproj.io", "AppProject", "appprojects", true, false, "v1alpha1"},
};

template <size_t N>
std::vector<Json> Docs(const CrdSpec (&specs)[N]) {
  std::vector<Json> out;
  for (const CrdSpec& c : specs) out.push_back(CrdDoc(c));
  return out;
}

}  // namespace

std::vector<Json> AddonCrds(std::string_view addon) {
  if (addon == "argo-rollouts") return Docs(kRollouts);
  if (addon == "sealed-secrets") return Docs(kSealedSecrets);
  if (addon == "external-secrets") return Docs(kExternalSecrets);
  if (addon == "argo-cd") return Docs(kArgoCd);
  return {};
}

}  // namespace fleetsim
