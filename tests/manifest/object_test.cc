#include "sim/manifest/object.h"

#include <gtest/gtest.h>

#include "engine/random.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

using json = Json;

Object FromYaml(const std::string& yaml) {
  Result<std::vector<json>> docs = YamlToJson(yaml);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error());
  EXPECT_EQ(docs.ok() ? docs->size() : 0, 1u);
  return Object(docs.ok() && !docs->empty() ? docs->front() : json::object());
}

// gitops-engine's ResourceKey: group from apiVersion, kind, metadata.namespace and .name.
TEST(ObjectTest, ReadsIdentityFromTheDocument) {
  Object o = FromYaml(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n");
  EXPECT_EQ(o.api_version(), "apps/v1");
  EXPECT_EQ(o.key(),
            (ObjectKey{.group = "apps", .kind = "Deployment", .ns = "shop", .name = "web"}));
}

// apimachinery schema.ParseGroupVersion: "v1" is the core group; more than one '/' is invalid.
TEST(ObjectTest, GroupOfFollowsParseGroupVersion) {
  EXPECT_EQ(GroupOf("apps/v1"), "apps");
  EXPECT_EQ(GroupOf("argoproj.io/v1alpha1"), "argoproj.io");
  EXPECT_EQ(GroupOf("v1"), "");
  EXPECT_EQ(GroupOf(""), "");
  EXPECT_EQ(GroupOf("/"), "");
  EXPECT_EQ(GroupOf("a/b/c"), "");
}

// Unstructured.GetName: an object named by generateName has no name yet; the field is kept.
TEST(ObjectTest, GenerateNameLeavesTheNameEmptyAndStaysInTheDocument) {
  Object o = FromYaml("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n");
  EXPECT_EQ(o.name(), "");
  EXPECT_EQ(o.doc()["metadata"]["generateName"], "migrate-");
}

TEST(ObjectTest, ReadsLabelsAnnotationsOwnersAndFinalizers) {
  Object o = FromYaml(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  labels: {app: web, tier: ""}
  annotations: {argocd.argoproj.io/sync-wave: "2"}
  finalizers: [a/b]
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: u1, controller: true}
)");
  EXPECT_EQ(o.labels(), (std::map<std::string, std::string>{{"app", "web"}, {"tier", ""}}));
  EXPECT_EQ(o.annotation("argocd.argoproj.io/sync-wave"), "2");
  EXPECT_EQ(o.annotation("absent"), "");
  EXPECT_EQ(o.finalizers(), std::vector<std::string>{"a/b"});
  ASSERT_EQ(o.owner_references().size(), 1u);
  EXPECT_EQ(o.owner_references()[0], (OwnerReference{.api_version = "apps/v1",
                                                     .kind = "ReplicaSet",
                                                     .name = "rs",
                                                     .uid = "u1",
                                                     .controller = true,
                                                     .block_owner_deletion = false}));
}

// Unstructured.GetLabels (NestedNullCoercingStringMap): null values read as "", and a value of
// another type makes the whole map unreadable (empty).
TEST(ObjectTest, LabelsReadLikeUnstructuredGetLabels) {
  Object with_null = FromYaml("kind: A\nmetadata:\n  labels: {a: x, b: null}\n");
  EXPECT_EQ(with_null.labels(), (std::map<std::string, std::string>{{"a", "x"}, {"b", ""}}));
  Object with_bool = FromYaml("kind: A\nmetadata:\n  labels: {a: x, b: true}\n");
  EXPECT_TRUE(with_bool.labels().empty());
}

// Unstructured.GetFinalizers (NestedStringSlice): one non-string element and there are none.
TEST(ObjectTest, FinalizersWithANonStringElementReadAsNone) {
  Object o = FromYaml("kind: A\nmetadata:\n  finalizers: [a, 3]\n");
  EXPECT_TRUE(o.finalizers().empty());
}

TEST(ObjectTest, ContentHashDoesNotDependOnKeyOrder) {
  Object a(json::parse(R"({"kind":"A","metadata":{"name":"x","labels":{"p":"1","q":"2"}}})"));
  Object b(json::parse(R"({"metadata":{"labels":{"q":"2","p":"1"},"name":"x"},"kind":"A"})"));
  EXPECT_EQ(a.content_hash(), b.content_hash());
  EXPECT_EQ(a.content_hash(), HashJson(b.doc()));
}

// HashJson names ReplicaSets (pod-template-hash), so its value is part of the output: it must stay
// HashName of the compact dump, however it is computed.
TEST(ObjectTest, HashJsonIsTheHashOfTheCompactDump) {
  for (const json& doc :
       {json::parse(R"({"kind":"A","spec":{"replicas":2,"x":[1.5,null,true,"\u00e9\n\"q"]}})"),
        json(std::string("bad \xff utf-8")), json::array(), json::object(), json(-3)}) {
    EXPECT_EQ(HashJson(doc), HashName(doc.dump(-1, ' ', false, json::error_handler_t::replace)))
        << doc.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

TEST(ObjectTest, ContentHashChangesWithAValue) {
  Object a(json::parse(R"({"kind":"A","spec":{"replicas":2}})"));
  Object b(json::parse(R"({"kind":"A","spec":{"replicas":3}})"));
  Object c(json::parse(R"({"kind":"A","spec":{"replicas":"2"}})"));
  EXPECT_NE(a.content_hash(), b.content_hash());
  EXPECT_NE(a.content_hash(), c.content_hash());
}

// The timeline's object column: Kind/namespace/name, or Kind/name when cluster-scoped.
TEST(ObjectTest, KeyToStringOmitsAnEmptyNamespace) {
  EXPECT_EQ(
      (ObjectKey{.group = "apps", .kind = "Deployment", .ns = "shop", .name = "web"}).ToString(),
      "Deployment/shop/web");
  EXPECT_EQ((ObjectKey{.group = "", .kind = "Namespace", .ns = "", .name = "shop"}).ToString(),
            "Namespace/shop");
}

TEST(ObjectTest, WithNamespaceSetsAndRemovesTheNamespace) {
  Object o = FromYaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
  ObjectPtr placed = WithNamespace(o, "shop");
  EXPECT_EQ(placed->ns(), "shop");
  EXPECT_EQ(placed->doc()["metadata"]["namespace"], "shop");
  EXPECT_NE(placed->content_hash(), o.content_hash());
  ObjectPtr cleared = WithNamespace(*placed, "");
  EXPECT_EQ(cleared->ns(), "");
  EXPECT_EQ(cleared->content_hash(), o.content_hash());
}

}  // namespace
}  // namespace fleetsim
