// spec.ignoreApplicationDifferences (argo-cd applicationset/utils/createOrUpdate.go
// applyIgnoreDifferences and CreateOrUpdate; reference/argocd.md 4.1 step 5).
#include "sim/argocd/appset_ignore_differences.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using json = Json;
using ::testing::HasSubstr;

std::vector<IgnoreDifferencesRule> Rules(const char* text) {
  Result<std::vector<IgnoreDifferencesRule>> rules = ParseIgnoreDifferences(json::parse(text));
  EXPECT_TRUE(rules.ok()) << rules.error();
  return rules.ok() ? *rules : std::vector<IgnoreDifferencesRule>{};
}

json Live() {
  return json::parse(R"({"metadata": {"name": "web", "labels": {"env": "prod"}},
    "spec": {"source": {"repoURL": "https://x", "targetRevision": "v2", "path": "web"},
             "sources": [{"repoURL": "a", "targetRevision": "1"}, {"repoURL": "b", "targetRevision": "2"}],
             "syncPolicy": {"automated": {"prune": true}}},
    "status": {"sync": {"status": "Synced"}}})");
}

// An ignored field keeps its live value while the rest is written.
TEST(AppSetIgnoreDifferencesTest, JsonPointerKeepsTheLiveValue) {
  json desired = Live();
  desired["spec"]["source"]["targetRevision"] = "HEAD";
  desired["spec"]["source"]["path"] = "web/prod";
  json out = MergeFromIgnoring(Rules(R"([{"jsonPointers": ["/spec/source/targetRevision"]}])"),
                               Live(), desired);
  EXPECT_EQ(out["spec"]["source"]["targetRevision"], "v2");
  EXPECT_EQ(out["spec"]["source"]["path"], "web/prod");
  EXPECT_EQ(out["status"], Live()["status"]);
}

TEST(AppSetIgnoreDifferencesTest, OnlyIgnoredChangesWriteNothing) {
  json desired = Live();
  desired["spec"].erase("syncPolicy");
  EXPECT_EQ(
      MergeFromIgnoring(Rules(R"([{"jqPathExpressions": [".spec.syncPolicy"]}])"), Live(), desired),
      Live());
}

// A rule with a name applies to that Application only.
TEST(AppSetIgnoreDifferencesTest, NamedRule) {
  json desired = Live();
  desired["spec"]["source"]["targetRevision"] = "HEAD";
  json out = MergeFromIgnoring(
      Rules(R"([{"name": "api", "jsonPointers": ["/spec/source/targetRevision"]}])"), Live(),
      desired);
  EXPECT_EQ(out["spec"]["source"]["targetRevision"], "HEAD");
}

// A list that differs elsewhere is replaced whole by the merge patch: the ignored field inside it
// is lost, as with client.MergeFrom upstream.
TEST(AppSetIgnoreDifferencesTest, ListsAreReplacedWhole) {
  json desired = Live();
  desired["spec"]["sources"][0]["targetRevision"] = "9";
  desired["spec"]["sources"][1]["repoURL"] = "c";
  json out = MergeFromIgnoring(
      Rules(R"([{"jqPathExpressions": [".spec.sources[].targetRevision"]}])"), Live(), desired);
  EXPECT_EQ(out["spec"]["sources"], json::parse(R"([{"repoURL": "a"}, {"repoURL": "c"}])"));
}

TEST(AppSetIgnoreDifferencesTest, PathForms) {
  json app = Live();
  json out = WithoutIgnored(Rules(R"([{"jqPathExpressions": [".spec.sources[1]",
      ".metadata[\"labels\"].env"], "jsonPointers": ["/spec/source/repoURL", "/spec/sources/0/repoURL"]}])"),
                            "web", app);
  EXPECT_EQ(out["spec"]["sources"], json::parse(R"([{"targetRevision": "1"}])"));
  EXPECT_EQ(out["metadata"]["labels"], json::object());
  EXPECT_FALSE(out["spec"]["source"].contains("repoURL"));
}

TEST(AppSetIgnoreDifferencesTest, BadExpressions) {
  Result<std::vector<IgnoreDifferencesRule>> r = ParseIgnoreDifferences(
      json::parse(R"j([{"jqPathExpressions": [".spec.sources[] | select(.repoURL == \"a\")"]}])j"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("jqPathExpressions \".spec.sources[] | select"));
  r = ParseIgnoreDifferences(json::parse(R"([{"jsonPointers": ["spec/source"]}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), HasSubstr("a JSON pointer starts with '/'"));
}

}  // namespace
}  // namespace fleetsim
