// What the fault injector acts on: the world's components, reached through the same switches and
// interfaces a real fault would touch (a cluster's network and API server, the Git server, the
// kubelet, the secret providers, the controllers' pods). The world implements it; tests may fake
// it.
#ifndef FLEETSIM_SIM_CHAOS_FAULT_HOST_H_
#define FLEETSIM_SIM_CHAOS_FAULT_HOST_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"
#include "engine/trace.h"
#include "sim/git/tree.h"
#include "sim/scenario/scenario.h"

namespace fleetsim::chaos {

// What a random schedule may target, as the world is at the fault's instant.
struct ClusterTarget {
  std::string name;
  std::string secret_uid;  // "" for in-cluster
  bool in_cluster = false;
  bool destroyed = false;
  bool sealed_secrets = false;  // the Sealed Secrets controller runs there
};
struct AppTarget {
  std::string name;
  std::string appset;   // the owning ApplicationSet, or ""
  std::string cluster;  // the destination cluster's name, or "" when it resolves to none
  std::vector<std::string> objects;  // live objects it tracks, "Kind/ns/name", sorted
  std::vector<std::string> images;   // container images of its rendered workloads, sorted
};

enum class ImageFault { kPullFailing, kCrashing, kSlowStart };

class FaultHost {
 public:
  virtual ~FaultHost() = default;

  virtual void Record(TraceRecord r) = 0;  // stamped with the current time

  // ---- targets ----
  virtual std::vector<ClusterTarget> Clusters() const = 0;  // registry order, in-cluster first
  virtual const std::vector<RepoSpec>& Repos() const = 0;
  virtual std::vector<AppTarget> Apps() const = 0;  // by name
  // False between argocd-destroyed and argocd install.
  virtual bool ArgoCdRunning() const = 0;
  // The head tree of scenario repository `repo`, or null.
  virtual const Tree* HeadTree(const std::string& repo) const = 0;
  // A live object's document on `cluster` ("Kind/ns/name"), or the error.
  virtual Result<Json> LiveDocument(const std::string& cluster, const std::string& object) = 0;

  // ---- switches (each fault turns its own on and off) ----
  virtual void SetClusterUnreachable(const std::string& cluster, bool unreachable) = 0;
  virtual void SetClusterThrottle(const std::string& cluster, std::optional<double> qps) = 0;
  virtual void SetGitUnreachable(const std::string& repo_url, bool unreachable) = 0;
  virtual void SetImageFault(const std::string& cluster, const std::string& image, ImageFault kind,
                             SimDuration startup, bool active) = 0;
  // metrics-degraded on a cluster with a traffic model (others ignore it).
  virtual void SetImageDegraded(const std::string& cluster, const std::string& image,
                                std::optional<double> success_rate,
                                std::optional<SimDuration> latency, bool active) = 0;
  virtual void SetSecretStoreDown(const std::string& cluster_glob, const std::string& store_glob,
                                  const std::string& mode, bool down) = 0;
  virtual void SetSecretKeyDeleted(const std::string& cluster_glob, const std::string& store_glob,
                                   const std::string& key, bool deleted) = 0;
  // The cluster Secret's labels; setting them tells the ApplicationSet controller.
  virtual std::optional<std::map<std::string, std::string>> ClusterLabels(
      const std::string& cluster) const = 0;
  virtual void SetClusterLabels(const std::string& cluster,
                                std::map<std::string, std::string> labels) = 0;

  // ---- one-off events ----
  virtual Status DestroyCluster(const std::string& cluster) = 0;
  virtual Status LoseSealingKeys(const std::string& cluster, bool restore) = 0;
  virtual Status DestroyArgoCd() = 0;
  // A controller's pod restarts (kubectl rollout restart): see World::RestartController.
  virtual Status RestartController(const std::string& cluster, const std::string& controller) = 0;
  // Someone's kubectl edit / kubectl delete (an action's verb and params).
  virtual Status Kubectl(const ActionSpec& action) = 0;
  // A commit of `ops` onto scenario repository `repo`, pushed now (CommitPushed on the timeline).
  virtual Status Commit(const std::string& repo, const std::vector<HistoryOp>& ops,
                        const std::string& message) = 0;
};

}  // namespace fleetsim::chaos

#endif  // FLEETSIM_SIM_CHAOS_FAULT_HOST_H_
