// The availability metrics over synthetic traces (DESIGN.md "Metrics"; README "How the model
// reads").
#include <gtest/gtest.h>

#include "sim/metrics/fleet_metrics.h"

namespace fleetsim {
namespace {

TraceRecord Record(int64_t seconds, const std::string& event, const std::string& object,
                   const std::string& detail) {
  TraceRecord r;
  r.t = SimTime::Zero() + SimDuration::Seconds(seconds);
  r.event = event;
  r.cluster = "prod-1";
  r.object = object;
  r.detail = detail;
  return r;
}

double Value(const MetricMap& m, const std::string& name) { return m.at(name).value.value_or(-1); }

TEST(FleetMetricsTest, ServiceOutageCountsAsDowntimeAndImpact) {
  FleetMetrics metrics({}, false);
  metrics.Observe(Record(0, "ServiceAvailable", "Service/default/web", "2 ready endpoint(s)"));
  metrics.Observe(Record(10, "FaultInjected", "", "bad-image"));
  metrics.Observe(Record(100, "ServiceUnavailable", "Service/default/web", "0 ready endpoint(s)"));
  metrics.Observe(Record(160, "ServiceAvailable", "Service/default/web", "1 ready endpoint(s)"));
  MetricMap m = metrics.Compute(SimTime::Zero() + SimDuration::Seconds(600), 0);
  EXPECT_EQ(Value(m, "downtime_seconds"), 60);
  EXPECT_EQ(Value(m, "clusters_affected"), 1);
  EXPECT_EQ(Value(m, "time_to_first_impact_seconds"), 90);
}

// A Rollout's previewService (blue-green) and canaryService (canary) are not how users reach the
// application (argo-rollouts: users reach activeService / stableService; traffic_model.h): their
// outages are neither downtime nor an impact.
TEST(FleetMetricsTest, PreviewAndCanaryServicesAreNotDowntime) {
  FleetMetrics metrics({}, false);
  metrics.Observe(Record(10, "FaultInjected", "", "bad-image"));
  metrics.Observe(
      Record(100, "ServiceUnavailable", "Service/default/checkout-preview",
             "0 ready endpoint(s); preview Service of Rollout checkout, not user-facing"));
  metrics.Observe(Record(120, "ServiceUnavailable", "Service/default/payments-canary",
                         "deleted; canary Service of Rollout payments, not user-facing"));
  metrics.Observe(
      Record(300, "ServiceAvailable", "Service/default/checkout-preview",
             "1 ready endpoint(s); preview Service of Rollout checkout, not user-facing"));
  MetricMap m = metrics.Compute(SimTime::Zero() + SimDuration::Seconds(3600), 0);
  EXPECT_EQ(Value(m, "downtime_seconds"), 0);
  EXPECT_EQ(Value(m, "clusters_affected"), 0);
  EXPECT_FALSE(m.at("time_to_first_impact_seconds").value.has_value());
}

}  // namespace
}  // namespace fleetsim
