// `fleetsim sweep` without a process (DESIGN.md "Sweeps and scale-out"): the runs a sweep writes,
// whatever the sharding and the number of jobs; stopping; broken input; JUnit per combination.
#include <unistd.h>

#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/random.h"
#include "sim/cli/commands.h"
#include "sim/cli/sweep_progress.h"
#include "sim/cli/sweep_runner.h"
#include "tests/support/mini_xml.h"

namespace fleetsim {
namespace {

const std::string kScenario = std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/drift-selfheal.yaml";

// What a store keeps of a run, minus the wall time.
struct Row {
  uint64_t number;
  uint64_t seed;
  size_t combination;
  std::string digest;
  std::string metrics;
  size_t timeline = 0;  // records
  bool operator==(const Row&) const = default;
  bool operator<(const Row& o) const { return number < o.number; }
};

class RecordingSink final : public RunSink {
 public:
  Status Write(const SweepRun& run, const RunReport& report) override {
    if (fail_after_ && rows_.size() == *fail_after_) return Status::Error("disk full");
    Json metrics = Json::object();
    for (const auto& [name, value] : report.metrics) {
      metrics[name] = value.value ? Json(*value.value) : Json(nullptr);
    }
    EXPECT_EQ(report.seed, run.seed);
    rows_.push_back({run.number, run.seed, run.combination, report.trace_digest, metrics.dump(),
                     report.timeline.size()});
    return Status::Ok();
  }
  std::vector<Row> Sorted() const {
    std::vector<Row> out = rows_;
    std::sort(out.begin(), out.end());
    return out;
  }
  std::optional<size_t> fail_after_;

 private:
  std::vector<Row> rows_;
};

SweepOptions Options(RunSink* sink) {
  SweepOptions o;
  o.scenario = kScenario;
  o.db_path = "unused.db";
  o.sink = sink;
  return o;
}

int Sweep(const SweepOptions& o, std::string* err_text = nullptr) {
  std::ostringstream out, err;
  int code = SweepCommand(o, out, err);
  if (err_text != nullptr) *err_text = err.str();
  return code;
}

TEST(SweepTest, FourShardsWriteTheRowsOfOneSweep) {
  RecordingSink whole;
  SweepOptions o = Options(&whole);
  o.seeds = "1..3";
  o.sets = {"argocd.statusProcessors=10,20"};
  o.jobs = 2;
  ASSERT_EQ(Sweep(o), kExitOk);
  ASSERT_EQ(whole.Sorted().size(), 6u);

  RecordingSink sharded;
  for (int i = 0; i < 4; ++i) {
    SweepOptions s = Options(&sharded);
    s.seeds = "1..3";
    s.sets = {"argocd.statusProcessors=10,20"};
    s.shard = std::to_string(i) + "/4";
    ASSERT_EQ(Sweep(s), kExitOk);
  }
  EXPECT_EQ(sharded.Sorted(), whole.Sorted());
  // Seed-major numbering: run r has seed index r / 2 and combination r % 2.
  EXPECT_EQ(whole.Sorted()[3].seed, 2u);
  EXPECT_EQ(whole.Sorted()[3].combination, 1u);
}

TEST(SweepTest, RunsTakeDerivedSeedsFromTheBase) {
  RecordingSink sink;
  SweepOptions o = Options(&sink);
  o.runs = 2;
  o.seed = 9;
  ASSERT_EQ(Sweep(o), kExitOk);
  ASSERT_EQ(sink.Sorted().size(), 2u);
  EXPECT_EQ(sink.Sorted()[0].seed, DeriveSeed(9, 0));
  EXPECT_EQ(sink.Sorted()[1].seed, DeriveSeed(9, 1));

  RecordingSink from_scenario;
  SweepOptions d = Options(&from_scenario);
  d.runs = 1;
  ASSERT_EQ(Sweep(d), kExitOk);
  EXPECT_EQ(from_scenario.Sorted()[0].seed, DeriveSeed(5, 0));  // drift-selfheal has seed: 5
}

// --timeline chooses what the store keeps (none, the changes, every record); the run is the same.
TEST(SweepTest, TimelineVolumeChangesOnlyTheStoredTimeline) {
  std::map<std::string, Row> by_volume;
  for (const std::string volume : {"none", "changes", "full"}) {
    RecordingSink sink;
    SweepOptions o = Options(&sink);
    o.seeds = "3..3";
    o.timeline = volume;
    ASSERT_EQ(Sweep(o), kExitOk);
    ASSERT_EQ(sink.Sorted().size(), 1u);
    by_volume[volume] = sink.Sorted()[0];
  }
  EXPECT_EQ(by_volume["none"].timeline, 0u);
  EXPECT_GT(by_volume["changes"].timeline, 0u);
  EXPECT_GT(by_volume["full"].timeline, by_volume["changes"].timeline);
  for (const std::string volume : {"none", "full"}) {
    EXPECT_EQ(by_volume[volume].digest, by_volume["changes"].digest) << volume;
    EXPECT_EQ(by_volume[volume].metrics, by_volume["changes"].metrics) << volume;
  }
}

TEST(SweepTest, ShardFromTheEnvironment) {
  RecordingSink sink;
  SweepOptions o = Options(&sink);
  o.seeds = "1..4";
  o.shard_total = 2;
  o.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "JOB_COMPLETION_INDEX") return "1";
    return std::nullopt;
  };
  ASSERT_EQ(Sweep(o), kExitOk);
  std::vector<Row> rows = sink.Sorted();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].seed, 2u);
  EXPECT_EQ(rows[1].seed, 4u);
}

