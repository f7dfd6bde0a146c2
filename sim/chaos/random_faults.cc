// Random fault schedules: arrivals, kinds and durations drawn when the run is built, targets drawn
// when each fault fires from what matches the spec's globs then (README "Random faults").
#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "sim/chaos/fault_injector.h"
#include "sim/manifest/manifest_parser.h"
#include "sim/scenario/command_args.h"

namespace fleetsim::chaos {
namespace {

ParamValue Scalar(std::string text) {
  ParamValue v;
  v.scalar = std::move(text);
  return v;
}

ParamValue Map(std::map<std::string, std::string> entries) {
  ParamValue v;
  v.shape = ParamValue::Shape::kMap;
  v.map = std::move(entries);
  return v;
}

template <typename T>
const T& Pick(const std::vector<T>& items, RandomStream& rng) {
  return items[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(items.size()) - 1))];
}

std::optional<SimDuration> DrawDuration(const Params& params, RandomStream& rng) {
  auto it = params.find("for");
  if (it == params.end()) return std::nullopt;
  const ParamValue& p = it->second;
  if (p.shape == ParamValue::Shape::kScalar) {
    if (auto d = ParseDuration(p.scalar); d.ok()) return *d;
  } else if (p.shape == ParamValue::Shape::kMap && p.map.count("min") && p.map.count("max")) {
    auto lo = ParseDuration(p.map.at("min"));
    auto hi = ParseDuration(p.map.at("max"));
    // Whole seconds, so that the timeline reads "for 4m17s"; within [min, max] for whole bounds.
    if (lo.ok() && hi.ok() && *lo <= *hi)
      return SimDuration::Seconds(rng.UniformDuration(*lo, *hi).whole_seconds());
  }
  return std::nullopt;
}

// Directories that hold at least one file of their own (where manifests live), sorted.
std::vector<std::string> ManifestDirectories(const Tree& tree) {
  std::set<std::string> dirs;
  for (const std::string& file : tree.FilePaths("")) {
    size_t slash = file.rfind('/');
    if (slash != std::string::npos) dirs.insert(file.substr(0, slash));
  }
  return {dirs.begin(), dirs.end()};
}

bool IsManifestFile(const std::string& path) {
  return path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".json");
}

// What a random manual-drift does to a live object: a workload scaled by one, a ConfigMap's first
// key changed, anything else deleted (kubectl delete).
Params DriftOf(const std::string& cluster, const std::string& object, const Json& live) {
  Params p;
  p["cluster"] = Scalar(cluster);
  p["object"] = Scalar(object);
  const Json* replicas = nullptr;
  if (live.contains("spec") && live["spec"].is_object() && live["spec"].contains("replicas"))
    replicas = &live["spec"]["replicas"];
  if (replicas != nullptr && replicas->is_number_integer()) {
    p["set"] = Map({{"spec.replicas", std::to_string(replicas->get<int64_t>() + 1)}});
  } else if (live.value("kind", "") == "ConfigMap" && live.contains("data") &&
             live["data"].is_object() && !live["data"].empty()) {
    std::string key = live["data"].begin().key();
    std::string field = key.find('.') == std::string::npos ? "data." + key : "data.\"" + key + "\"";
    p["set"] = Map({{field, "drifted"}});
  } else {
    p["delete"] = Scalar("true");
  }
  return p;
}

}  // namespace

void FaultInjector::ScheduleRandom(const RandomFaultSpec& spec, SimTime end) {
  if (spec.rate_per_hour <= 0 || spec.kinds.empty()) return;
  RandomStream rng(run_seed_, "faults/" + spec.seed_stream);
  const double mean_gap_us = 3600e6 / spec.rate_per_hour;
  SimTime t = SimTime::Zero();
  while (true) {
    t += SimDuration::Micros(static_cast<int64_t>(rng.Exponential(mean_gap_us)) + 1);
    if (t > end) break;
    std::string kind = Pick(spec.kinds, rng);
    std::optional<SimDuration> duration = DrawDuration(spec.params, rng);
    const KindHandler* h = FindHandler(kind);
    if (h == nullptr || !Drawable(kind)) continue;  // the loader rejects both
    if (!h->heals) duration.reset();
    RandomStream targets = rng.Fork(fmt::format("fault/{}", random_faults_++));
    sim_.At(
        t, [this, &spec, kind, duration, targets] { InjectRandom(spec, kind, duration, targets); });
  }
}

