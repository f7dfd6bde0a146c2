#include "sim/argocd/sync_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/manifest/json.h"

#include "tests/argocd/test_objects.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using testing::MakeObject;

ObjectPtr WithOptions(const std::string& options) {
  return MakeObject("v1", "ConfigMap", "cm", "default",
                    {{"argocd.argoproj.io/sync-options", options}});
}

// Reference 2.6; argo-cd SyncOptions.HasOption / GetOptionValue and controller/sync.go.
TEST(SyncOptionsTest, ParsesAppLevelOptions) {
  SyncOptions o = SyncOptions::Parse(
      {"Prune=confirm", "PruneLast=true", "CreateNamespace=true", "ApplyOutOfSyncOnly=true",
       "Replace=true", "ServerSideApply=true", "Validate=false", "SkipDryRunOnMissingResource=true",
       "FailOnSharedResource=true", "RespectIgnoreDifferences=true", "Delete=false",
       "PrunePropagationPolicy=orphan"});
  EXPECT_EQ(o.prune, "confirm");
  EXPECT_EQ(o.delete_value, "false");
  EXPECT_TRUE(o.prune_last);
  EXPECT_TRUE(o.create_namespace);
  EXPECT_TRUE(o.apply_out_of_sync_only);
  EXPECT_TRUE(o.replace);
  EXPECT_TRUE(o.server_side_apply);
  EXPECT_FALSE(o.validate);
  EXPECT_TRUE(o.skip_dry_run_on_missing_resource);
  EXPECT_TRUE(o.fail_on_shared_resource);
  EXPECT_TRUE(o.respect_ignore_differences);
  EXPECT_EQ(o.prune_propagation_policy, PropagationPolicy::kOrphan);
}

// Reference 2.6: PrunePropagationPolicy defaults to foreground; app-level entries match exactly.
TEST(SyncOptionsTest, DefaultsAndExactMatching) {
  SyncOptions o = SyncOptions::Parse({" CreateNamespace=true", "prunelast=true"});
  EXPECT_EQ(o.prune_propagation_policy, PropagationPolicy::kForeground);
  EXPECT_FALSE(o.create_namespace);
  EXPECT_FALSE(o.prune_last);
  EXPECT_TRUE(o.validate);
  EXPECT_EQ(SyncOptions::Parse({"PrunePropagationPolicy=background"}).prune_propagation_policy,
            PropagationPolicy::kBackground);
}

TEST(SyncOptionsTest, ReadsSpecSyncPolicySyncOptions) {
  Json app = {{"spec", {{"syncPolicy", {{"syncOptions", {"PruneLast=true"}}}}}}};
  EXPECT_TRUE(SyncOptions::FromApplication(app).prune_last);
  EXPECT_FALSE(SyncOptions::FromApplication(Json::object()).prune_last);
}

// pkg/sync/resource/annotations.go GetAnnotationCSVs: trimmed, empty dropped, deduplicated.
TEST(SyncOptionsTest, AnnotationCsvTrimsAndDeduplicates) {
  ObjectPtr obj = WithOptions(" Prune=false ,, Replace=true,Prune=false");
  EXPECT_THAT(AnnotationCsv(obj.get(), kAnnotationSyncOptions),
              ElementsAre("Prune=false", "Replace=true"));
}

// Reference 2.6: the resource annotation overrides the app level (isPruningDisabled).
TEST(SyncOptionsTest, ResourceAnnotationOverridesAppLevelPrune) {
  SyncOptions app = SyncOptions::Parse({"Prune=false"});
  EXPECT_EQ(EffectivePrune(nullptr, app), RemovalOption::kDisabled);
  EXPECT_EQ(EffectivePrune(WithOptions("Prune=true").get(), app), RemovalOption::kAllowed);
  EXPECT_EQ(EffectivePrune(WithOptions("Prune=confirm").get(), SyncOptions{}),
            RemovalOption::kConfirm);
  EXPECT_EQ(EffectiveDelete(WithOptions("Delete=false").get(), SyncOptions{}),
            RemovalOption::kDisabled);
}

// Reference 2.6; shouldUseServerSideApply: the resource's ServerSideApply=false wins.
TEST(SyncOptionsTest, ResourceCanDisableServerSideApply) {
  SyncOptions app = SyncOptions::Parse({"ServerSideApply=true"});
  EXPECT_TRUE(EffectiveServerSideApply(nullptr, app));
  EXPECT_FALSE(EffectiveServerSideApply(WithOptions("ServerSideApply=false").get(), app));
  EXPECT_TRUE(EffectiveServerSideApply(WithOptions("ServerSideApply=true").get(), SyncOptions{}));
}

// applyObject: Replace=true and Force=true on target or live; Validate=false on the target.
TEST(SyncOptionsTest, ReplaceForceValidatePerResource) {
  EXPECT_TRUE(EffectiveReplace(nullptr, WithOptions("Replace=true").get(), SyncOptions{}));
  EXPECT_TRUE(EffectiveReplace(WithOptions("Replace=false").get(), nullptr,
                               SyncOptions::Parse({"Replace=true"})));
  EXPECT_TRUE(EffectiveForce(WithOptions("Force=true").get(), nullptr, false));
  EXPECT_FALSE(EffectiveValidate(WithOptions("Validate=false").get(), SyncOptions{}));
}

// controller/state.go isObjRequiresDeletionConfirmation: Delete=confirm or Prune=confirm.
TEST(SyncOptionsTest, DeletionConfirmationFromDeleteOrPruneConfirm) {
  EXPECT_TRUE(RequiresDeletionConfirmation(WithOptions("Delete=confirm").get(), nullptr, {}));
  EXPECT_TRUE(RequiresDeletionConfirmation(nullptr, WithOptions("Prune=confirm").get(), {}));
  EXPECT_TRUE(RequiresDeletionConfirmation(WithOptions("Replace=true").get(), nullptr,
                                           SyncOptions::Parse({"Delete=confirm"})));
  EXPECT_FALSE(RequiresDeletionConfirmation(WithOptions("Delete=false").get(), nullptr, {}));
}

}  // namespace
}  // namespace fleetsim
