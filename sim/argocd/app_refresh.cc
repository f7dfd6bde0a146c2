// The application controller's refresh path: deciding whether to compare (needRefreshAppStatus),
// asking the repo-server for the target state, comparing with the live state, and the automated
// sync decision (reference 1.2, 1.3, 1.5).
#include <fmt/format.h>

#include "sim/argocd/app_controller.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

constexpr SimDuration kCompareBaseCost = SimDuration::Millis(2);
constexpr SimDuration kComparePerResourceCost = SimDuration::Micros(200);

uint64_t Mix(uint64_t h, uint64_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

// What besides the rendered manifests a comparison depends on: the spec, the live objects'
// version and the destination cluster.
uint64_t Fingerprint(const ApplicationSpec& spec, uint64_t live_version,
                     const std::string& cluster) {
  uint64_t h = Mix(spec.source_hash, spec.destination_hash);
  h = Mix(h, live_version);
  for (char c : cluster) h = Mix(h, static_cast<unsigned char>(c));
  return h;
}

bool SameParts(const std::vector<RenderedManifestsPtr>& a,
               const std::vector<RenderedManifestsPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::string ShortRevision(const std::vector<CommitId>& revisions) {
  return revisions.empty() ? std::string() : revisions.front().hex().substr(0, 7);
}

// The self-heal backoff (reference 1.5): attempt N waits duration * factor^(N-1), capped; N=0 none.
SimDuration SelfHealDelay(const ArgoCdSettings& s, int64_t attempts) {
  if (attempts <= 0) return SimDuration::Zero();
  SimDuration d = s.self_heal_backoff_timeout;
  for (int64_t i = 1; i < attempts && d < s.self_heal_backoff_cap; ++i)
    d = d * s.self_heal_backoff_factor;
  return std::min(d, s.self_heal_backoff_cap);
}

// The comparison level as Argo CD names it (controller/appcontroller.go CompareWith), and whether
// the refresh is hard.
std::string_view CompareWithName(ApplicationController::RefreshLevel level, bool hard) {
  using Level = ApplicationController::RefreshLevel;
  switch (level) {
    case Level::kRecent:
      return hard ? "CompareWithRecent hard" : "CompareWithRecent";
    case Level::kLatest:
      return hard ? "CompareWithLatest hard" : "CompareWithLatest";
    default:
      return hard ? "CompareWithLatestForceResolve hard" : "CompareWithLatestForceResolve";
  }
}

}  // namespace

// needRefreshAppStatus (argo-cd controller/appcontroller.go), the first reason that holds:
//   1. the refresh annotation: CompareWithLatestForceResolve, hard when it says so;
//   2. the source differs from the one last compared: CompareWithLatestForceResolve;
//   3. the comparison expired (reconciledAt + timeout.reconciliation is past): CompareWithLatest,
//      a hard refresh when timeout.hard.reconciliation (if set) expired too;
//   4. the destination differs: CompareWithLatest;
//   5. the controller requested a refresh: the level it requested, and the request is taken.
// A controller request that meets an earlier reason stays for the next time the app is processed.
ApplicationController::RefreshLevel ApplicationController::RefreshLevelFor(AppState& app,
                                                                           bool* hard) {
  *hard = false;
  if (app.refresh_annotation != 0) {
    auto requested = static_cast<RefreshLevel>(app.refresh_annotation);
    app.refresh_annotation = 0;
    *hard = requested == RefreshLevel::kHard;
    return RefreshLevel::kForceResolve;
  }
  if (app.spec && app.spec->source_hash != app.compared_source_hash) {
    return RefreshLevel::kForceResolve;
  }
  const SimTime now = sim_.now();
  auto expired = [&](SimDuration timeout) {
    return timeout > SimDuration::Zero() &&
           (!app.reconciled_at || *app.reconciled_at + timeout < now);
  };
  const bool hard_expired = expired(settings_.hard_reconcile_interval);
  if (!app.reconciled_at || expired(settings_.reconcile_interval) || hard_expired) {
    *hard = hard_expired;
    return RefreshLevel::kLatest;
  }
  if (app.spec && app.spec->destination_hash != app.compared_destination_hash) {
    return RefreshLevel::kLatest;
  }
  auto requested = static_cast<RefreshLevel>(app.refresh_level);
  app.refresh_level = 0;
  return requested;
}

void ApplicationController::ProcessRefresh(uint32_t id, ProcessorPool<uint32_t>::Completion done) {
  AppState* found = AppById(id);
  if (found == nullptr || found->deletion_timestamp) return done();
  AppState& app = *found;
  bool hard = false;
  const RefreshLevel level = RefreshLevelFor(app, &hard);
  if (level == RefreshLevel::kNone) return done();
  ++refreshes_;
  Record("RefreshStarted", app, app.key_text, CompareWithName(level, hard), /*change=*/false);

  if (!app.spec) {
    app.comparison_error = "InvalidSpecError: " + app.spec_error;
    SetConditionStatus(app, SyncStatusCode::kUnknown, {HealthCode::kUnknown, ""});
    return done();
  }
  // refreshAppConditions: the project, its source and destination rules, the destination.
  const ClusterEndpoint* dest = Destination(app);
  std::string conditions = ProjectConditions(app, dest);
  if (dest == nullptr && ProjectOf(app).ok()) {
    std::string which = app.spec->dest_server.empty() ? "name: " + app.spec->dest_name
                                                      : "URL: " + app.spec->dest_server;
    conditions += (conditions.empty() ? "" : ";") +
                  ("InvalidSpecError: application destination spec for " + app.name +
                   " is invalid: unable to find destination server: there are no clusters with "
                   "this " +
                   which);
  }
  if (!conditions.empty()) {
    app.comparison_error = std::move(conditions);
    SetConditionStatus(app, SyncStatusCode::kUnknown, {HealthCode::kUnknown, ""});
    return done();
  }
  app.destination_cluster = dest->name;

  // CompareWithRecent: the revisions last compared, without asking the repo-server.
  if (level == RefreshLevel::kRecent && !app.revisions.empty()) {
    ManifestResult cached;
    cached.revisions = app.revisions;
    cached.revision = app.revisions.front();
    FinishRefresh(id, level, hard, std::move(cached), done, /*cached_targets=*/true);
    return;
  }
  bool force = level >= RefreshLevel::kForceResolve;
  repo_server_.GenerateManifests(app.spec->sources, force, hard, {},
                                 [this, id, level, hard, done](Result<ManifestResult> result) {
                                   FinishRefresh(id, level, hard, std::move(result), done,
                                                 /*cached_targets=*/false);
                                 },
                                 {.client = id, .sources_hash = app.spec->source_hash});
}

void ApplicationController::FinishRefresh(uint32_t id, RefreshLevel level, bool hard,
                                          Result<ManifestResult> manifests,
                                          ProcessorPool<uint32_t>::Completion done,
                                          bool cached_targets) {
  AppState* found = AppById(id);
  if (found == nullptr || !found->spec) return done();
  AppState& app = *found;
  const ApplicationSpec& spec = *app.spec;
  if (level >= RefreshLevel::kLatest || !app.reconciled_at) app.reconciled_at = sim_.now();
  app.compared_source_hash = spec.source_hash;
  app.compared_destination_hash = spec.destination_hash;

  if (!manifests.ok()) {
    // Repo errors inside the grace period are ignored unless the refresh forced a resolve.
    bool forced = level >= RefreshLevel::kForceResolve;
    if (!app.repo_error_since) app.repo_error_since = sim_.now();
    bool in_grace = sim_.now() - *app.repo_error_since < settings_.repo_error_grace_period;
    if (!forced && in_grace && app.sync != SyncStatusCode::kUnknown) return done();
    app.comparison_error = "ComparisonError: " + manifests.error();
    SetConditionStatus(app, SyncStatusCode::kUnknown, app.health);
    operation_queue_.Add(app.name);
    return done();
  }
  app.repo_error_since.reset();
  const ClusterEndpoint* dest = Destination(app);
  Status probe = dest->api->Discoverable("v1", "Namespace");
  if (probe.ok() && !cache_.EnsureSynced(dest->name)) {
    probe = dest->api->Discoverable("v1", "Namespace");
    if (probe.ok()) probe = Status::Error("the cluster's resources could not be listed");
  }
  if (!probe.ok()) {
    app.comparison_error =
        "ComparisonError: failed to sync cluster " + dest->server + ": " + probe.message();
    SetConditionStatus(app, SyncStatusCode::kUnknown, {HealthCode::kUnknown, ""});
    return done();
  }
  const LiveStateCache::AppObjects& live = cache_.Tracked(dest->name, app.name, &app.live_hint);
  // The comparison is made again only when one of its inputs changed: the rendered sets (the
  // revision alone is not an input: a commit that leaves the app's sources alone renders to the
  // same cached sets), the live objects, the spec or the destination.
  uint64_t fingerprint = Fingerprint(spec, live.version, dest->name);
  const bool same_parts = cached_targets || SameParts(manifests->parts, app.compared_parts);
  SimDuration cost = kCompareBaseCost;
  bool manifests_changed = false;
  std::string previous_revision;
  if (!same_parts || fingerprint != app.comparison_fingerprint || hard ||
      !app.comparison_error.empty()) {
    ++app.comparisons;
    // The rendered objects are flattened only now: an unchanged app never copies them.
    if (!cached_targets) {
      app.targets = manifests->Objects();
      app.compared_parts = manifests->parts;
    }
    uint64_t digest = 0x51ed27u;
    for (const ObjectPtr& o : app.targets) digest = Mix(digest, o->content_hash());
    manifests_changed = digest != app.targets_digest || app.revisions.empty();
    if (manifests_changed) {
      previous_revision = app.revisions.empty() ? "-" : app.revisions.front().hex().substr(0, 7);
    }
    app.targets_digest = digest;
    CompareInputs in{app.name,      app.key,   spec.dest_namespace, &app.targets,
                     &live.objects, dest->api, live.version};
    RecompareAppState(in, &app.comparison);
    app.comparison_fingerprint = fingerprint;
    cost += kComparePerResourceCost * static_cast<int64_t>(app.comparison.resources.size());
  }
  app.revisions = manifests->revisions;
  app.comparison_error.clear();
  SetConditionStatus(app, app.comparison.sync, app.comparison.health);
  // After the new status, so that observers see the state this revision compared to.
  if (manifests_changed) {
    Record("ManifestsChanged", app, app.key_text,
           NormalizeRepoUrl(spec.sources.front().repo_url) + " " +
               app.revisions.front().hex().substr(0, 7) + " " + previous_revision);
  }
  AutoSync(app);
  if (app.operation) {
    operation_queue_.Add(app.name);
  } else if (app.sync == SyncStatusCode::kSynced && app.health.code == HealthCode::kHealthy) {
    // Settled: the app keeps no copy of its prepared manifests (a sync restores them).
    ReleasePrepared(&app.comparison);
  }
  sim_.After(cost, [done] { done(); });
}

void ApplicationController::SetConditionStatus(AppState& app, SyncStatusCode sync,
                                               HealthStatus health) {
  if (app.sync == sync && app.health.code == health.code) return;
  app.sync = sync;
  app.health = std::move(health);
  std::string detail =
      fmt::format("{} {}", SyncStatusName(app.sync), HealthCodeName(app.health.code));
  if (!app.revisions.empty()) detail += " @" + ShortRevision(app.revisions);
  if (!app.comparison_error.empty()) detail += ": " + app.comparison_error;
  Record("ComparisonChanged", app, app.key_text, detail);
  NotifyStatus(app);
}

void ApplicationController::AutoSync(AppState& app) {
  const ApplicationSpec& spec = *app.spec;
  if (!spec.automated || app.operation || app.deletion_timestamp) return;
  if (app.sync != SyncStatusCode::kOutOfSync) return;
  // CanSync(isManual=false) before autoSync: a closed window leaves the app OutOfSync until a
  // refresh finds it open ("Sync prevented by sync window"; traced once per closed spell).
  Result<bool> window = WindowsAllow(app, /*manual=*/false, std::nullopt);
  if (!window.ok() || !*window) {
    if (!app.window_blocked) {
      std::string why = window.ok() ? BlockingWindows(app) : window.error();
      Record("SyncBlocked", app, app.key_text,
             "Sync prevented by sync window" + (why.empty() ? "" : ": " + why));
    }
    app.window_blocked = true;
    return;
  }
  app.window_blocked = false;
  if (!spec.prune) {
    bool only_prune = true;
    for (const ResourceStatus& r : app.comparison.resources) {
      if (r.status != SyncStatusCode::kSynced && !r.requires_pruning) only_prune = false;
    }
    if (only_prune) return;  // "need to prune extra resources only but automated prune is disabled"
  }
  Operation op;
  op.automated = true;
  op.prune = spec.prune;
  op.revisions = app.revisions;
  op.retry = spec.retry.value_or(RetryPolicy{.limit = 5});
  bool same = app.last_sync && app.last_sync->revisions == app.revisions &&
              app.last_sync->source_hash == spec.source_hash;
  if (same) {
    if (app.last_sync->phase != OperationPhase::kSucceeded) {
      app.sync_error = "Failed last sync attempt to " + ShortRevision(app.revisions);
      return;
    }
    if (!spec.self_heal) return;
    int64_t attempts = app.last_sync->self_heal_attempts;
    SimTime ready = app.last_sync->finished_at + SelfHealDelay(settings_, attempts);
    if (sim_.now() < ready) {
      if (app.delayed_refresh != 0) sim_.Cancel(app.delayed_refresh);
      app.delayed_refresh = sim_.At(ready, [this, name = app.name] {
        auto it = apps_.find(name);
        if (it == apps_.end()) return;
        it->second->delayed_refresh = 0;
        RequestRefresh(*it->second, RefreshLevel::kLatest);
      });
      return;
    }
    op.self_heal_attempts = attempts + 1;
    for (const ResourceStatus& r : app.comparison.resources) {
      if (r.status != SyncStatusCode::kSynced && !r.hook) op.resources.push_back(r.key);
    }
  }
  if (spec.prune && !spec.allow_empty && !app.comparison.resources.empty()) {
    bool all_prune = true;
    for (const ResourceStatus& r : app.comparison.resources) {
      if (!r.requires_pruning) all_prune = false;
    }
    if (all_prune) {
      std::string message = "Skipping sync attempt to " + ShortRevision(app.revisions) +
                            ": auto-sync will wipe out all resources";
      if (app.sync_error != message) {
        app.sync_error = message;
        Record("SyncSkipped", app, app.key_text, message);
      }
      return;
    }
  }
  app.sync_error.clear();
  if (same)
    Record("SelfHealStarted", app, app.key_text,
           fmt::format("attempt {} of {} resource(s)", op.self_heal_attempts, op.resources.size()));
  StartOperation(app, std::move(op));
}

}  // namespace fleetsim
