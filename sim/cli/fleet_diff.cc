#include "sim/cli/fleet_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "sim/argocd/application_spec.h"
#include "sim/argocd/deletion.h"
#include "sim/argocd/sync_options.h"
#include "sim/cli/fleet_diff_scan.h"
#include "sim/manifest/kinds.h"

namespace fleetsim {
namespace {

constexpr std::string_view kInClusterServer = "https://kubernetes.default.svc";

std::string_view PolicyName(AppSetPolicy policy) {
  switch (policy) {
    case AppSetPolicy::kCreateOnly:
      return "create-only";
    case AppSetPolicy::kCreateUpdate:
      return "create-update";
    case AppSetPolicy::kCreateDelete:
      return "create-delete";
    case AppSetPolicy::kSync:
      break;
  }
  return "sync";
}

// The object's key with the namespace it lands in: a namespaced object that names none goes to
// the Application's destination namespace.
ObjectKey LiveKey(const Object& obj, const std::string& dest_ns) {
  ObjectKey key = obj.key();
  if (key.ns.empty() && !IsClusterScopedBuiltInKind(key.group, key.kind)) key.ns = dest_ns;
  return key;
}

std::vector<std::string> Finalizers(const Json& app) {
  std::vector<std::string> out;
  const Json::json_pointer p("/metadata/finalizers");
  if (!app.contains(p) || !app.at(p).is_array()) return out;
  for (const Json& f : app.at(p)) {
    if (f.is_string()) out.push_back(f.get<std::string>());
  }
  return out;
}

// Why shouldBeDeleted keeps an object (reference 3.2).
std::string OrphanReason(const Object& obj, const SyncOptions& options) {
  if (obj.kind() == "CustomResourceDefinition") return "CRDs are never cascade-deleted";
  if (EffectiveDelete(&obj, options) == RemovalOption::kDisabled) return "Delete=false";
  if (obj.group() == "argoproj.io" && obj.kind() == "Application") return "the Application itself";
  return "helm.sh/resource-policy: keep";
}

bool ByKindNamespaceName(const DiffResource& a, const DiffResource& b) {
  return std::tie(a.key.kind, a.key.ns, a.key.name, a.key.group) <
         std::tie(b.key.kind, b.key.ns, b.key.name, b.key.group);
}

class DiffBuilder {
 public:
  DiffBuilder(DiffScan& base, DiffScan& head, const std::vector<AppSetCluster>& clusters)
      : base_(base), head_(head) {
    for (const AppSetCluster& c : clusters) cluster_by_server_[c.server] = c.name;
  }

  FleetDiff Build() {
    std::set<std::string> ids;
    for (const auto& [id, owner] : base_.owners()) ids.insert(id);
    for (const auto& [id, owner] : head_.owners()) ids.insert(id);
    // "Application ..." sorts before "ApplicationSet ...": parents decide first which
    // ApplicationSets they prune.
    for (const std::string& id : ids) {
      const DiffOwner* b = Find(base_, id);
      const DiffOwner* h = Find(head_, id);
      if ((b != nullptr && b->is_appset) || (h != nullptr && h->is_appset)) {
        CompareAppSet(id, b, h);
      } else {
        CompareParent(id, b, h);
      }
    }
    Prunes();
    std::erase_if(out_.apps, [&](const AppDiff& a) {
      return a.change == AppChange::kKept && deleted_.count(a.ns + "/" + a.name) != 0;
    });
    std::sort(out_.apps.begin(), out_.apps.end(), [](const AppDiff& a, const AppDiff& b) {
      return std::tie(a.cluster, a.change, a.name, a.ns) <
             std::tie(b.cluster, b.change, b.name, b.ns);
    });
    std::sort(out_.prunes.begin(), out_.prunes.end(), [](const PruneDiff& a, const PruneDiff& b) {
      return std::tie(a.cluster, a.name, a.ns) < std::tie(b.cluster, b.name, b.ns);
    });
    return std::move(out_);
  }

 private:
  static const DiffOwner* Find(const DiffScan& scan, const std::string& id) {
    auto it = scan.owners().find(id);
    return it == scan.owners().end() ? nullptr : &it->second;
  }

