#include "sim/metrics/notifications.h"

#include <algorithm>
#include <vector>

namespace fleetsim {
namespace {

constexpr size_t kNotifiedHistoryMaxSize = 100;  // notifications-engine state.go

bool Completed(const std::string& phase) {
  return phase == "Succeeded" || phase == "Failed" || phase == "Error";
}

// on-deployed.yaml: operationState != nil and phase in ['Succeeded'] and health == 'Healthy' and
// (!time.Parse(health.lastTransitionTime).Add(1 * time.Minute).Before(finishedAt) or
//  time.Parse(health.lastTransitionTime).Before(startedAt)). Without a lastTransitionTime the
// expression errors, which counts as false.
bool OnDeployed(const NotificationAppView& a) {
  if (a.phase != "Succeeded" || a.health != "Healthy" || !a.health_transition) return false;
  return !(*a.health_transition + 60 < a.finished_at) || *a.health_transition < a.started_at;
}
// on-health-degraded.yaml: app.status.health.status == 'Degraded'.
bool OnHealthDegraded(const NotificationAppView& a) { return a.health == "Degraded"; }
// on-sync-failed.yaml: operationState != nil and phase in ['Error', 'Failed'].
bool OnSyncFailed(const NotificationAppView& a) {
  return a.phase == "Error" || a.phase == "Failed";
}
// on-sync-succeeded.yaml: operationState != nil and phase in ['Succeeded'].
bool OnSyncSucceeded(const NotificationAppView& a) { return a.phase == "Succeeded"; }

int64_t WholeSeconds(SimTime t) { return t.since_start().whole_seconds(); }

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

const std::vector<NotificationTrigger>& DefaultNotificationTriggers() {
  // Each carries `oncePer: app.status.operationState?.syncResult?.revision` in the catalog.
  static const std::vector<NotificationTrigger> kTriggers = {
      {"on-deployed", &OnDeployed, true},
      {"on-health-degraded", &OnHealthDegraded, true},
      {"on-sync-failed", &OnSyncFailed, true},
      {"on-sync-succeeded", &OnSyncSucceeded, true},
  };
  return kTriggers;
}

std::vector<std::string> NotifiedState::Process(const std::vector<NotificationTrigger>& triggers,
                                                const NotificationAppView& app, int64_t now) {
  std::vector<std::string> sent;
  for (const NotificationTrigger& trigger : triggers) {
    if (!trigger.when(app)) {
      keys_.erase(trigger.name);  // the key without oncePer's prefix (SetAlreadyNotified false)
      continue;
    }
    std::string key = trigger.name;
    if (trigger.once_per_revision) {
      // fmt.Sprintf("%v", nil) is "<nil>"; an empty value means no prefix.
      std::string once = app.sync_revision ? *app.sync_revision : "<nil>";
      if (!once.empty()) key = once + ":" + key;
    }
    if (keys_.try_emplace(key, now, next_).second) {
      ++next_;
      sent.push_back(trigger.name);
    }
  }
  while (keys_.size() > kNotifiedHistoryMaxSize) {
    auto oldest = std::min_element(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    keys_.erase(oldest);
  }
  return sent;
}

void NotificationCounter::SetSettled(App& app, bool settled) {
  if (app.settled == settled) return;
  app.settled = settled;
  if (settled) {
    --unsettled_;
  } else {
    ++unsettled_;
  }
}

bool NotificationCounter::RefreshedThisSecond(const std::string& app, int64_t now) const {
  if (now != recent_second_) return false;
  return std::find(recent_refreshes_.begin(), recent_refreshes_.end(),
                   std::hash<std::string>()(app)) != recent_refreshes_.end();
}

bool NotifiedState::full() const { return keys_.size() >= kNotifiedHistoryMaxSize; }

// The Application's status as the trace tells it (sim/argocd: SyncStarted "... to REV",
// SyncFailed "Phase: message" or "...Retrying attempt #N" while the operation goes on,
// SyncSucceeded, ComparisonChanged "<Sync> <Health> ...", RefreshStarted). startedAt is taken at
// the operation's first SyncStarted (the operation is queued for at most a pass before it).
void NotificationCounter::Observe(const TraceRecord& r) {
  if (!dirty_.empty() && r.t.since_start().micros() > dirty_at_) Flush();
  if (r.app.empty()) return;
  const std::string& e = r.event;
  const bool refresh = e == "RefreshStarted";
  const int64_t now = WholeSeconds(r.t);
  if (refresh) {
    // Every refresh of an unchanged app passes here: while every app is settled, only the
    // refreshes of the current second are noted (see App::settled), without a lookup.
    if (now != recent_second_) {
      recent_second_ = now;
      recent_refreshes_.clear();
    }
    recent_refreshes_.push_back(std::hash<std::string>()(r.app));
    if (unsettled_ == 0) return;
  } else if (e == "ApplicationCreated") {
    auto [created, inserted] = apps_.try_emplace(r.app);
    App& app = created->second;
    if (app.dirty) std::erase(dirty_, r.app);
    if (inserted || app.settled) ++unsettled_;
    app = App{};  // a new object: no status, no notified annotation
  } else if (e == "ApplicationDeleted") {
    auto gone = apps_.find(r.app);
    if (gone == apps_.end()) return;
    if (gone->second.dirty) std::erase(dirty_, r.app);
    if (!gone->second.settled) --unsettled_;
    apps_.erase(gone);
    return;
  }
  auto it = apps_.find(r.app);
  if (it == apps_.end()) return;
  App& app = it->second;
  NotificationAppView& v = app.view;
  if (!refresh && app.settled && RefreshedThisSecond(r.app, now)) {
    v.reconciled_at = now;  // a refresh this second that the settled app did not note
  }
  if (refresh) {
    if (app.settled) return;
    v.reconciled_at = now;
  } else if (e == "ComparisonChanged") {
    v.reconciled_at = now;
    size_t a = r.detail.find(' ');
    size_t b = a == std::string::npos ? a : r.detail.find_first_of(" :", a + 1);
    std::string health = a == std::string::npos ? "" : r.detail.substr(a + 1, b - a - 1);
    if (health != v.health) {
      v.health = health;
      v.health_transition = now;
    }
  } else if (e == "SyncStarted") {
    if (v.phase != "Running") {
      v.phase = "Running";
      v.started_at = now;
    }
    size_t to = r.detail.rfind(" to ");
    v.sync_revision = to == std::string::npos ? std::string() : r.detail.substr(to + 4);
  } else if (e == "SyncFailed") {
    bool retrying = r.detail.find("Retrying attempt #") != std::string::npos;
    if (v.phase != "Running") {  // failed before syncing: a new operation without a syncResult
      v.phase = "Running";
      v.started_at = now;
      v.sync_revision.reset();
    }
    if (!retrying) {
      v.phase = StartsWith(r.detail, "Error") ? "Error" : "Failed";
      v.finished_at = now;
    }
  } else if (e == "SyncSucceeded") {
    v.phase = "Succeeded";
    v.finished_at = now;
  } else {
    return;
  }
  if (!refresh) SetSettled(app, false);
  if (!app.dirty) {
    app.dirty = true;
    dirty_.push_back(r.app);
  }
  dirty_at_ = r.t.since_start().micros();
}

void NotificationCounter::Flush() {
  for (const std::string& name : dirty_) {
    App& app = apps_.at(name);
    app.dirty = false;
    const NotificationAppView& v = app.view;
    // isAppSyncStatusRefreshed: a completed operation newer than the last reconciliation waits.
    if (Completed(v.phase) && (!v.reconciled_at || v.finished_at > *v.reconciled_at)) continue;
    int64_t now = dirty_at_ / 1000000;
    for (const std::string& trigger : app.state.Process(DefaultNotificationTriggers(), v, now)) {
      ++counts_[trigger];
    }
    SetSettled(app, !app.state.full());
  }
  dirty_.clear();
}

std::map<std::string, int64_t> NotificationCounter::Counts() const {
  NotificationCounter copy = *this;
  copy.Flush();
  std::map<std::string, int64_t> out;
  for (const NotificationTrigger& t : DefaultNotificationTriggers()) out[t.name] = 0;
  for (const auto& [name, n] : copy.counts_) out[name] += n;
  return out;
}

}  // namespace fleetsim
