// faults: the chaos catalog (DESIGN.md "Faults") and random fault schedules.
#include <charconv>
#include <cmath>

#include "sim/scenario/command_args.h"
#include "sim/scenario/load_sections.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

using T = ArgType;

// Per kind: its arguments, the sets that must be given together, and whether `for` heals it.
// Commits (rename-directory, delete-path, edit-selector), drift and losses do not heal by
// themselves: an action (rebuild, argocd install) or a later commit undoes them.
const std::vector<CommandSpec>& FaultCatalog() {
  static const std::vector<CommandSpec> kCatalog = {
      {"git-unreachable", {{"repo", T::kRepo}}, {{"repo"}}, true},
      {"git-empty-response", {{"repo", T::kRepo}, {"appset", T::kPattern}}, {}, true},
      {"rename-directory",
       {{"repo", T::kRepo}, {"from", T::kRepoPath}, {"to", T::kRepoPath}, {"glob", T::kPattern}},
       {{"repo", "from", "to"}, {"repo", "glob"}}},
      {"delete-path",
       {{"repo", T::kRepo}, {"path", T::kRepoPath}, {"glob", T::kPattern}},
       {{"repo", "path"}, {"repo", "glob"}}},
      {"edit-selector",
       {{"repo", T::kRepo},
        {"path", T::kRepoPath},
        {"select", T::kKindName},
        {"matchLabels", T::kLabels}},
       {{"repo", "path"}}},
      {"cluster-unreachable", {{"cluster", T::kCluster}}, {{"cluster"}}, true},
      {"cluster-destroyed", {{"cluster", T::kCluster}}, {{"cluster"}}},
      {"cluster-relabel",
       {{"cluster", T::kCluster}, {"labels", T::kLabels}},
       {{"cluster", "labels"}},
       true},
      {"controller-restart",
       {{"controller", T::kChoice, ControllerNames()}, {"cluster", T::kCluster}},
       {{"controller"}}},
      {"shard-change", {{"replicas", T::kReplicas}}, {{"replicas"}}, true},
      {"sealing-key-lost", {{"cluster", T::kCluster}, {"restore", T::kBool}}, {{"cluster"}}},
      {"secret-store-down",
       {{"cluster", T::kCluster},
        {"store", T::kPattern},
        {"mode", T::kChoice, {"network", "auth"}}},
       {{"mode"}},
       true},
      // A remote key deleted in the provider (restored when the fault heals).
      {"secret-key-deleted",
       {{"store", T::kPattern}, {"key", T::kText}, {"cluster", T::kCluster}},
       {{"store", "key"}},
       true},
      {"manual-drift",
       {{"cluster", T::kCluster},
        {"object", T::kObject},
        {"set", T::kFieldValues},
        {"delete", T::kBool}},
       {{"cluster", "object", "set"}, {"cluster", "object", "delete"}}},
      {"argocd-destroyed", {}},
      {"bad-image",
       {{"image", T::kText},
        {"cluster", T::kCluster},
        {"workload", T::kText},
        {"mode", T::kChoice, {"pull", "crash"}}},
       {{"image"}, {"cluster", "workload"}},
       true},
      {"slow-start",
       {{"image", T::kText}, {"startup", T::kDuration}},
       {{"image", "startup"}},
       true},
      {"metrics-degraded",
       {{"image", T::kText},
        {"successRate", T::kFraction},
        {"latencyP99", T::kDuration},
        {"cluster", T::kCluster}},
       {{"image"}},
       true},
      {"api-throttle",
       {{"cluster", T::kCluster}, {"qps", T::kPositive}},
       {{"cluster", "qps"}},
       true},
  };
  return kCatalog;
}

// The targets a random schedule draws from, as globs, and how long each fault lasts.
const CommandSpec& RandomSpec() {
  static const CommandSpec kSpec = {"random",
                                    {{"cluster", T::kCluster},
                                     {"repo", T::kPattern},
                                     {"app", T::kPattern},
                                     {"appset", T::kPattern},
                                     {"image", T::kPattern},
                                     {"for", T::kDurationRange}}};
  return kSpec;
}

constexpr double kMaxRatePerHour = 1e6;