void FaultInjector::InjectRandom(const RandomFaultSpec& spec, std::string kind,
                                 std::optional<SimDuration> duration, RandomStream rng) {
  std::optional<Params> params = DrawTarget(spec, kind, rng);
  if (!params) {
    host_.Record(
        {.event = "FaultSkipped", .detail = kind + ": nothing matches the schedule's targets"});
    return;
  }
  FaultSpec fault;
  fault.at = sim_.now();
  fault.kind = std::move(kind);
  fault.duration = duration;
  fault.params = std::move(*params);
  fault.pos = spec.pos;
  std::string detail = fault.kind;
  if (fault.duration) detail += " for " + FormatDuration(*fault.duration);
  std::string args = DescribeParams(fault.params);
  if (!args.empty()) detail += " (" + args + ")";
  Inject(fault, detail);
  if (fault.duration) sim_.After(*fault.duration, [this, fault] { Heal(fault); });
}

// What a random fault may target now: the clusters (the fleet's, in-cluster only when the glob
// names it, never a destroyed one), the repositories and the Applications matching the globs.
struct FaultInjector::TargetPool {
  std::vector<ClusterTarget> clusters;
  std::vector<const RepoSpec*> repos;
  std::vector<AppTarget> apps;
  std::string cluster_glob;
  std::string appset_glob;
  std::string image_glob;

  std::optional<std::string> PickCluster(RandomStream& rng) const {
    if (clusters.empty()) return std::nullopt;
    return Pick(clusters, rng).name;
  }
};

std::optional<Params> FaultInjector::DrawTarget(const RandomFaultSpec& spec,
                                                const std::string& kind, RandomStream& rng) {
  TargetPool pool;
  pool.cluster_glob = ParamScalar(spec.params, "cluster");
  pool.appset_glob = ParamScalar(spec.params, "appset");
  pool.image_glob = ParamScalar(spec.params, "image");
  for (ClusterTarget& c : host_.Clusters()) {
    bool wanted =
        pool.cluster_glob.empty() ? !c.in_cluster : GlobMatches(pool.cluster_glob, c.name);
    if (wanted && !c.destroyed) pool.clusters.push_back(std::move(c));
  }
  const std::string repo_glob = ParamScalar(spec.params, "repo");
  for (const RepoSpec& r : host_.Repos()) {
    if (repo_glob.empty() || GlobMatches(repo_glob, r.name)) pool.repos.push_back(&r);
  }
  const std::string app_glob = ParamScalar(spec.params, "app");
  for (AppTarget& a : host_.Apps()) {
    if (!app_glob.empty() && !GlobMatches(app_glob, a.name)) continue;
    if (!pool.appset_glob.empty() && !GlobMatches(pool.appset_glob, a.appset)) continue;
    pool.apps.push_back(std::move(a));
  }

  if (kind.starts_with("cluster-") || kind == "api-throttle" || kind == "secret-store-down" ||
      kind == "sealing-key-lost") {
    return DrawClusterFault(kind, pool, rng);
  }
  if (kind.starts_with("git-") || kind == "rename-directory" || kind == "delete-path")
    return DrawRepoFault(kind, pool, rng);
  if (kind == "edit-selector") return DrawEditSelector(pool, rng);
  if (kind == "controller-restart" || kind == "shard-change")
    return DrawControllerFault(kind, pool, rng);
  if (kind == "manual-drift") return DrawDrift(pool, rng);
  if (kind == "bad-image" || kind == "slow-start" || kind == "metrics-degraded")
    return DrawImageFault(kind, pool, rng);
  if (kind == "argocd-destroyed") return Params{};
  return std::nullopt;
}

