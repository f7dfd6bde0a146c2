#include "tests/world/world_test_util.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "sim/scenario/scenario_loader.h"

namespace fleetsim::testing_world {

std::vector<const TraceRecord*> WorldRun::Find(const std::string& event,
                                               const std::string& app) const {
  std::vector<const TraceRecord*> out;
  for (const TraceRecord& r : snapshots_.emplace_back(world->trace().records())) {
    if (r.event == event && (app.empty() || r.app == app)) out.push_back(&r);
  }
  return out;
}

WorldRun RunScenario(const std::map<std::string, std::string>& files,
                     const std::string& scenario_yaml) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "fleetsim-world-XXXXXX").string();
  std::string dir = mkdtemp(tmpl.data());
  for (const auto& [path, content] : files) {
    std::filesystem::path p = std::filesystem::path(dir) / "repo" / path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }
  std::string scenario_path = dir + "/scenario.yaml";
  std::ofstream(scenario_path) << scenario_yaml;
  WorldRun run;
  Result<Scenario> scenario = LoadScenario(scenario_path, {});
  if (!scenario.ok()) {
    run.error = scenario.error();
    return run;
  }
  run.scenario = std::make_unique<Scenario>(std::move(scenario).value());
  Result<std::unique_ptr<World>> world = World::Build(*run.scenario, run.scenario->seed);
  if (!world.ok()) {
    run.error = world.error();
    return run;
  }
  run.world = std::move(world).value();
  run.world->trace().set_retain_all(true);
  run.world->RunToEnd();
  return run;
}

std::string AppManifest(const std::string& name, const std::string& path, const std::string& server,
                        bool prune, bool self_heal, bool finalizer) {
  return fmt::format(
      R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {0}
  namespace: argocd
{1}spec:
  project: default
  source:
    repoURL: https://example.com/apps.git
    targetRevision: HEAD
    path: {2}
  destination:
    server: {3}
    namespace: {0}
  syncPolicy:
    automated:
      prune: {4}
      selfHeal: {5}
    syncOptions:
      - CreateNamespace=true
)",
      name, finalizer ? "  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n" : "", path,
      server, prune, self_heal);
}

std::string DeploymentAndService(const std::string& name, int replicas, const std::string& image) {
  return fmt::format(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {0}
spec:
  replicas: {1}
  selector:
    matchLabels: {{app: {0}}}
  template:
    metadata:
      labels: {{app: {0}}}
    spec:
      containers:
        - name: {0}
          image: {2}
---
apiVersion: v1
kind: Service
metadata:
  name: {0}
spec:
  selector: {{app: {0}}}
  ports:
    - port: 80
)",
                     name, replicas, image);
}

std::string ProdMatrixAppSet(const std::string& spec_extra, const std::string& name) {
  return R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: svc
  namespace: argocd
spec:
  goTemplate: true
)" + spec_extra +
         R"(  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://example.com/apps.git
              revision: HEAD
              directories:
                - path: "*/prod"
          - clusters:
              selector:
                matchLabels: {env: prod}
  template:
    metadata:
      name: )" +
         name + R"(
    spec:
      project: default
      source:
        repoURL: https://example.com/apps.git
        targetRevision: HEAD
        path: "{{.path.path}}"
      destination:
        server: "{{.server}}"
        namespace: "{{index .path.segments 0}}"
      syncPolicy:
        automated: {prune: true, selfHeal: true}
        syncOptions: [CreateNamespace=true]
)";
}

}  // namespace fleetsim::testing_world
