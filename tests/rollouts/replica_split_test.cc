// Replica split of a canary Rollout. Reference 1.1, 1.5, 1.6; argo-rollouts
// utils/replicaset/canary.go (approximateWeightedCanaryStableReplicaCounts,
// CalculateReplicaCountsForBasicCanary, CalculateReplicaCountsForTrafficRoutedCanary),
// utils/replicaset/replicaset.go (resolveFenceposts) and rollout/canary.go.
#include "sim/rollouts/replica_split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using ::testing::ElementsAre;

RolloutSpec Canary(int32_t replicas, std::vector<int32_t> weights = {}) {
  RolloutSpec spec;
  spec.canary = true;
  spec.replicas = replicas;
  for (int32_t w : weights) {
    CanaryStep step;
    step.kind = StepKind::kSetWeight;
    step.set_weight = w;
    step.present = {"setWeight"};
    spec.strategy.steps.push_back(step);
  }
  return spec;
}

RolloutSpec Routed(int32_t replicas, std::vector<int32_t> weights = {}) {
  RolloutSpec spec = Canary(replicas, std::move(weights));
  spec.strategy.traffic_routing = true;
  return spec;
}

RolloutStatus Updating(int32_t step = 0) {
  RolloutStatus status;
  status.stable_rs = "stable";
  status.current_pod_hash = "canary";
  status.current_step_index = step;
  return status;
}

ReplicaSetState Rs(std::string name, int32_t spec, int32_t available, int64_t revision = 1) {
  return {.name = std::move(name),
          .revision = revision,
          .spec_replicas = spec,
          .replicas = spec,
          .available = available};
}

// Reference 1.1: surge rounds up, unavailable rounds down, 25% defaults.
TEST(ReplicaSplitTest, FencepostsDefaultTo25PercentWithRounding) {
  RolloutSpec spec = Canary(10);
  EXPECT_EQ(MaxSurge(spec), 3);        // ceil(2.5)
  EXPECT_EQ(MaxUnavailable(spec), 2);  // floor(2.5)
  spec.replicas = 1;
  EXPECT_EQ(MaxSurge(spec), 1);
  EXPECT_EQ(MaxUnavailable(spec), 0);
}

// Reference 1.1 / 5.1: a string without '%' is still a percentage.
TEST(ReplicaSplitTest, AnyStringIsAPercentage) {
  Result<IntOrPercent> bare = IntOrPercent::FromJson("50");
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->percent);
  EXPECT_EQ(ResolveIntOrPercent(*bare, 10, true), 5);
  EXPECT_EQ(ResolveIntOrPercent(IntOrPercent::Int(3), 10, true), 3);
  EXPECT_FALSE(IntOrPercent::FromJson("abc").ok());
  EXPECT_FALSE(IntOrPercent::FromJson(true).ok());
}

// resolveFenceposts: both resolving to zero forces maxUnavailable to 1.
TEST(ReplicaSplitTest, BothZeroForcesUnavailableOne) {
  Fenceposts f = ResolveFenceposts(IntOrPercent::Percent(10), IntOrPercent::Percent(10), 3);
  EXPECT_EQ(f.max_surge, 1);  // ceil(0.3)
  EXPECT_EQ(f.max_unavailable, 0);
  f = ResolveFenceposts(IntOrPercent::Int(0), IntOrPercent::Percent(25), 3);
  EXPECT_EQ(f.max_surge, 0);
  EXPECT_EQ(f.max_unavailable, 1);
}

// MaxUnavailable: capped at spec.replicas; 0 replicas → 0.
TEST(ReplicaSplitTest, MaxUnavailableCappedAtReplicas) {
  RolloutSpec spec = Canary(3);
  spec.strategy.max_unavailable = IntOrPercent::Int(5);
  EXPECT_EQ(MaxUnavailable(spec), 3);
  spec.replicas = 0;
  EXPECT_EQ(MaxUnavailable(spec), 0);
}

struct SplitCase {
  int32_t replicas;
  int32_t weight;
  bool surge;
  int32_t canary;
  int32_t stable;
};

