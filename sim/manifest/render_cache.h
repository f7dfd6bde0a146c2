// Rendered manifest sets, cached by what they are made from: a directory source's result depends
// only on the Git tree id of its directory and its options (error messages name files by base
// name, never by path), so a commit that leaves a directory unchanged reuses its rendering, and so
// do two Applications that render the same directory. Failed renders are cached too; a missing
// source path is not (it has no tree id) and is reported again on every call.
//
// Argo CD's manifest cache is keyed by commit and expires after 24 h; fleetsim's key is finer (the
// directory's tree, not the whole commit) and entries never expire. The entry a lookup by (tree,
// path, source) found is remembered too, so a repeated lookup does not walk the path again.
// Whether a render costs repo-server time is the caller's model: this class only avoids
// recomputation. Not thread-safe.
#ifndef FLEETSIM_SIM_MANIFEST_RENDER_CACHE_H_
#define FLEETSIM_SIM_MANIFEST_RENDER_CACHE_H_

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/status.h"
#include "sim/git/object_id.h"
#include "sim/git/tree.h"
#include "sim/manifest/directory_source.h"
#include "sim/manifest/rendered_manifests.h"

namespace fleetsim {

class RenderCache {
 public:
  // `max_combined_size`: the repo-server setting every directory render uses.
  explicit RenderCache(int64_t max_combined_size = kDefaultMaxCombinedManifestsSize)
      : max_combined_size_(max_combined_size) {}
  RenderCache(const RenderCache&) = delete;
  RenderCache& operator=(const RenderCache&) = delete;

  // RenderDirectory (directory_source.h), computed once per (directory tree id, source).
  Result<RenderedManifestsPtr> RenderDirectory(const Tree& tree, std::string_view path,
                                               const DirectorySource& source);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  size_t size() const { return entries_.size(); }

 private:
  struct Key {
    TreeId directory;
    DirectorySource source;
    auto operator<=>(const Key&) const = default;
    bool operator==(const Key&) const = default;
  };
  // What a lookup names: a path in a tree (by the root's id) and the source options.
  struct PathKey {
    TreeId tree;
    std::string path;
    DirectorySource source;
    bool operator==(const PathKey&) const = default;
  };
  struct PathKeyHash {
    size_t operator()(const PathKey& k) const;
  };

  int64_t max_combined_size_;
  std::map<Key, Result<RenderedManifestsPtr>> entries_;
  // The entry each lookup that resolved to a directory found (entries are never removed); only
  // looked up, never iterated.
  std::unordered_map<PathKey, const Result<RenderedManifestsPtr>*, PathKeyHash> known_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_RENDER_CACHE_H_
