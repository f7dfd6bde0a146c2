// RollingSync rules (reference/argocd.md 4.6; argo-cd applicationset/progressivesync/
// progressive_sync.go and validation_issues.go).
#include "sim/argocd/appset_progressive.h"

#include <gtest/gtest.h>

#include "sim/argocd/appset_controller.h"

namespace fleetsim {
namespace {

RollingSyncStep Step(const std::string& key, const std::string& op, std::vector<std::string> values,
                     std::optional<Json> max_update = std::nullopt) {
  RollingSyncStep s;
  s.match_expressions.push_back({key, op, std::move(values)});
  s.max_update = std::move(max_update);
  return s;
}

std::vector<LabeledApp> EnvApps() {
  return {{"web-dev", {{"env", "dev"}}},
          {"web-staging", {{"env", "staging"}}},
          {"web-prod-1", {{"env", "prod"}}},
          {"web-prod-2", {{"env", "prod"}}},
          {"web-nolabel", {}}};
}

SimTime At(int64_t s) { return SimTime::Zero() + SimDuration::Seconds(s); }

AppSetAppStatus Status(const std::string& app, const std::string& status, const std::string& step,
                       SimTime t = At(0)) {
  return {app, status, "", step, {"abc"}, t};
}

// buildAppDependencyList: In needs the label; NotIn matches a missing label.
TEST(AppSetProgressiveTest, StepMembershipInAndNotIn) {
  std::vector<RollingSyncStep> steps = {Step("env", "In", {"dev"}),
                                        Step("env", "NotIn", {"dev", "prod"})};
  RollingSteps r = BuildRollingSteps(steps, EnvApps());
  EXPECT_EQ(r.apps[0], std::vector<std::string>{"web-dev"});
  EXPECT_EQ(r.apps[1], (std::vector<std::string>{"web-staging", "web-nolabel"}));
  EXPECT_EQ(r.step_of.count("web-prod-1"), 0u);  // never synced by the strategy
  EXPECT_TRUE(r.empty_steps.empty());
}

// An app selected by two steps keeps the first; the issue shows in InvalidRolloutConfig.
TEST(AppSetProgressiveTest, DuplicateSelectionIsAnIssue) {
  std::vector<RollingSyncStep> steps = {
      Step("env", "In", {"dev"}), Step("env", "In", {"dev", "prod"}), Step("env", "In", {"qa"})};
  RollingSteps r = BuildRollingSteps(steps, EnvApps());
  EXPECT_EQ(r.step_of.at("web-dev"), 0);
  EXPECT_EQ(r.apps[1].size(), 3u);
  RolloutCondition c = InvalidRolloutConfigCondition(r, {});
  EXPECT_EQ(c.status, "True");
  EXPECT_EQ(c.message, "Application 'web-dev' is selected by multiple steps: (1-2)");
  r.duplicates.clear();
  EXPECT_EQ(InvalidRolloutConfigCondition(r, {}).message,
            "Steps [3] have no applications matching their criteria");
}

TEST(AppSetProgressiveTest, InvalidOperatorIsAnIssueNotAMatch) {
  std::vector<RollingSyncStep> steps = {Step("env", "Exists", {"dev"})};
  RollingSteps r = BuildRollingSteps(steps, EnvApps());
  // A present label with an unknown operator selects nothing; a missing label is not an In.
  EXPECT_EQ(r.apps[0], std::vector<std::string>{"web-nolabel"});
  EXPECT_EQ(InvalidRolloutConfigCondition(r, {}).message,
            "Step 1 has invalid matchExpression operators: Exists. Supported Operators are 'In' "
            "and 'NotIn'");
}

TEST(AppSetProgressiveTest, ValidConfig) {
  RollingSteps r = BuildRollingSteps({Step("env", "In", {"dev", "staging", "prod"})}, EnvApps());
  RolloutCondition c = InvalidRolloutConfigCondition(r, {});
  EXPECT_EQ(c.status, "False");
  EXPECT_EQ(c.message, "Rolling Sync Configured correctly");
}

// UpdateApplicationSetApplicationStatus: a new app waits; an app already Synced goes straight to
// Healthy (or Progressing when not healthy yet).
TEST(AppSetProgressiveTest, NewAppsWaitOrAreAlreadyDone) {
  RollingSteps r = BuildRollingSteps({Step("env", "In", {"dev"})}, EnvApps());
  ProgressInput out_of_sync{"web-dev", {}, false};
  out_of_sync.view.sync = "OutOfSync";
  out_of_sync.view.revisions = {"abc"};
  ProgressInput synced{"web-staging", {}, false};
  synced.view.sync = "Synced";
  synced.view.health = "Healthy";
  std::vector<AppSetAppStatus> s = UpdateAppStatuses({}, {out_of_sync, synced}, r, At(5));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].status, "Waiting");
  EXPECT_EQ(s[0].message, "No Application status found, defaulting status to Waiting");
  EXPECT_EQ(s[0].step, "1");
  EXPECT_EQ(s[1].status, "Healthy");
  EXPECT_EQ(s[1].message, "Application resource has synced, updating status to Healthy");
  EXPECT_EQ(s[1].step, "-1");
}

