// The sync-waves example of argoproj/argocd-example-apps, run through task building and the sync.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/argocd/sync_task_builder.h"
#include "tests/argocd/sync_operation_fixture.h"

namespace fleetsim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// argoproj/argocd-example-apps sync-waves/manifests.yaml at 0d521c6, as it is.
constexpr const char* kSyncWavesExample = R"(---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: upgrade-sql-schema
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      containers:
        - name: upgrade-sql-schema
          image: alpine:latest
          command: ["sleep", "5"]
      restartPolicy: Never
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: backend
spec:
  replicas: 1
  selector:
    matchLabels:
      tier: backend
  template:
    metadata:
      labels:
        tier: backend
    spec:
      containers:
        - name: main
          image: nginx:latest
---
apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector:
    tier: backend
  ports:
    - protocol: TCP
      port: 8080
      targetPort: 8080
---
apiVersion: batch/v1
kind: Job
metadata:
  name: maint-page-up
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
    argocd.argoproj.io/sync-wave: "1"
spec:
  template:
    spec:
      containers:
        - name: page-up
          image: alpine:latest
          command: ["sleep", "2"]
      restartPolicy: Never
  backoffLimit: 0
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  annotations:
    argocd.argoproj.io/sync-wave: "2"
spec:
  replicas: 1
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
        - name: main
          image: nginx:latest
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  annotations:
    argocd.argoproj.io/sync-wave: "2"
spec:
  selector:
    tier: frontend
  ports:
    - protocol: TCP
      port: 80
      targetPort: 80
---
apiVersion: batch/v1
kind: Job
metadata:
  name: maint-page-down
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
    argocd.argoproj.io/sync-wave: "3"
spec:
  template:
    spec:
      containers:
        - name: page-down
          image: alpine:latest
          command: ["sleep", "2"]
      restartPolicy: Never
)";

// Reference 2.2 and 2.1 hook naming; argocd-example-apps sync-waves: PreSync job, then Sync-phase
// waves 0..3 with Service (-13) before ReplicaSet (-9) inside a wave.
TEST_F(SyncOperationTest, SyncWavesExampleTaskOrder) {
  for (const ObjectPtr& obj : testing::FromYaml(kSyncWavesExample)) {
    if (IsHook(*obj)) {
      AddHook(obj);
    } else {
      AddTarget(obj);
    }
  }
  BuiltTasks built = BuildSyncTasks(spec_, cluster_);
  std::vector<std::string> order;
  for (const SyncTask& t : built.tasks) {
    order.push_back(std::string(SyncPhaseName(t.phase)) + "/" + std::to_string(t.wave()) + " " +
                    t.obj().kind() + "/" + t.obj().name());
  }
  EXPECT_THAT(order, ElementsAre("PreSync/0 Job/upgrade-sql-schema0123456-presync-1767225700",
                                 "Sync/0 Service/backend", "Sync/0 ReplicaSet/backend",
                                 "Sync/1 Job/maint-page-up", "Sync/2 Service/frontend",
                                 "Sync/2 ReplicaSet/frontend", "Sync/3 Job/maint-page-down"));
  EXPECT_THAT(built.invalid, IsEmpty());
}

// Reference 2.3 steps 4, 9–11: the example runs one wave per pass, each non-final wave followed by
// the 2 s delay, and finishes when the last hook completes.
TEST_F(SyncOperationTest, SyncWavesExampleRunsWaveByWave) {
  for (const ObjectPtr& obj : testing::FromYaml(kSyncWavesExample)) {
    IsHook(*obj) ? AddHook(obj) : AddTarget(obj);
  }
  std::vector<SimDuration> delays;
  std::vector<std::string> messages;
  for (int i = 0; i < 10 && !Op().completed(); ++i) {
    SyncStepResult r = Step();
    delays.push_back(r.delay);
    messages.push_back(r.message);
  }
  EXPECT_EQ(Op().phase(), OperationPhase::kSucceeded);
  EXPECT_EQ(Op().message(), "successfully synced (no more tasks)");
  EXPECT_THAT(
      cluster_.Writes(),
      ElementsAre("apply Job/default/upgrade-sql-schema0123456-presync-1767225700",
                  "apply Service/default/backend", "apply ReplicaSet/default/backend",
                  "apply Job/default/maint-page-up", "apply Service/default/frontend",
                  "apply ReplicaSet/default/frontend", "apply Job/default/maint-page-down"));
  const SimDuration two = SimDuration::Seconds(2);
  EXPECT_THAT(delays, ElementsAre(two, two, two, two, SimDuration::Zero(), SimDuration::Zero()));
  EXPECT_EQ(
      messages[0],
      "waiting for completion of hook batch/Job/upgrade-sql-schema0123456-presync-1767225700");
  EXPECT_EQ(messages[1], "waiting for healthy state of /Service/backend and 1 more resources");
}

}  // namespace
}  // namespace fleetsim::testing
