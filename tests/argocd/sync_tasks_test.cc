#include "sim/argocd/sync_tasks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/argocd/sync_options.h"
#include "tests/argocd/test_objects.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using testing::MakeCrd;
using testing::MakeObject;

SyncTask Apply(ObjectPtr target, SyncPhase phase = SyncPhase::kSync) {
  return SyncTask::Make(phase, std::move(target), nullptr);
}

SyncTask Prune(ObjectPtr live) {
  return SyncTask::Make(SyncPhase::kSync, nullptr, std::move(live));
}

ObjectPtr Pod(const std::string& name, const std::string& wave = "") {
  std::map<std::string, std::string> annotations;
  if (!wave.empty()) annotations["argocd.argoproj.io/sync-wave"] = wave;
  return MakeObject("v1", "Pod", name, "default", annotations);
}

std::vector<std::string> Names(const std::vector<SyncTask>& tasks) {
  std::vector<std::string> out;
  for (const SyncTask& t : tasks) out.push_back(t.obj().name());
  return out;
}

// Reference 2.2; gitops-engine sync_tasks_test.go Test_syncTasks_kindOrder.
TEST(KindOrderTest, NamespaceIsMinus35ApiServiceMinus1CustomKindZero) {
  EXPECT_EQ(KindOrder("Namespace"), -35);
  EXPECT_EQ(KindOrder("APIService"), -1);
  EXPECT_EQ(KindOrder("MyCRD"), 0);
}

// Reference 2.2 table (value = index - 35); sync_tasks.go kindOrder / Helm kind_sorter.go.
TEST(KindOrderTest, FullTable) {
  const std::vector<std::string> kinds = {"Namespace",
                                          "NetworkPolicy",
                                          "ResourceQuota",
                                          "LimitRange",
                                          "PodSecurityPolicy",
                                          "PodDisruptionBudget",
                                          "ServiceAccount",
                                          "Secret",
                                          "SecretList",
                                          "ConfigMap",
                                          "StorageClass",
                                          "PersistentVolume",
                                          "PersistentVolumeClaim",
                                          "CustomResourceDefinition",
                                          "ClusterRole",
                                          "ClusterRoleList",
                                          "ClusterRoleBinding",
                                          "ClusterRoleBindingList",
                                          "Role",
                                          "RoleList",
                                          "RoleBinding",
                                          "RoleBindingList",
                                          "Service",
                                          "DaemonSet",
                                          "Pod",
                                          "ReplicationController",
                                          "ReplicaSet",
                                          "Deployment",
                                          "HorizontalPodAutoscaler",
                                          "StatefulSet",
                                          "Job",
                                          "CronJob",
                                          "IngressClass",
                                          "Ingress",
                                          "APIService"};
  ASSERT_EQ(kinds.size(), 35u);
  for (size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(KindOrder(kinds[i]), static_cast<int>(i) - 35) << kinds[i];
  }
  EXPECT_EQ(KindOrder("Rollout"), 0);
  EXPECT_EQ(KindOrder("namespace"), 0);  // case-sensitive, like the Go map
}

// Reference 2.2: phase, then wave, then kind order, then name (syncTasks.Less).
TEST(SyncTaskOrderTest, PhaseThenWaveThenKindThenName) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(MakeObject("apps/v1", "Deployment", "a", "default")));
  tasks.push_back(Apply(MakeObject("v1", "Service", "z", "default")));
  tasks.push_back(Apply(MakeObject("v1", "Service", "b", "default")));
  tasks.push_back(Apply(Pod("wave-minus-1", "-1")));
  tasks.push_back(Apply(MakeObject("batch/v1", "Job", "post"), SyncPhase::kPostSync));
  tasks.push_back(Apply(MakeObject("batch/v1", "Job", "pre"), SyncPhase::kPreSync));
  SortSyncTasks(tasks);
  EXPECT_THAT(Names(tasks), ElementsAre("pre", "wave-minus-1", "b", "z", "a", "post"));
}

