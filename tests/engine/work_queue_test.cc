#include "engine/work_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fleetsim {
namespace {

using ::testing::ElementsAre;

TEST(WorkQueueTest, GetIsFifo) {
  WorkQueue<std::string> q;
  q.Add("a");
  q.Add("b");
  q.Add("c");
  EXPECT_EQ(q.Get(), "a");
  EXPECT_EQ(q.Get(), "b");
  EXPECT_EQ(q.Get(), "c");
  EXPECT_EQ(q.Get(), std::nullopt);
}

TEST(WorkQueueTest, AddingAWaitingKeyAgainQueuesItOnce) {
  WorkQueue<std::string> q;
  EXPECT_TRUE(q.Add("a"));
  EXPECT_FALSE(q.Add("a"));
  EXPECT_EQ(q.Len(), 1u);
  EXPECT_EQ(q.Get(), "a");
  EXPECT_EQ(q.Get(), std::nullopt);
}

TEST(WorkQueueTest, KeyAddedWhileProcessingIsRequeuedOnlyAfterDone) {
  WorkQueue<std::string> q;
  q.Add("a");
  ASSERT_EQ(q.Get(), "a");
  EXPECT_TRUE(q.IsProcessing("a"));
  EXPECT_FALSE(q.Add("a"));
  EXPECT_EQ(q.Len(), 0u);
  EXPECT_EQ(q.Get(), std::nullopt);
  EXPECT_TRUE(q.Done("a"));
  EXPECT_FALSE(q.IsProcessing("a"));
  EXPECT_EQ(q.Len(), 1u);
  EXPECT_EQ(q.Get(), "a");
}

TEST(WorkQueueTest, DoneWithoutReAddDoesNotRequeue) {
  WorkQueue<int> q;
  q.Add(1);
  q.Get();
  EXPECT_FALSE(q.Done(1));
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueueTest, RequeuedKeyGoesToTheBack) {
  WorkQueue<int> q;
  q.Add(1);
  q.Get();
  q.Add(1);
  q.Add(2);
  q.Done(1);
  EXPECT_EQ(q.Get(), 2);
  EXPECT_EQ(q.Get(), 1);
}

TEST(WorkQueueTest, MultipleAddsWhileProcessingRequeueOnce) {
  WorkQueue<int> q;
  q.Add(1);
  q.Get();
  q.Add(1);
  q.Add(1);
  q.Done(1);
  EXPECT_EQ(q.Len(), 1u);
}

SimTime Sec(int64_t s) { return SimTime::Zero() + SimDuration::Seconds(s); }

// uint32_t keys keep their states in a vector indexed by the key instead of a hash table; the
// queue must not be able to tell: the same operations give the same answers as with int keys.
TEST(WorkQueueTest, DenseIdKeysBehaveLikeHashedKeys) {
  WorkQueue<int> hashed;
  WorkQueue<uint32_t> dense;
  uint64_t x = 88172645463325252ULL;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int step = 0; step < 20000; ++step) {
    const uint32_t key = static_cast<uint32_t>(next() % 40);
    const auto k = static_cast<int>(key);
    switch (next() % 4) {
      case 0:
      case 1:
        ASSERT_EQ(hashed.Add(k, Sec(step)), dense.Add(key, Sec(step))) << step;
        break;
      case 2: {
        SimTime a, b;
        std::optional<int> h = hashed.Get(&a);
        std::optional<uint32_t> d = dense.Get(&b);
        ASSERT_EQ(h.has_value(), d.has_value()) << step;
        if (h) {
          ASSERT_EQ(static_cast<uint32_t>(*h), *d) << step;
          ASSERT_EQ(a, b) << step;
        }
        break;
      }
      default:
        ASSERT_EQ(hashed.Done(k), dense.Done(key)) << step;
    }
    ASSERT_EQ(hashed.Len(), dense.Len());
    ASSERT_EQ(hashed.processing(), dense.processing());
    ASSERT_EQ(hashed.IsDirty(k), dense.IsDirty(key));
    ASSERT_EQ(hashed.IsProcessing(k), dense.IsProcessing(key));
  }
}

using Pool = ProcessorPool<int>;

// A pool whose every item takes `cost` of virtual time, recording start times and concurrency.
struct Harness {
  explicit Harness(int workers, SimDuration cost = SimDuration::Seconds(1))
      : pool(sim, workers, [this, cost](const int& key, Pool::Completion done) {
          started.push_back(key);
          start_times.push_back(sim.now());
          max_busy = std::max(max_busy, pool.busy());
          sim.After(cost, [done] { done(); });
        }) {}
  Simulator sim;
  std::vector<int> started;
  std::vector<SimTime> start_times;
  int max_busy = 0;
  Pool pool;
};

TEST(ProcessorPoolTest, NeverExceedsItsWorkers) {
  Harness h(3);
  for (int i = 0; i < 20; ++i) h.pool.Add(i);
  h.sim.RunAll();
  EXPECT_EQ(h.max_busy, 3);
  EXPECT_EQ(h.started.size(), 20u);
  EXPECT_EQ(h.pool.stats().items_processed(), 20u);
  EXPECT_EQ(h.sim.now(), Sec(7));  // ceil(20 / 3) rounds of 1 s
}

