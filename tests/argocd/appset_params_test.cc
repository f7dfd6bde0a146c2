// Parameter names of the git and cluster generators in both template modes (reference/argocd.md
// 4.4 and 4.5; argo-cd applicationset/generators/git.go generateParamsFromApps and
// generateParamsFromGitFile, cluster.go getClusterParameters, utils SanitizeName).
#include <gtest/gtest.h>

#include "sim/argocd/appset_params.h"

namespace fleetsim {
namespace {

TEST(AppSetParamsTest, SanitizeNameLowersReplacesAndTrims) {
  EXPECT_EQ(SanitizeName("Prod_EastUS"), "prod-eastus");
  EXPECT_EQ(SanitizeName("-.a.b-"), "a.b");
  EXPECT_EQ(SanitizeName("caf\xc3\xa9"), "caf");  // one '-' per rune, then trimmed
  EXPECT_EQ(SanitizeName(std::string(300, 'a')).size(), 253u);
}

// git.go filterApps uses path.Match: '*' does not cross '/'.
TEST(AppSetParamsTest, GoPathMatchStarStopsAtSlash) {
  EXPECT_TRUE(GoPathMatch("*/overlays/prod-*", "checkout/overlays/prod-eastus"));
  EXPECT_FALSE(GoPathMatch("*", "checkout/overlays"));
  EXPECT_TRUE(GoPathMatch("*", "checkout"));
  EXPECT_TRUE(GoPathMatch("a/[b-d]?", "a/cx"));
  EXPECT_FALSE(GoPathMatch("a/[!b-d]x", "a/cx"));
}

TEST(AppSetParamsTest, DirectoryParamsFastTemplate) {
  ParamSet p = DirectoryParams("checkout/overlays/Prod_EastUS", "", false);
  EXPECT_EQ(p["path"], "checkout/overlays/Prod_EastUS");
  EXPECT_EQ(p["path.basename"], "Prod_EastUS");
  EXPECT_EQ(p["path.basenameNormalized"], "prod-eastus");
  EXPECT_EQ(p["path[0]"], "checkout");
  EXPECT_EQ(p["path[1]"], "overlays");
  EXPECT_EQ(p["path[2]"], "Prod_EastUS");
  EXPECT_FALSE(p.contains("path[3]"));
}

TEST(AppSetParamsTest, DirectoryParamsGoTemplateNestsAndHasSegments) {
  ParamSet p = DirectoryParams("checkout/overlays/prod", "", true);
  EXPECT_EQ(p["path"]["path"], "checkout/overlays/prod");
  EXPECT_EQ(p["path"]["basename"], "prod");
  EXPECT_EQ(p["path"]["basenameNormalized"], "prod");
  EXPECT_EQ(p["path"]["segments"], Json({"checkout", "overlays", "prod"}));
  EXPECT_FALSE(p.contains("path[1]"));
}

TEST(AppSetParamsTest, PathParamPrefixInBothModes) {
  EXPECT_EQ(DirectoryParams("a/b", "p", false)["p.path.basename"], "b");
  EXPECT_EQ(DirectoryParams("a/b", "p", false)["p.path[0]"], "a");
  EXPECT_EQ(DirectoryParams("a/b", "p", true)["p"]["path"]["basename"], "b");
}

TEST(AppSetParamsTest, FileParamsFlattenInFastTemplate) {
  Json object = {
      {"cluster", {{"name", "prod-1"}, {"replicas", 3}}}, {"zones", {"a", "b"}}, {"enabled", true}};
  Result<ParamSet> p = FileParams("clusters/prod-1/config.json", object, "", false);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)["cluster.name"], "prod-1");
  EXPECT_EQ((*p)["cluster.replicas"], "3");
  EXPECT_EQ((*p)["zones.1"], "b");
  EXPECT_EQ((*p)["enabled"], "true");
  EXPECT_EQ((*p)["path"], "clusters/prod-1");
  EXPECT_EQ((*p)["path.basename"], "prod-1");
  EXPECT_EQ((*p)["path.filename"], "config.json");
  EXPECT_EQ((*p)["path.filenameNormalized"], "config.json");
  EXPECT_EQ((*p)["path[0]"], "clusters");
}

TEST(AppSetParamsTest, FileParamsNestedInGoTemplate) {
  Json object = {{"cluster", {{"name", "prod-1"}}}};
  Result<ParamSet> p = FileParams("clusters/prod-1/values.yaml", object, "", true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)["cluster"]["name"], "prod-1");
  EXPECT_EQ((*p)["path"]["path"], "clusters/prod-1");
  EXPECT_EQ((*p)["path"]["filename"], "values.yaml");
  EXPECT_EQ((*p)["path"]["filenameNormalized"], "values.yaml");
  EXPECT_EQ((*p)["path"]["segments"], Json({"clusters", "prod-1"}));
}

TEST(AppSetParamsTest, ClusterParamsInBothModes) {
  AppSetCluster c{"Prod_1", "https://prod-1.fleet.invalid", "", {{"env", "prod"}}, {{"a", "b"}}};
  ParamSet fast = ClusterParams(c, false);
  EXPECT_EQ(fast["name"], "Prod_1");
  EXPECT_EQ(fast["nameNormalized"], "prod-1");
  EXPECT_EQ(fast["server"], "https://prod-1.fleet.invalid");
  EXPECT_EQ(fast["project"], "");
  EXPECT_EQ(fast["metadata.labels.env"], "prod");
  EXPECT_EQ(fast["metadata.annotations.a"], "b");
  ParamSet go = ClusterParams(c, true);
  EXPECT_EQ(go["metadata"]["labels"]["env"], "prod");
  EXPECT_EQ(go["metadata"]["annotations"]["a"], "b");
}

// fmt.Sprintf("%v") of encoding/json's float64.
TEST(AppSetParamsTest, GoPrintValueFormatsFloatsAsGo) {
  EXPECT_EQ(GoPrintValue(3), "3");
  EXPECT_EQ(GoPrintValue(1.5), "1.5");
  EXPECT_EQ(GoPrintValue(1000000), "1e+06");
  EXPECT_EQ(GoPrintValue(123456), "123456");
  EXPECT_EQ(GoPrintValue(0.0001), "0.0001");
  EXPECT_EQ(GoPrintValue(0.00001), "1e-05");
  EXPECT_EQ(GoPrintValue(nullptr), "<nil>");
}

}  // namespace
}  // namespace fleetsim
