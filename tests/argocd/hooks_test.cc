#include "sim/argocd/hooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/argocd/test_objects.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeObject;

ObjectPtr Job(const std::map<std::string, std::string>& annotations) {
  return MakeObject("batch/v1", "Job", "job", "default", annotations);
}

// Reference 2.1; gitops-engine hook/hook.go Types: comma-separated, trimmed.
TEST(HooksTest, HookTypesAreCommaSeparated) {
  ObjectPtr job = Job({{"argocd.argoproj.io/hook", "PreSync, PostSync"}});
  EXPECT_TRUE(IsHook(*job));
  EXPECT_THAT(HookTypes(*job), ElementsAre(HookType::kPreSync, HookType::kPostSync));
  EXPECT_THAT(SyncPhasesOf(*job), ElementsAre(SyncPhase::kPreSync, SyncPhase::kPostSync));
}

// Reference 2.1; hook.Skip: Skip alone is not a hook and never synced; with another type it is.
TEST(HooksTest, SkipAloneIsNotSyncedSkipWithOtherTypeIsAHook) {
  ObjectPtr skip = Job({{"argocd.argoproj.io/hook", "Skip"}});
  EXPECT_TRUE(fleetsim::IsSkipped(*skip));  // qualified: gtest has IsSkipped()
  EXPECT_FALSE(IsHook(*skip));
  EXPECT_THAT(SyncPhasesOf(*skip), IsEmpty());
  ObjectPtr both = Job({{"argocd.argoproj.io/hook", "Skip,PreSync"}});
  EXPECT_TRUE(IsHook(*both));
  EXPECT_THAT(SyncPhasesOf(*both), ElementsAre(SyncPhase::kPreSync));
}

// Reference 2.1; hook/helm/type.go: Helm hooks map only when no Argo type is recognized.
TEST(HooksTest, HelmHooksMapOnlyWithoutArgoType) {
  ObjectPtr helm = Job({{"helm.sh/hook", "pre-install,post-upgrade"}});
  EXPECT_THAT(HookTypes(*helm), ElementsAre(HookType::kPreSync, HookType::kPostSync));
  ObjectPtr argo_wins = Job({{"helm.sh/hook", "pre-install"}, {"argocd.argoproj.io/hook", "Sync"}});
  EXPECT_THAT(HookTypes(*argo_wins), ElementsAre(HookType::kSync));
}

// Reference 2.1; hook/helm/hook.go: crd-install is not a hook.
TEST(HooksTest, HelmCrdInstallIsNotAHook) {
  ObjectPtr crd = Job({{"helm.sh/hook", "crd-install"}});
  EXPECT_FALSE(IsHook(*crd));
  EXPECT_THAT(SyncPhasesOf(*crd), ElementsAre(SyncPhase::kSync));
}

// Reference 2.1; ignore/ignore.go: a hook annotation with no recognized type ignores the object.
TEST(HooksTest, UnknownHookTypesMakeTheObjectIgnored) {
  EXPECT_TRUE(IsIgnored(*Job({{"argocd.argoproj.io/hook", "Foo"}})));
  EXPECT_TRUE(IsIgnored(*Job({{"helm.sh/hook", "test"}})));
  EXPECT_FALSE(IsIgnored(*Job({{"argocd.argoproj.io/hook", "PreSync"}})));
}

// Reference 2.1; controller/hook.go isHookOfType: PreDelete/PostDelete are recognized (Argo or
// Helm spelling) but are not sync phases, so the sync engine ignores them.
TEST(HooksTest, PreDeleteAndPostDeleteAreRecognizedOutsideSync) {
  ObjectPtr pre = Job({{"argocd.argoproj.io/hook", "PreDelete"}});
  ObjectPtr post = Job({{"helm.sh/hook", "post-delete"}});
  EXPECT_TRUE(IsPreDeleteHook(*pre));
  EXPECT_TRUE(IsPostDeleteHook(*post));
  EXPECT_FALSE(IsPostDeleteHook(*pre));
  EXPECT_TRUE(IsIgnored(*pre));
  SyncPartition p =
      PartitionTargetsForSync({pre, post, Job({{"argocd.argoproj.io/hook", "PreDelete,PreSync"}})});
  EXPECT_TRUE(p.has_pre_delete_hooks);
  EXPECT_TRUE(p.has_post_delete_hooks);
  ASSERT_EQ(p.sync_objects.size(), 1u);  // only the one that is also a PreSync hook
}

// Reference 2.1; syncwaves/waves.go and hook/helm/weight.go: sync-wave, else hook-weight, else 0;
// a value strconv.Atoi rejects falls through.
TEST(HooksTest, WaveFromSyncWaveElseHelmWeightElseZero) {
  EXPECT_EQ(SyncWave(*Job({{"argocd.argoproj.io/sync-wave", "-3"}})), -3);
  EXPECT_EQ(SyncWave(*Job({{"argocd.argoproj.io/sync-wave", "+4"}})), 4);
  EXPECT_EQ(SyncWave(*Job({{"helm.sh/hook-weight", "7"}})), 7);
  EXPECT_EQ(SyncWave(*Job({{"argocd.argoproj.io/sync-wave", "x"}, {"helm.sh/hook-weight", "7"}})),
            7);
  EXPECT_EQ(SyncWave(*Job({{"argocd.argoproj.io/sync-wave", " 5"}})), 0);
  EXPECT_EQ(SyncWave(*Job({{"argocd.argoproj.io/sync-wave", "99999999999999999999"}})), 0);
  EXPECT_EQ(SyncWave(*Job({})), 0);
}

// Reference 2.4; hook/delete_policy.go: BeforeHookCreation when none; Helm policies mapped.
TEST(HooksTest, DeletePoliciesDefaultToBeforeHookCreation) {
  EXPECT_THAT(HookDeletePolicies(*Job({})), ElementsAre(HookDeletePolicy::kBeforeHookCreation));
  EXPECT_THAT(HookDeletePolicies(
                  *Job({{"argocd.argoproj.io/hook-delete-policy", "HookSucceeded,HookFailed"}})),
              ElementsAre(HookDeletePolicy::kHookSucceeded, HookDeletePolicy::kHookFailed));
  EXPECT_THAT(HookDeletePolicies(*Job({{"helm.sh/hook-delete-policy", "hook-succeeded"}})),
              ElementsAre(HookDeletePolicy::kHookSucceeded));
}

// Reference 2.1 hook naming; sync_context_test.go TestUnnamedHooksGetUniqueNames.
TEST(HooksTest, GenerateNameHooksGetRevisionPhaseAndStartTime) {
  std::vector<ObjectPtr> docs = testing::FromYaml(
      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: upgrade-sql-schema\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(HookName(*docs[0], "0123456789abcdef", SyncPhase::kPreSync, 1767225600),
            "upgrade-sql-schema0123456-presync-1767225600");
  EXPECT_EQ(HookName(*docs[0], "abc", SyncPhase::kPostSync, 5), "upgrade-sql-schemaabc-postsync-5");
  EXPECT_EQ(HookName(*Job({}), "0123456789", SyncPhase::kSync, 5), "job");
}

}  // namespace
}  // namespace fleetsim
