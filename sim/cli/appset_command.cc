// fleetsim appset generate: ApplicationSets rendered offline against directories and a fleet file.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "sim/argocd/appset_generate.h"
#include "sim/cli/commands.h"
#include "sim/cluster/cluster_registry.h"
#include "sim/git/blob_store.h"
#include "sim/git/tree_loader.h"
#include "sim/manifest/yaml_to_json.h"
#include "sim/scenario/load_sections.h"
#include "sim/scenario/repo_url.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ":1:1: cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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
Result<std::vector<AppSetCluster>> ClustersFromSecrets(const std::vector<nlohmann::json>& docs) {
  std::vector<AppSetCluster> out;
  std::vector<nlohmann::json> items;
  for (const nlohmann::json& d : docs) {
    if (d.value("kind", "") == "List" || d.value("kind", "") == "SecretList") {
      for (const nlohmann::json& i : d.value("items", nlohmann::json::array())) items.push_back(i);
    } else {
      items.push_back(d);
    }
  }
  for (const nlohmann::json& s : items) {
    if (!s.is_object() || s.value("kind", "") != "Secret") continue;
    auto field = [&](const char* key) -> std::string {
      const nlohmann::json string_data = s.value("stringData", nlohmann::json::object());
      if (string_data.is_object() && string_data.contains(key) && string_data[key].is_string()) {
        return string_data[key].get<std::string>();
      }
      const nlohmann::json data = s.value("data", nlohmann::json::object());
      if (data.is_object() && data.contains(key) && data[key].is_string()) {
        return Base64Decode(data[key].get<std::string>());
      }
      return "";
    };
    AppSetCluster c{field("name"), field("server"), field("project"), {}, {}};
    const nlohmann::json meta = s.value("metadata", nlohmann::json::object());
    for (const char* which : {"labels", "annotations"}) {
      const nlohmann::json m = meta.value(which, nlohmann::json::object());
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

Result<std::vector<AppSetCluster>> LoadClusters(const std::string& path) {
  if (path.empty()) return std::vector<AppSetCluster>{};
  Result<std::string> text = ReadFile(path);
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
  Result<std::vector<nlohmann::json>> docs = YamlToJson(*text);
  if (!docs.ok()) return Status::Error(path + ": " + docs.error());
  return ClustersFromSecrets(*docs);
}

class OfflineSources final : public AppSetSources {
 public:
  Status AddRepo(const std::string& spec) {
    size_t eq = spec.find('=');
    std::string url = eq == std::string::npos ? "" : spec.substr(0, eq);
    std::string dir = eq == std::string::npos ? spec : spec.substr(eq + 1);
    Result<Tree> tree = LoadTreeFromDirectory(dir, blobs_);
    if (!tree.ok()) return Status::Error("--repo " + spec + ": " + tree.error());
    trees_.insert_or_assign(url.empty() ? "" : NormalizeRepoUrl(url), *tree);
    return Status::Ok();
  }
  void SetClusters(std::vector<AppSetCluster> clusters) {
    std::sort(clusters.begin(), clusters.end(),
              [](const AppSetCluster& a, const AppSetCluster& b) { return a.name < b.name; });
    clusters_ = std::move(clusters);
  }

  Result<Tree> GitTree(const std::string& repo_url, const std::string&, bool) override {
    auto it = trees_.find(NormalizeRepoUrl(repo_url));
    if (it == trees_.end()) it = trees_.find("");
    if (it == trees_.end()) {
      return Status::Error("rpc error: code = NotFound desc = repository " + repo_url +
                           " not found (no --repo names it)");
    }
    return it->second;
  }
  Result<std::vector<AppSetCluster>> ClusterSecrets() override { return clusters_; }
  // Offline there is no API server to ask: every project is taken to exist.
  bool ProjectExists(std::string_view) override { return true; }
  Status ResolveDestination(std::string_view, std::string_view) override { return Status::Ok(); }

 private:
  BlobStore blobs_;
  std::map<std::string, Tree> trees_;  // by normalised URL; "" for a bare --repo DIR
  std::vector<AppSetCluster> clusters_;
};

// A JSON value as a YAML node; strings that would read back as something else are quoted.

void Emit(YAML::Emitter& e, const nlohmann::json& v) {
  if (v.is_object()) {
    e << YAML::BeginMap;
    for (const auto& [k, child] : v.items()) {
      e << YAML::Key << k << YAML::Value;
      Emit(e, child);
    }
    e << YAML::EndMap;
  } else if (v.is_array()) {
    e << YAML::BeginSeq;
    for (const nlohmann::json& child : v) Emit(e, child);
    e << YAML::EndSeq;
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    Result<std::vector<nlohmann::json>> back = YamlToJson("v: " + s);
    bool plain = !s.empty() && back.ok() && !back->empty() && (*back)[0].contains("v") &&
                 (*back)[0]["v"] == v;
    if (plain) {
      e << s;
    } else {
      e << YAML::DoubleQuoted << s;
    }
  } else if (v.is_null()) {
    e << YAML::Null;
  } else {
    e << v.dump();
  }
}

}  // namespace

int AppSetGenerateCommand(const AppSetGenerateOptions& options, std::ostream& out,
                          std::ostream& err) {
  if (options.output != "yaml" && options.output != "json") {
    err << "-o: unknown output format \"" << options.output << "\" (yaml or json)\n";
    return kExitBadInput;
  }
  Result<std::string> text = ReadFile(options.appset_file);
  if (!text.ok()) {
    err << text.error() << "\n";
    return kExitBadInput;
  }
  Result<std::vector<nlohmann::json>> docs = YamlToJson(*text);
  if (!docs.ok()) {
    err << options.appset_file << ": " << docs.error() << "\n";
    return kExitBadInput;
  }
  OfflineSources sources;
  for (const std::string& repo : options.repos) {
    if (Status s = sources.AddRepo(repo); !s.ok()) {
      err << s.message() << "\n";
      return kExitBadInput;
    }
  }
  Result<std::vector<AppSetCluster>> clusters = LoadClusters(options.clusters_file);
  if (!clusters.ok()) {
    err << clusters.error() << "\n";
    return kExitBadInput;
  }
  sources.SetClusters(std::move(clusters).value());
  nlohmann::json apps = nlohmann::json::array();
  bool found = false;
  for (const nlohmann::json& doc : *docs) {
    if (!doc.is_object() || doc.value("kind", "") != "ApplicationSet") continue;
    found = true;
    Result<AppSetSpec> spec = ParseAppSetSpec(doc);
    if (!spec.ok()) {
      err << options.appset_file << ": error validating ApplicationSets: " << spec.error() << "\n";
      return kExitBadInput;
    }
    GeneratedApps generated = GenerateApplications(*spec, sources);
    if (!generated.errors.empty()) {
      err << "unable to generate Applications of ApplicationSet: error generating applications: "
          << generated.errors.front().message << "\n";
      return kExitBadInput;
    }
    for (nlohmann::json& app : generated.apps) apps.push_back(std::move(app));
  }
  if (!found) {
    err << options.appset_file << ":1:1: no ApplicationSet in the file\n";
    return kExitBadInput;
  }
  if (options.output == "json") {
    out << apps.dump(2) << "\n";
    return kExitOk;
  }
  for (const nlohmann::json& app : apps) {
    YAML::Emitter e;
    Emit(e, app);
    out << "---\n" << e.c_str() << "\n";
  }
  return kExitOk;
}

}  // namespace fleetsim
