#include "sim/argocd/deletion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/argocd/fake_cluster.h"
#include "tests/argocd/test_objects.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeObject;

const SimTime kDeletedAt = SimTime::Zero() + SimDuration::Seconds(50);
const std::string kWave = "argocd.argoproj.io/sync-wave";
const std::string kSyncOptions = "argocd.argoproj.io/sync-options";

ObjectPtr ConfigMap(const std::string& name, std::map<std::string, std::string> annotations = {}) {
  return MakeObject("v1", "ConfigMap", name, "default", annotations);
}

class DeletionTest : public ::testing::Test {
 protected:
  DeletionTest() {
    in_.finalizers = {std::string(kResourcesFinalizer)};
    in_.deletion_timestamp = kDeletedAt;
    in_.destination_namespace = "default";
    in_.app_key = ObjectKey{"argoproj.io", "Application", "argocd", "guestbook"};
  }
  // One operation pass; the caller patches the Application's finalizers, as the controller does.
  DeletionStep Pass() {
    DeletionStep step = FinalizeApplicationDeletion(in_, cluster_);
    in_.finalizers = step.finalizers;
    return step;
  }

  DeletionInputs in_;
  FakeCluster cluster_;
};

// Reference 3.2 step 3; controller/sort_delete.go FilterObjectsForDeletion: only the highest wave
// is deleted per pass, so deletion runs in reverse wave order; then the finalizer goes.
TEST_F(DeletionTest, DeletesHighestWaveFirstThenRemovesTheFinalizer) {
  cluster_.Put(ConfigMap("a", {{kWave, "0"}}));
  cluster_.Put(ConfigMap("b", {{kWave, "1"}}));
  cluster_.Put(ConfigMap("c", {{kWave, "5"}}));
  std::vector<std::string> deleted;
  for (int i = 0; i < 3; ++i) {
    for (const ObjectKey& k : Pass().deleted) deleted.push_back(k.name);
  }
  EXPECT_THAT(deleted, ElementsAre("c", "b", "a"));
  EXPECT_THAT(in_.finalizers, IsEmpty());
}

// Reference 3.2: any managed object with a deletionTimestamp holds the next wave.
TEST_F(DeletionTest, WaitsWhileAnObjectIsBeingDeleted) {
  cluster_.set_hold_deletions(true);
  cluster_.Put(ConfigMap("a", {{kWave, "0"}}));
  cluster_.Put(ConfigMap("b", {{kWave, "1"}}));
  EXPECT_THAT(Pass().deleted, ElementsAre(ConfigMap("b")->key()));
  DeletionStep waiting = Pass();
  EXPECT_THAT(waiting.deleted, IsEmpty());
  EXPECT_EQ(waiting.waiting, "2 objects remaining for deletion");
  cluster_.FinishDeletions();
  EXPECT_THAT(Pass().deleted, ElementsAre(ConfigMap("a")->key()));
}

// Reference 2.6 Delete=false and 3.2 shouldBeDeleted: the object is left orphaned and does not
// hold the finalizer.
TEST_F(DeletionTest, DeleteFalseObjectIsLeftOrphaned) {
  cluster_.Put(ConfigMap("keep", {{kSyncOptions, "Delete=false"}}));
  cluster_.Put(ConfigMap("drop"));
  DeletionStep step = Pass();
  EXPECT_THAT(step.deleted, ElementsAre(ConfigMap("drop")->key()));
  EXPECT_TRUE(step.finished);
  EXPECT_THAT(step.left_behind, ElementsAre(ConfigMap("keep")->key()));
}

// Reference 2.6 Delete=confirm and 3.4: nothing is deleted until deletion-approved >= the
// Application's deletionTimestamp.
TEST_F(DeletionTest, DeleteConfirmWaitsForApprovalAfterDeletionTimestamp) {
  cluster_.Put(ConfigMap("db", {{kSyncOptions, "Delete=confirm"}}));
  cluster_.Put(ConfigMap("web"));
  DeletionStep pending = Pass();
  EXPECT_THAT(pending.deleted, IsEmpty());
  EXPECT_EQ(pending.waiting,
            "Resource ConfigMap/default/db requires manual confirmation to delete");
  in_.deletion_approved_at = kDeletedAt - SimDuration::Seconds(1);
  EXPECT_THAT(Pass().deleted, IsEmpty());
  in_.deletion_approved_at = kDeletedAt;
  EXPECT_EQ(Pass().deleted.size(), 2u);
  EXPECT_THAT(cluster_.log(), ElementsAre("delete ConfigMap/default/db Foreground",
                                          "delete ConfigMap/default/web Foreground"));
}

// Reference 3.1: /background cascades with background propagation.
TEST_F(DeletionTest, BackgroundFinalizerDeletesInBackground) {
  in_.finalizers = {std::string(kBackgroundResourcesFinalizer)};
  cluster_.Put(ConfigMap("web"));
  DeletionStep step = Pass();
  EXPECT_EQ(step.propagation, PropagationPolicy::kBackground);
  EXPECT_THAT(cluster_.log(), ElementsAre("delete ConfigMap/default/web Background"));
  EXPECT_TRUE(step.finished);
}

