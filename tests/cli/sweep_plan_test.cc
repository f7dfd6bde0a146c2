// The sweep plan (DESIGN.md "Sweeps and scale-out"): seeds derived from (base, k) only, the cross
// product of --set lists, and shards that split the runs without overlap, from flags or from the
// environment of a Kubernetes Indexed Job or a Slurm job array.
#include "sim/cli/sweep_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "engine/random.h"

namespace fleetsim {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SweepPlanTest, DerivedSeedsArePinned) {
  // Pinned values: stores written by one release must be replayable by the next.
  SeedSequence seeds = SeedSequence::Derived(5, 3);
  EXPECT_EQ(seeds.At(0), DeriveSeed(5, 0));
  EXPECT_EQ(seeds.At(0), 0x6aafef81a8f1ad0fULL);
  EXPECT_EQ(seeds.At(1), 0x894cc326f449758cULL);
  EXPECT_NE(seeds.At(0), seeds.At(1));
  EXPECT_NE(SeedSequence::Derived(6, 1).At(0), seeds.At(0));
}

TEST(SweepPlanTest, LiteralSeedRange) {
  Result<SeedSequence> seeds = ParseSeedRange("3..5");
  ASSERT_TRUE(seeds.ok()) << seeds.error();
  EXPECT_EQ(seeds->count, 3u);
  EXPECT_EQ(seeds->At(0), 3u);
  EXPECT_EQ(seeds->At(2), 5u);
  EXPECT_EQ(ParseSeedRange("7..7")->count, 1u);
}

TEST(SweepPlanTest, BrokenSeedRanges) {
  EXPECT_EQ(ParseSeedRange("5..3").error(), "--seeds 5..3: A must not be greater than B");
  EXPECT_EQ(ParseSeedRange("1-10").error(), "--seeds 1-10: expected A..B, e.g. 1..1000");
  EXPECT_EQ(ParseSeedRange("-1..3").error(), "--seeds -1..3: A must be a non-negative integer");
  EXPECT_EQ(ParseSeedRange("1..x").error(), "--seeds 1..x: B must be a non-negative integer");
  EXPECT_FALSE(ParseSeedRange("..").ok());
  EXPECT_FALSE(ParseSeedRange("1..99999999999999999999").ok());
  EXPECT_FALSE(ParseSeedRange("0..18446744073709551615").ok());  // 2^64 seeds
}

TEST(SweepPlanTest, ParameterListsSplitOutsideQuotes) {
  Result<SweepParameter> p = ParseSweepParameter("argocd.statusProcessors=10,20,'a,b'");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p->path, "argocd.statusProcessors");
  EXPECT_EQ(p->values, (std::vector<std::string>{"10", "20", "'a,b'"}));
  EXPECT_EQ(ParseSweepParameter("description=")->values, std::vector<std::string>{""});
}

TEST(SweepPlanTest, BrokenParameters) {
  EXPECT_EQ(ParseSweepParameter("duration").error(),
            "--set duration: expected PATH=VALUE or PATH=V1,V2,...");
  EXPECT_EQ(ParseSweepParameter("=1").error(), "--set =1: empty path before '='");
  EXPECT_EQ(ParseSweepParameter("duration=1h,,2h").error(),
            "--set duration=1h,,2h: value 2 of the list is empty; quote an empty string as ''");
  EXPECT_FALSE(ParseSweepParameter("duration=1h,").ok());
  Status twice = CheckDistinctPaths({{"duration", {"1h"}}, {"duration", {"2h"}}});
  EXPECT_EQ(twice.message(),
            "--set duration is given twice; list every value in one --set duration=V1,V2,...");
}

TEST(SweepPlanTest, CrossProductVariesTheLastParameterFastest) {
  auto combos = CrossProduct({{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}});
  ASSERT_EQ(combos.size(), 6u);
  EXPECT_EQ(combos[0], (std::vector<std::string>{"a=1", "b=x"}));
  EXPECT_EQ(combos[1], (std::vector<std::string>{"a=1", "b=y"}));
  EXPECT_EQ(combos[5], (std::vector<std::string>{"a=2", "b=z"}));
  EXPECT_EQ(CrossProduct({}), std::vector<std::vector<std::string>>(1));
}

