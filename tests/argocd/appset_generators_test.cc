// The generators (reference/argocd.md 4.4, 4.5; argo-cd applicationset/generators/list.go,
// cluster.go, git.go, matrix.go, merge.go) through GenerateApplications.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/argocd/appset_generate.h"
#include "tests/argocd/appset_test_util.h"

namespace fleetsim::testing_appset {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kRepo = "https://github.com/acme/apps.git";

std::string AppSet(const std::string& generators, const std::string& name_template,
                   bool go_template = false, const std::string& extra = "") {
  return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: s\n"
         "  namespace: argocd\nspec:\n  goTemplate: " +
         std::string(go_template ? "true" : "false") + "\n" + extra + "  generators:\n" +
         generators + "  template:\n    metadata:\n      name: '" + name_template +
         "'\n    spec:\n      project: default\n      destination:\n        server: "
         "https://kubernetes.default.svc\n        namespace: x\n";
}

GeneratedApps Generate(const std::string& yaml, FakeSources& sources) {
  AppSetSpec spec = SpecFromYaml(yaml);
  return GenerateApplications(spec, sources);
}

FakeSources Repo() {
  FakeSources s;
  s.AddRepo(kRepo, {{"checkout/overlays/prod/a.yaml", "x: 1"},
                    {"checkout/overlays/staging/a.yaml", "x: 1"},
                    {"payments/overlays/prod/a.yaml", "x: 1"},
                    {".hidden/overlays/prod/a.yaml", "x: 1"},
                    {"clusters/prod-1/config.json", R"({"cluster": {"name": "prod-1"}})"},
                    {"clusters/prod-2/config.yaml", "cluster:\n  name: prod-2\n"},
                    {"clusters/list/many.yaml", "- {cluster: {name: a}}\n- {cluster: {name: b}}\n"},
                    {"clusters/bad/notes.txt", "just some words"}});
  return s;
}

TEST(AppSetGeneratorsTest, ListElementsInFastTemplate) {
  FakeSources s;
  GeneratedApps g = Generate(AppSet("    - list:\n        elements:\n          - {cluster: a, "
                                    "values: {tier: gold}}\n          - {cluster: b}\n",
                                    "{{cluster}}-{{values.tier}}"),
                             s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  // An unknown fasttemplate key stays as written (reference 4.4).
  EXPECT_THAT(AppNames(g.apps), ElementsAre("a-gold", "b-{{values.tier}}"));
}

TEST(AppSetGeneratorsTest, ListElementMustBeStringsInFastTemplate) {
  FakeSources s;
  GeneratedApps g =
      Generate(AppSet("    - list:\n        elements:\n          - {n: 3}\n", "{{n}}"), s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_THAT(g.errors[0].message, HasSubstr("error parsing value as string"));
}

// cluster.go: the synthetic in-cluster entry is appended only when the selector is empty.
TEST(AppSetGeneratorsTest, ClustersAddInClusterOnlyWithEmptySelector) {
  FakeSources s;
  s.AddCluster("prod-1", {{"env", "prod"}});
  s.AddCluster("staging", {{"env", "staging"}});
  GeneratedApps all = Generate(AppSet("    - clusters: {}\n", "{{name}}"), s);
  EXPECT_THAT(AppNames(all.apps), ElementsAre("prod-1", "staging", "in-cluster"));
  GeneratedApps prod =
      Generate(AppSet("    - clusters:\n        selector:\n          matchLabels: {env: prod}\n",
                      "{{name}}"),
               s);
  EXPECT_THAT(AppNames(prod.apps), ElementsAre("prod-1"));
  GeneratedApps expr = Generate(
      AppSet("    - clusters:\n        selector:\n          matchExpressions:\n            - {key: "
             "env, operator: NotIn, values: [prod]}\n",
             "{{name}}-{{metadata.labels.env}}"),
      s);
  EXPECT_THAT(AppNames(expr.apps), ElementsAre("staging-staging"));
}

TEST(AppSetGeneratorsTest, ClusterValuesAreRenderedWithTheClusterParams) {
  FakeSources s;
  s.AddCluster("prod-1", {{"env", "prod"}});
  GeneratedApps g = Generate(
      AppSet("    - clusters:\n        selector: {matchLabels: {env: prod}}\n        values: "
             "{ns: 'team-{{.name}}'}\n",
             "{{.values.ns}}", true),
      s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  EXPECT_THAT(AppNames(g.apps), ElementsAre("team-prod-1"));
}

// git.go filterApps: hidden directories are not listed, and an exclude wins over any include.
TEST(AppSetGeneratorsTest, GitDirectoriesIncludeExcludeWins) {
  FakeSources s = Repo();
  GeneratedApps g = Generate(
      AppSet(std::string("    - git:\n        repoURL: ") + kRepo +
                 "\n        revision: HEAD\n        directories:\n          - path: "
                 "'*/overlays/*'\n          - {path: '*/overlays/staging', exclude: true}\n",
             "{{path[0]}}-{{path.basename}}"),
      s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  EXPECT_THAT(AppNames(g.apps), ElementsAre("checkout-prod", "payments-prod"));
}

TEST(AppSetGeneratorsTest, GitFilesJsonYamlAndLists) {
  FakeSources s = Repo();
  GeneratedApps g =
      Generate(AppSet(std::string("    - git:\n        repoURL: ") + kRepo +
                          "\n        revision: HEAD\n        files:\n          - path: "
                          "'clusters/*/*.*'\n          - {path: 'clusters/bad/*', exclude: true}\n",
                      "{{cluster.name}}-{{path.basename}}-{{path.filename}}"),
               s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  EXPECT_THAT(AppNames(g.apps),
              ElementsAre("a-list-many.yaml", "b-list-many.yaml", "prod-1-prod-1-config.json",
                          "prod-2-prod-2-config.yaml"));
}

TEST(AppSetGeneratorsTest, GitFileThatIsNotYamlObjectsIsAnError) {
  FakeSources s = Repo();
  GeneratedApps g = Generate(AppSet(std::string("    - git:\n        repoURL: ") + kRepo +
                                        "\n        files:\n          - path: 'clusters/bad/*'\n",
                                    "x"),
                             s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_EQ(g.errors[0].message,
            "error generating params from git: unable to process file 'clusters/bad/notes.txt' "
            "from repository 'https://github.com/acme/apps.git': unable to parse file: error "
            "unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value "
            "of type []map[string]interface {}");
  EXPECT_TRUE(g.apps.empty());
}

// Reference 4.3: a generator error is an error, not an empty result.
TEST(AppSetGeneratorsTest, GitUnreachableIsAnError) {
  FakeSources s = Repo();
  s.set_git_error("rpc error: code = Unavailable desc = connection refused");
  GeneratedApps g = Generate(AppSet(std::string("    - git:\n        repoURL: ") + kRepo +
                                        "\n        directories:\n          - path: '*'\n",
                                    "{{path}}"),
                             s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_EQ(g.errors[0].message,
            "error generating params from git: error getting directories from repo: rpc error: "
            "code = Unavailable desc = connection refused");
}

TEST(AppSetGeneratorsTest, GitChecksTheTemplateProjectExists) {
  FakeSources s = Repo();
  std::string yaml = AppSet(std::string("    - git:\n        repoURL: ") + kRepo +
                                "\n        directories:\n          - path: '*'\n",
                            "{{path}}");
  yaml.replace(yaml.find("project: default"), 16, "project: tenants");
  GeneratedApps g = Generate(yaml, s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_EQ(g.errors[0].message,
            "error getting project tenants: appprojects.argoproj.io \"tenants\" not found");
}

// matrix.go: the second child may use the first's parameters.
TEST(AppSetGeneratorsTest, MatrixSecondChildReadsFirstChildParams) {
  FakeSources s = Repo();
  GeneratedApps g = Generate(
      AppSet(std::string("    - matrix:\n        generators:\n          - list:\n              "
                         "elements: [{svc: checkout}, {svc: payments}]\n          - git:\n     "
                         "         repoURL: ") +
                 kRepo +
                 "\n              directories:\n                - path: "
                 "'{{.svc}}/overlays/*'\n",
             "{{.svc}}-{{.path.basename}}", true),
      s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  EXPECT_THAT(AppNames(g.apps), ElementsAre("checkout-prod", "checkout-staging", "payments-prod"));
}

TEST(AppSetGeneratorsTest, MatrixWithThreeChildrenIsAnError) {
  FakeSources s;
  GeneratedApps g = Generate(AppSet("    - matrix:\n        generators:\n          - list: "
                                    "{elements: [{a: x}]}\n          - list: {elements: [{b: "
                                    "y}]}\n          - list: {elements: [{c: z}]}\n",
                                    "{{a}}"),
                             s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_EQ(g.errors[0].message, "found more than two generators, Matrix support only two");
}

TEST(AppSetGeneratorsTest, MatrixConflictingKeysInFastTemplateIsAnError) {
  FakeSources s;
  GeneratedApps g = Generate(AppSet("    - matrix:\n        generators:\n          - list: "
                                    "{elements: [{a: one}]}\n          - list: {elements: [{a: "
                                    "two}]}\n",
                                    "{{a}}"),
                             s);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_THAT(g.errors[0].message,
              HasSubstr("found duplicate key a with different value, a: one ,b: two"));
}

// matrix.go: a child with zero parameters gives an empty product, not an error.
TEST(AppSetGeneratorsTest, MatrixWithAnEmptyChildGeneratesNothing) {
  FakeSources s;
  GeneratedApps g = Generate(AppSet("    - matrix:\n        generators:\n          - list: "
                                    "{elements: [{a: x}]}\n          - list: {elements: []}\n",
                                    "{{a}}"),
                             s);
  EXPECT_TRUE(g.errors.empty());
  EXPECT_TRUE(g.apps.empty());
}

// merge.go: base sets overridden by later sets with equal merge keys; unmatched extras dropped.
TEST(AppSetGeneratorsTest, MergeOverridesByMergeKeys) {
  FakeSources s;
  GeneratedApps g = Generate(
      AppSet("    - merge:\n        mergeKeys: [name]\n        generators:\n          - list: "
             "{elements: [{name: a, size: s}, {name: b, size: s}]}\n          - list: {elements: "
             "[{name: b, size: xl}, {name: c, size: m}]}\n",
             "{{name}}-{{size}}"),
      s);
  ASSERT_TRUE(g.errors.empty()) << g.errors[0].message;
  EXPECT_THAT(AppNames(g.apps), ElementsAre("a-s", "b-xl"));
}

TEST(AppSetGeneratorsTest, UnknownGeneratorIsReportedAndGeneratesNothing) {
  FakeSources s;
  AppSetSpec spec = SpecFromYaml(AppSet("    - lsit: {elements: [{a: x}]}\n", "{{a}}"));
  EXPECT_EQ(UnrecognizedGeneratorsMessage(spec),
            "ApplicationSet s contains unrecognized generators: lsit");
  GeneratedApps g = GenerateApplications(spec, s);
  EXPECT_TRUE(g.apps.empty());
}

TEST(AppSetGeneratorsTest, RequeueAfterPerGeneratorKind) {
  AppSetSpec git = SpecFromYaml(AppSet(
      std::string("    - git: {repoURL: ") + kRepo + ", directories: [{path: '*'}]}\n", "x"));
  EXPECT_EQ(MinRequeueAfter(git, SimDuration::Seconds(180)), SimDuration::Seconds(180));
  AppSetSpec list = SpecFromYaml(AppSet("    - list: {elements: []}\n", "x"));
  EXPECT_EQ(MinRequeueAfter(list, SimDuration::Seconds(180)), SimDuration::Zero());
  AppSetSpec custom = SpecFromYaml(AppSet(
      std::string("    - matrix:\n        generators:\n          - clusters: {}\n          - git: "
                  "{repoURL: ") +
          kRepo + ", requeueAfterSeconds: 30, directories: [{path: '*'}]}\n",
      "x"));
  EXPECT_EQ(MinRequeueAfter(custom, SimDuration::Seconds(180)), SimDuration::Seconds(30));
}

}  // namespace
}  // namespace fleetsim::testing_appset
