#include "tests/argocd/appset_test_util.h"

#include <gtest/gtest.h>

#include "sim/manifest/yaml_to_json.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim::testing_appset {

void FakeSources::AddRepo(const std::string& url, const std::map<std::string, std::string>& files) {
  Tree tree;
  for (const auto& [path, content] : files) {
    Result<Tree> next = tree.WithFile(path, blobs_.Intern(content));
    EXPECT_TRUE(next.ok()) << next.error();
    if (next.ok()) tree = *next;
  }
  trees_.insert_or_assign(NormalizeRepoUrl(url), tree);
}

void FakeSources::AddCluster(const std::string& name, std::map<std::string, std::string> labels) {
  labels["argocd.argoproj.io/secret-type"] = "cluster";
  clusters_.push_back({name, "https://" + name + ".fleet.invalid", "", std::move(labels), {}});
}

Result<Tree> FakeSources::GitTree(const std::string& repo_url, const std::string&, bool) {
  if (!git_error_.empty()) return Status::Error(git_error_);
  auto it = trees_.find(NormalizeRepoUrl(repo_url));
  if (it == trees_.end()) return Status::Error("repository not found");
  return it->second;
}

bool FakeSources::ProjectExists(std::string_view name) {
  return projects_.count(std::string(name)) != 0;
}

Status FakeSources::ResolveDestination(std::string_view server, std::string_view name) {
  for (const AppSetCluster& c : clusters_) {
    if ((!server.empty() && c.server == server) || (server.empty() && c.name == name)) {
      return Status::Ok();
    }
  }
  if (server == "https://kubernetes.default.svc" || name == "in-cluster") return Status::Ok();
  return Status::Error("unable to find destination server: there are no clusters with this URL: " +
                       std::string(server));
}

AppSetSpec SpecFromYaml(const std::string& yaml) {
  Result<std::vector<Json>> docs = YamlToJson(yaml);
  EXPECT_TRUE(docs.ok() && !docs->empty()) << (docs.ok() ? "no document" : docs.error());
  Result<AppSetSpec> spec =
      ParseAppSetSpec(docs.ok() && !docs->empty() ? (*docs)[0] : Json::object());
  EXPECT_TRUE(spec.ok()) << spec.error();
  return spec.ok() ? *spec : AppSetSpec{};
}

std::vector<std::string> AppNames(const std::vector<Json>& apps) {
  std::vector<std::string> out;
  for (const Json& a : apps) out.push_back(a["metadata"].value("name", ""));
  return out;
}

}  // namespace fleetsim::testing_appset
