// RollingSync progressive syncs (reference/argocd.md 4.6; argo-cd applicationset/progressivesync/
// progressive_sync.go): the pure rules. Step membership from matchExpressions on the generated
// Applications' labels, the per-Application status machine of status.applicationStatus (Waiting,
// Pending, Progressing, Healthy, with upstream's messages), which steps may sync, maxUpdate, and
// the RolloutProgressing / InvalidRolloutConfig conditions. The ApplicationSet controller feeds it
// what the application controller reports and writes back what it decides.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_PROGRESSIVE_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_PROGRESSIVE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/sim_time.h"
#include "engine/status.h"
#include "sim/argocd/appset_spec.h"
#include "sim/argocd/progressive_sync_host.h"

namespace fleetsim {

// One entry of status.applicationStatus.
struct AppSetAppStatus {
  std::string application;
  std::string status;  // Waiting, Pending, Progressing, Healthy
  std::string message;
  std::string step;  // 1-based, "-1" when no step selects the Application
  std::vector<std::string> target_revisions;
  SimTime last_transition;
  bool operator==(const AppSetAppStatus&) const = default;
};

// buildAppDependencyList: the Applications of each step, the first step of each Application, and
// the configuration issues found (a step selecting nothing, an Application in several steps).
struct RollingSteps {
  std::vector<std::vector<std::string>> apps;  // per step, in the order of the input
  std::map<std::string, int> step_of;          // 0-based; absent = no step
  std::vector<int> empty_steps;
  // (step, operator) of operators other than In / NotIn met on a present label, in order.
  std::vector<std::pair<int, std::string>> invalid_operators;
  std::map<std::string, std::vector<int>> duplicates;  // app -> the steps selecting it
};

// One generated or live Application: its name and labels.
struct LabeledApp {
  std::string name;
  std::map<std::string, std::string> labels;
};

RollingSteps BuildRollingSteps(const std::vector<RollingSyncStep>& steps,
                               const std::vector<LabeledApp>& apps);

// One current Application with its status and whether its spec differs from the generated one.
struct ProgressInput {
  std::string name;
  AppProgressView view;
  bool spec_changed = false;
};

// UpdateApplicationSetApplicationStatus: the statuses after looking at every current Application.
std::vector<AppSetAppStatus> UpdateAppStatuses(const std::vector<AppSetAppStatus>& previous,
                                               const std::vector<ProgressInput>& apps,
                                               const RollingSteps& steps, SimTime now);

// getAppsToSync: the Applications of every step up to the first one not entirely Healthy (an
// Application not yet created or without a status blocks the later steps).
std::set<std::string> AppsToSync(const std::vector<AppSetAppStatus>& statuses,
                                 const RollingSteps& steps,
                                 const std::set<std::string>& current_apps);

// UpdateApplicationSetApplicationStatusProgress: Waiting -> Pending for the Applications allowed to
// sync, as maxUpdate permits. `invalid_max_update` collects the steps whose maxUpdate is invalid.
std::vector<AppSetAppStatus> PromoteToPending(const std::vector<AppSetAppStatus>& statuses,
                                              const std::vector<RollingSyncStep>& spec_steps,
                                              const std::set<std::string>& to_sync,
                                              const RollingSteps& steps, SimTime now,
                                              std::map<int, std::string>* invalid_max_update);

// intstr.GetScaledValueFromIntOrPercent(maxUpdate, total, false) with the floor of 1 for
// percentages other than "0%"; nullopt when unset (no limit).
std::optional<int> MaxUpdateFor(const std::optional<Json>& max_update, int total,
                                std::string* error);

// setAppSetApplicationStatus persists a new list only when an entry was added or removed, or an
// entry's status, step or message changed. Returns whether it did; `stored` is kept sorted by name.
bool PersistAppStatuses(std::vector<AppSetAppStatus> next, std::vector<AppSetAppStatus>* stored);

// The RolloutProgressing condition: {status, reason, message}.
struct RolloutCondition {
  std::string status;
  std::string reason;
  std::string message;
};
RolloutCondition ProgressingCondition(const std::vector<AppSetAppStatus>& statuses,
                                      size_t step_count);
// The InvalidRolloutConfig condition (ValidationIssues.getConditionMessage).
RolloutCondition InvalidRolloutConfigCondition(const RollingSteps& steps,
                                               const std::map<int, std::string>& invalid_max);

// disableAutomatedSync: spec.syncPolicy.automated.enabled = false when automated is set. Returns
// the template's automated.prune (false when automated is absent or disabled).
bool DisableAutomatedSync(Json* app);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_PROGRESSIVE_H_
