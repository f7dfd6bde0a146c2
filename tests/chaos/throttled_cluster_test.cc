// The api-throttle decorator: 429 above the rate once client-go's retries (10, one second apart,
// rest.Request maxRetries with the server's Retry-After) are spent.
#include "sim/cluster/throttled_cluster.h"

#include <gtest/gtest.h>

#include "sim/cluster/object_store.h"

namespace fleetsim {
namespace {

class ThrottledClusterTest : public ::testing::Test {
 protected:
  ThrottledClusterTest() : store_("prod-1", sim_, 0), api_(store_), throttled_(api_, sim_) {}

  bool Throttled(const Status& s) {
    return s.message() == ThrottledCluster::TooManyRequests().message();
  }
  Status GetOnce() {
    Result<LiveObject> r = throttled_.Get({"", "ConfigMap", "default", "missing"});
    return r.ok() ? Status::Ok() : r.status();
  }

  Simulator sim_;
  ObjectStore store_;
  InProcessClusterApi api_;
  ThrottledCluster throttled_;
};

TEST_F(ThrottledClusterTest, WithoutALimitEveryCallReachesTheServer) {
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(Throttled(GetOnce()));
}

// 2 qps: a full bucket of 2 plus 10 s of retries (20 more) go through at one instant; the next
// call finds its turn beyond the retry budget.
TEST_F(ThrottledClusterTest, CallsBeyondTheRetryBudgetGet429) {
  throttled_.set_limit(2);
  int passed = 0;
  while (!Throttled(GetOnce())) ++passed;
  EXPECT_EQ(passed, 22);
  EXPECT_EQ(throttled_.rejected(), 1u);
}

TEST_F(ThrottledClusterTest, TheBucketRefillsAndClearingTheLimitEndsIt) {
  throttled_.set_limit(1);
  while (!Throttled(GetOnce())) {
  }
  sim_.At(SimTime::Zero() + SimDuration::Seconds(30), [] {});
  sim_.RunUntil(SimTime::Zero() + SimDuration::Seconds(30));
  EXPECT_FALSE(Throttled(GetOnce()));
  throttled_.set_limit(std::nullopt);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(Throttled(GetOnce()));
}

}  // namespace
}  // namespace fleetsim
