// fleetsim appset generate (DESIGN.md command line; reference/argocd.md 4.7) and fleetsim validate
// on ApplicationSets (the article's traps, DESIGN.md "Traps in the article").
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "sim/cli/commands.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;

const std::string kScenarios = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios";
const std::string kPlatform = kScenarios + "/repos/appset/platform-gitops";
const std::string kApps = kScenarios + "/repos/appset/apps-gitops";

std::string TempFile(const std::string& name, const std::string& content) {
  std::filesystem::path p = std::filesystem::temp_directory_path() / ("fleetsim-" + name);
  std::ofstream(p) << content;
  return p.string();
}

const char* kFleet = R"(clusters:
  - {name: prod-eastus, labels: {env: prod}}
  - {name: prod-westeu, labels: {env: prod}}
  - {name: staging, labels: {env: staging}}
)";

TEST(AppSetGenerateCommandTest, GeneratesTheTenantMatrixAsJson) {
  AppSetGenerateOptions o;
  o.appset_file = kPlatform + "/appsets/tenants-default.yaml";
  o.repos = {"https://github.com/acme/apps-gitops.git=" + kApps};
  o.clusters_file = TempFile("fleet.yaml", kFleet);
  o.output = "json";
  std::ostringstream out, err;
  ASSERT_EQ(AppSetGenerateCommand(o, out, err), kExitOk) << err.str();
  Json apps = Json::parse(out.str());
  ASSERT_EQ(apps.size(), 80u);  // 40 services x 2 prod clusters
  EXPECT_EQ(apps[0]["metadata"]["name"], "accounts-prod-eastus");
  EXPECT_EQ(apps[0]["spec"]["destination"]["namespace"], "accounts");
  EXPECT_EQ(apps[0]["metadata"]["finalizers"][0], "resources-finalizer.argocd.argoproj.io");
}

TEST(AppSetGenerateCommandTest, ReadsClusterSecretsAndPrintsYaml) {
  const char* secrets = R"(apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: cluster-prod-eastus
      namespace: argocd
      labels: {argocd.argoproj.io/secret-type: cluster, env: prod}
    data:
      name: cHJvZC1lYXN0dXM=
      server: aHR0cHM6Ly9wcm9kLWVhc3R1cy5leGFtcGxlLmNvbQ==
)";
  AppSetGenerateOptions o;
  o.appset_file = kPlatform + "/appsets/tenants-default.yaml";
  o.repos = {kApps};
  o.clusters_file = TempFile("secrets.yaml", secrets);
  std::ostringstream out, err;
  ASSERT_EQ(AppSetGenerateCommand(o, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("name: payments-prod-eastus"));
  EXPECT_THAT(out.str(), HasSubstr("server: https://prod-eastus.example.com"));
}

TEST(AppSetGenerateCommandTest, TemplateErrorExitsTwoWithArgoCdsText) {
  AppSetGenerateOptions o;
  o.appset_file = kScenarios + "/repos/appset-article/platform-gitops/appsets/tenants.yaml";
  o.repos = {kScenarios + "/repos/appset-article/apps-gitops"};
  o.clusters_file = TempFile("fleet2.yaml", kFleet);
  std::ostringstream out, err;
  EXPECT_EQ(AppSetGenerateCommand(o, out, err), kExitBadInput);
  EXPECT_EQ(err.str(),
            "unable to generate Applications of ApplicationSet: error generating applications: "
            "failed to parse template {{.path[1]}}: template: base:1: bad character U+005B "
            "'['\n");
}

TEST(AppSetGenerateCommandTest, MissingRepoDirectoryIsBadInput) {
  AppSetGenerateOptions o;
  o.appset_file = kPlatform + "/appsets/tenants-default.yaml";
  o.repos = {"/nonexistent/fleetsim-repo"};
  std::ostringstream out, err;
  EXPECT_EQ(AppSetGenerateCommand(o, out, err), kExitBadInput);
}

