// The destination clusters as the application controller reaches them: Argo CD's cluster Secrets
// (name, server) and a client for each. The world implements it; a cluster that is rebuilt keeps
// its entry with a new client.
#ifndef FLEETSIM_SIM_ARGOCD_CLUSTER_DIRECTORY_H_
#define FLEETSIM_SIM_ARGOCD_CLUSTER_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fleetsim {

class ClusterApi;

struct ClusterEndpoint {
  std::string name;
  std::string server;
  ClusterApi* api = nullptr;  // valid while the cluster is registered
};

class ClusterDirectory {
 public:
  virtual ~ClusterDirectory() = default;
  // nullptr when no cluster Secret has that server URL / name.
  virtual const ClusterEndpoint* FindByServer(std::string_view server) const = 0;
  virtual const ClusterEndpoint* FindByName(std::string_view name) const = 0;
  // Every registered cluster, in registration order (in-cluster first).
  virtual std::vector<const ClusterEndpoint*> All() const = 0;
  // Changes (and is never 0) whenever a lookup could answer differently or an endpoint could move:
  // a caller may keep a lookup's answer while the generation stays the same.
  virtual uint64_t generation() const = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_CLUSTER_DIRECTORY_H_
