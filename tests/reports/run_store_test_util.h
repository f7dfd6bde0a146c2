// Runs to store in the run store and report tests, and fresh database paths.
#ifndef FLEETSIM_TESTS_REPORTS_RUN_STORE_TEST_UTIL_H_
#define FLEETSIM_TESTS_REPORTS_RUN_STORE_TEST_UTIL_H_

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/run_store.h"

namespace fleetsim {

// A path in the test's temporary directory with no database (nor WAL) at it yet.
inline std::string FreshPath(const std::string& name) {
  std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / ("fleetsim_store_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
  return path;
}

// One run of scenario "soak": a metric that grows with `downtime`, a null metric, one passing
// and one failing expectation, and a three-record timeline.
struct SampleRun {
  RunContext context;
  uint64_t seed = 0;
  MetricMap metrics;
  std::vector<ExpectationResult> expectations;
  std::vector<TraceRecord> timeline;
  std::string digest;

  RunReport report() const {
    RunReport r;
    r.scenario = "soak";
    r.seed = seed;
    r.fleetsim_version = "0.1.0";
    r.wall_seconds = 1.25;
    r.events_processed = 1234;
    r.metrics = metrics;
    r.expectations = expectations;
    r.timeline = timeline;
    r.trace_digest = digest;
    return r;
  }
  Result<int64_t> Append(RunStore* store) const { return store->Append(context, report()); }
};

inline SampleRun MakeSampleRun(uint64_t seed, double downtime) {
  SampleRun s;
  s.seed = seed;
  s.context.scenario_path = "scenarios/soak.yaml";
  s.context.parameters = {"fleet.clusters=20", "faults.0.for=10m"};
  s.metrics["downtime_seconds"] = MetricValue::Real(downtime);
  s.metrics["syncs"] = MetricValue::Int(40);
  s.metrics["time_to_first_impact_seconds"] = MetricValue::Null(false);
  s.expectations.push_back({"syncs", "min", 10.0, MetricValue::Int(40), true});
  s.expectations.push_back({"data_loss_pvcs", "null", std::nullopt, MetricValue::Int(1), false});
  for (uint64_t i = 0; i < 3; ++i) {
    TraceRecord r;
    r.t = SimTime::FromMicros(static_cast<int64_t>(i) * 1'500'000);
    r.seq = i * 2;
    r.event = "app-sync";
    r.cluster = "c" + std::to_string(i);
    r.app = "guestbook";
    r.object = "apps/Deployment/default/guestbook";
    r.detail = "revision " + std::to_string(seed);
    r.change = i != 1;
    s.timeline.push_back(r);
  }
  s.digest = "00000000000000" + std::to_string(seed % 100);
  return s;
}

}  // namespace fleetsim

#endif  // FLEETSIM_TESTS_REPORTS_RUN_STORE_TEST_UTIL_H_
