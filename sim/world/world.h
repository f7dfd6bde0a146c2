// One run's whole model: the kernel, the clusters, the Git server, Argo CD's repo-server and
// application controller, built from a validated Scenario. Everything else points into it; it is
// steppable (RunUntil) so that a drill or a dashboard can stop at any virtual time, look, act, and
// go on.
#ifndef FLEETSIM_SIM_WORLD_WORLD_H_
#define FLEETSIM_SIM_WORLD_WORLD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/random.h"
#include "engine/simulator.h"
#include "engine/status.h"
#include "engine/trace.h"
#include "sim/argocd/app_controller.h"
#include "sim/argocd/appset_controller.h"
#include "sim/argocd/repo_server.h"
#include "sim/chaos/empty_git_sources.h"
#include "sim/chaos/fault_host.h"
#include "sim/chaos/fault_injector.h"
#include "sim/cluster/cluster_registry.h"
#include "sim/git/git_replay.h"
#include "sim/git/git_server.h"
#include "sim/metrics/fleet_metrics.h"
#include "sim/metrics/metric_value.h"
#include "sim/scenario/scenario.h"
#include "sim/secrets/sealed_ciphertexts.h"
#include "sim/secrets/sealed_keys.h"
#include "sim/world/appset_sources.h"
#include "sim/world/cluster_runtime.h"
#include "sim/world/system_time_zones.h"

namespace fleetsim {

class World final : private chaos::FaultHost {
 public:
  // Builds the world for `scenario` with run seed `seed`: imports the repositories (a `git:` one
  // with its replay range, git_replay.h) and authors every history commit once up front, so an op
  // that cannot apply is an error here, reported at the op's file:line:column. `tools` runs
  // kustomize, kubectl and helm for the repo-server; nullptr means none is installed.
  // REQUIRES: `scenario` and `tools` outlive the world.
  static Result<std::unique_ptr<World>> Build(const Scenario& scenario, uint64_t seed,
                                              ToolRunner* tools = nullptr);

  // What `fleetsim validate` renders beyond Build: every Application the bootstrap applies whose
  // source is a replayed (git:) repository, at t=0, as the repo-server would (sources whose tool
  // is not installed are skipped). The first failure is returned at the bootstrap entry's
  // file:line:column.
  Status RenderBootstrapApps();

  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World();

  // Runs every event up to and including `t` (clamped to the end of the run).
  void RunUntil(SimTime t);
  void RunToEnd() { RunUntil(end()); }

  SimTime now() const { return sim_.now(); }
  SimTime end() const { return SimTime::Zero() + scenario_.duration; }
  uint64_t seed() const { return seed_; }
  const Scenario& scenario() const { return scenario_; }
  const Simulator& simulator() const { return sim_; }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  const ClusterRegistry& clusters() const { return registry_; }
  const ApplicationController& app_controller() const { return *app_controller_; }
  const ApplicationSetController& appset_controller() const { return *appset_controller_; }
  ClusterRuntime* FindCluster(std::string_view name);

  // `fleetsim validate`: checks every AppProject (field types, sync windows' kind, schedule and
  // duration, as argocd-server's ValidateProject) and generates every ApplicationSet found in the
  // bootstrap files and in the
  // repositories' initial trees, and returns each template, generator or validation error as
  // "file:line:column: ApplicationSet NAME: message" (file as the scenario names it, or
  // "repo:path"). Empty when all generate.
  std::vector<std::string> ValidateApplicationSets();

  // The metrics of the run so far, every name of the DESIGN.md table present (null when this run
  // gave it no value).
  MetricMap Metrics() const;

 private:
  class Directory;

  World(const Scenario& scenario, uint64_t seed, ToolRunner* tools);
  const ClusterDirectory& cluster_directory() const;
  Status ImportRepos();
  Status CheckBootstrapPaths() const;
  Status CheckHistory() const;
  void BuildClusters();
  // Argo CD's control plane in the management cluster: repo-server, application and
  // ApplicationSet controllers, built from the scenario's settings (not started).
  void BuildControlPlane();
  // argocd-destroyed: the controllers stop and the management cluster loses every object.
  Status DestroyArgoCd() override;
  // argocd install: a new, empty control plane; see world_events.cc.
  Status InstallArgoCd(bool apply_bootstrap);
  void ApplyBootstrap();
  void ScheduleTimeline();
  void SchedulePush(size_t history_index);
  void ScheduleReplay(const std::string& repo, size_t index);
  void ScheduleAction(const ActionSpec& action);
  Status DoAction(const ActionSpec& action);
  Status KubectlApply(const std::string& cluster, const std::string& repo, const std::string& path,
                      const std::string& file);
  void Record(TraceRecord r) override;  // stamps r with now()