TEST(SweepTest, FailedExpectationExitsOne) {
  RecordingSink sink;
  SweepOptions o = Options(&sink);
  o.seeds = "1..2";
  o.sets = {"expect.syncs.eq=3,4"};  // a drift-selfheal run makes 3 syncs
  EXPECT_EQ(Sweep(o), kExitExpectationFailed);
  EXPECT_EQ(sink.Sorted().size(), 4u);
}

TEST(SweepTest, StopStartsNoNewRunAndExitsWithTheSignal) {
  RecordingSink sink;
  std::atomic<bool> stop{true};
  std::atomic<int> signal{2};
  SweepOptions o = Options(&sink);
  o.seeds = "1..5";
  o.stop = &stop;
  o.stop_signal = &signal;
  EXPECT_EQ(Sweep(o), 130);
  EXPECT_TRUE(sink.Sorted().empty());
}

TEST(SweepTest, SinkFailureStopsTheSweep) {
  RecordingSink sink;
  sink.fail_after_ = 1;
  SweepOptions o = Options(&sink);
  o.seeds = "1..6";
  o.jobs = 1;
  std::string err;
  EXPECT_EQ(Sweep(o, &err), kExitInternal);
  EXPECT_EQ(sink.Sorted().size(), 1u);
  EXPECT_NE(err.find("disk full"), std::string::npos);
}

TEST(SweepTest, BrokenInputExitsTwoBeforeAnyRun) {
  struct Case {
    std::function<void(SweepOptions*)> set;
    std::string message;
  };
  std::vector<Case> cases = {
      {[](SweepOptions* o) { o->seeds = "9..1"; }, "--seeds 9..1: A must not be greater than B"},
      {[](SweepOptions* o) { o->runs = 0; }, "--runs 0: expected at least 1 run"},
      {[](SweepOptions*) {}, "give the seeds: --seeds A..B or --runs K [--seed S]"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->runs = 2;
       },
       "--seeds and --runs exclude"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->seed = 2;
       },
       "--seed sets the base of --runs"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->shard = "2/2";
       },
       "--shard 2/2: I must be"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->sets = {"nokey"};
       },
       "--set nokey: expected"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->sets = {"argocd.statusProcessors=10,abc"};
       },
       "--set:1:25: "},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->sets = {"argocd.statusProcessors=10,abc"};
       },
       "(in the parameter combination --set argocd.statusProcessors=abc)"},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->sets = {"nosuchfield=1"};
       },
       "--set:1:1: "},
      {[](SweepOptions* o) {
         o->seeds = "1..2";
         o->scenario = "/nonexistent.yaml";
       },
       "/nonexistent.yaml: cannot read file"},
  };
  for (const Case& c : cases) {
    RecordingSink sink;
    SweepOptions o = Options(&sink);
    c.set(&o);
    std::string err;
    EXPECT_EQ(Sweep(o, &err), kExitBadInput) << c.message;
    EXPECT_NE(err.find(c.message), std::string::npos) << err;
    EXPECT_TRUE(sink.Sorted().empty());
  }
}

