// `fleetsim diff` and `fleetsim appset generate --git`, run as the real binary against a Git
// repository built in the test (DESIGN.md "The command line"). The repository is shaped like the
// article's incident (reference/gitops-at-scale-article.txt): one ApplicationSet crossing a git
// directories generator over service overlays with the prod clusters; the change renames the
// payments overlay, so the generator stops emitting it (reference/argocd.md 4.3).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "tests/support/git_repo_builder.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::GitRepoBuilder;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the fleetsim binary with `args` (already shell-quoted where needed).
Outcome Fleetsim(const std::string& args) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  // Per process: ctest runs the tests of this binary in parallel.
  const std::string stem = dir + "/fleetsim-diff-test-" + std::to_string(getpid());
  const std::string out = stem + ".out";
  const std::string err = stem + ".err";
  const std::string command = std::string(FLEETSIM_BIN) + " " + args + " >" + out + " 2>" + err;
  const int status = std::system(command.c_str());
  Outcome outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return outcome;
}

std::string AppSet(const std::string& sync_policy, const std::string& template_extra = "") {
  return R"(apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: tenants
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/acme/apps-gitops.git
              revision: main
              directories:
                - path: "*/overlays/prod"
          - clusters:
              selector:
                matchLabels:
                  env: prod
)" + sync_policy +
         R"(  template:
    metadata:
      name: "{{index .path.segments 0}}-{{.name}}"
)" + template_extra +
         R"(    spec:
      project: default
      source:
        repoURL: https://github.com/acme/apps-gitops.git
        targetRevision: main
        path: "{{.path.path}}"
      destination:
        server: "{{.server}}"
        namespace: "{{index .path.segments 0}}"
      syncPolicy:
        automated: {prune: true}
)";
}

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: payments}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec: {containers: [{name: payments, image: "ghcr.io/acme/payments:1.4.0"}]}
)";
const char* kService = R"(apiVersion: v1
kind: Service
metadata: {name: payments}
spec: {selector: {app: payments}, ports: [{port: 80}]}
)";
// Delete=false keeps the claim through a cascade (reference 2.6, 3.2).
const char* kClaim = R"(apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: payments-data
  annotations: {argocd.argoproj.io/sync-options: Delete=false}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)";
const char* kCheckoutConfig = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: checkout-flags}
data: {beta: "true"}
)";
const char* kCheckoutService = R"(apiVersion: v1
kind: Service
metadata: {name: checkout}
spec: {selector: {app: checkout}, ports: [{port: 80}]}
)";

const char* kFleet = R"(clusters:
  - {generate: 4, namePrefix: prod-, labels: {env: prod}}
  - {name: staging, labels: {env: staging}}
)";

// Base: payments and checkout under */overlays/prod. Head: payments/overlays/prod renamed to
// payments/overlays/production, and checkout's ConfigMap removed.
class DiffCommandTest : public ::testing::Test {
 protected:
  void Build(const std::string& appset) {
    base_ = repo_.Commit({{"appsets/tenants.yaml", appset},
                          {"payments/overlays/prod/deployment.yaml", kDeployment},
                          {"payments/overlays/prod/service.yaml", kService},
                          {"payments/overlays/prod/pvc.yaml", kClaim},
                          {"checkout/overlays/prod/service.yaml", kCheckoutService},
                          {"checkout/overlays/prod/configmap.yaml", kCheckoutConfig}},
                         1767225600, "services");
    head_ = repo_.Commit(
        {{"payments/overlays/production/deployment.yaml", kDeployment},
         {"payments/overlays/production/service.yaml", kService},
         {"payments/overlays/production/pvc.yaml", kClaim}},
        1767229200, "payments: rename the prod overlay",
        {"payments/overlays/prod/deployment.yaml", "payments/overlays/prod/service.yaml",
         "payments/overlays/prod/pvc.yaml", "checkout/overlays/prod/configmap.yaml"});
    fleet_ = (std::filesystem::path(repo_.path()).parent_path() /
              (std::filesystem::path(repo_.path()).filename().string() + "-fleet.yaml"))
                 .string();
    std::ofstream(fleet_) << kFleet;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove(fleet_, ignored);
  }

  std::string Args(const std::string& extra) const {
    return "diff --git " + repo_.path() + " --base " + base_ + " --head " + head_ + " --fleet " +
           fleet_ + " " + extra;
  }

  GitRepoBuilder repo_;
  std::string base_;
  std::string head_;
  std::string fleet_;
};

