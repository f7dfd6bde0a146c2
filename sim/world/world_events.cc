// What people do to the world at scheduled times: their actions (the commands they type). Faults
// are sim/chaos's; the world answers them as a chaos::FaultHost (world_faults.cc).
#include <algorithm>
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

using chaos::DescribeParams;
using chaos::ParamScalar;

bool Matches(const std::string& glob, const std::string& name) {
  return chaos::GlobMatches(glob, name);
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
Json YamlValue(const std::string& text) {
  Result<std::vector<Json>> docs = YamlToJson("v: " + text);
  if (docs.ok() && !docs->empty() && (*docs)[0].contains("v")) return (*docs)[0]["v"];
  return text;
}

Status SetField(Json& doc, const std::string& field, const Json& value) {
  Result<std::vector<FieldPathStep>> steps = ParseFieldPath(field);
  if (!steps.ok()) return steps.status();
  Json* node = &doc;
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

Result<Json> World::LiveDocument(const std::string& cluster, const std::string& object) {
  ClusterRuntime* c = FindCluster(cluster);
  if (c == nullptr) return Status::Error("cluster " + cluster + " not found");
  std::optional<ObjectKey> key = ParseObjectRef(object);
  if (!key) return Status::Error("expected Kind/namespace/name, found \"" + object + "\"");
  Result<LiveObject> live = c->endpoint().api->Get(*key);
  if (!live.ok()) return live.status();
  return live->doc();
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
  Result<std::vector<Json>> docs = ParseManifestFile(name, content);
  if (!docs.ok()) return docs.status();
  Result<std::vector<Json>> expanded = ExpandLists(std::move(*docs));
  if (!expanded.ok()) return expanded.status();
  for (Json& doc : *expanded) {
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
    Json doc = live->doc();
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
        Json patch = {
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
  return Status::Error("unknown action " + verb);
}

}  // namespace fleetsim
