#include "sim/cluster/cluster_registry.h"

#include <cstdint>

#include <fmt/format.h>

namespace fleetsim {
namespace {

uint64_t Fnv1a64(std::string_view text, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::string ClusterSecretUid(std::string_view name) {
  uint64_t hi = Fnv1a64(name, 0xcbf29ce484222325ULL);
  uint64_t lo = Fnv1a64(name, hi ^ 0x9e3779b97f4a7c15ULL);
  // Shaped as a version-4 UUID so that tools reading it see a normal UID.
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                     hi & 0xfff, 0x8000 | ((lo >> 48) & 0x3fff), lo & 0xffffffffffffULL);
}

ClusterRegistry::ClusterRegistry(const FleetSpec& fleet) {
  ClusterInfo in_cluster;
  in_cluster.name = kInClusterName;
  in_cluster.server = kInClusterServer;
  in_cluster.secret_uid = ClusterSecretUid(kInClusterName);
  in_cluster.in_cluster = true;
  clusters_.push_back(std::move(in_cluster));
  for (const ClusterSpec& spec : fleet.clusters) {
    ClusterInfo info;
    info.name = spec.name;
    info.server = spec.server;
    info.labels = spec.labels;
    info.annotations = spec.annotations;
    info.secret_uid = ClusterSecretUid(spec.name);
    info.pod_startup = spec.pod_startup;
    clusters_.push_back(std::move(info));
  }
  for (ClusterIndex i = 0; i < clusters_.size(); ++i) {
    by_name_.emplace(clusters_[i].name, i);
    by_server_.emplace(clusters_[i].server, i);
  }
}

std::optional<ClusterIndex> ClusterRegistry::FindByName(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<ClusterIndex> ClusterRegistry::FindByServer(std::string_view server) const {
  auto it = by_server_.find(server);
  if (it == by_server_.end()) return std::nullopt;
  return it->second;
}

}  // namespace fleetsim
