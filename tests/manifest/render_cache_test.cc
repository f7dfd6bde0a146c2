#include "sim/manifest/render_cache.h"

#include <gtest/gtest.h>

#include "sim/git/repository.h"
#include "tests/manifest/manifest_test_util.h"

namespace fleetsim {
namespace {

using testing_manifest::ScratchDir;
using testing_manifest::TreeOf;

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z

HistoryOp Write(std::string path, std::string content) {
  HistoryOp op;
  op.kind = HistoryOp::Kind::kWrite;
  op.path = std::move(path);
  op.content = std::move(content);
  return op;
}

std::string ConfigMap(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
}

Repository SampleRepo(const ScratchDir& dir) {
  dir.Write("apps/web/cm.yaml", ConfigMap("web"));
  dir.Write("apps/db/cm.yaml", ConfigMap("db"));
  Result<Repository> repo = Repository::FromDirectory(dir.path(), kStart);
  EXPECT_TRUE(repo.ok()) << (repo.ok() ? "" : repo.error());
  return std::move(repo).value();
}

// DESIGN.md: "Rendered manifest sets are cached by the tree hash of their inputs, so unchanged
// directories are never rendered twice."
TEST(RenderCacheTest, UnchangedDirectoryIsAHitAfterAnUnrelatedCommit) {
  ScratchDir dir;
  Repository repo = SampleRepo(dir);
  RenderCache cache;
  Result<RenderedManifestsPtr> first = cache.RenderDirectory(repo.head().tree, "apps/web", {});
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_TRUE(
      repo.Commit({Write("apps/db/cm.yaml", ConfigMap("db2"))}, "db change", kStart + 60).ok());
  Result<RenderedManifestsPtr> second = cache.RenderDirectory(repo.head().tree, "apps/web", {});
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(*first, *second);  // the same shared rendering
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(RenderCacheTest, ChangedDirectoryIsRenderedAgain) {
  ScratchDir dir;
  Repository repo = SampleRepo(dir);
  RenderCache cache;
  ASSERT_TRUE(cache.RenderDirectory(repo.head().tree, "apps/web", {}).ok());
  ASSERT_TRUE(repo.Commit({Write("apps/web/cm.yaml", ConfigMap("web2"))}, "web", kStart + 60).ok());
  Result<RenderedManifestsPtr> again = cache.RenderDirectory(repo.head().tree, "apps/web", {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->objects[0]->name(), "web2");
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.hits(), 0u);
}

// The key is (directory tree id, source options): the same content elsewhere is a hit; other
// options are a miss.
TEST(RenderCacheTest, KeyIsTreeIdAndOptions) {
  BlobStore blobs;
  Tree tree = TreeOf({{"a/cm.yaml", ConfigMap("x")}, {"b/cm.yaml", ConfigMap("x")}}, blobs);
  RenderCache cache;
  ASSERT_TRUE(cache.RenderDirectory(tree, "a", {}).ok());
  ASSERT_TRUE(cache.RenderDirectory(tree, "b", {}).ok());
  ASSERT_TRUE(cache.RenderDirectory(tree, "a", {.recurse = true}).ok());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(RenderCacheTest, FailuresAreCachedButAMissingPathIsNot) {
  BlobStore blobs;
  Tree tree = TreeOf({{"a/cm.yaml", "apiVersion: v1\nkind: X\nmetadata: [\n"}}, blobs);
  RenderCache cache;
  EXPECT_FALSE(cache.RenderDirectory(tree, "a", {}).ok());
  EXPECT_FALSE(cache.RenderDirectory(tree, "a", {}).ok());
  EXPECT_EQ(cache.hits(), 1u);
  Result<RenderedManifestsPtr> missing = cache.RenderDirectory(tree, "nope", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "rpc error: code = Unknown desc = nope: app path does not exist");
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace fleetsim
