#include "sim/cli/offline_sources.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "sim/cluster/cluster_registry.h"
#include "sim/git/tree_loader.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/scenario/load_sections.h"
#include "sim/scenario/repo_url.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ":1:1: cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string YamlFileError(const std::string& file, const std::string& message) {
  static const std::regex kAt("line ([0-9]+), column ([0-9]+)");
  std::smatch m;
  if (std::regex_search(message, m, kAt)) {
    return file + ":" + m[1].str() + ":" + m[2].str() + ": " + message;
  }
  return file + ":1:1: " + message;
}

namespace {

std::string Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  int bits = 0;
  uint32_t acc = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// The Secrets form: `kubectl get secret -l argocd.argoproj.io/secret-type=cluster -o yaml`.
Result<std::vector<AppSetCluster>> ClustersFromSecrets(const std::vector<Json>& docs) {
  std::vector<AppSetCluster> out;
  std::vector<Json> items;
  for (const Json& d : docs) {
    if (d.value("kind", "") == "List" || d.value("kind", "") == "SecretList") {
      for (const Json& i : d.value("items", Json::array())) items.push_back(i);
    } else {
      items.push_back(d);
    }
  }
  for (const Json& s : items) {
    if (!s.is_object() || s.value("kind", "") != "Secret") continue;
    auto field = [&](const char* key) -> std::string {
      const Json string_data = s.value("stringData", Json::object());
      if (string_data.is_object() && string_data.contains(key) && string_data[key].is_string()) {
        return string_data[key].get<std::string>();
      }
      const Json data = s.value("data", Json::object());
      if (data.is_object() && data.contains(key) && data[key].is_string()) {
        return Base64Decode(data[key].get<std::string>());
      }
      return "";
    };
    AppSetCluster c{field("name"), field("server"), field("project"), {}, {}};
    const Json meta = s.value("metadata", Json::object());
    for (const char* which : {"labels", "annotations"}) {
      const Json m = meta.value(which, Json::object());
      if (!m.is_object()) continue;
      for (const auto& [k, v] : m.items()) {
        if (!v.is_string()) continue;
        (std::string(which) == "labels" ? c.labels : c.annotations)[k] = v.get<std::string>();
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::vector<AppSetCluster>> LoadFleetFile(const std::string& path) {
  if (path.empty()) return std::vector<AppSetCluster>{};
  Result<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
  } catch (...) {
    root = YAML::Node();
  }
  if (root.IsMap() && root["clusters"]) {
    ReadContext ctx(path);
    FleetSpec fleet = LoadFleet(YamlNode(&ctx, root));
    if (!ctx.ok()) return ctx.status();
    ClusterRegistry registry(fleet);
    std::vector<AppSetCluster> out;
    for (const ClusterInfo& c : registry.clusters()) {
      if (c.in_cluster) continue;
      AppSetCluster cluster{c.name, c.server, "", c.labels, c.annotations};
      cluster.labels["argocd.argoproj.io/secret-type"] = "cluster";
      out.push_back(std::move(cluster));
    }
    return out;
  }
  Result<std::vector<Json>> docs = YamlToJson(*text);
  if (!docs.ok()) return Status::Error(YamlFileError(path, docs.error()));
  return ClustersFromSecrets(*docs);
}

Status OfflineSources::AddRepo(const std::string& spec) {
  size_t eq = spec.find('=');
  std::string url = eq == std::string::npos ? "" : spec.substr(0, eq);
  std::string dir = eq == std::string::npos ? spec : spec.substr(eq + 1);
  Result<Tree> tree = LoadTreeFromDirectory(dir, blobs_);
  if (!tree.ok()) return Status::Error("--repo " + spec + ": " + tree.error());
  trees_.insert_or_assign(url.empty() ? "" : NormalizeRepoUrl(url), *tree);
  return Status::Ok();
}

void OfflineSources::SetClusters(std::vector<AppSetCluster> clusters) {
  std::sort(clusters.begin(), clusters.end(),
            [](const AppSetCluster& a, const AppSetCluster& b) { return a.name < b.name; });
  clusters_ = std::move(clusters);
}

Result<Tree> OfflineSources::GitTree(const std::string& repo_url, const std::string& revision,
                                     bool) {
  if (git_ != nullptr) return git_->TreeAt(repo_url, revision);
  auto it = trees_.find(NormalizeRepoUrl(repo_url));
  if (it == trees_.end()) it = trees_.find("");
  if (it == trees_.end()) {
    return Status::Error("rpc error: code = NotFound desc = repository " + repo_url +
                         " not found (no --repo names it)");
  }
  return it->second;
}

}  // namespace fleetsim
