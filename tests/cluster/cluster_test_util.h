// Shared helpers for the sim/cluster tests: JSON documents from text, common manifests, and a
// store with its event loop.
#ifndef FLEETSIM_TESTS_CLUSTER_CLUSTER_TEST_UTIL_H_
#define FLEETSIM_TESTS_CLUSTER_CLUSTER_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/simulator.h"
#include "sim/cluster/object_store.h"
#include "sim/manifest/object.h"

namespace fleetsim::testing_cluster {

inline constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z

inline Json J(std::string_view text) { return Json::parse(text); }
inline Object Obj(std::string_view text) { return Object(J(text)); }
inline Object Obj(Json doc) { return Object(std::move(doc)); }

inline SimTime At(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

inline ObjectKey DeploymentKey(const std::string& ns, const std::string& name) {
  return {"apps", "Deployment", ns, name};
}
inline ObjectKey ConfigMapKey(const std::string& ns, const std::string& name) {
  return {"", "ConfigMap", ns, name};
}

inline Json Namespace(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

inline Json ConfigMap(const std::string& ns, const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"data", {{"k", "v"}}}};
}

// A Deployment with one container `app` running `image`, labels app=<name>.
inline Json Deployment(const std::string& ns, const std::string& name, int replicas,
                       const std::string& image = "ghcr.io/acme/web:1.0") {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec", {{"containers", {{{"name", "app"}, {"image", image}}}}}}}}}}};
}

// A store whose clock is `sim`, bootstrapped with the default namespaces and `addons`.
class StoreFixture {
 public:
  explicit StoreFixture(std::vector<std::string> addons = {}) : store("c1", sim, kStart) {
    store.Bootstrap(addons);
  }
  Simulator sim;
  ObjectStore store;
};

}  // namespace fleetsim::testing_cluster

#endif  // FLEETSIM_TESTS_CLUSTER_CLUSTER_TEST_UTIL_H_
