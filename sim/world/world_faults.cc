// The world as the fault injector sees it (chaos::FaultHost): each switch reaches the component a
// real fault would hit, through the interface its clients already use.
#include <fmt/format.h>

#include <set>

#include "sim/manifest/kinds.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

// The container images of a rendered manifest's pod template (or pod), in document order.
void CollectImages(const Json& doc, std::set<std::string>* images) {
  if (!doc.contains("spec") || !doc["spec"].is_object()) return;
  const Json* pod = &doc["spec"];
  if (pod->contains("template") && (*pod)["template"].is_object()) {
    const Json& tmpl = (*pod)["template"];
    if (!tmpl.contains("spec") || !tmpl["spec"].is_object()) return;
    pod = &tmpl["spec"];
  }
  for (const char* list : {"initContainers", "containers"}) {
    if (!pod->contains(list) || !(*pod)[list].is_array()) continue;
    for (const Json& c : (*pod)[list]) {
      if (c.is_object() && c.contains("image") && c["image"].is_string())
        images->insert(c["image"].get<std::string>());
    }
  }
}

}  // namespace

std::vector<chaos::ClusterTarget> World::Clusters() const {
  std::vector<chaos::ClusterTarget> out;
  for (const ClusterInfo& info : registry_.clusters()) {
    chaos::ClusterTarget t{info.name, info.secret_uid, info.in_cluster, false, false};
    for (const auto& c : clusters_) {
      if (c->endpoint().name != info.name) continue;
      t.destroyed = c->destroyed();
      t.sealed_secrets = c->sealed_secrets() != nullptr;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<chaos::AppTarget> World::Apps() const {
  std::vector<chaos::AppTarget> out;
  if (argocd_down_) return out;
  for (const auto& [name, app] : app_controller_->apps()) {
    chaos::AppTarget t;
    t.name = name;
    t.cluster = app->destination_cluster;
    if (app->object != nullptr) {
      for (const OwnerReference& ref : app->object->owner_references()) {
        if (ref.kind == "ApplicationSet") t.appset = ref.name;
      }
    }
    std::set<std::string> objects;
    std::set<std::string> images;
    for (const ObjectPtr& target : app->targets) {
      if (target == nullptr) continue;
      // A namespaced manifest without a namespace lands in the destination's (as applied).
      ObjectKey key = target->key();
      if (key.ns.empty() && app->spec && !IsClusterScopedBuiltInKind(key.group, key.kind))
        key.ns = app->spec->dest_namespace;
      objects.insert(key.ToString());
      CollectImages(target->doc(), &images);
    }
    t.objects.assign(objects.begin(), objects.end());
    t.images.assign(images.begin(), images.end());
    out.push_back(std::move(t));
  }
  return out;
}

const Tree* World::HeadTree(const std::string& repo) const {
  const Repository* r = git_.FindByName(repo);
  return r != nullptr ? &r->head().tree : nullptr;
}

void World::SetClusterUnreachable(const std::string& cluster, bool unreachable) {
  if (ClusterRuntime* c = FindCluster(cluster)) c->network().set_unreachable(unreachable);
}

void World::SetClusterThrottle(const std::string& cluster, std::optional<double> qps) {
  if (ClusterRuntime* c = FindCluster(cluster)) c->throttle().set_limit(qps);
}

void World::SetGitUnreachable(const std::string& repo_url, bool unreachable) {
  git_remote_.SetUnreachable(repo_url, unreachable);
}

void World::SetImageFault(const std::string& cluster, const std::string& image,
                          chaos::ImageFault kind, SimDuration startup, bool active) {
  ClusterRuntime* c = FindCluster(cluster);
  if (c == nullptr) return;
  switch (kind) {
    case chaos::ImageFault::kPullFailing:
      c->workloads().SetImagePullFailing(image, active);
      break;
    case chaos::ImageFault::kCrashing:
      c->workloads().SetImageCrashing(image, active);
      break;
    case chaos::ImageFault::kSlowStart:
      c->workloads().SetImageSlowStart(image, active ? startup : SimDuration::Zero());
      break;
  }
}

void World::SetImageDegraded(const std::string& cluster, const std::string& image,
                             std::optional<double> success_rate, std::optional<SimDuration> latency,
                             bool active) {
  ClusterRuntime* c = FindCluster(cluster);
  if (c != nullptr && c->traffic() != nullptr)
    c->traffic()->SetDegraded(image, success_rate, latency, active);
}

void World::SetSecretStoreDown(const std::string& cluster_glob, const std::string& store_glob,
                               const std::string& mode, bool down) {
  secret_providers_->SetDown(cluster_glob, store_glob, mode, down);
}

void World::SetSecretKeyDeleted(const std::string& cluster_glob, const std::string& store_glob,
                                const std::string& key, bool deleted) {
  secret_providers_->SetKeyDeleted(cluster_glob, store_glob, key, deleted);
}

std::optional<std::map<std::string, std::string>> World::ClusterLabels(
    const std::string& cluster) const {
  std::optional<ClusterIndex> index = registry_.FindByName(cluster);
  if (!index) return std::nullopt;
  return registry_.at(*index).labels;
}

void World::SetClusterLabels(const std::string& cluster,
                             std::map<std::string, std::string> labels) {
  std::optional<ClusterIndex> index = registry_.FindByName(cluster);
  if (!index) return;
  registry_.SetLabels(*index, std::move(labels));
  if (!argocd_down_) appset_controller_->OnClustersChanged();
}

Status World::Kubectl(const ActionSpec& action) { return DoAction(action); }

Status World::Commit(const std::string& repo, const std::vector<HistoryOp>& ops,
                     const std::string& message) {
  int64_t unix_time = scenario_.start_unix_seconds + now().since_start().whole_seconds();
  Result<CommitId> id = git_.Push(repo, ops, message, unix_time);
  if (!id.ok()) return id.status();
  Record({.event = "CommitPushed",
          .object = repo,
          .detail = fmt::format("{} {}", id->hex().substr(0, 7), message)});
  return Status::Ok();
}

}  // namespace fleetsim
