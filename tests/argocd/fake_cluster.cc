#include "tests/argocd/fake_cluster.h"

#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

const std::set<std::string, std::less<>> kClusterScoped = {
    "Namespace",        "ClusterRole",  "ClusterRoleBinding", "CustomResourceDefinition",
    "PersistentVolume", "StorageClass", "IngressClass",       "APIService"};

const std::set<std::string, std::less<>> kBuiltInGroups = {"",
                                                           "apps",
                                                           "batch",
                                                           "rbac.authorization.k8s.io",
                                                           "networking.k8s.io",
                                                           "policy",
                                                           "apiextensions.k8s.io",
                                                           "autoscaling",
                                                           "storage.k8s.io",
                                                           "apiregistration.k8s.io"};

std::string GroupOfApiVersion(std::string_view api_version) {
  size_t slash = api_version.find('/');
  return slash == std::string_view::npos ? "" : std::string(api_version.substr(0, slash));
}

}  // namespace

ObjectKey FakeCluster::Normalize(ObjectKey key) {
  if (kClusterScoped.count(key.kind) > 0) key.ns.clear();
  return key;
}

bool FakeCluster::ServesKind(std::string_view api_version, std::string_view kind) {
  std::string group = GroupOfApiVersion(api_version);
  if (kBuiltInGroups.count(group) > 0) return true;
  for (const auto& [key, obj] : objects_) {
    if (key.kind != "CustomResourceDefinition") continue;
    const Json& spec = obj->doc().at("spec");
    if (spec.value("group", "") == group && spec.at("names").value("kind", "") == kind) {
      return true;
    }
  }
  return false;
}

Status FakeCluster::CheckServed(const Object& obj) {
  if (ServesKind(obj.api_version(), obj.kind())) return Status::Ok();
  return Status::Error("the server could not find the requested resource");
}

Status FakeCluster::Apply(const Object& obj, const ApplyMode& mode) {
  ObjectKey key = Normalize(obj.key());
  log_.push_back("apply " + key.ToString());
  if (auto it = fail_apply_.find(obj.name()); it != fail_apply_.end()) {
    return Status::Error(it->second);
  }
  if (Status s = CheckServed(obj); !s.ok()) return s;
  objects_[key] = std::make_shared<const Object>(obj);
  modes_[key] = mode;
  return Status::Ok();
}

Status FakeCluster::DryRun(const Object& obj) {
  log_.push_back("dry-run " + Normalize(obj.key()).ToString());
  if (auto it = fail_dry_run_.find(obj.name()); it != fail_dry_run_.end()) {
    return Status::Error(it->second);
  }
  return CheckServed(obj);
}

Status FakeCluster::Delete(const ObjectKey& raw, PropagationPolicy policy) {
  ObjectKey key = Normalize(raw);
  log_.push_back("delete " + key.ToString() + " " + std::string(PropagationPolicyName(policy)));
  if (objects_.count(key) == 0) return Status::Ok();
  if (hold_deletions_) {
    deleting_.insert(key);
  } else {
    objects_.erase(key);
    health_.erase(key);
  }
  return Status::Ok();
}

Status FakeCluster::Create(const Object& obj) {
  ObjectKey key = Normalize(obj.key());
  log_.push_back("create " + key.ToString());
  if (objects_.count(key) == 0) objects_[key] = std::make_shared<const Object>(obj);
  return Status::Ok();
}

ObjectPtr FakeCluster::GetLive(const ObjectKey& key) {
  auto it = objects_.find(Normalize(key));
  return it == objects_.end() ? nullptr : it->second;
}

std::optional<HealthStatus> FakeCluster::Health(const ObjectKey& key) {
  auto it = health_.find(Normalize(key));
  if (it == health_.end()) return std::nullopt;
  return it->second;
}

bool FakeCluster::IsBeingDeleted(const ObjectKey& key) {
  return deleting_.count(Normalize(key)) > 0;
}

std::vector<ObjectPtr> FakeCluster::ManagedLive() {
  std::vector<ObjectPtr> out;
  for (const auto& [key, obj] : objects_) out.push_back(obj);
  return out;
}

void FakeCluster::Put(const ObjectPtr& obj) { objects_[Normalize(obj->key())] = obj; }

void FakeCluster::SetHealth(const ObjectKey& key, HealthCode code, std::string message) {
  health_[Normalize(key)] = HealthStatus{code, std::move(message)};
}

void FakeCluster::FinishDeletions() {
  for (const ObjectKey& key : deleting_) {
    objects_.erase(key);
    health_.erase(key);
  }
  deleting_.clear();
}

std::vector<std::string> FakeCluster::Writes() const {
  std::vector<std::string> out;
  for (const std::string& entry : log_) {
    if (entry.rfind("dry-run ", 0) != 0) out.push_back(entry);
  }
  return out;
}

}  // namespace fleetsim
