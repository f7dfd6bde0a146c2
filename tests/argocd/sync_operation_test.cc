#include "sim/argocd/sync_operation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/argocd/sync_operation_fixture.h"

namespace fleetsim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Reference 2.3 step 11 / "Consequences": a single wave without hooks succeeds as soon as the
// apply returns; health is never awaited (sync_context.go "successfully synced (all tasks run)").
TEST_F(SyncOperationTest, SingleWaveSucceedsWithoutWaitingForHealth) {
  AddTarget(Deployment("web"));
  AddTarget(MakeObject("v1", "Service", "web", "default"));
  cluster_.SetHealth(Key(Deployment("web")), HealthCode::kDegraded, "crash loop");
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kSucceeded);
  EXPECT_EQ(r.message, "successfully synced (all tasks run)");
  EXPECT_EQ(r.delay, SimDuration::Zero());
}

// Reference 2.3 steps 4 and 10: a non-final wave is followed by the wave delay and the next pass
// waits while it is Progressing; the final wave ends the op without a delay.
TEST_F(SyncOperationTest, WaitsForHealthBetweenWavesAfterTheWaveDelay) {
  AddTarget(Deployment("db", {{kWave, "0"}}));
  AddTarget(Deployment("web", {{kWave, "1"}}));
  SyncStepResult first = Step();
  EXPECT_EQ(first.delay, kDefaultSyncWaveDelay);
  EXPECT_EQ(first.message, "waiting for healthy state of apps/Deployment/db");
  cluster_.SetHealth(Key(Deployment("db")), HealthCode::kProgressing);
  SyncStepResult waiting = Step();
  EXPECT_EQ(waiting.phase, OperationPhase::kRunning);
  EXPECT_EQ(waiting.message, "waiting for healthy state of apps/Deployment/db");
  EXPECT_EQ(waiting.delay, SimDuration::Zero());
  EXPECT_THAT(cluster_.Writes(), ElementsAre("apply Deployment/default/db"));
  cluster_.SetHealth(Key(Deployment("db")), HealthCode::kHealthy);
  SyncStepResult last = Step();
  EXPECT_EQ(last.phase, OperationPhase::kSucceeded);
  EXPECT_EQ(last.message, "successfully synced (all tasks run)");
  EXPECT_EQ(last.delay, SimDuration::Zero());
  EXPECT_THAT(cluster_.Writes(),
              ElementsAre("apply Deployment/default/db", "apply Deployment/default/web"));
}

// Reference 2.3 steps 3 and 7: Degraded in a non-final wave fails the operation; later waves are
// never applied.
TEST_F(SyncOperationTest, DegradedResourceFailsTheOperation) {
  AddTarget(Deployment("db", {{kWave, "0"}}));
  AddTarget(Deployment("web", {{kWave, "1"}}));
  Step();
  cluster_.SetHealth(Key(Deployment("db")), HealthCode::kDegraded, "progress deadline exceeded");
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  // The reason lists only SyncFailed results; a Degraded object applied fine (Synced).
  EXPECT_EQ(r.message, "one or more synchronization tasks completed unsuccessfully");
  EXPECT_THAT(cluster_.Writes(), ElementsAre("apply Deployment/default/db"));
}

// Reference 2.3 "Suspended or Progressing never advance".
TEST_F(SyncOperationTest, SuspendedResourceNeverAdvances) {
  AddTarget(Deployment("db", {{kWave, "0"}}));
  AddTarget(Deployment("web", {{kWave, "1"}}));
  Step();
  cluster_.SetHealth(Key(Deployment("db")), HealthCode::kSuspended, "paused");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Step().message, "waiting for healthy state of apps/Deployment/db");
  }
  EXPECT_THAT(cluster_.Writes(), ElementsAre("apply Deployment/default/db"));
}

