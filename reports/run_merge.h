// Runs from several run stores as one set: what `fleetsim report DB...` aggregates and what
// `--merge OUT.db` writes. A run is identified by (sweep id, run index, scenario, seed,
// parameters); its content is (status, error, version, trace digest, events, metrics,
// expectations). A sweep run stored twice with the same content is kept once, and with different
// content is a conflict (the shards came from different scenario files or fleetsim versions). A
// run outside a sweep is dropped only when an identical one came from an earlier database, so
// merging a database with itself changes nothing while repeated `run --db` runs all count.
#ifndef FLEETSIM_REPORTS_RUN_MERGE_H_
#define FLEETSIM_REPORTS_RUN_MERGE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "reports/run_aggregate.h"
#include "reports/run_store.h"

namespace fleetsim {

// The runs of one database, as RunStore::ReadRuns returns them.
struct RunSource {
  RunStore* store = nullptr;  // REQUIRES: outlives the combined runs (merge reads timelines)
  std::vector<StoredRun> runs;
};

struct CombinedRuns {
  std::vector<SourcedRun> runs;   // in canonical order (CanonicalBefore)
  std::vector<RunStore*> stores;  // runs[i]'s store
  size_t duplicates = 0;          // runs dropped as stored twice
};

// REQUIRES: `sources` outlives the result. A conflict is an error naming both runs.
Result<CombinedRuns> CombineRuns(const std::vector<RunSource>& sources);

// The order a merged database stores its runs in: scenario, parameters, sweep id, run index,
// seed, then the remaining fields; independent of which database a run came from.
bool CanonicalBefore(const StoredRun& a, const StoredRun& b);

// Writes `runs`, timelines included, into a new run store under a temporary name next to `out`,
// in one transaction; FinishMerge then renames it into place, so `out` is either absent (or as it
// was) or complete. Between the two the caller closes its inputs, one of which may be `out`. On
// failure `error` says whether an input could not be read (kNotAStore) or the output could not be
// written (kIo), and no temporary file is left.
bool MergeRuns(const CombinedRuns& runs, const std::string& out, StoreError* error);
bool FinishMerge(const std::string& out, StoreError* error);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_RUN_MERGE_H_
