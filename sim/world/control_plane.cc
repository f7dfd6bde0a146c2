// Losing and re-installing Argo CD's control plane (DESIGN.md "Faults": argocd-destroyed;
// "Actions": argocd install; the article's DR runbook, section 8).
#include <fmt/format.h>

#include "sim/world/world.h"

namespace fleetsim {

// argocd-destroyed: the management cluster in-cluster is lost with the control plane in it. The
// controllers stop first, so nobody reacts to the loss (no finalizer runs, no cascade reaches a
// workload cluster); then every object of in-cluster is gone, the Applications, ApplicationSets
// and AppProjects with the rest (ObjectDeleted, cause argocd-destroyed). Each
// Application is recorded deleted (apps_deleted counts objects gone however they went). The
// workload clusters keep running what they run, and nothing reconciles them.
Status World::DestroyArgoCd() {
  if (argocd_down_) return Status::Ok();
  argocd_down_ = true;
  appset_controller_->Stop();
  app_controller_->Stop();
  ObjectStore& management = clusters_.front()->store();
  Result<std::vector<LiveObject>> apps =
      management.List({.group = "argoproj.io", .kind = "Application"});
  management.Wipe("argocd-destroyed");
  if (!apps.ok()) return Status::Ok();
  for (const LiveObject& app : *apps) {
    Record({.event = "ApplicationDeleted",
            .app = app.key().name,
            .object = app.key().ToString(),
            .detail = "lost with the management cluster (argocd-destroyed)"});
  }
  return Status::Ok();
}

// argocd install, the runbook's steps 2-4: a fresh management cluster gets Argo CD (its CRDs, the
// argocd namespace, the implicit default project), a new control plane with empty memory and
// caches starts, the fleet's cluster Secrets are added again (ClusterRegistered), and, unless
// `apply_bootstrap` is false, the scenario's bootstrap is applied as at t=0. The new application
// controller lists the workload clusters first (live_state_cache.h), so resources that carry an
// Application's tracking id are adopted as they are: what is unchanged is Synced, not recreated.
Status World::InstallArgoCd(bool apply_bootstrap) {
  if (!argocd_down_) return Status::Error("Argo CD is already installed");
  ObjectStore& management = clusters_.front()->store();
  management.Bootstrap({"argo-cd"});
  Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "argocd"}}}};
  (void)management.Apply(Object(ns));
  retired_.push_back({std::move(repo_server_), std::move(app_controller_),
                      std::move(appset_sources_), std::move(appset_git_faults_),
                      std::move(appset_controller_)});
  BuildControlPlane();
  argocd_down_ = false;
  for (const ClusterInfo& c : registry_.clusters()) {
    Record({.event = "ClusterRegistered", .cluster = c.name, .detail = c.server});
  }
  app_controller_->Start();
  appset_controller_->Start();
  if (apply_bootstrap) ApplyBootstrap();
  return Status::Ok();
}

}  // namespace fleetsim
