// Execution: field chains, variables, control structures and Go's exec errors
// (text/template/exec.go), over JSON data as Argo CD passes generator parameters.
#include <gtest/gtest.h>

#include "sim/template/go_template.h"
#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::Render;

// exec.go evalField: map keys as fields, chained.
TEST(ExecTest, FieldChains) {
  EXPECT_EQ(Render("{{.a.b.c}}", R"({"a":{"b":{"c":"deep"}}})"), "deep");
  EXPECT_EQ(Render("{{.}}", R"("dot")"), "dot");
}

// exec.go printableValue: a missing key is the invalid value, printed "<no value>".
TEST(ExecTest, MissingKeyPrintsNoValue) {
  EXPECT_EQ(Render("[{{.missing}}]", "{}"), "[<no value>]");
  EXPECT_EQ(Render("[{{.a.b}}]", "{}"), "[<no value>]");
  EXPECT_EQ(Render("[{{.n}}]", R"({"n":null})"), "[<no value>]");
}

// exec.go evalField with missingkey=error.
TEST(ExecTest, MissingKeyErrorOption) {
  EXPECT_EQ(Render("{{.x}}", "{}", MissingKey::kError),
            "ERROR: template: :1:2: executing \"\" at <.x>: map has no entry for key \"x\"");
  EXPECT_EQ(Render("{{ .a.b }}", "{}", MissingKey::kError),
            "ERROR: template: :1:5: executing \"\" at <.a.b>: map has no entry for key \"a\"");
}

TEST(ExecTest, MissingKeyZeroOption) {
  EXPECT_EQ(Render("[{{.x}}]", "{}", MissingKey::kZero), "[<no value>]");
}

// exec.go evalField: a field of a string, and of a nil interface.
TEST(ExecTest, FieldOfNonMapIsAnError) {
  EXPECT_EQ(Render("{{.a.b}}", R"({"a":"s"})"),
            "ERROR: template: :1:4: executing \"\" at <.a.b>: can't evaluate field b in type "
            "interface {}");
  EXPECT_EQ(Render("{{$x := \"s\"}}{{$x.b}}"),
            "ERROR: template: :1:17: executing \"\" at <$x.b>: can't evaluate field b in type "
            "string");
  EXPECT_EQ(Render("{{.a.b}}", R"({"a":null})"),
            "ERROR: template: :1:4: executing \"\" at <.a.b>: nil pointer evaluating interface "
            "{}.b");
}

// fmt %v: maps sorted by key, slices space-separated, floats in shortest 'g'.
TEST(ExecTest, PrintingCompositeValues) {
  EXPECT_EQ(Render("{{.m}}", R"({"m":{"b":2,"a":1}})"), "map[a:1 b:2]");
  EXPECT_EQ(Render("{{.l}}", R"({"l":["a","b"]})"), "[a b]");
  EXPECT_EQ(Render("{{.l}}", R"({"l":[1,null,true]})"), "[1 <nil> true]");
  EXPECT_EQ(Render("{{.m}}", R"({"m":{}})"), "map[]");
}

// JSON numbers unmarshalled by Go are float64: %v prints shortest 'g' with exponent from 1e21
// ... and strconv's 'g' switches to exponent form at 1e+06 (eprec 6 for the shortest form).
TEST(ExecTest, PrintingFloats) {
  EXPECT_EQ(Render("{{.x}}", R"({"x":5.0})"), "5");
  EXPECT_EQ(Render("{{.x}}", R"({"x":2.5})"), "2.5");
  EXPECT_EQ(Render("{{.x}}", R"({"x":1e21})"), "1e+21");
  EXPECT_EQ(Render("{{.x}}", R"({"x":123456789.0})"), "1.23456789e+08");
  EXPECT_EQ(Render("{{.x}}", R"({"x":0.0001})"), "0.0001");
  EXPECT_EQ(Render("{{.x}}", R"({"x":0.00001})"), "1e-05");
  EXPECT_EQ(Render("{{.x}}", R"({"x":42})"), "42");
}

// exec.go walkIfOrWith and isTrue.
TEST(ExecTest, IfElseIfElse) {
  const char* t = "{{if eq .x 1}}one{{else if eq .x 2}}two{{else}}many{{end}}";
  EXPECT_EQ(Render(t, R"({"x":1})"), "one");
  EXPECT_EQ(Render(t, R"({"x":2})"), "two");
  EXPECT_EQ(Render(t, R"({"x":3})"), "many");
}

TEST(ExecTest, TruthOfValues) {
  const char* t = "{{if .v}}T{{else}}F{{end}}";
  EXPECT_EQ(Render(t, R"({"v":""})"), "F");
  EXPECT_EQ(Render(t, R"({"v":"x"})"), "T");
  EXPECT_EQ(Render(t, R"({"v":0})"), "F");
  EXPECT_EQ(Render(t, R"({"v":[]})"), "F");
  EXPECT_EQ(Render(t, R"({"v":{}})"), "F");
  EXPECT_EQ(Render(t, R"({"v":false})"), "F");
  EXPECT_EQ(Render(t, R"({"v":null})"), "F");
  EXPECT_EQ(Render(t, "{}"), "F");
  EXPECT_EQ(Render(t, R"({"v":[0]})"), "T");
}

