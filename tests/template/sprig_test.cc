// Sprig functions (github.com/Masterminds/sprig/v3) and Argo CD's additions
// (applicationset/utils/utils.go), as ApplicationSet templates use them.
#include <gtest/gtest.h>

#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::Render;

TEST(SprigStringsTest, CaseFunctions) {
  EXPECT_EQ(Render("{{lower \"AbC\"}} {{upper \"AbC\"}} {{title \"hello wide-world\"}}"),
            "abc ABC Hello Wide-World");
  EXPECT_EQ(
      Render("{{kebabcase \"FooBarBaz\"}} {{snakecase \"FooBar\"}} {{camelcase \"foo_bar\"}}"),
      "foo-bar-baz foo_bar FooBar");
}

TEST(SprigStringsTest, ReplaceAndTrim) {
  EXPECT_EQ(Render("{{replace \"-\" \"_\" \"a-b-c\"}}"), "a_b_c");
  EXPECT_EQ(Render("{{trim \"  x \\n\"}}|{{trimAll \"$\" \"$$x$\"}}"), "x|x");
  EXPECT_EQ(Render("{{trimPrefix \"pre-\" \"pre-name\"}} {{trimSuffix \".git\" \"repo.git\"}}"),
            "name repo");
  EXPECT_EQ(Render("{{nospace \"a b\\tc\"}}"), "abc");
}

TEST(SprigStringsTest, Predicates) {
  EXPECT_EQ(
      Render(
          "{{hasPrefix \"ab\" \"abc\"}} {{hasSuffix \"bc\" \"abc\"}} {{contains \"x\" \"abc\"}}"),
      "true true false");
}

TEST(SprigStringsTest, Quoting) {
  EXPECT_EQ(Render("{{quote \"a\" 1 .missing}}"), "\"a\" \"1\"");
  EXPECT_EQ(Render("{{squote \"a\"}}"), "'a'");
  EXPECT_EQ(Render("{{cat \"a\" 1 nil \"b\"}}"), "a 1 b");
}

TEST(SprigStringsTest, SplitJoin) {
  EXPECT_EQ(Render("{{join \",\" .l}}", R"({"l":["a","b",null,1]})"), "a,b,1");
  EXPECT_EQ(Render("{{splitList \"/\" \"a/b/c\"}}"), "[a b c]");
  EXPECT_EQ(Render("{{(split \"/\" \"a/b\")._1}}"), "b");
  EXPECT_EQ(Render("{{index (splitList \"-\" .name) 0}}", R"({"name":"prod-east"})"), "prod");
}

TEST(SprigStringsTest, TruncSubstrRepeatIndent) {
  EXPECT_EQ(Render("{{trunc 3 \"abcdef\"}} {{trunc -2 \"abcdef\"}} {{trunc 10 \"ab\"}}"),
            "abc ef ab");
  EXPECT_EQ(Render("{{substr 1 3 \"abcdef\"}} {{substr 2 -1 \"abcdef\"}}"), "bc cdef");
  EXPECT_EQ(Render("{{repeat 3 \"ab\"}}"), "ababab");
  EXPECT_EQ(Render("{{indent 2 \"a\\nb\"}}|{{nindent 2 \"a\"}}"), "  a\n  b|\n  a");
}

TEST(SprigStringsTest, PluralInitialsAbbrev) {
  EXPECT_EQ(Render("{{plural \"app\" \"apps\" 1}} {{plural \"app\" \"apps\" 3}}"), "app apps");
  EXPECT_EQ(Render("{{initials \"argo cd rollouts\"}} {{abbrev 6 \"guestbook\"}}"), "acr gue...");
}

// Sprig's base, dir, ext, clean and isAbs are Go's path functions.
TEST(SprigStringsTest, PathFunctions) {
  EXPECT_EQ(
      Render("{{base \"apps/guestbook/\"}} {{dir \"apps/guestbook/x.yaml\"}} {{ext \"a/b.yaml\"}}"),
      "guestbook apps/guestbook .yaml");
  EXPECT_EQ(Render("{{clean \"a//b/../c/.\"}} {{clean \"\"}} {{isAbs \"/x\"}} {{dir \"x\"}}"),
            "a/c . true .");
}

TEST(SprigStringsTest, SplitN) {
  EXPECT_EQ(Render("{{splitn \"-\" 2 \"a-b-c\"}}"), "map[_0:a _1:b-c]");
}

