// One handler per fault kind: what the fault does when it is injected (active) and when it heals.
// Each acts through the FaultHost, i.e. through the interfaces the controllers already use.
#include <fnmatch.h>

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "sim/chaos/fault_injector.h"
#include "sim/chaos/sharding.h"
#include "sim/manifest/manifest_parser.h"

namespace fleetsim::chaos {
namespace {

std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<SimDuration> ParseDurationParam(const std::string& text) {
  if (text.empty()) return std::nullopt;
  Result<SimDuration> d = ParseDuration(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

bool IsArgoCdController(const std::string& controller) {
  return controller == "argocd-application-controller" ||
         controller == "argocd-applicationset-controller";
}

// The first generator selector under `generators` (see SelectorField).
std::optional<std::string> GeneratorSelector(const Json& generators, const std::string& prefix) {
  if (!generators.is_array()) return std::nullopt;
  for (size_t i = 0; i < generators.size(); ++i) {
    const Json& g = generators[i];
    if (!g.is_object()) continue;
    std::string at = fmt::format("{}[{}]", prefix, i);
    if (g.contains("selector")) return at + ".selector.matchLabels";
    if (g.contains("clusters")) return at + ".clusters.selector.matchLabels";
    for (const char* combiner : {"matrix", "merge"}) {
      if (g.contains(combiner) && g[combiner].is_object()) {
        if (auto f = GeneratorSelector(g[combiner].value("generators", Json()),
                                       at + "." + combiner + ".generators")) {
          return f;
        }
      }
    }
  }
  return std::nullopt;
}

std::string DocName(const Json& doc) {
  std::string name;
  if (doc.contains("metadata") && doc["metadata"].is_object())
    name = doc["metadata"].value("name", "");
  return doc.value("kind", "") + "/" + name;
}

// Directories (every, when `files` also files) of `tree` whose path matches `glob`, sorted.
std::vector<std::string> PathsMatching(const Tree& tree, const std::string& glob, bool files) {
  std::set<std::string> paths;
  for (const std::string& file : tree.FilePaths("")) {
    if (files) paths.insert(file);
    for (size_t slash = file.find('/'); slash != std::string::npos;
         slash = file.find('/', slash + 1)) {
      paths.insert(file.substr(0, slash));
    }
  }
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (fnmatch(glob.c_str(), p.c_str(), FNM_PATHNAME) == 0) out.push_back(p);
  }
  return out;
}

}  // namespace

std::optional<std::string> SelectorField(const Json& doc) {
  std::string kind = doc.value("kind", "");
  const Json spec = doc.value("spec", Json::object());
  if (kind == "ApplicationSet") {
    return GeneratorSelector(spec.value("generators", Json()), "spec.generators");
  }
  if (kind == "Service") return std::string("spec.selector");
  static const std::set<std::string> kWorkloads = {"Deployment", "StatefulSet", "DaemonSet",
                                                   "ReplicaSet", "Rollout"};
  if (kWorkloads.count(kind) != 0) return std::string("spec.selector.matchLabels");
  return std::nullopt;
}

std::vector<std::string> DirectoriesMatching(const Tree& tree, const std::string& glob) {
  return PathsMatching(tree, glob, false);
}

std::string RenamedPath(const Tree& tree, const std::string& from) {
  std::string to = from + "-renamed";
  for (int n = 2; tree.Kind(to) != PathKind::kMissing; ++n)
    to = fmt::format("{}-renamed-{}", from, n);
  return to;
}

Status FaultInjector::ClusterUnreachable(const FaultSpec& fault, bool active) {
  for (const std::string& c : MatchingClusters(ParamScalar(fault.params, "cluster"), false))
    host_.SetClusterUnreachable(c, active);
  return Status::Ok();
}

Status FaultInjector::GitUnreachable(const FaultSpec& fault, bool active) {
  std::string glob = ParamScalar(fault.params, "repo");
  for (const RepoSpec& r : host_.Repos()) {
    if (GlobMatches(glob, r.name)) host_.SetGitUnreachable(r.url, active);
  }
  return Status::Ok();
}

// The repo (or every repo) answers the ApplicationSets matching `appset` (or every one) with an
// empty tree; they notice at their next reconcile (requeue, webhook, or a change).
Status FaultInjector::GitEmptyResponse(const FaultSpec& fault, bool active) {
  std::string url;
  if (std::string repo = ParamScalar(fault.params, "repo"); !repo.empty()) {
    const RepoSpec* r = FindRepo(repo);
    if (r == nullptr) return Status::Error("repo " + repo + " not found");
    url = r->url;
  }
  git_responses_.Set(url, ParamScalar(fault.params, "appset"), active);
  return Status::Ok();
}

Status FaultInjector::RenameDirectory(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  std::string repo = ParamScalar(fault.params, "repo");
  const Tree* tree = host_.HeadTree(repo);
  if (tree == nullptr) return Status::Error("repo " + repo + " not found");
  std::string from = ParamScalar(fault.params, "from");
  std::string to = ParamScalar(fault.params, "to");
  if (from.empty()) {
    std::string glob = ParamScalar(fault.params, "glob");
    std::vector<std::string> dirs = DirectoriesMatching(*tree, glob);
    if (dirs.empty()) return Status::Error("no directory of " + repo + " matches " + glob);
    RandomStream rng = FaultStream(fault);
    from = dirs[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(dirs.size()) - 1))];
  }
  if (to.empty()) to = RenamedPath(*tree, from);
  HistoryOp op;
  op.kind = HistoryOp::Kind::kRename;
  op.path = from;
  op.to = to;
  return host_.Commit(repo, {op}, "rename " + from + " to " + to);
}

