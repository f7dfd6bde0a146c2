#include "sim/argocd/sync_window.h"

#include <fmt/format.h>

#include "sim/manifest/glob.h"

namespace fleetsim {
namespace {

constexpr int64_t kMicros = 1000000;

// globMatch(pattern, val, false): no negation, "*" matches anything.
bool WindowGlob(const std::string& pattern, const std::string& value) {
  return pattern == "*" || GlobMatch(pattern, value);
}

bool AnyMatches(const std::vector<std::string>& patterns, const std::string& value) {
  for (const std::string& p : patterns) {
    if (WindowGlob(p, value)) return true;
  }
  return false;
}

// hasDeny: whether any deny window is in `ws`, and whether all of them allow manual syncs.
std::pair<bool, bool> HasDeny(const std::vector<const SyncWindow*>& ws) {
  bool found = false, manual = false;
  for (const SyncWindow* w : ws) {
    if (w->kind != "deny") continue;
    manual = found ? manual && w->manual_sync : w->manual_sync;
    found = true;
  }
  return {found, manual};
}

bool HasAllow(const std::vector<const SyncWindow*>& ws) {
  for (const SyncWindow* w : ws) {
    if (w->kind == "allow") return true;
  }
  return false;
}

bool AllOfKindOverrun(const std::vector<const SyncWindow*>& ws, const char* kind) {
  bool any = false;
  for (const SyncWindow* w : ws) {
    if (w->kind != kind) continue;
    any = true;
    if (!w->sync_overrun) return false;
  }
  return any;
}

bool AllManual(const std::vector<const SyncWindow*>& ws) {
  if (ws.empty()) return false;
  for (const SyncWindow* w : ws) {
    if (!w->manual_sync) return false;
  }
  return true;
}

// Active (all kinds) and inactive allow windows at `now_us`, or the first parse error.
Status Partition(const std::vector<const SyncWindow*>& ws, int64_t now_us,
                 std::vector<const SyncWindow*>* active,
                 std::vector<const SyncWindow*>* inactive_allows) {
  for (const SyncWindow* w : ws) {
    Result<bool> on = WindowActive(*w, now_us);
    if (!on.ok()) return Status::Error("invalid sync windows: " + on.error());
    if (*on) active->push_back(w);
  }
  for (const SyncWindow* w : ws) {
    if (w->kind != "allow") continue;
    if (!*WindowActive(*w, now_us)) inactive_allows->push_back(w);
  }
  return Status::Ok();
}

// canSyncAtTime: CanSync without overrun.
Result<bool> CanSyncAt(const std::vector<const SyncWindow*>& ws, bool manual, int64_t at_us) {
  std::vector<const SyncWindow*> active, inactive;
  if (Status s = Partition(ws, at_us, &active, &inactive); !s.ok()) return s;
  auto [deny, deny_manual] = HasDeny(active);
  if (deny) return manual && deny_manual;
  if (HasAllow(active)) return true;
  if (!inactive.empty()) return manual && AllManual(inactive);
  return true;
}

}  // namespace

std::string SyncWindow::Describe() const {
  std::string out = fmt::format("{} {} {}", kind, schedule, duration);
  if (!time_zone.empty()) out += " " + time_zone;
  return out;
}

void ResolveSyncWindows(std::vector<SyncWindow>& windows, TimeZoneDatabase* zones) {
  for (SyncWindow& w : windows) {
    w.zone = TimeZone::Utc();
    if (zones != nullptr) {
      Result<TimeZone> z = zones->Load(w.time_zone);
      if (z.ok()) w.zone = *z;
    }
    w.error.clear();
    w.cron.reset();
    Result<CronSchedule> cron = CronSchedule::Parse(w.schedule, /*descriptors=*/false, zones);
    if (!cron.ok()) {
      w.error = fmt::format("cannot parse schedule '{}': {}", w.schedule, cron.error());
      continue;
    }
    w.cron = *cron;
    Result<int64_t> d = ParseGoDurationMicros(w.duration);
    if (!d.ok()) {
      w.error = fmt::format("cannot parse duration '{}': {}", w.duration, d.error());
      continue;
    }
    w.duration_micros = *d;
  }
}

std::vector<const SyncWindow*> MatchWindows(const std::vector<SyncWindow>& windows,
                                            const WindowTarget& t) {
  std::vector<const SyncWindow*> out;
  for (const SyncWindow& w : windows) {
    bool matched = false, set = false;
    if (!w.applications.empty()) {
      set = true;
      matched = AnyMatches(w.applications, t.app);
    }
    if (w.and_operator && !matched && set) continue;
    if (!w.and_operator && matched) {
      out.push_back(&w);
      continue;
    }
    if (!w.clusters.empty()) {
      matched = false;
      set = true;
      for (const std::string& c : w.clusters) {
        bool by_name = !t.dest_name.empty() && WindowGlob(c, t.dest_name);
        bool by_server = !t.dest_server.empty() && WindowGlob(c, t.dest_server);
        if (by_name || by_server) {
          matched = true;
          break;
        }
      }
    }
    if (set && w.and_operator && !matched) continue;
    if (!w.and_operator && matched) {
      out.push_back(&w);
      continue;
    }
    if (!w.namespaces.empty()) matched = AnyMatches(w.namespaces, t.dest_namespace);
    if (matched) out.push_back(&w);
  }
  return out;
}

Result<bool> WindowActive(const SyncWindow& w, int64_t now_us) {
  if (!w.error.empty() || !w.cron) {
    return Status::Error(w.error.empty() ? "sync window not resolved" : w.error);
  }
  int64_t now_s = now_us / kMicros - (now_us % kMicros < 0 ? 1 : 0);
  int64_t offset_us = w.zone.OffsetAt(now_s) * kMicros;
  int64_t from_us = now_us + offset_us - w.duration_micros;
  // schedule.Next rounds its argument up to the next whole second and returns a later tick.
  int64_t from_s = from_us / kMicros - (from_us % kMicros < 0 ? 1 : 0);
  std::optional<int64_t> next = w.cron->Next(from_s);
  if (!next) return true;  // the zero time is before everything
  return *next * kMicros < now_us + offset_us;
}

Result<bool> CanSync(const std::vector<const SyncWindow*>& ws, bool manual, int64_t now_us,
                     std::optional<int64_t> op_started_us) {
  if (ws.empty()) return true;
  std::vector<const SyncWindow*> active, inactive;
  if (Status s = Partition(ws, now_us, &active, &inactive); !s.ok()) return s;
  auto [deny, deny_manual] = HasDeny(active);
  if (deny) {
    if (manual && deny_manual) return true;
    if (op_started_us && AllOfKindOverrun(active, "deny"))
      return CanSyncAt(ws, manual, *op_started_us);
    return false;
  }
  if (HasAllow(active)) return true;
  if (!inactive.empty()) {
    if (manual && AllManual(inactive)) return true;
    if (op_started_us && AllOfKindOverrun(inactive, "allow")) {
      return CanSyncAt(ws, manual, *op_started_us);
    }
    return false;
  }
  return true;
}

}  // namespace fleetsim
