// Seeded, named random streams. A run has one seed; every component draws from its own stream,
// named after it ("cluster/prod-1", "chaos"), whose state derives only from (run seed, name), so
// adding a stream or drawing more from one never shifts another's draws.
//
// The generator is xoshiro256** seeded through SplitMix64; range functions are hand-written (no
// std::*_distribution, whose output differs between standard libraries), so a seed gives the same
// draws on every platform with IEEE doubles (Exponential also relies on the libm's log1p).
#ifndef FLEETSIM_ENGINE_RANDOM_H_
#define FLEETSIM_ENGINE_RANDOM_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "engine/sim_time.h"

namespace fleetsim {

// A well-mixed seed for run k of a sweep with base seed `base`: a pure function of (base, k), so
// results do not depend on how runs are split between machines.
uint64_t DeriveSeed(uint64_t base, uint64_t k);

// 64-bit FNV-1a of s. Stable across platforms and releases; used to turn names into seeds.
uint64_t HashName(std::string_view s);

class RandomStream {
 public:
  RandomStream(uint64_t run_seed, std::string_view name);

  // Uniform over all 64-bit values.
  uint64_t NextU64();
  // Uniform over [lo, hi], both included, without modulo bias. REQUIRES: lo <= hi. Usually one
  // draw (rarely more); none when lo == hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  // Uniform over [0, 1) with 53 random bits. One draw.
  double UniformReal();
  // Uniform over [lo, hi). One draw.
  double UniformReal(double lo, double hi);
  // True with probability p (clamped to [0, 1]). Always one draw, whatever p.
  bool Bernoulli(double p);
  // Exponentially distributed with the given mean (>= 0). One draw.
  double Exponential(double mean);
  // Uniform over [lo, hi] to the microsecond, both included; draws like UniformInt.
  // REQUIRES: lo <= hi.
  SimDuration UniformDuration(SimDuration lo, SimDuration hi);
  // True with probability 1/n. REQUIRES: n >= 1.
  bool OneIn(int n);

  // A stream for a sub-component. It depends only on this stream's (seed, name) and on child, not
  // on how much has been drawn from this stream; forks with different names are independent.
  RandomStream Fork(std::string_view child) const;

 private:
  explicit RandomStream(uint64_t key);

  uint64_t key_;  // identity of the stream: hash of (run seed, name path)
  std::array<uint64_t, 4> s_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_RANDOM_H_
