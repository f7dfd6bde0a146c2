// AppProject restrictions: reference 5.1 and argo-cd app_project_types.go (IsSourcePermitted,
// isDestinationMatched, IsGroupKindNamePermitted), util/argo/argo.go ValidatePermissions,
// controller/sync.go validateSyncPermissions.
#include "sim/argocd/app_project.h"

#include <gtest/gtest.h>

#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

AppProject Project(const std::string& yaml_json) {
  Result<AppProject> p = ParseAppProject(Object(Json::parse(yaml_json)));
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error());
  return p.ok() ? *p : AppProject{};
}

AppProject WithSpec(const std::string& spec) {
  return Project(R"({"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject",)"
                 R"("metadata":{"name":"team-a","namespace":"argocd"},"spec":)" +
                 spec + "}");
}

const ResolvedDestination kProd{"prod-1", "https://prod-1.fleet.invalid"};

TEST(AppProjectSourceTest, GlobsDoNotCrossSlashesButDoubleStarDoes) {
  AppProject p = WithSpec(R"({"sourceRepos":["https://github.com/acme/*"]})");
  EXPECT_TRUE(IsSourcePermitted(p, "https://github.com/acme/apps.git"));
  EXPECT_TRUE(IsSourcePermitted(p, "HTTPS://GitHub.com/Acme/Apps"));  // NormalizeGitURL
  EXPECT_FALSE(IsSourcePermitted(p, "https://github.com/acme/group/apps"));
  EXPECT_FALSE(IsSourcePermitted(p, "https://github.com/other/apps"));
  AppProject deep = WithSpec(R"({"sourceRepos":["https://github.com/acme/**"]})");
  EXPECT_TRUE(IsSourcePermitted(deep, "https://github.com/acme/group/apps"));
}

TEST(AppProjectSourceTest, NegationDeniesWhatItNames) {
  AppProject p = WithSpec(R"({"sourceRepos":["*","!https://github.com/evil/*"]})");
  EXPECT_TRUE(IsSourcePermitted(p, "https://github.com/acme/apps"));
  EXPECT_FALSE(IsSourcePermitted(p, "https://github.com/evil/apps.git"));
  // Deny wins whatever the order.
  AppProject reversed = WithSpec(R"({"sourceRepos":["!https://github.com/evil/*","*"]})");
  EXPECT_FALSE(IsSourcePermitted(reversed, "https://github.com/evil/apps"));
}

TEST(AppProjectSourceTest, ANegationThatDoesNotMatchCountsAsAMatch) {
  // IsSourcePermitted: globMatch("!x", v) is true when x does not match v, and sets
  // anySourceMatched, so a list of only negations permits everything else.
  AppProject p = WithSpec(R"({"sourceRepos":["!https://github.com/evil/*"]})");
  EXPECT_TRUE(IsSourcePermitted(p, "https://github.com/acme/apps"));
  AppProject none = WithSpec(R"({"sourceRepos":[]})");
  EXPECT_FALSE(IsSourcePermitted(none, "https://github.com/acme/apps"));
}

TEST(AppProjectDestinationTest, ServerOrNameOfTheResolvedClusterMatches) {
  AppProject by_server = WithSpec(
      R"({"destinations":[{"server":"https://prod-*.fleet.invalid","namespace":"team-a-*"}]})");
  EXPECT_TRUE(IsDestinationPermitted(by_server, kProd, "team-a-web"));
  EXPECT_FALSE(IsDestinationPermitted(by_server, kProd, "payments"));
  AppProject by_name = WithSpec(R"({"destinations":[{"name":"prod-*","namespace":"*"}]})");
  EXPECT_TRUE(IsDestinationPermitted(by_name, kProd, "anything"));
  EXPECT_FALSE(IsDestinationPermitted(by_name, {"staging", "https://staging"}, "anything"));
}

TEST(AppProjectDestinationTest, DeniedNamespaceWinsOverAnAllow) {
  AppProject p = WithSpec(R"({"destinations":[
      {"server":"*","namespace":"*"},
      {"server":"https://prod-1.fleet.invalid","namespace":"!kube-system"}]})");
  EXPECT_TRUE(IsDestinationPermitted(p, kProd, "web"));
  EXPECT_FALSE(IsDestinationPermitted(p, kProd, "kube-system"));
  AppProject denied_server = WithSpec(R"({"destinations":[
      {"server":"*","namespace":"*"},{"server":"!https://prod-1.fleet.invalid","namespace":"*"}]})");
  EXPECT_FALSE(IsDestinationPermitted(denied_server, kProd, "web"));
  EXPECT_TRUE(IsDestinationPermitted(denied_server, {"dev", "https://dev"}, "web"));
}

TEST(AppProjectDestinationTest, NamespaceDenyOnANameEntryDoesNotDeny) {
  // isDestinationMatched only returns false for a denied namespace when the entry's *server*
  // matched; an entry written with `name` never does, so the next entry can still permit.
  AppProject p = WithSpec(R"({"destinations":[
      {"name":"prod-1","namespace":"!kube-system"},{"name":"prod-1","namespace":"!team-a-*"}]})");
  EXPECT_TRUE(IsDestinationPermitted(p, kProd, "kube-system"));
}

