// ObjectStore reads and writes: server-set metadata, generation rules, apply, namespaces, custom
// kinds and CRDs, watch notifications. Each test names the Kubernetes behaviour it checks.
#include "sim/cluster/object_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cluster/api_errors.h"
#include "sim/cluster/json_fields.h"
#include "tests/cluster/cluster_test_util.h"

namespace fleetsim {
namespace {

using namespace testing_cluster;
using ::testing::ElementsAre;

class ObjectStoreTest : public ::testing::Test, public StoreFixture {};

TEST_F(ObjectStoreTest, CreateSetsServerMetadata) {
  sim.RunUntil(At(90));
  Result<LiveObject> cm = store.Create(Obj(ConfigMap("default", "app")));
  ASSERT_TRUE(cm.ok()) << cm.error();
  EXPECT_EQ(cm->generation, 1);
  EXPECT_EQ(cm->created, At(90));
  EXPECT_EQ(StringAt(cm->doc(), {"metadata", "creationTimestamp"}), "2026-01-01T00:01:30Z");
  EXPECT_EQ(StringAt(cm->doc(), {"metadata", "uid"}), cm->uid);
  EXPECT_EQ(StringAt(cm->doc(), {"metadata", "resourceVersion"}),
            std::to_string(cm->resource_version));
}

// uids derive from the cluster name and a per-cluster counter: the same history gives the same
// uids, another cluster gives others.
TEST_F(ObjectStoreTest, UidsAreDeterministicPerClusterAndDistinct) {
  Simulator sim2;
  ObjectStore same("c1", sim2, kStart), other("c2", sim2, kStart);
  same.Bootstrap({});
  other.Bootstrap({});
  std::string a = store.Create(Obj(ConfigMap("default", "x")))->uid;
  EXPECT_EQ(same.Create(Obj(ConfigMap("default", "x")))->uid, a);
  EXPECT_NE(other.Create(Obj(ConfigMap("default", "x")))->uid, a);
  EXPECT_NE(store.Create(Obj(ConfigMap("default", "y")))->uid, a);
  EXPECT_THAT(a, ::testing::MatchesRegex(
                     "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

TEST_F(ObjectStoreTest, CreateTwiceIsAlreadyExists) {
  ASSERT_TRUE(store.Create(Obj(Deployment("default", "web", 1))).ok());
  Result<LiveObject> again = store.Create(Obj(Deployment("default", "web", 1)));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), "deployments.apps \"web\" already exists");
  EXPECT_TRUE(IsAlreadyExists(again.status()));
}

TEST_F(ObjectStoreTest, NamespacedObjectNeedsItsNamespace) {
  Result<LiveObject> r = store.Create(Obj(ConfigMap("shop", "app")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "namespaces \"shop\" not found");
  ASSERT_TRUE(store.Create(Obj(Namespace("shop"))).ok());
  EXPECT_TRUE(store.Create(Obj(ConfigMap("shop", "app"))).ok());
}

TEST_F(ObjectStoreTest, GetMissingIsNotFoundWithResourceName) {
  Result<LiveObject> r = store.Get(DeploymentKey("default", "web"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "deployments.apps \"web\" not found");
  EXPECT_TRUE(IsNotFound(r.status()));
  EXPECT_EQ(store.Get({"", "Pod", "default", "p"}).error(), "pods \"p\" not found");
}

// The generation moves only when something outside metadata and status changes.
TEST_F(ObjectStoreTest, GenerationBumpsOnSpecChangesOnly) {
  ObjectKey key = DeploymentKey("default", "web");
  ASSERT_TRUE(store.Create(Obj(Deployment("default", "web", 1))).ok());
  EXPECT_EQ(store.Patch(key, J(R"({"metadata":{"labels":{"team":"a"}}})"))->generation, 1);
  EXPECT_EQ(store.UpdateStatus(key, J(R"({"replicas":1})"))->generation, 1);
  EXPECT_EQ(store.Patch(key, J(R"({"spec":{"replicas":3}})"))->generation, 2);
}

TEST_F(ObjectStoreTest, ResourceVersionMovesOnEveryChangeButNotOnNoOps) {
  ObjectKey key = ConfigMapKey("default", "app");
  uint64_t rv = store.Create(Obj(ConfigMap("default", "app")))->resource_version;
  EXPECT_EQ(store.Patch(key, J(R"({"data":{"k":"v"}})"))->resource_version, rv);
  EXPECT_GT(store.Patch(key, J(R"({"data":{"k":"w"}})"))->resource_version, rv);
}

// A status write (PUT of the status subresource) changes status and the resourceVersion and
// nothing else: labels, annotations, spec, uid and creationTimestamp stay; the watch event carries
// the document before; a null status removes it. A kind without a status subresource counts the
// change in its generation, as Kubernetes counts any change outside metadata there.
TEST_F(ObjectStoreTest, StatusWriteChangesOnlyStatusAndResourceVersion) {
  Json d = Deployment("default", "web", 2);
  d["metadata"]["labels"] = {{"team", "a"}};
  d["metadata"]["annotations"] = {{"note", "kept"}};
  Result<LiveObject> created = store.Create(Obj(d));
  ASSERT_TRUE(created.ok());
  std::vector<WatchEvent> events;
  store.AddObserver([&](const WatchEvent& e) { events.push_back(e); });

  Result<LiveObject> updated = store.UpdateStatus(created->key(), J(R"({"replicas":2})"));
  ASSERT_TRUE(updated.ok());
  EXPECT_GT(updated->resource_version, created->resource_version);
  EXPECT_EQ(updated->generation, created->generation);
  EXPECT_EQ(StringAt(updated->doc(), {"metadata", "resourceVersion"}),
            std::to_string(updated->resource_version));
  EXPECT_EQ(IntAt(updated->doc(), {"metadata", "generation"}, -1), created->generation);
  EXPECT_EQ(updated->status(), J(R"({"replicas":2})"));
  Json before = created->doc(), after = updated->doc();
  before.erase("status");
  after.erase("status");
  before["metadata"].erase("resourceVersion");
  after["metadata"].erase("resourceVersion");
  EXPECT_EQ(after, before);
  EXPECT_EQ(updated->object->labels(), created->object->labels());
  EXPECT_EQ(updated->object->annotation("note"), "kept");
  EXPECT_EQ(store.Find(created->key())->object, updated->object);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, WatchEventType::kModified);
  EXPECT_EQ(events[0].previous, created->object);

  Result<LiveObject> cleared = store.UpdateStatus(created->key(), Json());
  EXPECT_FALSE(cleared->doc().contains("status"));
  EXPECT_GT(cleared->resource_version, updated->resource_version);

  // An Argo CD Application: its CRD declares no status subresource.
  for (Json& crd : AddonCrds("argo-cd")) store.Create(Obj(crd));
  Json app = {{"apiVersion", "argoproj.io/v1alpha1"},
              {"kind", "Application"},
              {"metadata", {{"name", "web"}, {"namespace", "default"}}},
              {"spec", {{"project", "default"}}}};
  Result<LiveObject> created_app = store.Create(Obj(app));
  ASSERT_TRUE(created_app.ok()) << created_app.error();
  EXPECT_EQ(
      store.UpdateStatus(created_app->key(), J(R"({"sync":{"status":"Synced"}})"))->generation,
      created_app->generation + 1);
}

// A kind with a status subresource ignores status in what clients write (create, update, apply).
TEST_F(ObjectStoreTest, StatusSubresourceIgnoresStatusInMainWrites) {
  Json d = Deployment("default", "web", 1);
  d["status"] = {{"replicas", 7}};
  Result<LiveObject> created = store.Create(Obj(d));
  EXPECT_TRUE(created->status().is_null());
  store.UpdateStatus(created->key(), J(R"({"replicas":1})"));
  Result<LiveObject> updated = store.Update(Obj(d));
  EXPECT_EQ(IntAt(updated->doc(), {"status", "replicas"}, -1), 1);
}

// kubectl apply (client-side): a field the last apply set and the new one drops is removed; a
// field someone else set is kept.
TEST_F(ObjectStoreTest, ApplyIsAThreeWayMerge) {
  ObjectKey key = ConfigMapKey("default", "app");
  Json cm = ConfigMap("default", "app");
  cm["data"] = {{"a", "1"}, {"b", "2"}};
  ASSERT_TRUE(store.Apply(Obj(cm)).ok());
  store.Patch(key, J(R"({"metadata":{"annotations":{"by-hand":"x"}}})"));
  cm["data"] = {{"a", "1"}};
  Result<ApplyResult> r = store.Apply(Obj(cm));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->changed);
  EXPECT_FALSE(r->created);
  EXPECT_EQ(JsonAt(r->object.doc(), {"data"}), J(R"({"a":"1"})"));
  EXPECT_EQ(r->object.object->annotation("by-hand"), "x");
}

// The last-applied document is remembered over several applies, nested fields included: a field
// dropped from Git goes, one an earlier apply never set stays.
TEST_F(ObjectStoreTest, ApplyRemembersTheLastAppliedNestedFields) {
  ObjectKey key = ConfigMapKey("default", "app");
  Json cm = ConfigMap("default", "app");
  cm["metadata"]["labels"] = {{"team", "a"}, {"tier", "web"}};
  ASSERT_TRUE(store.Apply(Obj(cm)).ok());
  store.Patch(key, J(R"({"metadata":{"labels":{"by-hand":"x"}}})"));
  cm["metadata"]["labels"] = {{"team", "b"}, {"tier", "web"}};
  ASSERT_TRUE(store.Apply(Obj(cm)).ok());
  cm["metadata"]["labels"] = {{"team", "b"}};
  Result<ApplyResult> r = store.Apply(Obj(cm));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(JsonAt(r->object.doc(), {"metadata", "labels"}), J(R"({"by-hand":"x","team":"b"})"));
}

// The remembered keys survive any spelling: keys longer than 127 bytes, keys made of the bytes the
// store's own encoding uses, an empty key, a NUL byte; a value that was a list or a scalar is not
// merged into (kubectl replaces it whole), one that was an object is.
TEST_F(ObjectStoreTest, ApplyRemembersKeysOfAnySpelling) {
  ObjectKey key = ConfigMapKey("default", "app");
  const std::string long_key(300, 'e');
  const std::string odd_keys[] = {long_key, "k", "o", "v", "e", "", std::string("a\0b", 3)};
  Json cm = ConfigMap("default", "app");
  for (const std::string& k : odd_keys) cm["data"][k] = "1";
  cm["spec"] = {{"list", {1, 2}}, {"nested", {{"x", 1}, {"y", 2}}}};
  ASSERT_TRUE(store.Apply(Obj(cm)).ok());
  store.Patch(key, J(R"({"spec":{"nested":{"by-hand":3}}})"));
  Json next = ConfigMap("default", "app");
  next["data"] = {{"kept", "1"}};
  next["spec"] = {{"nested", {{"x", 1}}}};
  Result<ApplyResult> r = store.Apply(Obj(next));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(JsonAt(r->object.doc(), {"data"}), J(R"({"kept":"1"})"));
  EXPECT_EQ(JsonAt(r->object.doc(), {"spec"}), J(R"({"nested":{"by-hand":3,"x":1}})"));
}
TEST_F(ObjectStoreTest, ApplyOfTheSameDocumentChangesNothing) {
  ASSERT_TRUE(store.Apply(Obj(Deployment("default", "web", 2))).ok());
  Result<ApplyResult> again = store.Apply(Obj(Deployment("default", "web", 2)));
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->object.generation, 1);
}

TEST_F(ObjectStoreTest, DryRunApplyStoresNothing) {
  Result<ApplyResult> r = store.Apply(Obj(Deployment("default", "web", 2)), {.dry_run = true});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->created);
  EXPECT_EQ(store.Find(DeploymentKey("default", "web")), nullptr);
}

TEST_F(ObjectStoreTest, ListFiltersByKindNamespaceAndSelectorInKeyOrder) {
  store.Create(Obj(Namespace("shop")));
  for (const char* name : {"b", "a", "c"}) {
    Json cm = ConfigMap("shop", name);
    cm["metadata"]["labels"] = {{"tier", std::string(name) == "c" ? "db" : "web"}};
    store.Create(Obj(cm));
  }
  store.Create(Obj(ConfigMap("default", "z")));
  ListOptions opts{"", "ConfigMap", std::string("shop"),
                   *LabelSelector::FromJson(J(R"({"matchLabels":{"tier":"web"}})"))};
  Result<std::vector<LiveObject>> list = store.List(opts);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> names;
  for (const LiveObject& o : *list) names.push_back(o.key().name);
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

// "the server could not find the requested resource" is what the API server answers for a kind
// it does not serve; Argo CD's AugmentSyncMsg (util/argo/argo.go) turns it into the CRD hint.
TEST_F(ObjectStoreTest, CustomResourceBeforeItsCrdFails) {
  Json rollout = {{"apiVersion", "argoproj.io/v1alpha1"},
                  {"kind", "Rollout"},
                  {"metadata", {{"name", "web"}, {"namespace", "default"}}}};
  Result<LiveObject> r = store.Create(Obj(rollout));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "the server could not find the requested resource");
  EXPECT_EQ(store.resources().Discover("argoproj.io/v1alpha1", "Rollout").error(),
            "failed to discover server resources for group version argoproj.io/v1alpha1: the "
            "server could not find the requested resource");
  // The refresh's probe (Discoverable) answers with Discover's error, without the resource.
  EXPECT_EQ(store.resources().Discoverable("argoproj.io/v1alpha1", "Rollout").message(),
            store.resources().Discover("argoproj.io/v1alpha1", "Rollout").error());
  for (Json& crd : AddonCrds("argo-rollouts")) store.Create(Obj(crd));
  EXPECT_TRUE(store.Create(Obj(rollout)).ok());
  EXPECT_TRUE(store.resources().Discoverable("argoproj.io/v1alpha1", "Rollout").ok());
}

TEST_F(ObjectStoreTest, DiscoveryOfAMissingKindInAServedGroupVersion) {
  for (Json& crd : AddonCrds("argo-cd")) store.Create(Obj(crd));
  EXPECT_EQ(store.resources().Discover("argoproj.io/v1alpha1", "Rollout").error(),
            "Rollout.argoproj.io \"\" not found");
  EXPECT_EQ(store.resources().Discoverable("argoproj.io/v1alpha1", "Rollout").message(),
            "Rollout.argoproj.io \"\" not found");
}

TEST_F(ObjectStoreTest, PreinstalledAddonsServeTheirKinds) {
  StoreFixture f({"argo-rollouts", "sealed-secrets", "external-secrets"});
  const ApiResources& r = f.store.resources();
  EXPECT_NE(r.Find("argoproj.io/v1alpha1", "AnalysisTemplate"), nullptr);
  EXPECT_FALSE(r.Find("argoproj.io/v1alpha1", "ClusterAnalysisTemplate")->namespaced);
  EXPECT_NE(r.Find("bitnami.com/v1alpha1", "SealedSecret"), nullptr);
  EXPECT_NE(r.Find("external-secrets.io/v1", "ExternalSecret"), nullptr);
  EXPECT_NE(r.Find("external-secrets.io/v1beta1", "ClusterSecretStore"), nullptr);
  EXPECT_EQ(r.Find("argoproj.io/v1alpha1", "Application"), nullptr);
}

TEST_F(ObjectStoreTest, CrdNameMustBePluralDotGroup) {
  Json crd = AddonCrds("sealed-secrets").front();
  crd["metadata"]["name"] = "sealed";
  Result<LiveObject> r = store.Create(Obj(crd));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "CustomResourceDefinition.apiextensions.k8s.io \"sealed\" is invalid: "
            "metadata.name: Invalid value: \"sealed\": must be "
            "spec.names.plural+\".\"+spec.group");
}

