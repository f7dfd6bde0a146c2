// The chaos catalog (DESIGN.md "Faults"): schedules the scenario's faults and random fault
// schedules on the kernel and gives each kind its consequences through a FaultHost, one handler
// per kind (fault_handlers.cc). Every fault is an event: FaultInjected at `at` (its arguments in
// the detail, as resolved for a random one), FaultHealed after `for` for kinds that heal,
// FaultFailed when it could not act (the target is gone, the commit cannot apply).
//
// Random schedules (random_faults.cc): arrivals are a Poisson process of the spec's rate; each
// fault takes a kind uniformly from `kinds`, a duration from `for` (a duration, or {min, max}
// drawn uniformly; ignored by kinds that do not heal) and a target drawn when it fires from what
// matches the spec's globs at that instant. Everything is drawn from the spec's stream
// ("faults/<seed-stream>", one fork per fault), so a seed replays the same faults whatever else the
// run does; a fault that finds no target is recorded as FaultSkipped, not as a failure.
#ifndef FLEETSIM_SIM_CHAOS_FAULT_INJECTOR_H_
#define FLEETSIM_SIM_CHAOS_FAULT_INJECTOR_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/random.h"
#include "engine/simulator.h"
#include "sim/chaos/empty_git_sources.h"
#include "sim/chaos/fault_host.h"
#include "sim/scenario/scenario.h"

namespace fleetsim::chaos {

// What a random schedule gives a kind when the spec does not say (README "Random faults").
inline constexpr double kRandomThrottleQps = 5;                           // api-throttle
inline constexpr double kRandomDegradedSuccessRate = 0.5;                 // metrics-degraded
inline constexpr SimDuration kRandomSlowStart = SimDuration::Minutes(2);  // slow-start

struct FaultSettings {
  int64_t controller_replicas = 1;            // argocd.controllerReplicas
  std::string sharding_algorithm = "legacy";  // argocd.shardingAlgorithm
};

class FaultInjector {
 public:
  // REQUIRES: sim and host outlive the injector.
  FaultInjector(Simulator& sim, FaultHost& host, uint64_t run_seed, FaultSettings settings);
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  // Schedules `fault` (and its heal). REQUIRES: `fault` was validated by the loader.
  void Schedule(const FaultSpec& fault);
  // Schedules the arrivals of `spec` in (0, end]. REQUIRES: `spec` outlives the injector.
  void ScheduleRandom(const RandomFaultSpec& spec, SimTime end);

  // Whether a random schedule can draw `kind` (every kind but those that name what no world
  // holds a list of: secret-key-deleted).
  static bool Drawable(std::string_view kind);

  // The git-empty-response faults in force, for the ApplicationSet controller's sources.
  const EmptyGitResponses& git_responses() const { return git_responses_; }
  int64_t controller_replicas() const { return replicas_; }

 private:
  using Handler = Status (FaultInjector::*)(const FaultSpec& fault, bool active);
  struct KindHandler {
    std::string_view kind;
    Handler apply;
    bool heals;
  };
  static const std::vector<KindHandler>& Handlers();
  static const KindHandler* FindHandler(std::string_view kind);

  void Inject(const FaultSpec& fault, const std::string& detail);
  void Heal(const FaultSpec& fault);
  void Fail(const FaultSpec& fault, const Status& status);
  // A random fault firing: its target resolved now, then injected (and its heal scheduled).
  void InjectRandom(const RandomFaultSpec& spec, std::string kind,
                    std::optional<SimDuration> duration, RandomStream rng);
  // The fault's arguments drawn from what matches the spec's globs now; nullopt: no target.
  // One helper per family of kinds (random_faults.cc), all drawing from the fault's fork.
  struct TargetPool;
  std::optional<Params> DrawTarget(const RandomFaultSpec& spec, const std::string& kind,
                                   RandomStream& rng);
  std::optional<Params> DrawClusterFault(const std::string& kind, TargetPool& pool,
                                         RandomStream& rng);
  std::optional<Params> DrawRepoFault(const std::string& kind, TargetPool& pool, RandomStream& rng);
  std::optional<Params> DrawEditSelector(TargetPool& pool, RandomStream& rng);
  std::optional<Params> DrawControllerFault(const std::string& kind, TargetPool& pool,
                                            RandomStream& rng);
  std::optional<Params> DrawDrift(TargetPool& pool, RandomStream& rng);
  std::optional<Params> DrawImageFault(const std::string& kind, TargetPool& pool,
                                       RandomStream& rng);
  // The stream of an explicit fault that draws (rename-directory / delete-path with a glob).
  RandomStream FaultStream(const FaultSpec& fault) const;