TEST(AppProjectKindsTest, NamespacedWhitelistUnsetMeansAllEmptyMeansNone) {
  AppProject unset = WithSpec(R"({})");
  EXPECT_TRUE(IsGroupKindNamePermitted(unset, "apps", "Deployment", "web", true));
  AppProject empty = WithSpec(R"({"namespaceResourceWhitelist":[]})");
  EXPECT_FALSE(IsGroupKindNamePermitted(empty, "apps", "Deployment", "web", true));
  AppProject null_list = WithSpec(R"({"namespaceResourceWhitelist":null})");
  EXPECT_TRUE(IsGroupKindNamePermitted(null_list, "apps", "Deployment", "web", true));
}

TEST(AppProjectKindsTest, ClusterWhitelistUnsetOrEmptyMeansNone) {
  EXPECT_FALSE(IsGroupKindNamePermitted(WithSpec("{}"), "", "Namespace", "web", false));
  EXPECT_FALSE(IsGroupKindNamePermitted(WithSpec(R"({"clusterResourceWhitelist":[]})"), "",
                                        "Namespace", "web", false));
  AppProject ns_only =
      WithSpec(R"({"clusterResourceWhitelist":[{"group":"","kind":"Namespace"}]})");
  EXPECT_TRUE(IsGroupKindNamePermitted(ns_only, "", "Namespace", "web", false));
  EXPECT_FALSE(
      IsGroupKindNamePermitted(ns_only, "rbac.authorization.k8s.io", "ClusterRole", "r", false));
}

TEST(AppProjectKindsTest, BlacklistWinsAndMayNameObjects) {
  AppProject p = WithSpec(R"({
      "clusterResourceWhitelist":[{"group":"*","kind":"*"}],
      "clusterResourceBlacklist":[{"group":"","kind":"Namespace","name":"kube-*"}],
      "namespaceResourceWhitelist":[{"group":"*","kind":"*"}],
      "namespaceResourceBlacklist":[{"group":"","kind":"ResourceQuota"}]})");
  EXPECT_TRUE(IsGroupKindNamePermitted(p, "", "Namespace", "web", false));
  EXPECT_FALSE(IsGroupKindNamePermitted(p, "", "Namespace", "kube-system", false));
  EXPECT_FALSE(IsGroupKindNamePermitted(p, "", "ResourceQuota", "q", true));
  EXPECT_TRUE(IsGroupKindNamePermitted(p, "", "ConfigMap", "c", true));
}

TEST(AppProjectKindsTest, DefaultProjectPermitsEverything) {
  AppProject d = AppProject::Default();
  EXPECT_TRUE(IsSourcePermitted(d, "https://example.com/any/repo"));
  EXPECT_TRUE(IsDestinationPermitted(d, kProd, "kube-system"));
  EXPECT_TRUE(
      IsGroupKindNamePermitted(d, "apiextensions.k8s.io", "CustomResourceDefinition", "x", false));
}

TEST(AppProjectMessagesTest, ValidatePermissionsNamesRepoAndDestination) {
  AppProject p = WithSpec(R"({"sourceRepos":["https://github.com/acme/apps"],
      "destinations":[{"server":"*","namespace":"team-a-*"}]})");
  std::vector<std::string> got =
      ValidatePermissions(p, {"https://github.com/evil/x"}, kProd, false, "payments");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0],
            "application repo https://github.com/evil/x is not permitted in project 'team-a'");
  EXPECT_EQ(got[1],
            "application destination server 'https://prod-1.fleet.invalid' and namespace "
            "'payments' do not match any of the allowed destinations in project 'team-a'");
  // With destination.name the message names the cluster by name.
  got = ValidatePermissions(p, {"https://github.com/acme/apps"}, kProd, true, "payments");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].find("server 'prod-1'"), std::string::npos);
}

TEST(AppProjectMessagesTest, SyncPermissionErrorsAsTheController) {
  AppProject p = WithSpec(R"({"destinations":[{"server":"*","namespace":"team-a-*"}]})");
  Object ns(
      Json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a-web"}})"));
  EXPECT_EQ(ValidateSyncPermissions(p, kProd, ns, false).message(),
            "resource :Namespace is not permitted in project team-a");
  Object cm(Json::parse(
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"other"}})"));
  EXPECT_EQ(ValidateSyncPermissions(p, kProd, cm, true).message(),
            "namespace other is not permitted in project 'team-a'");
}

TEST(AppProjectParseTest, WrongTypesAreErrorsNamingTheField) {
  Object bad(Json::parse(
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject","metadata":{"name":"p"},
          "spec":{"sourceRepos":"*"}})"));
  Result<AppProject> p = ParseAppProject(bad);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error(), "spec.sourceRepos: expected a list of strings");
  Object bad_window(Json::parse(
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"AppProject","metadata":{"name":"p"},
          "spec":{"syncWindows":[{"kind":"deny","manualSync":"yes"}]}})"));
  p = ParseAppProject(bad_window);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error(), "spec.syncWindows[0].manualSync: expected a boolean");
}

}  // namespace
}  // namespace fleetsim
