#include "sim/argocd/app_project.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include "sim/manifest/json.h"

#include "sim/manifest/glob.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

using json = Json;

bool IsDeny(const std::string& pattern) { return !pattern.empty() && pattern[0] == '!'; }

// globMatch(pattern, val, allowNegation=true, separators...): "!p" matches what p does not.
bool ProjectGlob(const std::string& pattern, const std::string& value,
                 std::u32string_view separators = {}) {
  if (IsDeny(pattern)) return !GlobMatch(std::string_view(pattern).substr(1), value, separators);
  if (pattern == "*") return true;
  return GlobMatch(pattern, value, separators);
}

// path/filepath.Match (a malformed pattern matches nothing), as isResourceInList uses it.
bool PathMatch(const std::string& pattern, const std::string& value) {
  return fnmatch(pattern.c_str(), value.c_str(), FNM_PATHNAME) == 0;
}

bool InList(const std::vector<ProjectGroupKind>& list, const std::string& group,
            const std::string& kind, const std::string* name) {
  for (const ProjectGroupKind& item : list) {
    if (!PathMatch(item.kind, kind) || !PathMatch(item.group, group)) continue;
    if (name == nullptr || item.name.empty() || PathMatch(item.name, *name)) return true;
  }
  return false;
}

Status Expect(const std::string& path, const char* what) {
  return Status::Error(fmt::format("{}: expected {}", path, what));
}

Status ReadString(const json& obj, const char* key, const std::string& path, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Expect(path + "." + key, "a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadBool(const json& obj, const char* key, const std::string& path, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_boolean()) return Expect(path + "." + key, "a boolean");
  *out = it->get<bool>();
  return Status::Ok();
}

Status ReadStrings(const json& obj, const char* key, const std::string& path,
                   std::vector<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  bool ok = it->is_array();
  for (const json& v : ok ? *it : json::array()) ok = ok && v.is_string();
  if (!ok) return Expect(path + "." + key, "a list of strings");
  for (const json& v : *it) out->push_back(v.get<std::string>());
  return Status::Ok();
}

// A list of objects, each read by `read`; nullopt when the field is absent or null.
template <typename T, typename Read>
Status ReadObjects(const json& obj, const char* key, const std::string& path,
                   std::optional<std::vector<T>>* out, Read read) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  std::string field = path + "." + key;
  if (!it->is_array()) return Expect(field, "a list");
  out->emplace();
  for (size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    std::string item_path = fmt::format("{}[{}]", field, i);
    if (!item.is_object()) return Expect(item_path, "an object");
    T value;
    if (Status s = read(item, item_path, &value); !s.ok()) return s;
    (*out)->push_back(std::move(value));
  }
  return Status::Ok();
}

Status ReadGroupKind(const json& item, const std::string& path, ProjectGroupKind* gk) {
  if (Status s = ReadString(item, "group", path, &gk->group); !s.ok()) return s;
  if (Status s = ReadString(item, "kind", path, &gk->kind); !s.ok()) return s;
  return ReadString(item, "name", path, &gk->name);
}