  std::string ClusterOf(const Json& app) const {
    std::string server = JsonString(app, "/spec/destination/server");
    if (!server.empty()) {
      if (auto it = cluster_by_server_.find(server); it != cluster_by_server_.end()) {
        return it->second;
      }
      return server == kInClusterServer ? "in-cluster" : server;
    }
    std::string name = JsonString(app, "/spec/destination/name");
    return name.empty() ? "(no destination)" : name;
  }

  AppDiff Entry(const Json& app, const std::string& owner, AppChange change,
                std::string reason) const {
    AppDiff d;
    d.name = JsonString(app, "/metadata/name");
    d.ns = JsonString(app, "/metadata/namespace");
    if (d.ns.empty()) d.ns = "argocd";
    d.cluster = ClusterOf(app);
    d.owner = owner;
    d.change = change;
    d.reason = std::move(reason);
    return d;
  }

  void Add(const Json& app, const std::string& owner, AppChange change, std::string reason) {
    out_.apps.push_back(Entry(app, owner, change, std::move(reason)));
  }

  void CompareAppSet(const std::string& id, const DiffOwner* b, const DiffOwner* h) {
    if (h == nullptr) {
      if (pruned_appsets_.count(id) != 0) return;
      for (const auto& [key, app] : b->apps) {
        Add(app, id, AppChange::kKept,
            "the ApplicationSet is gone from the repository, but nothing here deletes it");
      }
      return;
    }
    const AppSetPolicy policy = EffectivePolicy(*h->appset, "", true);
    for (const auto& [key, app] : h->apps) {
      auto before = b == nullptr ? h->apps.end() : b->apps.find(key);
      if (b == nullptr || before == b->apps.end()) {
        Add(app, id, AppChange::kCreated, "generated by " + id);
      } else if (before->second != app && AllowsUpdate(policy)) {
        Add(app, id, AppChange::kChanged, "updated by " + id);
      }
    }
    if (b == nullptr) return;
    for (const auto& [key, app] : b->apps) {
      if (h->apps.count(key) != 0) continue;
      if (AllowsDelete(policy)) {
        Delete(app, id, "no longer generated by " + id);
      } else {
        Add(app, id, AppChange::kKept,
            "no longer generated; applicationsSync " + std::string(PolicyName(policy)) +
                " does not delete");
      }
    }
  }

  // Why a parent does not prune a child that left its path, or "" when it does (reference 2.8,
  // 3.3).
  std::string PruneBlocker(const std::string& id, const Object& child) const {
    const std::string key = id.substr(id.find(' ') + 1);
    auto app = head_.apps().find(key);
    if (app == head_.apps().end()) return "the parent is gone from the repository";
    Result<ApplicationSpec> spec = ParseApplicationSpec(Object(app->second.doc));
    if (!spec.ok() || !spec->automated || !spec->prune) {
      return "the parent has no automated prune: OutOfSync, requires pruning";
    }
    if (!spec->allow_empty && head_renders_nothing_.count(id) != 0) {
      return "automated sync refuses to prune every resource (allowEmpty is false)";
    }
    switch (EffectivePrune(&child, spec->sync_options)) {
      case RemovalOption::kDisabled:
        return "Prune=false";
      case RemovalOption::kConfirm:
        return "Prune=confirm: waits for argocd app confirm-deletion";
      case RemovalOption::kAllowed:
        break;
    }
    return "";
  }

