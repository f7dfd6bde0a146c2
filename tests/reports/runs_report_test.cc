// `fleetsim report`'s aggregates and merge (issue 7: per parameter combination each metric's min,
// p50, p90, p99, max and mean over seeds, expectation pass rates, the worst seeds; four shards
// merged equal one unsharded store). Percentiles are nearest-rank (DESIGN.md "Metrics").
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "reports/run_aggregate.h"
#include "reports/run_merge.h"
#include "reports/runs_report.h"
#include "tests/reports/run_store_test_util.h"

namespace fleetsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<double> Sorted(int n) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

TEST(NearestRankTest, MatchesTheDefinition) {
  // Rank ceil(p/100 * n): for 1..10, p50 is the 5th value, p90 the 9th, p99 the 10th.
  EXPECT_EQ(NearestRankPercentile(Sorted(10), 50), 5);
  EXPECT_EQ(NearestRankPercentile(Sorted(10), 90), 9);
  EXPECT_EQ(NearestRankPercentile(Sorted(10), 99), 10);
  // For 1..100 the p-th percentile is p exactly (no rounding of p/100 moves the rank).
  for (int p : {1, 50, 90, 99, 100}) EXPECT_EQ(NearestRankPercentile(Sorted(100), p), p);
  EXPECT_EQ(NearestRankPercentile(Sorted(1), 1), 1);
  EXPECT_EQ(NearestRankPercentile(Sorted(3), 50), 2);
}

// Runs of "soak" in two parameter combinations: the first with downtime 1..10 (seed = downtime),
// seed 4's data_loss expectation passing, one run whose first-impact time has a value, and one
// error run; the second a single run.
struct Fixture {
  std::vector<StoredRun> runs;

  Fixture() {
    for (uint64_t seed = 1; seed <= 10; ++seed) {
      SampleRun sample = MakeSampleRun(seed, static_cast<double>(seed));
      if (seed == 4) sample.expectations[1].passed = true;
      if (seed == 7) sample.metrics["time_to_first_impact_seconds"] = MetricValue::Real(30);
      runs.push_back(ToStored(sample, static_cast<int64_t>(seed)));
    }
    StoredRun error;
    error.id = 11;
    error.scenario = "soak";
    error.seed = 99;
    error.status = "error";
    error.context.scenario_path = "scenarios/soak.yaml";
    error.context.parameters = {"fleet.clusters=20", "faults.0.for=10m"};
    error.context.error = "cannot build the fleet";
    runs.push_back(error);
    SampleRun other = MakeSampleRun(5, 500);
    other.context.parameters = {"fleet.clusters=40"};
    runs.push_back(ToStored(other, 12));
  }

  static StoredRun ToStored(const SampleRun& sample, int64_t id) {
    StoredRun run;
    run.id = id;
    run.scenario = "soak";
    run.context = sample.context;
    run.seed = sample.seed;
    bool passed = std::all_of(sample.expectations.begin(), sample.expectations.end(),
                              [](const ExpectationResult& e) { return e.passed; });
    run.status = passed ? "passed" : "failed";
    run.fleetsim_version = "0.1.0";
    run.trace_digest = sample.digest;
    run.metrics = sample.metrics;
    run.expectations = sample.expectations;
    return run;
  }

  std::vector<SourcedRun> Sourced() const {
    std::vector<SourcedRun> out;
    for (const StoredRun& r : runs) out.push_back({&r, "a.db"});
    return out;
  }
};