TEST(SweepPlanTest, FourShardsCoverEveryRunExactlyOnce) {
  for (uint64_t total : {0u, 1u, 3u, 10u, 17u}) {
    std::multiset<uint64_t> seen;
    uint64_t counted = 0;
    for (uint64_t i = 0; i < 4; ++i) {
      Shard shard{i, 4, "--shard"};
      counted += shard.RunsOf(total);
      for (uint64_t r = 0; r < total; ++r) {
        if (shard.Owns(r)) seen.insert(r);
      }
    }
    EXPECT_EQ(counted, total);
    ASSERT_EQ(seen.size(), total);
    for (uint64_t r = 0; r < total; ++r) EXPECT_EQ(seen.count(r), 1u);
  }
}

TEST(SweepPlanTest, ShardFlag) {
  Result<Shard> shard = ParseShard("1/4");
  ASSERT_TRUE(shard.ok());
  EXPECT_EQ(shard->index, 1u);
  EXPECT_EQ(shard->count, 4u);
  EXPECT_EQ(ParseShard("4/4").error(),
            "--shard 4/4: I must be less than N (shards are numbered 0..N-1)");
  EXPECT_EQ(ParseShard("0/0").error(), "--shard 0/0: N must be at least 1");
  EXPECT_EQ(ParseShard("2").error(), "--shard 2: expected I/N, e.g. 0/4");
  EXPECT_FALSE(ParseShard("a/4").ok());
  EXPECT_FALSE(ParseShard("1/-4").ok());
}

TEST(SweepPlanTest, ShardFromKubernetesIndexedJob) {
  Result<Shard> shard = SelectShard(std::nullopt, 4, FakeEnv({{"JOB_COMPLETION_INDEX", "2"}}));
  ASSERT_TRUE(shard.ok()) << shard.error();
  EXPECT_EQ(shard->index, 2u);
  EXPECT_EQ(shard->count, 4u);
  EXPECT_EQ(SelectShard(std::nullopt, 4, FakeEnv({{"JOB_COMPLETION_INDEX", "4"}})).error(),
            "JOB_COMPLETION_INDEX with --shard-total: index 4 is not below the shard count 4");
  EXPECT_EQ(SelectShard(std::nullopt, 4, FakeEnv({{"JOB_COMPLETION_INDEX", "x"}})).error(),
            "JOB_COMPLETION_INDEX=x: expected a non-negative integer");
  EXPECT_NE(SelectShard(std::nullopt, 4, FakeEnv({})).error().find("neither JOB_COMPLETION_INDEX"),
            std::string::npos);
  // Without --shard-total the Kubernetes index alone says nothing about the shard count.
  EXPECT_EQ(
      SelectShard(std::nullopt, std::nullopt, FakeEnv({{"JOB_COMPLETION_INDEX", "2"}}))->count, 1u);
}

TEST(SweepPlanTest, ShardFromSlurmArray) {
  Result<Shard> shard = SelectShard(std::nullopt, std::nullopt,
                                    FakeEnv({{"SLURM_ARRAY_TASK_ID", "5"},
                                             {"SLURM_ARRAY_TASK_MIN", "4"},
                                             {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(shard.ok()) << shard.error();
  EXPECT_EQ(shard->index, 1u);
  EXPECT_EQ(shard->count, 4u);
  EXPECT_EQ(SelectShard(std::nullopt, 3, FakeEnv({{"SLURM_ARRAY_TASK_ID", "2"}}))->index, 2u);
  EXPECT_FALSE(SelectShard(std::nullopt, std::nullopt,
                           FakeEnv({{"SLURM_ARRAY_TASK_ID", "9"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}))
                   .ok());
}

TEST(SweepPlanTest, FlagsWinAndExcludeEachOther) {
  auto env = FakeEnv({{"JOB_COMPLETION_INDEX", "3"},
                      {"SLURM_ARRAY_TASK_ID", "1"},
                      {"SLURM_ARRAY_TASK_COUNT", "2"}});
  EXPECT_EQ(SelectShard(std::string("0/2"), std::nullopt, env)->index, 0u);
  EXPECT_EQ(SelectShard(std::string("0/2"), 2, env).error(),
            "--shard and --shard-total exclude each other");
  EXPECT_EQ(SelectShard(std::nullopt, std::nullopt, FakeEnv({}))->count, 1u);
}

}  // namespace
}  // namespace fleetsim
