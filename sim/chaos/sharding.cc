#include "sim/chaos/sharding.h"

#include <algorithm>
#include <map>

namespace fleetsim::chaos {
namespace {

uint64_t Fnv1a64(std::string_view data) {
  uint64_t h = 14695981039346656037ull;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// Indices of the Secret-backed clusters sorted by id (then name, for equal ids).
std::vector<size_t> SortedById(const std::vector<ShardCluster>& clusters) {
  std::vector<size_t> order;
  for (size_t i = 0; i < clusters.size(); ++i) {
    if (!clusters[i].id.empty()) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (clusters[a].id != clusters[b].id) return clusters[a].id < clusters[b].id;
    return clusters[a].name < clusters[b].name;
  });
  return order;
}

void ConsistentHashing(const std::vector<ShardCluster>& clusters, int replicas,
                       std::vector<int>* shards) {
  constexpr int kVirtualNodes = 20;
  constexpr double kLoadFactor = 1.25;
  std::map<uint64_t, int> ring;
  for (int r = 0; r < replicas; ++r) {
    for (int v = 0; v < kVirtualNodes; ++v) {
      ring.emplace(Fnv1a64(std::to_string(r) + "-" + std::to_string(v)), r);
    }
  }
  std::vector<size_t> order = SortedById(clusters);
  // Every cluster weighs at least 1, so that clusters without apps spread too.
  int64_t total = 0;
  for (size_t i : order) total += std::max<int64_t>(1, clusters[i].apps);
  std::vector<int64_t> load(static_cast<size_t>(replicas), 0);
  double bound = kLoadFactor * static_cast<double>(total) / replicas;
  for (size_t i : order) {
    int64_t weight = std::max<int64_t>(1, clusters[i].apps);
    auto it = ring.lower_bound(Fnv1a64(clusters[i].id));
    int chosen = -1;
    for (size_t step = 0; step < ring.size(); ++step, ++it) {
      if (it == ring.end()) it = ring.begin();
      if (static_cast<double>(load[static_cast<size_t>(it->second)] + weight) <= bound) {
        chosen = it->second;
        break;
      }
    }
    if (chosen < 0) {  // nothing within the bound: the least loaded
      chosen = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    }
    load[static_cast<size_t>(chosen)] += weight;
    (*shards)[i] = chosen;
  }
}

}  // namespace

uint32_t Fnv1a32(std::string_view data) {
  uint32_t h = 2166136261u;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

std::vector<int> AssignShards(const std::vector<ShardCluster>& clusters, int replicas,
                              std::string_view algorithm) {
  std::vector<int> shards(clusters.size(), 0);
  if (replicas <= 1) return shards;
  if (algorithm == "round-robin") {
    std::vector<size_t> order = SortedById(clusters);
    for (size_t rank = 0; rank < order.size(); ++rank) {
      shards[order[rank]] = static_cast<int>(rank % static_cast<size_t>(replicas));
    }
  } else if (algorithm == "consistent-hashing") {
    ConsistentHashing(clusters, replicas, &shards);
  } else {
    for (size_t i = 0; i < clusters.size(); ++i) {
      if (clusters[i].id.empty()) continue;
      shards[i] = static_cast<int>(Fnv1a32(clusters[i].id) % static_cast<uint32_t>(replicas));
    }
  }
  return shards;
}

}  // namespace fleetsim::chaos
