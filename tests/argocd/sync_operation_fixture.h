// The fixture of the SyncOperation tests: a spec with a fixed revision and start, a FakeCluster,
// and helpers to add targets, tracked live objects and hooks.
#ifndef FLEETSIM_TESTS_ARGOCD_SYNC_OPERATION_FIXTURE_H_
#define FLEETSIM_TESTS_ARGOCD_SYNC_OPERATION_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/argocd/sync_operation.h"
#include "tests/argocd/fake_cluster.h"
#include "tests/argocd/test_objects.h"

namespace fleetsim::testing {

inline constexpr int64_t kStartUnix = 1767225700;
inline const SimTime kStart = SimTime::Zero() + SimDuration::Seconds(100);
inline const std::string kSyncOptions = "argocd.argoproj.io/sync-options";
inline const std::string kWave = "argocd.argoproj.io/sync-wave";
inline const std::string kHook = "argocd.argoproj.io/hook";
inline const std::string kDeletePolicy = "argocd.argoproj.io/hook-delete-policy";

inline ObjectPtr Deployment(const std::string& name,
                            std::map<std::string, std::string> annotations = {}) {
  return MakeObject("apps/v1", "Deployment", name, "default", annotations);
}
inline ObjectPtr ConfigMap(const std::string& name,
                           std::map<std::string, std::string> annotations = {}) {
  return MakeObject("v1", "ConfigMap", name, "default", annotations);
}
inline ObjectPtr Job(const std::string& name, std::map<std::string, std::string> annotations) {
  return MakeObject("batch/v1", "Job", name, "default", annotations);
}
inline ObjectKey Key(const ObjectPtr& obj) { return obj->key(); }

class SyncOperationTest : public ::testing::Test {
 protected:
  SyncOperationTest() {
    spec_.revision = "0123456789abcdef0123456789abcdef01234567";
    spec_.started_at = kStart;
    spec_.started_at_unix = kStartUnix;
    spec_.destination_namespace = "default";
    spec_.prune = true;
  }

  void AddTarget(ObjectPtr target) { spec_.resources.push_back({std::move(target), nullptr}); }
  void AddLive(ObjectPtr live) {  // a tracked object no longer in Git
    cluster_.Put(live);
    spec_.resources.push_back({nullptr, std::move(live)});
  }
  void AddSynced(ObjectPtr obj, bool modified) {
    cluster_.Put(obj);
    spec_.resources.push_back({obj, obj, modified});
  }
  void AddHook(ObjectPtr hook) { spec_.hooks.push_back(std::move(hook)); }

  SyncOperation& Op() {
    if (!op_) op_ = std::make_unique<SyncOperation>(spec_);
    return *op_;
  }
  SyncStepResult Step(std::optional<SimTime> approved = std::nullopt) {
    return Op().Step(cluster_, approved);
  }
  const ResourceResult* Result(const std::string& name) {
    results_ = Op().results();
    for (const ResourceResult& r : results_) {
      if (r.key.name == name) return &r;
    }
    return nullptr;
  }

  SyncOperationSpec spec_;
  FakeCluster cluster_;
  std::unique_ptr<SyncOperation> op_;
  std::vector<ResourceResult> results_;
};

}  // namespace fleetsim::testing

#endif  // FLEETSIM_TESTS_ARGOCD_SYNC_OPERATION_FIXTURE_H_
