// Label selectors (metav1.LabelSelector semantics) and the API server's validation of workload
// selectors and immutable fields (pkg/apis/apps/validation, pkg/apis/batch/validation).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/label_selector.h"
#include "sim/cluster/validation.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;

TEST(LabelSelectorTest, MatchLabelsAndExpressionsAreAnded) {
  LabelSelector s = *LabelSelector::FromJson(J(R"({"matchLabels":{"app":"web"},
      "matchExpressions":[{"key":"tier","operator":"In","values":["fe","be"]},{"key":"legacy","operator":"DoesNotExist"}]})"));
  EXPECT_TRUE(s.Matches({{"app", "web"}, {"tier", "fe"}}));
  EXPECT_FALSE(s.Matches({{"app", "web"}, {"tier", "db"}}));
  EXPECT_FALSE(s.Matches({{"app", "web"}, {"tier", "fe"}, {"legacy", "1"}}));
  EXPECT_EQ(s.ToString(),
            "app=web,!legacy,tier in (be,fe)");  // sorted by key, as labels.Selector.String()
}

TEST(LabelSelectorTest, EmptySelectsEverythingNullSelectsNothing) {
  EXPECT_TRUE(LabelSelector::FromJson(J("{}"))->Matches({}));
  EXPECT_FALSE(LabelSelector::FromJson(Json())->Matches({{"a", "b"}}));
}

TEST(LabelSelectorTest, BadOperatorIsAnError) {
  Result<LabelSelector> s = LabelSelector::FromJson(
      J(R"({"matchExpressions":[{"key":"a","operator":"Near","values":["x"]}]})"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "\"Near\" is not a valid label selector operator");
}

class ValidationTest : public ::testing::Test, public StoreFixture {};

TEST_F(ValidationTest, SelectorMustMatchTemplateLabels) {
  Json d = Deployment("default", "web", 1);
  d["spec"]["selector"]["matchLabels"]["app"] = "other";
  Result<LiveObject> r = store.Create(Obj(d));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: "
            "map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
}

// The edit-selector trap: a Deployment's selector cannot change, so the sync fails.
TEST_F(ValidationTest, DeploymentSelectorIsImmutable) {
  ASSERT_TRUE(store.Apply(Obj(Deployment("default", "web", 1))).ok());
  Json d = Deployment("default", "web", 1);
  d["spec"]["selector"]["matchLabels"]["app"] = "web2";
  d["spec"]["template"]["metadata"]["labels"]["app"] = "web2";
  Result<ApplyResult> r = store.Apply(Obj(d));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: "
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
}

TEST_F(ValidationTest, StatefulSetOnlyAllowsSomeSpecUpdates) {
  Json sts = Deployment("default", "db", 1);
  sts["kind"] = "StatefulSet";
  sts["spec"]["serviceName"] = "db";
  ASSERT_TRUE(store.Apply(Obj(sts)).ok());
  sts["spec"]["replicas"] = 3;
  EXPECT_TRUE(store.Apply(Obj(sts)).ok());
  sts["spec"]["serviceName"] = "db-headless";
  Result<ApplyResult> r = store.Apply(Obj(sts));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error(), ::testing::StartsWith(
                             "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to "
                             "statefulset spec for fields other than 'replicas'"));
}

TEST_F(ValidationTest, JobTemplateIsImmutable) {
  Json job =
      J(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"m","namespace":"default"},
      "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"m:1"}]}}}})");
  ASSERT_TRUE(store.Apply(Obj(job)).ok());
  job["spec"]["template"]["spec"]["containers"][0]["image"] = "m:2";
  EXPECT_THAT(store.Apply(Obj(job)).error(),
              ::testing::EndsWith(
                  "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"));
}

TEST_F(ValidationTest, NameIsRequired) {
  Result<LiveObject> r = store.Create(
      Obj(J(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":"default"}})")));
  EXPECT_EQ(
      r.error(),
      "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
}

}  // namespace
}  // namespace fleetsim
