#include "sim/world/world.h"

#include <fnmatch.h>

#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/metric_names.h"

namespace fleetsim {

struct World::RepoState {
  const RepoSpec* spec = nullptr;
  Repository repo;
  size_t pushed = 0;  // commits()[0..pushed] are on the Git server; [0] is the initial tree
};

namespace {

std::string ShortId(const CommitId& id) { return id.hex().substr(0, 7); }

// A fault's or action's arguments as "key=value" pairs, sorted by key, for the timeline.
std::string DescribeParams(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += " ";
    out += key + "=";
    switch (value.shape) {
      case ParamValue::Shape::kScalar:
        out += value.scalar;
        break;
      case ParamValue::Shape::kList:
        out += "[" + fmt::format("{}", fmt::join(value.list, ",")) + "]";
        break;
      case ParamValue::Shape::kMap: {
        std::vector<std::string> pairs;
        for (const auto& [k, v] : value.map) pairs.push_back(k + ":" + v);
        out += "{" + fmt::format("{}", fmt::join(pairs, ",")) + "}";
        break;
      }
    }
  }
  return out;
}

std::string ParamScalar(const Params& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end() || it->second.shape != ParamValue::Shape::kScalar) return "";
  return it->second.scalar;
}

bool IsMetricReal(const std::string& name) {
  return name == "converged_fraction" ||
         (name.size() > 8 && name.compare(name.size() - 8, 8, "_seconds") == 0);
}

}  // namespace

World::World(const Scenario& scenario, uint64_t seed)
    : scenario_(scenario), seed_(seed), clusters_(scenario.fleet) {}

World::~World() = default;

void World::Record(TraceRecord r) {
  r.t = sim_.now();
  trace_.Append(std::move(r));
}

Result<std::unique_ptr<World>> World::Build(const Scenario& scenario, uint64_t seed) {
  std::unique_ptr<World> world(new World(scenario, seed));
  if (Status s = world->ImportRepos(); !s.ok()) return s;
  if (Status s = world->AuthorHistory(); !s.ok()) return s;
  world->ScheduleTimeline();
  return world;
}

Status World::ImportRepos() {
  for (const RepoSpec& spec : scenario_.repos) {
    auto state = std::make_unique<RepoState>();
    state->spec = &spec;
    if (!spec.tree.empty()) {
      Result<Repository> repo = Repository::FromDirectory(spec.tree, scenario_.start_unix_seconds);
      if (!repo.ok())
        return Status::Error(spec.pos.ToString() + ": repo " + spec.name + ": " + repo.error());
      state->repo = std::move(repo).value();
    } else {
      return Status::Error(spec.pos.ToString() + ": repo " + spec.name +
                           ": replaying a Git repository (git:) is not available in this build");
    }
    repos_.push_back(std::move(state));
  }
  return Status::Ok();
}

Status World::AuthorHistory() {
  history_commits_.reserve(scenario_.history.size());
  for (const HistoryEntry& entry : scenario_.history) {
    RepoState* state = FindRepo(entry.repo);
    int64_t unix_time = scenario_.start_unix_seconds + entry.at.since_start().whole_seconds();
    Result<CommitId> id = state->repo.Commit(entry.ops, entry.message, unix_time);
    if (!id.ok()) return id.status();
    history_commits_.push_back(*id);
  }
  return Status::Ok();
}

World::RepoState* World::FindRepo(const std::string& name) {
  for (auto& state : repos_) {
    if (state->spec->name == name) return state.get();
  }
  return nullptr;
}

void World::ScheduleTimeline() {
  sim_.At(SimTime::Zero(), [this] {
    for (const ClusterInfo& c : clusters_.clusters()) {
      Record({.event = "ClusterRegistered", .cluster = c.name, .detail = c.server});
    }
    for (const auto& state : repos_) {
      const CommitInfo& first = state->repo.commits().front();
      Record({.event = "RepositoryReady",
              .object = state->spec->name,
              .detail = fmt::format("{} {}", ShortId(first.id), state->spec->url)});
    }
    for (const BootstrapEntry& b : scenario_.bootstrap) {
      Record({.event = "ManifestApplied",
              .cluster = b.cluster,
              .object = b.repo + ":" + b.path,
              .detail = "kubectl apply (bootstrap)"});
    }
  });
  for (size_t i = 0; i < scenario_.history.size(); ++i) SchedulePush(i);
  for (const FaultSpec& fault : scenario_.faults) ScheduleFault(fault);
  for (const RandomFaultSpec& spec : scenario_.random_faults) ScheduleRandomFaults(spec);
  for (const ActionSpec& action : scenario_.actions) ScheduleAction(action);
}