TEST(AggregateRunsTest, GroupsByScenarioAndParametersWithStatisticsOverSeeds) {
  Fixture f;
  RunsReport report = AggregateRuns(f.Sourced(), {});
  EXPECT_EQ(report.runs, 12u);
  EXPECT_EQ(report.errors, 1u);
  ASSERT_EQ(report.groups.size(), 2u);
  // Groups sorted by parameters: "fleet.clusters=20" comes before "fleet.clusters=40".
  const RunGroup& g = report.groups[0];
  EXPECT_THAT(g.parameters, ElementsAre("fleet.clusters=20", "faults.0.for=10m"));
  EXPECT_EQ(g.runs, 11u);
  EXPECT_EQ(g.passed, 1u);
  EXPECT_EQ(g.failed, 9u);
  EXPECT_EQ(g.errors, 1u);

  const MetricStats& downtime = g.metrics.at("downtime_seconds");
  EXPECT_EQ(downtime.values, 10u);
  EXPECT_EQ(downtime.nulls, 0u);
  EXPECT_EQ(downtime.min, 1);
  EXPECT_EQ(downtime.p50, 5);
  EXPECT_EQ(downtime.p90, 9);
  EXPECT_EQ(downtime.p99, 10);
  EXPECT_EQ(downtime.max, 10);
  EXPECT_EQ(downtime.mean, 5.5);

  const MetricStats& impact = g.metrics.at("time_to_first_impact_seconds");
  EXPECT_EQ(impact.values, 1u);
  EXPECT_EQ(impact.nulls, 9u);
  EXPECT_EQ(impact.p99, 30);

  ASSERT_EQ(g.expectations.size(), 2u);
  EXPECT_EQ(g.expectations[0].metric, "data_loss_pvcs");  // sorted by metric
  EXPECT_EQ(g.expectations[0].passed, 1u);
  EXPECT_EQ(g.expectations[0].total, 10u);
  EXPECT_EQ(g.expectations[1].metric, "syncs");
  EXPECT_EQ(g.expectations[1].passed, 10u);
}

TEST(AggregateRunsTest, WorstRunsAreErrorsThenFailedExpectationsThenDowntime) {
  Fixture f;
  RunsReport report = AggregateRuns(f.Sourced(), {.worst = 4});
  const RunGroup& g = report.groups[0];
  ASSERT_EQ(g.worst.size(), 4u);
  EXPECT_EQ(g.worst[0].run->seed, 99u);  // the error
  // Then one failed expectation each, the largest downtime first; seed 4 passed, so it is last.
  EXPECT_EQ(g.worst[1].run->seed, 10u);
  EXPECT_EQ(g.worst[2].run->seed, 9u);
  EXPECT_EQ(g.worst[3].run->seed, 8u);
  EXPECT_THAT(g.worst[1].failed_expectations, ElementsAre("data_loss_pvcs null"));
  EXPECT_EQ(g.worst[1].replay,
            "fleetsim run scenarios/soak.yaml --seed 10 --set fleet.clusters=20 --set "
            "faults.0.for=10m");
}

TEST(AggregateRunsTest, ReplayCommandQuotesForTheShell) {
  StoredRun run;
  run.seed = 3;
  run.context.scenario_path = "my scenarios/a.yaml";
  run.context.parameters = {"expect.x.max=it's"};
  EXPECT_EQ(ReplayCommand(run),
            "fleetsim run 'my scenarios/a.yaml' --seed 3 --set 'expect.x.max=it'\\''s'");
}

TEST(AggregateRunsTest, ResultDoesNotDependOnInputOrder) {
  Fixture f;
  std::vector<SourcedRun> forward = f.Sourced();
  std::vector<SourcedRun> backward(forward.rbegin(), forward.rend());
  EXPECT_EQ(RenderRunsReportJson(AggregateRuns(forward, {})),
            RenderRunsReportJson(AggregateRuns(backward, {})));
}

TEST(RunsReportTest, JsonHasTheDocumentedShape) {
  Fixture f;
  Json doc = Json::parse(RenderRunsReportJson(AggregateRuns(f.Sourced(), {})));
  EXPECT_EQ(doc["runs"], 12);
  const Json& g = doc["groups"][0];
  EXPECT_EQ(g["metrics"]["downtime_seconds"]["p90"], 9);
  EXPECT_EQ(g["metrics"]["downtime_seconds"]["mean"], 5.5);
  EXPECT_EQ(g["metrics"]["time_to_first_impact_seconds"]["nulls"], 9);
  EXPECT_EQ(g["expectations"][0]["pass_rate"], 0.1);
  EXPECT_EQ(g["worst"][0]["status"], "error");
  EXPECT_EQ(g["worst"][1]["seed"], 10);
  EXPECT_TRUE(g["worst"][1]["run_index"].is_null());
}

