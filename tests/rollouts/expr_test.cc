// Expression: the expr-lang subset of AnalysisTemplate conditions. Reference 1.12;
// argo-rollouts utils/evaluate/evaluate.go (EvalCondition) and expr-lang parser/vm.
#include "sim/rollouts/expr.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace fleetsim::rollouts {
namespace {

using json = Json;

// Evaluates `text` with `result` bound; fails the test on a parse or runtime error.
json Eval(const std::string& text, const json& result = json()) {
  Result<Expression> e = Expression::Parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error());
  if (!e.ok()) return json();
  Result<json> v = e->Evaluate(json{{"result", result}});
  EXPECT_TRUE(v.ok()) << text << ": " << (v.ok() ? "" : v.error());
  return v.ok() ? *v : json();
}

std::string ParseError(const std::string& text) {
  Result<Expression> e = Expression::Parse(text);
  EXPECT_FALSE(e.ok()) << text;
  return e.ok() ? "" : e.error();
}

std::string RuntimeError(const std::string& text, const json& result) {
  Result<Expression> e = Expression::Parse(text);
  EXPECT_TRUE(e.ok()) << text;
  if (!e.ok()) return "";
  Result<bool> v = e->EvaluateCondition(result);
  EXPECT_FALSE(v.ok()) << text;
  return v.ok() ? "" : v.error();
}

TEST(ExprTest, Literals) {
  EXPECT_EQ(Eval("42"), json(42));
  EXPECT_EQ(Eval("1_000"), json(1000));
  EXPECT_EQ(Eval("0x1F"), json(31));
  EXPECT_DOUBLE_EQ(Eval("0.95").get<double>(), 0.95);
  EXPECT_DOUBLE_EQ(Eval("1e3").get<double>(), 1000.0);
  EXPECT_EQ(Eval("\"a\\\"b\""), json("a\"b"));
  EXPECT_EQ(Eval("'single'"), json("single"));
  EXPECT_EQ(Eval("`raw\\n`"), json("raw\\n"));
  EXPECT_EQ(Eval("'\\u00e9'"), json("\xc3\xa9"));
  EXPECT_EQ(Eval("true"), json(true));
  EXPECT_EQ(Eval("false"), json(false));
  EXPECT_TRUE(Eval("nil").is_null());
  EXPECT_EQ(Eval("[1, 'a', [2]]"), json::parse(R"([1, "a", [2]])"));
  EXPECT_EQ(Eval("{a: 1, 'b c': 2}"), json::parse(R"({"a": 1, "b c": 2})"));
}

// The typical Prometheus condition: result is a list of float64 samples (reference 1.12).
TEST(ExprTest, ResultIndexOfAVector) {
  EXPECT_EQ(Eval("result[0] >= 0.95", json::array({0.99})), json(true));
  EXPECT_EQ(Eval("result[0] >= 0.95", json::array({0.5})), json(false));
  EXPECT_EQ(Eval("result[-1]", json::array({1, 2, 3})), json(3));
}

TEST(ExprTest, ResultAsScalarAndMap) {
  EXPECT_EQ(Eval("result < 0.01", 0.001), json(true));
  json web = {{"status", "ok"}, {"data", {{"ok", true}, {"latency", 120}}}};
  EXPECT_EQ(Eval("result.data.ok && result.data.latency < 200", web), json(true));
  EXPECT_EQ(Eval("result['status'] == 'ok'", web), json(true));
  EXPECT_TRUE(Eval("result.missing", web).is_null());
  EXPECT_TRUE(Eval("result?.a?.b", json()).is_null());
}

TEST(ExprTest, ArithmeticKeepsIntsExceptDivisionAndPower) {
  EXPECT_EQ(Eval("7 + 3 * 2"), json(13));
  EXPECT_TRUE(Eval("7 + 3 * 2").is_number_integer());
  EXPECT_EQ(Eval("7 % 3"), json(1));
  EXPECT_TRUE(Eval("6 / 3").is_number_float());
  EXPECT_DOUBLE_EQ(Eval("7 / 2").get<double>(), 3.5);
  EXPECT_DOUBLE_EQ(Eval("2 ** 10").get<double>(), 1024.0);
  EXPECT_DOUBLE_EQ(Eval("2 ^ 3 ^ 2").get<double>(), 512.0);  // right-associative
  EXPECT_DOUBLE_EQ(Eval("1 + 0.5").get<double>(), 1.5);
  EXPECT_EQ(Eval("-3 + +1"), json(-2));
  EXPECT_DOUBLE_EQ(Eval("-2 ** 2").get<double>(), -4.0);  // unary minus binds looser than **
  EXPECT_EQ(Eval("'a' + 'b'"), json("ab"));
  EXPECT_EQ(Eval("(1 + 2) * 3"), json(9));
}

