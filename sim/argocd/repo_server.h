// Argo CD's repo-server: resolves an Application source's targetRevision to a commit (through a
// revision cache whose TTL is timeout.reconciliation) and renders the manifests at that commit
// (through a manifest cache keyed by the tree id of the source's inputs): a directory itself,
// Kustomize and Helm sources through the tools a ToolRunner runs (kustomize_source.h,
// helm_source.h). Each request takes virtual time from the cost model (not from the tool's wall
// clock) and waits for a slot when the parallelism limit is reached.
#ifndef FLEETSIM_SIM_ARGOCD_REPO_SERVER_H_
#define FLEETSIM_SIM_ARGOCD_REPO_SERVER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "engine/inline_function.h"
#include "engine/sim_time.h"
#include "engine/simulator.h"
#include "sim/argocd/application_spec.h"
#include "sim/git/git_server.h"
#include "sim/manifest/helm_source.h"
#include "sim/manifest/kustomize_source.h"
#include "sim/manifest/render_cache.h"
#include "sim/manifest/tool_runner.h"

namespace fleetsim {

struct RepoServerSettings {
  int64_t parallelism = 0;  // reposerver.parallelism.limit; 0 = unlimited
  SimDuration revision_cache_ttl = SimDuration::Seconds(120);
  // Cost model. A resolve that misses the revision cache runs `git ls-remote`; a render that
  // misses the manifest cache generates, costing a base plus a per-object share.
  SimDuration ls_remote_cost = SimDuration::Millis(150);
  SimDuration cache_hit_cost = SimDuration::Millis(5);
  SimDuration render_base_cost = SimDuration::Millis(100);
  SimDuration render_per_object_cost = SimDuration::Micros(500);
};

struct ManifestResult {
  CommitId revision;                // of the first source
  std::vector<CommitId> revisions;  // one per source
  // Each source's rendered manifests, in source order: shared with the manifest cache, so a
  // result costs one reference per source, whatever the number of objects.
  std::vector<RenderedManifestsPtr> parts;
  std::vector<std::string> warnings;

  // Every source's objects, in source order.
  std::vector<ObjectPtr> Objects() const;
};

// Who asks the repo-server, for a client that repeats the same request (an Application's
// refreshes): `client` is a small dense id and `sources_hash` changes whenever the sources do. The
// repo-server then remembers where its caches answered last time and goes there directly; the
// answer, its cost and every cache's state are exactly those of a request without a memo.
struct RepoRequestMemo {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t client = kNone;
  uint64_t sources_hash = 0;
};

class RepoServer {
 public:
  // Move-only; a callback capturing a few pointers and integers is stored without allocating.
  using Callback = InlineFunction<void(Result<ManifestResult>), 48>;

  // REQUIRES: `sim`, `git` and `tools` outlive the repo-server. `tools` nullptr: no
  // config-management tool is installed.
  RepoServer(Simulator& sim, GitRemote& git, const RepoServerSettings& settings,
             ToolRunner* tools = nullptr);

  using Memo = RepoRequestMemo;

  // Resolves and renders `sources`, then calls `done` at the virtual time the work finishes.
  // `force_resolve` bypasses the revision cache (refresh annotation, manual sync); `hard` also
  // bypasses the manifest cache. `pinned` (one per source, or empty) renders those commits instead
  // of resolving the targetRevision.
  void GenerateManifests(const std::vector<ApplicationSource>& sources, bool force_resolve,
                         bool hard, std::vector<CommitId> pinned, Callback done, Memo memo = {});

  // The same work, done at once with no virtual time (validation, tools).
  Result<ManifestResult> GenerateNow(const std::vector<ApplicationSource>& sources,
                                     bool force_resolve, bool hard,
                                     const std::vector<CommitId>& pinned);

  // Resolves `revision` of `url` through the revision cache; `cache_hit` (optional) says whether
  // the cache answered.
  Result<CommitId> ResolveRevision(const std::string& url, const std::string& revision, bool force,
                                   bool* cache_hit = nullptr);

  // The commit as the repo-server's clone of `url` holds it: fetched from the Git server the first
  // time (which an outage fails), read from the clone after that, without the network, as
  // Argo CD's repo-server checks out a revision already present in its working copy. The pointer
  // stays valid for the repo-server's life.
  Result<const CommitInfo*> Checkout(const std::string& url, const CommitId& commit);

  // Starts loading into the CPU cache what a request from `client` will read first (its memo).
  // A hint only: no effect on what any call returns.
  void Prefetch(uint32_t client) const;

