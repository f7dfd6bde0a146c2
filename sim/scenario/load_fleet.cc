// fleet: clusters (named or generated), preinstalled add-ons, Sealed Secrets keys.
#include <algorithm>
#include <map>

#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

constexpr int64_t kMaxGenerated = 100000;
constexpr std::string_view kInClusterServer = "https://kubernetes.default.svc";
const std::vector<std::string_view> kNamedKeys = {"name", "labels", "annotations", "server",
                                                  "podStartup"};
const std::vector<std::string_view> kGenerateKeys = {"generate", "namePrefix", "labels",
                                                     "annotations", "podStartup"};
const std::vector<std::string_view> kAddOns = {"argo-rollouts", "external-secrets",
                                               "sealed-secrets"};

std::string TrimSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// Cluster names and servers already taken, with where each was first written.
class ClusterRegistry {
 public:
  bool AddName(const std::string& name, const YamlNode& where) {
    if (name == "in-cluster") {
      where.Fail("cluster name \"in-cluster\" is reserved for the management cluster");
      return false;
    }
    auto [it, inserted] = names_.emplace(name, where.pos());
    if (!inserted) {
      where.Fail("duplicate cluster name \"" + name + "\" (first defined at " +
                 it->second.ToString() + ")");
    }
    return inserted;
  }

  bool AddServer(const std::string& server, const std::string& cluster, const YamlNode& where) {
    std::string key = TrimSlashes(server);
    if (key == kInClusterServer) {
      where.Fail("server \"" + server + "\" is reserved for in-cluster");
      return false;
    }
    auto [it, inserted] = servers_.emplace(key, std::make_pair(cluster, where.pos()));
    if (!inserted) {
      where.Fail("duplicate server \"" + server + "\": cluster \"" + it->second.first + "\" (" +
                 it->second.second.ToString() + ") has it too");
    }
    return inserted;
  }

 private:
  std::map<std::string, SourcePos> names_;
  std::map<std::string, std::pair<std::string, SourcePos>> servers_;
};

PodStartup ReadPodStartup(const YamlNode& node) {
  PodStartup startup;
  if (!node.CheckKeys({"min", "max"})) return startup;
  startup.min = node.Duration("min", startup.min);
  startup.max = node.Duration("max", startup.max);
  if (node.ok() && startup.min > startup.max) {
    node.Fail("podStartup min " + FormatDuration(startup.min) + " is greater than max " +
              FormatDuration(startup.max));
  }
  return startup;
}

// labels, annotations and podStartup: the fields both kinds of entry have.
ClusterSpec ReadCommon(const YamlNode& item) {
  ClusterSpec cluster;
  cluster.labels = ReadLabels(item.Get("labels"));
  cluster.annotations = item.StringMap("annotations");
  cluster.pod_startup = ReadPodStartup(item.Get("podStartup"));
  cluster.pos = item.pos();
  return cluster;
}

bool CheckName(const std::string& name, const YamlNode& where, std::string_view what) {
  if (IsDnsSubdomain(name)) return true;
  where.Fail(std::string(what) + " \"" + name +
             "\" is not a valid DNS-1123 subdomain: lowercase letters, digits, '-' and '.', "
             "starting and ending with a letter or digit, at most 253 characters");
  return false;
}

void ReadNamed(const YamlNode& item, ClusterRegistry* registry, std::vector<ClusterSpec>* out) {
  if (!item.CheckKeys(kNamedKeys)) return;
  YamlNode name = item.Require("name");
  std::string cluster_name = name.AsString();
  if (!item.ok() || !CheckName(cluster_name, name, "cluster name")) return;
  if (!registry->AddName(cluster_name, name)) return;
  ClusterSpec cluster = ReadCommon(item);
  cluster.name = cluster_name;
  YamlNode server = item.Get("server");
  cluster.server =
      server.present() ? server.AsString() : "https://" + cluster.name + ".fleet.invalid";
  if (!item.ok()) return;
  if (cluster.server.rfind("https://", 0) != 0 && cluster.server.rfind("http://", 0) != 0) {
    return server.Fail("server \"" + cluster.server + "\" must be an https:// or http:// URL");
  }
  if (!registry->AddServer(cluster.server, cluster.name, server.present() ? server : name)) return;
  out->push_back(std::move(cluster));
}

void ReadGenerated(const YamlNode& item, ClusterRegistry* registry, std::vector<ClusterSpec>* out) {
  if (!item.CheckKeys(kGenerateKeys)) return;
  int64_t count = item.Get("generate").AsInt(1, kMaxGenerated);
  YamlNode prefix = item.Get("namePrefix");
  std::string name_prefix = prefix.present() ? prefix.AsString() : "cluster-";
  ClusterSpec common = ReadCommon(item);
  if (!item.ok()) return;
  const YamlNode& where = prefix.present() ? prefix : item;
  for (int64_t i = 1; i <= count; ++i) {
    ClusterSpec cluster = common;
    cluster.name = name_prefix + std::to_string(i);
    cluster.server = "https://" + cluster.name + ".fleet.invalid";
    if (!CheckName(cluster.name, where, "generated cluster name") ||
        !registry->AddName(cluster.name, item) ||
        !registry->AddServer(cluster.server, cluster.name, item)) {
      return;
    }
    out->push_back(std::move(cluster));
  }
}

std::vector<ClusterSpec> ReadClusters(const YamlNode& node) {
  std::vector<ClusterSpec> clusters;
  ClusterRegistry registry;
  for (const YamlNode& item : node.Items()) {
    if (!item.ExpectMap()) break;
    if (item.Has("generate")) {
      ReadGenerated(item, &registry, &clusters);
    } else {
      ReadNamed(item, &registry, &clusters);
    }
    if (!node.ok()) break;
  }
  return clusters;
}

std::vector<std::string> ReadPreinstalled(const YamlNode& node) {
  std::vector<std::string> add_ons;
  for (const YamlNode& item : node.Items()) {
    std::string name = ReadChoice(item, "add-on", kAddOns);
    if (!node.ok()) break;
    if (std::find(add_ons.begin(), add_ons.end(), name) != add_ons.end()) {
      item.Fail("add-on \"" + name + "\" is listed twice");
      break;
    }
    add_ons.push_back(name);
  }
  std::sort(add_ons.begin(), add_ons.end());
  return add_ons;
}

}  // namespace

FleetSpec LoadFleet(const YamlNode& node) {
  FleetSpec fleet;
  if (!node.CheckKeys({"clusters", "preinstalled", "sealedSecrets"})) return fleet;
  fleet.clusters = ReadClusters(node.Get("clusters"));
  if (node.Has("preinstalled")) fleet.preinstalled = ReadPreinstalled(node.Get("preinstalled"));
  YamlNode sealed = node.Get("sealedSecrets");
  if (node.ok() && sealed.CheckKeys({"sharedKeys", "keyRenewal"})) {
    fleet.sealed_secrets_shared_keys = sealed.Bool("sharedKeys", false);
    fleet.sealed_secrets_key_renewal =
        sealed.Duration("keyRenewal", fleet.sealed_secrets_key_renewal);
  }
  return fleet;
}

}  // namespace fleetsim
