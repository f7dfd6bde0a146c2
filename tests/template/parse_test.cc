// Parse errors, byte for byte as text/template/parse reports them, with the empty template name
// Argo CD uses (template.New("")).
#include <gtest/gtest.h>

#include "tests/template/template_test_util.h"

namespace fleetsim {
namespace {

using testing_template::ParseError;

// lex.go lexFieldOrVariable: a field name must end at a terminator.
TEST(ParseTest, IndexSyntaxInAFieldIsABadCharacter) {
  EXPECT_EQ(ParseError("{{.path[1]}}"), "template: :1: bad character U+005B '['");
}

TEST(ParseTest, BadCharacterAfterIdentifier) {
  EXPECT_EQ(ParseError("{{lower-x}}"), "template: :1: bad character U+002D '-'");
}

// parse.go term: identifiers must name a function of the map.
TEST(ParseTest, UnknownFunction) {
  EXPECT_EQ(ParseError("{{foo .x}}"), "template: :1: function \"foo\" not defined");
}

// Argo CD deletes env, expandenv and getHostByName from the Sprig map.
TEST(ParseTest, EnvironmentFunctionsAreNotDefined) {
  EXPECT_EQ(ParseError("{{env \"HOME\"}}"), "template: :1: function \"env\" not defined");
  EXPECT_EQ(ParseError("{{expandenv \"$HOME\"}}"),
            "template: :1: function \"expandenv\" not defined");
  EXPECT_EQ(ParseError("{{getHostByName \"x\"}}"),
            "template: :1: function \"getHostByName\" not defined");
}

// parse.go command: a token that is not an operand inside a command.
TEST(ParseTest, UnexpectedTokenInOperand) {
  EXPECT_EQ(ParseError("{{.x } }}"), "template: :1: unexpected \"}\" in operand");
}

// lex.go lexInsideAction: EOF inside an action.
TEST(ParseTest, UnclosedAction) {
  EXPECT_EQ(ParseError("{{.x"), "template: :1: unclosed action");
  EXPECT_EQ(ParseError("a\n{{.x\n"), "template: :3: unclosed action started at :2");
}

// parse.go itemList: {{if}} without {{end}}.
TEST(ParseTest, UnexpectedEof) {
  EXPECT_EQ(ParseError("{{if .x}}a"), "template: :1: unexpected EOF");
  EXPECT_EQ(ParseError("{{range .x}}\n{{.}}\n"), "template: :3: unexpected EOF");
}

// parse.go checkPipeline.
TEST(ParseTest, MissingValueForIf) {
  EXPECT_EQ(ParseError("{{if}}a{{end}}"), "template: :1: missing value for if");
  EXPECT_EQ(ParseError("{{}}"), "template: :1: missing value for command");
  EXPECT_EQ(ParseError("{{range}}{{end}}"), "template: :1: missing value for range");
}

TEST(ParseTest, NonExecutableCommandInPipeline) {
  EXPECT_EQ(ParseError("{{.x | \"a\"}}"),
            "template: :1: non executable command in pipeline stage 2");
}

// parse.go useVar.
TEST(ParseTest, UndefinedVariable) {
  EXPECT_EQ(ParseError("{{$x}}"), "template: :1: undefined variable \"$x\"");
  EXPECT_EQ(ParseError("{{if true}}{{$x := 1}}{{end}}{{$x}}"),
            "template: :1: undefined variable \"$x\"");
}

TEST(ParseTest, UnexpectedEndAndElse) {
  EXPECT_EQ(ParseError("{{end}}"), "template: :1: unexpected {{end}}");
  EXPECT_EQ(ParseError("{{else}}"), "template: :1: unexpected {{else}}");
  EXPECT_EQ(ParseError("{{range .}}{{else}}{{else}}{{end}}"),
            "template: :1: expected end; found {{else}}");
}

TEST(ParseTest, BreakAndContinueOutsideRange) {
  EXPECT_EQ(ParseError("{{break}}"), "template: :1: {{break}} outside {{range}}");
  EXPECT_EQ(ParseError("{{if .}}{{continue}}{{end}}"),
            "template: :1: {{continue}} outside {{range}}");
}

TEST(ParseTest, UnclosedParenAndStrayParen) {
  EXPECT_EQ(ParseError("{{(.x}}"), "template: :1: unclosed left paren");
  EXPECT_EQ(ParseError("{{.x)}}"), "template: :1: unexpected right paren U+0029 ')'");
}

TEST(ParseTest, UnterminatedStringsAndComments) {
  EXPECT_EQ(ParseError("{{\"abc}}"), "template: :1: unterminated quoted string");
  EXPECT_EQ(ParseError("{{`abc}}"), "template: :1: unterminated raw quoted string");
  EXPECT_EQ(ParseError("{{/* abc }}"), "template: :1: unclosed comment");
  EXPECT_EQ(ParseError("{{/* a */ .x}}"), "template: :1: comment ends before closing delimiter");
}

TEST(ParseTest, BadNumbers) {
  EXPECT_EQ(ParseError("{{3x}}"), "template: :1: bad number syntax: \"3x\"");
  EXPECT_EQ(ParseError("{{99999999999999999999}}"),
            "template: :1: integer overflow: \"99999999999999999999\"");
}

TEST(ParseTest, DeclarationErrors) {
  EXPECT_EQ(ParseError("{{$x, $y := .}}"), "template: :1: too many declarations in command");
  EXPECT_EQ(ParseError("{{range $x, 3}}{{end}}"),
            "template: :1: range can only initialize variables");
  EXPECT_EQ(ParseError("{{$x := 1}}{{$x : 3}}"), "template: :1: expected :=");
  EXPECT_EQ(ParseError("{{$x : 3}}"), "template: :1: undefined variable \"$x\"");
}

TEST(ParseTest, DotAfterLiteral) {
  EXPECT_EQ(ParseError("{{\"a\".b}}"), "template: :1: unexpected . after term \"\\\"a\\\"\"");
}

TEST(ParseTest, TemplateNameMustBeAString) {
  EXPECT_EQ(ParseError("{{template .x}}"), "template: :1: unexpected \".x\" in template clause");
  EXPECT_EQ(ParseError("{{define \"a\"}}x"), "template: :1: unexpected EOF");
}

TEST(ParseTest, ErrorLineCountsNewlines) {
  EXPECT_EQ(ParseError("line1\nline2\n{{nope}}"), "template: :3: function \"nope\" not defined");
}

TEST(ParseTest, ValidTemplatesParse) {
  EXPECT_EQ(ParseError("{{/* comment */}}{{- .x -}}{{ if .a }}{{ else if .b }}{{ end }}"), "<ok>");
  EXPECT_EQ(ParseError("{{define \"t\"}}{{.}}{{end}}{{template \"t\" .x}}"), "<ok>");
}

}  // namespace
}  // namespace fleetsim