TEST(SweepTest, JUnitHasASuitePerCombinationAndACasePerExpectationAndSeed) {
  std::string dir = ::testing::TempDir() + "fleetsim_sweep_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  RecordingSink sink;
  SweepOptions o = Options(&sink);
  o.seeds = "1..3";
  o.sets = {"expect.syncs.eq=3,4"};
  o.jobs = 2;
  o.junit_path = dir + "/junit.xml";
  ASSERT_EQ(Sweep(o), kExitExpectationFailed);
  std::ifstream in(o.junit_path);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  testing::XmlElement root;
  testing::MiniXml parser;
  ASSERT_TRUE(parser.Parse(xml, &root)) << parser.error();
  auto suites = root.Children("testsuite");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[0]->attributes.at("name"), "drift-selfheal [expect.syncs.eq=3]");
  EXPECT_EQ(suites[1]->attributes.at("name"), "drift-selfheal [expect.syncs.eq=4]");
  for (const testing::XmlElement* suite : suites) {
    EXPECT_EQ(suite->Children("testcase").size(), 3u * 4u);  // 3 seeds x 4 expectations
  }
  EXPECT_EQ(suites[0]->attributes.at("failures"), "0");
  EXPECT_EQ(suites[1]->attributes.at("failures"), "3");
  const testing::XmlElement* syncs = suites[1]->Children("testcase")[1];
  EXPECT_EQ(syncs->attributes.at("name"), "seed 1: syncs eq 4");
  auto failed = syncs->Children("failure");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]->attributes.at("message"), "syncs is 3, expected syncs eq 4");
  EXPECT_NE(failed[0]->text.find("replay: fleetsim run " + kScenario +
                                 " --seed 1 --set expect.syncs.eq=4"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(RunJUnitTest, OneSuiteNamedAfterTheScenarioWithACasePerExpectation) {
  std::string dir = ::testing::TempDir() + "fleetsim_run_junit_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  RunOptions o;
  o.scenario = kScenario;
  o.quiet = true;
  o.junit_path = dir + "/run.xml";
  std::ostringstream out, err;
  ASSERT_EQ(RunCommand(o, out, err), kExitOk) << err.str();
  std::ifstream in(o.junit_path);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  testing::XmlElement root;
  testing::MiniXml parser;
  ASSERT_TRUE(parser.Parse(xml, &root)) << parser.error();
  auto suites = root.Children("testsuite");
  ASSERT_EQ(suites.size(), 1u);
  EXPECT_EQ(suites[0]->attributes.at("name"), "drift-selfheal");
  EXPECT_EQ(suites[0]->Children("testcase").size(), 4u);  // drift-selfheal's expect: has 4
  EXPECT_EQ(root.attributes.at("failures"), "0");

  RunOptions both = o;
  both.json_path = "-";
  both.junit_path = "-";
  EXPECT_EQ(RunCommand(both, out, err), kExitBadInput);
  std::filesystem::remove_all(dir);
}

TEST(SweepProgressTest, BarAndLine) {
  SweepProgress p{120, 1000, 10.0};
  EXPECT_EQ(ProgressBar(p, 10), "\r[#---------] 120/1000 runs  12.0 runs/s  ETA 1m14s\033[K");
  EXPECT_EQ(ProgressLine(p), "sweep: 120/1000 runs (12%), 12.0 runs/s, ETA 1m14s\n");
  EXPECT_EQ(ProgressLine({0, 10, 1.0}), "sweep: 0/10 runs (0%), 0.0 runs/s, ETA ?\n");
  EXPECT_EQ(ProgressLine({10, 10, 2.0}), "sweep: 10/10 runs (100%), 5.0 runs/s, ETA 0s\n");
  EXPECT_EQ(ProgressLine({1, 7201, 1.0}), "sweep: 1/7201 runs (0%), 1.0 runs/s, ETA 2h00m\n");
}

}  // namespace
}  // namespace fleetsim