TEST(RunsReportTest, TableHasColoursOnlyWhenAsked) {
  Fixture f;
  RunsReport report = AggregateRuns(f.Sourced(), {});
  std::string plain = RenderRunsReportTable(report, {.color = false, .show_ids = true});
  EXPECT_THAT(plain, Not(HasSubstr("\033[")));
  EXPECT_THAT(plain, HasSubstr("11 runs: 1 passed, 9 failed, 1 error"));
  EXPECT_THAT(plain, HasSubstr("[a.db run 10]"));
  EXPECT_THAT(plain, HasSubstr("fleetsim run scenarios/soak.yaml --seed 10"));
  EXPECT_THAT(RenderRunsReportTable(report, {.color = true}), HasSubstr("\033["));
}

TEST(RunsReportTest, StoredRunShowsMetricsExpectationsAndTimeline) {
  SampleRun sample = MakeSampleRun(4, 12);
  StoredRun run = Fixture::ToStored(sample, 3);
  run.timeline = sample.timeline;
  std::string text = RenderStoredRun(run, false);
  EXPECT_THAT(text, HasSubstr("run 3  soak  seed 4  status failed"));
  EXPECT_THAT(text, HasSubstr("downtime_seconds"));
  EXPECT_THAT(text, HasSubstr("FAIL  data_loss_pvcs null"));
  EXPECT_THAT(text, HasSubstr("timeline (3 records)"));
  EXPECT_THAT(text, HasSubstr("1.5  c1"));
}

// --- merge ---------------------------------------------------------------------------------

std::unique_ptr<RunStore> OpenWritable(const std::string& path) {
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
  EXPECT_NE(store, nullptr) << error.status.message();
  return store;
}

// A sweep of 20 runs (run k: seed 100 + k) across two parameter values.
SampleRun SweepRun(uint64_t k) {
  SampleRun s = MakeSampleRun(100 + k, static_cast<double>((k * 37) % 11));
  s.context.parameters = {k % 2 == 0 ? "fleet.clusters=20" : "fleet.clusters=40"};
  s.context.sweep_id = "soak-sweep";
  s.context.run_index = k;
  return s;
}