// Reference 3.1: the plain and /foreground finalizers cascade in the foreground.
TEST_F(DeletionTest, ForegroundFinalizerDeletesInForeground) {
  in_.finalizers = {std::string(kForegroundResourcesFinalizer)};
  cluster_.Put(ConfigMap("web"));
  EXPECT_EQ(Pass().propagation, PropagationPolicy::kForeground);
  EXPECT_THAT(cluster_.log(), ElementsAre("delete ConfigMap/default/web Foreground"));
}

// Reference 3.1: without a resources finalizer the delete does not cascade; everything stays.
TEST_F(DeletionTest, NonCascadingDeleteOrphansEverything) {
  in_.finalizers.clear();
  cluster_.Put(ConfigMap("web"));
  DeletionStep step = Pass();
  EXPECT_TRUE(step.finished);
  EXPECT_THAT(cluster_.log(), IsEmpty());
  EXPECT_THAT(step.left_behind, ElementsAre(ConfigMap("web")->key()));
}

// Reference 3.2 step 1; appcontroller.go: an unresolvable destination drops every Argo CD
// finalizer and deletes nothing.
TEST_F(DeletionTest, UnresolvableDestinationRemovesFinalizersAndDeletesNothing) {
  in_.destination_resolvable = false;
  in_.finalizers = {std::string(kResourcesFinalizer), std::string(kPostDeleteFinalizer),
                    std::string(kPostDeleteFinalizer) + "/cleanup", "example.com/other"};
  cluster_.Put(ConfigMap("web"));
  DeletionStep step = Pass();
  EXPECT_THAT(step.finalizers, ElementsAre("example.com/other"));
  EXPECT_TRUE(step.finished);
  EXPECT_THAT(cluster_.log(), IsEmpty());
}

// Reference 3.2 / 8: CRDs are never cascade-deleted, and an app never deletes its own object.
TEST_F(DeletionTest, CrdsAndTheAppItselfAreNeverDeleted) {
  cluster_.Put(testing::MakeCrd("argoproj.io", "Rollout"));
  cluster_.Put(MakeObject("argoproj.io/v1alpha1", "Application", "guestbook", "argocd"));
  cluster_.Put(ConfigMap("web"));
  DeletionStep step = Pass();
  EXPECT_THAT(step.deleted, ElementsAre(ConfigMap("web")->key()));
  EXPECT_TRUE(step.finished);
  EXPECT_EQ(step.left_behind.size(), 1u);  // the CRD; the app's own object is not counted
  EXPECT_EQ(step.left_behind[0].kind, "CustomResourceDefinition");
}

// Reference 3.2 step 4; controller/hook.go executeHooks/cleanupHooks: PostDelete hooks are created
// after the resources are gone, awaited, then removed per their delete policy.
TEST_F(DeletionTest, PostDeleteHooksRunAfterTheCascade) {
  in_.finalizers.push_back(std::string(kPostDeleteFinalizer));
  in_.finalizers.push_back(std::string(kPostDeleteFinalizer) + "/cleanup");
  ObjectPtr hook = MakeObject("batch/v1", "Job", "cleanup", "",
                              {{"argocd.argoproj.io/hook", "PostDelete"},
                               {"argocd.argoproj.io/hook-delete-policy", "HookSucceeded"}});
  in_.delete_hooks = {hook};
  cluster_.Put(ConfigMap("web"));
  Pass();  // cascade
  const ObjectKey job{"batch", "Job", "default", "cleanup"};
  EXPECT_THAT(Pass().hooks_created, ElementsAre(job));
  cluster_.SetHealth(job, HealthCode::kProgressing);
  EXPECT_EQ(Pass().waiting, "waiting for 1 PostDelete hooks to complete");
  cluster_.SetHealth(job, HealthCode::kHealthy);
  Pass();  // PostDelete done
  EXPECT_THAT(Pass().hooks_deleted, ElementsAre(job));
  DeletionStep last = Pass();
  EXPECT_TRUE(last.finished);
  EXPECT_THAT(last.finalizers, IsEmpty());
}

// Reference 3.2 step 2; controller/hook.go: a Degraded PreDelete hook is deleted (to be retried)
// and raises a DeletionError; no resource is deleted.
TEST_F(DeletionTest, FailedPreDeleteHookBlocksDeletion) {
  in_.finalizers.push_back(std::string(kPreDeleteFinalizer));
  ObjectPtr hook = MakeObject("batch/v1", "Job", "backup", "default",
                              {{"argocd.argoproj.io/hook", "PreDelete"}});
  in_.delete_hooks = {hook};
  cluster_.Put(ConfigMap("web"));
  EXPECT_THAT(Pass().hooks_created, ElementsAre(hook->key()));
  cluster_.SetHealth(hook->key(), HealthCode::kDegraded, "BackoffLimitExceeded");
  DeletionStep step = Pass();
  EXPECT_EQ(step.error,
            "error executing pre-delete hooks: PreDelete hook(s) failed: default/backup");
  EXPECT_THAT(step.hooks_deleted, ElementsAre(hook->key()));
  EXPECT_THAT(step.deleted, IsEmpty());
  EXPECT_TRUE(cluster_.Has(ConfigMap("web")->key()));
}

}  // namespace
}  // namespace fleetsim