TEST(ExecTest, WithSetsDotAndElseWith) {
  EXPECT_EQ(Render("{{with .a}}{{.b}}{{end}}", R"({"a":{"b":"in"}})"), "in");
  EXPECT_EQ(Render("{{with .a}}x{{else with .c}}{{.}}{{else}}none{{end}}", R"({"c":"C"})"), "C");
  EXPECT_EQ(Render("{{with .a}}x{{else}}none{{end}}", "{}"), "none");
}

// exec.go walkRange: slices in order, maps in sorted key order, else when empty.
TEST(ExecTest, RangeOverSlices) {
  EXPECT_EQ(Render("{{range .l}}<{{.}}>{{end}}", R"({"l":["a","b"]})"), "<a><b>");
  EXPECT_EQ(Render("{{range $i, $v := .l}}{{$i}}={{$v}};{{end}}", R"({"l":["a","b"]})"),
            "0=a;1=b;");
  EXPECT_EQ(Render("{{range .l}}x{{else}}empty{{end}}", R"({"l":[]})"), "empty");
  EXPECT_EQ(Render("{{range .missing}}x{{else}}empty{{end}}", "{}"), "empty");
}

TEST(ExecTest, RangeOverMapsIsSortedByKey) {
  EXPECT_EQ(Render("{{range $k, $v := .m}}{{$k}}:{{$v}} {{end}}", R"({"m":{"z":1,"a":2,"m":3}})"),
            "a:2 m:3 z:1 ");
  EXPECT_EQ(Render("{{range .m}}{{.}}{{end}}", R"({"m":{"b":"B","a":"A"}})"), "AB");
}

// Go 1.22: range over an integer.
TEST(ExecTest, RangeOverInt) {
  EXPECT_EQ(Render("{{range 3}}{{.}}{{end}}"), "012");
  EXPECT_EQ(Render("{{range $i := 2}}[{{$i}}]{{end}}"), "[0][1]");
  EXPECT_EQ(Render("{{range $i, $v := 2}}{{end}}"),
            "ERROR: template: :1:18: executing \"\" at <2>: can't use 2 to iterate over more "
            "than one variable");
}

TEST(ExecTest, RangeOverStringIsAnError) {
  EXPECT_EQ(Render("{{range .s}}{{end}}", R"({"s":"abc"})"),
            "ERROR: template: :1:8: executing \"\" at <.s>: range can't iterate over abc");
}

TEST(ExecTest, BreakAndContinue) {
  EXPECT_EQ(Render("{{range .l}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", R"({"l":[1,2,3,4]})"),
            "12");
  EXPECT_EQ(Render("{{range .l}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", R"({"l":[1,2,3]})"),
            "13");
}

TEST(ExecTest, VariablesDeclareAndAssign) {
  EXPECT_EQ(Render("{{$x := \"a\"}}{{$x}}{{$x = \"b\"}}{{$x}}"), "ab");
  EXPECT_EQ(Render("{{$x := 1}}{{range .l}}{{$x = .}}{{end}}{{$x}}", R"({"l":[5,6]})"), "6");
  EXPECT_EQ(Render("{{$.top}}{{with .a}}{{$.top}}{{end}}", R"({"top":"T","a":1})"), "TT");
  EXPECT_EQ(Render("{{$m := .m}}{{$m.k}}", R"({"m":{"k":"v"}})"), "v");
}

TEST(ExecTest, ParenthesizedChain) {
  EXPECT_EQ(Render("{{(index .l 0).name}}", R"({"l":[{"name":"n0"}]})"), "n0");
  EXPECT_EQ(Render("{{(dict \"a\" \"b\").a}}"), "b");
}

TEST(ExecTest, PipelinesPassTheLastArgument) {
  EXPECT_EQ(Render("{{.x | lower | printf \"%s-%s\" \"p\"}}", R"({"x":"ABC"})"), "p-abc");
}

// text/template/parse lex.go: "{{-" trims space before, "-}}" after.
TEST(ExecTest, WhitespaceTrimming) {
  EXPECT_EQ(Render("a  {{- .x -}}  \n b", R"({"x":"X"})"), "aXb");
  EXPECT_EQ(Render("a {{- /* c */ -}} b"), "ab");
  EXPECT_EQ(Render("{{- 3 }} {{ 4 -}} "), "3 4");
  EXPECT_EQ(Render("x{{-3}}"), "x-3");  // "{{-3" is a negative number, not a trim marker
}

TEST(ExecTest, CommentsProduceNothing) { EXPECT_EQ(Render("a{{/* hidden */}}b"), "ab"); }

TEST(ExecTest, DefineTemplateAndBlock) {
  EXPECT_EQ(Render("{{define \"t\"}}[{{.}}]{{end}}{{template \"t\" .x}}", R"({"x":"X"})"), "[X]");
  EXPECT_EQ(Render("{{block \"b\" .}}<{{.y}}>{{end}}", R"({"y":"Y"})"), "<Y>");
  EXPECT_EQ(Render("{{template \"nope\"}}"),
            "ERROR: template: :1:11: executing \"\" at <{{template \"nope\"}}>: template \"nope\" "
            "not defined");
}

