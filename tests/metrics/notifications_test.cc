// Argo CD Notifications' default triggers, counted from synthetic traces. The conditions are those
// of argo-cd notifications_catalog/triggers/*.yaml; the send-once rules those of
// notifications-engine pkg/controller/state.go and pkg/triggers/service.go (see notifications.h).
#include <gtest/gtest.h>

#include "sim/metrics/notifications.h"

namespace fleetsim {
namespace {

class NotificationCounterTest : public ::testing::Test {
 protected:
  void Add(int64_t seconds, const std::string& event, const std::string& detail = "") {
    TraceRecord r;
    r.t = SimTime::Zero() + SimDuration::Seconds(seconds);
    r.event = event;
    r.app = "web";
    r.detail = detail;
    counter_.Observe(r);
  }
  // A refresh that compares `sync health` (ComparisonChanged is only written on a change).
  void Compare(int64_t seconds, const std::string& health) {
    Add(seconds, "RefreshStarted");
    Add(seconds, "ComparisonChanged", "Synced " + health + " @abc1234");
  }
  void Sync(int64_t start, int64_t end, const std::string& revision) {
    Add(start, "SyncStarted", "automated to " + revision);
    Add(end, "SyncSucceeded", "successfully synced (all tasks run)");
  }
  int64_t Count(const std::string& trigger) const { return counter_.Counts().at(trigger); }

