// A cluster with the Argo Rollouts CRDs, its workload controllers and a RolloutController, for
// the Rollout controller tests: manifests of Rollouts, Services and AnalysisTemplates, and
// helpers to read a Rollout's status and its ReplicaSets.
#ifndef FLEETSIM_TESTS_ROLLOUTS_ROLLOUT_TEST_UTIL_H_
#define FLEETSIM_TESTS_ROLLOUTS_ROLLOUT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/manifest/json.h"

#include "sim/cluster/health.h"
#include "sim/cluster/json_fields.h"
#include "sim/cluster/workloads.h"
#include "sim/rollouts/rollout_controller.h"

namespace fleetsim::rollouts::testing {

inline constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z
inline SimTime At(double seconds) {
  return SimTime::Zero() + SimDuration::Micros(static_cast<int64_t>(seconds * 1e6));
}

// Pods start in exactly 5 s, so the timings below are exact.
inline WorkloadConfig FixedStartup() {
  WorkloadConfig config;
  config.pod_startup = {SimDuration::Seconds(5), SimDuration::Seconds(5)};
  return config;
}

// A Rollout `name` (labels app=<name>) with one container running `image` and `strategy` as its
// spec.strategy.
inline Json Rollout(const std::string& name, int replicas, const std::string& image,
                    Json strategy) {
  return {{"apiVersion", "argoproj.io/v1alpha1"},
          {"kind", "Rollout"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"strategy", std::move(strategy)},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec", {{"containers", {{{"name", "app"}, {"image", image}}}}}}}}}}};
}

inline Json Service(const std::string& name, const std::string& app) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec", {{"selector", {{"app", app}}}, {"ports", {{{"port", 80}}}}}}};
}

inline Json Template(const std::string& name) {
  return {{"apiVersion", "argoproj.io/v1alpha1"},
          {"kind", "AnalysisTemplate"},
          {"metadata", {{"name", name}, {"namespace", "default"}}},
          {"spec",
           {{"args", {{{"name", "service"}}}},
            {"metrics",
             {{{"name", "success-rate"},
               {"count", 1},
               {"successCondition", "result[0] >= 0.99"},
               {"provider",
                {{"prometheus",
                  {{"address", "http://prometheus"}, {"query", "rate({{args.service}})"}}}}}}}}}}};
}

class RolloutFixture : public ::testing::Test {
 public:
  RolloutFixture()
      : store("c1", sim, kStart),
        workloads(sim, store, 7, FixedStartup()),
        controller(sim, store, kStart,
                   [this](std::string_view event, const ObjectKey& key, std::string detail) {
                     events.push_back({std::string(event), key.name + ": " + detail});
                   }) {
    store.Bootstrap({"argo-rollouts"});
  }

  ObjectKey Key(const std::string& name) const {
    return {"argoproj.io", "Rollout", "default", name};
  }
  void Apply(const Json& doc) { ASSERT_TRUE(store.Apply(Object(doc)).ok()); }
  void Run(double seconds) { sim.RunUntil(At(seconds)); }
  // Sets the image of container 0 of the Rollout (a new pod template).
  void SetImage(const std::string& name, const std::string& image) {
    Json doc = store.Find(Key(name))->doc();
    doc["spec"]["template"]["spec"]["containers"][0]["image"] = image;
    Json desired = {{"apiVersion", doc["apiVersion"]},
                    {"kind", "Rollout"},
                    {"metadata", {{"name", name}, {"namespace", "default"}}},
                    {"spec", doc["spec"]}};
    Apply(desired);
  }
  Json Status(const std::string& name) const { return store.Find(Key(name))->status(); }
  std::string Phase(const std::string& name) const { return StringAt(Status(name), {"phase"}); }
  int64_t StepIndex(const std::string& name) const {
    return IntAt(Status(name), {"currentStepIndex"}, -1);
  }
  std::string Health(const std::string& name) const {
    std::optional<HealthStatus> h = GetResourceHealth(*store.Find(Key(name))->object);
    return h ? std::string(HealthCodeName(h->code)) : "";
  }
  // spec.replicas of the ReplicaSet of `hash`, or -1.
  int64_t Replicas(const std::string& name, const std::string& hash) const {
    const LiveObject* rs = store.Find({"apps", "ReplicaSet", "default", name + "-" + hash});
    return rs ? IntAt(rs->doc(), {"spec", "replicas"}, -1) : -1;
  }
  std::string StableHash(const std::string& name) const {
    return StringAt(Status(name), {"stableRS"});
  }
  std::string CurrentHash(const std::string& name) const {
    return StringAt(Status(name), {"currentPodHash"});
  }
  // The events named `event`, as "rollout: detail".
  std::vector<std::string> Events(const std::string& event) const {
    std::vector<std::string> out;
    for (const auto& [e, d] : events) {
      if (e == event) out.push_back(d);
    }
    return out;
  }
  // Writes an AnalysisRun's status as the AnalysisRun controller would.
  void FinishRun(const std::string& run, const std::string& phase,
                 const std::string& message = "") {
    ObjectKey k{"argoproj.io", "AnalysisRun", "default", run};
    ASSERT_NE(store.Find(k), nullptr) << run;
    Json status = {{"phase", phase}};
    if (!message.empty()) status["message"] = message;
    ASSERT_TRUE(store.Patch(k, {{"status", status}}).ok());
  }
  std::vector<std::string> RunNames() const {
    std::vector<std::string> out;
    Result<std::vector<LiveObject>> runs =
        store.List({"argoproj.io", "AnalysisRun", "default", {}});
    if (!runs.ok()) return out;
    for (const LiveObject& r : *runs) out.push_back(r.key().name);
    return out;
  }

  Simulator sim;
  ObjectStore store;
  WorkloadController workloads;
  RolloutController controller;
  std::vector<std::pair<std::string, std::string>> events;
};

}  // namespace fleetsim::rollouts::testing

#endif  // FLEETSIM_TESTS_ROLLOUTS_ROLLOUT_TEST_UTIL_H_