TEST(ExecTest, ErrorInsideDefinedTemplateNamesIt) {
  EXPECT_EQ(Render("{{define \"t\"}}{{index . 5}}{{end}}{{template \"t\" .l}}", R"({"l":[1]})"),
            "ERROR: template: :1:16: executing \"t\" at <index . 5>: error calling index: index "
            "out of range: 5");
}

// exec.go evalCall: arity and argument types.
TEST(ExecTest, WrongNumberOfArgs) {
  EXPECT_EQ(Render("{{lower \"a\" \"b\"}}"),
            "ERROR: template: :1:2: executing \"\" at <lower>: wrong number of args for lower: "
            "want 1 got 2");
  EXPECT_EQ(Render("{{printf}}"),
            "ERROR: template: :1:2: executing \"\" at <printf>: wrong number of args for printf: "
            "want at least 1 got 0");
}

TEST(ExecTest, WrongArgumentTypes) {
  EXPECT_EQ(Render("{{lower 5}}"),
            "ERROR: template: :1:8: executing \"\" at <5>: expected string; found 5");
  EXPECT_EQ(Render("{{lower .n}}", R"({"n":1.5})"),
            "ERROR: template: :1:8: executing \"\" at <.n>: wrong type for value; expected "
            "string; got float64");
  EXPECT_EQ(Render("{{lower .missing}}"),
            "ERROR: template: :1:8: executing \"\" at <.missing>: invalid value; expected string");
  EXPECT_EQ(Render("{{trunc \"a\" \"b\"}}"),
            "ERROR: template: :1:8: executing \"\" at <\"a\">: expected integer; found \"a\"");
  EXPECT_EQ(Render("{{lower nil}}"),
            "ERROR: template: :1:8: executing \"\" at <nil>: cannot assign nil to string");
}

TEST(ExecTest, NonFunctionGivenArguments) {
  EXPECT_EQ(Render("{{.x 1}}", R"({"x":"a"})"),
            "ERROR: template: :1:2: executing \"\" at <.x>: x is not a method but has arguments");
  EXPECT_EQ(Render("{{$x := 1}}{{$x 2}}"),
            "ERROR: template: :1:13: executing \"\" at <$x>: can't give argument to "
            "non-function $x");
  EXPECT_EQ(Render("{{nil}}"),
            "ERROR: template: :1:2: executing \"\" at <nil>: nil is not a command");
}

TEST(ExecTest, ErrorPositionsCountLinesAndColumns) {
  EXPECT_EQ(Render("a\nbc {{index .l 3}}", R"({"l":[]})"),
            "ERROR: template: :2:5: executing \"\" at <index .l 3>: error calling index: index "
            "out of range: 3");
}

TEST(ExecTest, OutputBeforeAnErrorIsDropped) {
  EXPECT_EQ(Render("ok {{index 1 1}}"),
            "ERROR: template: :1:5: executing \"\" at <index 1 1>: error calling index: can't "
            "index item of type int");
}

// utils.go: parameters Argo CD decoded with json.Unmarshal hold float64 numbers.
TEST(ExecTest, UnmarshalledNumbersAreFloats) {
  Json data = Json::parse(R"({"replicas":3,"l":[1]})");
  ConvertNumbersToFloat64(data);
  Result<GoTemplate> t = GoTemplate::Parse("{{.replicas}} {{eq .replicas 3.0}}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t->Execute(data), "3 true");
  Result<GoTemplate> bad = GoTemplate::Parse("{{eq .replicas 3}}");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->Execute(data).error(),
            "template: :1:2: executing \"\" at <eq .replicas 3>: error calling eq: incompatible "
            "types for comparison");
}

// template.go Option: the options Argo CD passes from goTemplateOptions.
TEST(ExecTest, GoTemplateOptions) {
  EXPECT_EQ(ParseGoTemplateOptions({"missingkey=error"})->missing_key, MissingKey::kError);
  EXPECT_EQ(ParseGoTemplateOptions({"missingkey=invalid"})->missing_key, MissingKey::kDefault);
  EXPECT_EQ(ParseGoTemplateOptions({"missingkey=zero"})->missing_key, MissingKey::kZero);
  EXPECT_EQ(ParseGoTemplateOptions({"missingkey=nope"}).error(),
            "unrecognized option: missingkey=nope");
  EXPECT_EQ(ParseGoTemplateOptions({""}).error(), "empty option string");
}

TEST(ExecTest, TemplatesAreReusableAndCopiesShareTheTree) {
  Result<GoTemplate> t = GoTemplate::Parse("{{.a}}");
  ASSERT_TRUE(t.ok());
  GoTemplate copy = *t;
  EXPECT_EQ(*copy.Execute(Json{{"a", "1"}}), "1");
  EXPECT_EQ(*t->Execute(Json{{"a", "2"}}), "2");
}

}  // namespace
}  // namespace fleetsim
