// The Job controller (pkg/controller/job) and run-to-completion pods.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"
#include "tests/cluster/workloads_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;

Json Job(const std::string& image, int backoff_limit = 6) {
  return {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"metadata", {{"name", "migrate"}, {"namespace", "default"}}},
      {"spec",
       {{"backoffLimit", backoff_limit},
        {"template",
         {{"spec",
           {{"restartPolicy", "Never"}, {"containers", {{{"name", "m"}, {"image", image}}}}}}}}}}};
}

const ObjectKey kJob{"batch", "Job", "default", "migrate"};

class JobTest : public WorkloadsFixture {};

// A Job completes when its pod succeeds: start-up, then job_run_time (10 s) of running.
TEST_F(JobTest, CompletesAfterStartUpAndRunTime) {
  store.Create(Obj(Job("migrate:1")));
  sim.RunUntil(At(14));
  EXPECT_EQ(GetResourceHealth(*store.Find(kJob)->object)->code, HealthCode::kProgressing);
  sim.RunUntil(At(41));
  const LiveObject* job = store.Find(kJob);
  EXPECT_EQ(*GetResourceHealth(*job->object),
            (HealthStatus{HealthCode::kHealthy, "Reached expected number of succeeded pods"}));
  EXPECT_EQ(IntAt(job->doc(), {"status", "succeeded"}, 0), 1);
  std::vector<LiveObject> pods = Pods(store);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(StringAt(pods[0].doc(), {"status", "phase"}), "Succeeded");
  EXPECT_EQ(pods[0].object->labels().at("job-name"), "migrate");
}

// More failed pods than backoffLimit: Failed with BackoffLimitExceeded (Degraded); failed pods
// are replaced after 10 s, then 20 s.
TEST_F(JobTest, FailsAfterBackoffLimit) {
  controller.SetImageCrashing("migrate:bad", true);
  std::vector<SimTime> pod_created;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.object.key().kind == "Pod" && e.type == WatchEventType::kAdded)
      pod_created.push_back(sim.now());
  });
  store.Create(Obj(Job("migrate:bad", 2)));
  sim.RunUntil(At(600));
  const LiveObject* job = store.Find(kJob);
  EXPECT_EQ(*GetResourceHealth(*job->object),
            (HealthStatus{HealthCode::kDegraded, "Job has reached the specified backoff limit"}));
  EXPECT_EQ(IntAt(job->doc(), {"status", "failed"}, 0), 3);
  ASSERT_EQ(pod_created.size(), 3u);
  EXPECT_GE(pod_created[1] - pod_created[0], SimDuration::Seconds(15));  // start-up >= 5 s + 10 s
  EXPECT_GE(pod_created[2] - pod_created[1], SimDuration::Seconds(25));  // start-up >= 5 s + 20 s
  for (const LiveObject& p : Pods(store)) {
    EXPECT_EQ(*GetResourceHealth(*p.object),
              (HealthStatus{HealthCode::kDegraded, "container \"m\" failed with exit code 1"}));
  }
}

TEST_F(JobTest, BackoffLimitZeroFailsOnFirstFailure) {
  controller.SetImageCrashing("migrate:bad", true);
  store.Create(Obj(Job("migrate:bad", 0)));
  sim.RunUntil(At(60));
  EXPECT_EQ(GetResourceHealth(*store.Find(kJob)->object)->code, HealthCode::kDegraded);
  EXPECT_EQ(Pods(store).size(), 1u);
}

TEST_F(JobTest, TtlAfterFinishedDeletesTheJob) {
  Json job = Job("migrate:1");
  job["spec"]["ttlSecondsAfterFinished"] = 30;
  std::string cause;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted && e.object.key() == kJob) cause = e.cause;
  });
  store.Create(Obj(job));
  sim.RunUntil(At(100));
  EXPECT_EQ(store.Find(kJob), nullptr);
  EXPECT_EQ(cause, "gc");
  EXPECT_TRUE(Pods(store).empty());
}

TEST_F(JobTest, SuspendedJobRunsNothing) {
  Json job = Job("migrate:1");
  job["spec"]["suspend"] = true;
  store.Create(Obj(job));
  sim.RunUntil(At(60));
  EXPECT_TRUE(Pods(store).empty());
  EXPECT_EQ(GetResourceHealth(*store.Find(kJob)->object)->code, HealthCode::kSuspended);
}

}  // namespace
}  // namespace fleetsim
