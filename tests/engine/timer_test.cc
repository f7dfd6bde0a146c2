#include "engine/timer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

namespace fleetsim {
namespace {

using ::testing::ElementsAre;

constexpr SimDuration kPeriod = SimDuration::Seconds(120);
constexpr SimDuration kJitter = SimDuration::Seconds(60);

TEST(PeriodicTimerTest, FirstFiringIsExactlyTheFirstDelay) {
  Simulator sim;
  RandomStream rng(1, "timer");
  std::vector<SimTime> fired;
  PeriodicTimer timer(sim, rng, kPeriod, kJitter, [&] { fired.push_back(sim.now()); });
  timer.Start(SimDuration::Seconds(5));
  sim.Step();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], SimTime::Zero() + SimDuration::Seconds(5));
}

TEST(PeriodicTimerTest, IntervalsStayWithinPeriodPlusJitter) {
  Simulator sim;
  RandomStream rng(42, "timer");
  std::vector<SimTime> fired;
  PeriodicTimer timer(sim, rng, kPeriod, kJitter, [&] { fired.push_back(sim.now()); });
  timer.Start(SimDuration::Zero());
  while (fired.size() < 2000) sim.Step();
  SimDuration min = SimDuration::Max(), max = SimDuration::Zero();
  for (size_t i = 1; i < fired.size(); ++i) {
    SimDuration gap = fired[i] - fired[i - 1];
    ASSERT_GE(gap, kPeriod);
    ASSERT_LE(gap, kPeriod + kJitter);
    min = std::min(min, gap);
    max = std::max(max, gap);
  }
  // The jitter really varies and spans most of its range.
  EXPECT_LT(min, kPeriod + SimDuration::Seconds(3));
  EXPECT_GT(max, kPeriod + kJitter - SimDuration::Seconds(3));
}

TEST(PeriodicTimerTest, ZeroJitterFiresExactlyEveryPeriod) {
  Simulator sim;
  RandomStream rng(1, "timer");
  std::vector<SimTime> fired;
  PeriodicTimer timer(sim, rng, SimDuration::Seconds(10), SimDuration::Zero(),
                      [&] { fired.push_back(sim.now()); });
  timer.Start(SimDuration::Seconds(10));
  sim.RunUntil(SimTime::Zero() + SimDuration::Seconds(35));
  EXPECT_THAT(fired, ElementsAre(SimTime::FromMicros(10'000'000), SimTime::FromMicros(20'000'000),
                                 SimTime::FromMicros(30'000'000)));
}

TEST(PeriodicTimerTest, StopPreventsFurtherFirings) {
  Simulator sim;
  RandomStream rng(1, "timer");
  int fired = 0;
  PeriodicTimer timer(sim, rng, kPeriod, kJitter, [&] { ++fired; });
  timer.Start(SimDuration::Seconds(1));
  sim.Step();
  timer.Stop();
  EXPECT_FALSE(timer.running());
  sim.RunAll();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(sim.pending(), 0u);
}

TEST(PeriodicTimerTest, CallbackCanStopItsOwnTimer) {
  Simulator sim;
  RandomStream rng(1, "timer");
  int fired = 0;
  std::unique_ptr<PeriodicTimer> timer;
  timer = std::make_unique<PeriodicTimer>(sim, rng, kPeriod, kJitter, [&] {
    if (++fired == 3) timer->Stop();
  });
  timer->Start(SimDuration::Zero());
  sim.RunAll();
  EXPECT_EQ(fired, 3);
}

TEST(PeriodicTimerTest, DestructorCancelsThePendingFiring) {
  Simulator sim;
  RandomStream rng(1, "timer");
  int fired = 0;
  {
    PeriodicTimer timer(sim, rng, kPeriod, kJitter, [&] { ++fired; });
    timer.Start(SimDuration::Seconds(1));
    EXPECT_EQ(sim.pending(), 1u);
  }
  EXPECT_EQ(sim.pending(), 0u);
  sim.RunAll();
  EXPECT_EQ(fired, 0);
}

TEST(PeriodicTimerTest, ResetRestartsThePeriodFromNow) {
  Simulator sim;
  RandomStream rng(1, "timer");
  PeriodicTimer timer(sim, rng, SimDuration::Seconds(100), SimDuration::Zero(), [] {});
  timer.Start(SimDuration::Seconds(100));
  sim.RunUntil(SimTime::Zero() + SimDuration::Seconds(70));
  timer.Reset();
  EXPECT_EQ(timer.next_fire(), SimTime::Zero() + SimDuration::Seconds(170));
  EXPECT_EQ(sim.pending(), 1u);
}

TEST(PeriodicTimerTest, ResetStartsAStoppedTimer) {
  Simulator sim;
  RandomStream rng(1, "timer");
  PeriodicTimer timer(sim, rng, kPeriod, kJitter, [] {});
  EXPECT_FALSE(timer.running());
  timer.Reset();
  EXPECT_TRUE(timer.running());
  ASSERT_TRUE(timer.next_fire().has_value());
  EXPECT_GE(*timer.next_fire(), SimTime::Zero() + kPeriod);
  EXPECT_LE(*timer.next_fire(), SimTime::Zero() + kPeriod + kJitter);
}

TEST(OneShotTimerTest, FiresOnceAtTheDeadline) {
  Simulator sim;
  OneShotTimer timer(sim);
  std::vector<SimTime> fired;
  timer.Arm(SimDuration::Seconds(3), [&] { fired.push_back(sim.now()); });
  EXPECT_TRUE(timer.armed());
  sim.RunAll();
  EXPECT_THAT(fired, ElementsAre(SimTime::FromMicros(3'000'000)));
  EXPECT_FALSE(timer.armed());
}

TEST(OneShotTimerTest, RearmingReplacesThePreviousDeadline) {
  Simulator sim;
  OneShotTimer timer(sim);
  std::vector<int> fired;
  timer.Arm(SimDuration::Seconds(3), [&] { fired.push_back(1); });
  timer.Arm(SimDuration::Seconds(5), [&] { fired.push_back(2); });
  sim.RunAll();
  EXPECT_THAT(fired, ElementsAre(2));
  EXPECT_EQ(sim.now(), SimTime::FromMicros(5'000'000));
}

TEST(OneShotTimerTest, CallbackCanRearm) {
  Simulator sim;
  OneShotTimer timer(sim);
  int fired = 0;
  std::function<void()> on_fire = [&] {
    if (++fired < 3) timer.Arm(SimDuration::Seconds(1), [&] { on_fire(); });
  };
  timer.Arm(SimDuration::Seconds(1), [&] { on_fire(); });
  sim.RunAll();
  EXPECT_EQ(fired, 3);
}

TEST(OneShotTimerTest, DestructorCancels) {
  Simulator sim;
  bool fired = false;
  {
    OneShotTimer timer(sim);
    timer.Arm(SimDuration::Seconds(1), [&] { fired = true; });
  }
  sim.RunAll();
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace fleetsim
