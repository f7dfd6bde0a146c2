// traffic (user traffic and the metrics AnalysisRuns query) and expect (metric expectations).
#include "sim/scenario/load_sections.h"
#include "sim/scenario/metric_names.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

double ReadFraction(const YamlNode& node, std::string_view what) {
  double value = node.AsNumber();
  if (node.ok() && (value < 0 || value > 1))
    node.Fail(std::string(what) + " must be between 0 and 1");
  return value;
}

// `default` takes rps; an image does not (a request rate belongs to a Service: traffic.services).
void ReadProfile(const YamlNode& node, TrafficProfile* profile, bool with_rps) {
  std::vector<std::string_view> keys = {"successRate", "latencyP99", "successRateNoise",
                                        "latencyNoise"};
  if (with_rps) keys.push_back("rps");
  YamlNode rps = node.Get("rps");
  if (!with_rps && rps.present()) {
    return rps.Fail(
        "rps is a Service's request rate: set it in traffic.default or traffic.services, not per "
        "image");
  }
  if (!node.CheckKeys(keys)) return;
  if (rps.present()) {
    profile->rps = rps.AsNumber();
    if (node.ok() && *profile->rps < 0) rps.Fail("rps must be at least 0");
  }
  YamlNode success = node.Get("successRate");
  if (success.present()) profile->success_rate = ReadFraction(success, "successRate");
  YamlNode latency = node.Get("latencyP99");
  if (latency.present()) {
    profile->latency_p99 = latency.AsDuration();
    if (node.ok() && profile->latency_p99->micros() <= 0) {
      latency.Fail("latencyP99 must be greater than 0");
    }
  }
  YamlNode noise = node.Get("successRateNoise");
  if (noise.present()) profile->success_rate_noise = ReadFraction(noise, "successRateNoise");
  YamlNode latency_noise = node.Get("latencyNoise");
  if (latency_noise.present()) {
    profile->latency_noise = ReadFraction(latency_noise, "latencyNoise");
  }
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
  if (!node.CheckKeys({"default", "images", "services", "seedStream"})) return traffic;
  ReadProfile(node.Get("default"), &traffic.defaults, true);
  for (const MapEntry& entry : node.Get("images").Entries()) {
    if (entry.key.empty()) {
      entry.key_node.Fail("an image name must not be empty");
      break;
    }
    ReadProfile(entry.value, &traffic.images[entry.key], false);
    if (!node.ok()) break;
  }
  for (const MapEntry& entry : node.Get("services").Entries()) {
    if (entry.key.empty() || entry.key.front() == '/' || entry.key.back() == '/') {
      entry.key_node.Fail("expected a Service as NAME or NAMESPACE/NAME");
      break;
    }
    if (!entry.value.CheckKeys({"rps"})) break;
    YamlNode rps = entry.value.Get("rps");
    if (!rps.present()) {
      entry.value.Fail("a Service entry needs rps, e.g. {rps: 50}");
      break;
    }
    double value = rps.AsNumber();
    if (node.ok() && value < 0) rps.Fail("rps must be at least 0");
    traffic.services[entry.key] = value;
    if (!node.ok()) break;
  }
  YamlNode stream = node.Get("seedStream");
  if (stream.present()) {
    traffic.seed_stream = stream.AsString();
    if (node.ok() && traffic.seed_stream.empty()) stream.Fail("seedStream must not be empty");
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
