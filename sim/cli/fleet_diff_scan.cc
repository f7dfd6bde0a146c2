#include "sim/cli/fleet_diff_scan.h"

#include <utility>

#include "sim/argocd/application_spec.h"
#include "sim/argocd/appset_generate.h"
#include "sim/argocd/argo_manifests.h"

namespace fleetsim {

std::string JsonString(const Json& doc, const std::string& pointer) {
  const Json::json_pointer p(pointer);
  if (!doc.contains(p)) return "";
  const Json& v = doc.at(p);
  return v.is_string() ? v.get<std::string>() : "";
}

std::string DocKey(const Json& doc, const std::string& default_ns) {
  std::string ns = JsonString(doc, "/metadata/namespace");
  return (ns.empty() ? default_ns : ns) + "/" + JsonString(doc, "/metadata/name");
}

std::string OwnerId(const Json& doc, const std::string& default_ns) {
  return JsonString(doc, "/kind") + " " + DocKey(doc, default_ns);
}

DiffScan::DiffScan(const DiffSide& side, const std::vector<AppSetCluster>& clusters,
                   ToolRunner* tools)
    : side_(side), repo_server_(sim_, *side.snapshot, RepoServerSettings{}, tools) {
  sources_.SetGit(side.snapshot);
  sources_.SetClusters(clusters);
}

Status DiffScan::Scan() {
  Result<Tree> tree = side_.snapshot->TipTree();
  if (!tree.ok()) return Status::Error("--" + side_.name + " " + side_.rev + ": " + tree.error());
  std::optional<Status> broken;
  std::vector<ArgoDocument> appsets;
  std::vector<std::pair<std::string, ScannedApp>> queue;
  FindArgoDocuments(
      *tree,
      [&](const ArgoDocument& d) {
        if (IsArgoKind(d.doc, "ApplicationSet")) appsets.push_back(d);
        if (IsArgoKind(d.doc, "Application")) queue.push_back({DocKey(d.doc), {d.doc, ""}});
      },
      [&](const std::string& path, const std::string& error) {
        if (!broken) {
          broken =
              Status::Error(side_.rev + ":" + YamlFileError(path, error) + " (" + side_.name + ")");
        }
      });
  if (broken) return *broken;
  for (const ArgoDocument& d : appsets) {
    if (Status s = AddAppSet(d.path, &d.node, d.doc, &queue); !s.ok()) return s;
  }
  return Expand(std::move(queue));
}

Status DiffScan::AddAppSet(const std::string& path, const YAML::Node* node, const Json& doc,
                           std::vector<std::pair<std::string, ScannedApp>>* queue) {
  const std::string id = OwnerId(doc);
  if (owners_.count(id) != 0) return Status::Ok();
  auto error = [&](const AppSetIssue& issue) {
    std::string at = node != nullptr ? IssuePosition(*node, issue) : "1:1";
    return Status::Error(side_.rev + ":" + path + ":" + at + ": " + id + ": " + issue.message +
                         " (" + side_.name + ")");
  };
  Result<AppSetSpec> spec = ParseAppSetSpec(doc);
  if (!spec.ok()) return error({spec.error(), "", "", -1});
  if (!spec->unrecognized_generators.empty()) return error(UnrecognizedGeneratorsIssue(*spec));
  GeneratedApps generated = GenerateApplications(*spec, sources_);
  if (!generated.errors.empty()) return error(generated.errors.front());
  ValidationResult validation = ValidateApplications(*spec, generated.apps, sources_);
  if (!validation.message.empty()) {
    const Json meta = spec->template_.value("metadata", Json::object());
    std::string text = meta.is_object() && meta.contains("name") && meta["name"].is_string()
                           ? meta["name"].get<std::string>()
                           : "";
    return error({validation.message, "ApplicationValidationError", text, -1});
  }
  DiffOwner owner;
  owner.is_appset = true;
  owner.appset = std::move(*spec);
  owner.doc = doc;
  for (Json& app : generated.apps) {
    std::string key = DocKey(app, owner.appset->ns);
    queue->push_back({key, {app, id}});
    owner.apps.emplace(key, std::move(app));
  }
  owners_.emplace(id, std::move(owner));
  return Status::Ok();
}

// Every Application in the queue is rendered; one that renders Applications or ApplicationSets is
// a parent, and what it renders joins the queue.
Status DiffScan::Expand(std::vector<std::pair<std::string, ScannedApp>> queue) {
  for (size_t i = 0; i < queue.size(); ++i) {
    auto [key, app] = queue[i];
    if (auto it = apps_.find(key); it != apps_.end()) {
      if (it->second.owner.empty() && !app.owner.empty()) it->second = app;
      continue;
    }
    apps_.emplace(key, app);
    Result<std::vector<ObjectPtr>> objects = Render(app.doc);
    if (!objects.ok()) continue;
    std::string dest_ns = JsonString(app.doc, "/spec/destination/namespace");
    if (dest_ns.empty()) dest_ns = "argocd";
    const std::string parent_id = OwnerId(app.doc);
    DiffOwner parent;
    for (const ObjectPtr& obj : *objects) {
      if (obj->group() != "argoproj.io") continue;
      if (obj->kind() != "Application" && obj->kind() != "ApplicationSet") continue;
      Json doc = obj->doc();
      if (obj->ns().empty()) doc["metadata"]["namespace"] = dest_ns;
      const std::string child_id = OwnerId(doc);
      parent.children.emplace(child_id, obj);
      if (obj->kind() == "Application") {
        queue.push_back({DocKey(doc), {doc, parent_id}});
        parent.apps.emplace(DocKey(doc), std::move(doc));
        continue;
      }
      parent.appsets.push_back(child_id);
      const std::string where = JsonString(app.doc, "/spec/source/path");
      if (Status s = AddAppSet(where, nullptr, doc, &queue); !s.ok()) return s;
    }
    if (parent.children.empty()) continue;
    parent.doc = app.doc;
    owners_.emplace(parent_id, std::move(parent));
  }
  return Status::Ok();
}

Result<std::vector<ObjectPtr>> DiffScan::Render(const Json& app) {
  Result<ApplicationSpec> spec = ParseApplicationSpec(Object(app));
  if (!spec.ok()) return spec.status();
  for (const ApplicationSource& source : spec->sources) {
    if (!source.chart.empty()) {
      return Status::Error("Helm chart " + source.chart + " from " + source.repo_url +
                           " is not in the repository");
    }
    if (!side_.snapshot->Names(source.repo_url)) {
      return Status::Error("source " + source.repo_url + " is not the repository given to --git");
    }
  }
  Result<ManifestResult> rendered = repo_server_.GenerateNow(spec->sources, false, false, {});
  if (!rendered.ok()) return rendered.status();
  return rendered->Objects();
}

}  // namespace fleetsim
