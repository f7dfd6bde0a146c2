// An in-memory destination cluster for the sync and deletion tests: objects by key, per-object
// health set by the test, deletions that complete at once or wait, injectable failures, and a log
// of every write in order.
#ifndef FLEETSIM_TESTS_ARGOCD_FAKE_CLUSTER_H_
#define FLEETSIM_TESTS_ARGOCD_FAKE_CLUSTER_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/argocd/deletion.h"
#include "sim/argocd/sync_target.h"

namespace fleetsim {

class FakeCluster : public SyncTarget, public DeletionTarget {
 public:
  // SyncTarget
  Status Apply(const Object& obj, const ApplyMode& mode) override;
  Status DryRun(const Object& obj) override;
  Status Delete(const ObjectKey& key, PropagationPolicy policy) override;
  ObjectPtr GetLive(const ObjectKey& key) override;
  std::optional<HealthStatus> Health(const ObjectKey& key) override;
  bool IsBeingDeleted(const ObjectKey& key) override;
  bool ServesKind(std::string_view api_version, std::string_view kind) override;
  // DeletionTarget
  std::vector<ObjectPtr> ManagedLive() override;
  Status Create(const Object& obj) override;

  // Test controls.
  void Put(const ObjectPtr& obj);
  void SetHealth(const ObjectKey& key, HealthCode code, std::string message = "");
  // Deletions leave the object with a deletionTimestamp until FinishDeletions().
  void set_hold_deletions(bool hold) { hold_deletions_ = hold; }
  void FinishDeletions();
  void FailApply(const std::string& name, std::string message) { fail_apply_[name] = message; }
  void FailDryRun(const std::string& name, std::string message) { fail_dry_run_[name] = message; }
  bool Has(const ObjectKey& key) const { return objects_.count(Normalize(key)) > 0; }

  // "apply Kind/ns/name", "dry-run …", "delete … Foreground", "create …", in call order.
  const std::vector<std::string>& log() const { return log_; }
  std::vector<std::string> Writes() const;  // the log without dry runs
  const std::map<ObjectKey, ApplyMode>& modes() const { return modes_; }

 private:
  static ObjectKey Normalize(ObjectKey key);
  Status CheckServed(const Object& obj);

  std::map<ObjectKey, ObjectPtr> objects_;
  std::map<ObjectKey, HealthStatus> health_;
  std::set<ObjectKey> deleting_;
  std::map<ObjectKey, ApplyMode> modes_;
  std::map<std::string, std::string> fail_apply_;
  std::map<std::string, std::string> fail_dry_run_;
  std::vector<std::string> log_;
  bool hold_deletions_ = false;
};

}  // namespace fleetsim

#endif  // FLEETSIM_TESTS_ARGOCD_FAKE_CLUSTER_H_
