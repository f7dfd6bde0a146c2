// ObjectStore deletion: finalizers, propagation policies and the garbage collector
// (kubernetes.io/docs/concepts/architecture/garbage-collection), namespace and CRD clean-up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/object_store.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;
using ::testing::ElementsAre;

class DeleteTest : public ::testing::Test, public StoreFixture {
 protected:
  // A ConfigMap owned by `owner` (blockOwnerDeletion as given).
  ObjectKey Child(const std::string& name, const LiveObject& owner, bool block = true) {
    Json cm = ConfigMap(owner.key().ns, name);
    cm["metadata"]["ownerReferences"] = {{{"apiVersion", owner.object->api_version()},
                                          {"kind", owner.key().kind},
                                          {"name", owner.key().name},
                                          {"uid", owner.uid},
                                          {"blockOwnerDeletion", block}}};
    return store.Create(Obj(cm))->key();
  }
  LiveObject Owner(const std::string& name) {
    return *store.Create(Obj(ConfigMap("default", name)));
  }
  std::vector<std::string> Log() { return log_; }
  void Record() {
    store.AddObserver([this](const WatchEvent& e) {
      log_.push_back(std::string(WatchEventTypeName(e.type)) + " " + e.object.key().name +
                     (e.cause.empty() ? "" : " by " + e.cause));
    });
  }

 private:
  std::vector<std::string> log_;
};

// metadata.finalizers: the object gets a deletionTimestamp and stays until they are removed.
TEST_F(DeleteTest, FinalizersKeepTheObjectUntilRemoved) {
  Json cm = ConfigMap("default", "app");
  cm["metadata"]["finalizers"] = {"example.com/a", "example.com/b"};
  ObjectKey key = store.Create(Obj(cm))->key();
  sim.RunUntil(At(5));
  ASSERT_TRUE(store.Delete(key, {}).ok());
  ASSERT_NE(store.Find(key), nullptr);
  EXPECT_EQ(store.Find(key)->deletion_timestamp, At(5));
  EXPECT_EQ(StringAt(store.Find(key)->doc(), {"metadata", "deletionTimestamp"}),
            "2026-01-01T00:00:05Z");
  store.RemoveFinalizer(key, "example.com/a");
  ASSERT_NE(store.Find(key), nullptr);
  store.RemoveFinalizer(key, "example.com/b");
  EXPECT_EQ(store.Find(key), nullptr);
}

TEST_F(DeleteTest, NoNewFinalizerOnAnObjectBeingDeleted) {
  Json cm = ConfigMap("default", "app");
  cm["metadata"]["finalizers"] = {"example.com/a"};
  ObjectKey key = store.Create(Obj(cm))->key();
  store.Delete(key, {});
  Status s = store.AddFinalizer(key, "example.com/b");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr(
                               "no new finalizers can be added if the object is being deleted"));
}

// Setting the deletionTimestamp bumps the generation (apiserver markAsDeleting / BeforeDelete).
TEST_F(DeleteTest, DeletionTimestampBumpsGeneration) {
  Json cm = ConfigMap("default", "app");
  cm["metadata"]["finalizers"] = {"example.com/a"};
  ObjectKey key = store.Create(Obj(cm))->key();
  store.Delete(key, {});
  EXPECT_EQ(store.Find(key)->generation, 2);
}

// Background: the owner goes at once, then the garbage collector deletes its dependents.
TEST_F(DeleteTest, BackgroundDeletesOwnerThenDependents) {
  LiveObject owner = Owner("owner");
  Child("child", owner);
  Record();
  store.Delete(owner.key(), {Propagation::kBackground, "kubectl", ""});
  EXPECT_THAT(Log(), ElementsAre("DELETED owner by kubectl", "DELETED child by gc"));
}

// Foreground: the owner gets the foregroundDeletion finalizer and waits for its blocking
// dependents; here a dependent with a finalizer holds it.
TEST_F(DeleteTest, ForegroundWaitsForBlockingDependents) {
  LiveObject owner = Owner("owner");
  Json held = ConfigMap("default", "held");
  ObjectKey child = Child("held", owner);
  store.AddFinalizer(child, "example.com/hold");
  store.Delete(owner.key(), {Propagation::kForeground, "argocd-cascade", ""});
  const LiveObject* o = store.Find(owner.key());
  ASSERT_NE(o, nullptr);
  EXPECT_THAT(o->object->finalizers(), ElementsAre("foregroundDeletion"));
  EXPECT_TRUE(store.Find(child)->being_deleted());
  store.RemoveFinalizer(child, "example.com/hold");
  EXPECT_EQ(store.Find(child), nullptr);
  EXPECT_EQ(store.Find(owner.key()), nullptr);
}