// Reference 1.5 table ("Worked results"), with maxSurge 25% or 0.
TEST(ReplicaSplitTest, ClosestRatioTable) {
  const SplitCase cases[] = {
      {10, 10, true, 1, 9}, {10, 41, true, 4, 6}, {10, 45, true, 5, 6}, {10, 45, false, 5, 5},
      {10, 5, true, 1, 10}, {10, 5, false, 1, 9}, {1, 5, true, 1, 1},   {1, 5, false, 0, 1},
      {3, 50, true, 2, 2},  {3, 50, false, 2, 1}, {5, 50, true, 3, 3},  {4, 25, true, 1, 3},
  };
  for (const SplitCase& c : cases) {
    RolloutSpec spec = Canary(c.replicas);
    if (!c.surge) spec.strategy.max_surge = IntOrPercent::Int(0);
    CanaryStableCounts got = ApproximateWeightedCounts(c.replicas, c.weight, 100, MaxSurge(spec));
    EXPECT_EQ(got, (CanaryStableCounts{c.canary, c.stable}))
        << "R=" << c.replicas << " W=" << c.weight << " surge=" << c.surge << " got " << got.canary
        << "/" << got.stable;
  }
}

// approximateWeightedCanaryStableReplicaCounts: 0 and 100 allow a zero side.
TEST(ReplicaSplitTest, ZeroAndFullWeightAllowZero) {
  EXPECT_EQ(ApproximateWeightedCounts(10, 0, 100, 3), (CanaryStableCounts{0, 10}));
  EXPECT_EQ(ApproximateWeightedCounts(10, 100, 100, 3), (CanaryStableCounts{10, 0}));
  EXPECT_EQ(ApproximateWeightedCounts(0, 50, 100, 3), (CanaryStableCounts{0, 0}));
  EXPECT_EQ(ApproximateWeightedCounts(10, 50, 0, 3), (CanaryStableCounts{0, 0}));  // no crash
}

// Never zero on either side for 0<W<100 with R>=2: 99% of 2 keeps one stable.
TEST(ReplicaSplitTest, NeverZeroSideForPartialWeights) {
  EXPECT_EQ(ApproximateWeightedCounts(2, 99, 100, 0), (CanaryStableCounts{1, 1}));
  EXPECT_EQ(ApproximateWeightedCounts(2, 1, 100, 0), (CanaryStableCounts{1, 1}));
}

// CalculateReplicaCountsForBasicCanary doc examples.
TEST(ReplicaSplitTest, BasicCanaryFirstReconcileWithSurgeOneUnavailableOne) {
  RolloutSpec spec = Canary(10, {10});
  spec.strategy.max_surge = IntOrPercent::Int(1);
  spec.strategy.max_unavailable = IntOrPercent::Int(1);
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets), (CanaryStableCounts{1, 9}));
}

TEST(ReplicaSplitTest, BasicCanaryNoUnavailabilitySurgesCanaryFirst) {
  RolloutSpec spec = Canary(10, {30});
  spec.strategy.max_surge = IntOrPercent::Int(3);
  spec.strategy.max_unavailable = IntOrPercent::Int(0);
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets), (CanaryStableCounts{3, 10}));
}

TEST(ReplicaSplitTest, BasicCanaryNoSurgeScalesStableDownFirst) {
  RolloutSpec spec = Canary(10, {30});
  spec.strategy.max_surge = IntOrPercent::Int(0);
  spec.strategy.max_unavailable = IntOrPercent::Int(5);
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets), (CanaryStableCounts{0, 7}));
}

TEST(ReplicaSplitTest, BasicCanarySingleReplicaSurgesOne) {
  RolloutSpec spec = Canary(1, {5});
  spec.strategy.max_surge = IntOrPercent::Int(1);
  spec.strategy.max_unavailable = IntOrPercent::Int(0);
  ReplicaSetState stable = Rs("stable", 1, 1);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets), (CanaryStableCounts{1, 1}));
}

// Reference 1.5: the stable's availability is ignored while the canary grows (issue #995).
TEST(ReplicaSplitTest, CrashLoopingStableDoesNotBlockGrowingCanary) {
  RolloutSpec spec = Canary(10, {50});
  spec.strategy.max_surge = IntOrPercent::Int(0);
  spec.strategy.max_unavailable = IntOrPercent::Int(2);
  ReplicaSetState stable = Rs("stable", 10, 0);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets).stable, 8);
}

// Reference 1.5: scaling down waits while an old RS still has replicas.
TEST(ReplicaSplitTest, OldReplicaSetsBlockScaleDownOfStableAndCanary) {
  RolloutSpec spec = Canary(10, {10});
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 3);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable, .others = {Rs("old", 2, 2, 2)}};
  // Budget R+S-Σspec = 13-12 = 1 goes to the canary; the stable keeps 10.
  EXPECT_EQ(BasicCanaryCounts(spec, Updating(), sets), (CanaryStableCounts{1, 10}));
}

