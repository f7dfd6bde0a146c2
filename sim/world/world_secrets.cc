// Sealed Secrets and disaster recovery in the world (DESIGN.md "Sealing keys", faults
// cluster-destroyed and sealing-key-lost, actions backup-sealed-secrets-key, rebuild,
// kubeseal --re-encrypt, kubectl rollout restart; reference rollouts-secrets.md 2.4-2.6 and the
// article's DR runbook). The ciphertexts of SealedSecrets are dated by the commit that first
// carried them: the `tree:` repositories' initial trees at t=0, then every pushed commit.
#include <fmt/format.h>

#include "sim/manifest/manifest_parser.h"
#include "sim/world/world.h"

namespace fleetsim {
namespace {

// Restart downtimes (README "Faults"): the pod deleted, replaced and started (about 10 s with its
// image cached), then its informers' lists; the application controller also lists every cluster
// into its cache before it processes anything.
constexpr SimDuration kAppControllerRestart = SimDuration::Seconds(30);
constexpr SimDuration kAppSetControllerRestart = SimDuration::Seconds(15);
constexpr SimDuration kRolloutsControllerRestart = SimDuration::Seconds(15);

bool IsManifestPath(const std::string& path) {
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

// The documents of a manifest file that may hold a SealedSecret (others are not parsed).
std::vector<Json> SealedSecretDocs(const std::string& path, const std::string& content) {
  if (!IsManifestPath(path) || content.find("SealedSecret") == std::string::npos) return {};
  Result<std::vector<Json>> docs = ParseManifestFile(path, content);
  if (!docs.ok()) return {};
  std::vector<Json> out;
  for (Json& d : *docs) {
    if (d.is_object() && d.value("kind", "") == "SealedSecret") out.push_back(std::move(d));
  }
  return out;
}

// A field path step for an item name ("password", or ".dockerconfigjson" quoted).
std::string ItemField(const std::string& item) {
  if (item.find_first_of(".[]\"") == std::string::npos) return "spec.encryptedData." + item;
  return "spec.encryptedData.\"" + item + "\"";
}

}  // namespace

void World::SetUpSealedSecrets() {
  for (const RepoSpec& spec : scenario_.repos) {
    if (!spec.git.empty()) continue;  // replayed: ciphertexts dated when first seen
    const Repository* repo = git_.FindByName(spec.name);
    if (repo == nullptr || repo->empty()) continue;
    repo->head().tree.Walk("", [this](const std::string& path, const Blob& blob) {
      ciphertexts_.RecordDocuments(SealedSecretDocs(path, blob.content()), SimTime::Zero());
    });
  }
  git_.AddPushObserver([this](const std::string& name, const CommitId& id) {
    const Repository* repo = git_.FindByName(name);
    const CommitInfo* commit = repo ? repo->Find(id) : nullptr;
    if (commit == nullptr) return;
    Tree parent = commit->parent ? repo->Find(*commit->parent)->tree : Tree();
    TreeDiff diff = DiffTrees(parent, commit->tree);
    for (const std::vector<std::string>* files : {&diff.added, &diff.changed}) {
      for (const std::string& path : *files) {
        const Blob* blob = commit->tree.FindFile(path);
        if (blob != nullptr)
          ciphertexts_.RecordDocuments(SealedSecretDocs(path, blob->content()), now());
      }
    }
  });
}

Status World::DestroyCluster(const std::string& name) {
  ClusterRuntime* c = FindCluster(name);
  if (c == nullptr || c->in_cluster()) {
    return Status::Error("cluster " + name +
                         (c ? " is the management cluster (argocd-destroyed)" : " not found"));
  }
  if (c->destroyed()) return Status::Error("cluster " + name + " is already destroyed");
  Record({.event = "ClusterDestroyed",
          .cluster = name,
          .detail = fmt::format("{} objects and the sealing keys lost; API server {} unreachable",
                                c->store().size(), c->endpoint().server)});
  c->Destroy();
  return Status::Ok();
}

Status World::RebuildCluster(const std::string& name, bool restore_keys) {
  ClusterRuntime* c = FindCluster(name);
  if (c == nullptr) return Status::Error("cluster " + name + " not found");
  if (!c->destroyed()) return Status::Error("cluster " + name + " is not destroyed");
  std::vector<Json> keys;
  std::string restored = "no key restored";
  if (restore_keys) {
    auto backup = key_backups_.find(name);
    if (backup == key_backups_.end()) {
      restored = "no sealing-key backup of " + name + " to restore";
    } else {
      keys = backup->second.secrets;
      restored = fmt::format("{} sealing key(s) restored from the backup taken at {}", keys.size(),
                             FormatDuration(backup->second.at.since_start()));
    }
  }
  // The cluster secret is re-added with the same server and labels: the registry keeps it.
  Record({.event = "ClusterRebuilt", .cluster = name, .detail = restored});
  c->Rebuild(keys);
  return Status::Ok();
}

Status World::BackupSealingKeys(const std::string& name) {
  ClusterRuntime* c = FindCluster(name);
  if (c == nullptr || c->sealed_secrets() == nullptr)
    return Status::Error("cluster " + name + " runs no Sealed Secrets controller");
  if (c->destroyed())
    return Status::Error(
        c->network().TimeoutError("List", "/api/v1/namespaces/kube-system/secrets").message());
  std::vector<Json> secrets = c->sealed_secrets()->KeySecrets();
  if (secrets.empty()) return Status::Error("No resources found in kube-system namespace.");
  key_backups_[name] = {now(), std::move(secrets)};
  return Status::Ok();
}

Status World::LoseSealingKeys(const std::string& name, bool restore) {
  ClusterRuntime* c = FindCluster(name);
  if (c == nullptr || c->sealed_secrets() == nullptr || c->destroyed())
    return Status::Error("cluster " + name + " runs no Sealed Secrets controller");
  std::vector<Json> keys;
  if (restore) {
    auto backup = key_backups_.find(name);
    if (backup != key_backups_.end()) keys = backup->second.secrets;
  }
  c->LoseSealingKeys(keys);
  return Status::Ok();
}

// A controller's pod restarting (kubectl rollout restart, controller-restart, shard-change). The
// Sealed Secrets controller and the External Secrets Operator restart at once (their start-up is
// what matters: keys reloaded, stores re-read). The others are away for a while, then list what
// they watch and requeue everything; the downtimes are the time a pod takes to be replaced and
// its caches to fill (README "Faults").
Status World::RestartController(const std::string& cluster, const std::string& controller) {
  if (controller == "argocd-application-controller" ||
      controller == "argocd-applicationset-controller") {
    if (!cluster.empty() && cluster != "in-cluster")
      return Status::Error("Error from server (NotFound): deployments.apps \"" + controller +
                           "\" not found");
    if (argocd_down_)
      return Status::Error("Error from server (NotFound): namespaces \"argocd\" not found");
    if (controller == "argocd-application-controller") {
      app_controller_->Restart(kAppControllerRestart);
    } else {
      appset_controller_->Restart(kAppSetControllerRestart);
    }
    return Status::Ok();
  }
  ClusterRuntime* c = FindCluster(cluster);
  if (c == nullptr) return Status::Error("cluster " + cluster + " not found");
  if (controller == "argo-rollouts") {
    if (c->in_cluster() || c->destroyed())
      return Status::Error(
          "Error from server (NotFound): deployments.apps \"argo-rollouts\" not found");
    c->rollouts().Restart(kRolloutsControllerRestart);
    return Status::Ok();
  }
  if (controller == "external-secrets") {
    if (c->external_secrets() == nullptr || c->destroyed())
      return Status::Error(
          "Error from server (NotFound): deployments.apps \"external-secrets\" not found");
    c->external_secrets()->Restart();
    return Status::Ok();
  }
  if (controller != "sealed-secrets") return Status::Ok();
  if (c->sealed_secrets() == nullptr || c->destroyed())
    return Status::Error(
        "Error from server (NotFound): deployments.apps \"sealed-secrets-controller\" not found");
  c->sealed_secrets()->Restart();
  return Status::Ok();
}

// kubeseal --re-encrypt of every SealedSecret in the files under repo:path, committed: each item
// is opened by the controller of `cluster` (any running one when empty) and sealed again with
// its newest key ("error decrypting secret. ..." when none can open it, upstream's /v1/rotate).
Status World::ReEncrypt(const std::string& repo_name, const std::string& path,
                        const std::string& cluster) {
  const Repository* repo = git_.FindByName(repo_name);
  if (repo == nullptr) return Status::Error("repo " + repo_name + " not found");
  const Tree& tree = repo->head().tree;
  std::vector<std::string> files;
  if (tree.FindFile(path) != nullptr) {
    files.push_back(path);
  } else {
    files = tree.FilePaths(path);
  }
  std::vector<HistoryOp> ops;
  for (const std::string& file : files) {
    for (Json doc : SealedSecretDocs(file, tree.FindFile(file)->content())) {
      const Json& items = doc["spec"]["encryptedData"];
      if (!items.is_object() || items.empty()) continue;
      // A manifest without a namespace is opened where it was first applied.
      const secrets::Seal& first =
          ciphertexts_.SealOf(items.begin()->get<std::string>(), doc, now());
      if (!doc["metadata"].contains("namespace")) doc["metadata"]["namespace"] = first.ns;
      std::string error = "no Sealed Secrets controller to talk to";
      bool opened = false;
      for (auto& c : clusters_) {
        if (!cluster.empty() && c->endpoint().name != cluster) continue;
        if (c->sealed_secrets() == nullptr || !c->sealed_secrets()->running()) continue;
        secrets::UnsealResult r = c->sealed_secrets()->TryUnseal(doc);
        if (r.ok) {
          opened = true;
          break;
        }
        error = r.error;
      }
      if (!opened) return Status::Error(file + ": error decrypting secret. " + error);
      std::string name = doc["metadata"].value("name", "");
      for (const auto& [item, value] : items.items()) {
        HistoryOp op;
        op.kind = HistoryOp::Kind::kSet;
        op.path = file;
        op.field = ItemField(item);
        op.value = "\"" + ciphertexts_.Reseal(value.get<std::string>(), now()) + "\"";
        op.select = "SealedSecret/" + name;
        ops.push_back(std::move(op));
      }
    }
  }
  if (ops.empty()) return Status::Error("no SealedSecret under " + repo_name + ":" + path);
  int64_t unix_time = scenario_.start_unix_seconds + now().since_start().whole_seconds();
  std::string message = "kubeseal --re-encrypt " + path;
  Result<CommitId> id = git_.Push(repo_name, ops, message, unix_time);
  if (!id.ok()) return id.status();
  Record({.event = "CommitPushed",
          .object = repo_name,
          .detail = fmt::format("{} {}", id->hex().substr(0, 7), message)});
  return Status::Ok();
}

// SealedSecrets on the clusters that no key the cluster could get back opens: neither the
// controller's keys, nor the key Secrets in the cluster, nor its last backup.
int64_t World::SecretsUnrecoverable() const {
  int64_t count = 0;
  for (const auto& c : clusters_) {
    const secrets::SealedSecretController* sealed = c->sealed_secrets();
    if (sealed == nullptr || c->destroyed()) continue;
    std::set<std::string> ids;
    for (const secrets::SealingKey& k : sealed->keys()) ids.insert(k.id);
    std::vector<Json> secrets = sealed->KeySecrets();
    auto backup = key_backups_.find(c->endpoint().name);
    if (backup != key_backups_.end())
      secrets.insert(secrets.end(), backup->second.secrets.begin(), backup->second.secrets.end());
    for (const Json& s : secrets) {
      if (auto k = secrets::KeyFromSecret(s, scenario_.start_unix_seconds)) ids.insert(k->id);
    }
    Result<std::vector<LiveObject>> all =
        c->store().List({"bitnami.com", "SealedSecret", std::nullopt, {}});
    if (!all.ok()) continue;
    for (const LiveObject& ss : *all) {
      secrets::UnsealResult r =
          ciphertexts_.Unseal(ss.doc(), c->endpoint().name, ids, sealing_keys_, now());
      if (!r.ok) ++count;
    }
  }
  return count;
}

}  // namespace fleetsim
