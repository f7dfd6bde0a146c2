// ApplicationSet generation at scale: a matrix of 200 git directories times 500 clusters, i.e.
// 100,000 Applications, generated and rendered (goTemplate) as the controller does on each
// reconcile — parameters, template rendering, the finalizer rule — without the simulation.
// Targets: under 2 s and under 1 GiB peak RSS. peak_rss_mib is getrusage's ru_maxrss, the peak of
// the whole process: run one benchmark per process when reading it.

#include <chrono>
#include <string>

#include <benchmark/benchmark.h>

#include "bench/scenario_bench.h"
#include "sim/argocd/appset_generate.h"
#include "sim/git/blob_store.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

constexpr int kDirectories = 200;
constexpr int kClusters = 500;

class BenchSources final : public AppSetSources {
 public:
  BenchSources() {
    for (int i = 0; i < kDirectories; ++i) {
      std::string path = "svc-" + std::to_string(i) + "/overlays/prod/deployment.yaml";
      tree_ = *tree_.WithFile(path, blobs_.Intern("kind: Deployment\n"));
    }
    for (int i = 0; i < kClusters; ++i) {
      std::string name = "prod-" + std::to_string(i);
      clusters_.push_back({name,
                           "https://" + name + ".fleet.invalid",
                           "",
                           {{"argocd.argoproj.io/secret-type", "cluster"},
                            {"env", "prod"},
                            {"region", "r" + std::to_string(i % 7)}},
                           {}});
    }
  }
  Result<Tree> GitTree(const std::string&, const std::string&, bool) override { return tree_; }
  Result<std::vector<AppSetCluster>> ClusterSecrets() override { return clusters_; }
  bool ProjectExists(std::string_view) override { return true; }
  Status ResolveDestination(std::string_view, std::string_view) override { return Status::Ok(); }

 private:
  BlobStore blobs_;
  Tree tree_;
  std::vector<AppSetCluster> clusters_;
};

constexpr const char* kAppSet = R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tenant-apps
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/acme/apps-gitops.git
              revision: main
              directories:
                - path: "*/overlays/prod"
          - clusters:
              selector:
                matchLabels:
                  env: prod
  template:
    metadata:
      name: "{{index .path.segments 0}}-{{.name}}"
      labels:
        region: "{{.metadata.labels.region}}"
    spec:
      project: tenants
      source:
        repoURL: https://github.com/acme/apps-gitops.git
        targetRevision: main
        path: "{{.path.path}}"
      destination:
        server: "{{.server}}"
        namespace: "{{index .path.segments 0}}"
      syncPolicy:
        automated:
          prune: true
          selfHeal: true
        syncOptions:
          - CreateNamespace=true
)";

void BM_GenerateMatrix100k(benchmark::State& state) {
  BenchSources sources;
  AppSetSpec spec = *ParseAppSetSpec((*YamlToJson(kAppSet))[0]);
  size_t apps = 0;
  double wall = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    GeneratedApps generated = GenerateApplications(spec, sources);
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    apps = generated.apps.size();
    if (!generated.errors.empty()) state.SkipWithError(generated.errors.front().message.c_str());
    benchmark::DoNotOptimize(generated);
  }
  state.counters["applications"] = static_cast<double>(apps);
  state.counters["wall_s"] = wall;
  state.counters["peak_rss_mib"] = bench::PeakRssMiB();
}
BENCHMARK(BM_GenerateMatrix100k)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace fleetsim

BENCHMARK_MAIN();
