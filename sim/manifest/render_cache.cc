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
  PathKey path_key{tree.id(), std::string(path), source};
  if (auto known = known_.find(path_key); known != known_.end()) {
    ++hits_;
    return *known->second;
  }
  Result<std::string> dir = ResolveAppPath(tree, path);
  if (!dir.ok()) return dir.status();
  Key key{.directory = *tree.DirectoryId(*dir), .source = source};
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++hits_;
  } else {
    ++misses_;
    Result<RenderedManifestsPtr> rendered =
        fleetsim::RenderDirectory(tree, *dir, source, max_combined_size_);
    it = entries_.emplace(std::move(key), std::move(rendered)).first;
  }
  known_.emplace(std::move(path_key), &it->second);
  return it->second;
}

}  // namespace fleetsim