// Reference 2.5 and 2.4 (HookFailed); sync_context_test.go
// TestSync_FailedSyncWithSyncFailHook_HookFailed: the failed PreSync hook is deleted, the SyncFail
// hook runs, the op fails and nothing of the Sync phase is applied.
TEST_F(SyncOperationTest, FailingPreSyncHookRunsSyncFailAndAppliesNothingElse) {
  ObjectPtr migrate = Job("migrate", {{kHook, "PreSync"}, {kDeletePolicy, "HookFailed"}});
  ObjectPtr notify = Job("notify", {{kHook, "SyncFail"}});
  AddHook(migrate);
  AddHook(notify);
  AddTarget(Deployment("web"));
  EXPECT_EQ(Step().message, "waiting for completion of hook batch/Job/migrate");
  cluster_.SetHealth(Key(migrate), HealthCode::kDegraded, "BackoffLimitExceeded");
  SyncStepResult second = Step();
  EXPECT_EQ(second.phase, OperationPhase::kRunning);
  EXPECT_EQ(second.message, "waiting for completion of hook batch/Job/notify");
  EXPECT_THAT(
      second.events,
      ElementsAre(SyncEvent{SyncEventKind::kHookFailed, Key(migrate), SyncPhase::kPreSync,
                            "BackoffLimitExceeded"},
                  SyncEvent{SyncEventKind::kHookDeleted, Key(migrate), SyncPhase::kPreSync, ""},
                  SyncEvent{SyncEventKind::kHookCreated, Key(notify), SyncPhase::kSyncFail,
                            "job.batch/notify created"}));
  cluster_.SetHealth(Key(notify), HealthCode::kHealthy);
  SyncStepResult third = Step();
  EXPECT_EQ(third.phase, OperationPhase::kFailed);
  EXPECT_EQ(third.message, "one or more synchronization tasks completed unsuccessfully");
  EXPECT_THAT(cluster_.Writes(),
              ElementsAre("apply Job/default/migrate", "delete Job/default/migrate Foreground",
                          "apply Job/default/notify"));
}

// Reference 2.4 HookSucceeded; sync_context_test.go TestSync_HooksDeletedAfterSyncSucceeded: the
// hook is deleted when the whole operation succeeds.
TEST_F(SyncOperationTest, HookSucceededHookIsDeletedWhenTheOperationSucceeds) {
  ObjectPtr smoke = Job("smoke", {{kHook, "PostSync"}, {kDeletePolicy, "HookSucceeded"}});
  AddHook(smoke);
  AddTarget(Deployment("web"));
  Step();                                                                       // Sync: web
  EXPECT_EQ(Step().message, "waiting for completion of hook batch/Job/smoke");  // PostSync
  EXPECT_TRUE(cluster_.Has(Key(smoke)));
  cluster_.SetHealth(Key(smoke), HealthCode::kHealthy);
  SyncStepResult done = Step();
  EXPECT_EQ(done.message, "successfully synced (no more tasks)");
  EXPECT_FALSE(cluster_.Has(Key(smoke)));
  EXPECT_EQ(cluster_.Writes().back(), "delete Job/default/smoke Foreground");
}

// Reference 2.4 BeforeHookCreation (the default); sync_context_test.go TestBeforeHookCreation:
// the previous run's hook is deleted first, the pass waits for the deletion, then it is created.
TEST_F(SyncOperationTest, BeforeHookCreationDeletesTheOldHookFirst) {
  ObjectPtr init = Job("db-init", {{kHook, "PreSync"}});
  cluster_.Put(init);
  cluster_.set_hold_deletions(true);
  AddHook(init);
  AddTarget(Deployment("web"));
  EXPECT_EQ(Step().message, "waiting for deletion of hook batch/Job/db-init");
  EXPECT_THAT(cluster_.Writes(), ElementsAre("delete Job/default/db-init Foreground"));
  cluster_.FinishDeletions();
  EXPECT_EQ(Step().message, "waiting for completion of hook batch/Job/db-init");
  EXPECT_EQ(cluster_.Writes().back(), "apply Job/default/db-init");
}

// Reference 2.6 Prune=false; sync_context_test.go TestDoNotPruneResourceLevelPruneFalse.
TEST_F(SyncOperationTest, PruneFalseObjectIsSkippedWithNoPrune) {
  AddLive(ConfigMap("old", {{kSyncOptions, "Prune=false"}}));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  ASSERT_NE(Result("old"), nullptr);
  EXPECT_EQ(Result("old")->status, ResultCode::kPruneSkipped);
  EXPECT_EQ(Result("old")->message, "ignored (no prune)");
  EXPECT_TRUE(cluster_.Has(Key(ConfigMap("old"))));
}