std::optional<Params> FaultInjector::DrawClusterFault(const std::string& kind, TargetPool& pool,
                                                      RandomStream& rng) {
  if (kind == "cluster-destroyed") {  // the management cluster is argocd-destroyed's
    std::erase_if(pool.clusters, [](const ClusterTarget& c) { return c.in_cluster; });
  } else if (kind == "sealing-key-lost") {
    std::erase_if(pool.clusters,
                  [](const ClusterTarget& c) { return !c.sealed_secrets || c.in_cluster; });
  }
  std::optional<std::string> cluster = pool.PickCluster(rng);
  if (!cluster) return std::nullopt;
  Params p;
  p["cluster"] = Scalar(*cluster);
  if (kind == "api-throttle") p["qps"] = Scalar(fmt::format("{}", kRandomThrottleQps));
  if (kind == "secret-store-down") p["mode"] = Scalar("network");
  if (kind == "cluster-relabel") {
    // Every label gets a value no selector expects, so matchLabels selectors stop matching.
    std::map<std::string, std::string> labels =
        host_.ClusterLabels(*cluster).value_or(std::map<std::string, std::string>{});
    for (auto& [k, v] : labels) v = "relabeled";
    if (labels.empty()) labels["fleetsim.io/relabeled"] = "true";
    p["labels"] = Map(std::move(labels));
  }
  return p;
}

std::optional<Params> FaultInjector::DrawRepoFault(const std::string& kind, TargetPool& pool,
                                                   RandomStream& rng) {
  Params p;
  if (kind.starts_with("git-")) {
    if (pool.repos.empty()) return std::nullopt;
    p["repo"] = Scalar(Pick(pool.repos, rng)->name);
    if (kind == "git-empty-response" && !pool.appset_glob.empty())
      p["appset"] = Scalar(pool.appset_glob);
    return p;
  }
  std::vector<std::pair<std::string, std::string>> dirs;  // (repo, directory)
  for (const RepoSpec* r : pool.repos) {
    if (const Tree* tree = host_.HeadTree(r->name)) {
      for (std::string& d : ManifestDirectories(*tree)) dirs.emplace_back(r->name, std::move(d));
    }
  }
  if (dirs.empty()) return std::nullopt;
  const auto& [repo, dir] = Pick(dirs, rng);
  p["repo"] = Scalar(repo);
  if (kind == "delete-path") {
    p["path"] = Scalar(dir);
  } else {
    p["from"] = Scalar(dir);
    p["to"] = Scalar(RenamedPath(*host_.HeadTree(repo), dir));
  }
  return p;
}

std::optional<Params> FaultInjector::DrawEditSelector(TargetPool& pool, RandomStream& rng) {
  std::vector<std::array<std::string, 3>> docs;  // (repo, path, Kind/name)
  for (const RepoSpec* r : pool.repos) {
    const Tree* tree = host_.HeadTree(r->name);
    if (tree == nullptr) continue;
    for (const std::string& path : tree->FilePaths("")) {
      if (!IsManifestFile(path)) continue;
      Result<std::vector<Json>> parsed = ParseManifestFile(path, tree->FindFile(path)->content());
      if (!parsed.ok()) continue;
      for (const Json& d : *parsed) {
        if (!d.is_object() || d.value("kind", "") != "ApplicationSet" || !SelectorField(d))
          continue;
        std::string name = d.contains("metadata") && d["metadata"].is_object()
                               ? d["metadata"].value("name", "")
                               : "";
        docs.push_back({r->name, path, "ApplicationSet/" + name});
      }
    }
  }
  if (docs.empty()) return std::nullopt;
  const auto& [repo, path, select] = Pick(docs, rng);
  Params p;
  p["repo"] = Scalar(repo);
  p["path"] = Scalar(path);
  p["select"] = Scalar(select);
  return p;
}

