#include "sim/argocd/comparison.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/argocd/tracking.h"
#include "tests/argocd/test_objects.h"

namespace fleetsim {
namespace {

using testing::FromYaml;

constexpr char kApp[] = "web";
constexpr char kNamespace[] = "shop";

std::vector<ObjectPtr> Rendered(const std::string& replicas) {
  return FromYaml(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: " +
      replicas +
      "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n");
}

// The live state as a sync of `targets` leaves it.
std::map<ObjectKey, LiveObject> LiveOf(const std::vector<ObjectPtr>& targets) {
  std::map<ObjectKey, LiveObject> live;
  for (const ObjectPtr& t : targets) {
    ObjectPtr applied = PrepareTarget(*t, kApp, kNamespace, true);
    live[applied->key()] = LiveObject{.object = applied};
  }
  return live;
}

CompareInputs Inputs(const std::vector<ObjectPtr>* targets,
                     const std::map<ObjectKey, LiveObject>* live, uint64_t live_version) {
  CompareInputs in;
  in.app = kApp;
  in.app_key = ObjectKey{"argoproj.io", "Application", "argocd", kApp};
  in.dest_namespace = kNamespace;
  in.targets = targets;
  in.live = live;
  in.live_version = live_version;
  return in;
}

void ExpectSameOutcome(const ComparisonResult& a, const ComparisonResult& b) {
  EXPECT_EQ(a.sync, b.sync);
  EXPECT_EQ(a.health.code, b.health.code);
  ASSERT_EQ(a.resources.size(), b.resources.size());
  for (size_t i = 0; i < a.resources.size(); ++i) {
    EXPECT_EQ(a.resources[i].key, b.resources[i].key);
    EXPECT_EQ(a.resources[i].status, b.resources[i].status);
    EXPECT_EQ(a.resources[i].modified, b.resources[i].modified);
    EXPECT_EQ(a.resources[i].requires_pruning, b.resources[i].requires_pruning);
    EXPECT_EQ(a.resources[i].target == nullptr, b.resources[i].target == nullptr);
    if (a.resources[i].target && b.resources[i].target) {
      EXPECT_EQ(a.resources[i].target->doc(), b.resources[i].target->doc());
    }
  }
}

TEST(RecompareAppStateTest, SameInputsLeaveTheResultAsItIs) {
  std::vector<ObjectPtr> targets = Rendered("2");
  std::map<ObjectKey, LiveObject> live = LiveOf(targets);
  ComparisonResult result;
  EXPECT_TRUE(RecompareAppState(Inputs(&targets, &live, 7), &result));
  EXPECT_EQ(result.sync, SyncStatusCode::kSynced);
  const ObjectPtr prepared = result.resources.front().target;
  EXPECT_FALSE(RecompareAppState(Inputs(&targets, &live, 7), &result));
  EXPECT_FALSE(RecompareAppState(Inputs(&targets, &live, 0), &result));  // checked by reading
  EXPECT_EQ(result.resources.front().target, prepared);
}

TEST(RecompareAppStateTest, ALiveChangeComparesLikeAFreshComparison) {
  std::vector<ObjectPtr> targets = Rendered("2");
  std::map<ObjectKey, LiveObject> live = LiveOf(targets);
  ComparisonResult result;
  RecompareAppState(Inputs(&targets, &live, 1), &result);
  const ObjectPtr prepared = result.resources.back().target;  // the Deployment's
  // Someone scales the Deployment by hand; the ConfigMap is deleted.
  std::map<ObjectKey, LiveObject> drifted = LiveOf(Rendered("1"));
  drifted.erase(drifted.begin());  // the ConfigMap (core group sorts first)
  EXPECT_TRUE(RecompareAppState(Inputs(&targets, &drifted, 2), &result));
  ExpectSameOutcome(result, CompareAppState(Inputs(&targets, &drifted, 0)));
  EXPECT_EQ(result.sync, SyncStatusCode::kOutOfSync);
  // The rendered objects did not change, so neither did what was prepared from them.
  EXPECT_EQ(result.resources.back().target, prepared);
}

TEST(RecompareAppStateTest, NewTargetsCompareLikeAFreshComparison) {
  std::vector<ObjectPtr> targets = Rendered("2");
  std::map<ObjectKey, LiveObject> live = LiveOf(targets);
  ComparisonResult result;
  RecompareAppState(Inputs(&targets, &live, 1), &result);
  std::vector<ObjectPtr> next = Rendered("3");
  EXPECT_TRUE(RecompareAppState(Inputs(&next, &live, 1), &result));
  ExpectSameOutcome(result, CompareAppState(Inputs(&next, &live, 0)));
  EXPECT_EQ(result.sync, SyncStatusCode::kOutOfSync);
}

// A settled app's comparison keeps no prepared documents: every outcome stays, the targets come
// back identical for a sync, and a later comparison prepares again what it needs.
TEST(ReleasePreparedTest, OutcomeStaysAndTargetsComeBackIdentical) {
  std::vector<ObjectPtr> targets = Rendered("2");
  std::map<ObjectKey, LiveObject> live = LiveOf(targets);
  ComparisonResult result;
  RecompareAppState(Inputs(&targets, &live, 1), &result);
  const ComparisonResult before = result;
  ReleasePrepared(&result);
  EXPECT_TRUE(result.released);
  for (const ResourceStatus& r : result.resources) {
    EXPECT_EQ(r.target, nullptr);
    EXPECT_NE(r.prepared_index, ResourceStatus::kNoTarget);
  }
  EXPECT_EQ(result.sync, before.sync);
  EXPECT_EQ(result.health.code, before.health.code);
  // The same inputs still leave it as it is.
  EXPECT_FALSE(RecompareAppState(Inputs(&targets, &live, 1), &result));
  RestorePrepared(&result);
  EXPECT_FALSE(result.released);
  ExpectSameOutcome(result, before);
}

TEST(ReleasePreparedTest, ALaterComparisonPreparesAgain) {
  std::vector<ObjectPtr> targets = Rendered("2");
  std::map<ObjectKey, LiveObject> live = LiveOf(targets);
  ComparisonResult result;
  RecompareAppState(Inputs(&targets, &live, 1), &result);
  ReleasePrepared(&result);
  std::map<ObjectKey, LiveObject> drifted = LiveOf(Rendered("1"));
  EXPECT_TRUE(RecompareAppState(Inputs(&targets, &drifted, 2), &result));
  EXPECT_FALSE(result.released);
  ExpectSameOutcome(result, CompareAppState(Inputs(&targets, &drifted, 0)));
  EXPECT_EQ(result.sync, SyncStatusCode::kOutOfSync);
}

}  // namespace
}  // namespace fleetsim