// Abort: the target weight is 0, the canary drains within maxUnavailable.
TEST(ReplicaSplitTest, AbortDrainsCanaryIgnoringItsAvailability) {
  RolloutSpec spec = Canary(10, {50});
  RolloutStatus status = Updating();
  status.abort = true;
  ReplicaSetState stable = Rs("stable", 5, 5);
  ReplicaSetState canary = Rs("canary", 5, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  // Stable grows by the surge budget (13-10=3). The canary's 5 unready pods count by spec:
  // countable 5+5 - minAvailable 8 = 2 may go.
  EXPECT_EQ(BasicCanaryCounts(spec, status, sets), (CanaryStableCounts{3, 8}));
}

// Without a stable RS (initial deploy) the new RS goes to R.
TEST(ReplicaSplitTest, InitialDeployScalesNewToFull) {
  RolloutSpec spec = Canary(4, {25});
  RolloutStatus status;
  ReplicaSetState rs = Rs("first", 0, 0);
  CanaryReplicaSets sets{.new_rs = &rs};
  EXPECT_EQ(BasicCanaryCounts(spec, status, sets).canary, 4);
}

// Reference 1.6: canary = ceil(W·R/100), stable stays at R.
TEST(ReplicaSplitTest, RoutedCanaryCeilsAndKeepsStableFull) {
  RolloutSpec spec = Routed(10, {15});
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(TrafficRoutedCanaryCounts(spec, Updating(), sets, std::nullopt),
            (CanaryStableCounts{2, 10}));
}

TEST(ReplicaSplitTest, RoutedMinPodsPerReplicaSetCappedAtReplicas) {
  RolloutSpec spec = Routed(3, {5});
  spec.strategy.min_pods_per_replica_set = 2;
  ReplicaSetState stable = Rs("stable", 3, 3);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(TrafficRoutedCanaryCounts(spec, Updating(), sets, std::nullopt).canary, 2);
  spec.strategy.min_pods_per_replica_set = 9;
  EXPECT_EQ(TrafficRoutedCanaryCounts(spec, Updating(), sets, std::nullopt).canary, 3);
}

RolloutSpec WithScaleStep(RolloutSpec spec, SetCanaryScale scs) {
  CanaryStep step;
  step.kind = StepKind::kSetCanaryScale;
  step.set_canary_scale = scs;
  step.present = {"setCanaryScale"};
  spec.strategy.steps.insert(spec.strategy.steps.begin(), step);
  return spec;
}

// Reference 1.6: setCanaryScale replicas / weight / matchTrafficWeight.
TEST(ReplicaSplitTest, RoutedSetCanaryScale) {
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  RolloutSpec by_replicas = WithScaleStep(Routed(10, {20}), {.replicas = 4});
  EXPECT_EQ(TrafficRoutedCanaryCounts(by_replicas, Updating(1), sets, std::nullopt).canary, 4);
  RolloutSpec by_weight = WithScaleStep(Routed(10, {20}), {.weight = 55});
  EXPECT_EQ(TrafficRoutedCanaryCounts(by_weight, Updating(1), sets, std::nullopt).canary, 6);
  RolloutSpec match = WithScaleStep(Routed(10, {20}), {.match_traffic_weight = true});
  EXPECT_EQ(TrafficRoutedCanaryCounts(match, Updating(1), sets, std::nullopt).canary, 2);
}

// Reference 1.6: with dynamicStableScale the stable follows max(desired, router's weight).
TEST(ReplicaSplitTest, RoutedDynamicStableScaleLagsTheRouter) {
  RolloutSpec spec = Routed(10, {60});
  spec.strategy.dynamic_stable_scale = true;
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_EQ(TrafficRoutedCanaryCounts(spec, Updating(), sets, std::nullopt),
            (CanaryStableCounts{6, 4}));
  TrafficWeights router{.canary = 20, .stable = 80};
  EXPECT_EQ(TrafficRoutedCanaryCounts(spec, Updating(), sets, router), (CanaryStableCounts{6, 8}));
}

// One group per reconcile: stable first.
TEST(ReplicaSplitTest, NextActionsScaleStableFirstThenCanary) {
  RolloutSpec spec = Canary(10, {10});
  spec.strategy.max_surge = IntOrPercent::Int(1);
  spec.strategy.max_unavailable = IntOrPercent::Int(1);
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_THAT(NextCanaryScaleActions(spec, Updating(), sets, SimTime::Zero()),
              ElementsAre(ScaleAction{.replica_set = "stable", .replicas = 9}));
  stable = Rs("stable", 9, 9);
  EXPECT_THAT(NextCanaryScaleActions(spec, Updating(), sets, SimTime::Zero()),
              ElementsAre(ScaleAction{.replica_set = "canary", .replicas = 1}));
  canary = Rs("canary", 1, 1, 2);
  EXPECT_TRUE(NextCanaryScaleActions(spec, Updating(), sets, SimTime::Zero()).empty());
  EXPECT_TRUE(AtDesiredReplicaCounts(spec, Updating(), sets, std::nullopt));
}

// scaleDownOldReplicaSetsForCanary: unhealthy replicas first, then within maxUnavailable,
// newest revision first.
TEST(ReplicaSplitTest, OldReplicaSetsScaleDownWithinMinAvailable) {
  RolloutSpec spec = Canary(4, {100});
  ReplicaSetState canary = Rs("canary", 4, 4, 3);
  RolloutStatus status = Updating();
  status.stable_rs = "canary";
  status.current_pod_hash = "canary";
  CanaryReplicaSets sets{
      .new_rs = &canary, .stable_rs = &canary, .others = {Rs("v1", 2, 1, 1), Rs("v2", 3, 3, 2)}};
  // available 8, minAvailable 4-1 = 3 → budget 5: v1 loses its unhealthy pod, then v2 (newest)
  // goes to 0 (3), then v1 to 0 (1).
  EXPECT_THAT(NextCanaryScaleActions(spec, status, sets, SimTime::Zero()),
              ElementsAre(ScaleAction{.replica_set = "v1", .replicas = 1},
                          ScaleAction{.replica_set = "v2", .replicas = 0},
                          ScaleAction{.replica_set = "v1", .replicas = 0}));
}

TEST(ReplicaSplitTest, OldReplicaSetsKeptWhenNoAvailabilityToSpare) {
  RolloutSpec spec = Canary(4, {100});
  spec.strategy.max_unavailable = IntOrPercent::Int(0);
  spec.strategy.max_surge = IntOrPercent::Int(1);
  ReplicaSetState canary = Rs("canary", 4, 1, 2);
  RolloutStatus status = Updating();
  status.stable_rs = "canary";
  status.current_pod_hash = "canary";
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &canary, .others = {Rs("v1", 3, 3, 1)}};
  // available 4 = minAvailable 4: nothing may go.
  EXPECT_TRUE(NextCanaryScaleActions(spec, status, sets, SimTime::Zero()).empty());
}

