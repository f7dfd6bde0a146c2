#include "sim/argocd/repo_server.h"

#include "sim/manifest/directory_source.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

bool HasFile(const Tree& tree, const std::string& dir, const char* name) {
  std::string path = dir.empty() || dir == "." ? name : dir + "/" + name;
  return tree.Kind(path) == PathKind::kFile;
}

}  // namespace

std::vector<ObjectPtr> ManifestResult::Objects() const {
  size_t n = 0;
  for (const RenderedManifestsPtr& p : parts) n += p->objects.size();
  std::vector<ObjectPtr> all;
  all.reserve(n);
  for (const RenderedManifestsPtr& p : parts)
    all.insert(all.end(), p->objects.begin(), p->objects.end());
  return all;
}

RepoServer::RepoServer(Simulator& sim, GitRemote& git, const RepoServerSettings& settings,
                       ToolRunner* tools)
    : sim_(sim), git_(git), settings_(settings), kustomize_(tools), helm_(tools) {}

size_t RepoServer::TreePathHash::operator()(const TreePath& k) const {
  uint64_t h = 0;
  for (size_t i = 0; i < sizeof(h); ++i) h = (h << 8) | k.tree.raw()[i];  // a SHA-1: uniform
  return static_cast<size_t>(h ^ std::hash<std::string>()(k.path));
}

Result<CommitId> RepoServer::ResolveRevision(const std::string& url, const std::string& revision,
                                             bool force, bool* cache_hit) {
  RevisionCache::iterator entry;
  return Resolve(url, revision, force, cache_hit, &entry);
}

Result<CommitId> RepoServer::Resolve(const std::string& url, const std::string& revision,
                                     bool force, bool* cache_hit, RevisionCache::iterator* entry) {
  *entry = revisions_.end();
  std::string scratch;
  std::string_view normalized;
  RevisionCache::iterator it;
  if (!revisions_.empty() && url == last_url_ && revision == last_revision_) {
    it = last_entry_;
    normalized = it->first.first;
  } else {
    normalized = NormalizeRepoUrl(url, scratch);
    it = revisions_.find(std::make_pair(normalized, std::string_view(revision)));
    if (it != revisions_.end()) Remember(url, revision, it);
  }
  *entry = it;
  if (!force && it != revisions_.end() && it->second.expires > sim_.now()) {
    if (cache_hit) *cache_hit = true;
    return it->second.commit;
  }
  if (cache_hit) *cache_hit = false;
  Result<CommitId> resolved = git_.LsRemote(url, revision);
  if (!resolved.ok()) return resolved;
  CachedRevision cached{*resolved, sim_.now() + settings_.revision_cache_ttl};
  if (it != revisions_.end()) {
    it->second = cached;
  } else {
    it = revisions_.emplace(std::make_pair(std::string(normalized), revision), cached).first;
    Remember(url, revision, it);
  }
  *entry = it;
  return resolved;
}

void RepoServer::Remember(const std::string& url, const std::string& revision,
                          RevisionCache::iterator entry) {
  last_url_ = url;
  last_revision_ = revision;
  last_entry_ = entry;
}