TEST_F(DeleteTest, ForegroundDoesNotWaitForNonBlockingDependents) {
  LiveObject owner = Owner("owner");
  ObjectKey child = Child("loose", owner, /*block=*/false);
  store.AddFinalizer(child, "example.com/hold");
  store.Delete(owner.key(), {Propagation::kForeground, "kubectl", ""});
  EXPECT_EQ(store.Find(owner.key()), nullptr);
  EXPECT_TRUE(store.Find(child)->being_deleted());
}

TEST_F(DeleteTest, ForegroundOrdersDependentsBeforeOwner) {
  LiveObject owner = Owner("owner");
  Child("child", owner);
  Record();
  store.Delete(owner.key(), {Propagation::kForeground, "kubectl", ""});
  EXPECT_THAT(Log(), ElementsAre("MODIFIED owner by kubectl", "DELETED child by gc",
                                 "MODIFIED owner", "DELETED owner by kubectl"));
}

// Orphan: dependents lose their ownerReference to the owner and stay.
TEST_F(DeleteTest, OrphanLeavesDependentsWithoutOwner) {
  LiveObject owner = Owner("owner");
  ObjectKey child = Child("child", owner);
  store.Delete(owner.key(), {Propagation::kOrphan, "kubectl", ""});
  EXPECT_EQ(store.Find(owner.key()), nullptr);
  ASSERT_NE(store.Find(child), nullptr);
  EXPECT_TRUE(store.Find(child)->object->owner_references().empty());
}

// A dependent with another live owner is not collected; the dangling reference is removed.
TEST_F(DeleteTest, DependentWithAnotherOwnerSurvives) {
  LiveObject a = Owner("a"), b = Owner("b");
  Json cm = ConfigMap("default", "shared");
  for (const LiveObject* o : {&a, &b}) {
    cm["metadata"]["ownerReferences"].push_back(
        {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", o->key().name}, {"uid", o->uid}});
  }
  ObjectKey shared = store.Create(Obj(cm))->key();
  store.Delete(a.key(), {});
  ASSERT_NE(store.Find(shared), nullptr);
  ASSERT_EQ(store.Find(shared)->object->owner_references().size(), 1u);
  EXPECT_EQ(store.Find(shared)->object->owner_references()[0].uid, b.uid);
}

// Deleting a Namespace: it goes Terminating, everything in it is deleted, and it goes when empty.
TEST_F(DeleteTest, NamespaceDeletionCascadesAndWaitsForFinalizers) {
  store.Create(Obj(Namespace("shop")));
  store.Create(Obj(ConfigMap("shop", "a")));
  Json held = ConfigMap("shop", "held");
  held["metadata"]["finalizers"] = {"example.com/hold"};
  ObjectKey held_key = store.Create(Obj(held))->key();
  Record();
  ObjectKey ns{"", "Namespace", "", "shop"};
  store.Delete(ns, {});
  ASSERT_NE(store.Find(ns), nullptr);
  EXPECT_EQ(StringAt(store.Find(ns)->doc(), {"status", "phase"}), "Terminating");
  EXPECT_EQ(store.Find(ConfigMapKey("shop", "a")), nullptr);
  Result<LiveObject> blocked = store.Create(Obj(ConfigMap("shop", "new")));
  EXPECT_EQ(blocked.error(),
            "configmaps \"new\" is forbidden: unable to create new content in "
            "namespace shop because it is being terminated");
  store.RemoveFinalizer(held_key, "example.com/hold");
  EXPECT_EQ(store.Find(ns), nullptr);
  EXPECT_THAT(Log(), ElementsAre("MODIFIED shop by kubectl", "DELETED a by namespace",
                                 "MODIFIED held by namespace", "MODIFIED held",
                                 "DELETED held by namespace", "DELETED shop by kubectl"));
}

// Deleting a CRD deletes every object of its kind, then the kind is no longer served.
TEST_F(DeleteTest, CrdDeletionRemovesItsObjectsAndTheKind) {
  StoreFixture f({"sealed-secrets"});
  Json ss = {{"apiVersion", "bitnami.com/v1alpha1"},
             {"kind", "SealedSecret"},
             {"metadata", {{"name", "db"}, {"namespace", "default"}}}};
  ObjectKey obj = f.store.Create(Obj(ss))->key();
  f.store.Delete(
      {"apiextensions.k8s.io", "CustomResourceDefinition", "", "sealedsecrets.bitnami.com"}, {});
  EXPECT_EQ(f.store.Find(obj), nullptr);
  EXPECT_EQ(f.store.resources().Find("bitnami.com/v1alpha1", "SealedSecret"), nullptr);
}

TEST_F(DeleteTest, DeleteWithStaleUidPreconditionConflicts) {
  ObjectKey key = store.Create(Obj(ConfigMap("default", "app")))->key();
  Status s = store.Delete(key, {.uid_precondition = "not-the-uid"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(),
              ::testing::StartsWith("Operation cannot be fulfilled on configmaps \"app\": "
                                    "Precondition failed: UID in precondition: not-the-uid"));
}

}  // namespace
}  // namespace fleetsim