// Reference 1.6 "After promotion": the old stable waits scaleDownDelaySeconds (30 s).
TEST(ReplicaSplitTest, RoutedOldStableWaitsForScaleDownDeadline) {
  RolloutSpec spec = Routed(2, {100});
  ReplicaSetState canary = Rs("canary", 2, 2, 2);
  RolloutStatus status = Updating();
  status.stable_rs = "canary";
  status.current_pod_hash = "canary";
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &canary, .others = {Rs("old", 2, 2, 1)}};
  SimTime t0 = SimTime::Zero() + SimDuration::Seconds(100);
  EXPECT_THAT(NextCanaryScaleActions(spec, status, sets, t0),
              ElementsAre(ScaleAction{.kind = ScaleAction::Kind::kSetScaleDownDeadline,
                                      .replica_set = "old",
                                      .deadline = t0 + SimDuration::Seconds(30)}));
  sets.others[0].scale_down_deadline = t0 + SimDuration::Seconds(30);
  EXPECT_TRUE(NextCanaryScaleActions(spec, status, sets, t0 + SimDuration::Seconds(29)).empty());
  EXPECT_THAT(NextCanaryScaleActions(spec, status, sets, t0 + SimDuration::Seconds(30)),
              ElementsAre(ScaleAction{.replica_set = "old", .replicas = 0}));
}