std::optional<Params> FaultInjector::DrawControllerFault(const std::string& kind, TargetPool& pool,
                                                         RandomStream& rng) {
  Params p;
  if (kind == "shard-change") {
    if (!host_.ArgoCdRunning()) return std::nullopt;
    int64_t top = std::max<int64_t>(3, 2 * replicas_);
    int64_t n = rng.UniformInt(1, top - 1);
    if (n >= replicas_) ++n;  // any count but the current one
    p["replicas"] = Scalar(std::to_string(n));
    return p;
  }
  std::vector<std::string> names;
  for (std::string_view n : ControllerNames()) {
    if (n.starts_with("argocd-") && !host_.ArgoCdRunning()) continue;
    names.emplace_back(n);
  }
  std::string controller = Pick(names, rng);
  p["controller"] = Scalar(controller);
  if (!controller.starts_with("argocd-")) {
    std::optional<std::string> cluster = pool.PickCluster(rng);
    if (!cluster) return std::nullopt;
    p["cluster"] = Scalar(*cluster);
  }
  return p;
}

// A live object of a matching Application on a matching cluster (the first live one from the
// draw on, in (cluster, object) order).
std::optional<Params> FaultInjector::DrawDrift(TargetPool& pool, RandomStream& rng) {
  // Losing data, a namespace or Argo CD's own objects is not drift.
  static const std::vector<std::string_view> kNotDrift = {
      "PersistentVolumeClaim/", "Namespace/",      "CustomResourceDefinition/",
      "Application/",           "ApplicationSet/", "AppProject/"};
  std::set<std::string> allowed;
  for (const ClusterTarget& c : pool.clusters) allowed.insert(c.name);
  if (pool.cluster_glob.empty()) allowed.insert("in-cluster");
  std::vector<std::pair<std::string, std::string>> objects;  // (cluster, object)
  for (const AppTarget& a : pool.apps) {
    if (a.cluster.empty() || allowed.count(a.cluster) == 0) continue;
    for (const std::string& o : a.objects) {
      if (std::none_of(kNotDrift.begin(), kNotDrift.end(),
                       [&](std::string_view k) { return o.starts_with(k); })) {
        objects.emplace_back(a.cluster, o);
      }
    }
  }
  if (objects.empty()) return std::nullopt;
  size_t first = static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(objects.size()) - 1));
  for (size_t i = 0; i < objects.size(); ++i) {
    const auto& [cluster, object] = objects[(first + i) % objects.size()];
    Result<Json> live = host_.LiveDocument(cluster, object);
    if (live.ok()) return DriftOf(cluster, object, *live);
  }
  return std::nullopt;
}

std::optional<Params> FaultInjector::DrawImageFault(const std::string& kind, TargetPool& pool,
                                                    RandomStream& rng) {
  std::set<std::string> images;
  for (const AppTarget& a : pool.apps) {
    for (const std::string& image : a.images) {
      if (pool.image_glob.empty() || GlobMatches(pool.image_glob, image)) images.insert(image);
    }
  }
  if (images.empty()) return std::nullopt;
  std::vector<std::string> sorted(images.begin(), images.end());
  Params p;
  p["image"] = Scalar(Pick(sorted, rng));
  if (kind == "slow-start") p["startup"] = Scalar(FormatDuration(kRandomSlowStart));
  if (kind == "metrics-degraded")
    p["successRate"] = Scalar(fmt::format("{}", kRandomDegradedSuccessRate));
  if (kind != "slow-start" && !pool.cluster_glob.empty()) {
    std::optional<std::string> cluster = pool.PickCluster(rng);
    if (!cluster) return std::nullopt;
    p["cluster"] = Scalar(*cluster);
  }
  return p;
}

}  // namespace fleetsim::chaos