// Pending -> Progressing once an operation started at or after the transition; Progressing ->
// Healthy once Healthy and Synced; a new revision resets to Waiting.
TEST(AppSetProgressiveTest, PendingProgressingHealthy) {
  RollingSteps r = BuildRollingSteps({Step("env", "In", {"dev"})}, EnvApps());
  ProgressInput in{"web-dev", {}, false};
  in.view.sync = "OutOfSync";
  in.view.revisions = {"abc"};
  in.view.operation_started_at = At(10);
  in.view.operation_phase = "Running";
  std::vector<AppSetAppStatus> s =
      UpdateAppStatuses({Status("web-dev", "Pending", "1", At(10))}, {in}, r, At(11));
  EXPECT_EQ(s[0].status, "Progressing");
  EXPECT_EQ(s[0].message,
            "Application resource became Progressing, updating status from Pending to "
            "Progressing");
  in.view.sync = "Synced";
  in.view.health = "Healthy";
  s = UpdateAppStatuses(s, {in}, r, At(20));
  EXPECT_EQ(s[0].status, "Healthy");
  EXPECT_EQ(s[0].message,
            "Application resource became Healthy, updating status from Progressing to Healthy");
  in.view.revisions = {"def"};
  in.view.sync = "OutOfSync";
  s = UpdateAppStatuses(s, {in}, r, At(30));
  EXPECT_EQ(s[0].status, "Waiting");
  EXPECT_EQ(s[0].message, "Application has pending changes, setting status to Waiting");
}

// A Pending app whose operation started before the transition stays Pending.
TEST(AppSetProgressiveTest, OldOperationDoesNotProgress) {
  RollingSteps r = BuildRollingSteps({Step("env", "In", {"dev"})}, EnvApps());
  ProgressInput in{"web-dev", {}, false};
  in.view.revisions = {"abc"};
  in.view.operation_started_at = At(5);
  in.view.operation_phase = "Succeeded";
  std::vector<AppSetAppStatus> s =
      UpdateAppStatuses({Status("web-dev", "Pending", "1", At(10))}, {in}, r, At(11));
  EXPECT_EQ(s[0].status, "Pending");
}

// getAppsToSync: step 2 only once every app of step 1 is Healthy.
TEST(AppSetProgressiveTest, LaterStepsWaitForHealthy) {
  std::vector<RollingSyncStep> steps = {Step("env", "In", {"dev"}), Step("env", "In", {"staging"}),
                                        Step("env", "In", {"prod"})};
  RollingSteps r = BuildRollingSteps(steps, EnvApps());
  std::set<std::string> current = {"web-dev", "web-staging", "web-prod-1", "web-prod-2"};
  std::vector<AppSetAppStatus> s = {Status("web-dev", "Progressing", "1"),
                                    Status("web-staging", "Waiting", "2")};
  EXPECT_EQ(AppsToSync(s, r, current), std::set<std::string>{"web-dev"});
  s[0].status = "Healthy";
  // web-staging is not Healthy yet: prod waits.
  EXPECT_EQ(AppsToSync(s, r, current), (std::set<std::string>{"web-dev", "web-staging"}));
  s[1].status = "Healthy";
  EXPECT_EQ(AppsToSync(s, r, current).size(), 4u);
  current.erase("web-staging");  // not created (yet): later steps wait
  EXPECT_EQ(AppsToSync(s, r, current), (std::set<std::string>{"web-dev", "web-staging"}));
}

// maxUpdate: an int, a percentage rounded down with a floor of 1 (not for 0%), unset = all.
TEST(AppSetProgressiveTest, MaxUpdateScaling) {
  std::string error;
  EXPECT_EQ(MaxUpdateFor(std::nullopt, 4, &error), std::nullopt);
  EXPECT_EQ(MaxUpdateFor(Json(2), 4, &error), 2);
  EXPECT_EQ(MaxUpdateFor(Json("50%"), 5, &error), 2);
  EXPECT_EQ(MaxUpdateFor(Json("10%"), 4, &error), 1);
  EXPECT_EQ(MaxUpdateFor(Json("0%"), 4, &error), 0);
  EXPECT_EQ(MaxUpdateFor(Json(0), 4, &error), 0);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(MaxUpdateFor(Json("two"), 4, &error), 1);
  EXPECT_FALSE(error.empty());
}