// "2/h", "0.5/m", "10/d", or a bare number per hour.
double ReadRate(const YamlNode& node) {
  std::string text = node.AsString();
  if (!node.ok()) return 0;
  size_t slash = text.find('/');
  std::string number = text.substr(0, slash);
  std::string unit = slash == std::string::npos ? "h" : text.substr(slash + 1);
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  double per_hour = unit == "h" ? 1 : unit == "m" ? 60 : unit == "d" ? 1.0 / 24 : -1;
  if (ec != std::errc() || end != number.data() + number.size() || per_hour < 0 ||
      !std::isfinite(value)) {
    node.Fail("expected a rate such as 2/h, 0.5/m or 10/d, found \"" + text + "\"");
    return 0;
  }
  double rate = value * per_hour;
  if (rate <= 0) node.Fail("rate must be greater than 0");
  if (rate > kMaxRatePerHour) node.Fail("rate must be at most 1000000/h");
  return rate;
}

RandomFaultSpec ReadRandom(const YamlNode& item, const LoadScope& scope) {
  RandomFaultSpec spec;
  spec.pos = item.pos();
  YamlNode body = item.Get("random");
  const std::vector<std::string_view> fixed = {"kinds", "rate", "seed-stream"};
  if (!item.CheckKeys({"random"}) || !body.ExpectMap() ||
      !CheckArgKeys(body, RandomSpec(), fixed)) {
    return spec;
  }
  YamlNode kinds = body.Require("kinds");
  for (const YamlNode& kind : kinds.Items()) {
    std::string name = kind.AsString();
    if (body.ok() && FindCommand(FaultCatalog(), name) == nullptr) {
      kind.Fail(UnknownNameMessage("fault kind", name, CommandNames(FaultCatalog())));
    } else if (body.ok() && name == "secret-key-deleted") {
      kind.Fail(
          "secret-key-deleted names a remote key, so it cannot be drawn at random; give it "
          "as a fault of its own");
    }
    spec.kinds.push_back(name);
  }
  if (body.ok() && spec.kinds.empty()) kinds.Fail("kinds must list at least one fault kind");
  if (body.ok()) spec.rate_per_hour = ReadRate(body.Require("rate"));
  if (body.Has("seed-stream")) spec.seed_stream = ReadNonEmpty(body.Get("seed-stream"));
  if (body.ok()) spec.params = ReadArgs(body, RandomSpec(), fixed, scope);
  return spec;
}

FaultSpec ReadFault(const YamlNode& item, const LoadScope& scope) {
  FaultSpec fault;
  fault.pos = item.pos();
  YamlNode kind = item.Require("kind");
  fault.kind = kind.AsString();
  if (!item.ok()) return fault;
  const CommandSpec* spec = FindCommand(FaultCatalog(), fault.kind);
  if (spec == nullptr) {
    kind.Fail(UnknownNameMessage("fault kind", fault.kind, CommandNames(FaultCatalog())));
    return fault;
  }
  const std::vector<std::string_view> fixed = {"at", "kind", "for"};
  if (!CheckArgKeys(item, *spec, fixed)) return fault;
  fault.at = ReadAt(item, scope);
  YamlNode heal = item.Get("for");
  if (heal.present() && item.ok()) {
    if (!spec->heals) {
      heal.Fail("a " + fault.kind + " fault does not heal by itself; remove \"for\"");
      return fault;
    }
    fault.duration = heal.AsDuration();
    if (item.ok() && *fault.duration <= SimDuration::Zero())
      heal.Fail("for must be greater than 0");
  }
  if (item.ok()) fault.params = ReadArgs(item, *spec, fixed, scope);
  return fault;
}

}  // namespace

void LoadFaults(const YamlNode& node, const LoadScope& scope, std::vector<FaultSpec>* faults,
                std::vector<RandomFaultSpec>* random_faults) {
  for (const YamlNode& item : node.Items()) {
    if (!item.ExpectMap()) break;
    if (item.Has("random")) {
      random_faults->push_back(ReadRandom(item, scope));
    } else {
      faults->push_back(ReadFault(item, scope));
    }
    if (!node.ok()) break;
  }
  SortByAt(faults);
}

}  // namespace fleetsim
