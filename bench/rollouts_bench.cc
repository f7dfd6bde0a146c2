// Progressive delivery at fleet scale (issue 5): `rollouts` Rollouts across `clusters` clusters
// stepping through the article's canary (setWeight 10, pause 5m, analysis, setWeight 50, pause
// 10m, setWeight 100) with a background analysis from step 1, all through Argo CD.
//
// The scenario is written into a fresh temporary directory: clusters c-1 .. c-N with the
// argo-rollouts add-on, a repository with one directory per service (svc-NN: the Rollout, 6
// replicas, its Service and two AnalysisTemplates: the article's success-rate, count 5, and a
// background one, every minute until the Rollout is promoted), one Application per (cluster,
// service). At 5 minutes one commit moves every service to 1.1.0, so every Rollout steps through
// its canary at once; the run lasts 45 minutes.
//
// One iteration; its manual time is the wall time of LoadScenario + World::Build + RunToEnd.
// Counters: wall_s, events, events_per_s, peak_rss_mib, analysis_runs (completed), measurements,
// rollouts_completed. Run it from a Release build:
//   cmake --preset release && cmake --build --preset release --target rollouts_bench
//   ./build/release/bench/rollouts_bench
// --keep_scenarios leaves the generated directory in place (its path goes to stderr).
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "bench/scenario_bench.h"
#include "sim/scenario/scenario_loader.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

using bench::Application;
using bench::PeakRssMiB;
using bench::Seconds;
using bench::WriteFile;

namespace fs = std::filesystem;

std::string ServiceName(int s) { return fmt::format("svc-{:02d}", s); }

std::string Rollout(const std::string& svc) {
  return fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {0}
spec:
  replicas: 6
  selector:
    matchLabels:
      app: {0}
  template:
    metadata:
      labels:
        app: {0}
    spec:
      containers:
        - name: {0}
          image: ghcr.io/acme/{0}:1.0.0
  strategy:
    canary:
      analysis:
        templates:
          - templateName: background-success-rate
        startingStep: 1
        args:
          - name: service-name
            value: {0}
      steps:
        - setWeight: 10
        - pause: {{ duration: 5m }}
        - analysis:
            templates:
              - templateName: success-rate
        - setWeight: 50
        - pause: {{ duration: 10m }}
        - setWeight: 100
)",
                     svc);
}

std::string Templates(const std::string& svc) {
  return fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
    - name: success-rate
      interval: 1m
      count: 5
      successCondition: result[0] >= 0.99
      failureLimit: 1
      provider:
        prometheus:
          address: http://prometheus.monitoring:9090
          query: |
            sum(rate(http_requests_total{{app="{0}",code!~"5.."}}[2m]))
            /
            sum(rate(http_requests_total{{app="{0}"}}[2m]))
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: background-success-rate
spec:
  args:
    - name: service-name
  metrics:
    - name: success-rate
      interval: 1m
      successCondition: len(result) == 0 || result[0] >= 0.95
      provider:
        prometheus:
          address: http://prometheus.monitoring:9090
          query: |
            sum(rate(http_requests_total{{service="{{{{args.service-name}}}}",code!~"5.."}}[2m]))
            /
            sum(rate(http_requests_total{{service="{{{{args.service-name}}}}"}}[2m]))
)",
                     svc);
}

std::string Service(const std::string& svc) {
  return fmt::format(R"(apiVersion: v1
kind: Service
metadata:
  name: {0}
spec:
  selector:
    app: {0}
  ports:
    - port: 80
      targetPort: 8080
)",
                     svc);
}

std::string WriteScenario(const fs::path& dir, int clusters, int services) {
  const fs::path repo = dir / "repo";
  std::string ops;
  for (int s = 0; s < services; ++s) {
    const std::string svc = ServiceName(s);
    WriteFile(repo / svc / "rollout.yaml", Rollout(svc));
    WriteFile(repo / svc / "templates.yaml", Templates(svc));
    WriteFile(repo / svc / "service.yaml", Service(svc));
    ops += fmt::format(
        "      - set-image: {{path: {0}/rollout.yaml, container: {0}, image: "
        "ghcr.io/acme/{0}:1.1.0}}\n",
        svc);
  }
  std::string scenario = fmt::format(
      "name: rollouts-bench\nseed: 1\nduration: 45m\n"
      "fleet:\n  preinstalled: [argo-rollouts]\n"
      "  clusters:\n    - {{generate: {}, namePrefix: c-, labels: {{env: prod}}}}\n"
      "repos:\n  fleet: {{url: https://github.com/acme/rollouts-gitops.git, tree: repo, "
      "webhook: true}}\n"
      "traffic:\n  default: {{rps: 100, successRate: 0.999, successRateNoise: 0.0005}}\n"
      "bootstrap:\n",
      clusters);
  for (int c = 1; c <= clusters; ++c) {
    std::string apps;
    for (int s = 0; s < services; ++s) {
      if (s > 0) apps += "---\n";
      apps += Application("https://github.com/acme/rollouts-gitops.git", ServiceName(s), c);
    }
    WriteFile(repo / "bootstrap" / fmt::format("c-{}.yaml", c), apps);
    scenario += fmt::format("  - {{repo: fleet, path: bootstrap/c-{}.yaml}}\n", c);
  }
  scenario += "history:\n  - at: 5m\n    repo: fleet\n    message: release 1.1.0\n    ops:\n" + ops;
  const std::string path = (dir / "scenario.yaml").string();
  WriteFile(path, scenario);
  return path;
}

void BM_RolloutsCanary(benchmark::State& state) {
  const int clusters = static_cast<int>(state.range(0));
  const int services = static_cast<int>(state.range(1));
  bench::ScenarioDir dir("rollouts-bench");
  if (dir.path().empty()) return state.SkipWithError("mkdtemp failed");
  const std::string path = WriteScenario(dir.path(), clusters, services);
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    Result<Scenario> scenario = LoadScenario(path, {});
    if (!scenario.ok()) return state.SkipWithError(scenario.error().c_str());
    Result<std::unique_ptr<World>> built = World::Build(*scenario, scenario->seed);
    if (!built.ok()) return state.SkipWithError(built.error().c_str());
    World& world = **built;
    world.RunToEnd();
    const double wall = Seconds(std::chrono::steady_clock::now() - start);
    state.SetIterationTime(wall);
    double runs = 0, measurements = 0, completed = 0;
    for (const TraceRecord& r : world.trace().records()) {
      if (r.event == "AnalysisRunCompleted") ++runs;
      if (r.event == "AnalysisMeasurement") ++measurements;
      if (r.event == "RolloutCompleted") ++completed;
    }
    const auto events = static_cast<double>(world.simulator().events_processed());
    state.counters["wall_s"] = wall;
    state.counters["events"] = events;
    state.counters["events_per_s"] = events / wall;
    state.counters["peak_rss_mib"] = PeakRssMiB();
    state.counters["analysis_runs"] = runs;
    state.counters["measurements"] = measurements;
    state.counters["rollouts_completed"] = completed;
  }
}

// The issue's 1,000 Rollouts on 50 clusters, and 5 x 4 for profilers.
BENCHMARK(BM_RolloutsCanary)
    ->ArgNames({"clusters", "services"})
    ->Args({50, 20})
    ->Args({5, 4})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fleetsim

int main(int argc, char** argv) { return fleetsim::bench::ScenarioBenchMain(argc, argv); }
