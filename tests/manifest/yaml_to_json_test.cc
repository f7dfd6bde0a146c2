#include "sim/manifest/yaml_to_json.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using json = Json;

// The single document of `yaml`.
json Doc(const std::string& yaml) {
  Result<std::vector<json>> docs = YamlToJson(yaml);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error());
  if (!docs.ok() || docs->size() != 1) return json();
  return docs->front();
}

std::string Error(const std::string& yaml) {
  Result<std::vector<json>> docs = YamlToJson(yaml);
  return docs.ok() ? "<ok>" : docs.error();
}

// sigs.k8s.io/yaml + apimachinery: plain integers are int64, quoted ones strings.
TEST(YamlToJsonTest, PlainIntegersAreNumbersAndQuotedOnesStrings) {
  json d = Doc("replicas: 3\nport: \"3\"\nname: '8080'\n");
  EXPECT_TRUE(d["replicas"].is_number_integer());
  EXPECT_EQ(d["replicas"], 3);
  EXPECT_EQ(d["port"], "3");
  EXPECT_EQ(d["name"], "8080");
}

// go-yaml v2 resolve.go: YAML 1.1 booleans (yes/no/on/off/y/n too) and nulls.
TEST(YamlToJsonTest, BooleansAndNullsFollowGoYamlV2) {
  json d = Doc("a: true\nb: False\nc: yes\nd: off\ne: y\nf: ~\ng: null\nh:\ni: \"true\"\n");
  EXPECT_EQ(d["a"], true);
  EXPECT_EQ(d["b"], false);
  EXPECT_EQ(d["c"], true);
  EXPECT_EQ(d["d"], false);
  EXPECT_EQ(d["e"], true);
  EXPECT_TRUE(d["f"].is_null());
  EXPECT_TRUE(d["g"].is_null());
  EXPECT_TRUE(d["h"].is_null());
  EXPECT_EQ(d["i"], "true");
}

// go-yaml v2 (YAML 1.1): even a one-letter "y" or "n" is a boolean, so `name: y` is no name.
TEST(YamlToJsonTest, SingleLetterYAndNAreBooleans) {
  json d = Doc("metadata: {name: y}\nn: 1\n");
  EXPECT_EQ(d["metadata"]["name"], true);
  EXPECT_TRUE(d.contains("false"));
}

// go-yaml v2 resolve.go: strconv.ParseInt(s, 0, 64) after removing '_': hex, octal, binary.
TEST(YamlToJsonTest, IntegerPrefixesAndUnderscores) {
  json d = Doc("hex: 0x1F\noctal: 0777\nexplicit: 0o17\nbinary: 0b101\nbig: 1_000\nneg: -42\n");
  EXPECT_EQ(d["hex"], 31);
  EXPECT_EQ(d["octal"], 511);
  EXPECT_EQ(d["explicit"], 15);
  EXPECT_EQ(d["binary"], 5);
  EXPECT_EQ(d["big"], 1000);
  EXPECT_EQ(d["neg"], -42);
}

// Floats stay floats unless integral: Go's json.Marshal writes 3.0 as "3" and apimachinery reads
// it back as an int64 (the "version: 1.10" trap gives 1.1).
TEST(YamlToJsonTest, FloatsRoundTripThroughGoJson) {
  json d = Doc("a: 1.5\nb: 3.0\nc: 1e3\nversion: 1.10\nq: \"1.10\"\n");
  EXPECT_TRUE(d["a"].is_number_float());
  EXPECT_EQ(d["a"], 1.5);
  EXPECT_TRUE(d["b"].is_number_integer());
  EXPECT_EQ(d["b"], 3);
  EXPECT_EQ(d["c"], 1000);
  EXPECT_EQ(d["version"], 1.1);
  EXPECT_EQ(d["q"], "1.10");
}

// go-yaml v2 keeps timestamp-looking scalars as strings when decoding into interface{}.
TEST(YamlToJsonTest, DatesTimesAndOtherTextStayStrings) {
  json d = Doc("date: 2024-01-01\ntime: 12:30\nimage: nginx:1.25\nempty: \"\"\n");
  EXPECT_EQ(d["date"], "2024-01-01");
  EXPECT_EQ(d["time"], "12:30");
  EXPECT_EQ(d["image"], "nginx:1.25");
  EXPECT_EQ(d["empty"], "");
}

TEST(YamlToJsonTest, BlockScalarsAreStrings) {
  json d = Doc("script: |\n  echo 1\n  echo 2\nfolded: >\n  a\n  b\n");
  EXPECT_EQ(d["script"], "echo 1\necho 2\n");
  EXPECT_EQ(d["folded"], "a b\n");
}

