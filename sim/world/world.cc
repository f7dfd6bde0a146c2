#include "sim/world/world.h"

#include <fnmatch.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

#include "sim/argocd/application_spec.h"
#include "sim/manifest/manifest_parser.h"
#include "sim/scenario/metric_names.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {

// The cluster Secrets Argo CD has, over the world's cluster runtimes. Lookups go through an index
// (every refresh resolves its destination) that is checked against the runtimes on each hit and
// refreshed from a scan on a miss, so it always answers what the scan would.
class World::Directory final : public ClusterDirectory {
 public:
  explicit Directory(std::vector<std::unique_ptr<ClusterRuntime>>& clusters)
      : clusters_(clusters) {}
  const ClusterEndpoint* FindByServer(std::string_view server) const override {
    return Find(by_server_, &ClusterEndpoint::server, server);
  }
  const ClusterEndpoint* FindByName(std::string_view name) const override {
    return Find(by_name_, &ClusterEndpoint::name, name);
  }
  std::vector<const ClusterEndpoint*> All() const override {
    std::vector<const ClusterEndpoint*> out;
    for (const auto& c : clusters_) out.push_back(&c->endpoint());
    return out;
  }
  uint64_t generation() const override { return generation_; }
  // To be called after the clusters or their endpoints change.
  void Changed() {
    ++generation_;
    by_server_.clear();
    by_name_.clear();
  }

 private:
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Only looked up, never iterated.
  using Index = std::unordered_map<std::string, size_t, NameHash, std::equal_to<>>;
  const ClusterEndpoint* Find(Index& index, std::string ClusterEndpoint::*field,
                              std::string_view value) const {
    auto it = index.find(value);
    if (it != index.end() && it->second < clusters_.size() &&
        clusters_[it->second]->endpoint().*field == value) {
      return &clusters_[it->second]->endpoint();
    }
    for (size_t i = 0; i < clusters_.size(); ++i) {
      if (clusters_[i]->endpoint().*field == value) {
        index.insert_or_assign(std::string(value), i);
        return &clusters_[i]->endpoint();
      }
    }
    return nullptr;
  }

  std::vector<std::unique_ptr<ClusterRuntime>>& clusters_;
  mutable Index by_server_;
  mutable Index by_name_;
  uint64_t generation_ = 1;
};

namespace {

std::string ShortId(const CommitId& id) { return id.hex().substr(0, 7); }

std::map<std::string, std::string> RepoNames(const Scenario& s) {
  std::map<std::string, std::string> out;
  for (const RepoSpec& r : s.repos) out[NormalizeRepoUrl(r.url)] = r.name;
  return out;
}

// Whether the bootstrap is the only "commit" of the run: no history, and no repository replays
// commits.
bool BootstrapIsCommit(const Scenario& s) {
  return s.history.empty() && std::none_of(s.repos.begin(), s.repos.end(),
                                           [](const RepoSpec& r) { return r.replay.has_value(); });
}

}  // namespace

World::World(const Scenario& scenario, uint64_t seed, ToolRunner* tools)
    : scenario_(scenario),
      seed_(seed),
      tools_(tools),
      metrics_(RepoNames(scenario), BootstrapIsCommit(scenario)),
      registry_(scenario.fleet),
      git_remote_(git_) {
  trace_.AddObserver([this](const TraceRecord& r) { metrics_.Observe(r); });
}

World::~World() = default;

void World::Record(TraceRecord r) {
  r.t = sim_.now();
  trace_.Append(std::move(r));
}

Result<std::unique_ptr<World>> World::Build(const Scenario& scenario, uint64_t seed,
                                            ToolRunner* tools) {
  std::unique_ptr<World> world(new World(scenario, seed, tools));
  if (Status s = world->ImportRepos(); !s.ok()) return s;
  if (Status s = world->CheckBootstrapPaths(); !s.ok()) return s;
  if (Status s = world->CheckHistory(); !s.ok()) return s;
  world->SetUpSealedSecrets();
  world->BuildClusters();
  world->ScheduleTimeline();
  return world;
}

Status World::ImportRepos() {
  for (const RepoSpec& spec : scenario_.repos) {
    if (!spec.git.empty()) {
      Result<GitReplay> replay = LoadGitReplay(spec);
      if (!replay.ok()) return replay.status();
      git_.AddRepository(spec.name, spec.url, std::move(replay->repository));
      replays_[spec.name] = std::move(replay->commits);
      continue;
    }
    Result<Repository> repo = Repository::FromDirectory(spec.tree, scenario_.start_unix_seconds);
    if (!repo.ok()) {
      return Status::Error(spec.pos.ToString() + ": repo " + spec.name + ": " + repo.error());
    }
    git_.AddRepository(spec.name, spec.url, std::move(repo).value());
  }
  return Status::Ok();
}