  void CompareParent(const std::string& id, const DiffOwner* b, const DiffOwner* h) {
    const std::string key = id.substr(id.find(' ') + 1);
    auto parent = head_.apps().find(key);
    if (parent == head_.apps().end()) return;  // a removed parent acts through its own deletion
    Result<std::vector<ObjectPtr>> rendered = head_.Render(parent->second.doc);
    if (!rendered.ok()) return;  // a ComparisonError: the parent syncs nothing
    if (rendered->empty()) head_renders_nothing_.insert(id);
    if (h != nullptr) {
      for (const auto& [child_key, app] : h->apps) {
        auto before = b == nullptr ? h->apps.end() : b->apps.find(child_key);
        if (b == nullptr || before == b->apps.end()) {
          Add(app, id, AppChange::kCreated, "rendered by " + id);
        } else if (before->second != app) {
          Add(app, id, AppChange::kChanged, "rendered by " + id);
        }
      }
    }
    if (b == nullptr) return;
    for (const auto& [child_id, obj] : b->children) {
      if (h != nullptr && h->children.count(child_id) != 0) continue;
      const std::string blocker = PruneBlocker(id, *obj);
      if (obj->kind() == "ApplicationSet") {
        if (!blocker.empty()) continue;
        pruned_appsets_.insert(child_id);
        DeleteAppSetApps(child_id, "garbage-collected with " + child_id + ", pruned by " + id);
        continue;
      }
      const Json& app = b->apps.at(child_id.substr(child_id.find(' ') + 1));
      if (blocker.empty()) {
        Delete(app, id, "pruned by " + id);
      } else {
        Add(app, id, AppChange::kKept, "no longer rendered by " + id + "; " + blocker);
      }
    }
  }

  void DeleteAppSetApps(const std::string& appset_id, const std::string& reason) {
    const DiffOwner* owner = Find(base_, appset_id);
    if (owner == nullptr) return;
    for (const auto& [key, app] : owner->apps) Delete(app, appset_id, reason);
  }

  // The Application's deletion and what its finalizer does to its live resources (reference 3.1,
  // 3.2); deleted child Applications and ApplicationSets follow.
  void Delete(const Json& app, const std::string& owner, const std::string& reason) {
    AppDiff entry = Entry(app, owner, AppChange::kDeleted, reason);
    if (!deleted_.insert(entry.ns + "/" + entry.name).second) return;
    const std::vector<std::string> finalizers = Finalizers(app);
    entry.cascade = IsCascadedDeletion(finalizers);
    const bool background = std::find(finalizers.begin(), finalizers.end(),
                                      kBackgroundResourcesFinalizer) != finalizers.end();
    entry.propagation = entry.cascade ? (background ? "background" : "foreground") : "";
    const SyncOptions options = SyncOptions::FromApplication(app);
    const ObjectKey self{"argoproj.io", "Application", entry.ns, entry.name};
    std::string dest_ns = JsonString(app, "/spec/destination/namespace");
    Result<std::vector<ObjectPtr>> objects = base_.Render(app);
    std::vector<std::pair<ObjectPtr, ObjectKey>> cascaded;
    if (!objects.ok()) {
      entry.resources_error = objects.error();
    } else {
      for (const ObjectPtr& obj : *objects) {
        DiffResource r{LiveKey(*obj, dest_ns), "orphan", ""};
        if (!entry.cascade) {
          r.reason = "no resources finalizer";
        } else if (ShouldBeDeleted(*obj, self, options)) {
          r.action = "delete";
          if (EffectiveDelete(obj.get(), options) == RemovalOption::kConfirm ||
              EffectivePrune(obj.get(), options) == RemovalOption::kConfirm) {
            r.reason = "waits for argocd app confirm-deletion";
          }
          if (obj->group() == "argoproj.io") cascaded.push_back({obj, r.key});
        } else {
          r.reason = OrphanReason(*obj, options);
        }
        entry.resources.push_back(std::move(r));
      }
      std::sort(entry.resources.begin(), entry.resources.end(), ByKindNamespaceName);
    }
    const std::string self_id = "Application " + entry.ns + "/" + entry.name;
    out_.apps.push_back(std::move(entry));
    for (const auto& [obj, key] : cascaded) {
      const std::string child_key = key.ns + "/" + key.name;
      if (obj->kind() == "ApplicationSet") {
        DeleteAppSetApps("ApplicationSet " + child_key, "garbage-collected with ApplicationSet " +
                                                            child_key + ", deleted by " + self_id);
        continue;
      }
      if (obj->kind() != "Application") continue;
      auto child = base_.apps().find(child_key);
      Delete(child == base_.apps().end() ? obj->doc() : child->second.doc, self_id,
             "cascade from " + self_id);
    }
  }

