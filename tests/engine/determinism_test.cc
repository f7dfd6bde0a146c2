// The kernel's pieces together: a small model run twice from the same seed must leave the same
// trace digest, and a different seed a different one.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/random.h"
#include "engine/rate_limiter.h"
#include "engine/simulator.h"
#include "engine/timer.h"
#include "engine/trace.h"
#include "engine/work_queue.h"

namespace fleetsim {
namespace {

// Five "apps" refresh on jittered timers; each refresh queues the app on a pool of two workers
// whose service time is random and whose API calls pass a shared token bucket.
uint64_t RunModel(uint64_t seed) {
  Simulator sim;
  Trace trace;
  RandomStream timers_rng(seed, "timers");
  RandomStream work_rng(seed, "work");
  TokenBucket api(5, 3);
  using Pool = ProcessorPool<std::string>;
  Pool pool(sim, 2, [&](const std::string& app, Pool::Completion done) {
    const SimTime start = api.Reserve(sim.now());
    const SimDuration cost =
        work_rng.UniformDuration(SimDuration::Millis(100), SimDuration::Seconds(2));
    trace.Append(TraceRecord{sim.now(), 0, "reconcile", "c1", app, "", "", true});
    sim.At(start + cost, [&, app, done] {
      trace.Append(TraceRecord{sim.now(), 0, "synced", "c1", app, "", "", work_rng.OneIn(3)});
      done();
    });
  });
  std::vector<std::unique_ptr<PeriodicTimer>> refresh;
  for (int i = 0; i < 5; ++i) {
    std::string app = "app-" + std::to_string(i);
    refresh.push_back(std::make_unique<PeriodicTimer>(sim, timers_rng, SimDuration::Seconds(120),
                                                      SimDuration::Seconds(60),
                                                      [&pool, app] { pool.Add(app); }));
    refresh.back()->Start(SimDuration::Seconds(i));
  }
  sim.RunUntil(SimTime::Zero() + SimDuration::Hours(2));
  EXPECT_GT(trace.appended(), 100u);
  return trace.digest();
}

TEST(DeterminismTest, SameSeedSameDigest) { EXPECT_EQ(RunModel(7), RunModel(7)); }

TEST(DeterminismTest, DifferentSeedDifferentDigest) { EXPECT_NE(RunModel(7), RunModel(8)); }

}  // namespace
}  // namespace fleetsim
