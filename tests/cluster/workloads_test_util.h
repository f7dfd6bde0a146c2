// A cluster with its workload controllers, for the workload tests.
#ifndef FLEETSIM_TESTS_CLUSTER_WORKLOADS_TEST_UTIL_H_
#define FLEETSIM_TESTS_CLUSTER_WORKLOADS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim::testing_cluster {

inline constexpr uint64_t kSeed = 42;

inline bool PodIsReady(const Object& pod) { return workload::PodReady(pod); }

// Every object of a kind in a namespace, by value (safe in a range-for).
inline std::vector<LiveObject> ListOf(const ObjectStore& store, const std::string& group,
                                      const std::string& kind, const std::string& ns) {
  return store.List({group, kind, ns, {}}).value();
}
inline std::vector<LiveObject> Pods(const ObjectStore& store, const std::string& ns = "default") {
  return ListOf(store, "", "Pod", ns);
}

// Store "c1" (default namespaces) with a WorkloadController; pod start-up uniform 5-30 s.
class WorkloadsFixture : public ::testing::Test {
 public:
  explicit WorkloadsFixture(uint64_t seed = kSeed, WorkloadConfig config = {})
      : store("c1", sim, kStart), controller(sim, store, seed, config) {
    store.Bootstrap({});
  }
  void TestBody() override {}

  Simulator sim;
  ObjectStore store;
  WorkloadController controller;
};

}  // namespace fleetsim::testing_cluster

#endif  // FLEETSIM_TESTS_CLUSTER_WORKLOADS_TEST_UTIL_H_
