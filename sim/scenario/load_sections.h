// Internal to the scenario loader: one reader per top-level section of a scenario file, and the
// checks they share. Each reader records its first error in the node's ReadContext (sticky) and
// returns what it read so far; the caller checks ok() before using the result.
#ifndef FLEETSIM_SIM_SCENARIO_LOAD_SECTIONS_H_
#define FLEETSIM_SIM_SCENARIO_LOAD_SECTIONS_H_

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sim_time.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {

// What the later sections refer to, known once fleet, repos and duration are read.
struct LoadScope {
  std::string dir;                                // the scenario file's directory, absolute
  SimDuration duration;                           // the run's length
  std::vector<std::string> clusters;              // fleet cluster names and in-cluster, sorted
  std::map<std::string, std::string> repo_trees;  // repo name -> absolute tree dir ("" for git)
};

FleetSpec LoadFleet(const YamlNode& node);
ArgoCdSettings LoadArgoCd(const YamlNode& node);
std::vector<RepoSpec> LoadRepos(const YamlNode& node, const std::string& dir);
std::vector<BootstrapEntry> LoadBootstrap(const YamlNode& node, const LoadScope& scope);
std::vector<HistoryEntry> LoadHistory(const YamlNode& node, const LoadScope& scope);
void LoadFaults(const YamlNode& node, const LoadScope& scope, std::vector<FaultSpec>* faults,
                std::vector<RandomFaultSpec>* random_faults);
std::vector<ActionSpec> LoadActions(const YamlNode& node, const LoadScope& scope);
TrafficSpec LoadTraffic(const YamlNode& node);
std::vector<SecretStoreSpec> LoadSecretStores(const YamlNode& node);
std::vector<Expectation> LoadExpect(const YamlNode& node);

// The required `at` of a history entry, fault or action: a duration within [0, duration].
SimTime ReadAt(const YamlNode& entry, const LoadScope& scope);

// `node` names a fleet cluster or in-cluster (or, with allow_glob, is a pattern).
std::string ReadClusterRef(const YamlNode& node, const LoadScope& scope, bool allow_glob);
// `node` names a declared repo.
std::string ReadRepoRef(const YamlNode& node, const LoadScope& scope);
// `node` is a path inside a repository (name_rules.h IsRepoRelativePath).
std::string ReadRepoPath(const YamlNode& node);
// When `repo` is a `tree` repo, the path `node` names exists in that directory.
void CheckPathInTree(const YamlNode& node, const std::string& repo, const LoadScope& scope);
// A non-empty string.
std::string ReadNonEmpty(const YamlNode& node);
// One of `choices`; `what` names it in the message: `unknown mode "x" (did you mean ...)`.
std::string ReadChoice(const YamlNode& node, std::string_view what,
                       const std::vector<std::string_view>& choices);
// Kubernetes labels: a map of valid label keys to valid label values.
std::map<std::string, std::string> ReadLabels(const YamlNode& node);

// A number in its shortest exact form: 3, 0.5, 1e-07.
std::string FormatNumber(double x);

// Sorts by `at`, keeping file order among equal times.
template <typename T>
void SortByAt(std::vector<T>* entries) {
  std::stable_sort(entries->begin(), entries->end(),
                   [](const T& a, const T& b) { return a.at < b.at; });
}

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_LOAD_SECTIONS_H_