TEST(SprigStringsTest, ArgoCdNormalizeAndSlugify) {
  EXPECT_EQ(Render("{{normalize \"My_Cluster.Prod!\"}}"), "my-cluster.prod");
  EXPECT_EQ(Render("{{normalize \"--a--\"}}"), "a");
  EXPECT_EQ(Render("{{slugify \"Hello World_Foo\"}}"), "hello-world-foo");
  EXPECT_EQ(Render("{{slugify 11 true \"hello world again\"}}"), "hello-world");
  EXPECT_EQ(Render("{{slugify 8 false \"hello world\"}}"), "hello-wo");
}

TEST(SprigDefaultsTest, DefaultEmptyCoalesceTernary) {
  EXPECT_EQ(Render("{{.x | default \"d\"}}", "{}"), "d");
  EXPECT_EQ(Render("{{.x | default \"d\"}}", R"({"x":"v"})"), "v");
  EXPECT_EQ(Render("{{default \"d\" \"\"}}"), "d");
  EXPECT_EQ(Render("{{empty .x}} {{empty 0}} {{empty \"a\"}}", "{}"), "true true false");
  EXPECT_EQ(Render("{{coalesce .a \"\" .b \"c\"}}", R"({"b":"B"})"), "B");
  EXPECT_EQ(Render("{{ternary \"y\" \"n\" true}} {{true | ternary \"y\" \"n\"}}"), "y y");
}

TEST(SprigListsTest, ListFunctions) {
  EXPECT_EQ(Render("{{list 1 \"a\" 2.5}}"), "[1 a 2.5]");
  EXPECT_EQ(Render("{{first .l}} {{last .l}} {{rest .l}} {{initial .l}}", R"({"l":[1,2,3]})"),
            "1 3 [2 3] [1 2]");
  EXPECT_EQ(Render("{{append .l 4}} {{prepend .l 0}}", R"({"l":[1,2]})"), "[1 2 4] [0 1 2]");
  EXPECT_EQ(Render("{{uniq .l}} {{has 2 .l}} {{has 9 .l}}", R"({"l":[1,2,1]})"),
            "[1 2] true false");
  EXPECT_EQ(Render("{{first .s}}", R"({"s":"x"})"),
            "ERROR: template: :1:2: executing \"\" at <first .s>: error calling first: Cannot "
            "find first on type string");
}

// The must* variants return Sprig's error where the plain ones panic; both read the same here.
TEST(SprigListsTest, MustVariants) {
  EXPECT_EQ(Render("{{mustFirst .l}} {{mustLast .l}}", R"({"l":[1,2]})"), "1 2");
  EXPECT_EQ(Render("{{mustLast 3}}"),
            "ERROR: template: :1:2: executing \"\" at <mustLast 3>: error calling mustLast: "
            "Cannot find last on type int");
}

TEST(SprigListsTest, UntilAndUntilStep) {
  EXPECT_EQ(Render("{{until 3}} {{untilStep 0 10 4}} {{untilStep 3 0 -1}}"),
            "[0 1 2] [0 4 8] [3 2 1]");
}

TEST(SprigDictsTest, DictFunctions) {
  EXPECT_EQ(Render("{{dict \"b\" 2 \"a\" 1}}"), "map[a:1 b:2]");
  EXPECT_EQ(Render("{{get .m \"a\"}}|{{get .m \"z\"}}", R"({"m":{"a":"A"}})"), "A|");
  EXPECT_EQ(Render("{{hasKey .m \"a\"}} {{keys .m}} {{values .m}}", R"({"m":{"b":2,"a":1}})"),
            "true [a b] [1 2]");
  EXPECT_EQ(Render("{{set .m \"c\" 3}} {{unset .m \"a\"}}", R"({"m":{"a":1}})"),
            "map[a:1 c:3] map[]");
  EXPECT_EQ(Render("{{pluck \"a\" .x .y}}", R"({"x":{"a":1},"y":{"a":2}})"), "[1 2]");
  EXPECT_EQ(Render("{{merge .x .y}}", R"({"x":{"a":1,"n":{"p":1}},"y":{"a":2,"b":3,"n":{"q":2}}})"),
            "map[a:1 b:3 n:map[p:1 q:2]]");
  EXPECT_EQ(Render("{{dig \"a\" \"b\" \"def\" .m}} {{dig \"a\" \"x\" \"def\" .m}}",
                   R"({"m":{"a":{"b":"found"}}})"),
            "found def");
  EXPECT_EQ(Render("{{hasKey .l \"a\"}}", R"({"l":[]})"),
            "ERROR: template: :1:9: executing \"\" at <.l>: wrong type for value; expected "
            "map[string]interface {}; got []interface {}");
}

