// The subset of PromQL that AnalysisTemplates send to Prometheus (argo-rollouts
// metricproviders/prometheus; docs/analysis/prometheus.md), evaluated against the series a
// SeriesSource models at one instant.
//
// The subset: number literals; selectors `name{label op "value", ...}` with =, !=, =~, !~ (regexes
// are fully anchored, as in Prometheus) and an optional range `[5m]`; rate, irate and increase
// over a range; the aggregations sum, avg, min, max and count with `by (...)` / `without (...)`
// before or after the argument; histogram_quantile, scalar, vector, abs; arithmetic + - * / % ^
// and comparisons (filtering, or 0/1 with `bool`) between scalars and vectors, vectors matched
// one-to-one on their labels. Query errors read as Prometheus's API answers them, e.g.
// `bad_data: 1:5: parse error: unexpected "}"`.
//
// A query's answer is a scalar or an instant vector (samples sorted by labels); metric names are
// dropped from results (the only instant selectors the model serves are counters, which queries
// wrap in rate()).
#ifndef FLEETSIM_SIM_ROLLOUTS_PROMQL_H_
#define FLEETSIM_SIM_ROLLOUTS_PROMQL_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"

namespace fleetsim::rollouts {

using PromLabels = std::map<std::string, std::string>;

struct PromSample {
  PromLabels labels;
  double value = 0;
};

// A scalar or an instant vector.
struct PromValue {
  bool is_scalar = false;
  double scalar = 0;
  std::vector<PromSample> vector;
};

// One modelled series as a selector sees it.
struct SeriesPoint {
  PromLabels labels;
  double total = 0;      // the counter's value now
  double increase = 0;   // its increase over the range asked for
  double rate_now = 0;   // its per-second rate now (irate)
  bool present = false;  // it had samples in the range (an absent series is not returned)
};

// What the evaluator reads: every series of metric `name` whose labels satisfy `matches`, over
// the range (now - range, now]. Series not present in the range are left out.
class SeriesSource {
 public:
  virtual ~SeriesSource() = default;
  virtual std::vector<SeriesPoint> Select(std::string_view name,
                                          const std::function<bool(const PromLabels&)>& matches,
                                          SimDuration range) = 0;
};

struct PromNode;

class PromQuery {
 public:
  // Parses `text`; errors as Prometheus's API reports them ("bad_data: 1:COL: parse error: ...").
  static Result<PromQuery> Parse(std::string_view text);

  PromQuery(PromQuery&&) noexcept;
  PromQuery& operator=(PromQuery&&) noexcept;
  ~PromQuery();

  Result<PromValue> Evaluate(SeriesSource& source) const;

 private:
  explicit PromQuery(std::unique_ptr<PromNode> root);
  std::unique_ptr<PromNode> root_;
};

// model.SampleValue.String(): Go's strconv.FormatFloat(v, 'f', -1, 64), "NaN", "+Inf", "-Inf".
std::string FormatPromFloat(double value);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_PROMQL_H_
