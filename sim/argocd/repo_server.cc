#include "sim/argocd/repo_server.h"

#include "sim/manifest/directory_source.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

bool HasFile(const Tree& tree, const std::string& dir, const char* name) {
  std::string path = dir.empty() || dir == "." ? name : dir + "/" + name;
  return tree.Kind(path) == PathKind::kFile;
}

// Argo CD's source-type discovery (reposerver GetAppSourceType): an explicit block wins, else a
// kustomization file makes Kustomize and a Chart.yaml makes Helm; anything else is a Directory.
enum class SourceType { kDirectory, kKustomize, kHelm, kPlugin };

SourceType DetectType(const ApplicationSource& s, const Tree& tree) {
  if (s.has_plugin) return SourceType::kPlugin;
  if (s.has_helm || !s.chart.empty()) return SourceType::kHelm;
  if (s.has_kustomize) return SourceType::kKustomize;
  if (s.has_directory) return SourceType::kDirectory;
  for (const char* k : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    if (HasFile(tree, s.path, k)) return SourceType::kKustomize;
  }
  if (HasFile(tree, s.path, "Chart.yaml")) return SourceType::kHelm;
  return SourceType::kDirectory;
}

// What Argo CD reports when the tool a source type needs is not installed on the repo-server.
Status ToolMissing(const char* tool) {
  return Status::Error(
      RpcError("Unknown", std::string("Manifest generation error (cached): exec: \"") + tool +
                              "\": executable file not found in $PATH"));
}

}  // namespace

RepoServer::RepoServer(Simulator& sim, GitRemote& git, const RepoServerSettings& settings)
    : sim_(sim), git_(git), settings_(settings) {}

Result<CommitId> RepoServer::ResolveRevision(const std::string& url, const std::string& revision,
                                             bool force, bool* cache_hit) {
  auto key = std::make_pair(NormalizeRepoUrl(url), revision);
  if (!force) {
    auto it = revisions_.find(key);
    if (it != revisions_.end() && it->second.expires > sim_.now()) {
      if (cache_hit) *cache_hit = true;
      return it->second.commit;
    }
  }
  if (cache_hit) *cache_hit = false;
  Result<CommitId> resolved = git_.LsRemote(url, revision);
  if (resolved.ok()) revisions_[key] = {*resolved, sim_.now() + settings_.revision_cache_ttl};
  return resolved;
}

Result<std::vector<ObjectPtr>> RepoServer::RenderSource(const ApplicationSource& source,
                                                        const CommitInfo& commit, bool hard,
                                                        std::vector<std::string>* warnings,
                                                        SimDuration* cost) {
  switch (DetectType(source, commit.tree)) {
    case SourceType::kKustomize:
      return ToolMissing("kustomize");
    case SourceType::kHelm:
      return ToolMissing("helm");
    case SourceType::kPlugin:
      return Status::Error(RpcError("Unknown", "plugin sidecar not found"));
    case SourceType::kDirectory:
      break;
  }
  DirectorySource dir{source.directory_recurse, source.directory_include, source.directory_exclude};
  uint64_t misses_before = render_cache_.misses();
  Result<RenderedManifestsPtr> rendered =
      hard ? RenderDirectory(commit.tree, source.path, dir)
           : render_cache_.RenderDirectory(commit.tree, source.path, dir);
  if (!rendered.ok()) return rendered.status();
  const RenderedManifests& m = **rendered;
  bool generated = hard || render_cache_.misses() != misses_before;
  *cost += generated ? settings_.render_base_cost +
                           settings_.render_per_object_cost * static_cast<int64_t>(m.objects.size())
                     : settings_.cache_hit_cost;
  warnings->insert(warnings->end(), m.warnings.begin(), m.warnings.end());
  return m.objects;
}

Result<ManifestResult> RepoServer::Generate(const Pending& request, SimDuration* cost) {
  ManifestResult result;
  for (size_t i = 0; i < request.sources.size(); ++i) {
    const ApplicationSource& source = request.sources[i];
    CommitId commit;
    if (i < request.pinned.size()) {
      commit = request.pinned[i];
    } else {
      bool hit = false;
      Result<CommitId> resolved =
          ResolveRevision(source.repo_url, source.target_revision, request.force_resolve, &hit);
      if (!hit) *cost += settings_.ls_remote_cost;
      if (!resolved.ok()) return resolved.status();
      commit = *resolved;
    }
    Result<const CommitInfo*> info = git_.Fetch(source.repo_url, commit);
    if (!info.ok()) return info.status();
    Result<std::vector<ObjectPtr>> objects =
        RenderSource(source, **info, request.hard, &result.warnings, cost);
    if (!objects.ok()) return objects.status();
    result.revisions.push_back(commit);
    result.objects.insert(result.objects.end(), objects->begin(), objects->end());
  }
  result.revision = result.revisions.front();
  return result;
}

void RepoServer::GenerateManifests(const std::vector<ApplicationSource>& sources,
                                   bool force_resolve, bool hard, std::vector<CommitId> pinned,
                                   Callback done) {
  ++requests_;
  queue_.push_back({sources, force_resolve, hard, std::move(pinned), std::move(done)});
  StartNext();
}

void RepoServer::StartNext() {
  while (!queue_.empty() && (settings_.parallelism <= 0 || in_flight_ < settings_.parallelism)) {
    Pending request = std::move(queue_.front());
    queue_.pop_front();
    ++in_flight_;
    SimDuration cost = SimDuration::Zero();
    auto result = std::make_shared<Result<ManifestResult>>(Generate(request, &cost));
    sim_.After(cost, [this, result, done = std::move(request.done)]() mutable {
      --in_flight_;
      done(std::move(*result));
      StartNext();
    });
  }
}

Result<ManifestResult> RepoServer::GenerateNow(const std::vector<ApplicationSource>& sources,
                                               bool force_resolve, bool hard,
                                               const std::vector<CommitId>& pinned) {
  SimDuration ignored;
  return Generate({sources, force_resolve, hard, pinned, nullptr}, &ignored);
}

}  // namespace fleetsim
