// Benchmarks of the discrete-event kernel.
//
// Hold: the classic event-queue benchmark. N events are pending; each step pops the earliest and
// pushes one at its time plus an exponentially distributed increment, so the queue stays at N.
// BM_HoldEngine runs real Simulator::Step()s whose handlers reschedule themselves; BM_HoldBaseline
// does the same with a bare std::priority_queue of (time, sequence) pairs, the floor any engine
// with handlers, cancellation and a total order is measured against.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "engine/random.h"
#include "engine/rate_limiter.h"
#include "engine/simulator.h"
#include "engine/work_queue.h"

namespace fleetsim {
namespace {

constexpr size_t kIncrements = size_t{1} << 16;
constexpr size_t kIncrementMask = kIncrements - 1;

// Pre-drawn increments (mean 1 ms) so that both hold variants pay nothing for randomness.
const std::vector<int64_t>& Increments() {
  static const std::vector<int64_t> increments = [] {
    RandomStream rng(1, "bench/hold");
    std::vector<int64_t> v(kIncrements);
    for (int64_t& x : v) x = static_cast<int64_t>(rng.Exponential(1000.0));
    return v;
  }();
  return increments;
}

struct HoldState {
  Simulator* sim;
  const int64_t* increments;
  size_t next = 0;
  int64_t NextIncrement() { return increments[next++ & kIncrementMask]; }
};

// The handler of every hold event: reschedules itself one increment later. 8 bytes, inline.
struct Reschedule {
  HoldState* state;
  void operator()() const {
    state->sim->After(SimDuration::Micros(state->NextIncrement()), Reschedule{state});
  }
};

void BM_HoldEngine(benchmark::State& state) {
  Simulator sim;
  HoldState hold{&sim, Increments().data()};
  for (int64_t i = 0; i < state.range(0); ++i) {
    sim.At(SimTime::FromMicros(hold.NextIncrement()), Reschedule{&hold});
  }
  for (auto _ : state) sim.Step();
  state.SetItemsProcessed(state.iterations());
}

void BM_HoldBaseline(benchmark::State& state) {
  using Item = std::pair<int64_t, uint64_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  const int64_t* increments = Increments().data();
  size_t next = 0;
  uint64_t seq = 0;
  for (int64_t i = 0; i < state.range(0); ++i) {
    queue.emplace(increments[next++ & kIncrementMask], seq++);
  }
  for (auto _ : state) {
    Item top = queue.top();
    queue.pop();
    benchmark::DoNotOptimize(top);
    queue.emplace(top.first + increments[next++ & kIncrementMask], seq++);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_HoldEngine)->Arg(10)->Arg(1000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_HoldBaseline)->Arg(10)->Arg(1000)->Arg(100'000)->Arg(1'000'000);

// Schedule-then-cancel with N other events pending (a timer re-armed before it fires).
void BM_ScheduleCancel(benchmark::State& state) {
  Simulator sim;
  const int64_t* increments = Increments().data();
  size_t next = 0;
  for (int64_t i = 0; i < state.range(0); ++i) {
    sim.At(SimTime::FromMicros(increments[next++ & kIncrementMask]), [] {});
  }
  for (auto _ : state) {
    EventId id = sim.After(SimDuration::Micros(increments[next++ & kIncrementMask]), [] {});
    benchmark::DoNotOptimize(sim.Cancel(id));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScheduleCancel)->Arg(100'000);

// A ProcessorPool of 20 workers draining batches of 1000 keys with a constant service time.
void BM_ProcessorPool(benchmark::State& state) {
  constexpr int kBatch = 1000;
  Simulator sim;
  using Pool = ProcessorPool<int>;
  Pool pool(sim, 20, [&sim](const int&, Pool::Completion done) {
    sim.After(SimDuration::Millis(10), [done] { done(); });
  });
  for (auto _ : state) {
    for (int key = 0; key < kBatch; ++key) pool.Add(key);
    sim.RunAll();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_ProcessorPool);

void BM_TokenBucketReserve(benchmark::State& state) {
  TokenBucket bucket(50, 100);
  int64_t now = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bucket.Reserve(SimTime::FromMicros(now)));
    now += 15'000;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TokenBucketReserve);

}  // namespace
}  // namespace fleetsim

BENCHMARK_MAIN();