  NotificationCounter counter_;
};

// on-sync-succeeded.yaml: phase in ['Succeeded'], oncePer syncResult.revision: a second sync of
// the same revision (a self-heal) sends nothing, a new revision sends again.
TEST_F(NotificationCounterTest, SyncSucceededOncePerRevision) {
  Add(0, "ApplicationCreated");
  Compare(1, "Missing");
  Sync(2, 3, "aaaaaaa");
  Compare(4, "Progressing");
  Sync(100, 101, "aaaaaaa");
  Compare(102, "Healthy");
  Sync(200, 201, "bbbbbbb");
  Add(202, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-succeeded"), 2);
}

// on-sync-failed.yaml: phase in ['Error', 'Failed']. While retries remain the operation is still
// Running; only the final failure of a revision sends.
TEST_F(NotificationCounterTest, SyncFailedOnlyOnFinalFailureOncePerRevision) {
  Add(0, "ApplicationCreated");
  Compare(1, "Missing");
  Add(2, "SyncStarted", "automated to aaaaaaa");
  Add(3, "SyncFailed", "Failed: one or more objects failed to apply. Retrying attempt #1");
  Add(4, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-failed"), 0);
  Add(13, "SyncStarted", "automated to aaaaaaa");
  Add(14, "SyncFailed", "Failed: one or more objects failed to apply");
  Add(15, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-failed"), 1);
  Add(60, "SyncStarted", "manual to aaaaaaa");
  Add(61, "SyncFailed", "Failed: one or more objects failed to apply");
  Add(62, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-failed"), 1);
}

// on-health-degraded.yaml: health == 'Degraded', oncePer syncResult.revision: degrading again on
// the same revision sends nothing; an app that never synced has the revision <nil>.
TEST_F(NotificationCounterTest, HealthDegradedOncePerRevision) {
  Add(0, "ApplicationCreated");
  Compare(1, "Degraded");
  Compare(50, "Healthy");
  Compare(60, "Degraded");
  EXPECT_EQ(Count("on-health-degraded"), 1);
  Sync(100, 101, "aaaaaaa");
  Compare(102, "Healthy");
  Compare(150, "Degraded");
  Compare(160, "Healthy");
  Compare(170, "Degraded");
  EXPECT_EQ(Count("on-health-degraded"), 2);
}

// on-deployed.yaml: Succeeded and Healthy, and health's lastTransitionTime no earlier than a minute
// before finishedAt or before startedAt.
TEST_F(NotificationCounterTest, DeployedWhenHealthyAfterTheSync) {
  Add(0, "ApplicationCreated");
  Compare(1, "Missing");
  Sync(2, 3, "aaaaaaa");
  Compare(4, "Progressing");
  EXPECT_EQ(Count("on-deployed"), 0);
  Compare(30, "Healthy");
  EXPECT_EQ(Count("on-deployed"), 1);
  // Healthy throughout a sync of a new revision (transition before startedAt): sends.
  Sync(100, 101, "bbbbbbb");
  Add(102, "RefreshStarted");
  EXPECT_EQ(Count("on-deployed"), 2);
}

TEST_F(NotificationCounterTest, DeployedNotSentWhenHealthyLongBeforeTheSyncFinished) {
  Add(0, "ApplicationCreated");
  Compare(1, "Healthy");
  Add(10, "SyncStarted", "automated to aaaaaaa");  // a long sync: waves, hooks
  Compare(20, "Progressing");
  Compare(30, "Healthy");  // more than a minute before finishedAt
  Add(200, "SyncSucceeded", "successfully synced (all tasks run)");
  Add(201, "RefreshStarted");
  EXPECT_EQ(Count("on-deployed"), 0);
  EXPECT_EQ(Count("on-sync-succeeded"), 1);
}

// argo-cd notification_controller isAppSyncStatusRefreshed: after an operation completes the app
// is not processed until it is reconciled again, so the health seen is the refreshed one.
TEST_F(NotificationCounterTest, CompletedOperationWaitsForTheNextReconciliation) {
  Add(0, "ApplicationCreated");
  Compare(1, "Healthy");
  Add(10, "SyncStarted", "automated to aaaaaaa");
  Add(11, "SyncSucceeded", "successfully synced (all tasks run)");
  Add(12, "SomethingElse");
  EXPECT_EQ(Count("on-sync-succeeded"), 0);
  Add(15, "RefreshStarted");
  Add(15, "ComparisonChanged", "Synced Degraded @aaaaaaa");
  EXPECT_EQ(Count("on-sync-succeeded"), 1);
  EXPECT_EQ(Count("on-health-degraded"), 1);
  EXPECT_EQ(Count("on-deployed"), 0);
}

TEST_F(NotificationCounterTest, RecreatedApplicationStartsWithoutNotifiedState) {
  Add(0, "ApplicationCreated");
  Compare(1, "Healthy");
  Sync(2, 3, "aaaaaaa");
  Add(4, "RefreshStarted");
  Add(50, "ApplicationDeleted");
  Add(60, "ApplicationCreated");
  Compare(61, "Healthy");
  Sync(62, 63, "aaaaaaa");
  Add(64, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-succeeded"), 2);
}

bool Degraded(const NotificationAppView& a) { return a.health == "Degraded"; }

// state.go SetAlreadyNotified: without oncePer the key is removed when the condition is false, so
// the trigger sends on every transition to true.
TEST(NotifiedStateTest, WithoutOncePerSendsOnEveryTransition) {
  std::vector<NotificationTrigger> triggers = {{"t", &Degraded, false}};
  NotifiedState state;
  NotificationAppView app;
  app.health = "Degraded";
  EXPECT_EQ(state.Process(triggers, app, 1).size(), 1u);
  EXPECT_EQ(state.Process(triggers, app, 2).size(), 0u);
  app.health = "Healthy";
  EXPECT_EQ(state.Process(triggers, app, 3).size(), 0u);
  app.health = "Degraded";
  EXPECT_EQ(state.Process(triggers, app, 4).size(), 1u);
}

// state.go truncate: at most 100 keys, the oldest dropped, so a revision 100 keys back sends again.
TEST(NotifiedStateTest, KeepsAtMostHundredKeys) {
  std::vector<NotificationTrigger> triggers = {{"t", &Degraded, true}};
  NotifiedState state;
  NotificationAppView app;
  app.health = "Degraded";
  for (int i = 0; i <= 100; ++i) {
    app.sync_revision = "rev" + std::to_string(i);
    EXPECT_EQ(state.Process(triggers, app, i).size(), 1u);
  }
  app.sync_revision = "rev1";
  EXPECT_EQ(state.Process(triggers, app, 200).size(), 0u);
  app.sync_revision = "rev0";
  EXPECT_EQ(state.Process(triggers, app, 201).size(), 1u);
}

// A settled app (the triggers already ran on its state) skips the refreshes that change only
// reconciledAt; isAppSyncStatusRefreshed must still see a refresh in the very second an operation
// completes (argo-cd notification_controller: finishedAt is not after reconciledAt, both whole
// seconds), and wait for the next one otherwise.
TEST_F(NotificationCounterTest, SettledAppsStillGateOnTheRefreshSecond) {
  Add(0, "ApplicationCreated");
  Compare(1, "Healthy");
  Add(2, "RefreshStarted");  // settled: noted for second 2 only
  Add(50, "RefreshStarted");
  Add(50, "SyncStarted", "automated to aaaaaaa");
  Add(50, "SyncSucceeded", "successfully synced (all tasks run)");
  EXPECT_EQ(Count("on-sync-succeeded"), 1);  // refreshed in second 50: processed at once

  counter_ = NotificationCounter();
  Add(0, "ApplicationCreated");
  Compare(1, "Healthy");
  Add(49, "RefreshStarted");
  Add(50, "SyncStarted", "automated to aaaaaaa");
  Add(50, "SyncSucceeded", "successfully synced (all tasks run)");
  EXPECT_EQ(Count("on-sync-succeeded"), 0);  // the last refresh (49) is older: it waits
  Add(51, "RefreshStarted");
  EXPECT_EQ(Count("on-sync-succeeded"), 1);
}

}  // namespace
}  // namespace fleetsim
