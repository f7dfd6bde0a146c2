// Fleet-scale benchmark (DESIGN.md "Fast enough to sweep"): a day of a 100-cluster fleet.
//
// Each benchmark writes a scenario into a fresh temporary directory: `clusters` fleet clusters
// (c-1 .. c-N, env=prod), a repository with `services` directories svc-NN/ of 10 resources each (a
// Deployment with 2 replicas, a Service, 8 ConfigMaps), and one Application per (cluster, service),
// automated with prune and selfHeal and CreateNamespace=true, applied by a bootstrap file per
// cluster. BM_FleetIdle has no commits; BM_FleetCommits commits every 10 minutes, each time editing
// one ConfigMap of one service directory (rotating), which touches the `clusters` Applications
// of that service (1% of them with 100 services).
//
// Each run is one iteration whose manual time is the wall time of LoadScenario + World::Build +
// RunToEnd. peak_rss_mib is getrusage's ru_maxrss: the peak of the whole process, so run one
// variant per process to read it, e.g.
//   fleet_bench --benchmark_filter='BM_FleetIdle/clusters:100/'
//   fleet_bench --benchmark_filter='BM_FleetCommits/clusters:100/'
// Targets: idle <= 10 s and <= 1 GiB on one core; with commits <= 30 s. --keep_scenarios leaves
// the generated directories in place (their paths go to stderr) for `fleetsim run`.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
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

constexpr int kConfigMapsPerService = 8;
constexpr int kCommitEveryMinutes = 10;

std::string ServiceName(int s) { return fmt::format("svc-{:02d}", s); }

std::string Deployment(const std::string& svc) {
  return fmt::format(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {0}
  labels:
    app.kubernetes.io/name: {0}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: {0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {0}
    spec:
      containers:
        - name: {0}
          image: ghcr.io/acme/{0}:1.0.0
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: {0}-config-0
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
    app.kubernetes.io/name: {0}
  ports:
    - port: 80
      targetPort: 8080
)",
                     svc);
}

std::string ConfigMap(const std::string& svc, int i) {
  return fmt::format(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: {0}-config-{1}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout-v2"
  revision: "r0"
)",
                     svc, i);
}

// Writes the repository tree and scenario.yaml under `dir`; returns the scenario's path.
std::string WriteScenario(const fs::path& dir, int clusters, int services, int hours,
                          bool commits) {
  const fs::path repo = dir / "repo";
  for (int s = 0; s < services; ++s) {
    const std::string svc = ServiceName(s);
    WriteFile(repo / svc / "deployment.yaml", Deployment(svc));
    WriteFile(repo / svc / "service.yaml", Service(svc));
    for (int i = 0; i < kConfigMapsPerService; ++i) {
      WriteFile(repo / svc / fmt::format("config-{}.yaml", i), ConfigMap(svc, i));
    }
  }
  std::string scenario = fmt::format(
      "name: fleet-bench\nseed: 1\nduration: {}h\n"
      "fleet:\n  clusters:\n    - {{generate: {}, namePrefix: c-, labels: {{env: prod}}}}\n"
      "repos:\n  fleet: {{url: https://github.com/acme/fleet-gitops.git, tree: repo}}\n"
      "bootstrap:\n",
      hours, clusters);
  for (int c = 1; c <= clusters; ++c) {
    std::string apps;
    for (int s = 0; s < services; ++s) {
      if (s > 0) apps += "---\n";
      apps += Application("https://github.com/acme/fleet-gitops.git", ServiceName(s), c);
    }
    WriteFile(repo / "bootstrap" / fmt::format("c-{}.yaml", c), apps);
    scenario += fmt::format("  - {{repo: fleet, path: bootstrap/c-{}.yaml}}\n", c);
  }
  if (commits) {
    scenario += "history:\n";
    const int count = hours * 60 / kCommitEveryMinutes;
    for (int k = 1; k < count; ++k) {
      const std::string svc = ServiceName((k - 1) % services);
      scenario += fmt::format(
          "  - at: {0}m\n    repo: fleet\n    message: bump {1} config to r{2}\n"
          "    set: {{path: {1}/config-{3}.yaml, field: data.revision, value: \"r{2}\"}}\n",
          k * kCommitEveryMinutes, svc, k, k % kConfigMapsPerService);
    }
  }
  const std::string path = (dir / "scenario.yaml").string();
  WriteFile(path, scenario);
  return path;
}

double MetricOr(const MetricMap& metrics, const std::string& name, double fallback) {
  auto it = metrics.find(name);
  return it == metrics.end() || !it->second.value ? fallback : *it->second.value;
}

void RunFleet(benchmark::State& state, bool commits) {
  const int clusters = static_cast<int>(state.range(0));
  const int services = static_cast<int>(state.range(1));
  const int hours = static_cast<int>(state.range(2));
  bench::ScenarioDir dir("fleet-bench");
  if (dir.path().empty()) return state.SkipWithError("mkdtemp failed");
  const std::string path = WriteScenario(dir.path(), clusters, services, hours, commits);
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    Result<Scenario> scenario = LoadScenario(path, {});
    if (!scenario.ok()) return state.SkipWithError(scenario.error().c_str());
    Result<std::unique_ptr<World>> built = World::Build(*scenario, scenario->seed);
    if (!built.ok()) return state.SkipWithError(built.error().c_str());
    World& world = **built;
    const auto run_start = std::chrono::steady_clock::now();
    world.RunToEnd();
    const auto end = std::chrono::steady_clock::now();
    const double wall = Seconds(end - start);
    state.SetIterationTime(wall);

    const auto events = static_cast<double>(world.simulator().events_processed());
    const MetricMap metrics = world.Metrics();
    state.counters["wall_s"] = wall;
    state.counters["build_s"] = Seconds(run_start - start);
    state.counters["events"] = events;
    state.counters["events_per_s"] = events / wall;
    state.counters["peak_rss_mib"] = PeakRssMiB();
    for (const char* name :
         {"apps_generated", "syncs", "sync_failures", "refreshes", "converged_fraction",
          "fleet_convergence_seconds", "convergence_p99_seconds"}) {
      state.counters[name] = MetricOr(metrics, name, -1);
    }
  }
}

void BM_FleetIdle(benchmark::State& state) { RunFleet(state, /*commits=*/false); }
void BM_FleetCommits(benchmark::State& state) { RunFleet(state, /*commits=*/true); }

// The issue's fleet, and 10 clusters x 10 services (100 Applications) over two hours for
// profilers (callgrind).
BENCHMARK(BM_FleetIdle)
    ->ArgNames({"clusters", "services", "hours"})
    ->Args({100, 100, 24})
    ->Args({10, 10, 2})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_FleetCommits)
    ->ArgNames({"clusters", "services", "hours"})
    ->Args({100, 100, 24})
    ->Args({10, 10, 2})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fleetsim

int main(int argc, char** argv) { return fleetsim::bench::ScenarioBenchMain(argc, argv); }
