#include "engine/simulator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fleetsim {
namespace {

using ::testing::ElementsAre;

SimTime T(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

TEST(SimulatorTest, TypicalHandlersNeedNoHeapAllocation) {
  struct Model {};
  Model* model = nullptr;
  std::function<void()> callback;
  int64_t a = 0, b = 0;
  auto pointers_and_ints = [model, a, b] { (void)model, (void)a, (void)b; };
  auto function_and_pointers = [callback, model, &a] { (void)callback, (void)model, (void)a; };
  EXPECT_TRUE(Handler::FitsInline<decltype(pointers_and_ints)>());
  EXPECT_TRUE(Handler::FitsInline<decltype(function_and_pointers)>());
}

TEST(SimulatorTest, RunsEventsInTimeOrder) {
  Simulator sim;
  std::vector<int> order;
  sim.At(T(3), [&] { order.push_back(3); });
  sim.At(T(1), [&] { order.push_back(1); });
  sim.At(T(2), [&] { order.push_back(2); });
  sim.RunAll();
  EXPECT_THAT(order, ElementsAre(1, 2, 3));
}

TEST(SimulatorTest, EqualTimesRunInInsertionOrder) {
  Simulator sim;
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) sim.At(T(5), [&order, i] { order.push_back(i); });
  sim.RunAll();
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
}

TEST(SimulatorTest, StepAdvancesNowToTheEventTime) {
  Simulator sim;
  SimTime seen;
  sim.At(T(7), [&] { seen = sim.now(); });
  EXPECT_TRUE(sim.Step());
  EXPECT_EQ(seen, T(7));
  EXPECT_EQ(sim.now(), T(7));
  EXPECT_FALSE(sim.Step());
  EXPECT_EQ(sim.events_processed(), 1u);
}

TEST(SimulatorTest, HandlerSchedulingAtNowRunsAfterEventsAlreadyPendingAtNow) {
  Simulator sim;
  std::vector<std::string> order;
  sim.At(T(1), [&] {
    order.push_back("a");
    sim.After(SimDuration::Zero(), [&] { order.push_back("a-child"); });
  });
  sim.At(T(1), [&] { order.push_back("b"); });
  sim.RunAll();
  EXPECT_THAT(order, ElementsAre("a", "b", "a-child"));
  EXPECT_EQ(sim.now(), T(1));
}

TEST(SimulatorTest, CancelledEventNeverRuns) {
  Simulator sim;
  bool ran = false;
  EventId id = sim.At(T(1), [&] { ran = true; });
  EXPECT_TRUE(sim.Cancel(id));
  sim.RunAll();
  EXPECT_FALSE(ran);
  EXPECT_EQ(sim.events_processed(), 0u);
}

TEST(SimulatorTest, CancellingTwiceReturnsFalse) {
  Simulator sim;
  EventId id = sim.At(T(1), [] {});
  EXPECT_TRUE(sim.Cancel(id));
  EXPECT_FALSE(sim.Cancel(id));
}

TEST(SimulatorTest, CancellingAFiredEventReturnsFalse) {
  Simulator sim;
  EventId id = sim.At(T(1), [] {});
  sim.RunAll();
  EXPECT_FALSE(sim.Cancel(id));
}

TEST(SimulatorTest, CancelOfInvalidIdsReturnsFalse) {
  Simulator sim;
  EXPECT_FALSE(sim.Cancel(0));
  EXPECT_FALSE(sim.Cancel(12345));
}

TEST(SimulatorTest, StaleIdDoesNotCancelTheEventReusingItsSlot) {
  Simulator sim;
  EventId old_id = sim.At(T(1), [] {});
  sim.RunAll();
  bool ran = false;
  EventId new_id = sim.At(T(2), [&] { ran = true; });
  EXPECT_NE(new_id, old_id);
  EXPECT_FALSE(sim.Cancel(old_id));
  sim.RunAll();
  EXPECT_TRUE(ran);
}

TEST(SimulatorTest, HandlerCanCancelALaterEventAtTheSameTime) {
  Simulator sim;
  bool second_ran = false;
  EventId second = 0;
  sim.At(T(1), [&] { EXPECT_TRUE(sim.Cancel(second)); });
  second = sim.At(T(1), [&] { second_ran = true; });
  sim.RunAll();
  EXPECT_FALSE(second_ran);
}

TEST(SimulatorTest, RunningEventCannotCancelItself) {
  Simulator sim;
  EventId self = 0;
  bool cancelled = true;
  self = sim.At(T(1), [&] { cancelled = sim.Cancel(self); });
  sim.RunAll();
  EXPECT_FALSE(cancelled);
}

TEST(SimulatorTest, PendingAndNextTimeIgnoreCancelledEvents) {
  Simulator sim;
  EventId first = sim.At(T(1), [] {});
  sim.At(T(2), [] {});
  EXPECT_EQ(sim.pending(), 2u);
  EXPECT_EQ(sim.next_time(), T(1));
  sim.Cancel(first);
  EXPECT_EQ(sim.pending(), 1u);
  EXPECT_EQ(sim.next_time(), T(2));
}

TEST(SimulatorTest, NextTimeIsEmptyWhenNothingPending) {
  Simulator sim;
  EXPECT_FALSE(sim.next_time().has_value());
}

TEST(SimulatorTest, RunUntilRunsEventsAtTheEndInclusiveAndStopsThere) {
  Simulator sim;
  std::vector<int> ran;
  sim.At(T(5), [&] { ran.push_back(5); });
  sim.At(T(10), [&] { ran.push_back(10); });
  sim.At(T(11), [&] { ran.push_back(11); });
  sim.RunUntil(T(10));
  EXPECT_THAT(ran, ElementsAre(5, 10));
  EXPECT_EQ(sim.now(), T(10));
  EXPECT_EQ(sim.pending(), 1u);
}

TEST(SimulatorTest, RunUntilAdvancesTimeWithoutEvents) {
  Simulator sim;
  sim.RunUntil(T(30));
  EXPECT_EQ(sim.now(), T(30));
}

TEST(SimulatorTest, RunUntilRunsEventsScheduledMeanwhileUpToTheEnd) {
  Simulator sim;
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    sim.After(SimDuration::Seconds(1), [&] { tick(); });
  };
  sim.At(T(0), [&] { tick(); });
  sim.RunUntil(T(10));
  EXPECT_EQ(ticks, 11);  // t = 0..10
  EXPECT_EQ(sim.now(), T(10));
}