TEST(ExprTest, ComparisonsAcrossIntAndFloat) {
  EXPECT_EQ(Eval("1 == 1.0"), json(true));
  EXPECT_EQ(Eval("1 != 2"), json(true));
  EXPECT_EQ(Eval("2 <= 2.0 and 3 > 2.5"), json(true));
  EXPECT_EQ(Eval("'abc' < 'abd'"), json(true));
  EXPECT_EQ(Eval("nil == nil"), json(true));
  EXPECT_EQ(Eval("result == nil", json()), json(true));
  EXPECT_EQ(Eval("[1, 2] == [1.0, 2]"), json(true));
  EXPECT_EQ(Eval("'1' == 1"), json(false));
}

TEST(ExprTest, LogicalWordsAndSymbolsWithShortCircuit) {
  EXPECT_EQ(Eval("true && false || true"), json(true));
  EXPECT_EQ(Eval("not false and !false"), json(true));
  EXPECT_EQ(Eval("!true == false"), json(true));  // (!true) == false
  // The right side is never evaluated, so the empty vector does not error.
  EXPECT_EQ(Eval("len(result) == 0 || result[0] >= 0.95", json::array()), json(true));
  EXPECT_EQ(Eval("len(result) > 0 && result[0] >= 0.95", json::array()), json(false));
}

TEST(ExprTest, InAndNotIn) {
  EXPECT_EQ(Eval("2 in [1, 2, 3]"), json(true));
  EXPECT_EQ(Eval("2.0 in [1, 2, 3]"), json(true));
  EXPECT_EQ(Eval("4 not in [1, 2, 3]"), json(true));
  EXPECT_EQ(Eval("'k' in result", json{{"k", 1}}), json(true));
  EXPECT_EQ(Eval("'abc' contains 'b' and 'abc' startsWith 'a' and 'abc' endsWith 'c'"), json(true));
}

TEST(ExprTest, TernaryAndNilCoalescing) {
  EXPECT_EQ(Eval("len(result) > 0 ? result[0] : -1", json::array()), json(-1));
  EXPECT_EQ(Eval("true ? false ? 1 : 2 : 3"), json(2));
  EXPECT_EQ(Eval("result ?? 5", json()), json(5));
  EXPECT_EQ(Eval("result ?? 5", json(1)), json(1));
}

TEST(ExprTest, PredicateBuiltins) {
  json r = json::array({0.95, 0.99, 0.97});
  EXPECT_EQ(Eval("all(result, {# > 0.9})", r), json(true));
  EXPECT_EQ(Eval("all(result, # > 0.96)", r), json(false));
  EXPECT_EQ(Eval("any(result, {# > 0.98})", r), json(true));
  EXPECT_EQ(Eval("none(result, {# < 0.5})", r), json(true));
  EXPECT_EQ(Eval("one(result, {# > 0.98})", r), json(true));
  EXPECT_EQ(Eval("len(filter(result, {# > 0.96}))", r), json(2));
  EXPECT_EQ(Eval("map([1, 2], {# * 10})"), json::array({10, 20}));
  EXPECT_EQ(Eval("count(result, {# >= 0.97})", r), json(2));
  EXPECT_EQ(Eval("all([], {# > 1})"), json(true));
  EXPECT_EQ(Eval("any(map([[1], [2, 3]], {len(#)}), {# == 2})"), json(true));
}

TEST(ExprTest, NumericBuiltins) {
  EXPECT_EQ(Eval("abs(-3)"), json(3));
  EXPECT_DOUBLE_EQ(Eval("abs(-0.5)").get<double>(), 0.5);
  EXPECT_EQ(Eval("min(3, 1, 2)"), json(1));
  EXPECT_EQ(Eval("max(result)", json::array({1, 5, 2})), json(5));
  EXPECT_DOUBLE_EQ(Eval("float(2)").get<double>(), 2.0);
  EXPECT_EQ(Eval("int(2.9)"), json(2));
  EXPECT_EQ(Eval("int('12')"), json(12));
  EXPECT_EQ(Eval("asInt('7') + 1"), json(8));
  EXPECT_DOUBLE_EQ(Eval("asFloat('0.5')").get<double>(), 0.5);
  EXPECT_EQ(Eval("len('abc') + len({a: 1})"), json(4));
  EXPECT_EQ(Eval("isNil(result)", json()), json(true));
  EXPECT_EQ(Eval("default(result, 0.5) > 0.4", json()), json(true));
}

// Reference 1.12: NaN and +Inf pass through; NaN >= 0.95 is false.
TEST(ExprTest, NaNAndInf) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Eval("isNaN(result[0])", json::array({nan})), json(true));
  EXPECT_EQ(Eval("result[0] >= 0.95", json::array({nan})), json(false));
  EXPECT_EQ(Eval("isInf(result)", inf), json(true));
  EXPECT_EQ(Eval("isNaN(1)"), json(false));
}

