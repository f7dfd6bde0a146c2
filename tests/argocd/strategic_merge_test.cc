// templatePatch as a strategic merge patch on the Application type (argo-cd
// applicationset/controllers/template/patch.go applyTemplatePatch; k8s.io/apimachinery
// pkg/util/strategicpatch/patch.go).
#include "sim/argocd/strategic_merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using json = Json;
using ::testing::HasSubstr;

json App() {
  return json::parse(R"({
    "metadata": {"name": "web", "finalizers": ["resources-finalizer.argocd.argoproj.io"],
                 "labels": {"team": "a"}},
    "spec": {"project": "default",
             "source": {"repoURL": "https://x", "path": "web", "targetRevision": "HEAD"},
             "syncPolicy": {"automated": {"prune": true}, "syncOptions": ["CreateNamespace=true"]}}
  })");
}

json Patch(const char* text) { return json::parse(text); }

// ObjectMeta.finalizers is patchStrategy "merge": the patch adds, it does not replace (a JSON
// merge patch would drop the resources finalizer); patch items come first (normalizeElementOrder).
TEST(StrategicMergeTest, FinalizersAreMerged) {
  Result<json> out =
      StrategicMergeApplication(App(), Patch(R"({"metadata": {"finalizers": ["example.com/x"]}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["metadata"]["finalizers"],
            json({"example.com/x", "resources-finalizer.argocd.argoproj.io"}));
}

// Lists without a merge strategy are replaced; maps merge; null deletes.
TEST(StrategicMergeTest, OtherListsReplaceMapsMergeNullDeletes) {
  Result<json> out = StrategicMergeApplication(
      App(), Patch(R"({"spec": {"syncPolicy": {"automated": null, "syncOptions": ["Prune=false"]},
                                 "source": {"path": "web/prod"}}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["spec"]["syncPolicy"], json::parse(R"({"syncOptions": ["Prune=false"]})"));
  EXPECT_EQ((*out)["spec"]["source"]["path"], "web/prod");
  EXPECT_EQ((*out)["spec"]["source"]["repoURL"], "https://x");
  EXPECT_EQ((*out)["metadata"]["labels"]["team"], "a");
}

TEST(StrategicMergeTest, PatchReplaceAndDeleteDirectives) {
  Result<json> out = StrategicMergeApplication(
      App(), Patch(R"({"spec": {"source": {"$patch": "replace", "repoURL": "https://y"},
                                 "syncPolicy": {"$patch": "delete"}}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["spec"]["source"], json::parse(R"({"repoURL": "https://y"})"));
  EXPECT_EQ((*out)["spec"]["syncPolicy"], json::object());
}

TEST(StrategicMergeTest, DeleteFromPrimitiveListAndSetElementOrder) {
  Result<json> out =
      StrategicMergeApplication(App(), Patch(R"({"metadata": {"$deleteFromPrimitiveList/finalizers":
                                      ["resources-finalizer.argocd.argoproj.io"]}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["metadata"]["finalizers"], json::array());
  out = StrategicMergeApplication(App(), Patch(R"({"metadata": {"finalizers": ["a/b"],
                      "$setElementOrder/finalizers": ["resources-finalizer.argocd.argoproj.io",
                                                      "a/b"]}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["metadata"]["finalizers"],
            json({"resources-finalizer.argocd.argoproj.io", "a/b"}));
}

TEST(StrategicMergeTest, RetainKeys) {
  Result<json> out = StrategicMergeApplication(
      App(), Patch(R"({"spec": {"source": {"$retainKeys": ["repoURL", "chart"], "chart": "c"}}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["spec"]["source"], json::parse(R"({"repoURL": "https://x", "chart": "c"})"));
  out = StrategicMergeApplication(
      App(), Patch(R"({"spec": {"source": {"$retainKeys": ["repoURL"], "chart": "c"}}})"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error(), "invalid patch format of retainKeys");
}

TEST(StrategicMergeTest, UnknownDirectiveIsAnError) {
  Result<json> out =
      StrategicMergeApplication(App(), Patch(R"({"spec": {"source": {"$patch": "merge"}}})"));
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error(), HasSubstr("Unknown patch type: \"merge\""));
}

// A field the original lacks takes the patch value as Go decodes it (nulls dropped).
TEST(StrategicMergeTest, NewFieldsTakeThePatchAsDecoded) {
  Result<json> out = StrategicMergeApplication(
      App(), Patch(R"({"spec": {"ignoreDifferences": [{"kind": "Secret", "name": null}]}})"));
  ASSERT_TRUE(out.ok()) << out.error();
  EXPECT_EQ((*out)["spec"]["ignoreDifferences"], json::parse(R"([{"kind": "Secret"}])"));
}

}  // namespace
}  // namespace fleetsim