Status FaultInjector::DeletePath(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  std::string repo = ParamScalar(fault.params, "repo");
  const Tree* tree = host_.HeadTree(repo);
  if (tree == nullptr) return Status::Error("repo " + repo + " not found");
  std::string path = ParamScalar(fault.params, "path");
  if (path.empty()) {
    std::string glob = ParamScalar(fault.params, "glob");
    std::vector<std::string> paths = PathsMatching(*tree, glob, true);
    if (paths.empty()) return Status::Error("no path of " + repo + " matches " + glob);
    RandomStream rng = FaultStream(fault);
    path = paths[static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(paths.size()) - 1))];
  }
  HistoryOp op;
  op.kind = HistoryOp::Kind::kDelete;
  op.path = path;
  return host_.Commit(repo, {op}, "delete " + path);
}

// A commit that sets the selector of one manifest (see SelectorField) to `matchLabels` (when not
// given, a label no cluster or pod carries), e.g. a cluster generator narrowed by mistake.
Status FaultInjector::EditSelector(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  std::string repo = ParamScalar(fault.params, "repo");
  std::string path = ParamScalar(fault.params, "path");
  std::string select = ParamScalar(fault.params, "select");
  const Tree* tree = host_.HeadTree(repo);
  const Blob* blob = tree != nullptr ? tree->FindFile(path) : nullptr;
  if (blob == nullptr) return Status::Error("the path " + repo + ":" + path + " does not exist");
  Result<std::vector<Json>> docs = ParseManifestFile(path, blob->content());
  if (!docs.ok()) return docs.status();
  const Json* doc = nullptr;
  for (const Json& d : *docs) {
    if (select.empty() ? docs->size() == 1 : DocName(d) == select) doc = &d;
  }
  if (doc == nullptr) {
    return Status::Error(select.empty() ? path + " holds several documents; select one"
                                        : "no document " + select + " in " + path);
  }
  std::optional<std::string> field = SelectorField(*doc);
  if (!field) return Status::Error(DocName(*doc) + " in " + path + " has no selector to edit");
  Json labels = Json::object();
  auto given = fault.params.find("matchLabels");
  if (given != fault.params.end() && !given->second.map.empty()) {
    for (const auto& [k, v] : given->second.map) labels[k] = v;
  } else {
    labels["fleetsim.io/edited"] = "true";
  }
  HistoryOp op;
  op.kind = HistoryOp::Kind::kSet;
  op.path = path;
  op.field = *field;
  op.value = labels.dump();
  op.select = select;
  return host_.Commit(repo, {op}, "edit selector of " + DocName(*doc));
}