TEST_F(DiffCommandTest, RenameDeletesPaymentsOnEveryProdClusterAndExceedsTheLimit) {
  Build(AppSet(""));
  Outcome r = Fleetsim(Args("--max-app-deletions 0"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("cluster prod-1\n  deleted  payments-prod-1  (no longer generated "
                               "by ApplicationSet argocd/tenants)\n"));
  EXPECT_THAT(r.out, HasSubstr("  deleting payments-prod-4: resources finalizer, foreground "
                               "cascade\n    delete Deployment/payments/payments\n"
                               "    orphan PersistentVolumeClaim/payments/payments-data  "
                               "(Delete=false)\n    delete Service/payments/payments\n"));
  EXPECT_THAT(r.out, HasSubstr("  pruning from checkout-prod-2\n    prune  "
                               "ConfigMap/checkout/checkout-flags\n"));
  EXPECT_THAT(r.out, HasSubstr("summary: 4 Applications deleted, 0 created, 0 changed, 0 kept on "
                               "4 clusters; resources: 8 deleted, 4 orphaned, 4 pruned\n"));
  EXPECT_THAT(r.out, HasSubstr("limit exceeded: --max-app-deletions 0: 4 Applications deleted\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("staging")));
}

TEST_F(DiffCommandTest, JsonGivesTheSameCountsPerCluster) {
  Build(AppSet(""));
  Outcome r = Fleetsim(Args("--max-app-deletions 0 --max-prunes 10 -o json"));
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.err, "limit exceeded: --max-app-deletions 0: 4 Applications deleted\n");
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["base"]["commit"], base_);
  EXPECT_EQ(j["head"]["commit"], head_);
  EXPECT_EQ(j["totals"], Json::parse(R"({"apps_changed": 0, "apps_created": 0,
      "apps_deleted": 4, "apps_kept": 0, "clusters": 4, "prunes": 4, "resources_deleted": 8,
      "resources_orphaned": 4})"));
  EXPECT_EQ(j["limits"]["exceeded"], Json::array({"max-app-deletions"}));
  EXPECT_EQ(j["limits"]["max_prunes"], 10);
  ASSERT_EQ(j["clusters"].size(), 4u);
  for (const Json& c : j["clusters"]) {
    ASSERT_EQ(c["deleted"].size(), 1u) << c.dump();
    const Json& app = c["deleted"][0];
    EXPECT_EQ(app["app"], "payments-" + c["name"].get<std::string>());
    EXPECT_EQ(app["cascade"], true);
    EXPECT_EQ(app["propagation"], "foreground");
    ASSERT_EQ(app["resources"].size(), 3u);
    EXPECT_EQ(app["resources"][1]["kind"], "PersistentVolumeClaim");
    EXPECT_EQ(app["resources"][1]["action"], "orphan");
    EXPECT_EQ(app["resources"][2]["action"], "delete");
    EXPECT_EQ(c["prunes"][0]["resources"][0]["name"], "checkout-flags");
  }
}

// DESIGN.md "Traps in the article": preserveResourcesOnDeletion with Delete=confirm still lets
// the ApplicationSet delete the Applications; their resources stay, orphaned (reference 4.2).
TEST_F(DiffCommandTest, ArticleFixStillDeletesTheApplicationsButOrphansTheirResources) {
  Build(AppSet("  syncPolicy: {preserveResourcesOnDeletion: true}\n",
               "      annotations: {argocd.argoproj.io/sync-options: Delete=confirm}\n"));
  Outcome r = Fleetsim(Args("--max-app-deletions 0 -o json"));
  ASSERT_EQ(r.code, 1) << r.err;
  Json t = Json::parse(r.out)["totals"];
  EXPECT_EQ(t["apps_deleted"], 4);
  EXPECT_EQ(t["resources_deleted"], 0);
  EXPECT_EQ(t["resources_orphaned"], 12);
}

// applicationsSync create-update keeps the Applications (reference 4.2).
TEST_F(DiffCommandTest, CreateUpdatePolicyDeletesNothing) {
  Build(
      AppSet("  syncPolicy: {applicationsSync: create-update, preserveResourcesOnDeletion: "
             "true}\n"));
  Outcome r = Fleetsim(Args("--max-app-deletions 0"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("  kept  payments-prod-3  (no longer generated; applicationsSync "
                               "create-update does not delete)\n"));
  EXPECT_THAT(r.out, HasSubstr("summary: 0 Applications deleted, 0 created, 0 changed, 4 kept"));
  Outcome limited = Fleetsim(Args("--max-app-deletions 0 --max-prunes 3"));
  EXPECT_EQ(limited.code, 1);
  EXPECT_THAT(limited.out, HasSubstr("limit exceeded: --max-prunes 3: 4 resources pruned\n"));
}

TEST_F(DiffCommandTest, UnknownRevisionIsBadInputNamingTheFlag) {
  Build(AppSet(""));
  Outcome r = Fleetsim("diff --git " + repo_.path() + " --base " + base_ + " --head nope");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--head: unknown revision \"nope\""));
  Outcome not_repo = Fleetsim("diff --git /nonexistent --base main --head main");
  EXPECT_EQ(not_repo.code, 2);
  EXPECT_THAT(not_repo.err, HasSubstr("\"/nonexistent\" is not a Git repository"));
}

TEST_F(DiffCommandTest, BadFlagIsBadInput) {
  Build(AppSet(""));
  EXPECT_EQ(Fleetsim(Args("--max-app-deletions many")).code, 2);
  EXPECT_EQ(Fleetsim(Args("--frobnicate")).code, 2);
  EXPECT_EQ(Fleetsim("diff --git " + repo_.path() + " --base main").code, 2);
}