// The scenario loader checks bootstrap paths in `tree:` repositories; those of a replayed one
// must be files of its state at t=0.
Status World::CheckBootstrapPaths() const {
  for (const BootstrapEntry& b : scenario_.bootstrap) {
    const Repository* repo = git_.FindByName(b.repo);
    if (replays_.count(b.repo) > 0 && repo->head().tree.FindFile(b.path) == nullptr) {
      return Status::Error(b.pos.ToString() + ": path \"" + b.path + "\" is not a file of repo \"" +
                           b.repo + "\" at " + repo->head().id.hex().substr(0, 7));
    }
  }
  return Status::Ok();
}

Status World::RenderBootstrapApps() {
  for (const BootstrapEntry& b : scenario_.bootstrap) {
    const Blob* file = git_.FindByName(b.repo)->head().tree.FindFile(b.path);
    if (file == nullptr) continue;  // the loader or CheckBootstrapPaths reported it
    const std::string where = b.pos.ToString() + ": ";
    Result<std::vector<Json>> docs = ParseManifestFile(b.path, file->content());
    if (docs.ok()) docs = ExpandLists(std::move(*docs));
    if (!docs.ok()) return Status::Error(where + docs.error());
    for (const Json& doc : *docs) {
      Object app(doc);
      if (app.group() != "argoproj.io" || app.kind() != "Application") continue;
      Result<ApplicationSpec> spec = ParseApplicationSpec(app);
      if (!spec.ok())
        return Status::Error(where + "application " + app.name() + ": " + spec.error());
      for (size_t i = 0; i < spec->sources.size(); ++i) {
        if (replays_.count(git_.NameOf(spec->sources[i].repo_url)) == 0) continue;
        Result<ManifestResult> rendered =
            repo_server_->GenerateNow({spec->sources[i]}, /*force_resolve=*/true, false, {});
        // A source whose tool is not installed cannot be rendered here: not the scenario's fault.
        bool tool_missing =
            !rendered.ok() &&
            rendered.error().find("executable file not found in $PATH") != std::string::npos;
        if (!rendered.ok() && !tool_missing) {
          return Status::Error(where + "application " + app.name() + ": " +
                               TargetStateError(rendered.error(), i, spec->sources.size()));
        }
      }
    }
  }
  return Status::Ok();
}

// Authors the whole history once on scratch copies of the repositories, so that an op that
// cannot apply is reported before the run starts; the run then pushes the same commits. History
// entries never name a replayed repository (the loader refuses them).
Status World::CheckHistory() const {
  std::map<std::string, Repository> scratch;
  for (const RepoSpec& spec : scenario_.repos) {
    if (spec.tree.empty()) continue;
    Result<Repository> repo = Repository::FromDirectory(spec.tree, scenario_.start_unix_seconds);
    if (!repo.ok()) return repo.status();
    scratch.emplace(spec.name, std::move(repo).value());
  }
  for (const HistoryEntry& entry : scenario_.history) {
    int64_t unix_time = scenario_.start_unix_seconds + entry.at.since_start().whole_seconds();
    Result<CommitId> id = scratch.at(entry.repo).Commit(entry.ops, entry.message, unix_time);
    if (!id.ok()) return id.status();
  }
  return Status::Ok();
}

void World::BuildClusters() {
  secret_providers_ = std::make_unique<eso::SecretProviders>(scenario_.secret_stores);
  for (const ClusterInfo& info : registry_.clusters()) {
    std::vector<std::string> addons =
        info.in_cluster ? std::vector<std::string>{"argo-cd"} : scenario_.fleet.preinstalled;
    SealedSecretsContext sealed{&sealing_keys_, &ciphertexts_,
                                scenario_.fleet.sealed_secrets_shared_keys,
                                scenario_.fleet.sealed_secrets_key_renewal};
    clusters_.push_back(std::make_unique<ClusterRuntime>(info, sim_, trace_, seed_,
                                                         scenario_.start_unix_seconds, addons,
                                                         scenario_.traffic, sealed));
    clusters_.back()->StartExternalSecrets(*secret_providers_, scenario_.start_unix_seconds);
  }
  // Argo CD is installed in the management cluster.
  Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "argocd"}}}};
  (void)clusters_.front()->store().Apply(Object(ns));
  directory_ = std::make_unique<Directory>(clusters_);
  faults_ = std::make_unique<chaos::FaultInjector>(
      sim_, static_cast<chaos::FaultHost&>(*this), seed_,
      chaos::FaultSettings{scenario_.argocd.controller_replicas,
                           scenario_.argocd.sharding_algorithm});
  BuildControlPlane();
  git_.AddPushObserver([this](const std::string& repo, const CommitId&) {
    if (argocd_down_) return;
    for (const RepoSpec& spec : scenario_.repos) {
      if (spec.name != repo || !spec.webhook) continue;
      app_controller_->OnPush(spec.url);
      appset_controller_->OnPush(spec.url);
    }
  });
}

