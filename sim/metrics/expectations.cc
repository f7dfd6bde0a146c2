#include "sim/metrics/expectations.h"

#include <algorithm>
#include <cmath>

namespace fleetsim {
namespace {

const char* OpName(Expectation::Op op) {
  switch (op) {
    case Expectation::Op::kEq:
      return "eq";
    case Expectation::Op::kMin:
      return "min";
    case Expectation::Op::kMax:
      return "max";
    case Expectation::Op::kNull:
      return "null";
  }
  return "eq";
}

bool Holds(const Expectation& e, const MetricValue& actual) {
  if (e.op == Expectation::Op::kNull) return !actual.value.has_value();
  if (!actual.value) return false;
  double v = *actual.value;
  switch (e.op) {
    case Expectation::Op::kEq:
      if (actual.integer) return v == e.value;
      return std::fabs(v - e.value) <= 1e-9 * std::max(1.0, std::fabs(e.value));
    case Expectation::Op::kMin:
      return v >= e.value;
    case Expectation::Op::kMax:
      return v <= e.value;
    case Expectation::Op::kNull:
      break;
  }
  return false;
}

}  // namespace

std::vector<ExpectationResult> EvaluateExpectations(const std::vector<Expectation>& expectations,
                                                    const MetricMap& metrics) {
  std::vector<ExpectationResult> results;
  results.reserve(expectations.size());
  for (const Expectation& e : expectations) {
    auto it = metrics.find(e.metric);
    MetricValue actual = it == metrics.end() ? MetricValue::Null() : it->second;
    ExpectationResult r;
    r.metric = e.metric;
    r.op = OpName(e.op);
    if (e.op != Expectation::Op::kNull) r.value = e.value;
    r.actual = actual;
    r.passed = Holds(e, actual);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace fleetsim
