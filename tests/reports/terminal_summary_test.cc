#include "reports/terminal_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunReport Sample() {
  RunReport r;
  r.scenario = "demo";
  r.seed = 3;
  r.metrics["apps_deleted"] = MetricValue::Int(2);
  r.metrics["downtime_seconds"] = MetricValue::Real(90);
  r.expectations.push_back({"apps_deleted", "max", 0.0, MetricValue::Int(2), false});
  return r;
}

TEST(TerminalSummaryTest, NoColourCodesWithoutATerminal) {
  std::string text = RenderTerminalSummary(Sample(), {.color = false, .sim_duration = "2h"});
  EXPECT_THAT(text, Not(HasSubstr("\033[")));
  EXPECT_THAT(text, HasSubstr("FAIL"));
  EXPECT_THAT(text, HasSubstr("0 passed, 1 failed"));
}

TEST(TerminalSummaryTest, ColourCodesOnATerminal) {
  std::string text = RenderTerminalSummary(Sample(), {.color = true, .sim_duration = "2h"});
  EXPECT_THAT(text, HasSubstr("\033[31m"));
}

TEST(TerminalSummaryTest, SecondsMetricsReadAsDurations) {
  EXPECT_EQ(FormatMetricValue("downtime_seconds", MetricValue::Real(90)), "1m30s (90s)");
  EXPECT_EQ(FormatMetricValue("downtime_seconds", MetricValue::Real(12.5)), "12.5");
  EXPECT_EQ(FormatMetricValue("apps_deleted", MetricValue::Null()), "null");
}

}  // namespace
}  // namespace fleetsim
