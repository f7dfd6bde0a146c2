// One revision as `fleetsim diff` sees it (fleet_diff.h): every Application reached from the
// repository (its files, the ApplicationSets' generated Applications, the children app-of-apps
// parents render), who owns each, and the manifests each renders there.
#ifndef FLEETSIM_SIM_CLI_FLEET_DIFF_SCAN_H_
#define FLEETSIM_SIM_CLI_FLEET_DIFF_SCAN_H_

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/simulator.h"
#include "sim/argocd/appset_spec.h"
#include "sim/argocd/repo_server.h"
#include "sim/cli/fleet_diff.h"
#include "sim/cli/offline_sources.h"

namespace fleetsim {

// An ApplicationSet, or an Application whose source renders Applications or ApplicationSets.
struct DiffOwner {
  bool is_appset = false;
  std::optional<AppSetSpec> appset;
  Json doc;                                   // the owner itself
  std::map<std::string, Json> apps;           // owned Applications by "ns/name"
  std::vector<std::string> appsets;           // owned ApplicationSets' owner ids (parents)
  std::map<std::string, ObjectPtr> children;  // a parent's rendered children by owner-style id
};

struct ScannedApp {
  Json doc;
  std::string owner;  // owner id, "" when applied by hand (found in a file, no parent)
};

class DiffScan {
 public:
  // REQUIRES: side.snapshot and `tools` outlive the scan.
  DiffScan(const DiffSide& side, const std::vector<AppSetCluster>& clusters, ToolRunner* tools);

  // Reads the revision; fails on a broken Argo CD manifest or ApplicationSet.
  Status Scan();

  const std::map<std::string, ScannedApp>& apps() const { return apps_; }
  const std::map<std::string, DiffOwner>& owners() const { return owners_; }
  // The objects `app` renders at this revision (namespaces as written).
  Result<std::vector<ObjectPtr>> Render(const Json& app);

 private:
  // `node` (may be null: a parent rendered it) gives positions in `path`.
  Status AddAppSet(const std::string& path, const YAML::Node* node, const Json& doc,
                   std::vector<std::pair<std::string, ScannedApp>>* queue);
  Status Expand(std::vector<std::pair<std::string, ScannedApp>> queue);

  DiffSide side_;
  OfflineSources sources_;
  Simulator sim_;
  RepoServer repo_server_;
  std::map<std::string, ScannedApp> apps_;
  std::map<std::string, DiffOwner> owners_;
};

// The string at a JSON pointer ("/spec/destination/namespace"), or "" when absent or not a string.
std::string JsonString(const Json& doc, const std::string& pointer);
// "ns/name" of an Application or ApplicationSet document (namespace "argocd" when unset, or
// `default_ns` when given).
std::string DocKey(const Json& doc, const std::string& default_ns = "argocd");
// "ApplicationSet ns/name" or "Application ns/name".
std::string OwnerId(const Json& doc, const std::string& default_ns = "argocd");

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_FLEET_DIFF_SCAN_H_
