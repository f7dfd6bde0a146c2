// Builds small worlds for tests: a repository tree written to a temporary directory and a scenario
// given as text, run to its end; helpers to find records in the trace.
#ifndef FLEETSIM_TESTS_WORLD_WORLD_TEST_UTIL_H_
#define FLEETSIM_TESTS_WORLD_WORLD_TEST_UTIL_H_

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/world/world.h"

namespace fleetsim::testing_world {

// A finished run. The scenario is kept alive with the world.
struct WorldRun {
  std::unique_ptr<Scenario> scenario;
  std::unique_ptr<World> world;
  std::string error;  // load or build error, when there was one

  // The kept records with this event (and app, when given). The pointers stay valid as long as
  // the run: each call reads the trace into a snapshot of its own.
  std::vector<const TraceRecord*> Find(const std::string& event, const std::string& app = "") const;
  MetricMap metrics() const { return world->Metrics(); }

 private:
  mutable std::deque<std::vector<TraceRecord>> snapshots_;
};

// Writes `files` (path → content) under a fresh temporary directory `<tmp>/repo`, writes
// `scenario_yaml` (which names the tree as `repos/...: {tree: repo}`) next to it, loads, builds
// and runs the world to its end.
WorldRun RunScenario(const std::map<std::string, std::string>& files,
                     const std::string& scenario_yaml);

// An Application manifest for `name` tracking `path` of https://example.com/apps.git on
// `server`, automated with prune and selfHeal unless told otherwise, with the resources finalizer.
std::string AppManifest(const std::string& name, const std::string& path,
                        const std::string& server = "https://prod-1.fleet.invalid",
                        bool prune = true, bool self_heal = true, bool finalizer = true);
// A Deployment (replicas, image) and a Service named `name`.
std::string DeploymentAndService(const std::string& name, int replicas = 2,
                                 const std::string& image = "ghcr.io/acme/app:1.0.0");
// An ApplicationSet `svc` (namespace argocd, goTemplate) whose matrix crosses the Git directories
// */prod of https://example.com/apps.git with the env=prod clusters: one Application per pair,
// named by `name` (default '<directory>-<cluster>'), deploying the directory to the namespace
// named after it, automated with prune and selfHeal and CreateNamespace=true. `spec_extra` is
// spliced into spec after goTemplate (a syncPolicy, goTemplateOptions), indented by two spaces.
std::string ProdMatrixAppSet(const std::string& spec_extra = "",
                             const std::string& name = "'{{index .path.segments 0}}-{{.name}}'");

}  // namespace fleetsim::testing_world

#endif  // FLEETSIM_TESTS_WORLD_WORLD_TEST_UTIL_H_
