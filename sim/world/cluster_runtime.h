// One cluster of the world: its API server state, the Kubernetes controllers that make workloads
// run, the Argo Rollouts controller (acting on the Rollouts the CRD lets exist; its events go to
// the trace), the client the Argo CD controller uses (behind the unreachable-cluster decorator),
// and the reporter that writes what happens to workloads and Services into the trace.
#ifndef FLEETSIM_SIM_WORLD_CLUSTER_RUNTIME_H_
#define FLEETSIM_SIM_WORLD_CLUSTER_RUNTIME_H_

#include <map>
#include <memory>
#include <string>

#include "engine/simulator.h"
#include "engine/trace.h"
#include "sim/argocd/cluster_directory.h"
#include "sim/cluster/availability.h"
#include "sim/cluster/cluster_api.h"
#include "sim/cluster/cluster_registry.h"
#include "sim/cluster/object_store.h"
#include "sim/cluster/throttled_cluster.h"
#include "sim/cluster/unreachable_cluster.h"
#include "sim/cluster/workloads.h"
#include "sim/rollouts/analysis_run_controller.h"
#include "sim/rollouts/rollout_controller.h"
#include "sim/rollouts/traffic_model.h"
#include "sim/scenario/scenario.h"
#include "sim/secrets/external_secrets_controller.h"
#include "sim/secrets/sealed_controller.h"

namespace fleetsim {

// What every cluster's Sealed Secrets controller shares with the fleet (world-owned).
struct SealedSecretsContext {
  secrets::KeyAuthority* keys = nullptr;
  secrets::CiphertextIndex* ciphertexts = nullptr;
  bool shared_keys = false;
  SimDuration renewal = SimDuration::Days(30);
};

class ClusterRuntime {
 public:
  // REQUIRES: sim, trace and traffic outlive the runtime. The cluster runs the AnalysisRun
  // controller and the traffic model it queries (both idle until Argo Rollouts' CRDs exist), and
  // the Sealed Secrets controller when `addons` has sealed-secrets (started at once: its first
  // key is the cluster's at t=0). REQUIRES: the objects in `sealed` outlive the runtime.
  ClusterRuntime(const ClusterInfo& info, Simulator& sim, Trace& trace, uint64_t run_seed,
                 int64_t start_unix, const std::vector<std::string>& addons,
                 const TrafficSpec& traffic, const SealedSecretsContext& sealed);
  ~ClusterRuntime();

  ObjectStore& store() { return *store_; }
  WorkloadController& workloads() { return *workloads_; }
  UnreachableCluster& network() { return *network_; }
  ThrottledCluster& throttle() { return *throttle_; }
  rollouts::RolloutController& rollouts() { return *rollouts_; }
  const ClusterEndpoint& endpoint() const { return endpoint_; }
  rollouts::TrafficModel* traffic() { return traffic_.get(); }
  // nullptr when Sealed Secrets is not installed.
  secrets::SealedSecretController* sealed_secrets() { return sealed_.get(); }
  const secrets::SealedSecretController* sealed_secrets() const { return sealed_.get(); }
  bool in_cluster() const { return in_cluster_; }
  bool destroyed() const { return destroyed_; }

  // cluster-destroyed: the API server stops answering and every object is gone (one
  // ClusterDestroyed record, not an ObjectDeleted per object), the sealing keys with them.
  void Destroy();
  // rebuild: the cluster comes back empty with its namespaces and add-on CRDs, `keys` (key
  // Secrets from a backup) applied before the Sealed Secrets controller starts, and answers again.
  void Rebuild(const std::vector<Json>& keys);
  // sealing-key-lost: the key Secrets are deleted, `restored` (from a backup) applied, and the
  // controller restarts with what is there.
  void LoseSealingKeys(const std::vector<Json>& restored);
  // Starts the External Secrets Operator of this cluster (idle until its CRDs serve objects).
  // REQUIRES: providers outlives the runtime.
  void StartExternalSecrets(const eso::SecretProviders& providers, int64_t start_unix);
  eso::ExternalSecretsController* external_secrets() { return external_secrets_.get(); }

 private:
  void OnEvent(const WatchEvent& event);
  void OnEndpoints(const ObjectKey& service, int ready);
  void Report(const std::string& event, const ObjectKey& key, std::string detail);
  std::string WithServiceRole(const ObjectKey& service, std::string detail) const;

  Simulator& sim_;
  Trace& trace_;
  std::unique_ptr<ObjectStore> store_;
  std::unique_ptr<WorkloadController> workloads_;
  std::unique_ptr<rollouts::RolloutController> rollouts_;
  std::unique_ptr<InProcessClusterApi> api_;
  std::unique_ptr<ThrottledCluster> throttle_;  // api-throttle: the API server's 429s
  std::unique_ptr<UnreachableCluster> network_;
  ClusterEndpoint endpoint_;
  std::unique_ptr<rollouts::TrafficModel> traffic_;
  std::unique_ptr<rollouts::AnalysisRunController> analysis_runs_;
  std::unique_ptr<secrets::SealedSecretController> sealed_;
  std::vector<std::string> addons_;
  bool in_cluster_ = false;
  bool destroyed_ = false;
  bool wiping_ = false;
  std::unique_ptr<eso::ExternalSecretsController> external_secrets_;
  WatchId watch_ = 0;
  std::map<ObjectKey, Availability> workload_state_;
  std::map<ObjectKey, bool> service_ready_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_WORLD_CLUSTER_RUNTIME_H_
