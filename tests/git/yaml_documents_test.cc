#include "sim/git/yaml_documents.h"

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::CanonicalYaml;

std::string RoundTrip(std::string_view text) {
  Result<std::vector<YAML::Node>> docs = ParseYamlDocuments(text);
  if (!docs.ok()) return "error: " + docs.error();
  Result<std::string> out = EmitYamlDocuments(*docs);
  return out.ok() ? *out : "error: " + out.error();
}

void ExpectSameData(std::string_view text) {
  const std::string out = RoundTrip(text);
  EXPECT_EQ(CanonicalYaml(out), CanonicalYaml(text)) << "emitted:\n" << out;
}

TEST(YamlDocumentsTest, QuotedNumberLikeStringStaysQuoted) {
  const std::string out = RoundTrip("tag: \"1.10\"\nport: '8080'\n");
  EXPECT_EQ(out, "tag: \"1.10\"\nport: \"8080\"\n");
}

TEST(YamlDocumentsTest, PlainScalarsStayPlain) {
  EXPECT_EQ(RoundTrip("replicas: 3\nversion: 1.10\nenabled: true\nname: web\n"),
            "replicas: 3\nversion: 1.10\nenabled: true\nname: web\n");
}

TEST(YamlDocumentsTest, StringsThatLookLikeOtherTypesKeepTheirType) {
  ExpectSameData(
      "a: 'yes'\nb: \"true\"\nc: ''\nd: 'null'\ne: '~'\nf: 'off'\ng: '0x1F'\nh: '-1'\ni: '.5'\n"
      "j: 'Y'\n\"80\": http\n");
}

TEST(YamlDocumentsTest, NullsStayNull) { ExpectSameData("a:\nb: null\nc: ~\n"); }

TEST(YamlDocumentsTest, MultiLineStringsRoundTrip) {
  ExpectSameData("data:\n  config.yaml: |\n    a: 1\n    b:\n      - x\n\n    c: 2\n");
  ExpectSameData("data:\n  nofinal: |-\n    line1\n    line2\n");
  ExpectSameData("data:\n  keep: |+\n    line1\n\n\n");
  ExpectSameData("data:\n  indented: |2\n      starts with spaces\n    next\n");
  ExpectSameData("list:\n  - |\n    in a list\n  - \"tab\\tand\\r\\n crlf\"\n");
}

TEST(YamlDocumentsTest, MultiLineStringUsesLiteralBlockWhenExact) {
  EXPECT_EQ(RoundTrip("script: |\n  echo hi\n  exit 0\n"), "script: |\n  echo hi\n  exit 0\n");
}

TEST(YamlDocumentsTest, FlowCollectionsAndNestingRoundTrip) {
  ExpectSameData("args: [\"--port\", 80, {a: [1, '2']}]\nempty: {}\nnone: []\n");
}

TEST(YamlDocumentsTest, ExplicitTagsAreKept) {
  const std::string out = RoundTrip("a: !!str 5\nb: !custom x\n");
  EXPECT_NE(out.find("!!str"), std::string::npos) << out;
  EXPECT_NE(out.find("!custom"), std::string::npos) << out;
}

TEST(YamlDocumentsTest, DocumentsAreSeparatedAndEmptyOnesDropped) {
  EXPECT_EQ(RoundTrip("---\na: 1\n---\n---\nb: 2\n---\n"), "a: 1\n---\nb: 2\n");
}

TEST(YamlDocumentsTest, SyntaxErrorGivesOneBasedPosition) {
  Result<std::vector<YAML::Node>> docs = ParseYamlDocuments("a: 1\nb: [1, 2\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.error().rfind("invalid YAML at line ", 0), 0u) << docs.error();
}

TEST(YamlDocumentsTest, MapGetDoesNotInsert) {
  Result<std::vector<YAML::Node>> docs = ParseYamlDocuments("a: 1\n");
  ASSERT_TRUE(docs.ok());
  EXPECT_FALSE(MapGet(docs->front(), "b").has_value());
  EXPECT_EQ(MapGetScalar(docs->front(), "a"), "1");
  EXPECT_EQ(docs->front().size(), 1u);
}

}  // namespace
}  // namespace fleetsim
