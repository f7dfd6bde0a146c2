// An Application's spec as the application controller reads it (argo-cd pkg/apis/application/
// v1alpha1 ApplicationSpec), with Argo CD's defaults filled in. Parsed from the live Application
// object; a spec Argo CD would reject gives an InvalidSpecError message instead.
#ifndef FLEETSIM_SIM_ARGOCD_APPLICATION_SPEC_H_
#define FLEETSIM_SIM_ARGOCD_APPLICATION_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/argocd/sync_options.h"
#include "sim/manifest/helm_source.h"
#include "sim/manifest/kustomize_source.h"
#include "sim/manifest/object.h"

namespace fleetsim {

inline constexpr std::string_view kAnnotationRefresh = "argocd.argoproj.io/refresh";

struct ApplicationSource {
  std::string repo_url;
  std::string target_revision = "HEAD";  // "" means HEAD
  std::string path;
  std::string chart;  // Helm repository source; no path then
  // The source type, as Argo CD decides it: explicit blocks first, else from the files (a
  // kustomization.yaml makes Kustomize, a Chart.yaml makes Helm, else Directory).
  bool has_directory = false;
  bool has_kustomize = false;
  bool has_helm = false;
  bool has_plugin = false;
  bool directory_recurse = false;
  std::string directory_include;
  std::string directory_exclude;
  KustomizeOptions kustomize;  // spec.source.kustomize
  HelmOptions helm;  // spec.source.helm; release name and namespace defaulted from the app
  bool operator==(const ApplicationSource&) const = default;
};

struct RetryPolicy {
  int64_t limit = 0;  // -1: unlimited
  SimDuration backoff_duration = SimDuration::Seconds(5);
  int64_t backoff_factor = 2;
  SimDuration backoff_max = SimDuration::Minutes(3);
  bool refresh = false;
};

struct ApplicationSpec {
  // First: what every refresh compares.
  uint64_t source_hash = 0;  // of spec.source(s): a change is a reason to refresh
  uint64_t destination_hash = 0;
  std::string project = "default";
  std::vector<ApplicationSource> sources;  // spec.source, or spec.sources in order
  std::string dest_server;
  std::string dest_name;
  std::string dest_namespace;
  bool automated = false;  // spec.syncPolicy.automated present and not enabled: false
  bool prune = false;
  bool self_heal = false;
  bool allow_empty = false;
  std::optional<RetryPolicy> retry;  // spec.syncPolicy.retry; automated syncs default to {limit 5}
  std::vector<std::string> sync_option_entries;
  SyncOptions sync_options;
};

// Reads `app` (an argoproj.io Application). Errors read as Argo CD's InvalidSpecError messages,
// e.g. "spec.source.repoURL and either source.path, source.chart, or source.ref are required".
Result<ApplicationSpec> ParseApplicationSpec(const Object& app);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPLICATION_SPEC_H_