  // ---- handlers (fault_handlers.cc) ----
  Status ClusterUnreachable(const FaultSpec& fault, bool active);
  Status GitUnreachable(const FaultSpec& fault, bool active);
  Status GitEmptyResponse(const FaultSpec& fault, bool active);
  Status RenameDirectory(const FaultSpec& fault, bool active);
  Status DeletePath(const FaultSpec& fault, bool active);
  Status EditSelector(const FaultSpec& fault, bool active);
  Status ClusterDestroyed(const FaultSpec& fault, bool active);
  Status ClusterRelabel(const FaultSpec& fault, bool active);
  Status ControllerRestart(const FaultSpec& fault, bool active);
  Status ShardChange(const FaultSpec& fault, bool active);
  Status SealingKeyLost(const FaultSpec& fault, bool active);
  Status SecretStoreDown(const FaultSpec& fault, bool active);
  Status SecretKeyDeleted(const FaultSpec& fault, bool active);
  Status ManualDrift(const FaultSpec& fault, bool active);
  Status ArgoCdDestroyed(const FaultSpec& fault, bool active);
  Status BadImage(const FaultSpec& fault, bool active);
  Status SlowStart(const FaultSpec& fault, bool active);
  Status MetricsDegraded(const FaultSpec& fault, bool active);
  Status ApiThrottle(const FaultSpec& fault, bool active);

  // The fleet's cluster names matching `glob` ("" matches every one when `empty_is_all`).
  std::vector<std::string> MatchingClusters(const std::string& glob, bool empty_is_all) const;
  const RepoSpec* FindRepo(const std::string& name) const;

  Simulator& sim_;
  FaultHost& host_;
  uint64_t run_seed_;
  FaultSettings settings_;
  int64_t replicas_;
  EmptyGitResponses git_responses_;
  std::map<std::string, std::map<std::string, std::string>> labels_before_relabel_;
  std::vector<int64_t> replicas_before_;  // shard-change: the counts to go back to, innermost last
  uint64_t random_faults_ = 0;            // forks of the random streams, in schedule order
};

// The directories of `tree` whose path matches `glob` (fnmatch with FNM_PATHNAME), sorted.
std::vector<std::string> DirectoriesMatching(const Tree& tree, const std::string& glob);
// Where a rename of `from` goes when the fault names no destination: "<from>-renamed" (then
// "-renamed-2", ...) so that it lands on no existing path.
std::string RenamedPath(const Tree& tree, const std::string& from);

// The selector field of one manifest that edit-selector rewrites: an ApplicationSet's first
// generator-level selector or cluster generator's selector (matrix and merge children included),
// a Service's spec.selector, a workload's spec.selector.matchLabels; nullopt for other kinds.
std::optional<std::string> SelectorField(const Json& doc);

// "key=value" pairs of a fault's or action's arguments, sorted by key, for the timeline.
std::string DescribeParams(const Params& params);
std::string ParamScalar(const Params& params, const std::string& key);
bool GlobMatches(const std::string& glob, const std::string& name);

}  // namespace fleetsim::chaos

#endif  // FLEETSIM_SIM_CHAOS_FAULT_INJECTOR_H_
