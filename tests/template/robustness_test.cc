// Broken and random templates: every failure is a Status, never a crash or a hang.
#include <gtest/gtest.h>

#include <string>

#include "sim/template/go_template.h"

namespace fleetsim {
namespace {

// A small deterministic generator (xorshift) so the inputs are the same on every run.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_;
  }
  size_t Uniform(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t s_;
};

const char* const kPieces[] = {
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    ".",
    ".a",
    ".b.c",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-2",
    "3.5",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
    "true",
    "index",
    "len",
    "printf",
    "\"%d\"",
    "lower",
    "default",
    "dict",
    "list",
    "toYaml",
    "eq",
    "and",
    "/*",
    "*/",
    "\n",
    "x",
    ",",
    "[",
    "}",
    "{",
    "\xff",
    "slice",
    "call",
    "$.a",
    "range $i, $v := .l",
    "regexReplaceAll",
    "\"(\"",
};

const Json& Data() {
  static const Json data = Json::parse(
      R"({"a":{"x":1},"b":{"c":"C"},"l":[1,"two",null,{"k":3.5}],"s":"str","n":null,"f":2.5})");
  return data;
}

void RunOne(const std::string& text) {
  Result<GoTemplate> t = GoTemplate::Parse(text);
  if (!t.ok()) {
    EXPECT_EQ(t.error().rfind("template: :", 0), 0u) << text << " -> " << t.error();
    return;
  }
  for (MissingKey mk : {MissingKey::kDefault, MissingKey::kError}) {
    Result<std::string> out = t->Execute(Data(), {.missing_key = mk});
    if (!out.ok()) {
      EXPECT_EQ(out.error().rfind("template: :", 0), 0u) << text;
    }
  }
}

TEST(RobustnessTest, RandomPieceSequences) {
  Rng rng(20260105);
  for (int i = 0; i < 600; ++i) {
    std::string text;
    const size_t n = 1 + rng.Uniform(12);
    for (size_t k = 0; k < n; ++k) text += kPieces[rng.Uniform(std::size(kPieces))];
    RunOne(text);
  }
}

TEST(RobustnessTest, EveryPrefixOfValidTemplates) {
  const std::string templates[] = {
      "{{- range $i, $v := .l }}{{ if eq $i 1 }}{{ break }}{{ end }}{{ $v }}{{ else }}none{{ end "
      "-}}",
      "{{define \"t\"}}{{.}}{{end}}{{template \"t\" (dict \"a\" (list 1 2))}}",
      "{{ with .b }}{{ .c | lower | printf \"%s-%d\" 3 }}{{ else with .a }}x{{ end }}",
      "{{/* c */}}{{ $x := index .l 3 }}{{ $x.k }}{{ toYaml . | nindent 2 }}",
  };
  for (const std::string& t : templates) {
    for (size_t len = 0; len <= t.size(); ++len) RunOne(t.substr(0, len));
  }
}

TEST(RobustnessTest, RandomBytes) {
  Rng rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string text = "{{";
    const size_t n = rng.Uniform(20);
    for (size_t k = 0; k < n; ++k) text += static_cast<char>(rng.Uniform(256));
    RunOne(text);
  }
}

TEST(RobustnessTest, DeepNestingIsRefusedNotOverflowed) {
  std::string open, close;
  for (int i = 0; i < 20000; ++i) {
    open += "(";
    close += ")";
  }
  Result<GoTemplate> t = GoTemplate::Parse("{{" + open + "1" + close + "}}");
  EXPECT_FALSE(t.ok());
}

TEST(RobustnessTest, RecursiveTemplateStops) {
  Result<GoTemplate> t =
      GoTemplate::Parse("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}");
  ASSERT_TRUE(t.ok());
  Result<std::string> out = t->Execute(Data());
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().find("exceeded maximum template depth"), std::string::npos);
}

}  // namespace
}  // namespace fleetsim