TEST_F(DiffCommandTest, BrokenApplicationSetAtHeadNamesFileLineAndColumn) {
  Build(AppSet(""));
  std::string broken = repo_.Commit({{"appsets/tenants.yaml",
                                      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n"
                                      "metadata: {name: tenants\nspec: {}\n"}},
                                    1767232800, "break the set");
  Outcome r = Fleetsim("diff --git " + repo_.path() + " --base " + base_ + " --head " + broken);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr(broken + ":appsets/tenants.yaml:4:5: "));
  EXPECT_THAT(r.err, HasSubstr("(head)"));
}

// The article's template fault ({{.path[1]}} under goTemplate) at the head revision.
TEST_F(DiffCommandTest, TemplateErrorAtHeadNamesTheTemplateString) {
  Build(AppSet(""));
  std::string appset = AppSet("");
  appset.replace(appset.find("{{index .path.segments 0}}-{{.name}}"),
                 std::string("{{index .path.segments 0}}-{{.name}}").size(),
                 "{{.path[1]}}-{{.name}}");
  std::string broken = repo_.Commit({{"appsets/tenants.yaml", appset}}, 1767232800, "typo");
  Outcome r = Fleetsim("diff --git " + repo_.path() + " --base " + base_ + " --head " + broken +
                       " --fleet " + fleet_);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr(broken + ":appsets/tenants.yaml:23:13: ApplicationSet "
                                        "argocd/tenants: "));
  EXPECT_THAT(r.err, HasSubstr("bad character U+005B '['"));
}

// An app-of-apps parent with automated prune: a child removed from its path is pruned and its
// finalizer cascades (reference 3.3).
TEST_F(DiffCommandTest, ParentPrunesARemovedChildAndItsResources) {
  const std::string child = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments
  finalizers: [resources-finalizer.argocd.argoproj.io/background]
spec:
  project: default
  source: {repoURL: https://github.com/acme/apps-gitops.git, path: payments/overlays/prod}
  destination: {server: https://kubernetes.default.svc, namespace: payments}
)";
  const std::string root = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://github.com/acme/apps-gitops.git, path: children}
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
  syncPolicy: {automated: {prune: true}}
)";
  base_ = repo_.Commit({{"bootstrap/root.yaml", root},
                        {"children/payments.yaml", child},
                        {"children/keep.yaml", kCheckoutConfig},
                        {"payments/overlays/prod/deployment.yaml", kDeployment}},
                       1767225600, "root");
  head_ = repo_.Commit({}, 1767229200, "drop payments", {"children/payments.yaml"});
  Outcome r =
      Fleetsim("diff --git " + repo_.path() + " --base " + base_ + " --head " + head_ + " -o json");
  ASSERT_EQ(r.code, 0) << r.err;
  Json j = Json::parse(r.out);
  ASSERT_EQ(j["clusters"].size(), 1u);
  const Json& deleted = j["clusters"][0]["deleted"][0];
  EXPECT_EQ(j["clusters"][0]["name"], "in-cluster");
  EXPECT_EQ(deleted["app"], "payments");
  EXPECT_EQ(deleted["reason"], "pruned by Application argocd/root");
  EXPECT_EQ(deleted["propagation"], "background");
  EXPECT_EQ(deleted["resources"][0]["name"], "payments");
  EXPECT_EQ(deleted["resources"][0]["action"], "delete");
  EXPECT_EQ(j["totals"]["prunes"], 1);  // the child Application object itself
}

TEST_F(DiffCommandTest, AppSetGenerateReadsAGitRevision) {
  Build(AppSet(""));
  Outcome at_base = Fleetsim("appset generate /dev/null --git " + repo_.path() + "@" + base_);
  EXPECT_EQ(at_base.code, 2);  // no ApplicationSet in /dev/null
  const std::string file = fleet_ + ".appset.yaml";
  std::ofstream(file) << AppSet("");
  Outcome base = Fleetsim("appset generate " + file + " --git " + repo_.path() + "@" + base_ +
                          " --clusters " + fleet_ + " -o json");
  ASSERT_EQ(base.code, 0) << base.err;
  EXPECT_EQ(Json::parse(base.out).size(), 8u);  // 2 services x 4 prod clusters
  Outcome head = Fleetsim("appset generate " + file + " --git " + repo_.path() + " --clusters " +
                          fleet_ + " -o json");
  ASSERT_EQ(head.code, 0) << head.err;
  Json apps = Json::parse(head.out);
  ASSERT_EQ(apps.size(), 4u);  // HEAD: only checkout is under */overlays/prod
  EXPECT_EQ(apps[0]["metadata"]["name"], "checkout-prod-1");
  Outcome bad = Fleetsim("appset generate " + file + " --git " + repo_.path() + "@nope");
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--git " + repo_.path() + "@nope: unknown revision \"nope\""));
  EXPECT_EQ(Fleetsim("appset generate " + file + " --git " + repo_.path() + " --repo /tmp").code,
            2);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace fleetsim