void World::BuildControlPlane() {
  RepoServerSettings repo_settings;
  repo_settings.parallelism = scenario_.argocd.repo_server_parallelism;
  repo_settings.revision_cache_ttl = scenario_.argocd.reconcile_interval;
  repo_server_ = std::make_unique<RepoServer>(sim_, git_remote_, repo_settings, tools_);
  app_controller_ = std::make_unique<ApplicationController>(
      sim_, trace_, scenario_.argocd, *repo_server_, *clusters_.front()->endpoint().api,
      *directory_, seed_, scenario_.start_unix_seconds);
  app_controller_->set_time_zones(&time_zones_);
  appset_sources_ = std::make_unique<WorldAppSetSources>(
      git_remote_, repo_server_.get(), registry_, *directory_, clusters_.front()->endpoint().api);
  appset_git_faults_ =
      std::make_unique<chaos::EmptyGitSources>(*appset_sources_, faults_->git_responses());
  appset_controller_ = std::make_unique<ApplicationSetController>(
      sim_, trace_, scenario_.argocd, *clusters_.front()->endpoint().api, *appset_git_faults_);
  if (scenario_.argocd.appset_progressive_syncs) {
    appset_controller_->EnableProgressiveSyncs(*app_controller_, scenario_.start_unix_seconds);
    app_controller_->set_status_listener(
        [this](const std::string& app) { appset_controller_->OnApplicationStatusChanged(app); });
  }
}

const ClusterDirectory& World::cluster_directory() const { return *directory_; }

ClusterRuntime* World::FindCluster(std::string_view name) {
  for (auto& c : clusters_) {
    if (c->endpoint().name == name) return c.get();
  }
  return nullptr;
}

void World::ScheduleTimeline() {
  sim_.At(SimTime::Zero(), [this] {
    for (const ClusterInfo& c : registry_.clusters()) {
      Record({.event = "ClusterRegistered", .cluster = c.name, .detail = c.server});
    }
    for (const RepoSpec& spec : scenario_.repos) {
      const Repository* repo = git_.FindByName(spec.name);
      Record({.event = "RepositoryReady",
              .object = spec.name,
              .detail = fmt::format("{} {}", ShortId(repo->head().id), spec.url)});
    }
    app_controller_->Start();
    appset_controller_->Start();
    ApplyBootstrap();
  });
  for (size_t i = 0; i < scenario_.history.size(); ++i) SchedulePush(i);
  for (const auto& [repo, commits] : replays_) {
    for (size_t i = 0; i < commits.size(); ++i) ScheduleReplay(repo, i);
  }
  for (const FaultSpec& fault : scenario_.faults) faults_->Schedule(fault);
  for (const RandomFaultSpec& spec : scenario_.random_faults) faults_->ScheduleRandom(spec, end());
  for (const ActionSpec& action : scenario_.actions) ScheduleAction(action);
}

void World::ApplyBootstrap() {
  for (const BootstrapEntry& b : scenario_.bootstrap) {
    Status s = KubectlApply(b.cluster, b.repo, b.path, "");
    Record({.event = "ManifestApplied",
            .cluster = b.cluster,
            .object = b.repo + ":" + b.path,
            .detail = s.ok() ? "kubectl apply (bootstrap)" : s.message()});
  }
}

void World::SchedulePush(size_t history_index) {
  const HistoryEntry& entry = scenario_.history[history_index];
  sim_.At(entry.at, [this, history_index] {
    const HistoryEntry& e = scenario_.history[history_index];
    int64_t unix_time = scenario_.start_unix_seconds + e.at.since_start().whole_seconds();
    // CheckHistory authored the same commits, so this cannot fail.
    Result<CommitId> id = git_.Push(e.repo, e.ops, e.message, unix_time);
    Record({.event = "CommitPushed",
            .object = e.repo,
            .detail = id.ok() ? fmt::format("{} {}", ShortId(*id), e.message) : id.error()});
  });
}

void World::ScheduleReplay(const std::string& repo, size_t index) {
  const ReplayedCommit& c = replays_.at(repo)[index];
  if (SimTime::Zero() + c.at > end()) return;
  sim_.At(SimTime::Zero() + c.at, [this, &repo, index] {
    ReplayedCommit& commit = replays_.at(repo)[index];
    const std::string message = commit.commit.message.substr(0, commit.commit.message.find('\n'));
    const CommitId id = commit.commit.id;
    Status s = git_.PushCommit(repo, std::move(commit.commit), commit.tags);
    Record({.event = "CommitPushed",
            .object = repo,
            .detail = s.ok() ? fmt::format("{} {}", ShortId(id), message) : s.message()});
  });
}

void World::RunUntil(SimTime t) { sim_.RunUntil(std::min(t, end())); }

MetricMap World::Metrics() const {
  MetricMap metrics;
  for (const std::string& name : KnownMetrics()) {
    bool real = name == "converged_fraction" ||
                (name.size() > 8 && name.compare(name.size() - 8, 8, "_seconds") == 0);
    metrics[name] = MetricValue::Null(!real);
  }
  for (auto& [name, value] : metrics_.Compute(now(), sim_.events_processed()))
    metrics[name] = value;
  // Only a run that saw a SealedSecret has a count (the others keep null).
  if (!ciphertexts_.empty())
    metrics["secrets_unrecoverable"] = MetricValue::Int(SecretsUnrecoverable());
  return metrics;
}

}  // namespace fleetsim