// Reference 2.3 step 9.2 / 2.7: an operation without prune skips prunes, "ignored (requires
// pruning)" (pruneObject).
TEST_F(SyncOperationTest, OperationWithoutPruneSkipsPrunes) {
  spec_.prune = false;
  AddLive(ConfigMap("old"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  EXPECT_EQ(Result("old")->status, ResultCode::kPruneSkipped);
  EXPECT_EQ(Result("old")->message, "ignored (requires pruning)");
  EXPECT_THAT(cluster_.Writes(), IsEmpty());
}

// Reference 2.6 Prune=confirm and 3.4; sync_context_test.go TestPruneConfirmResourceLevel: the
// wave waits until deletion-approved >= startedAt.
TEST_F(SyncOperationTest, PruneConfirmWaitsForApprovalAfterStart) {
  AddLive(ConfigMap("old", {{kSyncOptions, "Prune=confirm"}}));
  AddTarget(ConfigMap("new"));
  EXPECT_EQ(Step().message, "waiting for pruning confirmation of /ConfigMap/old");
  EXPECT_EQ(Step(kStart - SimDuration::Seconds(1)).message,
            "waiting for pruning confirmation of /ConfigMap/old");
  EXPECT_THAT(cluster_.Writes(), IsEmpty());
  SyncStepResult r = Step(kStart);
  EXPECT_EQ(r.phase, OperationPhase::kSucceeded);
  EXPECT_FALSE(cluster_.Has(Key(ConfigMap("old"))));
}

// Reference 2.3 step 9.2 / 2.7: prunes run before applies within a wave, with foreground
// propagation by default.
TEST_F(SyncOperationTest, PruneBeforeApplyWithForegroundPropagation) {
  AddTarget(ConfigMap("new"));
  AddLive(ConfigMap("old"));
  Step();
  EXPECT_THAT(cluster_.Writes(), ElementsAre("delete ConfigMap/default/old Foreground",
                                             "apply ConfigMap/default/new"));
}

// Reference 2.6 PrunePropagationPolicy; controller/sync.go.
TEST_F(SyncOperationTest, PrunePropagationPolicyBackground) {
  spec_.options = SyncOptions::Parse({"PrunePropagationPolicy=background"});
  AddLive(ConfigMap("old"));
  Step();
  EXPECT_THAT(cluster_.Writes(), ElementsAre("delete ConfigMap/default/old Background"));
}

// Reference 2.7 item 4; sync_context_test.go TestWaitForCleanUpBeforeNextWave: prunes go highest
// wave first, and the next wave waits until the pruned object is gone.
TEST_F(SyncOperationTest, NextPruneWaveWaitsForDeletion) {
  cluster_.set_hold_deletions(true);
  AddLive(MakeObject("v1", "Pod", "pod-1", "default", {{kWave, "1"}}));
  AddLive(MakeObject("v1", "Pod", "pod-2", "default", {{kWave, "2"}}));
  AddLive(MakeObject("v1", "Pod", "pod-3", "default", {{kWave, "3"}}));
  Step();
  EXPECT_THAT(cluster_.Writes(), ElementsAre("delete Pod/default/pod-3 Foreground"));
  EXPECT_EQ(Step().message, "waiting for deletion of /Pod/pod-3");
  cluster_.FinishDeletions();
  Step();
  cluster_.FinishDeletions();
  SyncStepResult last = Step();
  EXPECT_EQ(last.phase, OperationPhase::kSucceeded);
  EXPECT_THAT(cluster_.Writes(), ElementsAre("delete Pod/default/pod-3 Foreground",
                                             "delete Pod/default/pod-2 Foreground",
                                             "delete Pod/default/pod-1 Foreground"));
}

// Reference 2.6 PruneLast: a PruneLast prune waits for every other Sync-phase wave.
TEST_F(SyncOperationTest, PruneLastPrunesAfterTheLastWave) {
  spec_.options = SyncOptions::Parse({"PruneLast=true"});
  AddLive(ConfigMap("old"));
  AddTarget(ConfigMap("new"));
  Step();
  EXPECT_THAT(cluster_.Writes(), ElementsAre("apply ConfigMap/default/new"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  EXPECT_THAT(cluster_.Writes(), ElementsAre("apply ConfigMap/default/new",
                                             "delete ConfigMap/default/old Foreground"));
}

// Reference 2.6 CreateNamespace and 2.2; sync_context_test.go
// TestSyncNamespaceCreatedBeforeDryRunWithoutFailure: the namespace is a PreSync task applied
// before the dry run.
TEST_F(SyncOperationTest, CreateNamespaceTaskRunsInPreSyncBeforeTheDryRun) {
  spec_.options = SyncOptions::Parse({"CreateNamespace=true"});
  spec_.destination_namespace = "team-a";
  AddTarget(MakeObject("apps/v1", "Deployment", "web", "team-a"));
  EXPECT_EQ(Step().message, "waiting for healthy state of /Namespace/team-a");
  EXPECT_THAT(cluster_.log(),
              ElementsAre("apply Namespace/team-a", "dry-run Deployment/team-a/web"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  ASSERT_NE(Result("team-a"), nullptr);
  EXPECT_EQ(Result("team-a")->sync_phase, SyncPhase::kPreSync);
  EXPECT_EQ(cluster_.Writes().back(), "apply Deployment/team-a/web");
}

// Reference 2.6 ApplyOutOfSyncOnly; sync_context_test.go TestSync_ApplyOutOfSyncOnly: objects
// whose diff is unmodified are neither dry-run nor applied.
TEST_F(SyncOperationTest, ApplyOutOfSyncOnlySkipsInSyncObjects) {
  spec_.options = SyncOptions::Parse({"ApplyOutOfSyncOnly=true"});
  AddSynced(ConfigMap("same"), /*modified=*/false);
  AddSynced(ConfigMap("changed"), /*modified=*/true);
  AddTarget(ConfigMap("added"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  EXPECT_THAT(cluster_.log(),
              ElementsAre("dry-run ConfigMap/default/added", "dry-run ConfigMap/default/changed",
                          "apply ConfigMap/default/added", "apply ConfigMap/default/changed"));
}

// Reference 2.3 step 2: a dry-run failure fails the operation and nothing is applied.
TEST_F(SyncOperationTest, DryRunFailureAppliesNothing) {
  AddTarget(ConfigMap("cfg"));
  AddTarget(Deployment("web"));
  cluster_.FailDryRun("web", "error validating data");
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message, "one or more objects failed to apply (dry run)");
  EXPECT_THAT(cluster_.Writes(), IsEmpty());
}

// Reference 2.3 step 11: an apply failure with nothing left running fails the op at once.
TEST_F(SyncOperationTest, ApplyFailureFailsTheOperation) {
  AddTarget(Deployment("web"));
  cluster_.FailApply("web", "admission webhook denied the request");
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message,
            "one or more objects failed to apply, reason: admission webhook denied the "
            "request");
  EXPECT_THAT(r.events,
              ElementsAre(SyncEvent{SyncEventKind::kApplyFailed, Key(Deployment("web")),
                                    SyncPhase::kSync, "admission webhook denied the request"}));
}

// runTasks/processCreateTasks: kind groups run one after another and a failed group does not stop
// the next; the applied task then keeps the op running one more pass.
TEST_F(SyncOperationTest, LaterKindGroupsStillApplyAfterAFailedGroup) {
  AddTarget(ConfigMap("cfg"));
  AddTarget(Deployment("web"));
  cluster_.FailApply("cfg", "too large");
  EXPECT_EQ(Step().message, "waiting for healthy state of apps/Deployment/web");
  EXPECT_THAT(cluster_.Writes(),
              ElementsAre("apply ConfigMap/default/cfg", "apply Deployment/default/web"));
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message,
            "one or more synchronization tasks completed unsuccessfully, reason: too large");
}

// Reference 2.3 step 1: a kind the API server does not serve, with no CRD in the sync, makes the
// task invalid.
TEST_F(SyncOperationTest, UnknownKindMakesTheSyncInvalid) {
  AddTarget(MakeObject("argoproj.io/v1alpha1", "Rollout", "web", "default"));
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message,
            "one or more synchronization tasks are not valid: failed to discover server resources "
            "for group version argoproj.io/v1alpha1: the server could not find the requested "
            "resource");
}

// Reference 2.3 step 1; getSyncTasks hasCRDOfGroupKind: with its CRD in the sync the custom
// resource skips the dry run, and the CRD is applied first.
TEST_F(SyncOperationTest, CrdInTheSyncLetsItsCustomResourcesSkipTheDryRun) {
  AddTarget(MakeObject("argoproj.io/v1alpha1", "Rollout", "web", "default"));
  AddTarget(testing::MakeCrd("argoproj.io", "Rollout"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  EXPECT_THAT(cluster_.log(), ElementsAre("dry-run CustomResourceDefinition/Rollouts.argoproj.io",
                                          "apply CustomResourceDefinition/Rollouts.argoproj.io",
                                          "apply Rollout/default/web"));
}

// Reference 2.6 Replace / ServerSideApply; sync_context.go applyObject.
TEST_F(SyncOperationTest, ApplyModeFollowsReplaceAndServerSideApply) {
  spec_.options = SyncOptions::Parse({"ServerSideApply=true"});
  AddTarget(ConfigMap("create", {{kSyncOptions, "Replace=true"}}));
  AddSynced(ConfigMap("replace", {{kSyncOptions, "Replace=true"}}), true);
  AddTarget(ConfigMap("ssa"));
  AddTarget(ConfigMap("csa", {{kSyncOptions, "ServerSideApply=false"}}));
  Step();
  EXPECT_EQ(cluster_.modes().at(Key(ConfigMap("create"))).strategy, ApplyStrategy::kCreate);
  EXPECT_EQ(cluster_.modes().at(Key(ConfigMap("replace"))).strategy, ApplyStrategy::kReplace);
  EXPECT_EQ(cluster_.modes().at(Key(ConfigMap("ssa"))).strategy, ApplyStrategy::kServerSideApply);
  EXPECT_EQ(cluster_.modes().at(Key(ConfigMap("csa"))).strategy, ApplyStrategy::kApply);
}

// sync_context.go Terminate / terminateHooksPreemptively: running hooks are deleted.
TEST_F(SyncOperationTest, TerminateDeletesRunningHooks) {
  ObjectPtr migrate = Job("migrate", {{kHook, "PreSync"}});
  AddHook(migrate);
  AddTarget(Deployment("web"));
  Step();
  cluster_.SetHealth(Key(migrate), HealthCode::kProgressing);
  SyncStepResult r = Op().Terminate(cluster_);
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message, "Operation terminated");
  EXPECT_FALSE(cluster_.Has(Key(migrate)));
  EXPECT_EQ(Result("migrate")->message, "Terminated");
}

// Reference 2.6 FailOnSharedResource; controller/sync.go.
TEST_F(SyncOperationTest, FailOnSharedResourceFailsBeforeAnything) {
  spec_.options = SyncOptions::Parse({"FailOnSharedResource=true"});
  spec_.shared_resource_message = "ConfigMap/cfg is part of applications argocd/a and b";
  AddTarget(ConfigMap("cfg"));
  SyncStepResult r = Step();
  EXPECT_EQ(r.phase, OperationPhase::kFailed);
  EXPECT_EQ(r.message,
            "Shared resource found: ConfigMap/cfg is part of applications argocd/a and b");
  EXPECT_THAT(cluster_.log(), IsEmpty());
}

// sync_context.go processCreateTasks with sc.dryRun: a dry-run operation writes nothing and
// succeeds.
TEST_F(SyncOperationTest, DryRunOperationWritesNothing) {
  spec_.dry_run = true;
  AddTarget(Deployment("web"));
  AddLive(ConfigMap("old"));
  EXPECT_EQ(Step().phase, OperationPhase::kSucceeded);
  EXPECT_THAT(cluster_.Writes(), IsEmpty());
  EXPECT_EQ(Result("old")->message, "pruned (dry run)");
}

}  // namespace
}  // namespace fleetsim::testing