// expr-lang's parse errors: "unexpected token ..." with the 1-based line:column of the token.
TEST(ExprTest, ParseErrorsNameTheTokenAndColumn) {
  EXPECT_EQ(ParseError("result > > 1"), "unexpected token Operator(\">\") (1:10)");
  EXPECT_EQ(ParseError("result >"), "unexpected token EOF (1:9)");
  EXPECT_EQ(ParseError("(1 + 2"), "unexpected token EOF (1:7)");
  EXPECT_EQ(ParseError(""), "unexpected token EOF (1:1)");
  EXPECT_EQ(ParseError("result[0] 1"), "unexpected token Number(\"1\") (1:11)");
  EXPECT_EQ(ParseError("'abc"), "literal not terminated (1:1)");
  EXPECT_EQ(ParseError("1 @ 2"), "unrecognized character: U+0040 '@' (1:3)");
  EXPECT_EQ(ParseError("foo > 1"), "unknown name foo (1:1)");
  EXPECT_EQ(ParseError("bogus(result)"), "unknown name bogus (1:1)");
  EXPECT_EQ(ParseError("len()"), "not enough arguments to call len (1:1)");
  EXPECT_EQ(ParseError("len(1, 2)"), "too many arguments to call len (1:1)");
  EXPECT_EQ(ParseError("# > 1"), "cannot use pointer accessor outside closure (1:1)");
  EXPECT_EQ(ParseError("1 +\n  * 2"), "unexpected token Operator(\"*\") (2:3)");
  EXPECT_EQ(ParseError("12abc"), "bad number syntax (1:3)");
}

// Reference 1.12 / issue #1466: result[0] on an empty vector is an error, not a crash.
TEST(ExprTest, RuntimeErrorsAreStatuses) {
  EXPECT_EQ(RuntimeError("result[0] >= 0.95", json::array()),
            "index out of range: 0 (array length is 0)");
  EXPECT_EQ(RuntimeError("result > 1", json::array({1})),
            "invalid operation: > (mismatched types []interface {} and int)");
  EXPECT_EQ(RuntimeError("result", json(1.5)), "expected bool, but got float64");
  EXPECT_EQ(RuntimeError("result % 2 == 0", json(1.5)),
            "invalid operation: % (mismatched types float64 and int)");
  EXPECT_EQ(RuntimeError("result % 0 == 0", json(1)), "integer divide by zero");
  EXPECT_EQ(RuntimeError("result.a", json::array()), "cannot fetch a from []interface {}");
  EXPECT_EQ(RuntimeError("result && true", json(1)),
            "invalid operation: && (mismatched types int and bool)");
  EXPECT_EQ(RuntimeError("len(result) > 0", json()), "invalid argument for len (type nil)");
  EXPECT_EQ(RuntimeError("asInt(result) > 0", json("x")),
            "strconv.ParseInt: parsing \"x\": invalid syntax");
  EXPECT_EQ(RuntimeError("all(result, {# > 0})", json(1)), "invalid argument for all (type int)");
  EXPECT_EQ(RuntimeError("result ? true : false", json(1)),
            "non-bool expression (type int) used as condition");
}

// Broken input never crashes: garbage, truncations and deep nesting give Status errors.
TEST(ExprTest, BrokenInputGivesErrorsNotCrashes) {
  const char* broken[] = {
      "(",           ")",        "[",        "]",         "{",     "}",
      "?",           ":",        "result[",  "result.",   "a ? b", "all(result, {# > 1)",
      "all(result)", "1 +",      "'\\x'",    "`",         "0x",    "1e",
      "not",         "!",        "result ?", "result in", "len(",  "{a 1}",
      "[1,,2]",      "result?.", "..",       "# ",        "1 2 3", "\"\\u12\"",
      "min()"};
  for (const char* text : broken) {
    EXPECT_FALSE(Expression::Parse(text).ok()) << text;
  }
  std::string deep(100000, '(');
  EXPECT_EQ(ParseError(deep + "1" + std::string(100000, ')')),
            "expression nests too deeply (1:201)");
  EXPECT_FALSE(Expression::Parse(std::string(100000, '!') + "true").ok());
  EXPECT_FALSE(Expression::Parse(std::string(100000, '-') + "1").ok());
  std::string ok_nested = std::string(50, '(') + "1" + std::string(50, ')');
  EXPECT_EQ(Eval(ok_nested), json(1));
}

TEST(ExprTest, ParseOnceEvaluateMany) {
  Result<Expression> e = Expression::Parse("result[0] < 0.05");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(*e->EvaluateCondition(json::array({0.01})));
  EXPECT_FALSE(*e->EvaluateCondition(json::array({0.2})));
  EXPECT_FALSE(e->EvaluateCondition(json::array()).ok());
  EXPECT_EQ(e->text(), "result[0] < 0.05");
}

TEST(ExprTest, CustomVariables) {
  Result<Expression> e = Expression::Parse("a + b", {"a", "b"});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e->Evaluate(json{{"a", 1}, {"b", 2}}), json(3));
  EXPECT_FALSE(Expression::Parse("a + result", {"a"}).ok());
}

}  // namespace
}  // namespace fleetsim::rollouts