TEST(SimulatorTest, RunUntilAnEarlierTimeDoesNothing) {
  Simulator sim;
  sim.RunUntil(T(10));
  sim.At(T(12), [] {});
  sim.RunUntil(T(5));
  EXPECT_EQ(sim.now(), T(10));
  EXPECT_EQ(sim.pending(), 1u);
}

TEST(SimulatorTest, AfterSaturatesAtMaxTime) {
  Simulator sim;
  sim.RunUntil(T(1));
  sim.After(SimDuration::Max(), [] {});
  EXPECT_EQ(sim.next_time(), SimTime::Max());
}

TEST(SimulatorTest, DestroyingSimulatorDestroysPendingHandlers) {
  auto token = std::make_shared<int>(0);
  {
    Simulator sim;
    sim.At(T(1), [token] {});
    EXPECT_EQ(token.use_count(), 2);
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(SimulatorTest, CancelDestroysTheHandlerAtOnce) {
  auto token = std::make_shared<int>(0);
  Simulator sim;
  EventId id = sim.At(T(1), [token] {});
  sim.Cancel(id);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(SimulatorTest, RenumberingSequencesKeepsInsertionOrder) {
  Simulator sim;
  std::vector<int> order;
  sim.At(T(2), [&] { order.push_back(0); });
  EventId cancelled = sim.At(T(2), [&] { order.push_back(-1); });
  sim.SetNextSequenceForTesting((uint64_t{1} << 40) - 2);  // the next At renumbers
  sim.At(T(2), [&] { order.push_back(1); });
  sim.At(T(1), [&] { order.push_back(2); });
  sim.At(T(2), [&] { order.push_back(3); });
  EXPECT_TRUE(sim.Cancel(cancelled));
  sim.SetNextSequenceForTesting(uint64_t{1} << 40);
  sim.At(T(2), [&] { order.push_back(4); });
  sim.RunAll();
  EXPECT_THAT(order, ElementsAre(2, 0, 1, 3, 4));
}

// A planner that reserves sequences and hands its events over one at a time gets exactly the
// order it would have had by scheduling them all at the reservation, ties included.
TEST(SimulatorTest, ReservedSequencesRunWhereEventsScheduledAtTheReservationWould) {
  auto run = [](bool reserved) {
    Simulator sim;
    std::vector<int> order;
    sim.At(T(5), [&] { order.push_back(100); });  // before the reservation: runs first at t=5
    const std::vector<int64_t> times = {7, 5, 5, 9};
    if (reserved) {
      const uint64_t first = sim.ReserveSequences(times.size());
      // Handed over out of order and late, from other events.
      sim.At(T(1), [&sim, &order, first] {
        sim.AtReserved(T(5), first + 2, [&order] { order.push_back(2); });
        sim.AtReserved(T(9), first + 3, [&order] { order.push_back(3); });
      });
      sim.At(T(2), [&sim, &order, first] {
        sim.AtReserved(T(5), first + 1, [&order] { order.push_back(1); });
        sim.AtReserved(T(7), first, [&order] { order.push_back(0); });
      });
    } else {
      for (size_t i = 0; i < times.size(); ++i) {
        sim.At(T(times[i]), [&order, i] { order.push_back(static_cast<int>(i)); });
      }
      sim.At(T(1), [] {});
      sim.At(T(2), [] {});
    }
    sim.At(T(5), [&] { order.push_back(200); });  // after the reservation: runs last at t=5
    sim.RunAll();
    return std::make_pair(order, sim.events_processed());
  };
  auto [plain, plain_events] = run(false);
  auto [planned, planned_events] = run(true);
  EXPECT_THAT(plain, ElementsAre(100, 1, 2, 200, 0, 3));
  EXPECT_EQ(planned, plain);
  EXPECT_EQ(planned_events, plain_events);
}

TEST(SimulatorTest, ReservingPastTheSequenceLimitRenumbersFirst) {
  Simulator sim;
  std::vector<int> order;
  sim.At(T(3), [&] { order.push_back(0); });
  sim.SetNextSequenceForTesting((uint64_t{1} << 40) - 2);
  EXPECT_EQ(sim.renumberings(), 0u);
  const uint64_t first = sim.ReserveSequences(4);
  EXPECT_EQ(sim.renumberings(), 1u);
  sim.At(T(3), [&] { order.push_back(2); });
  sim.AtReserved(T(3), first, [&] { order.push_back(1); });
  sim.RunAll();
  EXPECT_THAT(order, ElementsAre(0, 1, 2));
}

TEST(SimulatorTest, CancellingMostEventsKeepsTheSurvivorsInOrder) {
  Simulator sim;
  std::vector<int> ran;
  std::vector<EventId> ids;
  for (int i = 0; i < 1000; ++i) {
    ids.push_back(sim.At(T(1000 - i % 500), [&ran, i] { ran.push_back(i); }));
  }
  for (int i = 0; i < 1000; ++i) {
    if (i % 10 != 0) {
      EXPECT_TRUE(sim.Cancel(ids[static_cast<size_t>(i)]));
    }
  }
  EXPECT_EQ(sim.pending(), 100u);
  sim.RunAll();
  // Times 1000 - i % 500: larger i % 500 first; equal times (i and i + 500) in insertion order.
  std::vector<int> expected;
  for (int r = 490; r >= 0; r -= 10) {
    expected.push_back(r);
    expected.push_back(r + 500);
  }
  EXPECT_EQ(ran, expected);
}

// Interleaved scheduling and cancelling against a simple reference model: the survivors must run
// in (time, insertion) order, whatever the heap's internal compaction does.
TEST(SimulatorTest, ManyCancellationsKeepTheTotalOrder) {
  Simulator sim;
  std::vector<int> ran;
  std::vector<std::pair<int64_t, int>> expected;  // (time, index) of survivors
  std::vector<EventId> ids;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 5000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    int64_t t = static_cast<int64_t>(x % 100);
    ids.push_back(sim.At(T(t), [&ran, i] { ran.push_back(i); }));
    expected.emplace_back(t, i);
  }
  std::vector<bool> cancelled(ids.size(), false);
  for (size_t i = 0; i < ids.size(); i += 3) {
    EXPECT_TRUE(sim.Cancel(ids[i]));
    cancelled[i] = true;
  }
  EXPECT_EQ(sim.pending(), 5000u - 1667u);
  std::vector<std::pair<int64_t, int>> survivors;
  for (const auto& e : expected) {
    if (!cancelled[static_cast<size_t>(e.second)]) survivors.push_back(e);
  }
  std::stable_sort(survivors.begin(), survivors.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  sim.RunAll();
  ASSERT_EQ(ran.size(), survivors.size());
  for (size_t i = 0; i < ran.size(); ++i) EXPECT_EQ(ran[i], survivors[i].second) << i;
}

// Events scheduled at now() wait in a queue beside the heap; the run order must stay the one total
// order (time, insertion sequence) whatever handlers do: zero-delay follow-ups, later events,
// events at reserved (older) sequences, and cancellations of pending events of either kind. A
// reference model (a sorted set of (time, sequence)) says what that order is.
TEST(SimulatorTest, ZeroDelayFollowUpsKeepTheTotalOrder) {
  Simulator sim;
  std::set<std::pair<int64_t, uint64_t>> model;         // pending (time, sequence)
  std::map<uint64_t, std::pair<EventId, int64_t>> ids;  // (id, time) by sequence
  std::vector<uint64_t> reserved;                       // sequences reserved and not used yet
  uint64_t next_seq = 1;                                // mirrors the simulator's sequences
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  auto draw = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  int ran = 0;
  std::function<void(uint64_t)> run;
  auto add = [&](int64_t delay_us, std::optional<uint64_t> at_seq) {
    const SimTime t = sim.now() + SimDuration::Micros(delay_us);
    const uint64_t seq = at_seq ? *at_seq : next_seq++;
    Handler h = [&run, seq] { run(seq); };
    ids[seq] = {at_seq ? sim.AtReserved(t, seq, std::move(h)) : sim.At(t, std::move(h)),
                t.micros()};
    model.emplace(t.micros(), seq);
  };
  run = [&](uint64_t seq) {
    ++ran;
    ASSERT_FALSE(model.empty());
    EXPECT_EQ(model.begin()->second, seq) << "event " << ran;
    EXPECT_EQ(model.begin()->first, sim.now().micros());
    model.erase(model.begin());
    ids.erase(seq);
    if (ran > 5000) return;
    for (uint64_t k = draw(3); k > 0; --k) add(0, std::nullopt);  // zero-delay follow-ups
    if (draw(2) == 0) add(static_cast<int64_t>(draw(4)), std::nullopt);
    if (draw(4) == 0) {
      const uint64_t first = sim.ReserveSequences(3);
      for (uint64_t i = 0; i < 3; ++i) reserved.push_back(first + i);
      next_seq += 3;
    }
    if (!reserved.empty() && draw(3) == 0) {  // an older sequence, at now() or later
      const size_t i = draw(reserved.size());
      const uint64_t s = reserved[i];
      reserved.erase(reserved.begin() + static_cast<std::ptrdiff_t>(i));
      add(static_cast<int64_t>(draw(2)), s);
    }
    if (!ids.empty() && draw(3) == 0) {  // cancel a pending event, often one queued at now()
      auto it = ids.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(draw(ids.size())));
      EXPECT_TRUE(sim.Cancel(it->second.first));
      model.erase({it->second.second, it->first});
      ids.erase(it);
    }
  };
  for (int i = 0; i < 4; ++i) add(i, std::nullopt);
  sim.RunAll();
  EXPECT_GT(ran, 5000);
  EXPECT_TRUE(model.empty());
  EXPECT_EQ(sim.pending(), 0u);
}

}  // namespace
}  // namespace fleetsim
