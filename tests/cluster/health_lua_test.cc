// The health Lua scripts Argo CD ships (argo-cd resource_customizations/<group>/<Kind>/health.lua)
// and the documented Application snippet (docs/operator-manual/health.md).
#include <gtest/gtest.h>

#include "sim/cluster/health.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using testing_cluster::J;

std::optional<HealthStatus> Health(std::string_view json, const HealthOptions& options = {}) {
  return GetResourceHealth(Object(J(json)), options);
}

HealthStatus H(HealthCode code, std::string message = "") { return {code, std::move(message)}; }

// argoproj.io/Rollout/health.lua: status.phase is surfaced, "Paused" as Suspended.
TEST(HealthLuaTest, RolloutPhaseIsSurfaced) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":2},
      "status":{"observedGeneration":"2","phase":"Paused","message":"CanaryPauseStep"}})"),
      H(HealthCode::kSuspended, "CanaryPauseStep"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":2},
      "status":{"observedGeneration":2,"phase":"Degraded","message":"RolloutAborted"}})"),
      H(HealthCode::kDegraded, "RolloutAborted"));
}

TEST(HealthLuaTest, RolloutWithoutStatusWaitsForTheController) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":1}})"),
      H(HealthCode::kProgressing, "Waiting for rollout spec update to be observed"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":3},
      "status":{"observedGeneration":"2","phase":"Healthy"}})"),
      H(HealthCode::kProgressing, "Waiting for rollout spec update to be observed"));
}

TEST(HealthLuaTest, RolloutWithAnInvalidPhaseIsUnknown) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":1},
      "status":{"observedGeneration":1,"phase":"Exploded"}})"),
      H(HealthCode::kUnknown, "Lua returned an invalid health status"));
}

// Pre-1.0 rollouts without a phase: the condition and replica checks.
TEST(HealthLuaTest, RolloutWithoutPhaseUsesConditionsAndReplicas) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":1},
      "spec":{"replicas":2,"strategy":{"canary":{}}},"status":{"observedGeneration":1,"conditions":[],
      "currentPodHash":"abc","updatedReplicas":2,"availableReplicas":2,"replicas":2,"stableRS":"abc"}})"),
      H(HealthCode::kHealthy));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","generation":1},
      "spec":{"replicas":2,"strategy":{"canary":{}}},"status":{"observedGeneration":1,"conditions":[
      {"type":"Progressing","reason":"ProgressDeadlineExceeded","message":"timed out"}]}})"),
      H(HealthCode::kDegraded, "timed out"));
}

// argoproj.io/AnalysisRun/health.lua
TEST(HealthLuaTest, AnalysisRunPhases) {
  auto run = [](const std::string& status) {
    return Health(
        R"({"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisRun","metadata":{"name":"a"},"status":)" +
        status + "}");
  };
  EXPECT_EQ(run(R"({"phase":"Running"})"), H(HealthCode::kProgressing, "Analysis run is running"));
  EXPECT_EQ(run(R"({"phase":"Successful"})"),
            H(HealthCode::kHealthy, "Analysis run completed successfully"));
  EXPECT_EQ(run(R"({"phase":"Failed","message":"metric error-rate assessed Failed"})"),
            H(HealthCode::kDegraded, "metric error-rate assessed Failed"));
  EXPECT_EQ(run(R"({"phase":"Inconclusive"})"),
            H(HealthCode::kUnknown, "Analysis run was inconclusive"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"AnalysisRun","metadata":{"name":"a"}})"),
      H(HealthCode::kProgressing,
        "Waiting for analysis run to finish: status has not been reconciled."));
}

// bitnami.com/SealedSecret and external-secrets.io/ExternalSecret scripts.
TEST(HealthLuaTest, SealedSecretAndExternalSecret) {
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","metadata":{"name":"s"}})"),
      H(HealthCode::kProgressing, "Waiting for Sealed Secret to be decrypted"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret","metadata":{"name":"s"},"status":{"conditions":[
      {"type":"Synced","status":"False","message":"no key could decrypt secret"}]}})"),
      H(HealthCode::kDegraded, "no key could decrypt secret"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"e"},"status":{"conditions":[
      {"type":"Ready","status":"True","message":"secret synced"}]}})"),
      H(HealthCode::kHealthy, "secret synced"));
}

// No built-in Application health (removed in 1.8); with the documented snippet, status.health.
TEST(HealthLuaTest, ApplicationHealthOnlyWithTheSnippet) {
  const char* app =
      R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"a"},
      "status":{"health":{"status":"Degraded","message":"child failed"}}})";
  EXPECT_FALSE(Health(app).has_value());
  EXPECT_EQ(Health(app, {.application_health = true}), H(HealthCode::kDegraded, "child failed"));
  EXPECT_EQ(
      Health(
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"a"}})",
          {.application_health = true}),
      H(HealthCode::kProgressing));
}

// batch/CronJob/health.lua
TEST(HealthLuaTest, CronJobLastRunFailedIsDegraded) {
  EXPECT_EQ(Health(R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},"status":{
      "lastScheduleTime":"2026-01-01T02:00:00Z","lastSuccessfulTime":"2026-01-01T01:00:00Z"}})"),
            H(HealthCode::kDegraded, "CronJob has not completed its last execution successfully"));
}

}  // namespace
}  // namespace fleetsim