// Reference 2.2: only the kind is compared; any kind outside the table (CRs) sorts after all
// listed kinds, whatever its group.
TEST(SyncTaskOrderTest, UnknownKindsSortAfterListedKindsComparingKindOnly) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(MakeObject("argoproj.io/v1alpha1", "Rollout", "a", "default")));
  tasks.push_back(Apply(MakeObject("example.com/v1", "APIService", "b")));
  tasks.push_back(Apply(MakeObject("apps/v1", "Deployment", "c", "default")));
  SortSyncTasks(tasks);
  EXPECT_THAT(Names(tasks), ElementsAre("c", "b", "a"));
}

// Our documented tiebreak (Go's sort.Sort leaves equal keys unordered): namespace, then group.
TEST(SyncTaskOrderTest, TiesBreakByNamespaceThenGroup) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(MakeObject("v1", "ConfigMap", "cfg", "zeta")));
  tasks.push_back(Apply(MakeObject("v1", "ConfigMap", "cfg", "alpha")));
  SortSyncTasks(tasks);
  EXPECT_EQ(tasks[0].obj().ns(), "alpha");
  EXPECT_EQ(tasks[1].obj().ns(), "zeta");
}

// Reference 2.2 adjustDeps; sync_tasks_test.go TestSyncTasksSort_NamespaceAndObjectInNamespace:
// each Namespace moves before the first task in it and takes that task's phase and wave.
TEST(SyncTaskOrderTest, NamespaceMovesBeforeFirstTaskInItAndTakesItsPhaseAndWave) {
  SyncTask hook1 =
      Apply(MakeObject("batch/v1", "Job", "mySyncHookJob1", "myNamespace1"), SyncPhase::kPreSync);
  SyncTask hook2 =
      Apply(MakeObject("batch/v1", "Job", "mySyncHookJob2", "myNamespace2"), SyncPhase::kPreSync);
  SyncTask ns1 = Apply(
      MakeObject("v1", "Namespace", "myNamespace1", "", {{"argocd.argoproj.io/sync-wave", "1"}}));
  SyncTask ns2 = Apply(
      MakeObject("v1", "Namespace", "myNamespace2", "", {{"argocd.argoproj.io/sync-wave", "2"}}));
  std::vector<SyncTask> tasks = {hook1, hook2, ns1, ns2};
  SortSyncTasks(tasks);
  EXPECT_THAT(Names(tasks),
              ElementsAre("myNamespace1", "mySyncHookJob1", "myNamespace2", "mySyncHookJob2"));
  EXPECT_EQ(tasks[0].wave(), 0);
  EXPECT_EQ(tasks[0].phase, SyncPhase::kPreSync);
  EXPECT_EQ(tasks[2].wave(), 0);
  EXPECT_EQ(tasks[2].phase, SyncPhase::kPreSync);
}

// Reference 2.2 adjustDeps; sync_tasks_test.go TestSyncTasksSort_CRDAndCR: a CRD moves before the
// first custom resource of its group/kind, even from a later phase.
TEST(SyncTaskOrderTest, CrdMovesBeforeFirstCustomResourceOfItsGroupKind) {
  std::vector<SyncTask> tasks;
  tasks.push_back(
      Apply(MakeObject("argoproj.io/v1", "Workflow", "wf", "default"), SyncPhase::kPreSync));
  tasks.push_back(Apply(MakeCrd("argoproj.io", "Workflow")));
  SortSyncTasks(tasks);
  EXPECT_EQ(tasks[0].obj().kind(), "CustomResourceDefinition");
  EXPECT_EQ(tasks[0].phase, SyncPhase::kPreSync);
  EXPECT_EQ(tasks[1].obj().kind(), "Workflow");
}

