// What a sweep runs (DESIGN.md "Sweeps and scale-out"): every combination of the --set value
// lists crossed with every seed, numbered so that any split between processes or machines runs
// the same runs with the same seeds.
//
// Runs are numbered seed-major: run r has seed index r / C and combination r % C (C
// combinations), so an interrupted sweep has covered every combination about evenly. The seed of
// seed index k is DeriveSeed(base, k) (engine/random.h) for `--runs K [--seed S]`, or A + k for
// `--seeds A..B`; a run's seed therefore depends only on (base, k), never on sharding or jobs.
#ifndef FLEETSIM_SIM_CLI_SWEEP_PLAN_H_
#define FLEETSIM_SIM_CLI_SWEEP_PLAN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace fleetsim {

// One `--set PATH=V1,V2,...` argument. Values are split at commas outside single or double
// quotes (the quotes stay: the value is read as YAML, as `run --set` reads it).
struct SweepParameter {
  std::string path;
  std::vector<std::string> values;
};

Result<SweepParameter> ParseSweepParameter(const std::string& argument);

// Every combination of the parameters' values, each as the "PATH=VALUE" overrides `run --set`
// takes, in parameter order. The last parameter varies fastest. No parameter: one empty
// combination. REQUIRES: no two parameters share a path (CheckDistinctPaths).
std::vector<std::vector<std::string>> CrossProduct(const std::vector<SweepParameter>& parameters);
Status CheckDistinctPaths(const std::vector<SweepParameter>& parameters);

// The seeds of a sweep, by seed index k in [0, count).
struct SeedSequence {
  uint64_t base = 0;   // A of `--seeds A..B`, or S of `--runs K --seed S`
  uint64_t count = 0;  // B - A + 1, or K
  bool derived = false;

  // `--seeds A..B`: the seeds A, A+1, ..., B.
  static SeedSequence Literal(uint64_t first, uint64_t count) { return {first, count, false}; }
  // `--runs K [--seed S]`: DeriveSeed(S, k) for k in [0, K).
  static SeedSequence Derived(uint64_t base, uint64_t runs) { return {base, runs, true}; }

  // REQUIRES: k < count.
  uint64_t At(uint64_t k) const;
};

// "A..B" (decimal, both included, A <= B).
Result<SeedSequence> ParseSeedRange(const std::string& text);

// This process's part of the runs: those whose number r has r % count == index.
struct Shard {
  uint64_t index = 0;
  uint64_t count = 1;
  std::string source;  // where it came from, for messages: "--shard", "JOB_COMPLETION_INDEX"...

  bool Owns(uint64_t run) const { return run % count == index; }
  // How many of the runs 0..total-1 this shard owns.
  uint64_t RunsOf(uint64_t total) const {
    return total <= index ? 0 : (total - index - 1) / count + 1;
  }
};

// "I/N" with 0 <= I < N.
Result<Shard> ParseShard(const std::string& text);

// Reads an environment variable; nullopt when unset. The CLI passes getenv, tests a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The shard of this process, from (in this order) `--shard I/N`; `--shard-total N` with the index
// in JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID; or, with neither
// flag, SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT of a Slurm job array (the index counted
// from SLURM_ARRAY_TASK_MIN when set, so `--array=1-8` gives shards 0..7). Otherwise the whole
// sweep (0/1). Errors name the flag or variable and what was expected.
Result<Shard> SelectShard(const std::optional<std::string>& shard_flag,
                          std::optional<uint64_t> shard_total, const EnvLookup& env);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_SWEEP_PLAN_H_
