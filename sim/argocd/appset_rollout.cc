// The ApplicationSet controller's RollingSync (reference/argocd.md 4.6; argo-cd
// applicationset/progressivesync/progressive_sync.go PerformProgressiveSyncs,
// SyncDesiredApplications, syncApplication): the rules are in appset_progressive.h; this file reads
// the Applications' status from the application controller, keeps status.applicationStatus and
// starts the syncs of the Pending Applications.
#include <algorithm>

#include "sim/argocd/appset_controller.h"

namespace fleetsim {
namespace {

const Json& Meta(const Json& app, const char* key) {
  static const Json kNull;
  auto meta = app.find("metadata");
  if (meta == app.end() || !meta->is_object()) return kNull;
  auto it = meta->find(key);
  return it == meta->end() ? kNull : *it;
}

std::string NameOf(const Json& app) {
  const Json& name = Meta(app, "name");
  return name.is_string() ? name.get<std::string>() : "";
}

std::map<std::string, std::string> LabelsOf(const Json& app) {
  std::map<std::string, std::string> out;
  const Json& labels = Meta(app, "labels");
  if (!labels.is_object()) return out;
  for (const auto& [k, v] : labels.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace

void ApplicationSetController::EnableProgressiveSyncs(ProgressiveSyncHost& host,
                                                      int64_t start_unix) {
  progressive_ = &host;
  start_unix_ = start_unix;
}

void ApplicationSetController::OnApplicationStatusChanged(const std::string& app) {
  if (progressive_ == nullptr) return;
  Result<LiveObject> live = management_.Get({"argoproj.io", "Application", "argocd", app});
  if (!live.ok()) return;
  for (const OwnerReference& ref : live->object->owner_references()) {
    if (ref.controller && ref.kind == "ApplicationSet" && states_.count(ref.name) != 0) {
      Enqueue(ref.name);
    }
  }
}

const std::vector<AppSetAppStatus>& ApplicationSetController::AppStatuses(
    const std::string& appset) const {
  static const std::vector<AppSetAppStatus> kNone;
  auto it = states_.find(appset);
  return it == states_.end() ? kNone : it->second.app_statuses;
}

void ApplicationSetController::SetAppStatuses(AppSetState& state,
                                              std::vector<AppSetAppStatus> next) {
  std::vector<AppSetAppStatus> before = state.app_statuses;
  if (!PersistAppStatuses(std::move(next), &state.app_statuses)) return;
  for (const AppSetAppStatus& now : state.app_statuses) {
    auto was = std::find_if(before.begin(), before.end(), [&](const AppSetAppStatus& b) {
      return b.application == now.application;
    });
    if (was != before.end() && was->status == now.status && was->message == now.message) continue;
    Record("RollingSyncStatusChanged", state.name, now.application,
           now.status + " (step " + now.step + "): " + now.message);
  }
}

std::set<std::string> ApplicationSetController::PerformProgressiveSyncs(
    AppSetState& state, const AppSetSpec& spec, const std::vector<Json>& generated) {
  std::vector<LabeledApp> labeled;
  std::map<std::string, const Json*> desired;
  for (const Json& app : generated) {
    labeled.push_back({NameOf(app), LabelsOf(app)});
    desired[NameOf(app)] = &app;
  }
  RollingSteps steps = BuildRollingSteps(spec.steps, labeled);

  std::vector<ProgressInput> inputs;
  std::set<std::string> current;
  for (const LiveObject& app : OwnedApplications(spec)) {
    ProgressInput in;
    in.name = app.key().name;
    current.insert(in.name);
    in.view = progressive_->ProgressView(in.name).value_or(AppProgressView{});
    auto it = desired.find(in.name);
    if (it != desired.end()) {
      // The spec this controller would write (automated disabled) against the live one.
      // SpecsEquivalent: ignoreApplicationDifferences applies to both sides.
      Json want = *it->second;
      DisableAutomatedSync(&want);
      want = WithoutIgnored(spec.ignore_differences, in.name, std::move(want));
      Json live = WithoutIgnored(spec.ignore_differences, in.name, app.doc());
      in.spec_changed = want.value("spec", Json::object()) != live.value("spec", Json::object());
    }
    inputs.push_back(std::move(in));
  }
  SetAppStatuses(state, UpdateAppStatuses(state.app_statuses, inputs, steps, sim_.now()));
  std::set<std::string> to_sync = AppsToSync(state.app_statuses, steps, current);
  std::map<int, std::string> invalid_max;
  SetAppStatuses(state, PromoteToPending(state.app_statuses, spec.steps, to_sync, steps, sim_.now(),
                                         &invalid_max));
  RolloutCondition progressing = ProgressingCondition(state.app_statuses, spec.steps.size());
  if (!state.rollout_progressing || state.rollout_progressing->message != progressing.message) {
    Record("RollingSyncProgress", state.name, "", progressing.message);
  }
  state.rollout_progressing = progressing;
  state.rollout_config = InvalidRolloutConfigCondition(steps, invalid_max);
  return to_sync;
}

std::map<std::string, bool> ApplicationSetController::SyncDesiredApplications(
    const AppSetState& state, const std::set<std::string>& to_sync, std::vector<Json>* apps) {
  std::map<std::string, bool> syncs;
  for (Json& app : *apps) {
    bool prune = DisableAutomatedSync(&app);
    std::string name = NameOf(app);
    bool pending = false;
    for (const AppSetAppStatus& s : state.app_statuses) {
      if (s.application == name) pending = s.status == "Pending";
    }
    if (pending && to_sync.count(name) != 0) syncs[name] = prune;
  }
  return syncs;
}

void ApplicationSetController::TriggerSyncs(const AppSetState& state,
                                            const std::map<std::string, bool>& syncs) {
  for (const auto& [name, prune] : syncs) {
    // Argo CD writes the same .operation on every reconcile while the app is Pending, which
    // changes nothing once the operation runs; here a sync is started only when none has started
    // since the Pending transition.
    // An app the application controller has not compared yet is synced once it has been: a sync
    // operation here applies the manifests of the last comparison (Argo CD compares first).
    std::optional<AppProgressView> view = progressive_->ProgressView(name);
    if (!view || view->operation_running || view->revisions.empty()) continue;
    SimTime pending_since = sim_.now();
    for (const AppSetAppStatus& s : state.app_statuses) {
      if (s.application == name) pending_since = s.last_transition;
    }
    if (view->operation_started_at && *view->operation_started_at >= pending_since) continue;
    Status s = progressive_->SyncFromAppSet(name, prune);
    if (!s.ok()) Record("ApplicationSetWarning", state.name, name, s.message());
  }
}

}  // namespace fleetsim
