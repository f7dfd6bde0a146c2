// The clusters Argo CD knows: the management cluster `in-cluster` plus the scenario's fleet, as
// their cluster Secrets describe them (name, server, labels, annotations, the Secret's UID).
#ifndef FLEETSIM_SIM_CLUSTER_CLUSTER_REGISTRY_H_
#define FLEETSIM_SIM_CLUSTER_CLUSTER_REGISTRY_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace fleetsim {

inline constexpr std::string_view kInClusterName = "in-cluster";
inline constexpr std::string_view kInClusterServer = "https://kubernetes.default.svc";

using ClusterIndex = size_t;

struct ClusterInfo {
  std::string name;
  std::string server;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string secret_uid;  // stable per name; legacy sharding hashes it
  bool in_cluster = false;
  PodStartup pod_startup;
};

// REQUIRES: names and servers are unique (the scenario loader checked them).
class ClusterRegistry {
 public:
  explicit ClusterRegistry(const FleetSpec& fleet);

  // in-cluster first, then the fleet in scenario order.
  const std::vector<ClusterInfo>& clusters() const { return clusters_; }
  const ClusterInfo& at(ClusterIndex i) const { return clusters_[i]; }
  size_t size() const { return clusters_.size(); }

  std::optional<ClusterIndex> FindByName(std::string_view name) const;
  // A cluster Secret's labels change (the cluster-relabel fault, `kubectl label secret`).
  void SetLabels(ClusterIndex i, std::map<std::string, std::string> labels) {
    clusters_[i].labels = std::move(labels);
    ++generation_;
  }
  // Changes whenever a cluster Secret does.
  uint64_t generation() const { return generation_; }
  std::optional<ClusterIndex> FindByServer(std::string_view server) const;

 private:
  std::vector<ClusterInfo> clusters_;
  std::map<std::string, ClusterIndex, std::less<>> by_name_;
  std::map<std::string, ClusterIndex, std::less<>> by_server_;
  uint64_t generation_ = 0;
};

// A UUID-shaped identifier derived only from `name`, like the UID of the cluster's Secret.
std::string ClusterSecretUid(std::string_view name);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_CLUSTER_REGISTRY_H_
