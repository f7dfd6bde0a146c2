// The application controller's cluster-to-shard assignment (argo-cd controller/sharding), used by
// the shard-change fault to say which clusters move when ARGOCD_CONTROLLER_REPLICAS changes.
//   legacy             FNV-1a 32 of the cluster Secret's UID, modulo replicas (upstream
//                      LegacyDistributionFunction); in-cluster (no Secret, id "") is shard 0.
//   round-robin        the clusters sorted by id, each its rank modulo replicas
//                      (RoundRobinDistributionFunction); in-cluster is shard 0.
//   consistent-hashing consistent hashing with bounded loads (upstream's consistent package):
//                      clusters sorted by id each take the first shard clockwise from their hash
//                      on a ring of virtual nodes whose load (Applications) stays within 1.25 of
//                      the mean. The ring uses FNV-1a 64, not upstream's hash, so the same idea
//                      and balance but not necessarily the same clusters as a real controller.
#ifndef FLEETSIM_SIM_CHAOS_SHARDING_H_
#define FLEETSIM_SIM_CHAOS_SHARDING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetsim::chaos {

struct ShardCluster {
  std::string name;
  std::string id;    // the cluster Secret's UID; "" for in-cluster
  int64_t apps = 0;  // Applications whose destination it is (consistent-hashing's load)
};

uint32_t Fnv1a32(std::string_view data);

// The shard of each cluster, in the order given. REQUIRES: replicas >= 1.
std::vector<int> AssignShards(const std::vector<ShardCluster>& clusters, int replicas,
                              std::string_view algorithm);

}  // namespace fleetsim::chaos

#endif  // FLEETSIM_SIM_CHAOS_SHARDING_H_
