// text/template's builtin functions (text/template/funcs.go).
#include <gtest/gtest.h>

#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::Render;

// funcs.go and/or: the first false / true argument, or the last; evaluation stops there.
TEST(BuiltinsTest, AndOrReturnArguments) {
  EXPECT_EQ(Render("{{and 1 0 2}}"), "0");
  EXPECT_EQ(Render("{{and 1 2}}"), "2");
  EXPECT_EQ(Render("{{or 0 \"\" \"x\"}}"), "x");
  EXPECT_EQ(Render("{{or 0 \"\"}}"), "");
  EXPECT_EQ(Render("{{or 1 (index .l 9)}}", R"({"l":[]})"), "1");  // short-circuit
  EXPECT_EQ(Render("{{not .x}}", "{}"), "true");
}

TEST(BuiltinsTest, IndexOfSlicesAndMaps) {
  EXPECT_EQ(Render("{{index .l 1}}", R"({"l":["a","b"]})"), "b");
  EXPECT_EQ(Render("{{index .m \"k\"}}", R"({"m":{"k":"v"}})"), "v");
  EXPECT_EQ(Render("{{index .m \"nope\"}}", R"({"m":{}})"), "<no value>");
  EXPECT_EQ(Render("{{index .m \"a\" 0}}", R"({"m":{"a":[7]}})"), "7");
  EXPECT_EQ(Render("{{index \"abc\" 1}}"), "98");
}

TEST(BuiltinsTest, IndexErrors) {
  EXPECT_EQ(Render("{{index .l 5}}", R"({"l":[1]})"),
            "ERROR: template: :1:2: executing \"\" at <index .l 5>: error calling index: index "
            "out of range: 5");
  EXPECT_EQ(Render("{{index .l .i}}", R"({"l":[1],"i":0.0})"),
            "ERROR: template: :1:2: executing \"\" at <index .l .i>: error calling index: cannot "
            "index slice/array with type float64");
  EXPECT_EQ(Render("{{index .missing 1}}"),
            "ERROR: template: :1:2: executing \"\" at <index .missing 1>: error calling index: "
            "index of untyped nil");
  EXPECT_EQ(Render("{{index .m 1}}", R"({"m":{}})"),
            "ERROR: template: :1:2: executing \"\" at <index .m 1>: error calling index: value "
            "has type int; should be string");
}

TEST(BuiltinsTest, Slice) {
  EXPECT_EQ(Render("{{slice .l 1 3}}", R"({"l":[1,2,3,4]})"), "[2 3]");
  EXPECT_EQ(Render("{{slice \"hello\" 1}}"), "ello");
  EXPECT_EQ(Render("{{slice .l 2 1}}", R"({"l":[1,2,3]})"),
            "ERROR: template: :1:2: executing \"\" at <slice .l 2 1>: error calling slice: "
            "invalid slice index: 2 > 1");
}

TEST(BuiltinsTest, Len) {
  EXPECT_EQ(Render("{{len .l}} {{len .m}} {{len .s}}", R"({"l":[1,2],"m":{"a":1},"s":"héllo"})"),
            "2 1 6");
  EXPECT_EQ(Render("{{len .n}}", R"({"n":3.0})"),
            "ERROR: template: :1:2: executing \"\" at <len .n>: error calling len: len of type "
            "float64");
}

// funcs.go eq: any of several arguments; basic kinds only, ints and floats do not mix.
TEST(BuiltinsTest, Comparisons) {
  EXPECT_EQ(Render("{{eq .x \"a\" \"b\"}}", R"({"x":"b"})"), "true");
  EXPECT_EQ(Render("{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}"),
            "true true true true false");
  EXPECT_EQ(Render("{{eq .missing \"x\"}}"), "false");
  EXPECT_EQ(Render("{{eq .a .b}}", R"({"a":null})"), "true");
}

TEST(BuiltinsTest, ComparisonErrors) {
  EXPECT_EQ(Render("{{eq 1 \"1\"}}"),
            "ERROR: template: :1:2: executing \"\" at <eq 1 \"1\">: error calling eq: "
            "incompatible types for comparison");
  EXPECT_EQ(Render("{{eq .x 1}}", R"({"x":1.0})"),
            "ERROR: template: :1:2: executing \"\" at <eq .x 1>: error calling eq: "
            "incompatible types for comparison");
  EXPECT_EQ(Render("{{lt .l 1}}", R"({"l":[]})"),
            "ERROR: template: :1:2: executing \"\" at <lt .l 1>: error calling lt: invalid type "
            "for comparison");
  EXPECT_EQ(Render("{{lt true false}}"),
            "ERROR: template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid "
            "type for comparison");
  EXPECT_EQ(Render("{{eq .l .l}}", R"({"l":["a"]})"),
            "ERROR: template: :1:2: executing \"\" at <eq .l .l>: error calling eq: "
            "non-comparable type [a]: []interface {}");
  EXPECT_EQ(Render("{{eq 1}}"),
            "ERROR: template: :1:2: executing \"\" at <eq 1>: error calling eq: missing argument "
            "for comparison");
}

TEST(BuiltinsTest, PrintAndPrintln) {
  EXPECT_EQ(Render("{{print \"a\" 1 2 \"b\"}}"), "a1 2b");
  EXPECT_EQ(Render("{{println \"a\" 1}}"), "a 1\n");
  EXPECT_EQ(Render("{{print .missing}}"), "<nil>");
}

TEST(BuiltinsTest, Escapers) {
  EXPECT_EQ(Render("{{html \"<a href='x'>&\\\"\"}}"), "&lt;a href=&#39;x&#39;&gt;&amp;&#34;");
  EXPECT_EQ(Render("{{js \"it's <b>=\\n\"}}"), "it\\'s \\u003Cb\\u003E\\u003D\\u000A");
  EXPECT_EQ(Render("{{urlquery \"a b&c=d/é\"}}"), "a+b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(Render("{{html .missing}}"), "&lt;no value&gt;");
}

// funcs.go call: the data holds no functions, so every call fails.
TEST(BuiltinsTest, CallOfNonFunction) {
  EXPECT_EQ(Render("{{call .f}}", R"({"f":"x"})"),
            "ERROR: template: :1:2: executing \"\" at <call .f>: error calling call: "
            "non-function .f of type string");
  EXPECT_EQ(Render("{{call .f}}", "{}"),
            "ERROR: template: :1:2: executing \"\" at <call .f>: error calling call: call of nil");
}

}  // namespace
}  // namespace fleetsim