// rollout/canary.go: an intermediate RS (V2 while V3 rolls out) goes to 0 with a router.
TEST(ReplicaSplitTest, RoutedIntermediateReplicaSetScalesToZero) {
  RolloutSpec spec = Routed(2, {50});
  ReplicaSetState stable = Rs("stable", 2, 2, 1);
  ReplicaSetState canary = Rs("canary", 1, 1, 3);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable, .others = {Rs("v2", 1, 1, 2)}};
  EXPECT_THAT(NextCanaryScaleActions(spec, Updating(), sets, SimTime::Zero()),
              ElementsAre(ScaleAction{.replica_set = "v2", .replicas = 0}));
}

// AtDesiredReplicaCountsForCanary: basic canary needs old RSs drained; threshold percent.
TEST(ReplicaSplitTest, AtDesiredCountsRules) {
  RolloutSpec spec = Routed(10, {50});
  ReplicaSetState stable = Rs("stable", 10, 10);
  ReplicaSetState canary = Rs("canary", 5, 3, 2);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  EXPECT_FALSE(AtDesiredReplicaCounts(spec, Updating(), sets, std::nullopt));
  spec.strategy.replica_progress_threshold = ReplicaProgressThreshold{.percent = true, .value = 60};
  EXPECT_TRUE(AtDesiredReplicaCounts(spec, Updating(), sets, std::nullopt));
  spec.strategy.replica_progress_threshold = ReplicaProgressThreshold{.percent = false, .value = 4};
  EXPECT_FALSE(AtDesiredReplicaCounts(spec, Updating(), sets, std::nullopt));
}

// Reconciles until nothing changes, with pods ready at once, checking after every reconcile
// that no more than R+maxSurge pods exist and R−maxUnavailable stay available (reference 1.5).
void Converge(const RolloutSpec& spec, const RolloutStatus& status, ReplicaSetState& stable,
              ReplicaSetState& canary) {
  const int32_t max_pods = spec.replicas + MaxSurge(spec);
  const int32_t min_available = spec.replicas - MaxUnavailable(spec);
  CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
  for (int reconciles = 0; reconciles < 50; ++reconciles) {
    std::vector<ScaleAction> actions = NextCanaryScaleActions(spec, status, sets, SimTime::Zero());
    if (actions.empty()) return;
    for (const ScaleAction& a : actions) {
      ReplicaSetState& rs = a.replica_set == stable.name ? stable : canary;
      rs.spec_replicas = rs.replicas = a.replicas;
      rs.available = std::min(rs.available, a.replicas);  // removed pods go at once
    }
    EXPECT_LE(stable.spec_replicas + canary.spec_replicas, max_pods);
    EXPECT_GE(stable.available + canary.available, min_available);
    stable.available = stable.spec_replicas;  // new pods become ready
    canary.available = canary.spec_replicas;
  }
  ADD_FAILURE() << "no convergence in 50 reconciles";
}

// A whole basic-canary update: each setWeight step reaches the table's split within limits.
TEST(ReplicaSplitTest, BasicCanaryWalkRespectsSurgeAndUnavailability) {
  RolloutSpec spec = Canary(10, {10, 41, 45, 100});
  ReplicaSetState stable = Rs("stable", 10, 10, 1);
  ReplicaSetState canary = Rs("canary", 0, 0, 2);
  const CanaryStableCounts expected[] = {{1, 9}, {4, 6}, {5, 6}, {10, 0}};
  for (int32_t step = 0; step < 4; ++step) {
    SCOPED_TRACE(step);
    Converge(spec, Updating(step), stable, canary);
    CanaryReplicaSets sets{.new_rs = &canary, .stable_rs = &stable};
    EXPECT_TRUE(AtDesiredReplicaCounts(spec, Updating(step), sets, std::nullopt));
    EXPECT_EQ((CanaryStableCounts{canary.spec_replicas, stable.spec_replicas}), expected[step]);
  }
}

// Reference 1.8: a basic-canary abort is a rolling update back to the stable (weight 0).
TEST(ReplicaSplitTest, BasicCanaryAbortWalksBackToStable) {
  RolloutSpec spec = Canary(10, {10, 41, 45, 100});
  ReplicaSetState stable = Rs("stable", 6, 6, 1);
  ReplicaSetState canary = Rs("canary", 5, 5, 2);
  RolloutStatus status = Updating(2);
  status.abort = true;
  Converge(spec, status, stable, canary);
  EXPECT_EQ((CanaryStableCounts{canary.spec_replicas, stable.spec_replicas}),
            (CanaryStableCounts{0, 10}));
}

}  // namespace
}  // namespace fleetsim::rollouts