// The article's ApplicationSet as written: validate names both faults, each with its position.
TEST(ValidateAppSetTest, ArticleAppSetAsWrittenIsRejectedForBothFaults) {
  std::ostringstream out, err;
  EXPECT_EQ(ValidateCommand({kScenarios + "/invalid/appset-article-as-written.yaml"}, out, err),
            kExitBadInput);
  EXPECT_THAT(err.str(), HasSubstr("appsets/tenants.yaml:33:20: ApplicationSet tenant-apps: "
                                   "failed to parse template {{.path[1]}}: template: base:1: bad "
                                   "character U+005B '['"));
  EXPECT_THAT(err.str(), HasSubstr("appsets/tenants.yaml:24:13: ApplicationSet tenant-apps: "
                                   "ApplicationSet tenant-apps contains applications with "
                                   "duplicate name: prod-westeu-prod-westeu (and 3 more)"));
}

TEST(ValidateAppSetTest, BundledAppSetScenariosValidate) {
  for (const char* name :
       {"appset-rename-incident", "appset-rename-create-update", "appset-matrix-two-repos"}) {
    std::ostringstream out, err;
    EXPECT_EQ(ValidateCommand({kScenarios + "/" + name + ".yaml"}, out, err), kExitOk)
        << name << ": " << err.str();
  }
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

// Bad ApplicationSet input: validate exits 2 with the error at file:line:column.
std::string ScenarioWithAppSet(const std::string& name, const std::string& generators) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("fleetsim-bad-" + name);
  std::filesystem::create_directories(dir / "repo" / "notes");
  std::ofstream(dir / "repo" / "notes" / "readme.txt") << "plain words\n";
  std::ofstream(dir / "repo" / "appset.yaml")
      << "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: bad\n"
         "spec:\n  goTemplate: true\n  generators:\n"
      << generators
      << "  template:\n    metadata:\n      name: 'x-{{.a}}'\n    spec:\n      project: default\n"
         "      destination: {server: https://kubernetes.default.svc, namespace: x}\n";
  std::ofstream(dir / "scenario.yaml")
      << "name: bad\nrepos:\n  apps: {url: https://example.com/apps.git, tree: repo}\n";
  return (dir / "scenario.yaml").string();
}

struct BadCase {
  const char* name;
  const char* generators;
  const char* expected;
};

class ValidateBadAppSetTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ValidateBadAppSetTest, ExitsTwoWithPosition) {
  std::ostringstream out, err;
  EXPECT_EQ(ValidateCommand({ScenarioWithAppSet(GetParam().name, GetParam().generators)}, out, err),
            kExitBadInput);
  EXPECT_THAT(err.str(), HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, ValidateBadAppSetTest,
    ::testing::Values(
        BadCase{"BrokenTemplate", "    - clusters: {values: {a: '{{ .name '}}\n",
                "repo/appset.yaml:8:7: ApplicationSet bad: error appending templated values for "
                "local cluster: failed to replace templated string: failed to replace templated "
                "string with rendered values: failed to parse template {{ .name : template: "
                "base:1: unclosed action"},
        BadCase{"UnknownGenerator", "    - lsit: {elements: [{a: '1'}]}\n",
                "repo/appset.yaml:8:7: ApplicationSet bad: ApplicationSet bad contains "
                "unrecognized generators: lsit"},
        BadCase{"MatrixOfThree",
                "    - matrix:\n        generators:\n          - list: {elements: [{a: '1'}]}\n"
                "          - list: {elements: [{b: '1'}]}\n          - list: {elements: [{c: "
                "'1'}]}\n",
                "repo/appset.yaml:8:7: ApplicationSet bad: found more than two generators, "
                "Matrix support only two"},
        BadCase{"GitFilesOnText",
                "    - git:\n        repoURL: https://example.com/apps.git\n        files: "
                "[{path: 'notes/*.txt'}]\n",
                "ApplicationSet bad: error generating params from git: unable to process file "
                "'notes/readme.txt' from repository 'https://example.com/apps.git': unable to "
                "parse file"}),
    [](const ::testing::TestParamInfo<BadCase>& p) { return p.param.name; });

}  // namespace
}  // namespace fleetsim
