#include "sim/manifest/render_cache.h"

#include <string>
#include <utility>

namespace fleetsim {

Result<RenderedManifestsPtr> RenderCache::RenderDirectory(const Tree& tree, std::string_view path,
                                                          const DirectorySource& source) {
  Result<std::string> dir = ResolveAppPath(tree, path);
  if (!dir.ok()) return dir.status();
  Key key{.directory = *tree.DirectoryId(*dir), .source = source};
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  Result<RenderedManifestsPtr> rendered =
      fleetsim::RenderDirectory(tree, *dir, source, max_combined_size_);
  entries_.emplace(std::move(key), rendered);
  return rendered;
}

}  // namespace fleetsim