// Argo CD's source-type discovery (reposerver GetAppSourceType): an explicit block wins, else a
// kustomization file makes Kustomize and a Chart.yaml makes Helm; anything else is a Directory.
RepoServer::SourceType RepoServer::DetectType(const ApplicationSource& s, const Tree& tree) {
  if (s.has_plugin) return SourceType::kPlugin;
  if (s.has_helm || !s.chart.empty()) return SourceType::kHelm;
  if (s.has_kustomize) return SourceType::kKustomize;
  if (s.has_directory) return SourceType::kDirectory;
  auto [it, inserted] = detected_.try_emplace(TreePath{tree.id(), s.path}, SourceType::kDirectory);
  if (!inserted) return it->second;
  for (const char* k : {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
    if (HasFile(tree, s.path, k)) return it->second = SourceType::kKustomize;
  }
  if (HasFile(tree, s.path, "Chart.yaml")) return it->second = SourceType::kHelm;
  return it->second;
}

Status RepoServer::RenderSource(const ApplicationSource& source, const CommitInfo& commit,
                                bool hard, std::vector<RenderedManifestsPtr>* parts,
                                std::vector<std::string>* warnings, SimDuration* cost,
                                SourceMemo* memo) {
  const bool same_tree = memo != nullptr && memo->has_type && memo->tree == commit.tree.id();
  if (same_tree && !hard && memo->rendered != nullptr) {
    // The manifest cache's answer for this tree and source (its entries are never removed).
    const RenderedManifests& m = *memo->rendered;
    *cost += settings_.cache_hit_cost;
    warnings->insert(warnings->end(), m.warnings.begin(), m.warnings.end());
    parts->push_back(memo->rendered);
    return Status::Ok();
  }
  const SourceType type = same_tree ? memo->type : DetectType(source, commit.tree);
  if (memo != nullptr) {
    memo->has_type = true;
    memo->tree = commit.tree.id();
    memo->type = type;
    memo->rendered = nullptr;
  }
  uint64_t misses_before = 0;
  Result<RenderedManifestsPtr> rendered = Status::Error("");
  bool generated = false;
  switch (type) {
    case SourceType::kKustomize:
      // A hard refresh regenerates in Argo CD; the tools are deterministic, so fleetsim charges the
      // render's cost and keeps the cached result.
      misses_before = kustomize_.misses();
      rendered = kustomize_.Render(commit.tree, source.path, source.kustomize);
      generated = hard || kustomize_.misses() != misses_before;
      break;
    case SourceType::kHelm:
      misses_before = helm_.misses();
      rendered = helm_.Render(commit.tree, source.path, source.helm);
      generated = hard || helm_.misses() != misses_before;
      break;
    case SourceType::kPlugin:
      return Status::Error(RpcError("Unknown", "plugin sidecar not found"));
    case SourceType::kDirectory: {
      DirectorySource dir{source.directory_recurse, source.directory_include,
                          source.directory_exclude};
      misses_before = render_cache_.misses();
      rendered = hard ? RenderDirectory(commit.tree, source.path, dir)
                      : render_cache_.RenderDirectory(commit.tree, source.path, dir);
      generated = hard || render_cache_.misses() != misses_before;
      if (memo != nullptr && !hard && rendered.ok()) memo->rendered = *rendered;
      break;
    }
  }
  if (!rendered.ok()) return rendered.status();
  const RenderedManifests& m = **rendered;
  *cost += generated ? settings_.render_base_cost +
                           settings_.render_per_object_cost * static_cast<int64_t>(m.objects.size())
                     : settings_.cache_hit_cost;
  warnings->insert(warnings->end(), m.warnings.begin(), m.warnings.end());
  parts->push_back(std::move(*rendered));
  return Status::Ok();
}

Result<const CommitInfo*> RepoServer::Checkout(const std::string& url, const CommitId& commit) {
  std::string scratch;
  std::string_view normalized = NormalizeRepoUrl(url, scratch);
  auto it = clones_.find(std::make_pair(normalized, commit));
  if (it != clones_.end()) return &it->second;
  Result<const CommitInfo*> fetched = git_.Fetch(url, commit);
  if (!fetched.ok()) return fetched.status();
  it = clones_.emplace(std::make_pair(std::string(normalized), commit), **fetched).first;
  return &it->second;
}

void RepoServer::Prefetch(uint32_t client) const {
  if (client >= memos_.size()) return;
  const char* m = reinterpret_cast<const char*>(&memos_[client]);
  for (size_t offset = 0; offset < sizeof(ClientMemo); offset += 64) __builtin_prefetch(m + offset);
}

RepoServer::ClientMemo* RepoServer::MemoFor(Memo memo, size_t sources) {
  if (memo.client == Memo::kNone) return nullptr;
  if (memo.client >= memos_.size()) memos_.resize(size_t{memo.client} + 1);
  ClientMemo& m = memos_[memo.client];
  if (m.sources_hash != memo.sources_hash || m.sources.size() != sources) {
    m.sources_hash = memo.sources_hash;
    m.sources.assign(sources, SourceMemo{});
  }
  return &m;
}

Result<ManifestResult> RepoServer::Generate(const std::vector<ApplicationSource>& sources,
                                            bool force_resolve, bool hard,
                                            const std::vector<CommitId>& pinned, SimDuration* cost,
                                            Memo memo) {
  ClientMemo* client = MemoFor(memo, sources.size());
  ManifestResult result;
  for (size_t i = 0; i < sources.size(); ++i) {
    const ApplicationSource& source = sources[i];
    SourceMemo* m = client == nullptr ? nullptr : &client->sources[i];
    CommitId commit;
    if (i < pinned.size()) {
      commit = pinned[i];
    } else if (m != nullptr && m->has_revision && !force_resolve &&
               m->revision->second.expires > sim_.now()) {
      commit = m->revision->second.commit;  // what the revision cache answers
    } else {
      bool hit = false;
      RevisionCache::iterator entry;
      Result<CommitId> resolved =
          Resolve(source.repo_url, source.target_revision, force_resolve, &hit, &entry);
      if (m != nullptr && entry != revisions_.end()) {
        m->has_revision = true;
        m->revision = entry;
      }
      if (!hit) *cost += settings_.ls_remote_cost;
      if (!resolved.ok()) return resolved.status();
      commit = *resolved;
    }
    const CommitInfo* info = nullptr;
    if (m != nullptr && m->checked_out != nullptr && m->checked_out->id == commit) {
      info = m->checked_out;
    } else {
      Result<const CommitInfo*> checked_out = Checkout(source.repo_url, commit);
      if (!checked_out.ok()) return checked_out.status();
      info = *checked_out;
      if (m != nullptr) m->checked_out = info;
    }
    Status rendered = RenderSource(source, *info, hard, &result.parts, &result.warnings, cost, m);
    if (!rendered.ok()) return rendered;
    result.revisions.push_back(commit);
  }
  result.revision = result.revisions.front();
  return result;
}

bool RepoServer::HasCapacity() const {
  return settings_.parallelism <= 0 || in_flight_ < settings_.parallelism;
}

void RepoServer::GenerateManifests(const std::vector<ApplicationSource>& sources,
                                   bool force_resolve, bool hard, std::vector<CommitId> pinned,
                                   Callback done, Memo memo) {
  ++requests_;
  if (queue_.empty() && HasCapacity()) {
    // StartNext would take it from the queue at once: start it without copying the sources.
    Start(sources, force_resolve, hard, pinned, std::move(done), memo);
    return;
  }
  queue_.push_back({sources, force_resolve, hard, std::move(pinned), std::move(done), memo});
  StartNext();
}

void RepoServer::Start(const std::vector<ApplicationSource>& sources, bool force_resolve, bool hard,
                       const std::vector<CommitId>& pinned, Callback done, Memo memo) {
  ++in_flight_;
  SimDuration cost = SimDuration::Zero();
  Finished finished{Generate(sources, force_resolve, hard, pinned, &cost, memo), std::move(done)};
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(finished_.size());
    finished_.emplace_back(std::move(finished));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    finished_[slot].emplace(std::move(finished));
  }
  sim_.After(cost, [this, slot] { Finish(slot); });
}

void RepoServer::Finish(uint32_t slot) {
  Finished finished = std::move(*finished_[slot]);
  finished_[slot].reset();
  free_slots_.push_back(slot);
  --in_flight_;
  finished.done(std::move(finished.result));
  StartNext();
}

void RepoServer::StartNext() {
  while (!queue_.empty() && HasCapacity()) {
    Pending request = std::move(queue_.front());
    queue_.pop_front();
    Start(request.sources, request.force_resolve, request.hard, request.pinned,
          std::move(request.done), request.memo);
  }
}

Result<ManifestResult> RepoServer::GenerateNow(const std::vector<ApplicationSource>& sources,
                                               bool force_resolve, bool hard,
                                               const std::vector<CommitId>& pinned) {
  SimDuration ignored;
  return Generate(sources, force_resolve, hard, pinned, &ignored, {});
}

}  // namespace fleetsim
