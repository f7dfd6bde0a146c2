// Cluster-to-shard assignment (argo-cd controller/sharding/sharding.go: LegacyDistributionFunction,
// RoundRobinDistributionFunction, ConsistentHashingWithBoundedLoadsDistributionFunction).
#include "sim/chaos/sharding.h"

#include <algorithm>
#include <map>

#include <gtest/gtest.h>

namespace fleetsim::chaos {
namespace {

std::vector<ShardCluster> Fleet(int n) {
  std::vector<ShardCluster> clusters = {{"in-cluster", "", 0}};
  for (int i = 0; i < n; ++i) {
    clusters.push_back({"c" + std::to_string(i), "uid-" + std::to_string(1000 + i), 1});
  }
  return clusters;
}

// FNV-1a 32 reference values (the Go hash/fnv New32a the legacy algorithm uses).
TEST(ShardingTest, Fnv1a32MatchesTheReference) {
  EXPECT_EQ(Fnv1a32(""), 0x811c9dc5u);
  EXPECT_EQ(Fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(Fnv1a32("foobar"), 0xbf9cf968u);
}

TEST(ShardingTest, LegacyHashesTheSecretUidAndKeepsInClusterOnShardZero) {
  std::vector<ShardCluster> clusters = Fleet(8);
  std::vector<int> shards = AssignShards(clusters, 3, "legacy");
  EXPECT_EQ(shards[0], 0);
  for (size_t i = 1; i < clusters.size(); ++i) {
    EXPECT_EQ(shards[i], static_cast<int>(Fnv1a32(clusters[i].id) % 3)) << clusters[i].name;
  }
}

TEST(ShardingTest, OneReplicaOwnsEverything) {
  for (const char* algorithm : {"legacy", "round-robin", "consistent-hashing"}) {
    std::vector<int> shards = AssignShards(Fleet(5), 1, algorithm);
    EXPECT_TRUE(std::all_of(shards.begin(), shards.end(), [](int s) { return s == 0; }));
  }
}

// Round-robin: each shard gets the same number of clusters, plus or minus one.
TEST(ShardingTest, RoundRobinIsBalanced) {
  std::vector<int> shards = AssignShards(Fleet(10), 3, "round-robin");
  std::map<int, int> counts;
  for (size_t i = 1; i < shards.size(); ++i) ++counts[shards[i]];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [shard, n] : counts) EXPECT_TRUE(n == 3 || n == 4) << shard;
}

// Bounded loads: no shard above 1.25 times the mean load.
TEST(ShardingTest, ConsistentHashingStaysWithinTheLoadBound) {
  std::vector<ShardCluster> clusters = Fleet(40);
  std::vector<int> shards = AssignShards(clusters, 4, "consistent-hashing");
  std::map<int, int> counts;
  for (size_t i = 1; i < shards.size(); ++i) ++counts[shards[i]];
  for (const auto& [shard, n] : counts) EXPECT_LE(n, 13) << shard;  // 1.25 * 40 / 4 = 12.5
}

// Its point: growing from 3 to 4 shards moves fewer clusters than round-robin does.
TEST(ShardingTest, ConsistentHashingMovesFewerClustersThanRoundRobin) {
  std::vector<ShardCluster> clusters = Fleet(60);
  auto moved = [&](const char* algorithm) {
    std::vector<int> a = AssignShards(clusters, 3, algorithm);
    std::vector<int> b = AssignShards(clusters, 4, algorithm);
    int n = 0;
    for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
    return n;
  };
  EXPECT_LT(moved("consistent-hashing"), moved("round-robin"));
}

}  // namespace
}  // namespace fleetsim::chaos