Status FaultInjector::ClusterDestroyed(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  return host_.DestroyCluster(ParamScalar(fault.params, "cluster"));
}

// The cluster Secret's labels: the given ones set (restored when the fault heals); the
// ApplicationSet controller requeues its cluster-generator sets on the Secret event.
Status FaultInjector::ClusterRelabel(const FaultSpec& fault, bool active) {
  std::string cluster = ParamScalar(fault.params, "cluster");
  std::optional<std::map<std::string, std::string>> labels = host_.ClusterLabels(cluster);
  if (!labels) return Status::Ok();
  if (active) {
    labels_before_relabel_.try_emplace(cluster, *labels);
    auto given = fault.params.find("labels");
    if (given != fault.params.end()) {
      for (const auto& [k, v] : given->second.map) (*labels)[k] = v;
    }
  } else {
    auto saved = labels_before_relabel_.find(cluster);
    if (saved == labels_before_relabel_.end()) return Status::Ok();
    labels = saved->second;
    labels_before_relabel_.erase(saved);
  }
  host_.SetClusterLabels(cluster, std::move(*labels));
  return Status::Ok();
}

// Argo CD's controllers run in in-cluster; the others on every cluster matching `cluster` (all
// when not given) that runs them.
Status FaultInjector::ControllerRestart(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  std::string controller = ParamScalar(fault.params, "controller");
  if (IsArgoCdController(controller)) return host_.RestartController("in-cluster", controller);
  for (const std::string& c : MatchingClusters(ParamScalar(fault.params, "cluster"), true)) {
    (void)host_.RestartController(c, controller);  // a cluster without it has nothing to restart
  }
  return Status::Ok();
}

// ARGOCD_CONTROLLER_REPLICAS changes: the clusters are distributed again with the configured
// algorithm (ShardsChanged says which move), and, the variable being on the StatefulSet's pod
// template, every application controller pod restarts (argo-cd docs, dynamic cluster
// distribution: "all the pods in the StatefulSet need to be restarted").
Status FaultInjector::ShardChange(const FaultSpec& fault, bool active) {
  int64_t next = 0;
  if (active) {
    std::optional<double> n = ParseNumber(ParamScalar(fault.params, "replicas"));
    if (!n || *n < 1) return Status::Error("replicas must be a positive integer");
    replicas_before_.push_back(replicas_);
    next = static_cast<int64_t>(*n);
  } else {
    if (replicas_before_.empty()) return Status::Ok();
    next = replicas_before_.back();
    replicas_before_.pop_back();
  }
  std::vector<ShardCluster> clusters;
  std::map<std::string, int64_t> apps;
  for (const AppTarget& a : host_.Apps()) ++apps[a.cluster];
  for (const ClusterTarget& c : host_.Clusters()) {
    clusters.push_back({c.name, c.in_cluster ? "" : c.secret_uid, apps[c.name]});
  }
  const std::string& algorithm = settings_.sharding_algorithm;
  std::vector<int> before = AssignShards(clusters, static_cast<int>(replicas_), algorithm);
  std::vector<int> after = AssignShards(clusters, static_cast<int>(next), algorithm);
  std::vector<std::string> moved;
  for (size_t i = 0; i < clusters.size(); ++i) {
    if (before[i] != after[i])
      moved.push_back(fmt::format("{} {}->{}", clusters[i].name, before[i], after[i]));
  }
  host_.Record(
      {.event = "ShardsChanged",
       .detail = fmt::format("replicas {} -> {} ({}); moved: {}", replicas_, next, algorithm,
                             moved.empty() ? "none" : fmt::format("{}", fmt::join(moved, ", ")))});
  replicas_ = next;
  return host_.RestartController("in-cluster", "argocd-application-controller");
}

Status FaultInjector::SealingKeyLost(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  return host_.LoseSealingKeys(ParamScalar(fault.params, "cluster"),
                               ParamScalar(fault.params, "restore") == "true");
}