void World::SchedulePush(size_t history_index) {
  const HistoryEntry& entry = scenario_.history[history_index];
  sim_.At(entry.at, [this, history_index] {
    const HistoryEntry& e = scenario_.history[history_index];
    RepoState* state = FindRepo(e.repo);
    ++state->pushed;
    Record({.event = "CommitPushed",
            .object = e.repo,
            .detail = fmt::format("{} {}", ShortId(history_commits_[history_index]), e.message)});
  });
}

void World::ScheduleFault(const FaultSpec& fault) {
  std::string cluster = ParamScalar(fault.params, "cluster");
  std::string detail = fault.kind;
  if (fault.duration) detail += " for " + FormatDuration(*fault.duration);
  std::string args = DescribeParams(fault.params);
  if (!args.empty()) detail += " (" + args + ")";
  sim_.At(fault.at, [this, cluster, detail] {
    Record({.event = "FaultInjected", .cluster = cluster, .detail = detail});
  });
  if (fault.duration) {
    sim_.At(fault.at + *fault.duration, [this, cluster, kind = fault.kind] {
      Record({.event = "FaultHealed", .cluster = cluster, .detail = kind});
    });
  }
}

// Faults arrive as a Poisson process of `rate_per_hour`; each takes a kind uniformly from `kinds`,
// a cluster uniformly from those matching the `cluster` glob (when given), and a duration from
// `for` (a duration, or {min, max} drawn uniformly). Everything comes from the spec's own stream.
void World::ScheduleRandomFaults(const RandomFaultSpec& spec) {
  if (spec.rate_per_hour <= 0 || spec.kinds.empty()) return;
  RandomStream rng(seed_, "faults/" + spec.seed_stream);
  std::vector<std::string> targets;
  std::string glob = ParamScalar(spec.params, "cluster");
  if (!glob.empty()) {
    for (const ClusterInfo& c : clusters_.clusters()) {
      if (fnmatch(glob.c_str(), c.name.c_str(), 0) == 0) targets.push_back(c.name);
    }
  }
  auto duration_param = spec.params.find("for");
  double mean_gap_us = 3600e6 / spec.rate_per_hour;
  SimTime t = SimTime::Zero();
  while (true) {
    t += SimDuration::Micros(static_cast<int64_t>(rng.Exponential(mean_gap_us)) + 1);
    if (t > end()) break;
    FaultSpec fault;
    fault.at = t;
    fault.kind = spec.kinds[static_cast<size_t>(
        rng.UniformInt(0, static_cast<int64_t>(spec.kinds.size()) - 1))];
    fault.pos = spec.pos;
    if (!targets.empty()) {
      ParamValue v;
      v.scalar =
          targets[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(targets.size()) - 1))];
      fault.params["cluster"] = v;
    }
    if (duration_param != spec.params.end()) {
      const ParamValue& p = duration_param->second;
      if (p.shape == ParamValue::Shape::kScalar) {
        if (auto d = ParseDuration(p.scalar); d.ok()) fault.duration = *d;
      } else if (p.shape == ParamValue::Shape::kMap && p.map.count("min") && p.map.count("max")) {
        auto lo = ParseDuration(p.map.at("min"));
        auto hi = ParseDuration(p.map.at("max"));
        if (lo.ok() && hi.ok()) fault.duration = rng.UniformDuration(*lo, *hi);
      }
    }
    ScheduleFault(fault);
  }
}

void World::ScheduleAction(const ActionSpec& action) {
  std::string cluster = ParamScalar(action.params, "cluster");
  std::string detail = action.verb;
  std::string args = DescribeParams(action.params);
  if (!args.empty()) detail += " " + args;
  sim_.At(action.at, [this, cluster, detail] {
    Record({.event = "ActionTaken", .cluster = cluster, .detail = detail});
  });
}

void World::RunUntil(SimTime t) { sim_.RunUntil(std::min(t, end())); }

MetricMap World::Metrics() const {
  MetricMap metrics;
  for (const std::string& name : KnownMetrics()) {
    metrics[name] = MetricValue::Null(!IsMetricReal(name));
  }
  metrics["events_processed"] = MetricValue::Int(static_cast<int64_t>(sim_.events_processed()));
  metrics["sim_seconds"] = MetricValue::Real(static_cast<double>(now().micros()) / 1e6);
  return metrics;
}

}  // namespace fleetsim
