#include "sim/metrics/fleet_metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fleetsim {
namespace {

// Nearest-rank percentile of sorted values (DESIGN.md: percentiles are nearest-rank).
double NearestRank(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double Seconds(SimDuration d) { return static_cast<double>(d.micros()) / 1e6; }

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

FleetMetrics::FleetMetrics(std::map<std::string, std::string> repo_names, bool bootstrap_is_commit)
    : repo_names_(std::move(repo_names)), bootstrap_is_commit_(bootstrap_is_commit) {}

void FleetMetrics::Observe(const TraceRecord& r) {
  notifications_.Observe(r);
  const std::string& e = r.event;
  if (e == "RefreshStarted") {
    ++refreshes_;
  } else if (e == "ComparisonChanged") {
    OnComparison(r);
  } else if (e == "ManifestsChanged") {
    OnManifestsChanged(r);
  } else if (e == "CommitPushed") {
    pushes_[r.object].push_back({r.detail.substr(0, r.detail.find(' ')), r.t});
    last_commit_ = r.t;
    if (!first_change_) first_change_ = r.t;
    CheckFleet(r.t);
  } else if (e == "FaultInjected") {
    if (!first_change_) first_change_ = r.t;
  } else if (e == "FaultHealed") {
    OnFaultHealed(r);
  } else if (e == "ClusterDestroyed" || e == "ClusterRebuilt") {
    OnRto(r);
  } else if (e == "ApplicationCreated") {
    ++apps_created_;
    auto [it, inserted] = apps_.try_emplace(r.app);
    if (!inserted && Good(it->second)) ++not_good_;
    if (inserted) ++not_good_;
    it->second = AppView{};
  } else if (e == "ApplicationDeleted") {
    ++apps_deleted_;
    deletion_pending_.erase(r.app);
    auto it = apps_.find(r.app);
    if (it != apps_.end()) {
      if (!Good(it->second)) --not_good_;
      for (Recovery& rec : recoveries_) rec.waiting.erase(r.app);
      for (Rto& rto : rtos_) {
        if (rto.waiting.erase(r.app) > 0 && rto.waiting.empty() && rto.rebuilt_at &&
            !rto.recovered_at)
          rto.recovered_at = r.t;
      }
      apps_.erase(it);
      CheckFleet(r.t);
    }
  } else if (e == "ApplicationDeletionStarted") {
    deletion_pending_.insert(r.app);
  } else if (e == "ObjectDeleted") {
    ++objects_deleted_;
    affected_clusters_.insert(r.cluster);
    if (StartsWith(r.object, "PersistentVolumeClaim/")) ++pvcs_deleted_;
  } else if (e == "TrafficShifted") {
    OnTrafficShifted(r);
  } else if (e == "ResourceOrphaned") {
    ++orphaned_;
  } else if (e == "SyncStarted") {
    ++syncs_;
  } else if (e == "SyncFailed") {
    ++sync_failures_;
  } else if (e == "SelfHealStarted") {
    ++selfheals_;
  } else if (e == "RolloutAborted") {
    ++rollbacks_;
  } else if (e == "WorkloadUnavailable") {
    unavailable_.insert(r.cluster + "/" + r.object);
    unavailable_max_ = std::max(unavailable_max_, unavailable_.size());
    NoteImpact(r);
  } else if (e == "WorkloadAvailable") {
    unavailable_.erase(r.cluster + "/" + r.object);
  } else if (e == "ServiceUnavailable") {
    if (EndsWith(r.detail, kNotUserFacing)) return;
    service_down_since_.try_emplace(r.cluster + "/" + r.object, r.t);
    NoteImpact(r);
  } else if (e == "ServiceAvailable") {
    auto it = service_down_since_.find(r.cluster + "/" + r.object);
    if (it != service_down_since_.end()) {
      downtime_ += r.t - it->second;
      service_down_since_.erase(it);
    }
  }
}

void FleetMetrics::OnRto(const TraceRecord& r) {
  if (r.event == "ClusterDestroyed") {
    Rto rto{r.cluster, r.t, std::nullopt, {}, std::nullopt};
    for (const auto& [app, cluster] : app_cluster_) {
      if (cluster == r.cluster && apps_.count(app) > 0) rto.waiting.insert(app);
    }
    rtos_.push_back(std::move(rto));
    return;
  }
  for (Rto& rto : rtos_) {
    if (rto.cluster == r.cluster && !rto.rebuilt_at) rto.rebuilt_at = r.t;
  }
}

// An app leaves the wait when it reports Synced and Healthy after the rebuild; an app that
// turns up (or turns bad) meanwhile joins it.
void FleetMetrics::CheckRto(Rto& rto, const std::string& app, bool good, SimTime t) {
  if (rto.recovered_at) return;
  if (!good || !rto.rebuilt_at || t < *rto.rebuilt_at) {
    rto.waiting.insert(app);
    return;
  }
  rto.waiting.erase(app);
  if (rto.waiting.empty()) rto.recovered_at = t;
}

void FleetMetrics::NoteImpact(const TraceRecord& r) {
  affected_clusters_.insert(r.cluster);
  if (first_change_ && !first_impact_ && r.t >= *first_change_) first_impact_ = r.t;
}

void FleetMetrics::SetGood(AppView& app, bool synced, bool healthy, SimTime t) {
  bool was = Good(app);
  app.synced = synced;
  app.healthy = healthy;
  bool is = Good(app);
  if (was == is) return;
  if (is) {
    --not_good_;
    for (size_t i : app.open_pairs) pairs_[i].converged_at = t;
    app.open_pairs.clear();
  } else {
    ++not_good_;
  }
}

// detail: "<Sync> <Health> @<rev>...".
void FleetMetrics::OnComparison(const TraceRecord& r) {
  auto it = apps_.find(r.app);
  if (it == apps_.end()) return;
  bool synced = StartsWith(r.detail, "Synced ");
  size_t space = r.detail.find(' ');
  bool healthy = space != std::string::npos && r.detail.compare(space + 1, 7, "Healthy") == 0;
  SetGood(it->second, synced, healthy, r.t);
  if (!r.cluster.empty()) {
    app_cluster_[r.app] = r.cluster;
    for (Rto& rto : rtos_) {
      if (rto.cluster == r.cluster) CheckRto(rto, r.app, Good(it->second), r.t);
    }
  }
  for (auto& rec : recoveries_) {
    if (!rec.recovered_at && Good(it->second)) {
      rec.waiting.erase(r.app);
      if (rec.waiting.empty()) rec.recovered_at = r.t;
    }
  }
  CheckFleet(r.t);
}

// detail: "<normalised repo url> <new rev> <previous rev or ->". The commits the change pairs the
// app with: those pushed after the previous revision up to the new one; for a new app, the commit
// at its revision when that was pushed during the run, or the bootstrap when the history is empty.
void FleetMetrics::OnManifestsChanged(const TraceRecord& r) {
  auto it = apps_.find(r.app);
  if (it == apps_.end()) return;
  AppView& app = it->second;
  size_t a = r.detail.find(' ');
  size_t b = r.detail.find(' ', a + 1);
  std::string url = r.detail.substr(0, a);
  std::string rev = r.detail.substr(a + 1, b - a - 1);
  std::string prev = b == std::string::npos ? "-" : r.detail.substr(b + 1);
  std::vector<SimTime> commits;
  auto name = repo_names_.find(url);
  const std::vector<Push>* pushes = name == repo_names_.end() ? nullptr : &pushes_[name->second];
  if (pushes != nullptr) {
    // A previous revision that was never pushed is the initial tree: every push comes after it.
    bool after_prev =
        std::none_of(pushes->begin(), pushes->end(), [&](const Push& p) { return p.sha == prev; });
    for (const Push& p : *pushes) {
      if (prev == "-") {
        if (p.sha == rev) commits.push_back(p.at);
        continue;
      }
      if (after_prev) commits.push_back(p.at);
      if (p.sha == prev) after_prev = true;
      if (p.sha == rev) break;
    }
  }
  if (prev == "-" && commits.empty() && bootstrap_is_commit_) commits.push_back(SimTime::Zero());
  for (SimTime t : commits) {
    pairs_.push_back({t, std::nullopt});
    app.open_pairs.push_back(pairs_.size() - 1);
  }
  if (Good(app)) {  // the new revision compared Synced and Healthy already
    for (size_t i : app.open_pairs) pairs_[i].converged_at = r.t;
    app.open_pairs.clear();
  }
}

void FleetMetrics::OnFaultHealed(const TraceRecord& r) {
  Recovery rec;
  rec.healed_at = r.t;
  for (const auto& [name, app] : apps_) {
    if (!Good(app)) rec.waiting.insert(name);
  }
  if (rec.waiting.empty()) rec.recovered_at = r.t;
  recoveries_.push_back(std::move(rec));
}

void FleetMetrics::CheckFleet(SimTime t) {
  bool all_good = !apps_.empty() && not_good_ == 0;
  if (all_good_changes_.empty() || all_good_changes_.back().second != all_good) {
    if (!all_good_changes_.empty() && all_good_changes_.back().first == t) {
      all_good_changes_.back().second = all_good;
    } else {
      all_good_changes_.push_back({t, all_good});
    }
  }
}

// The last commit's pairs must all converge; from the latest of them (or the commit itself when it
// changed no Application), the first instant every Application is Synced and Healthy.
std::optional<SimTime> FleetMetrics::FleetConvergedAt() const {
  SimTime from = last_commit_;
  for (const Pair& p : pairs_) {
    if (p.commit_at != last_commit_) continue;
    if (!p.converged_at) return std::nullopt;
    from = std::max(from, *p.converged_at);
  }
  std::optional<SimTime> at;
  for (const auto& [t, good] : all_good_changes_) {
    if (t <= from) {
      at = good ? std::optional<SimTime>(from) : std::nullopt;
    } else if (!at && good) {
      at = t;
    }
  }
  return at;
}

// The detail starts "rps=R canary=C bad_rps=B".
void FleetMetrics::OnTrafficShifted(const TraceRecord& r) {
  auto number = [&r](std::string_view field) {
    double v = 0;
    size_t at = r.detail.find(field);
    if (at == std::string::npos) return v;
    const char* begin = r.detail.data() + at + field.size();
    std::from_chars(begin, r.detail.data() + r.detail.size(), v);
    return v;
  };
  TrafficView& view = traffic_[r.cluster + "/" + r.object];
  bad_requests_ += view.bad_rps * Seconds(r.t - view.since);
  view.bad_rps = number(" bad_rps=");
  view.since = r.t;
  bool canary = number(" canary=") > 0;
  if (canary == view.canary) return;
  view.canary = canary;
  if (canary && canaries_serving_++ == 0) canary_since_ = r.t;
  if (!canary && --canaries_serving_ == 0) canary_exposure_ += r.t - canary_since_;
}

MetricMap FleetMetrics::Compute(SimTime now, uint64_t events_processed) const {
  MetricMap m;
  m["apps_generated"] = MetricValue::Int(apps_created_);
  m["apps_deleted"] = MetricValue::Int(apps_deleted_);
  m["apps_deletion_pending"] = MetricValue::Int(static_cast<int64_t>(deletion_pending_.size()));
  m["resources_deleted"] = MetricValue::Int(objects_deleted_);
  m["resources_orphaned"] = MetricValue::Int(orphaned_);
  m["workloads_unavailable_max"] = MetricValue::Int(static_cast<int64_t>(unavailable_max_));
  m["clusters_affected"] = MetricValue::Int(static_cast<int64_t>(affected_clusters_.size()));
  SimDuration downtime = downtime_;
  for (const auto& [service, since] : service_down_since_) downtime += now - since;
  m["downtime_seconds"] = MetricValue::Real(Seconds(downtime));
  m["data_loss_pvcs"] = MetricValue::Int(pvcs_deleted_);
  m["time_to_first_impact_seconds"] =
      first_impact_ ? MetricValue::Real(Seconds(*first_impact_ - *first_change_))
                    : MetricValue::Null(false);

  std::vector<double> times;
  int64_t converged = 0;
  for (const Pair& p : pairs_) {
    times.push_back(Seconds((p.converged_at ? *p.converged_at : now) - p.commit_at));
    if (p.converged_at) ++converged;
  }
  std::sort(times.begin(), times.end());
  auto pct = [&](double p) {
    return times.empty() ? MetricValue::Null(false) : MetricValue::Real(NearestRank(times, p));
  };
  m["convergence_p50_seconds"] = pct(50);
  m["convergence_p90_seconds"] = pct(90);
  m["convergence_p99_seconds"] = pct(99);
  m["convergence_max_seconds"] = pct(100);
  m["converged_fraction"] =
      times.empty()
          ? MetricValue::Null(false)
          : MetricValue::Real(static_cast<double>(converged) / static_cast<double>(times.size()));
  std::optional<SimTime> fleet = FleetConvergedAt();
  m["fleet_convergence_seconds"] =
      fleet ? MetricValue::Real(Seconds(*fleet - last_commit_)) : MetricValue::Null(false);
  std::vector<double> recoveries;
  for (const Recovery& r : recoveries_) {
    if (r.recovered_at) recoveries.push_back(Seconds(*r.recovered_at - r.healed_at));
  }
  std::sort(recoveries.begin(), recoveries.end());
  auto rec = [&](double p) {
    return recoveries.empty() ? MetricValue::Null(false)
                              : MetricValue::Real(NearestRank(recoveries, p));
  };
  m["recovery_p50_seconds"] = rec(50);
  m["recovery_p99_seconds"] = rec(99);
  m["recovery_max_seconds"] = rec(100);
  if (!rtos_.empty()) {
    std::optional<double> worst = 0.0;
    for (const Rto& rto : rtos_) {
      if (!rto.recovered_at) {
        worst.reset();
        break;
      }
      worst = std::max(*worst, Seconds(*rto.recovered_at - rto.destroyed_at));
    }
    m["rto_seconds"] = worst ? MetricValue::Real(*worst) : MetricValue::Null(false);
  }
  double bad = bad_requests_;
  for (const auto& [service, view] : traffic_) bad += view.bad_rps * Seconds(now - view.since);
  m["bad_requests"] = MetricValue::Int(std::llround(bad));
  SimDuration exposure = canary_exposure_;
  if (canaries_serving_ > 0) exposure += now - canary_since_;
  m["canary_exposure_seconds"] = MetricValue::Real(Seconds(exposure));
  m["syncs"] = MetricValue::Int(syncs_);
  m["sync_failures"] = MetricValue::Int(sync_failures_);
  m["selfheal_reverts"] = MetricValue::Int(selfheals_);
  m["refreshes"] = MetricValue::Int(refreshes_);
  m["rollbacks"] = MetricValue::Int(rollbacks_);
  int64_t sent = 0;
  for (const auto& [trigger, count] : notifications_.Counts()) {
    std::string name = "notifications_" + trigger;
    std::replace(name.begin(), name.end(), '-', '_');
    m[name] = MetricValue::Int(count);
    sent += count;
  }
  m["notifications_sent"] = MetricValue::Int(sent);
  m["events_processed"] = MetricValue::Int(static_cast<int64_t>(events_processed));
  m["sim_seconds"] = MetricValue::Real(Seconds(now.since_start()));
  return m;
}

}  // namespace fleetsim
