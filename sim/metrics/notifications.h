// What Argo CD Notifications would send from the default triggers of argo-cd's catalog
// (notifications_catalog/triggers/on-sync-failed.yaml, on-health-degraded.yaml,
// on-sync-succeeded.yaml, on-deployed.yaml), counted as if every Application subscribed to the
// four of them with one destination. Like the metrics, it reads only the trace.
//
// The notification controller (notifications-engine pkg/controller) evaluates each trigger's
// `when` on every update of an Application it sees. A trigger whose condition is true sends unless
// the state in the annotation `notified.notifications.argoproj.io` already holds its key: the
// trigger name, prefixed by the value of `oncePer` when the trigger has one (state.go
// StateItemKey). A condition that is false removes the key without a prefix only (`oncePer` is
// evaluated only when `when` is true, triggers/service.go), so a trigger with `oncePer` sends once
// per distinct value, and one without sends each time its condition becomes true. The state keeps
// at most 100 keys, the oldest dropped first (state.go truncate). An Application whose operation
// completed after its last reconciliation is not processed until it is reconciled again
// (argo-cd notification_controller isAppSyncStatusRefreshed).
#ifndef FLEETSIM_SIM_METRICS_NOTIFICATIONS_H_
#define FLEETSIM_SIM_METRICS_NOTIFICATIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/trace.h"

namespace fleetsim {

// The part of an Application the default triggers read. Times are whole Unix-like seconds (the
// RFC 3339 stamps of the status), here seconds since the run's start.
struct NotificationAppView {
  // status.operationState.phase: "" (no operationState), Running, Succeeded, Failed, Error.
  std::string phase;
  // status.operationState.syncResult.revision; nullopt while there is no syncResult.
  std::optional<std::string> sync_revision;
  int64_t started_at = 0;                    // status.operationState.startedAt
  int64_t finished_at = 0;                   // status.operationState.finishedAt (completed phases)
  std::string health;                        // status.health.status
  std::optional<int64_t> health_transition;  // status.health.lastTransitionTime
  std::optional<int64_t> reconciled_at;      // status.reconciledAt
};

// One trigger of the catalog: its name, its `when`, and whether it has the catalog's
// `oncePer: app.status.operationState?.syncResult?.revision`.
struct NotificationTrigger {
  std::string name;
  bool (*when)(const NotificationAppView&);
  bool once_per_revision;
};

// on-deployed, on-health-degraded, on-sync-failed, on-sync-succeeded, in that order.
const std::vector<NotificationTrigger>& DefaultNotificationTriggers();

// The `notified.notifications.argoproj.io` state of one Application.
class NotifiedState {
 public:
  // Runs the triggers on `app` at second `now`; returns the names of those that send.
  std::vector<std::string> Process(const std::vector<NotificationTrigger>& triggers,
                                   const NotificationAppView& app, int64_t now);
  // At the history's limit: the next Process may drop a key, so running the triggers again on
  // the same view may send again.
  bool full() const;

 private:
  // key → (time it was set, order set), for the oldest-first truncation.
  std::map<std::string, std::pair<int64_t, uint64_t>> keys_;
  uint64_t next_ = 0;
};

class NotificationCounter {
 public:
  void Observe(const TraceRecord& r);

  // Notifications per trigger name (every default trigger present) at the end of what was seen.
  std::map<std::string, int64_t> Counts() const;

 private:
  struct App {
    NotificationAppView view;
    NotifiedState state;
    bool dirty = false;  // updated at the current instant: evaluated when time moves
    // The triggers ran on this view (reconciledAt aside) and the state holds their outcome, so
    // running them again on it sends nothing and changes nothing: a refresh that changes only
    // reconciledAt needs no evaluation. A settled app's reconciledAt is not kept current: it
    // matters only to isAppSyncStatusRefreshed when an operation completes, and then only
    // whether a refresh came in that very second (recent_refreshes_).
    bool settled = false;
  };
  void Flush();
  void SetSettled(App& app, bool settled);
  bool RefreshedThisSecond(const std::string& app, int64_t now) const;

  // Only looked up, never iterated (the counts do not depend on the apps' order).
  std::unordered_map<std::string, App> apps_;
  std::vector<std::string> dirty_;  // the apps with `dirty` set
  size_t unsettled_ = 0;            // apps with `settled` false
  int64_t recent_second_ = -1;
  std::vector<size_t> recent_refreshes_;  // hashes of the apps refreshed in recent_second_
  int64_t dirty_at_ = 0;
  std::map<std::string, int64_t> counts_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_METRICS_NOTIFICATIONS_H_