// go-yaml v2: an explicit core tag must resolve to its type ("cannot decode ... as a !!int").
TEST(YamlToJsonTest, ExplicitTags) {
  json d = Doc("a: !!str 3\nb: !!int \"7\"\nc: !!float 2\nd: !custom 5\n");
  EXPECT_EQ(d["a"], "3");
  EXPECT_EQ(d["b"], 7);
  EXPECT_EQ(d["c"], 2);
  EXPECT_EQ(d["d"], "5");
  EXPECT_NE(Error("a: !!int abc\n").find("cannot decode !!str `abc` as a !!int"),
            std::string::npos);
}

// go-yaml v2 decode.go: !!binary scalars are base64-decoded.
TEST(YamlToJsonTest, BinaryTagIsDecoded) {
  EXPECT_EQ(Doc("k: !!binary aGVsbG8=\n")["k"], "hello");
  EXPECT_NE(Error("k: !!binary a\n").find("!!binary value contains invalid base64 data"),
            std::string::npos);
}

// sigs.k8s.io/yaml convertToJSONableObject: non-string keys become strings.
TEST(YamlToJsonTest, NonStringKeysBecomeStrings) {
  json d = Doc("1: a\ntrue: b\n1.5: c\n");
  EXPECT_EQ(d["1"], "a");
  EXPECT_EQ(d["true"], "b");
  EXPECT_EQ(d["1.5"], "c");
}

// go-yaml v2 decoder: "<<" merges a map (or a list of maps, earlier ones winning); keys written
// after it override.
TEST(YamlToJsonTest, MergeKeys) {
  json d = Doc(R"(base: &base {a: 1, b: 2}
other: &other {b: 20, c: 30}
one:
  <<: *base
  b: 3
two:
  <<: [*base, *other]
)");
  EXPECT_EQ(d["one"], json::parse(R"({"a":1,"b":3})"));
  EXPECT_EQ(d["two"], json::parse(R"({"a":1,"b":2,"c":30})"));
}

// apimachinery YAMLReader: documents split on "---" lines; empty and comment-only documents and
// null documents are skipped (splitYAMLOrJSON drops nil objects).
TEST(YamlToJsonTest, MultiDocumentWithEmptyDocuments) {
  Result<std::vector<json>> docs =
      YamlToJson("---\n---\na: 1\n---\n# only a comment\n---\nnull\n---   # note\nb: 2\n---\n");
  ASSERT_TRUE(docs.ok()) << docs.error();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0], json::parse(R"({"a":1})"));
  EXPECT_EQ((*docs)[1], json::parse(R"({"b":2})"));
}

TEST(YamlToJsonTest, EmptyTextHasNoDocuments) {
  Result<std::vector<json>> docs = YamlToJson("");
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
}

// apimachinery YAMLReader: only spaces or a comment may follow "---" on its line.
TEST(YamlToJsonTest, TextAfterASeparatorIsAnError) {
  EXPECT_EQ(Error("a: 1\n--- b: 2\n"), "invalid Yaml document separator: b: 2");
}

TEST(YamlToJsonTest, SyntaxErrorsCarryTheFileLineAndColumn) {
  EXPECT_EQ(Error("a: 1\n---\nb: 2\nc: d: e\n"),
            "error converting YAML to JSON: yaml: line 4, column 5: illegal map value");
}

TEST(YamlToJsonTest, DocumentsBeforeAnErrorAreKept) {
  YamlStream docs = ParseYamlStream("a: 1\n---\nb: [\n");
  EXPECT_FALSE(docs.error.ok());
  ASSERT_EQ(docs.documents.size(), 1u);
  EXPECT_EQ(docs.documents[0], json::parse(R"({"a":1})"));
}

// encoding/json refuses infinities and NaN, so sigs.k8s.io/yaml does.
TEST(YamlToJsonTest, InfinityIsAnError) {
  EXPECT_EQ(Error("a: .inf\n"), "error converting YAML to JSON: json: unsupported value: +Inf");
}

TEST(YamlToJsonTest, CrLfLineEndingsAndByteOrderMark) {
  Result<std::vector<json>> docs = YamlToJson(
      "\xEF\xBB\xBF"
      "a: 1\r\n---\r\nb: x\r\n");
  ASSERT_TRUE(docs.ok()) << docs.error();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[1]["b"], "x");
}

TEST(YamlToJsonTest, AnAliasInsideItsOwnAnchorIsAnErrorNotARecursion) {
  EXPECT_NE(Error("a: &x [*x]\n").find("anchor value contains itself"), std::string::npos);
}

TEST(YamlToJsonTest, InvalidUtf8IsAnError) {
  EXPECT_EQ(Error("a: 1\nb: \xff\n"),
            "error converting YAML to JSON: yaml: line 2, column 4: invalid UTF-8");
}

}  // namespace
}  // namespace fleetsim
