#include "tests/manifest/manifest_test_util.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace fleetsim::testing_manifest {

namespace fs = std::filesystem;

Tree TreeOf(const std::map<std::string, std::string>& files, BlobStore& blobs) {
  Tree tree;
  for (const auto& [path, content] : files) {
    Result<Tree> next = tree.WithFile(path, blobs.Intern(content));
    EXPECT_TRUE(next.ok()) << path << ": " << (next.ok() ? "" : next.error());
    if (next.ok()) tree = std::move(next).value();
  }
  return tree;
}

std::vector<std::string> Names(const RenderedManifests& rendered) {
  std::vector<std::string> names;
  for (const ObjectPtr& o : rendered.objects) names.push_back(o->name());
  return names;
}

ScratchDir::ScratchDir() {
  std::string templ = (fs::path(::testing::TempDir()) / "fleetsim-manifest-XXXXXX").string();
  const char* made = mkdtemp(templ.data());
  EXPECT_NE(made, nullptr);
  path_ = templ;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void ScratchDir::Write(const std::string& relative, std::string_view content) const {
  const fs::path file = fs::path(path_) / relative;
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

}  // namespace fleetsim::testing_manifest