TEST(SprigMathTest, Arithmetic) {
  EXPECT_EQ(Render("{{add 1 2 3}} {{sub 5 2}} {{mul 2 3 4}} {{div 7 2}} {{mod 7 3}}"),
            "6 3 24 3 1");
  EXPECT_EQ(Render("{{max 1 5 3}} {{min 4 2 8}} {{add1 .n}}", R"({"n":1.0})"), "5 2 2");
  EXPECT_EQ(Render("{{add 9223372036854775807 1}}"), "-9223372036854775808");  // int64 wraps
  EXPECT_EQ(Render("{{div 1 0}}"),
            "ERROR: template: :1:2: executing \"\" at <div 1 0>: error calling div: runtime "
            "error: integer divide by zero");
}

TEST(SprigMathTest, Conversions) {
  EXPECT_EQ(
      Render("{{int \"42\"}} {{int64 3.9}} {{float64 \"1.5\"}} {{atoi \"12\"}} {{atoi \"x\"}}"),
      "42 3 1.5 12 0");
  EXPECT_EQ(Render("{{toString 5}} {{toString .f}}", R"({"f":2.0})"), "5 2");
  // add returns int64, which a Sprig function taking int refuses; the error names the last node
  // evaluated (exec.go state.at), the second argument of add.
  EXPECT_EQ(Render("{{trunc (add 1 1) \"abc\"}}"),
            "ERROR: template: :1:15: executing \"\" at <1>: wrong type for value; expected int; "
            "got int64");
}

TEST(SprigEncodingTest, JsonAndYaml) {
  EXPECT_EQ(Render("{{toJson .}}", R"({"b":[1,"<x>"],"a":null})"),
            R"({"a":null,"b":[1,"\u003cx\u003e"]})");
  EXPECT_EQ(Render("{{toYaml .}}", R"({"b":[1,"true"],"a":{"c":"x: y"},"d":""})"),
            "a:\n  c: 'x: y'\nb:\n- 1\n- \"true\"\nd: \"\"");
  EXPECT_EQ(Render("{{(fromYaml \"a: 1\\nb: [x]\").b}}"), "[x]");
  EXPECT_EQ(Render("{{fromYamlArray \"- 1\\n- two\"}}"), "[1 two]");
  EXPECT_EQ(Render("{{(fromJson \"{\\\"a\\\": 2}\").a}}"), "2");
}

TEST(SprigEncodingTest, Base64AndHashes) {
  EXPECT_EQ(Render("{{b64enc \"hello\"}} {{b64dec \"aGVsbG8=\"}}"), "aGVsbG8= hello");
  EXPECT_EQ(Render("{{sha256sum \"abc\"}}"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Render("{{sha1sum \"abc\"}}"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Render("{{adler32sum \"abc\"}}"), "38600999");
}

TEST(SprigRegexTest, RegexFunctions) {
  EXPECT_EQ(Render("{{regexMatch \"^[a-z]+$\" \"abc\"}} {{regexMatch \"^[a-z]+$\" \"a1\"}}"),
            "true false");
  EXPECT_EQ(Render("{{regexFind \"[0-9]+\" \"ab12cd34\"}}"), "12");
  EXPECT_EQ(Render("{{regexFindAll \"[0-9]+\" \"a1b22c333\" 2}}"), "[1 22]");
  EXPECT_EQ(Render("{{regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\"}}"), "-W-xxW-");
  EXPECT_EQ(Render("{{regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\"}}"), "---");
  EXPECT_EQ(Render("{{regexReplaceAllLiteral \"a(x*)b\" \"-ab-\" \"$1\"}}"), "-$1-");
  EXPECT_EQ(Render("{{regexSplit \"z+\" \"pizza\" -1}}"), "[pi a]");
  EXPECT_EQ(Render("{{regexReplaceAll \"[^a-z0-9]\" \"My.App_1\" \"-\"}}"), "-y--pp-1");
}

}  // namespace
}  // namespace fleetsim
