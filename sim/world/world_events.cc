// What happens to the world at scheduled times: faults (through the decorators the controllers
// already talk to) and people's actions (the commands they type).
#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/manifest/kinds.h"
#include "sim/manifest/manifest_parser.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/rfc3339.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

std::string ParamScalar(const Params& params, const std::string& key) {
  auto it = params.find(key);
  if (it == params.end() || it->second.shape != ParamValue::Shape::kScalar) return "";
  return it->second.scalar;
}

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

bool Matches(const std::string& glob, const std::string& name) {
  return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

// "Kind/namespace/name" or "Kind/name" (cluster-scoped); the group from the built-in kinds.
std::optional<ObjectKey> ParseObjectRef(const std::string& ref) {
  size_t a = ref.find('/');
  if (a == std::string::npos) return std::nullopt;
  size_t b = ref.find('/', a + 1);
  ObjectKey key;
  key.kind = ref.substr(0, a);
  if (b == std::string::npos) {
    key.name = ref.substr(a + 1);
  } else {
    key.ns = ref.substr(a + 1, b - a - 1);
    key.name = ref.substr(b + 1);
  }
  std::optional<std::string_view> group = BuiltInGroupOf(key.kind);
  if (group) {
    key.group = std::string(*group);
  } else if (key.kind == "Rollout" || key.kind == "Application" || key.kind == "ApplicationSet") {
    key.group = "argoproj.io";
  }
  return key;
}

// A `set:` value as kubectl edit would write it: YAML scalar typing.
nlohmann::json YamlValue(const std::string& text) {
  Result<std::vector<nlohmann::json>> docs = YamlToJson("v: " + text);
  if (docs.ok() && !docs->empty() && (*docs)[0].contains("v")) return (*docs)[0]["v"];
  return text;
}

Status SetField(nlohmann::json& doc, const std::string& field, const nlohmann::json& value) {
  Result<std::vector<FieldPathStep>> steps = ParseFieldPath(field);
  if (!steps.ok()) return steps.status();
  nlohmann::json* node = &doc;
  for (const FieldPathStep& step : *steps) {
    if (step.is_index) {
      if (!node->is_array() || step.index >= node->size()) {
        return Status::Error("field " + field + ": no list item " + std::to_string(step.index));
      }
      node = &(*node)[step.index];
    } else {
      if (!node->is_object() && !node->is_null())
        return Status::Error("field " + field + ": not a map");
      node = &(*node)[step.key];
    }
  }
  *node = value;
  return Status::Ok();
}

}  // namespace

void World::ScheduleFault(const FaultSpec& fault) {
  std::string detail = fault.kind;
  if (fault.duration) detail += " for " + FormatDuration(*fault.duration);
  std::string args = DescribeParams(fault.params);
  if (!args.empty()) detail += " (" + args + ")";
  std::string cluster = ParamScalar(fault.params, "cluster");
  sim_.At(fault.at, [this, fault, cluster, detail] {
    Record({.event = "FaultInjected", .cluster = cluster, .detail = detail});
    SetFault(fault, true);
  });
  if (fault.duration) {
    sim_.At(fault.at + *fault.duration, [this, fault, cluster] {
      SetFault(fault, false);
      Record({.event = "FaultHealed", .cluster = cluster, .detail = fault.kind});
    });
  }
}

