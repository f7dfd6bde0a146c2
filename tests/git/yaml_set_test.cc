#include "sim/git/yaml_set.h"

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::CanonicalYaml;

std::string Set(std::string_view text, std::string_view field, std::string_view value,
                std::string_view select = "") {
  Result<std::string> out = SetYamlField(text, field, value, select);
  return out.ok() ? *out : "error: " + out.error();
}

constexpr char kDeployment[] = R"(kind: Deployment
metadata:
  name: web
  annotations:
    team: a
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.25
        - name: sidecar
          image: envoy:1.30
)";

TEST(FieldPathTest, FormatQuotesKeysWithDots) {
  Result<std::vector<FieldPathStep>> steps = ParseFieldPath("a[0].\"b.c\"[2]");
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(FormatFieldPath(*steps, steps->size()), "a[0].\"b.c\"[2]");
}

TEST(SetYamlFieldTest, ReplacesScalar) {
  EXPECT_EQ(CanonicalYaml(Set("a: 1\nb: x\n", "a", "2")), CanonicalYaml("a: 2\nb: x\n"));
}

TEST(SetYamlFieldTest, QuotedKeyWithDotsCreatesAnnotation) {
  std::string out =
      Set(kDeployment, "metadata.annotations.\"argocd.argoproj.io/sync-wave\"", "\"5\"");
  EXPECT_NE(out.find("argocd.argoproj.io/sync-wave: \"5\""), std::string::npos) << out;
}

TEST(SetYamlFieldTest, ListIndexReachesItem) {
  std::string out = Set(kDeployment, "spec.template.spec.containers[1].image", "envoy:1.31");
  EXPECT_NE(out.find("image: envoy:1.31"), std::string::npos) << out;
  EXPECT_NE(out.find("image: nginx:1.25"), std::string::npos) << out;
}

TEST(SetYamlFieldTest, IntermediateMapsAreCreated) {
  EXPECT_EQ(CanonicalYaml(Set("kind: X\n", "metadata.labels.app", "web")),
            CanonicalYaml("kind: X\nmetadata: {labels: {app: web}}\n"));
}

TEST(SetYamlFieldTest, NullIntermediateBecomesMap) {
  EXPECT_EQ(CanonicalYaml(Set("metadata:\n  labels:\n", "metadata.labels.app", "web")),
            CanonicalYaml("metadata: {labels: {app: web}}\n"));
}

TEST(SetYamlFieldTest, FlowValueIsInsertedAsData) {
  EXPECT_EQ(CanonicalYaml(Set("spec: {}\n", "spec.args", "[\"--port\", 80, {a: b}]")),
            CanonicalYaml("spec:\n  args: ['--port', 80, {a: b}]\n"));
}

TEST(SetYamlFieldTest, QuotedValueStaysAString) {
  EXPECT_EQ(CanonicalYaml(Set("tag: x\n", "tag", "\"1.10\"")), CanonicalYaml("tag: '1.10'\n"));
  EXPECT_EQ(CanonicalYaml(Set("tag: x\n", "tag", "1.10")), CanonicalYaml("tag: 1.10\n"));
}

TEST(SetYamlFieldTest, IndexMustExist) {
  EXPECT_EQ(Set(kDeployment, "spec.template.spec.containers[2].image", "x"),
            "error: field \"spec.template.spec.containers[2]\" does not exist: the list has 2 "
            "items");
}

TEST(SetYamlFieldTest, ListsAreNotCreated) {
  EXPECT_EQ(Set(kDeployment, "spec.volumes[0].name", "x"),
            "error: field \"spec.volumes\" does not exist (lists are not created)");
}

TEST(SetYamlFieldTest, ScalarInThePathIsAnError) {
  EXPECT_EQ(Set(kDeployment, "spec.replicas.x", "1"),
            "error: field \"spec.replicas\" is a scalar, not a map");
  EXPECT_EQ(Set(kDeployment, "spec[0]", "1"), "error: field \"spec\" is a map, not a list");
}

TEST(SetYamlFieldTest, SelectPicksOneDocument) {
  const std::string text =
      std::string(kDeployment) + "---\nkind: Service\nmetadata:\n  name: web\n";
  std::string out = Set(text, "spec.replicas", "4", "Deployment/web");
  EXPECT_EQ(CanonicalYaml(out), CanonicalYaml(Set(kDeployment, "spec.replicas", "4") +
                                              "---\nkind: Service\nmetadata: {name: web}\n"));
}

TEST(SetYamlFieldTest, MultiDocumentWithoutSelectFails) {
  EXPECT_EQ(Set("a: 1\n---\nb: 2\n", "a", "3"),
            "error: file has 2 documents; set select: Kind/name");
}

TEST(SetYamlFieldTest, SelectMatchingNothingFails) {
  EXPECT_EQ(Set(kDeployment, "a", "1", "Service/web"),
            "error: no document matches select \"Service/web\"");
}

TEST(SetYamlFieldTest, MalformedSelectFails) {
  EXPECT_EQ(Set(kDeployment, "a", "1", "web"), "error: invalid select \"web\": expected Kind/name");
}

TEST(SetYamlFieldTest, InvalidValueFails) {
  EXPECT_EQ(Set(kDeployment, "a", "[1, 2").rfind("error: invalid value \"[1, 2\": ", 0), 0u);
}

TEST(SetYamlFieldTest, EmptyDocumentsDoNotCount) {
  EXPECT_EQ(CanonicalYaml(Set("---\na: 1\n---\n", "a", "2")), CanonicalYaml("a: 2\n"));
}

}  // namespace
}  // namespace fleetsim