  uint64_t requests() const { return requests_; }
  const RenderCache& render_cache() const { return render_cache_; }
  const KustomizeRenderer& kustomize() const { return kustomize_; }

 private:
  struct Pending {
    std::vector<ApplicationSource> sources;
    bool force_resolve;
    bool hard;
    std::vector<CommitId> pinned;
    Callback done;
    Memo memo;
  };
  struct CachedRevision {
    CommitId commit;
    SimTime expires;
  };
  // Orders (url, revision) keys and looks them up by views, without building strings.
  struct RevisionKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, std::string_view>(a.first, a.second) <
             std::pair<std::string_view, std::string_view>(b.first, b.second);
    }
  };
  struct CloneKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, const CommitId&>(a.first, a.second) <
             std::pair<std::string_view, const CommitId&>(b.first, b.second);
    }
  };
  using RevisionCache =
      std::map<std::pair<std::string, std::string>, CachedRevision, RevisionKeyLess>;
  // A source path in one commit's tree: what the detection of its type depends on.
  struct TreePath {
    TreeId tree;
    std::string path;
    bool operator==(const TreePath&) const = default;
  };
  struct TreePathHash {
    size_t operator()(const TreePath& k) const;
  };
  // A request whose virtual time is running; its result is handed over when that time is up.
  struct Finished {
    Result<ManifestResult> result;
    Callback done;
  };
  enum class SourceType { kDirectory, kKustomize, kHelm, kPlugin };
  // Where the caches answered one source of a client's last request.
  struct SourceMemo {
    bool has_revision = false;
    RevisionCache::iterator revision;         // the revision cache never erases an entry
    const CommitInfo* checked_out = nullptr;  // in clones_, which never erases one
    bool has_type = false;
    TreeId tree;  // the commit's root tree the type (and the render) was found for
    SourceType type = SourceType::kDirectory;
    RenderedManifestsPtr rendered;  // a directory source's cached render; null: none kept
  };
  struct ClientMemo {
    uint64_t sources_hash = 0;
    // Inline for the usual single source: a refresh then reads one place, not two.
    boost::container::small_vector<SourceMemo, 1> sources;
  };

  Result<ManifestResult> Generate(const std::vector<ApplicationSource>& sources, bool force_resolve,
                                  bool hard, const std::vector<CommitId>& pinned, SimDuration* cost,
                                  Memo memo = {});
  // The client's memo for these sources (reset when they changed); null without a client.
  ClientMemo* MemoFor(Memo memo, size_t sources);
  // Appends the source's rendered manifests to `parts`.
  Status RenderSource(const ApplicationSource& source, const CommitInfo& commit, bool hard,
                      std::vector<RenderedManifestsPtr>* parts, std::vector<std::string>* warnings,
                      SimDuration* cost, SourceMemo* memo);
  Result<CommitId> Resolve(const std::string& url, const std::string& revision, bool force,
                           bool* cache_hit, RevisionCache::iterator* entry);
  SourceType DetectType(const ApplicationSource& source, const Tree& tree);
  void Remember(const std::string& url, const std::string& revision, RevisionCache::iterator entry);
  bool HasCapacity() const;
  // Generates now and hands the result to `done` `cost` later.
  void Start(const std::vector<ApplicationSource>& sources, bool force_resolve, bool hard,
             const std::vector<CommitId>& pinned, Callback done, Memo memo);
  void Finish(uint32_t slot);
  void StartNext();

  Simulator& sim_;
  GitRemote& git_;
  RepoServerSettings settings_;
  RenderCache render_cache_;
  KustomizeRenderer kustomize_;
  HelmRenderer helm_;
  RevisionCache revisions_;
  // The (url as written, revision) of the last lookup and its entry: most requests repeat it.
  std::string last_url_;
  std::string last_revision_;
  RevisionCache::iterator last_entry_;
  // The type detected from the files, per (tree, path); trees are immutable, so it never changes.
  // Only looked up, never iterated.
  std::unordered_map<TreePath, SourceType, TreePathHash> detected_;
  std::vector<ClientMemo> memos_;  // by client id
  // The commits fetched so far, by (normalised URL, commit): the repo-server's clones.
  std::map<std::pair<std::string, CommitId>, CommitInfo, CloneKeyLess> clones_;
  std::deque<Pending> queue_;
  std::vector<std::optional<Finished>> finished_;  // by slot
  std::vector<uint32_t> free_slots_;
  int64_t in_flight_ = 0;
  uint64_t requests_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_REPO_SERVER_H_
