#include "sim/world/cluster_runtime.h"

#include <fmt/format.h>

#include <algorithm>

#include "sim/argocd/hooks.h"
#include "sim/metrics/fleet_metrics.h"

namespace fleetsim {

ClusterRuntime::ClusterRuntime(const ClusterInfo& info, Simulator& sim, Trace& trace,
                               uint64_t run_seed, int64_t start_unix,
                               const std::vector<std::string>& addons, const TrafficSpec& traffic,
                               const SealedSecretsContext& sealed)
    : sim_(sim), trace_(trace), addons_(addons), in_cluster_(info.in_cluster) {
  store_ = std::make_unique<ObjectStore>(info.name, sim, start_unix);
  store_->Bootstrap(addons);
  WorkloadConfig config;
  config.pod_startup = info.pod_startup;
  workloads_ = std::make_unique<WorkloadController>(sim, *store_, run_seed, config);
  rollouts_ = std::make_unique<rollouts::RolloutController>(
      sim, *store_, start_unix,
      [this](std::string_view event, const ObjectKey& key, std::string detail) {
        Report(std::string(event), key, std::move(detail));
      });
  api_ = std::make_unique<InProcessClusterApi>(*store_);
  throttle_ = std::make_unique<ThrottledCluster>(*api_, sim);
  network_ = std::make_unique<UnreachableCluster>(*throttle_, info.server, store_->resources());
  endpoint_ = {info.name, info.server, network_.get()};
  watch_ = store_->AddObserver([this](const WatchEvent& e) { OnEvent(e); });
  workloads_->AddEndpointsObserver(
      [this](const ObjectKey& service, int ready) { OnEndpoints(service, ready); });
  traffic_ =
      std::make_unique<rollouts::TrafficModel>(info.name, sim, *store_, trace, traffic, run_seed);
  analysis_runs_ =
      std::make_unique<rollouts::AnalysisRunController>(info.name, sim, *store_, trace, *traffic_);
  if (std::find(addons.begin(), addons.end(), "sealed-secrets") != addons.end()) {
    secrets::SealedSecretsConfig sealed_config{info.name, sealed.shared_keys, sealed.renewal,
                                               start_unix};
    sealed_ = std::make_unique<secrets::SealedSecretController>(
        sim, *store_, *sealed.keys, *sealed.ciphertexts, sealed_config,
        [this](std::string_view event, const ObjectKey& key, std::string detail) {
          Report(std::string(event), key, std::move(detail));
        });
    sealed_->Start(/*quiet=*/true);
  }
}

ClusterRuntime::~ClusterRuntime() {
  sealed_.reset();
  external_secrets_.reset();
  analysis_runs_.reset();
  traffic_.reset();
  store_->RemoveObserver(watch_);
}

void ClusterRuntime::Destroy() {
  network_->set_unreachable(true);
  if (sealed_) sealed_->Stop();
  wiping_ = true;
  store_->Wipe(kCauseFault);
  wiping_ = false;
  destroyed_ = true;
}

void ClusterRuntime::Rebuild(const std::vector<Json>& keys) {
  store_->Bootstrap(addons_);
  for (const Json& key : keys) (void)store_->Create(Object(key));
  destroyed_ = false;
  if (sealed_) sealed_->Start();
  network_->set_unreachable(false);
}

void ClusterRuntime::LoseSealingKeys(const std::vector<Json>& restored) {
  if (!sealed_) return;
  DeleteOptions options;
  options.cause = std::string(kCauseFault);
  for (const Json& key : sealed_->KeySecrets()) {
    ObjectKey k{"", "Secret", std::string(secrets::kKeyNamespace), key["metadata"]["name"]};
    (void)store_->Delete(k, options);
  }
  for (const Json& key : restored) (void)store_->Create(Object(key));
  sealed_->Restart();
}

void ClusterRuntime::StartExternalSecrets(const eso::SecretProviders& providers,
                                          int64_t start_unix) {
  external_secrets_ = std::make_unique<eso::ExternalSecretsController>(
      sim_, *store_, providers, start_unix,
      [this](std::string_view event, const ObjectKey& key, std::string detail, bool change) {
        TraceRecord r;
        r.t = sim_.now();
        r.event = std::string(event);
        r.cluster = endpoint_.name;
        r.object = key.ToString();
        r.detail = std::move(detail);
        r.change = change;
        trace_.Append(std::move(r));
      });
}

void ClusterRuntime::Report(const std::string& event, const ObjectKey& key, std::string detail) {
  TraceRecord r;
  r.t = sim_.now();
  r.event = event;
  r.cluster = endpoint_.name;
  r.object = key.ToString();
  r.detail = std::move(detail);
  trace_.Append(std::move(r));
}

// Workload availability changes, and objects removed by someone other than Kubernetes itself
// (resources_deleted counts these; hooks removed by their delete policy are not counted).
void ClusterRuntime::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (event.type == WatchEventType::kDeleted) {
    if (event.cause != kCauseGc && !wiping_ && !IsHook(*event.object.object)) {
      Report("ObjectDeleted", key, event.cause);
    }
    if (key.group.empty() && key.kind == "Service") {
      auto svc = service_ready_.find(key);
      if (svc != service_ready_.end() && svc->second) {
        Report("ServiceUnavailable", key, WithServiceRole(key, "deleted"));
      }
      if (svc != service_ready_.end()) service_ready_.erase(svc);
    }
    if (IsWorkloadKind(key)) {
      auto it = workload_state_.find(key);
      if (it != workload_state_.end() && it->second == Availability::kAvailable) {
        Report("WorkloadUnavailable", key, "deleted");
      }
      workload_state_.erase(key);
    }
    return;
  }
  if (!IsWorkloadKind(key)) return;
  Availability now = WorkloadAvailability(*event.object.object);
  auto it = workload_state_.try_emplace(key, Availability::kNotApplicable).first;
  Availability before = it->second;
  it->second = now;
  if (now == before) return;
  if (now == Availability::kAvailable) {
    Report("WorkloadAvailable", key, "");
  } else if (before == Availability::kAvailable && now == Availability::kUnavailable) {
    Report("WorkloadUnavailable", key, "no available replica");
  }
}

void ClusterRuntime::OnEndpoints(const ObjectKey& service, int ready) {
  auto [it, inserted] = service_ready_.try_emplace(service, false);
  bool was = it->second;
  bool is = ready > 0;
  it->second = is;
  if (is == was) return;
  std::string detail = fmt::format("{} ready endpoint(s)", ready);
  if (is) {
    Report("ServiceAvailable", service, std::move(detail));
  } else {
    Report("ServiceUnavailable", service, WithServiceRole(service, std::move(detail)));
  }
}

// A Rollout's preview or canary Service is no user's way in: its outages say so, and the
// availability metrics leave them out (kNotUserFacing, sim/metrics/fleet_metrics.h).
std::string ClusterRuntime::WithServiceRole(const ObjectKey& service, std::string detail) const {
  std::string role = rollouts::TestOnlyServiceRole(*store_, service);
  if (role.empty()) return detail;
  return detail + "; " + role + ", " + std::string(kNotUserFacing);
}

}  // namespace fleetsim
