#include "reports/json_report.h"

#include <gtest/gtest.h>
#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

RunReport SampleReport(const std::vector<TraceRecord>& timeline) {
  RunReport r;
  r.scenario = "demo";
  r.seed = 7;
  r.fleetsim_version = "0.1.0";
  r.wall_seconds = 0.5;
  r.events_processed = 100;
  r.metrics["apps_deleted"] = MetricValue::Int(3);
  r.metrics["downtime_seconds"] = MetricValue::Real(12.5);
  r.metrics["rto_seconds"] = MetricValue::Null(false);
  r.expectations.push_back({"apps_deleted", "max", 0.0, MetricValue::Int(3), false});
  r.expectations.push_back({"rto_seconds", "null", std::nullopt, MetricValue::Null(false), true});
  r.timeline = timeline;
  return r;
}

TEST(JsonReportTest, KeysAreSortedAtEveryLevel) {
  std::string text = RenderJsonReport(SampleReport({}));
  EXPECT_LT(text.find("\"expectations\""), text.find("\"fleetsim_version\""));
  EXPECT_LT(text.find("\"fleetsim_version\""), text.find("\"metrics\""));
  EXPECT_LT(text.find("\"metrics\""), text.find("\"run\""));
  EXPECT_LT(text.find("\"run\""), text.find("\"scenario\""));
  EXPECT_LT(text.find("\"scenario\""), text.find("\"seed\""));
  EXPECT_LT(text.find("\"seed\""), text.find("\"timeline\""));
}

TEST(JsonReportTest, IntegersRealsAndNulls) {
  Json doc = Json::parse(RenderJsonReport(SampleReport({})));
  EXPECT_TRUE(doc["metrics"]["apps_deleted"].is_number_integer());
  EXPECT_EQ(doc["metrics"]["downtime_seconds"], 12.5);
  EXPECT_TRUE(doc["metrics"]["rto_seconds"].is_null());
  EXPECT_TRUE(doc["expectations"][0]["value"].is_number_integer());
  EXPECT_TRUE(doc["expectations"][1]["value"].is_null());
  EXPECT_EQ(doc["expectations"][0]["passed"], false);
}

TEST(JsonReportTest, TimelineTimesAreSecondsWithUpToSixDecimals) {
  std::vector<TraceRecord> timeline = {
      {.t = SimTime::FromMicros(30'000'000), .event = "CommitPushed", .object = "apps"},
      {.t = SimTime::FromMicros(30'000'001), .event = "FaultInjected", .cluster = "prod-1"}};
  std::string text = RenderJsonReport(SampleReport(timeline));
  EXPECT_NE(text.find("\"t\": 30\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"t\": 30.000001"), std::string::npos) << text;
}

TEST(JsonReportTest, SameReportSameBytes) {
  EXPECT_EQ(RenderJsonReport(SampleReport({})), RenderJsonReport(SampleReport({})));
}

}  // namespace
}  // namespace fleetsim
