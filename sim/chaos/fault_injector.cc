#include "sim/chaos/fault_injector.h"

#include <fnmatch.h>

#include <fmt/format.h>

namespace fleetsim::chaos {

std::string ParamScalar(const Params& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end() || it->second.shape != ParamValue::Shape::kScalar) return "";
  return it->second.scalar;
}

std::string DescribeParams(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += " ";
    out += key + "=";
    switch (value.shape) {
      case ParamValue::Shape::kScalar:
        out += value.scalar;
        break;
      case ParamValue::Shape::kList:
        out += "[" + fmt::format("{}", fmt::join(value.list, ",")) + "]";
        break;
      case ParamValue::Shape::kMap: {
        std::vector<std::string> pairs;
        for (const auto& [k, v] : value.map) pairs.push_back(k + ":" + v);
        out += "{" + fmt::format("{}", fmt::join(pairs, ",")) + "}";
        break;
      }
    }
  }
  return out;
}

bool GlobMatches(const std::string& glob, const std::string& name) {
  return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

FaultInjector::FaultInjector(Simulator& sim, FaultHost& host, uint64_t run_seed,
                             FaultSettings settings)
    : sim_(sim),
      host_(host),
      run_seed_(run_seed),
      settings_(std::move(settings)),
      replicas_(settings_.controller_replicas) {}

// The catalog: each kind, its handler, and whether `for` heals it (as the loader's catalog).
const std::vector<FaultInjector::KindHandler>& FaultInjector::Handlers() {
  static const std::vector<KindHandler> kHandlers = {
      {"git-unreachable", &FaultInjector::GitUnreachable, true},
      {"git-empty-response", &FaultInjector::GitEmptyResponse, true},
      {"rename-directory", &FaultInjector::RenameDirectory, false},
      {"delete-path", &FaultInjector::DeletePath, false},
      {"edit-selector", &FaultInjector::EditSelector, false},
      {"cluster-unreachable", &FaultInjector::ClusterUnreachable, true},
      {"cluster-destroyed", &FaultInjector::ClusterDestroyed, false},
      {"cluster-relabel", &FaultInjector::ClusterRelabel, true},
      {"controller-restart", &FaultInjector::ControllerRestart, false},
      {"shard-change", &FaultInjector::ShardChange, true},
      {"sealing-key-lost", &FaultInjector::SealingKeyLost, false},
      {"secret-store-down", &FaultInjector::SecretStoreDown, true},
      {"secret-key-deleted", &FaultInjector::SecretKeyDeleted, true},
      {"manual-drift", &FaultInjector::ManualDrift, false},
      {"argocd-destroyed", &FaultInjector::ArgoCdDestroyed, false},
      {"bad-image", &FaultInjector::BadImage, true},
      {"slow-start", &FaultInjector::SlowStart, true},
      {"metrics-degraded", &FaultInjector::MetricsDegraded, true},
      {"api-throttle", &FaultInjector::ApiThrottle, true},
  };
  return kHandlers;
}

const FaultInjector::KindHandler* FaultInjector::FindHandler(std::string_view kind) {
  for (const KindHandler& h : Handlers()) {
    if (h.kind == kind) return &h;
  }
  return nullptr;
}

bool FaultInjector::Drawable(std::string_view kind) {
  return FindHandler(kind) != nullptr && kind != "secret-key-deleted";
}

void FaultInjector::Schedule(const FaultSpec& fault) {
  std::string detail = fault.kind;
  if (fault.duration) detail += " for " + FormatDuration(*fault.duration);
  std::string args = DescribeParams(fault.params);
  if (!args.empty()) detail += " (" + args + ")";
  sim_.At(fault.at, [this, fault, detail] { Inject(fault, detail); });
  if (fault.duration) {
    sim_.At(fault.at + *fault.duration, [this, fault] { Heal(fault); });
  }
}

void FaultInjector::Inject(const FaultSpec& fault, const std::string& detail) {
  host_.Record({.event = "FaultInjected",
                .cluster = ParamScalar(fault.params, "cluster"),
                .detail = detail});
  const KindHandler* h = FindHandler(fault.kind);
  if (h == nullptr) return;  // the loader knows every kind
  if (Status s = (this->*h->apply)(fault, true); !s.ok()) Fail(fault, s);
}

void FaultInjector::Heal(const FaultSpec& fault) {
  const KindHandler* h = FindHandler(fault.kind);
  if (h != nullptr) {
    if (Status s = (this->*h->apply)(fault, false); !s.ok()) Fail(fault, s);
  }
  host_.Record({.event = "FaultHealed",
                .cluster = ParamScalar(fault.params, "cluster"),
                .detail = fault.kind});
}

void FaultInjector::Fail(const FaultSpec& fault, const Status& status) {
  host_.Record({.event = "FaultFailed",
                .cluster = ParamScalar(fault.params, "cluster"),
                .detail = status.message()});
}

RandomStream FaultInjector::FaultStream(const FaultSpec& fault) const {
  return RandomStream(run_seed_,
                      fmt::format("faults/{}@{}", fault.kind, fault.at.since_start().micros()));
}

std::vector<std::string> FaultInjector::MatchingClusters(const std::string& glob,
                                                         bool empty_is_all) const {
  std::vector<std::string> out;
  for (const ClusterTarget& c : host_.Clusters()) {
    if ((empty_is_all && glob.empty()) || GlobMatches(glob, c.name)) out.push_back(c.name);
  }
  return out;
}

const RepoSpec* FaultInjector::FindRepo(const std::string& name) const {
  for (const RepoSpec& r : host_.Repos()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

}  // namespace fleetsim::chaos