  // chaos::FaultHost (world_faults.cc; LiveDocument in world_events.cc).
  std::vector<chaos::ClusterTarget> Clusters() const override;
  const std::vector<RepoSpec>& Repos() const override { return scenario_.repos; }
  std::vector<chaos::AppTarget> Apps() const override;
  bool ArgoCdRunning() const override { return !argocd_down_; }
  const Tree* HeadTree(const std::string& repo) const override;
  Result<Json> LiveDocument(const std::string& cluster, const std::string& object) override;
  void SetClusterUnreachable(const std::string& cluster, bool unreachable) override;
  void SetClusterThrottle(const std::string& cluster, std::optional<double> qps) override;
  void SetGitUnreachable(const std::string& repo_url, bool unreachable) override;
  void SetImageFault(const std::string& cluster, const std::string& image, chaos::ImageFault kind,
                     SimDuration startup, bool active) override;
  void SetImageDegraded(const std::string& cluster, const std::string& image,
                        std::optional<double> success_rate, std::optional<SimDuration> latency,
                        bool active) override;
  void SetSecretStoreDown(const std::string& cluster_glob, const std::string& store_glob,
                          const std::string& mode, bool down) override;
  void SetSecretKeyDeleted(const std::string& cluster_glob, const std::string& store_glob,
                           const std::string& key, bool deleted) override;
  std::optional<std::map<std::string, std::string>> ClusterLabels(
      const std::string& cluster) const override;
  void SetClusterLabels(const std::string& cluster,
                        std::map<std::string, std::string> labels) override;
  Status Kubectl(const ActionSpec& action) override;
  Status Commit(const std::string& repo, const std::vector<HistoryOp>& ops,
                const std::string& message) override;

  // world_secrets.cc: Sealed Secrets and disaster recovery.
  void SetUpSealedSecrets();
  Status DestroyCluster(const std::string& name) override;
  Status RebuildCluster(const std::string& name, bool restore_keys);
  Status BackupSealingKeys(const std::string& name);
  Status LoseSealingKeys(const std::string& name, bool restore) override;
  // kubectl rollout restart (and controller-restart, shard-change): the controller's pod
  // restarts; see world_secrets.cc for each controller and its downtime.
  Status RestartController(const std::string& cluster, const std::string& controller) override;
  Status ReEncrypt(const std::string& repo, const std::string& path, const std::string& cluster);
  int64_t SecretsUnrecoverable() const;

  const Scenario& scenario_;
  uint64_t seed_;
  ToolRunner* tools_;
  Simulator sim_;
  Trace trace_;
  FleetMetrics metrics_;
  ClusterRegistry registry_;
  GitServer git_;
  UnreachableGit git_remote_;
  // The commits each replayed repository (by name) has yet to land, oldest first.
  std::map<std::string, std::vector<ReplayedCommit>> replays_;
  // Sealed Secrets: declared before the clusters, whose controllers point into them.
  struct KeyBackup {
    SimTime at;
    std::vector<Json> secrets;  // the key Secrets as listed
  };
  secrets::KeyAuthority sealing_keys_;
  // Mutable: dating a ciphertext on first sight is bookkeeping, also done by const queries.
  mutable secrets::CiphertextIndex ciphertexts_;
  std::map<std::string, KeyBackup> key_backups_;            // cluster → its last backup
  std::unique_ptr<eso::SecretProviders> secret_providers_;  // outlives the clusters' controllers
  std::vector<std::unique_ptr<ClusterRuntime>> clusters_;   // registry order
  std::unique_ptr<Directory> directory_;
  SystemTimeZones time_zones_;                    // sync windows' timeZone
  std::unique_ptr<chaos::FaultInjector> faults_;  // built with the clusters
  std::unique_ptr<RepoServer> repo_server_;
  std::unique_ptr<ApplicationController> app_controller_;
  std::unique_ptr<WorldAppSetSources> appset_sources_;
  std::unique_ptr<chaos::EmptyGitSources> appset_git_faults_;  // git-empty-response over them
  std::unique_ptr<ApplicationSetController> appset_controller_;
  // Between argocd-destroyed and argocd install: no control plane answers.
  bool argocd_down_ = false;
  // Control planes replaced by `argocd install`, stopped; kept until the world goes because
  // events already scheduled still name them. Declared last: destroyed first.
  struct RetiredControlPlane {
    std::unique_ptr<RepoServer> repo_server;
    std::unique_ptr<ApplicationController> app_controller;
    std::unique_ptr<WorldAppSetSources> appset_sources;
    std::unique_ptr<chaos::EmptyGitSources> appset_git_faults;
    std::unique_ptr<ApplicationSetController> appset_controller;
  };
  std::vector<RetiredControlPlane> retired_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_WORLD_WORLD_H_
