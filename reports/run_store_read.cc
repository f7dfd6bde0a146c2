// RunStore's reading half: runs with their parameters, metrics and expectations, and a run's
// timeline.
#include <charconv>
#include <unordered_map>

#include "reports/run_store.h"
#include "reports/sqlite_db.h"

namespace fleetsim {
namespace {

constexpr const char* kRunColumns =
    "SELECT id, scenario, scenario_path, seed, status, error, wall_seconds, fleetsim_version, "
    "trace_digest, events_processed, sweep_id, run_index FROM runs";

StoredRun RunFromRow(const SqliteStatement& row) {
  StoredRun run;
  run.id = row.Int(0);
  run.scenario = row.Text(1);
  run.context.scenario_path = row.Text(2);
  std::string seed = row.Text(3);
  std::from_chars(seed.data(), seed.data() + seed.size(), run.seed);
  run.status = row.Text(4);
  run.context.error = row.Text(5);
  run.wall_seconds = row.Real(6);
  run.fleetsim_version = row.Text(7);
  run.trace_digest = row.Text(8);
  run.events_processed = static_cast<uint64_t>(row.Int(9));
  run.context.sweep_id = row.Text(10);
  if (!row.IsNull(11)) run.context.run_index = static_cast<uint64_t>(row.Int(11));
  return run;
}

std::string ParameterFromRow(const SqliteStatement& row, int first) {
  std::string parameter = row.Text(first);
  if (!row.IsNull(first + 1)) parameter += "=" + row.Text(first + 1);
  return parameter;
}

MetricValue MetricFromColumns(const SqliteStatement& row, int value, int is_integer) {
  return MetricValue{row.OptionalReal(value), row.Int(is_integer) != 0};
}

ExpectationResult ExpectationFromRow(const SqliteStatement& row, int first) {
  ExpectationResult e;
  e.metric = row.Text(first);
  e.op = row.Text(first + 1);
  e.value = row.OptionalReal(first + 2);
  e.actual = MetricFromColumns(row, first + 3, first + 4);
  e.passed = row.Int(first + 5) != 0;
  return e;
}

}  // namespace

Result<std::vector<StoredRun>> RunStore::ReadRuns() {
  std::vector<StoredRun> runs;
  std::unordered_map<int64_t, size_t> index;
  SqliteStatement rows;
  if (!db_->Prepare(std::string(kRunColumns) + " ORDER BY id", &rows)) {
    return Fail("cannot read the run store");
  }
  while (rows.Step()) {
    runs.push_back(RunFromRow(rows));
    index[runs.back().id] = runs.size() - 1;
  }
  if (rows.failed()) return Fail("cannot read the run store");

  // One pass per table, ordered so each run's entries come in their stored order.
  SqliteStatement parameters;
  if (!db_->Prepare("SELECT run_id, path, value FROM parameters ORDER BY run_id, position",
                    &parameters)) {
    return Fail("cannot read the run store");
  }
  while (parameters.Step()) {
    auto it = index.find(parameters.Int(0));
    if (it != index.end())
      runs[it->second].context.parameters.push_back(ParameterFromRow(parameters, 1));
  }
  SqliteStatement metrics;
  if (parameters.failed() ||
      !db_->Prepare("SELECT run_id, name, value, is_integer FROM metrics", &metrics)) {
    return Fail("cannot read the run store");
  }
  while (metrics.Step()) {
    auto it = index.find(metrics.Int(0));
    if (it != index.end())
      runs[it->second].metrics[metrics.Text(1)] = MetricFromColumns(metrics, 2, 3);
  }
  SqliteStatement expectations;
  if (metrics.failed() ||
      !db_->Prepare("SELECT run_id, metric, op, value, actual, actual_is_integer, passed "
                    "FROM expectations ORDER BY run_id, position",
                    &expectations)) {
    return Fail("cannot read the run store");
  }
  while (expectations.Step()) {
    auto it = index.find(expectations.Int(0));
    if (it != index.end()) {
      runs[it->second].expectations.push_back(ExpectationFromRow(expectations, 1));
    }
  }
  if (expectations.failed()) return Fail("cannot read the run store");
  return runs;
}

Result<StoredRun> RunStore::ReadRun(int64_t id) {
  SqliteStatement row;
  if (!db_->Prepare(std::string(kRunColumns) + " WHERE id = ?", &row)) {
    return Fail("cannot read the run store");
  }
  row.Bind(1, id);
  if (!row.Step()) {
    if (row.failed()) return Fail("cannot read the run store");
    return Status::Error(path_ + ": no run with id " + std::to_string(id));
  }
  StoredRun run = RunFromRow(row);
  Status details = ReadDetails(&run);
  if (!details.ok()) return details;
  return run;
}

Status RunStore::ReadDetails(StoredRun* run) {
  SqliteStatement parameters;
  SqliteStatement metrics;
  SqliteStatement expectations;
  SqliteStatement timeline;
  if (!db_->Prepare("SELECT path, value FROM parameters WHERE run_id = ? ORDER BY position",
                    &parameters) ||
      !db_->Prepare("SELECT name, value, is_integer FROM metrics WHERE run_id = ?", &metrics) ||
      !db_->Prepare("SELECT metric, op, value, actual, actual_is_integer, passed "
                    "FROM expectations WHERE run_id = ? ORDER BY position",
                    &expectations) ||
      !db_->Prepare("SELECT seq, t_us, cluster, app, object, event, detail, change "
                    "FROM timeline WHERE run_id = ? ORDER BY seq",
                    &timeline)) {
    return Fail("cannot read the run store");
  }
  parameters.Bind(1, run->id);
  while (parameters.Step()) run->context.parameters.push_back(ParameterFromRow(parameters, 0));
  metrics.Bind(1, run->id);
  while (metrics.Step()) run->metrics[metrics.Text(0)] = MetricFromColumns(metrics, 1, 2);
  expectations.Bind(1, run->id);
  while (expectations.Step()) run->expectations.push_back(ExpectationFromRow(expectations, 0));
  timeline.Bind(1, run->id);
  while (timeline.Step()) {
    TraceRecord r;
    r.seq = static_cast<uint64_t>(timeline.Int(0));
    r.t = SimTime::FromMicros(timeline.Int(1));
    r.cluster = timeline.Text(2);
    r.app = timeline.Text(3);
    r.object = timeline.Text(4);
    r.event = timeline.Text(5);
    r.detail = timeline.Text(6);
    r.change = timeline.Int(7) != 0;
    run->timeline.push_back(std::move(r));
  }
  if (parameters.failed() || metrics.failed() || expectations.failed() || timeline.failed()) {
    return Fail("cannot read the run store");
  }
  return Status::Ok();
}

}  // namespace fleetsim