TEST(ProcessorPoolTest, StartsInFifoOrder) {
  Harness h(1);
  for (int i : {5, 3, 9}) h.pool.Add(i);
  h.sim.RunAll();
  EXPECT_THAT(h.started, ElementsAre(5, 3, 9));
  EXPECT_THAT(h.start_times, ElementsAre(Sec(0), Sec(1), Sec(2)));
}

TEST(ProcessorPoolTest, KeyReAddedWhileProcessingRunsAgainAfterwards) {
  Harness h(4);
  h.pool.Add(1);
  h.sim.RunUntil(SimTime::FromMicros(500'000));
  ASSERT_EQ(h.pool.busy(), 1);
  h.pool.Add(1);  // dirty: must not start on a second worker
  h.sim.RunAll();
  EXPECT_THAT(h.started, ElementsAre(1, 1));
  EXPECT_THAT(h.start_times, ElementsAre(Sec(0), Sec(1)));
  EXPECT_EQ(h.max_busy, 1);
}

TEST(ProcessorPoolTest, CompletionCalledTwiceIsHarmless) {
  Simulator sim;
  std::vector<Pool::Completion> dones;
  Pool pool(sim, 1, [&](const int&, Pool::Completion done) { dones.push_back(done); });
  pool.Add(1);
  pool.Add(2);
  sim.RunAll();
  ASSERT_EQ(dones.size(), 1u);
  dones[0]();
  dones[0]();
  sim.RunAll();
  EXPECT_EQ(dones.size(), 2u);
  EXPECT_EQ(pool.busy(), 1);
  EXPECT_EQ(pool.stats().items_processed(), 1u);
}

TEST(ProcessorPoolTest, GrowingWorkersStartsWaitingItems) {
  Harness h(1);
  for (int i = 0; i < 4; ++i) h.pool.Add(i);
  h.sim.RunUntil(SimTime::FromMicros(1));
  EXPECT_EQ(h.pool.busy(), 1);
  h.pool.set_workers(3);
  h.sim.RunUntil(SimTime::FromMicros(2));
  EXPECT_EQ(h.pool.busy(), 3);
}

TEST(ProcessorPoolTest, ShrinkingWorkersLetsBusyOnesFinish) {
  Harness h(4);
  for (int i = 0; i < 8; ++i) h.pool.Add(i);
  h.sim.RunUntil(SimTime::FromMicros(1));
  h.pool.set_workers(1);
  EXPECT_EQ(h.pool.busy(), 4);
  h.sim.RunAll();
  EXPECT_EQ(h.sim.now(), Sec(5));  // 4 in the first second, then one at a time
  EXPECT_EQ(h.max_busy, 4);
}

TEST(ProcessorPoolTest, WaitStatistics) {
  Harness h(1);
  for (int i = 0; i < 4; ++i) h.pool.Add(i);  // waits 0, 1, 2, 3 s
  h.sim.RunAll();
  const PoolStats& s = h.pool.stats();
  EXPECT_EQ(s.wait_count(), 4u);
  EXPECT_EQ(s.wait_total(), SimDuration::Seconds(6));
  EXPECT_EQ(s.wait_max(), SimDuration::Seconds(3));
  EXPECT_EQ(s.WaitPercentile(0.5), SimDuration::Seconds(1));
  EXPECT_EQ(s.WaitPercentile(1.0), SimDuration::Seconds(3));
  EXPECT_EQ(s.max_queue_length(), 4u);
}

TEST(ProcessorPoolTest, WaitOfADirtyKeyCountsFromItsAdd) {
  Harness h(2);
  h.pool.Add(1);
  h.sim.RunUntil(SimTime::FromMicros(250'000));
  h.pool.Add(1);  // waits until the first run ends at 1 s
  h.sim.RunAll();
  EXPECT_EQ(h.pool.stats().wait_max(), SimDuration::Millis(750));
}

TEST(ProcessorPoolTest, TimeWeightedQueueLengthAndUtilisation) {
  Harness h(1);
  h.pool.Add(1);
  h.pool.Add(2);  // queue: 2 for an instant, then 1 for 1 s, then 0
  h.sim.RunAll();
  h.sim.RunUntil(Sec(4));
  const PoolStats& s = h.pool.stats();
  EXPECT_DOUBLE_EQ(s.mean_queue_length(h.sim.now()), 0.25);  // 1 item-second over 4 s
  EXPECT_EQ(s.busy_time(h.sim.now()), SimDuration::Seconds(2));
  EXPECT_DOUBLE_EQ(s.utilisation(h.sim.now()), 0.5);
}

TEST(ProcessorPoolTest, DestructorCancelsAPendingDispatch) {
  Simulator sim;
  {
    Pool pool(sim, 1, [](const int&, Pool::Completion) {});
    pool.Add(1);
    EXPECT_EQ(sim.pending(), 1u);
  }
  EXPECT_EQ(sim.pending(), 0u);
}

TEST(ProcessorPoolTest, ZeroWorkersPausesThePool) {
  Harness h(0);
  h.pool.Add(1);
  h.sim.RunAll();
  EXPECT_TRUE(h.started.empty());
  EXPECT_EQ(h.pool.Len(), 1u);
  h.pool.set_workers(1);
  h.sim.RunAll();
  EXPECT_THAT(h.started, ElementsAre(1));
}

}  // namespace
}  // namespace fleetsim