// The provider behind the stores matching `store` fails for the clusters matching `cluster`
// (both default to every one); the controllers notice at their next call (reference 3.4).
Status FaultInjector::SecretStoreDown(const FaultSpec& fault, bool active) {
  host_.SetSecretStoreDown(ParamScalar(fault.params, "cluster"), ParamScalar(fault.params, "store"),
                           ParamScalar(fault.params, "mode"), active);
  return Status::Ok();
}

Status FaultInjector::SecretKeyDeleted(const FaultSpec& fault, bool active) {
  host_.SetSecretKeyDeleted(ParamScalar(fault.params, "cluster"),
                            ParamScalar(fault.params, "store"), ParamScalar(fault.params, "key"),
                            active);
  return Status::Ok();
}

Status FaultInjector::ManualDrift(const FaultSpec& fault, bool active) {
  if (!active) return Status::Ok();
  ActionSpec edit;
  edit.at = fault.at;
  edit.verb = fault.params.count("delete") ? "kubectl delete" : "kubectl edit";
  edit.params = fault.params;
  return host_.Kubectl(edit);
}

Status FaultInjector::ArgoCdDestroyed(const FaultSpec& /*fault*/, bool active) {
  if (active) (void)host_.DestroyArgoCd();  // a second loss finds nothing more to lose
  return Status::Ok();
}

// mode pull (default): the image cannot be pulled; mode crash: its containers exit 1. With
// `workload` instead of `image`, the image of that workload's first container on `cluster`.
Status FaultInjector::BadImage(const FaultSpec& fault, bool active) {
  std::string image = ParamScalar(fault.params, "image");
  std::string cluster = ParamScalar(fault.params, "cluster");
  if (image.empty()) {
    std::string workload = ParamScalar(fault.params, "workload");
    Result<Json> live = host_.LiveDocument(cluster, workload);
    if (!live.ok()) return live.status();
    const Json* pod = &(*live)["spec"];
    if (pod->contains("template")) pod = &(*pod)["template"]["spec"];
    if (!pod->contains("containers") || !(*pod)["containers"].is_array() ||
        (*pod)["containers"].empty()) {
      return Status::Error(workload + " on " + cluster + " has no containers");
    }
    image = (*pod)["containers"][0].value("image", "");
  }
  ImageFault kind = ParamScalar(fault.params, "mode") == "crash" ? ImageFault::kCrashing
                                                                 : ImageFault::kPullFailing;
  for (const std::string& c : MatchingClusters(cluster, true))
    host_.SetImageFault(c, image, kind, SimDuration::Zero(), active);
  return Status::Ok();
}

// Pods of the image starting while the fault holds take `startup` longer to become ready.
Status FaultInjector::SlowStart(const FaultSpec& fault, bool active) {
  std::optional<SimDuration> startup = ParseDurationParam(ParamScalar(fault.params, "startup"));
  if (!startup) return Status::Error("startup must be a duration");
  for (const std::string& c : MatchingClusters(ParamScalar(fault.params, "cluster"), true)) {
    host_.SetImageFault(c, ParamScalar(fault.params, "image"), ImageFault::kSlowStart, *startup,
                        active);
  }
  return Status::Ok();
}

// The image serves at the given rates on every cluster with a traffic model (optionally one
// cluster) until the fault heals.
Status FaultInjector::MetricsDegraded(const FaultSpec& fault, bool active) {
  std::optional<double> success_rate = ParseNumber(ParamScalar(fault.params, "successRate"));
  std::optional<SimDuration> latency = ParseDurationParam(ParamScalar(fault.params, "latencyP99"));
  for (const std::string& c : MatchingClusters(ParamScalar(fault.params, "cluster"), true)) {
    host_.SetImageDegraded(c, ParamScalar(fault.params, "image"), success_rate, latency, active);
  }
  return Status::Ok();
}

Status FaultInjector::ApiThrottle(const FaultSpec& fault, bool active) {
  std::optional<double> qps = ParseNumber(ParamScalar(fault.params, "qps"));
  if (!qps || *qps <= 0) return Status::Error("qps must be a positive number");
  for (const std::string& c : MatchingClusters(ParamScalar(fault.params, "cluster"), false))
    host_.SetClusterThrottle(c, active ? qps : std::nullopt);
  return Status::Ok();
}

}  // namespace fleetsim::chaos