// Reference 2.2 prune-wave rewrite; sync_context_test.go TestWaveReorderingOfPruneTasks
// (differentWave_mixedTasks): prune waves {1,3,4} become {4,3,1}; applies keep their waves.
TEST(PruneWaveTest, PruneWavesAreMirrored) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(MakeObject("v1", "Namespace", "ns")));
  tasks.push_back(Prune(Pod("pod-1", "1")));
  tasks.push_back(Apply(Pod("pod-2", "2")));
  tasks.push_back(Prune(Pod("pod-3", "3")));
  tasks.push_back(Prune(Pod("pod-4", "4")));
  AssignPruneWaves(tasks, SyncOptions{});
  std::map<std::string, int64_t> waves;
  for (const SyncTask& t : tasks) waves[t.obj().name()] = t.wave();
  EXPECT_EQ(waves["pod-1"], 4);
  EXPECT_EQ(waves["pod-3"], 3);
  EXPECT_EQ(waves["pod-4"], 1);
  EXPECT_EQ(waves["ns"], 0);
  EXPECT_EQ(waves["pod-2"], 2);
}

// Reference 2.2 PruneLast; sync_context_test.go TestPruneLast (syncPhaseDifferentWave): with the
// app-level option every prune goes to the highest Sync-phase wave (prunes counted, after
// mirroring) + 1.
TEST(PruneWaveTest, AppLevelPruneLastGoesAfterTheLastSyncWave) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(Pod("pod-1", "2")));
  tasks.push_back(Prune(Pod("pod-2", "1")));
  tasks.push_back(Prune(Pod("pod-3", "7")));
  SyncOptions options;
  options.prune_last = true;
  AssignPruneWaves(tasks, options);
  SortSyncTasks(tasks);
  EXPECT_EQ(tasks.back().wave(), 8);
  EXPECT_EQ(tasks[1].wave(), 8);
  EXPECT_EQ(tasks[0].obj().name(), "pod-1");
}

// TestPruneLast (pruneLastIndividualResources): PruneLast=true on the live object moves only that
// prune. Mirroring first ({1,5} → pod-2 at 5, pod-3 at 1), so the last Sync wave is 5.
TEST(PruneWaveTest, PruneLastAnnotationOnLiveObject) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(Pod("pod-1", "2")));
  tasks.push_back(Prune(
      testing::Annotate(Pod("pod-2", "1"), "argocd.argoproj.io/sync-options", "PruneLast=true")));
  tasks.push_back(Prune(Pod("pod-3", "5")));
  AssignPruneWaves(tasks, SyncOptions{});
  EXPECT_EQ(tasks[1].wave(), 6);
  EXPECT_EQ(tasks[2].wave(), 1);
}

// TestPruneLast (syncPhaseSameWave): all waves 0 → PruneLast wave 1; a last wave below 0 still
// counts from 0.
TEST(PruneWaveTest, PruneLastCountsFromWaveZero) {
  std::vector<SyncTask> tasks;
  tasks.push_back(Apply(Pod("pod-1", "-5")));
  tasks.push_back(Prune(Pod("pod-2", "-3")));
  SyncOptions options;
  options.prune_last = true;
  AssignPruneWaves(tasks, options);
  EXPECT_EQ(tasks[1].wave(), 1);
}

// sync_tasks_test.go Test_syncTasks_multiStep: multi-step when first and last differ in phase or
// wave.
TEST(SyncTaskOrderTest, MultiStepWhenFirstAndLastDifferInPhaseOrWave) {
  std::vector<SyncTask> single = {Apply(Pod("a", "-1"))};
  EXPECT_FALSE(IsMultiStep(single));
  std::vector<SyncTask> two = {Apply(Pod("a", "-1"), SyncPhase::kPreSync),
                               Apply(Pod("b", "1"), SyncPhase::kPostSync)};
  EXPECT_TRUE(IsMultiStep(two));
}

// setRunningPhase prints tasks as group/kind/name, with an empty core group.
TEST(SyncTaskOrderTest, TaskRefHasGroupKindName) {
  EXPECT_EQ(TaskRef(Apply(Pod("my-pod"))), "/Pod/my-pod");
  EXPECT_EQ(TaskRef(Apply(MakeObject("apps/v1", "Deployment", "web", "default"))),
            "apps/Deployment/web");
}

}  // namespace
}  // namespace fleetsim
