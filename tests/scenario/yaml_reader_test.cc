#include "sim/scenario/yaml_reader.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

// A document and a context to read it with; errors read "f.yaml:line:column: ...".
class Doc {
 public:
  explicit Doc(const std::string& text) : ctx_("f.yaml"), root_(YAML::Load(text)) {}
  YamlNode root() { return YamlNode(&ctx_, root_); }
  std::string error() const { return ctx_.ok() ? "(none)" : ctx_.status().message(); }
  ReadContext* ctx() { return &ctx_; }
  const YAML::Node& raw() const { return root_; }

 private:
  ReadContext ctx_;
  YAML::Node root_;
};

TEST(YamlReaderTest, PositionsAreOneBased) {
  Doc doc("a: 1\nb:\n  c: x\n");
  EXPECT_EQ(doc.root().Get("b").Get("c").pos().ToString(), "f.yaml:3:6");
}

TEST(YamlReaderTest, WrongContainerSaysWhatWasFound) {
  Doc doc("a: [1]\n");
  doc.root().Get("a").Entries();
  EXPECT_EQ(doc.error(), "f.yaml:1:4: expected a map, found a list");
}

TEST(YamlReaderTest, ScalarTypeErrors) {
  Doc doc("i: 1.5\n");
  doc.root().Int("i", 0, 0, 10);
  EXPECT_EQ(doc.error(), "f.yaml:1:4: expected an integer, found \"1.5\"");
}

TEST(YamlReaderTest, OnlyTrueAndFalseAreBooleans) {
  Doc doc("b: on\n");
  EXPECT_FALSE(doc.root().Bool("b", true));
  EXPECT_EQ(doc.error(), "f.yaml:1:4: expected true or false, found \"on\"");
}

TEST(YamlReaderTest, RangeErrorNamesTheKey) {
  Doc doc("replicas: 0\n");
  doc.root().Int("replicas", 1, 1, 1000);
  EXPECT_EQ(doc.error(), "f.yaml:1:11: replicas must be between 1 and 1000");
}

TEST(YamlReaderTest, Durations) {
  Doc doc("a: 90\nb: 1h30m\nc: soon\n");
  EXPECT_EQ(doc.root().Duration("a", SimDuration::Zero()), SimDuration::Seconds(90));
  EXPECT_EQ(doc.root().Duration("b", SimDuration::Zero()), SimDuration::Minutes(90));
  EXPECT_EQ(doc.root().Duration("missing", SimDuration::Hours(1)), SimDuration::Hours(1));
  doc.root().Duration("c", SimDuration::Zero());
  EXPECT_EQ(doc.error(), "f.yaml:3:4: expected a duration such as 90s, 15m, 2h, found \"soon\"");
}

TEST(YamlReaderTest, Uint64TakesTheWholeRange) {
  Doc doc("s: 18446744073709551615\n");
  EXPECT_EQ(doc.root().Get("s").AsUint64(), 18446744073709551615u);
  EXPECT_TRUE(doc.ctx()->ok());
}

TEST(YamlReaderTest, NumbersMustBeFinite) {
  Doc doc("x: .nan\n");
  doc.root().Number("x", 0);
  EXPECT_EQ(doc.error(), "f.yaml:1:4: expected a number, found \".nan\"");
}

TEST(YamlReaderTest, UnknownKeySuggestsTheClosest) {
  Doc doc("durration: 1h\n");
  EXPECT_FALSE(doc.root().CheckKeys({"name", "duration"}));
  EXPECT_EQ(doc.error(), "f.yaml:1:1: unknown key \"durration\" (did you mean \"duration\"?)");
}

TEST(YamlReaderTest, UnknownKeyListsTheKeysWhenNothingIsClose) {
  Doc doc("foo: 1\n");
  doc.root().CheckKeys({"c", "a", "b"});
  EXPECT_EQ(doc.error(), "f.yaml:1:1: unknown key \"foo\"; expected one of: a, b, c");
}

TEST(YamlReaderTest, MissingRequiredKeyIsReportedAtTheMap) {
  Doc doc("x: 1\ny: {a: 1}\n");
  doc.root().Get("y").RequiredString("name");
  EXPECT_EQ(doc.error(), "f.yaml:2:4: missing required key \"name\"");
}

TEST(YamlReaderTest, FirstErrorSticks) {
  Doc doc("a: x\nb: y\n");
  doc.root().Int("a", 0, 0, 1);
  doc.root().Int("b", 0, 0, 1);
  EXPECT_EQ(doc.error(), "f.yaml:1:4: expected an integer, found \"x\"");
}

TEST(YamlReaderTest, LongScalarsAreShortenedInMessages) {
  Doc doc("a: " + std::string(100, 'z') + "\n");
  doc.root().Int("a", 0, 0, 1);
  EXPECT_EQ(doc.error(),
            "f.yaml:1:4: expected an integer, found \"" + std::string(37, 'z') + "...\"");
}

TEST(YamlReaderTest, NullKeyReadsAsNull) {
  Doc doc("null: true\n");
  EXPECT_TRUE(doc.root().Bool("null", false));
}

TEST(YamlReaderTest, StringMapAndList) {
  Doc doc("m: {b: 2, a: x}\nl: [p, q]\n");
  EXPECT_EQ(doc.root().StringMap("m"),
            (std::map<std::string, std::string>{{"a", "x"}, {"b", "2"}}));
  EXPECT_EQ(doc.root().Get("l").AsStringList(), (std::vector<std::string>{"p", "q"}));
}

TEST(YamlReaderTest, OverrideMarkedNodesCiteTheOverride) {
  Doc doc("a: 1\n");
  YAML::Node value = YAML::Load("x");
  YAML::Node root = doc.raw();
  root["a"] = value;
  doc.ctx()->MarkOverride(value, 3);
  doc.root().Int("a", 0, 0, 1);
  EXPECT_EQ(doc.error(), "--set:1:3: expected an integer, found \"x\"");
}

TEST(CheckStructureTest, DuplicateKeysCiteTheFirst) {
  Doc doc("a: 1\nb:\n  c: 1\n  c: 2\n");
  CheckStructure(doc.ctx(), doc.raw());
  EXPECT_EQ(doc.error(), "f.yaml:4:3: duplicate key \"c\" (first defined at f.yaml:3:3)");
}

TEST(CheckStructureTest, ComplexKeysAreRejected) {
  Doc doc("? [a, b]\n: 1\n");
  CheckStructure(doc.ctx(), doc.raw());
  EXPECT_EQ(doc.error(), "f.yaml:1:3: a key must be a string, found a list");
}

TEST(CheckStructureTest, BillionLaughsIsCutShort) {
  // a0 is a list of 10 scalars, a1 a list of 10 a0s, ... a8 stands for 10^9 nodes.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (char i = '1'; i <= '8'; ++i) {
    const std::string prev = std::string("*a") + static_cast<char>(i - 1);
    text += std::string("a") + i + ": &a" + i + " [" + prev;
    for (int j = 1; j < 10; ++j) text += ", " + prev;
    text += "]\n";
  }
  Doc doc(text);
  CheckStructure(doc.ctx(), doc.raw());
  EXPECT_NE(doc.error().find("document too large"), std::string::npos) << doc.error();
}

}  // namespace
}  // namespace fleetsim