Status ReadWindow(const json& item, const std::string& path, SyncWindow* w) {
  for (auto [key, out] : {std::pair{"kind", &w->kind},
                          {"schedule", &w->schedule},
                          {"duration", &w->duration},
                          {"timeZone", &w->time_zone},
                          {"description", &w->description}}) {
    if (Status s = ReadString(item, key, path, out); !s.ok()) return s;
  }
  for (auto [key, out] : {std::pair{"applications", &w->applications},
                          {"namespaces", &w->namespaces},
                          {"clusters", &w->clusters}}) {
    if (Status s = ReadStrings(item, key, path, out); !s.ok()) return s;
  }
  for (auto [key, out] : {std::pair{"manualSync", &w->manual_sync},
                          {"andOperator", &w->and_operator},
                          {"syncOverrun", &w->sync_overrun}}) {
    if (Status s = ReadBool(item, key, path, out); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

AppProject AppProject::Default() {
  AppProject p;
  p.name = "default";
  p.source_repos = {"*"};
  p.destinations = {{"*", "", "*"}};
  p.cluster_whitelist = std::vector<ProjectGroupKind>{{"*", "*", ""}};
  return p;
}

Result<AppProject> ParseAppProject(const Object& obj) {
  AppProject p;
  p.name = obj.name();
  auto spec_it = obj.doc().find("spec");
  if (spec_it == obj.doc().end() || spec_it->is_null()) return p;
  if (!spec_it->is_object()) return Expect("spec", "an object");
  const json& spec = *spec_it;
  if (Status s = ReadStrings(spec, "sourceRepos", "spec", &p.source_repos); !s.ok()) return s;
  std::optional<std::vector<ProjectDestination>> dests;
  Status s = ReadObjects<ProjectDestination>(
      spec, "destinations", "spec", &dests,
      [](const json& item, const std::string& path, ProjectDestination* d) {
        if (Status e = ReadString(item, "server", path, &d->server); !e.ok()) return e;
        if (Status e = ReadString(item, "name", path, &d->name); !e.ok()) return e;
        return ReadString(item, "namespace", path, &d->ns);
      });
  if (!s.ok()) return s;
  if (dests) p.destinations = std::move(*dests);
  for (auto [key, out] : {std::pair{"clusterResourceWhitelist", &p.cluster_whitelist},
                          {"clusterResourceBlacklist", &p.cluster_blacklist},
                          {"namespaceResourceWhitelist", &p.namespace_whitelist},
                          {"namespaceResourceBlacklist", &p.namespace_blacklist}}) {
    if (Status e = ReadObjects<ProjectGroupKind>(spec, key, "spec", out, ReadGroupKind); !e.ok())
      return e;
  }
  std::optional<std::vector<SyncWindow>> windows;
  if (Status e = ReadObjects<SyncWindow>(spec, "syncWindows", "spec", &windows, ReadWindow);
      !e.ok()) {
    return e;
  }
  if (windows) p.sync_windows = std::move(*windows);
  return p;
}

bool IsSourcePermitted(const AppProject& p, const std::string& repo_url) {
  const std::string src = NormalizeRepoUrl(repo_url);
  bool any = false;
  for (const std::string& entry : p.source_repos) {
    std::string normalized =
        IsDeny(entry) ? "!" + NormalizeRepoUrl(entry.substr(1)) : NormalizeRepoUrl(entry);
    bool matched = ProjectGlob(normalized, src, U"/");
    if (matched) {
      any = true;
    } else if (IsDeny(normalized)) {
      return false;
    }
  }
  return any;
}

// isDestinationMatched, including Go's precedence in its second case:
// (!name && deny(name)) || ((!server && deny(server)) && namespace).
bool IsDestinationPermitted(const AppProject& p, const ResolvedDestination& cluster,
                            const std::string& ns) {
  bool any = false;
  for (const ProjectDestination& item : p.destinations) {
    bool name_matched = !cluster.name.empty() && ProjectGlob(item.name, cluster.name);
    bool server_matched = !cluster.server.empty() && ProjectGlob(item.server, cluster.server);
    bool ns_matched = ProjectGlob(item.ns, ns);
    if ((server_matched || name_matched) && ns_matched) {
      any = true;
    } else if ((!name_matched && IsDeny(item.name)) ||
               (!server_matched && IsDeny(item.server) && ns_matched)) {
      return false;
    } else if (!ns_matched && IsDeny(item.ns) && server_matched) {
      return false;
    }
  }
  return any;
}

bool IsGroupKindNamePermitted(const AppProject& p, const std::string& group,
                              const std::string& kind, const std::string& name, bool namespaced) {
  if (namespaced) {
    const auto& white = p.namespace_whitelist;
    const auto& black = p.namespace_blacklist;
    bool white_listed = !white || (!white->empty() && InList(*white, group, kind, nullptr));
    bool black_listed = black && !black->empty() && InList(*black, group, kind, nullptr);
    return white_listed && !black_listed;
  }
  const auto& white = p.cluster_whitelist;
  const auto& black = p.cluster_blacklist;
  bool white_listed = white && !white->empty() && InList(*white, group, kind, &name);
  bool black_listed = black && !black->empty() && InList(*black, group, kind, &name);
  return white_listed && !black_listed;
}

std::vector<std::string> ValidatePermissions(const AppProject& p,
                                             const std::vector<std::string>& repo_urls,
                                             const ResolvedDestination& cluster, bool dest_by_name,
                                             const std::string& ns) {
  std::vector<std::string> out;
  for (const std::string& url : repo_urls) {
    if (!IsSourcePermitted(p, url)) {
      out.push_back(
          fmt::format("application repo {} is not permitted in project '{}'", url, p.name));
    }
  }
  if (!IsDestinationPermitted(p, cluster, ns)) {
    out.push_back(fmt::format(
        "application destination server '{}' and namespace '{}' do not match any of the allowed "
        "destinations in project '{}'",
        dest_by_name ? cluster.name : cluster.server, ns, p.name));
  }
  return out;
}

Status ValidateSyncPermissions(const AppProject& p, const ResolvedDestination& cluster,
                               const Object& obj, bool namespaced) {
  if (!IsGroupKindNamePermitted(p, obj.group(), obj.kind(), obj.name(), namespaced)) {
    return Status::Error(fmt::format("resource {}:{} is not permitted in project {}", obj.group(),
                                     obj.kind(), p.name));
  }
  if (namespaced && !IsDestinationPermitted(p, cluster, obj.ns())) {
    return Status::Error(
        fmt::format("namespace {} is not permitted in project '{}'", obj.ns(), p.name));
  }
  return Status::Ok();
}

}  // namespace fleetsim
