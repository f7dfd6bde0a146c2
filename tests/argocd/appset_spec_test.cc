// ApplicationSet policies and validation (reference/argocd.md 4.1, 4.2; argo-cd
// applicationset/utils/policy.go DefaultPolicy, applicationset_controller.go
// validateGeneratedApplications).
#include <gtest/gtest.h>

#include "sim/argocd/appset_generate.h"
#include "tests/argocd/appset_test_util.h"

namespace fleetsim::testing_appset {
namespace {

AppSetSpec WithSync(const std::string& sync) {
  return SpecFromYaml(
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: "
      "s}\nspec:\n" +
      (sync.empty() ? std::string() : "  syncPolicy: {applicationsSync: " + sync + "}\n") +
      "  generators: []\n  template: {}\n");
}

TEST(AppSetPolicyTest, PolicyPermissions) {
  EXPECT_TRUE(AllowsUpdate(AppSetPolicy::kSync));
  EXPECT_TRUE(AllowsDelete(AppSetPolicy::kSync));
  EXPECT_FALSE(AllowsUpdate(AppSetPolicy::kCreateOnly));
  EXPECT_FALSE(AllowsDelete(AppSetPolicy::kCreateOnly));
  EXPECT_TRUE(AllowsUpdate(AppSetPolicy::kCreateUpdate));
  EXPECT_FALSE(AllowsDelete(AppSetPolicy::kCreateUpdate));
  EXPECT_FALSE(AllowsUpdate(AppSetPolicy::kCreateDelete));
  EXPECT_TRUE(AllowsDelete(AppSetPolicy::kCreateDelete));
}

// DefaultPolicy: the appset's value only when it sets one and the override is on.
TEST(AppSetPolicyTest, EffectivePolicyOverrideRule) {
  EXPECT_EQ(EffectivePolicy(WithSync(""), "", true), AppSetPolicy::kSync);
  EXPECT_EQ(EffectivePolicy(WithSync("create-update"), "", true), AppSetPolicy::kCreateUpdate);
  EXPECT_EQ(EffectivePolicy(WithSync("create-update"), "sync", false), AppSetPolicy::kSync);
  EXPECT_EQ(EffectivePolicy(WithSync(""), "create-only", false), AppSetPolicy::kCreateOnly);
  EXPECT_EQ(EffectivePolicy(WithSync("create-delete"), "create-only", true),
            AppSetPolicy::kCreateDelete);
}

TEST(AppSetPolicyTest, BadApplicationsSyncValueIsRejected) {
  Result<AppSetSpec> spec = ParseAppSetSpec(Json::parse(
      R"({"metadata": {"name": "s"}, "spec": {"syncPolicy": {"applicationsSync": "keep"}}})"));
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.error().find("Unsupported value: \"keep\""), std::string::npos);
}

Json App(const std::string& name, const std::string& project = "default",
         const std::string& server = "https://prod-1.fleet.invalid") {
  return {{"metadata", {{"name", name}}},
          {"spec", {{"project", project}, {"destination", {{"server", server}}}}}};
}

// Every Application sharing a duplicate name is invalid (the error is keyed by the name).
TEST(AppSetValidationTest, DuplicateNamesInvalidateEveryCopy) {
  FakeSources s;
  s.AddCluster("prod-1");
  AppSetSpec spec = WithSync("");
  ValidationResult v = ValidateApplications(spec, {App("a"), App("b"), App("a")}, s);
  ASSERT_EQ(v.invalid.size(), 1u);
  EXPECT_EQ(v.invalid.count("a"), 1u);
  EXPECT_EQ(v.message, "ApplicationSet s contains applications with duplicate name: a");
}

TEST(AppSetValidationTest, ProjectAndDestinationAndMoreCount) {
  FakeSources s;
  s.AddCluster("prod-1");
  AppSetSpec spec = WithSync("");
  ValidationResult v = ValidateApplications(
      spec, {App("a", "nope"), App("b", "default", "https://gone.invalid"), App("")}, s);
  EXPECT_EQ(v.invalid.size(), 3u);
  EXPECT_EQ(v.invalid["a"], "application references project nope which does not exist");
  EXPECT_EQ(v.message,
            "application destination spec is invalid: unable to find destination server: there "
            "are no clusters with this URL: https://gone.invalid (and 2 more)");
}

}  // namespace
}  // namespace fleetsim::testing_appset
