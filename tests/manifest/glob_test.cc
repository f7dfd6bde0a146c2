#include "sim/manifest/glob.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

// util/glob.Match calls gobwas/glob without separators: '*' crosses '/'
// (repository_test.go TestFindResources: "*.yaml" includes subdir/deploymentSub.yaml).
TEST(GlobTest, StarCrossesDirectories) {
  EXPECT_TRUE(GlobMatch("*.yaml", "deployment.yaml"));
  EXPECT_TRUE(GlobMatch("*.yaml", "subdir/deploymentSub.yaml"));
  EXPECT_FALSE(GlobMatch("*.yaml", "deployment.yml"));
}

// TestFindResources "Include Subdirectory": "**/*.yaml" needs a '/' somewhere.
TEST(GlobTest, DoubleStarSlashNeedsASlash) {
  EXPECT_TRUE(GlobMatch("**/*.yaml", "subdir/deploymentSub.yaml"));
  EXPECT_FALSE(GlobMatch("**/*.yaml", "deployment.yaml"));
}

TEST(GlobTest, ExactPathMatchesOnlyItself) {
  EXPECT_TRUE(GlobMatch("subdir/deploymentSub.yaml", "subdir/deploymentSub.yaml"));
  EXPECT_FALSE(GlobMatch("subdir/deploymentSub.yaml", "deploymentSub.yaml"));
}

// repository_test.go uses "{*.yaml.sealed,*.yaml}"; the documented brace-list form.
TEST(GlobTest, BraceAlternatives) {
  EXPECT_TRUE(GlobMatch("{a.yaml,b.yaml}", "a.yaml"));
  EXPECT_TRUE(GlobMatch("{a.yaml,b.yaml}", "b.yaml"));
  EXPECT_FALSE(GlobMatch("{a.yaml,b.yaml}", "c.yaml"));
  EXPECT_TRUE(GlobMatch("{*.yaml.sealed,*.yaml}", "x/s.yaml.sealed"));
  EXPECT_TRUE(GlobMatch("config/{dev,prod/{a,b}}/*.json", "config/prod/b/x.json"));
  EXPECT_FALSE(GlobMatch("config/{dev,prod/{a,b}}/*.json", "config/prod/c/x.json"));
}

TEST(GlobTest, SingleCharacterAndClasses) {
  EXPECT_TRUE(GlobMatch("app?.yaml", "app1.yaml"));
  EXPECT_FALSE(GlobMatch("app?.yaml", "app12.yaml"));
  EXPECT_TRUE(GlobMatch("app[12].yaml", "app2.yaml"));
  EXPECT_FALSE(GlobMatch("app[!12].yaml", "app2.yaml"));
  EXPECT_TRUE(GlobMatch("app[a-c].yaml", "appb.yaml"));
  EXPECT_TRUE(GlobMatch("app[!a-c].yaml", "appz.yaml"));
}

TEST(GlobTest, EscapesAndLiteralBracesOutsideAlternatives) {
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("a,b}", "a,b}"));
}

// gobwas/glob's lexer: an unclosed class, an empty class and a class mixing a range and a list
// do not compile; Argo CD's glob.Match then matches nothing.
TEST(GlobTest, InvalidPatternsDoNotCompileAndMatchNothing) {
  EXPECT_FALSE(Glob::Compile("[abc").ok());
  EXPECT_FALSE(Glob::Compile("a[]").ok());
  EXPECT_FALSE(Glob::Compile("[a-z0-9]").ok());
  EXPECT_FALSE(Glob::Compile("[z-a]").ok());
  EXPECT_FALSE(GlobMatch("[abc", "[abc"));
}

TEST(GlobTest, UnclosedBraceEndsWithThePattern) {
  EXPECT_TRUE(GlobMatch("{a,b", "b"));
  EXPECT_TRUE(GlobMatch("x{}", "x"));
}

}  // namespace
}  // namespace fleetsim
