// Helpers shared by the sim/manifest tests: trees built in memory and scratch directories.
#ifndef FLEETSIM_TESTS_MANIFEST_MANIFEST_TEST_UTIL_H_
#define FLEETSIM_TESTS_MANIFEST_MANIFEST_TEST_UTIL_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/git/blob_store.h"
#include "sim/git/tree.h"
#include "sim/manifest/rendered_manifests.h"

namespace fleetsim::testing_manifest {

// A tree holding exactly `files` (path → content), contents interned in `blobs`.
Tree TreeOf(const std::map<std::string, std::string>& files, BlobStore& blobs);

// The names (metadata.name) of rendered objects, in order.
std::vector<std::string> Names(const RenderedManifests& rendered);

// A fresh directory under the test temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative, creating parent directories.
  void Write(const std::string& relative, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace fleetsim::testing_manifest

#endif  // FLEETSIM_TESTS_MANIFEST_MANIFEST_TEST_UTIL_H_
