// AppProject sync windows (reference 5.2; argo-cd pkg/apis/application/v1alpha1/types.go:
// SyncWindows.Matches, Active, InactiveAllows, CanSync, SyncWindow.scheduleOffsetByTimeZone).
//
// A window is active at t when its cron schedule has an activation strictly inside
// (t' - duration, t'), where t' is t in UTC shifted by the window's time-zone offset *at t*
// (upstream adds the zone's current offset to UTC instead of converting, so on a DST change day
// the window moves with the offset in force now). An unknown time zone counts as UTC (upstream
// logs "Invalid time zone ... Using UTC"); a schedule or duration that does not parse makes
// CanSync fail with "invalid sync windows: cannot parse schedule '...': ...", which blocks
// automated and manual syncs alike.
#ifndef FLEETSIM_SIM_ARGOCD_SYNC_WINDOW_H_
#define FLEETSIM_SIM_ARGOCD_SYNC_WINDOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/argocd/cron_schedule.h"
#include "sim/argocd/time_zone.h"

namespace fleetsim {

struct SyncWindow {
  std::string kind;  // "allow" or "deny" (anything else is neither, as upstream)
  std::string schedule;
  std::string duration;
  std::vector<std::string> applications, namespaces, clusters;
  bool manual_sync = false;
  std::string time_zone;
  bool and_operator = false;
  bool sync_overrun = false;
  std::string description;

  // Resolved by ResolveSyncWindows: the parsed schedule and duration, or the error CanSync
  // reports; the zone (UTC when unknown, or `zones` is null).
  std::optional<CronSchedule> cron;
  int64_t duration_micros = 0;
  std::string error;
  TimeZone zone = TimeZone::Utc();

  // "deny 0 22 * * * 8h Europe/Berlin", for the timeline.
  std::string Describe() const;
};

// Parses schedules, durations and zones of every window, as each evaluation upstream does.
void ResolveSyncWindows(std::vector<SyncWindow>& windows, TimeZoneDatabase* zones);

// What a window selects from an Application: its name and destination.
struct WindowTarget {
  std::string app;
  std::string dest_name;    // spec.destination.name as written
  std::string dest_server;  // spec.destination.server as written
  std::string dest_namespace;
};

// SyncWindows.Matches: the windows selecting `target`, in project order.
std::vector<const SyncWindow*> MatchWindows(const std::vector<SyncWindow>& windows,
                                            const WindowTarget& target);

// SyncWindow.active at Unix microsecond `now_us`: ok(true|false) or the parse error
// ("cannot parse schedule '...': ..." / "cannot parse duration '...': ...").
Result<bool> WindowActive(const SyncWindow& w, int64_t now_us);

// SyncWindows.CanSync over the matching windows. `op_started_us`: the running operation's start
// (sync overrun), nullopt for a new sync. Errors read "invalid sync windows: ...".
Result<bool> CanSync(const std::vector<const SyncWindow*>& windows, bool manual, int64_t now_us,
                     std::optional<int64_t> op_started_us);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_SYNC_WINDOW_H_