TEST_F(ObjectStoreTest, ClusterScopedKindDropsTheNamespace) {
  Json role = {{"apiVersion", "rbac.authorization.k8s.io/v1"},
               {"kind", "ClusterRole"},
               {"metadata", {{"name", "viewer"}, {"namespace", "nowhere"}}}};
  Result<LiveObject> r = store.Create(Obj(role));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->key().ns, "");
}

TEST_F(ObjectStoreTest, GenerateNameMakesAUniqueName) {
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"generateName", "web-"}, {"namespace", "default"}}},
              {"spec", {{"containers", Json::array()}}}};
  std::string a = store.Create(Obj(pod))->key().name;
  std::string b = store.Create(Obj(pod))->key().name;
  EXPECT_THAT(a, ::testing::MatchesRegex("web-[bcdfghjklmnpqrstvwxz2456789]{5}"));
  EXPECT_NE(a, b);
}

// Observers see every change, in order, with the object's state; they may write to the store,
// and those events follow.
TEST_F(ObjectStoreTest, WatchSeesAddedModifiedDeletedInOrder) {
  std::vector<std::string> seen;
  store.AddObserver([&](const WatchEvent& e) {
    seen.push_back(std::string(WatchEventTypeName(e.type)) + " " + e.object.key().name + " " +
                   std::string(e.cluster));
    if (e.type == WatchEventType::kAdded && e.object.key().name == "a") {
      store.Create(Obj(ConfigMap("default", "b")));
    }
  });
  ObjectKey a = ConfigMapKey("default", "a");
  store.Create(Obj(ConfigMap("default", "a")));
  store.Patch(a, J(R"({"data":{"k":"2"}})"));
  store.Delete(a, {});
  EXPECT_THAT(seen, ElementsAre("ADDED a c1", "ADDED b c1", "MODIFIED a c1", "DELETED a c1"));
}

TEST_F(ObjectStoreTest, WatchReportsWhoDeleted) {
  std::string cause;
  store.AddObserver([&](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) cause = e.cause;
  });
  store.Create(Obj(ConfigMap("default", "a")));
  store.Delete(ConfigMapKey("default", "a"), {.cause = std::string(kCauseArgoCdPrune)});
  EXPECT_EQ(cause, "argocd-prune");
}

TEST_F(ObjectStoreTest, WipeRemovesEverythingAndForgetsCustomKinds) {
  StoreFixture f({"argo-rollouts"});
  int deleted = 0;
  f.store.AddObserver([&](const WatchEvent& e) { deleted += e.type == WatchEventType::kDeleted; });
  size_t before = f.store.size();
  f.store.Wipe(kCauseFault);
  EXPECT_EQ(deleted, static_cast<int>(before));
  EXPECT_EQ(f.store.size(), 0u);
  EXPECT_EQ(f.store.resources().Find("argoproj.io/v1alpha1", "Rollout"), nullptr);
}

}  // namespace
}  // namespace fleetsim
