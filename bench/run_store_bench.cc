// The run store and `fleetsim report` at sweep scale.
//
// BM_RunStoreAppend: one run (40 metrics, 5 expectations, `timeline` records) appended per
// iteration in its own transaction, as `run --db` and `sweep --db` do; with synchronous=FULL each
// commit waits for the disk, so the figure depends on the filesystem the temporary file is on.
// BM_ReportAggregate: the aggregates of `fleetsim report` over `runs` stored runs in 4 parameter
// combinations (reading excluded).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "reports/run_aggregate.h"
#include "reports/run_store.h"

namespace fleetsim {
namespace {

MetricMap Metrics(uint64_t seed) {
  MetricMap metrics;
  for (int i = 0; i < 40; ++i) {
    metrics["metric_" + std::to_string(i)] =
        MetricValue::Real(static_cast<double>((seed * 7919 + static_cast<uint64_t>(i)) % 1000));
  }
  return metrics;
}

std::vector<ExpectationResult> Expectations(uint64_t seed) {
  std::vector<ExpectationResult> out;
  for (int i = 0; i < 5; ++i) {
    out.push_back({"metric_" + std::to_string(i), "max", 900.0, MetricValue::Int(1),
                   (seed + static_cast<uint64_t>(i)) % 17 != 0});
  }
  return out;
}

void BM_RunStoreAppend(benchmark::State& state) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("fleetsim_bench_" + std::to_string(getpid()) + ".db"))
                         .string();
  std::vector<TraceRecord> timeline(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < timeline.size(); ++i) {
    timeline[i] = {SimTime::FromMicros(static_cast<int64_t>(i) * 1000),
                   i,
                   "app-sync",
                   "cluster-07",
                   "guestbook",
                   "apps/Deployment/default/guestbook",
                   "revision 3f2a9c1",
                   true};
  }
  StoreError error;
  auto store = RunStore::Open(path, RunStore::Mode::kReadWrite, &error);
  if (store == nullptr) {
    state.SkipWithError(error.status.message().c_str());
    return;
  }
  RunContext context{"scenarios/soak.yaml", {"fleet.clusters=20"}, "", "bench", 0};
  uint64_t seed = 0;
  for (auto _ : state) {
    RunReport report{"soak",
                     ++seed,
                     "0.1.0",
                     1.0,
                     1000,
                     Metrics(seed),
                     Expectations(seed),
                     timeline,
                     "0123456789abcdef"};
    context.run_index = seed;
    if (!store->Append(context, report).ok()) state.SkipWithError("append failed");
  }
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
BENCHMARK(BM_RunStoreAppend)->Arg(0)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReportAggregate(benchmark::State& state) {
  std::vector<StoredRun> runs(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].id = static_cast<int64_t>(i) + 1;
    runs[i].scenario = "soak";
    runs[i].seed = i;
    runs[i].status = "passed";
    runs[i].context.parameters = {"fleet.clusters=" + std::to_string(i % 4)};
    runs[i].metrics = Metrics(i);
    runs[i].expectations = Expectations(i);
  }
  std::vector<SourcedRun> sourced;
  for (const StoredRun& r : runs) sourced.push_back({&r, "bench.db"});
  for (auto _ : state) benchmark::DoNotOptimize(AggregateRuns(sourced, {}));
}
BENCHMARK(BM_ReportAggregate)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fleetsim

BENCHMARK_MAIN();
