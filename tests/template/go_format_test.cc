// printf verbs as fmt formats them (fmt/print.go, fmt/format.go, strconv/ftoa.go).
#include <gtest/gtest.h>

#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::Render;

TEST(PrintfTest, StringsAndPadding) {
  EXPECT_EQ(Render("{{printf \"%s|%5s|%-5s|%.2s\" \"a\" \"b\" \"c\" \"xyz\"}}"),
            "a|    b|c    |xy");
  EXPECT_EQ(Render("{{printf \"%q\" \"a\\\"b\"}}"), "\"a\\\"b\"");
  EXPECT_EQ(Render("{{printf \"%x %X\" \"hi\" \"hi\"}}"), "6869 6869");
}

TEST(PrintfTest, Integers) {
  EXPECT_EQ(Render("{{printf \"%d|%5d|%-5d|%05d|%+d\" 42 42 42 -42 42}}"),
            "42|   42|42   |-0042|+42");
  EXPECT_EQ(Render("{{printf \"%x %X %o %b %c\" 255 255 8 5 65}}"), "ff FF 10 101 A");
  EXPECT_EQ(Render("{{printf \"%q\" 65}}"), "'A'");
}

TEST(PrintfTest, Floats) {
  EXPECT_EQ(Render("{{printf \"%f|%.2f|%8.3f|%e|%g\" 3.14159 3.14159 3.14159 1234.5678 0.5}}"),
            "3.141590|3.14|   3.142|1.234568e+03|0.5");
  EXPECT_EQ(Render("{{printf \"%.0f %.1f\" 2.5 0.05}}"), "2 0.1");
  EXPECT_EQ(Render("{{printf \"%v\" .x}}", R"({"x":1e6})"), "1e+06");
}

TEST(PrintfTest, BoolsAndValues) {
  EXPECT_EQ(Render("{{printf \"%t %v\" true false}}"), "true false");
  EXPECT_EQ(Render("{{printf \"%v %+v\" .m .l}}", R"({"m":{"a":1},"l":["x"]})"), "map[a:1] [x]");
  EXPECT_EQ(Render("{{printf \"%d\" .l}}", R"({"l":[1,2]})"), "[1 2]");
  EXPECT_EQ(Render("{{printf \"100%%\"}}"), "100%");
}

// fmt's error forms: wrong verb, missing and extra arguments.
TEST(PrintfTest, BadVerbsAndArguments) {
  EXPECT_EQ(Render("{{printf \"%d\" \"foo\"}}"), "%!d(string=foo)");
  EXPECT_EQ(Render("{{printf \"%s\" 5}}"), "%!s(int=5)");
  EXPECT_EQ(Render("{{printf \"%d\" .x}}", R"({"x":5.0})"), "%!d(float64=5)");
  EXPECT_EQ(Render("{{printf \"%d %d\" 1}}"), "1 %!d(MISSING)");
  EXPECT_EQ(Render("{{printf \"%d\" 1 \"x\"}}"), "1%!(EXTRA string=x)");
  EXPECT_EQ(Render("{{printf \"%d\" nil}}"), "%!d(<nil>)");
  EXPECT_EQ(Render("{{printf \"%z\" 1}}"), "%!z(int=1)");
  EXPECT_EQ(Render("{{printf \"%\"}}"), "%!(NOVERB)");
}

TEST(PrintfTest, TypeVerb) {
  EXPECT_EQ(Render("{{printf \"%T %T %T %T\" 1 \"s\" .f .m}}", R"({"f":1.5,"m":{}})"),
            "int string float64 map[string]interface {}");
}

}  // namespace
}  // namespace fleetsim
