// traffic (user traffic and the metrics AnalysisRuns query) and expect (metric expectations).
#include "sim/scenario/load_sections.h"
#include "sim/scenario/metric_names.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

void ReadProfile(const YamlNode& node, TrafficProfile* profile) {
  if (!node.CheckKeys({"rps", "successRate", "latencyP99"})) return;
  YamlNode rps = node.Get("rps");
  if (rps.present()) {
    profile->rps = rps.AsNumber();
    if (node.ok() && *profile->rps < 0) rps.Fail("rps must be at least 0");
  }
  YamlNode success = node.Get("successRate");
  if (success.present()) {
    profile->success_rate = success.AsNumber();
    if (node.ok() && (*profile->success_rate < 0 || *profile->success_rate > 1)) {
      success.Fail("successRate must be between 0 and 1");
    }
  }
  YamlNode latency = node.Get("latencyP99");
  if (latency.present()) profile->latency_p99 = latency.AsDuration();
}

Expectation::Op OpOf(const std::string& key) {
  if (key == "eq") return Expectation::Op::kEq;
  if (key == "min") return Expectation::Op::kMin;
  if (key == "max") return Expectation::Op::kMax;
  return Expectation::Op::kNull;
}

// One metric's expectations: {eq}, {min}, {max}, {min, max} or {null: true}.
void ReadExpectation(const MapEntry& entry, std::vector<Expectation>* out) {
  const YamlNode& spec = entry.value;
  if (!spec.IsMap()) {
    return spec.Fail(
        "expected a map such as {max: 0}, {min: 1, max: 5}, {eq: 3} or "
        "{null: true}, found " +
        spec.Describe());
  }
  if (!spec.CheckKeys({"eq", "min", "max", "null"})) return;
  std::vector<MapEntry> ops = spec.Entries();
  if (ops.empty()) return spec.Fail("an expectation needs eq, min, max or null");
  for (const MapEntry& op : ops) {
    if (ops.size() > 1 && (op.key == "eq" || op.key == "null")) {
      const std::string& other = op.key == ops[0].key ? ops[1].key : ops[0].key;
      return op.key_node.Fail("\"" + op.key + "\" cannot be combined with \"" + other + "\"");
    }
  }
  std::vector<Expectation> read;
  for (const MapEntry& op : ops) {
    Expectation e;
    e.metric = entry.key;
    e.pos = entry.key_node.pos();
    e.op = OpOf(op.key);
    if (e.op != Expectation::Op::kNull) {
      e.value = op.value.AsNumber();
    } else if (!op.value.AsBool() && spec.ok()) {
      op.value.Fail("null: false expects nothing; write {null: true}, or use eq, min or max");
    }
    read.push_back(e);
  }
  if (spec.ok() && read.size() == 2) {
    const Expectation& min = read[0].op == Expectation::Op::kMin ? read[0] : read[1];
    const Expectation& max = read[0].op == Expectation::Op::kMax ? read[0] : read[1];
    if (min.value > max.value) {
      spec.Fail("min " + FormatNumber(min.value) + " is greater than max " +
                FormatNumber(max.value));
    }
  }
  out->insert(out->end(), read.begin(), read.end());
}

}  // namespace

TrafficSpec LoadTraffic(const YamlNode& node) {
  TrafficSpec traffic;
  if (!node.CheckKeys({"default", "images"})) return traffic;
  ReadProfile(node.Get("default"), &traffic.defaults);
  for (const MapEntry& entry : node.Get("images").Entries()) {
    if (entry.key.empty()) {
      entry.key_node.Fail("an image name must not be empty");
      break;
    }
    ReadProfile(entry.value, &traffic.images[entry.key]);
    if (!node.ok()) break;
  }
  return traffic;
}

std::vector<Expectation> LoadExpect(const YamlNode& node) {
  std::vector<Expectation> expectations;
  for (const MapEntry& entry : node.Entries()) {
    if (!IsKnownMetric(entry.key)) {
      entry.key_node.Fail(UnknownNameMessage("metric", entry.key, KnownMetrics()));
      break;
    }
    ReadExpectation(entry, &expectations);
    if (!node.ok()) break;
  }
  return expectations;
}

}  // namespace fleetsim
