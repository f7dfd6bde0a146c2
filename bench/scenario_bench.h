// What the scenario benchmarks (fleet_bench, rollouts_bench) share: a generated scenario directory
// that removes itself, file writing, the process's peak RSS, and a main() that takes
// --keep_scenarios (leave the generated directory in place; its path goes to stderr).
#ifndef FLEETSIM_BENCH_SCENARIO_BENCH_H_
#define FLEETSIM_BENCH_SCENARIO_BENCH_H_

#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace fleetsim::bench {

inline bool keep_scenarios = false;

// A directory that removes itself (and everything in it) when it goes out of scope, unless
// --keep_scenarios was given.
class ScenarioDir {
 public:
  explicit ScenarioDir(std::string_view prefix) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ScenarioDir(const ScenarioDir&) = delete;
  ScenarioDir& operator=(const ScenarioDir&) = delete;
  ~ScenarioDir() {
    if (path_.empty()) return;
    if (keep_scenarios) {
      fmt::print(stderr, "kept {}\n", (path_ / "scenario.yaml").string());
    } else {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The Application `<svc>-c-<cluster>` deploying directory `svc` of `repo_url` at HEAD to namespace
// `svc` of cluster c-<cluster>, automated with prune and selfHeal, CreateNamespace=true.
inline std::string Application(std::string_view repo_url, std::string_view svc, int cluster) {
  return fmt::format(R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {0}-c-{1}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: {2}
    targetRevision: HEAD
    path: {0}
  destination:
    server: https://c-{1}.fleet.invalid
    namespace: {0}
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
)",
                     svc, cluster, repo_url);
}

inline void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

// The peak RSS of the whole process (ru_maxrss is in KiB on Linux): run one variant per process.
inline double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

inline double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Google Benchmark's main, plus --keep_scenarios.
inline int ScenarioBenchMain(int argc, char** argv) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--keep_scenarios") {
      keep_scenarios = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace fleetsim::bench

#endif  // FLEETSIM_BENCH_SCENARIO_BENCH_H_