  // The Application the controller holds after the change: a set without update, a parent
  // without automated sync and nobody for a hand-applied Application leave the base spec.
  const Json& Effective(const ScannedApp& base, const ScannedApp& head) const {
    if (head.owner.rfind("ApplicationSet ", 0) == 0) {
      const DiffOwner* owner = Find(head_, head.owner);
      bool update = owner != nullptr && AllowsUpdate(EffectivePolicy(*owner->appset, "", true));
      return update ? head.doc : base.doc;
    }
    if (head.owner.rfind("Application ", 0) == 0) {
      auto parent = head_.apps().find(head.owner.substr(head.owner.find(' ') + 1));
      if (parent == head_.apps().end()) return base.doc;
      Result<ApplicationSpec> spec = ParseApplicationSpec(Object(parent->second.doc));
      return spec.ok() && spec->automated ? head.doc : base.doc;
    }
    return base.doc;
  }

  // Automated prune on Applications that stay (reference 2.7, 2.8).
  void Prunes() {
    for (const auto& [key, base_app] : base_.apps()) {
      auto head_app = head_.apps().find(key);
      if (head_app == head_.apps().end() || deleted_.count(key) != 0) continue;
      const Json& doc = Effective(base_app, head_app->second);
      Result<ApplicationSpec> spec = ParseApplicationSpec(Object(doc));
      if (!spec.ok() || !spec->automated || !spec->prune) continue;
      Result<std::vector<ObjectPtr>> before = base_.Render(base_app.doc);
      Result<std::vector<ObjectPtr>> after = head_.Render(doc);
      if (!before.ok() || !after.ok()) continue;
      const std::string dest_ns = JsonString(doc, "/spec/destination/namespace");
      std::set<ObjectKey> kept;
      for (const ObjectPtr& obj : *after) kept.insert(LiveKey(*obj, dest_ns));
      PruneDiff prune;
      for (const ObjectPtr& obj : *before) {
        ObjectKey live = LiveKey(*obj, JsonString(base_app.doc, "/spec/destination/namespace"));
        if (kept.count(live) != 0) continue;
        DiffResource r{live, "prune", ""};
        switch (EffectivePrune(obj.get(), spec->sync_options)) {
          case RemovalOption::kDisabled:
            r = {live, "keep", "Prune=false"};
            break;
          case RemovalOption::kConfirm:
            r.reason = "waits for argocd app confirm-deletion";
            break;
          case RemovalOption::kAllowed:
            break;
        }
        prune.resources.push_back(std::move(r));
      }
      if (prune.resources.empty()) continue;
      if (after->empty() && !spec->allow_empty) {
        prune.note = "automated sync refuses to prune every resource (allowEmpty is false)";
        for (DiffResource& r : prune.resources) r = {r.key, "keep", "allowEmpty guard"};
      }
      std::sort(prune.resources.begin(), prune.resources.end(), ByKindNamespaceName);
      prune.name = JsonString(doc, "/metadata/name");
      prune.ns = key.substr(0, key.find('/'));
      prune.cluster = ClusterOf(doc);
      prune.owner = head_app->second.owner;
      out_.prunes.push_back(std::move(prune));
    }
  }

  DiffScan& base_;
  DiffScan& head_;
  std::map<std::string, std::string> cluster_by_server_;
  std::set<std::string> deleted_;               // "ns/name" of deleted Applications
  std::set<std::string> pruned_appsets_;        // owner ids
  std::set<std::string> head_renders_nothing_;  // parents whose head renders no object
  FleetDiff out_;
};

}  // namespace

Result<FleetDiff> ComputeFleetDiff(const DiffSide& base, const DiffSide& head,
                                   const std::vector<AppSetCluster>& clusters, ToolRunner* tools) {
  DiffScan before(base, clusters, tools);
  if (Status s = before.Scan(); !s.ok()) return s;
  DiffScan after(head, clusters, tools);
  if (Status s = after.Scan(); !s.ok()) return s;
  return DiffBuilder(before, after, clusters).Build();
}

}  // namespace fleetsim
