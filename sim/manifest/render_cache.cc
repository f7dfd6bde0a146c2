#include "sim/manifest/render_cache.h"

#include <string>
#include <utility>

namespace fleetsim {

size_t RenderCache::PathKeyHash::operator()(const PathKey& k) const {
  uint64_t h = 0;
  for (size_t i = 0; i < sizeof(h); ++i) h = (h << 8) | k.tree.raw()[i];  // a SHA-1: uniform
  return static_cast<size_t>(h ^ std::hash<std::string>()(k.path));
}

Result<RenderedManifestsPtr> RenderCache::RenderDirectory(const Tree& tree, std::string_view path,
                                                          const DirectorySource& source) {
  PathKey path_key{tree.id(), std::string(path)};
  auto known = directories_.find(path_key);
  if (known == directories_.end()) {
    Result<std::string> dir = ResolveAppPath(tree, path);
    if (!dir.ok()) return dir.status();
    Directory resolved{*dir, *tree.DirectoryId(*dir)};
    known = directories_.emplace(std::move(path_key), std::move(resolved)).first;
  }
  const Directory& dir = known->second;
  Key key{.directory = dir.id, .source = source};
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  Result<RenderedManifestsPtr> rendered =
      fleetsim::RenderDirectory(tree, dir.path, source, max_combined_size_);
  entries_.emplace(std::move(key), rendered);
  return rendered;
}

}  // namespace fleetsim