// The faults this build gives consequences; the rest of the catalog is traced only.
void World::SetFault(const FaultSpec& fault, bool active) {
  std::string cluster = ParamScalar(fault.params, "cluster");
  if (fault.kind == "cluster-unreachable") {
    for (auto& c : clusters_) {
      if (Matches(cluster, c->endpoint().name)) c->network().set_unreachable(active);
    }
  } else if (fault.kind == "git-unreachable") {
    for (const RepoSpec& r : scenario_.repos) {
      if (Matches(ParamScalar(fault.params, "repo"), r.name))
        git_remote_.SetUnreachable(r.url, active);
    }
  } else if (fault.kind == "bad-image") {
    // mode pull (default): the image cannot be pulled; mode crash: its containers exit 1.
    std::string image = ParamScalar(fault.params, "image");
    bool crash = ParamScalar(fault.params, "mode") == "crash";
    for (auto& c : clusters_) {
      if (cluster.empty() || Matches(cluster, c->endpoint().name)) {
        if (crash) {
          c->workloads().SetImageCrashing(image, active);
        } else {
          c->workloads().SetImagePullFailing(image, active);
        }
      }
    }
  } else if (fault.kind == "metrics-degraded") {
    // The image serves at the given rates on every cluster with a traffic model (optionally one
    // cluster) until the fault heals.
    std::optional<double> success_rate;
    std::optional<SimDuration> latency;
    if (std::string v = ParamScalar(fault.params, "successRate"); !v.empty()) {
      double rate = 0;
      std::from_chars(v.data(), v.data() + v.size(), rate);
      success_rate = rate;
    }
    if (std::string v = ParamScalar(fault.params, "latencyP99"); !v.empty()) {
      if (Result<SimDuration> d = ParseDuration(v); d.ok()) latency = *d;
    }
    for (auto& c : clusters_) {
      if ((cluster.empty() || Matches(cluster, c->endpoint().name)) && c->traffic() != nullptr) {
        c->traffic()->SetDegraded(ParamScalar(fault.params, "image"), success_rate, latency,
                                  active);
      }
    }
  } else if (fault.kind == "cluster-relabel") {
    // The cluster Secret's labels: the given ones set (restored when the fault heals); the
    // ApplicationSet controller requeues its cluster-generator sets on the Secret event.
    std::optional<ClusterIndex> index = registry_.FindByName(cluster);
    if (!index) return;
    std::map<std::string, std::string> labels = registry_.at(*index).labels;
    if (active) {
      labels_before_relabel_.try_emplace(cluster, labels);
      auto given = fault.params.find("labels");
      if (given != fault.params.end()) {
        for (const auto& [k, v] : given->second.map) labels[k] = v;
      }
    } else {
      auto saved = labels_before_relabel_.find(cluster);
      if (saved == labels_before_relabel_.end()) return;
      labels = saved->second;
      labels_before_relabel_.erase(saved);
    }
    registry_.SetLabels(*index, std::move(labels));
    appset_controller_->OnClustersChanged();
  } else if ((fault.kind == "cluster-destroyed" || fault.kind == "sealing-key-lost") && active) {
    Status s = fault.kind == "cluster-destroyed"
                   ? DestroyCluster(cluster)
                   : LoseSealingKeys(cluster, ParamScalar(fault.params, "restore") == "true");
    if (!s.ok()) Record({.event = "FaultFailed", .cluster = cluster, .detail = s.message()});
  } else if (fault.kind == "controller-restart" && active &&
             ParamScalar(fault.params, "controller") == "sealed-secrets") {
    for (auto& c : clusters_) {
      if ((cluster.empty() || Matches(cluster, c->endpoint().name)) &&
          c->sealed_secrets() != nullptr && !c->destroyed())
        c->sealed_secrets()->Restart();
    }
  } else if (fault.kind == "argocd-destroyed" && active) {
    DestroyArgoCd();
  } else if (fault.kind == "secret-store-down") {
    // The provider behind the stores matching `store` fails for the clusters matching `cluster`
    // (both default to every one); the controllers notice at their next call (reference 3.4).
    secret_providers_->SetDown(cluster, ParamScalar(fault.params, "store"),
                               ParamScalar(fault.params, "mode"), active);
  } else if (fault.kind == "controller-restart" && active &&
             ParamScalar(fault.params, "controller") == "external-secrets") {
    for (auto& c : clusters_) {
      if (cluster.empty() || Matches(cluster, c->endpoint().name)) c->external_secrets()->Restart();
    }
  } else if (fault.kind == "secret-key-deleted") {
    secret_providers_->SetKeyDeleted(cluster, ParamScalar(fault.params, "store"),
                                     ParamScalar(fault.params, "key"), active);
  } else if (fault.kind == "manual-drift" && active) {
    ActionSpec edit;
    edit.at = fault.at;
    edit.verb = fault.params.count("delete") ? "kubectl delete" : "kubectl edit";
    edit.params = fault.params;
    Status s = DoAction(edit);
    if (!s.ok()) Record({.event = "FaultFailed", .cluster = cluster, .detail = s.message()});
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
    for (const ClusterInfo& c : registry_.clusters()) {
      if (Matches(glob, c.name)) targets.push_back(c.name);
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
  sim_.At(action.at, [this, &action] {
    std::string detail = action.verb;
    std::string args = DescribeParams(action.params);
    if (!args.empty()) detail += " " + args;
    Status s = DoAction(action);
    if (!s.ok()) detail += ": " + s.message();
    Record({.event = s.ok() ? "ActionTaken" : "ActionFailed",
            .cluster = ParamScalar(action.params, "cluster"),
            .detail = detail});
  });
}

Status World::KubectlApply(const std::string& cluster, const std::string& repo,
                           const std::string& path, const std::string& file) {
  ClusterRuntime* target = FindCluster(cluster.empty() ? "in-cluster" : cluster);
  if (target == nullptr) return Status::Error("cluster " + cluster + " not found");
  std::string content;
  std::string name = path;
  if (!repo.empty()) {
    const Repository* r = git_.FindByName(repo);
    const Blob* blob = r ? r->head().tree.FindFile(path) : nullptr;
    if (blob == nullptr) return Status::Error("error: the path \"" + path + "\" does not exist");
    content = blob->content();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::Error("error: the path \"" + file + "\" does not exist");
    std::ostringstream text;
    text << in.rdbuf();
    content = text.str();
    name = file;
  }
  Result<std::vector<nlohmann::json>> docs = ParseManifestFile(name, content);
  if (!docs.ok()) return docs.status();
  Result<std::vector<nlohmann::json>> expanded = ExpandLists(std::move(*docs));
  if (!expanded.ok()) return expanded.status();
  for (nlohmann::json& doc : *expanded) {
    Object obj(doc);
    bool namespaced = !IsClusterScopedBuiltInKind(obj.group(), obj.kind());
    if (namespaced && obj.ns().empty()) {
      bool argo = obj.group() == "argoproj.io" &&
                  (obj.kind() == "Application" || obj.kind() == "ApplicationSet");
      doc["metadata"]["namespace"] = argo ? "argocd" : "default";
    }
    Result<ApplyResult> applied = target->endpoint().api->Apply(Object(doc), {});
    if (!applied.ok()) return applied.status();
  }
  return Status::Ok();
}

Status World::DoAction(const ActionSpec& action) {
  const std::string& verb = action.verb;
  const Params& p = action.params;
  auto apps = [&](const std::string& glob) {
    std::vector<std::string> names;
    for (const auto& [name, app] : app_controller_->apps()) {
      if (Matches(glob, name)) names.push_back(name);
    }
    return names;
  };
  ClusterApi& management = *clusters_.front()->endpoint().api;
  if (verb == "argocd install") return InstallArgoCd(ParamScalar(p, "bootstrap") != "false");
  // The argocd CLI reaches the API server in the management cluster; while it is lost, nothing
  // answers (the address comes from argocd login).
  if (argocd_down_ && verb.rfind("argocd ", 0) == 0) {
    return Status::Error(
        "rpc error: code = Unavailable desc = connection error: dial tcp: lookup argocd-server: "
        "no such host");
  }
  if (verb == "kubectl apply") {
    return KubectlApply(ParamScalar(p, "cluster"), ParamScalar(p, "repo"), ParamScalar(p, "path"),
                        ParamScalar(p, "file"));
  }
  if (verb == "kubectl edit" || verb == "kubectl delete") {
    ClusterRuntime* c = FindCluster(ParamScalar(p, "cluster"));
    std::optional<ObjectKey> key = ParseObjectRef(ParamScalar(p, "object"));
    if (c == nullptr || !key) return Status::Error("no such cluster or object");
    if (verb == "kubectl delete") {
      DeleteOptions options;
      options.cause = std::string(kCauseKubectl);
      return c->endpoint().api->Delete(*key, options);
    }
    Result<LiveObject> live = c->endpoint().api->Get(*key);
    if (!live.ok()) return live.status();
    nlohmann::json doc = live->doc();
    auto set = p.find("set");
    if (set != p.end()) {
      for (const auto& [field, value] : set->second.map) {
        if (Status s = SetField(doc, field, YamlValue(value)); !s.ok()) return s;
      }
    }
    Result<LiveObject> updated = c->endpoint().api->Update(Object(doc));
    return updated.ok() ? Status::Ok() : updated.status();
  }
  if (verb == "argocd app sync" || verb == "argocd app refresh") {
    std::vector<std::string> names = apps(ParamScalar(p, "app"));
    if (names.empty())
      return Status::Error("application \"" + ParamScalar(p, "app") + "\" not found");
    for (const std::string& name : names) {
      Status s = verb == "argocd app sync"
                     ? app_controller_->Sync(name)
                     : app_controller_->Refresh(name, ParamScalar(p, "hard") == "true");
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  if (verb == "argocd app delete" || verb == "argocd app confirm-deletion") {
    std::vector<std::string> names = apps(ParamScalar(p, "app"));
    if (names.empty())
      return Status::Error("application \"" + ParamScalar(p, "app") + "\" not found");
    for (const std::string& name : names) {
      ObjectKey key = app_controller_->Find(name)->key;
      if (verb == "argocd app confirm-deletion") {
        std::string stamp =
            FormatRfc3339Utc(scenario_.start_unix_seconds + now().since_start().whole_seconds());
        nlohmann::json patch = {
            {"metadata", {{"annotations", {{"argocd.argoproj.io/deletion-approved", stamp}}}}}};
        Result<LiveObject> r = management.Patch(key, patch);
        if (!r.ok()) return r.status();
        continue;
      }
      // The CLI adds the resources finalizer for a cascading delete and removes it otherwise.
      bool cascade = ParamScalar(p, "cascade") != "false";
      Status f = cascade
                     ? management.AddFinalizer(key, "resources-finalizer.argocd.argoproj.io")
                     : management.RemoveFinalizer(key, "resources-finalizer.argocd.argoproj.io");
      if (!f.ok()) return f;
      DeleteOptions options;
      options.cause = std::string(kCauseKubectl);
      if (Status s = management.Delete(key, options); !s.ok()) return s;
    }
    return Status::Ok();
  }
  if (verb == "argocd appset delete") {
    // Background propagation: the Applications follow by owner reference (reference 4.3).
    ObjectKey key{"argoproj.io", "ApplicationSet", "argocd", ParamScalar(p, "appset")};
    DeleteOptions options;
    options.cause = std::string(kCauseKubectl);
    return management.Delete(key, options);
  }
  if (verb.rfind("kubectl argo rollouts ", 0) == 0) {
    ClusterRuntime* c = FindCluster(ParamScalar(p, "cluster"));
    if (c == nullptr) return Status::Error("cluster " + ParamScalar(p, "cluster") + " not found");
    std::string ns = ParamScalar(p, "namespace");
    ObjectKey key{"argoproj.io", "Rollout", ns.empty() ? "default" : ns, ParamScalar(p, "rollout")};
    if (verb == "kubectl argo rollouts promote") {
      return c->rollouts().Promote(key, ParamScalar(p, "full") == "true");
    }
    if (verb == "kubectl argo rollouts abort") return c->rollouts().Abort(key);
    if (verb == "kubectl argo rollouts retry") return c->rollouts().Retry(key);
    return c->rollouts().Pause(key);
  }
  if (verb == "backup-sealed-secrets-key") return BackupSealingKeys(ParamScalar(p, "cluster"));
  if (verb == "rebuild") {
    auto restore = p.find("restore");
    bool keys =
        restore != p.end() && std::find(restore->second.list.begin(), restore->second.list.end(),
                                        "sealed-secrets-key") != restore->second.list.end();
    return RebuildCluster(ParamScalar(p, "cluster"), keys);
  }
  if (verb == "kubeseal --re-encrypt") {
    return ReEncrypt(ParamScalar(p, "repo"), ParamScalar(p, "path"), ParamScalar(p, "cluster"));
  }
  if (verb == "kubectl rollout restart") {
    return RestartController(ParamScalar(p, "cluster"), ParamScalar(p, "controller"));
  }
  // Restarts of the other controllers (argo-rollouts, Argo CD's) are recorded on the timeline.
  return Status::Ok();
}

}  // namespace fleetsim