// Every row of every table, in a canonical order, without the run ids.
std::vector<std::string> Rows(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::vector<std::string> rows;
  const char* queries[] = {
      "SELECT scenario, scenario_path, seed, status, error, wall_seconds, fleetsim_version, "
      "trace_digest, events_processed, sweep_id, run_index FROM runs",
      "SELECT r.run_index, p.position, p.path, p.value FROM parameters p JOIN runs r ON r.id = "
      "p.run_id",
      "SELECT r.run_index, m.name, m.value, m.is_integer FROM metrics m JOIN runs r ON r.id = "
      "m.run_id",
      "SELECT r.run_index, e.position, e.metric, e.op, e.value, e.actual, e.passed FROM "
      "expectations e JOIN runs r ON r.id = e.run_id",
      "SELECT r.run_index, t.seq, t.t_us, t.cluster, t.app, t.object, t.event, t.detail, "
      "t.change FROM timeline t JOIN runs r ON r.id = t.run_id"};
  for (const char* sql : queries) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += (text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
        row += "|";
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  std::sort(rows.begin(), rows.end());
  return rows;
}

Result<CombinedRuns> Combine(const std::vector<std::string>& paths,
                             std::vector<std::unique_ptr<RunStore>>* stores,
                             std::vector<RunSource>* sources) {
  for (const std::string& path : paths) {
    StoreError error;
    stores->push_back(RunStore::Open(path, RunStore::Mode::kReadOnly, &error));
    EXPECT_NE(stores->back(), nullptr) << error.status.message();
    Result<std::vector<StoredRun>> runs = stores->back()->ReadRuns();
    EXPECT_TRUE(runs.ok());
    sources->push_back({stores->back().get(), std::move(*runs)});
  }
  return CombineRuns(*sources);
}

std::string ReportJson(const std::vector<std::string>& paths) {
  std::vector<std::unique_ptr<RunStore>> stores;
  std::vector<RunSource> sources;
  Result<CombinedRuns> combined = Combine(paths, &stores, &sources);
  EXPECT_TRUE(combined.ok()) << combined.error();
  return RenderRunsReportJson(AggregateRuns(combined->runs, {}));
}

TEST(MergeTest, FourShardsMergedEqualOneUnshardedStore) {
  // The unsharded store gets the runs in a scrambled completion order; shard i holds k % 4 == i.
  std::string whole = FreshPath("whole.db");
  std::vector<std::string> shards;
  {
    auto all = OpenWritable(whole);
    for (uint64_t k : {7, 3, 19, 0, 12, 5, 16, 1, 9, 14, 2, 18, 11, 6, 4, 17, 8, 13, 10, 15}) {
      ASSERT_TRUE(SweepRun(k).Append(all.get()).ok());
    }
    for (int i = 0; i < 4; ++i) {
      shards.push_back(FreshPath("shard" + std::to_string(i) + ".db"));
      auto shard = OpenWritable(shards.back());
      for (uint64_t k = static_cast<uint64_t>(i); k < 20; k += 4) {
        ASSERT_TRUE(SweepRun(k).Append(shard.get()).ok());
      }
    }
  }
  std::string merged = FreshPath("merged.db");
  {
    std::vector<std::unique_ptr<RunStore>> stores;
    std::vector<RunSource> sources;
    // Shards in reverse order, so nothing depends on the order they are named in.
    Result<CombinedRuns> combined =
        Combine({shards[3], shards[1], shards[0], shards[2]}, &stores, &sources);
    ASSERT_TRUE(combined.ok()) << combined.error();
    StoreError error;
    ASSERT_TRUE(MergeRuns(*combined, merged, &error)) << error.status.message();
  }
  StoreError error;
  ASSERT_TRUE(FinishMerge(merged, &error)) << error.status.message();
  EXPECT_EQ(Rows(merged).size(), Rows(whole).size());
  EXPECT_EQ(Rows(merged), Rows(whole));
  EXPECT_EQ(ReportJson({merged}), ReportJson({whole}));
  EXPECT_EQ(ReportJson(shards), ReportJson({whole}));
  EXPECT_FALSE(std::filesystem::exists(merged + ".fleetsim-partial"));
}

TEST(MergeTest, ARunStoredTwiceCountsOnceAndAConflictIsRefused) {
  std::string a = FreshPath("dup-a.db");
  std::string b = FreshPath("dup-b.db");
  std::string c = FreshPath("dup-c.db");
  {
    auto sa = OpenWritable(a);
    auto sb = OpenWritable(b);
    auto sc = OpenWritable(c);
    for (uint64_t k = 0; k < 3; ++k) ASSERT_TRUE(SweepRun(k).Append(sa.get()).ok());
    for (uint64_t k = 2; k < 5; ++k) ASSERT_TRUE(SweepRun(k).Append(sb.get()).ok());
    SampleRun changed = SweepRun(1);
    changed.digest = "ffffffffffffffff";  // the same sweep run with another trace
    ASSERT_TRUE(changed.Append(sc.get()).ok());
  }
  {
    std::vector<std::unique_ptr<RunStore>> stores;
    std::vector<RunSource> sources;
    Result<CombinedRuns> combined = Combine({a, b, a}, &stores, &sources);
    ASSERT_TRUE(combined.ok());
    EXPECT_EQ(combined->runs.size(), 5u);
    EXPECT_EQ(combined->duplicates, 4u);
  }
  std::vector<std::unique_ptr<RunStore>> stores;
  std::vector<RunSource> sources;
  Result<CombinedRuns> conflict = Combine({a, c}, &stores, &sources);
  ASSERT_FALSE(conflict.ok());
  EXPECT_THAT(conflict.error(), HasSubstr("conflicting runs"));
  EXPECT_THAT(conflict.error(), HasSubstr("sweep soak-sweep run 1"));
  EXPECT_THAT(conflict.error(), HasSubstr("trace digest"));
}

}  // namespace
}  // namespace fleetsim
