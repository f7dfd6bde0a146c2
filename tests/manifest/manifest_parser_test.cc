#include "sim/manifest/manifest_parser.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using json = Json;

std::vector<json> Parse(std::string_view name, std::string_view content) {
  Result<std::vector<json>> docs = ParseManifestFile(name, content);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error());
  return docs.ok() ? *docs : std::vector<json>();
}

std::string Error(std::string_view name, std::string_view content) {
  Result<std::vector<json>> docs = ParseManifestFile(name, content);
  return docs.ok() ? "<ok>" : docs.error();
}

constexpr char kConfigMap[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

TEST(ManifestParserTest, YamlDocumentsInOrder) {
  std::vector<json> docs =
      Parse("app.yml",
            std::string(kConfigMap) + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["kind"], "ConfigMap");
  EXPECT_EQ(docs[1]["kind"], "Secret");
}

// repository.go getObjsFromYAMLOrJSON: a failure in a file that looks like a manifest (it contains
// "apiVersion:", "kind:" and "metadata:") is an error naming the file; unstructured's decoder
// words the missing kind (apimachinery runtime.NewMissingKindErr) with the document as Go's JSON.
TEST(ManifestParserTest, MissingKindInAManifestFileIsAnError) {
  EXPECT_EQ(
      Error("cm.yaml", "apiVersion: v1\nmetadata:\n  name: c\n  labels: {kind: x}\n"),
      "Failed to unmarshal \"cm.yaml\": failed to unmarshal manifest: error unmarshaling JSON: "
      "while decoding JSON: Object 'Kind' is missing in "
      "'{\"apiVersion\":\"v1\",\"metadata\":{\"labels\":{\"kind\":\"x\"},\"name\":\"c\"}}'");
}

// repository.go getObjsFromYAMLOrJSON (testdata/irrelevant-yaml): a YAML file that fails before
// any object and does not look like a manifest is ignored.
TEST(ManifestParserTest, IrrelevantYamlIsIgnored) {
  EXPECT_TRUE(Parse("irrelevant.yaml", "some: [irrelevant, yaml]\n").empty());
  EXPECT_TRUE(Parse("values.yaml", "image: {tag: [unclosed\n").empty());
}

// repository.go getObjsFromYAMLOrJSON (testdata/invalid-manifests): invalid YAML that looks like a
// manifest is an error with the file's name; fleetsim adds yaml-cpp's line and column.
TEST(ManifestParserTest, InvalidYamlInAManifestIsAnErrorWithFileAndLine) {
  EXPECT_EQ(Error("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n"),
            "Failed to unmarshal \"bad.yaml\": failed to unmarshal manifest: error converting YAML "
            "to JSON: yaml: line 4, column 10: illegal map value");
}

// repository.go: once some objects parsed, any later failure in the file is an error.
TEST(ManifestParserTest, FailureAfterAnObjectIsAnErrorEvenWithoutManifestMarkers) {
  EXPECT_EQ(Error("x.yaml", std::string(kConfigMap) + "---\n- a\n- b\n"),
            "Failed to unmarshal \"x.yaml\": failed to unmarshal manifest: error unmarshaling "
            "JSON: while decoding JSON: json: cannot unmarshal array into Go value of type "
            "map[string]interface {}");
}

// Unstructured.GroupVersionKind: an unparseable apiVersion loses the kind too.
TEST(ManifestParserTest, ApiVersionWithTwoSlashesLosesTheKind) {
  EXPECT_EQ(KindOf(json::parse(R"({"apiVersion":"a/b/c","kind":"X"})")), "");
  EXPECT_EQ(KindOf(json::parse(R"({"apiVersion":"apps/v1","kind":"X"})")), "X");
  EXPECT_EQ(KindOf(json::parse(R"({"kind":7})")), "");
}

TEST(ManifestParserTest, JsonFileWithOneObject) {
  std::vector<json> docs =
      Parse("cm.json", R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0]["metadata"]["name"], "c");
}

// repository.go getObjsFromYAMLOrJSON (testdata/json-list): one object per JSON file.
TEST(ManifestParserTest, JsonFileWithTwoObjectsIsAnError) {
  EXPECT_EQ(
      Error("list.json",
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}\n"
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}\n"),
      "Found multiple objects in \"list.json\". Only single objects are allowed in JSON files.");
}

// repository.go (testdata/invalid-json) and Go's json.Decoder: "[" ends early.
TEST(ManifestParserTest, InvalidJsonIsAnError) {
  EXPECT_EQ(Error("invalid.json", "[\n"), "Failed to unmarshal \"invalid.json\": unexpected EOF");
  EXPECT_EQ(Error("empty.json", "  \n"), "Failed to unmarshal \"empty.json\": EOF");
  EXPECT_NE(Error("bad.json", "{\"a\": tru}").find("Failed to unmarshal \"bad.json\": json: "),
            std::string::npos);
}

// A JSON array is not an object: both the Unstructured and the OCI-manifest decode refuse it.
TEST(ManifestParserTest, JsonArrayIsAnError) {
  EXPECT_EQ(Error("list.json", R"([{"kind": "ConfigMap"}])"),
            "Failed to unmarshal \"list.json\": json: cannot unmarshal array into Go value of type "
            "map[string]interface {}");
}

// repository.go: a JSON object without a kind passes the OCI-manifest fallback decode.
TEST(ManifestParserTest, JsonObjectWithoutKindPassesHere) {
  std::vector<json> docs = Parse("x.json", R"({"apiVersion": "v1", "metadata": {"name": "x"}})");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(KindOf(docs[0]), "");
  EXPECT_EQ(MissingKindError(docs[0]),
            "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'");
}

// repository.go GenerateManifests: a List (any document whose items is a list) becomes its items.
TEST(ManifestParserTest, ListsExpandToTheirItems) {
  std::vector<json> docs = Parse("list.yaml", R"(apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
- {apiVersion: v1, kind: List, items: [{kind: ConfigMap}]}
---
apiVersion: v1
kind: ConfigMapList
items: []
---
apiVersion: v1
kind: ConfigMapList
items: null
)");
  Result<std::vector<json>> expanded = ExpandLists(docs);
  ASSERT_TRUE(expanded.ok()) << expanded.error();
  ASSERT_EQ(expanded->size(), 2u);  // the nested List is one item; the empty and null lists vanish
  EXPECT_EQ((*expanded)[0]["metadata"]["name"], "a");
  EXPECT_EQ((*expanded)[1]["kind"], "List");
}

// apimachinery Unstructured.EachListItem.
TEST(ManifestParserTest, ListItemThatIsNotAnObjectIsAnError) {
  Result<std::vector<json>> expanded =
      ExpandLists({json::parse(R"({"kind":"List","items":[{"kind":"A"},"x"]})")});
  ASSERT_FALSE(expanded.ok());
  EXPECT_EQ(expanded.error(), "items member is not an object: map[string]interface {}");
}

TEST(ManifestParserTest, NullItemsWithASpecAreKept) {
  Result<std::vector<json>> expanded =
      ExpandLists({json::parse(R"({"kind":"Thing","items":null,"spec":{}})")});
  ASSERT_TRUE(expanded.ok());
  EXPECT_EQ(expanded->size(), 1u);
}

}  // namespace
}  // namespace fleetsim
