#include "sim/cluster/cluster_api.h"

#include <utility>

#include "sim/cluster/object_store.h"

namespace fleetsim {

const std::string& InProcessClusterApi::cluster() const { return store_.cluster(); }

Result<ApiResource> InProcessClusterApi::Discover(std::string_view api_version,
                                                  std::string_view kind) {
  return store_.resources().Discover(api_version, kind);
}

Status InProcessClusterApi::Discoverable(std::string_view api_version, std::string_view kind) {
  return store_.resources().Discoverable(api_version, kind);
}

Result<LiveObject> InProcessClusterApi::Get(const ObjectKey& key) { return store_.Get(key); }

Result<std::vector<LiveObject>> InProcessClusterApi::List(const ListOptions& options) {
  return store_.List(options);
}

Result<LiveObject> InProcessClusterApi::Create(const Object& obj) { return store_.Create(obj); }

Result<ApplyResult> InProcessClusterApi::Apply(const Object& desired, const ApplyOptions& options) {
  return store_.Apply(desired, options);
}

Result<LiveObject> InProcessClusterApi::Update(const Object& obj) { return store_.Update(obj); }

Result<LiveObject> InProcessClusterApi::Patch(const ObjectKey& key, const Json& merge_patch) {
  return store_.Patch(key, merge_patch);
}

Result<LiveObject> InProcessClusterApi::UpdateStatus(const ObjectKey& key, const Json& status) {
  return store_.UpdateStatus(key, status);
}

Status InProcessClusterApi::AddFinalizer(const ObjectKey& key, std::string_view finalizer) {
  return store_.AddFinalizer(key, finalizer);
}

Status InProcessClusterApi::RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) {
  return store_.RemoveFinalizer(key, finalizer);
}

Status InProcessClusterApi::Delete(const ObjectKey& key, const DeleteOptions& options) {
  return store_.Delete(key, options);
}

WatchId InProcessClusterApi::Watch(WatchObserver observer) {
  return store_.AddObserver(std::move(observer));
}

void InProcessClusterApi::Unwatch(WatchId id) { store_.RemoveObserver(id); }

}  // namespace fleetsim
