// JUnit XML (DESIGN.md "Reports": one testcase per expectation, for CI). The structure checked is
// the common JUnit schema read by Jenkins, GitLab and GitHub reporters: testsuites > testsuite >
// testcase > failure, failure carrying message and type (tests/reports/data/junit.xsd).
#include "reports/junit_report.h"

#include <gtest/gtest.h>

#include "tests/support/mini_xml.h"

namespace fleetsim {
namespace {

using testing::MiniXml;
using testing::XmlElement;

RunReport SampleReport() {
  RunReport r;
  r.scenario = "demo";
  r.seed = 7;
  r.expectations.push_back({"apps_deleted", "max", 0.0, MetricValue::Int(3), false});
  r.expectations.push_back({"rto_seconds", "null", std::nullopt, MetricValue::Null(false), true});
  r.expectations.push_back({"downtime_seconds", "max", 600.0, MetricValue::Real(90.5), true});
  return r;
}

XmlElement Parse(const std::string& xml) {
  XmlElement root;
  MiniXml parser;
  EXPECT_TRUE(parser.Parse(xml, &root)) << parser.error() << "\n" << xml;
  return root;
}

TEST(JUnitReportTest, OneTestcasePerExpectationWithFailureDetails) {
  JUnitSuite suite{"demo", {}};
  AppendExpectationCases(SampleReport(), "", ReplayCommand("s.yaml", 7, {}), &suite);
  XmlElement root = Parse(RenderJUnitXml({suite}));
  EXPECT_EQ(root.name, "testsuites");
  EXPECT_EQ(root.attributes["tests"], "3");
  EXPECT_EQ(root.attributes["failures"], "1");
  auto suites = root.Children("testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0]->attributes.at("name"), "demo");
  EXPECT_EQ(suites[0]->attributes.at("tests"), "3");
  EXPECT_EQ(suites[0]->attributes.at("failures"), "1");
  auto cases = suites[0]->Children("testcase");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0]->attributes.at("name"), "apps_deleted max 0");
  EXPECT_EQ(cases[0]->attributes.at("classname"), "demo");
  EXPECT_EQ(cases[1]->attributes.at("name"), "rto_seconds null");
  EXPECT_EQ(cases[2]->attributes.at("name"), "downtime_seconds max 10m (600s)");
  auto failure = cases[0]->Children("failure");
  ASSERT_EQ(failure.size(), 1u);
  EXPECT_EQ(failure[0]->attributes.at("message"), "apps_deleted is 3, expected apps_deleted max 0");
  EXPECT_NE(failure[0]->text.find("expected: apps_deleted max 0\nactual: 3\n"), std::string::npos);
  EXPECT_NE(failure[0]->text.find("replay: fleetsim run s.yaml --seed 7"), std::string::npos);
  EXPECT_TRUE(cases[1]->Children("failure").empty());
}

TEST(JUnitReportTest, EscapesMarkupAndForbiddenCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(XmlEscape("x\x01y"), "x\xef\xbf\xbdy");    // XML 1.0 forbids U+0001
  EXPECT_EQ(XmlEscape("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 is kept
  EXPECT_EQ(XmlEscape("bad\xff"), "bad\xef\xbf\xbd");  // invalid UTF-8 is replaced
  EXPECT_EQ(XmlEscape("tab\tnl\n"), "tab\tnl\n");

  JUnitSuite suite{"demo [msg=<a & \"b\">]", {}};
  AppendExpectationCases(SampleReport(), "seed 7: ", "fleetsim run 'x y.yaml'", &suite);
  XmlElement root = Parse(RenderJUnitXml({suite}));
  EXPECT_EQ(root.Children("testsuite")[0]->attributes.at("name"), "demo [msg=<a & \"b\">]");
  EXPECT_EQ(root.Children("testsuite")[0]->Children("testcase")[0]->attributes.at("name"),
            "seed 7: apps_deleted max 0");
}

TEST(JUnitReportTest, SameInputSameBytes) {
  JUnitSuite suite{"demo", {}};
  AppendExpectationCases(SampleReport(), "", "r", &suite);
  EXPECT_EQ(RenderJUnitXml({suite}), RenderJUnitXml({suite}));
  EXPECT_EQ(RenderJUnitXml({suite}).find("time="), std::string::npos);  // no wall time
}

TEST(JUnitReportTest, NoExpectationsGivesAnEmptySuite) {
  XmlElement root = Parse(RenderJUnitXml({JUnitSuite{"quiet", {}}}));
  EXPECT_EQ(root.attributes["tests"], "0");
  EXPECT_EQ(root.Children("testsuite").size(), 1u);
}

TEST(JUnitReportTest, ReplayCommandQuotesForTheShell) {
  EXPECT_EQ(ReplayCommand("scenarios/a.yaml", 42, {"argocd.statusProcessors=20"}),
            "fleetsim run scenarios/a.yaml --seed 42 --set argocd.statusProcessors=20");
  EXPECT_EQ(ReplayCommand("my dir/a.yaml", 1, {"name=it's"}),
            "fleetsim run 'my dir/a.yaml' --seed 1 --set 'name=it'\\''s'");
}

TEST(MiniXmlTest, RejectsMalformedDocuments) {
  for (const char* bad : {"<a>", "<a></b>", "<a x=1/>", "<a>&nope;</a>", "<a>x<y</a>", "<a/><b/>",
                          "<a x='1' x='2'/>"}) {
    XmlElement root;
    MiniXml parser;
    EXPECT_FALSE(parser.Parse(bad, &root)) << bad;
  }
}

}  // namespace
}  // namespace fleetsim
