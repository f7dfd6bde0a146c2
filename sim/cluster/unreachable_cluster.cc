#include "sim/cluster/unreachable_cluster.h"

#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "engine/random.h"

namespace fleetsim {
namespace {

// kubectl's fallback pluralisation, for kinds discovery does not know.
std::string GuessPlural(std::string_view kind) {
  std::string s;
  for (char c : kind) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.empty()) return s;
  if (s.back() == 's' || s.back() == 'x' || s.ends_with("ch") || s.ends_with("sh")) return s + "es";
  if (s.back() == 'y' && s.size() > 1 &&
      std::string_view("aeiou").find(s[s.size() - 2]) == std::string_view::npos) {
    return s.substr(0, s.size() - 1) + "ies";
  }
  return s + "s";
}

std::string HostOf(std::string_view server) {
  size_t scheme = server.find("://");
  std::string_view rest = scheme == std::string_view::npos ? server : server.substr(scheme + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

UnreachableCluster::UnreachableCluster(ClusterApi& inner, std::string server,
                                       const ApiResources& discovery)
    : inner_(inner), discovery_(discovery), server_(std::move(server)) {
  std::string host = HostOf(server_);
  std::string port = "443";
  if (size_t colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host.resize(colon);
  }
  uint64_t h = HashName(host);
  address_ = fmt::format("10.{}.{}.{}:{}", (h >> 16) & 0xff, (h >> 8) & 0xff, 1 + h % 254, port);
}

Status UnreachableCluster::TimeoutError(std::string_view verb, std::string_view path) const {
  return Status::Error(
      fmt::format("{} \"{}{}\": dial tcp {}: i/o timeout", verb, server_, path, address_));
}

std::string UnreachableCluster::PathOf(std::string_view group, std::string_view kind,
                                       std::string_view api_version, std::string_view ns,
                                       std::string_view name) {
  const ApiResource* r =
      api_version.empty() ? discovery_.FindKind(group, kind) : discovery_.Find(api_version, kind);
  std::string version = r ? r->version : (api_version.empty() ? "v1" : "");
  if (!api_version.empty()) {
    size_t slash = api_version.find('/');
    version =
        std::string(slash == std::string_view::npos ? api_version : api_version.substr(slash + 1));
  }
  std::string path = group.empty() ? "/api/" : "/apis/";
  if (!group.empty()) path.append(group).append("/");
  path += version;
  if (!ns.empty()) path.append("/namespaces/").append(ns);
  path.append("/").append(r ? r->plural : GuessPlural(kind));
  if (!name.empty()) path.append("/").append(name);
  return path;
}

std::string UnreachableCluster::PathOf(const ObjectKey& key) {
  return PathOf(key.group, key.kind, "", key.ns, key.name);
}

std::string UnreachableCluster::PathOf(const Object& obj) {
  return PathOf(obj.group(), obj.kind(), obj.api_version(), obj.ns(), obj.name());
}

Result<ApiResource> UnreachableCluster::Discover(std::string_view api_version,
                                                 std::string_view kind) {
  if (unreachable_) {
    bool core = api_version.find('/') == std::string_view::npos;
    return TimeoutError("Get", (core ? "/api/" : "/apis/") + std::string(api_version));
  }
  return inner_.Discover(api_version, kind);
}

Status UnreachableCluster::Discoverable(std::string_view api_version, std::string_view kind) {
  if (unreachable_) return Discover(api_version, kind).status();
  return inner_.Discoverable(api_version, kind);
}

Result<LiveObject> UnreachableCluster::Get(const ObjectKey& key) {
  if (unreachable_) return TimeoutError("Get", PathOf(key));
  return inner_.Get(key);
}

Result<std::vector<LiveObject>> UnreachableCluster::List(const ListOptions& options) {
  if (unreachable_) {
    return TimeoutError("Get",
                        PathOf(options.group, options.kind, "", options.ns.value_or(""), ""));
  }
  return inner_.List(options);
}

Result<LiveObject> UnreachableCluster::Create(const Object& obj) {
  if (unreachable_) {
    return TimeoutError("Post", PathOf(obj.group(), obj.kind(), obj.api_version(), obj.ns(), ""));
  }
  return inner_.Create(obj);
}

Result<ApplyResult> UnreachableCluster::Apply(const Object& desired, const ApplyOptions& options) {
  // kubectl apply starts by reading the live object.
  if (unreachable_) return TimeoutError("Get", PathOf(desired));
  return inner_.Apply(desired, options);
}

Result<LiveObject> UnreachableCluster::Update(const Object& obj) {
  if (unreachable_) return TimeoutError("Put", PathOf(obj));
  return inner_.Update(obj);
}

Result<LiveObject> UnreachableCluster::Patch(const ObjectKey& key, const Json& merge_patch) {
  if (unreachable_) return TimeoutError("Patch", PathOf(key));
  return inner_.Patch(key, merge_patch);
}

Result<LiveObject> UnreachableCluster::UpdateStatus(const ObjectKey& key, const Json& status) {
  if (unreachable_) return TimeoutError("Put", PathOf(key) + "/status");
  return inner_.UpdateStatus(key, status);
}

Status UnreachableCluster::AddFinalizer(const ObjectKey& key, std::string_view finalizer) {
  if (unreachable_) return TimeoutError("Patch", PathOf(key));
  return inner_.AddFinalizer(key, finalizer);
}

Status UnreachableCluster::RemoveFinalizer(const ObjectKey& key, std::string_view finalizer) {
  if (unreachable_) return TimeoutError("Patch", PathOf(key));
  return inner_.RemoveFinalizer(key, finalizer);
}

Status UnreachableCluster::Delete(const ObjectKey& key, const DeleteOptions& options) {
  if (unreachable_) return TimeoutError("Delete", PathOf(key));
  return inner_.Delete(key, options);
}

WatchId UnreachableCluster::Watch(WatchObserver observer) {
  WatchId id = next_watch_id_++;
  Watcher& w = watchers_[id];
  w.observer = std::move(observer);
  w.inner_id = inner_.Watch([this, id](const WatchEvent& e) { OnEvent(id, e); });
  return id;
}

void UnreachableCluster::Unwatch(WatchId id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  inner_.Unwatch(it->second.inner_id);
  watchers_.erase(it);
}

void UnreachableCluster::OnEvent(WatchId id, const WatchEvent& event) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  if (unreachable_) {
    it->second.missed.insert_or_assign(event.object.key(), event);
    return;
  }
  WatchObserver observer = it->second.observer;  // the observer may Unwatch itself
  observer(event);
}

void UnreachableCluster::set_unreachable(bool unreachable) {
  if (unreachable_ == unreachable) return;
  unreachable_ = unreachable;
  if (unreachable_) return;
  std::vector<WatchId> ids;
  for (const auto& [id, w] : watchers_) ids.push_back(id);
  for (WatchId id : ids) {
    auto it = watchers_.find(id);
    if (it == watchers_.end()) continue;
    std::map<ObjectKey, WatchEvent> missed = std::move(it->second.missed);
    it->second.missed.clear();
    WatchObserver observer = it->second.observer;
    for (const auto& [key, event] : missed) {
      if (unreachable_ || watchers_.count(id) == 0) break;
      observer(event);
    }
  }
}

}  // namespace fleetsim