// UpdateApplicationSetApplicationStatusProgress: Waiting -> Pending within maxUpdate, counting the
// apps already Pending or Progressing in the step.
TEST(AppSetProgressiveTest, PromoteWithinMaxUpdate) {
  std::vector<RollingSyncStep> steps = {Step("env", "In", {"prod"}, Json(1))};
  std::vector<LabeledApp> apps = {{"a", {{"env", "prod"}}}, {"b", {{"env", "prod"}}}};
  RollingSteps r = BuildRollingSteps(steps, apps);
  std::map<int, std::string> invalid;
  std::vector<AppSetAppStatus> s =
      PromoteToPending({Status("a", "Waiting", "1"), Status("b", "Waiting", "1")}, steps,
                       {"a", "b"}, r, At(3), &invalid);
  EXPECT_EQ(s[0].status, "Pending");
  EXPECT_EQ(s[0].message,
            "Application moved to Pending status, watching for the Application resource to start "
            "Progressing");
  EXPECT_EQ(s[1].status, "Waiting");
  EXPECT_TRUE(invalid.empty());
}

TEST(AppSetProgressiveTest, InvalidMaxUpdateIsReported) {
  std::vector<RollingSyncStep> steps = {Step("env", "In", {"prod"}, Json("half"))};
  RollingSteps r = BuildRollingSteps(steps, {{"a", {{"env", "prod"}}}});
  std::map<int, std::string> invalid;
  PromoteToPending({Status("a", "Waiting", "1")}, steps, {"a"}, r, At(3), &invalid);
  EXPECT_EQ(InvalidRolloutConfigCondition(r, invalid).message,
            "Step 1 has an invalid maxUpdate value: half");
}

TEST(AppSetProgressiveTest, ProgressingCondition) {
  std::vector<AppSetAppStatus> s = {Status("a", "Healthy", "1"), Status("b", "Pending", "2"),
                                    Status("c", "Waiting", "-1")};
  RolloutCondition c = ProgressingCondition(s, 3);
  EXPECT_EQ(c.status, "True");
  EXPECT_EQ(c.message, "ApplicationSet is performing rollout of step 2");
  s[1].status = "Healthy";
  c = ProgressingCondition(s, 3);
  EXPECT_EQ(c.status, "False");
  EXPECT_EQ(c.message, "ApplicationSet Rollout has completed");
}

// setAppSetApplicationStatus only writes when an entry's status, step or message changed.
TEST(AppSetProgressiveTest, PersistOnlyVisibleChanges) {
  std::vector<AppSetAppStatus> stored = {Status("a", "Waiting", "1")};
  AppSetAppStatus moved = stored[0];
  moved.last_transition = At(9);
  EXPECT_FALSE(PersistAppStatuses({moved}, &stored));
  EXPECT_EQ(stored[0].last_transition, At(0));
  moved.status = "Pending";
  EXPECT_TRUE(PersistAppStatuses({Status("b", "Waiting", "1"), moved}, &stored));
  EXPECT_EQ(stored[0].application, "a");  // sorted by name
}

// disableAutomatedSync: automated.enabled=false (3.x), prune read from the template.
TEST(AppSetProgressiveTest, DisableAutomatedSync) {
  Json app = {{"spec", {{"syncPolicy", {{"automated", {{"prune", true}}}}}}}};
  EXPECT_TRUE(DisableAutomatedSync(&app));
  EXPECT_EQ(app["spec"]["syncPolicy"]["automated"]["enabled"], false);
  Json manual = {{"spec", {{"project", "default"}}}};
  EXPECT_FALSE(DisableAutomatedSync(&manual));
  EXPECT_FALSE(manual["spec"].contains("syncPolicy"));
}

// A Reconcile that returns an error (a failed Application write) is requeued by
// controller-runtime's default per-item limiter: 5 ms * 2^failures, capped at 1000 s.
TEST(AppSetRequeueTest, WriteErrorBackoff) {
  EXPECT_EQ(WriteErrorBackoff(0), SimDuration::Millis(5));
  EXPECT_EQ(WriteErrorBackoff(3), SimDuration::Millis(40));
  EXPECT_EQ(WriteErrorBackoff(17), SimDuration::Millis(5 * 131072));
  EXPECT_EQ(WriteErrorBackoff(18), SimDuration::Seconds(1000));
  EXPECT_EQ(WriteErrorBackoff(40), SimDuration::Seconds(1000));
}

}  // namespace
}  // namespace fleetsim
