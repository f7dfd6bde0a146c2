#include "sim/manifest/kinds.h"

#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

TEST(KindsTest, ClusterScopedBuiltInKinds) {
  for (const auto& [group, kind] : std::vector<std::pair<std::string, std::string>>{
           {"", "Namespace"},
           {"", "Node"},
           {"", "PersistentVolume"},
           {"storage.k8s.io", "StorageClass"},
           {"rbac.authorization.k8s.io", "ClusterRole"},
           {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
           {"apiextensions.k8s.io", "CustomResourceDefinition"},
           {"apiregistration.k8s.io", "APIService"},
           {"networking.k8s.io", "IngressClass"},
           {"scheduling.k8s.io", "PriorityClass"},
           {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
           {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
           {"storage.k8s.io", "CSIDriver"},
           {"node.k8s.io", "RuntimeClass"}}) {
    EXPECT_TRUE(IsClusterScopedBuiltInKind(group, kind)) << group << "/" << kind;
  }
}

TEST(KindsTest, NamespacedBuiltInKinds) {
  EXPECT_TRUE(IsBuiltInKind("apps", "Deployment"));
  EXPECT_FALSE(IsClusterScopedBuiltInKind("apps", "Deployment"));
  EXPECT_FALSE(IsClusterScopedBuiltInKind("", "ConfigMap"));
  EXPECT_FALSE(IsClusterScopedBuiltInKind("rbac.authorization.k8s.io", "Role"));
}

TEST(KindsTest, KindsAreKnownOnlyInTheirGroup) {
  EXPECT_FALSE(IsBuiltInKind("", "Deployment"));
  EXPECT_FALSE(IsBuiltInKind("argoproj.io", "Rollout"));
  EXPECT_TRUE(IsBuiltInKind("events.k8s.io", "Event"));
  EXPECT_EQ(BuiltInGroupOf("Deployment"), "apps");
  EXPECT_EQ(BuiltInGroupOf("Event"), "");
  EXPECT_EQ(BuiltInGroupOf("Rollout"), std::nullopt);
}

TEST(KindsTest, BuiltInKindsAreSortedAndUnique) {
  std::span<const KindInfo> kinds = BuiltInKinds();
  EXPECT_TRUE(std::adjacent_find(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) {
                return std::tie(a.group, a.kind) >= std::tie(b.group, b.kind);
              }) == kinds.end());
}

Object FromYaml(const std::string& yaml) {
  Result<std::vector<Json>> docs = YamlToJson(yaml);
  EXPECT_TRUE(docs.ok() && docs->size() == 1);
  return Object(docs.ok() && !docs->empty() ? docs->front() : Json::object());
}

constexpr char kRolloutCrd[] = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: rollouts.argoproj.io
spec:
  group: argoproj.io
  names: {kind: Rollout, plural: rollouts, shortNames: [ro]}
  scope: Namespaced
  versions:
  - {name: v1alpha1, served: true, storage: true}
  - {name: v0, served: false, storage: false}
)";

TEST(KindsTest, ReadsACustomResourceDefinition) {
  Result<CustomResourceInfo> info = ReadCustomResourceDefinition(FromYaml(kRolloutCrd));
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(info->group, "argoproj.io");
  EXPECT_EQ(info->kind, "Rollout");
  EXPECT_EQ(info->plural, "rollouts");
  EXPECT_TRUE(info->namespaced);
  EXPECT_EQ(info->served_versions, std::vector<std::string>{"v1alpha1"});
}

TEST(KindsTest, ClusterScopedCustomResourceDefinition) {
  std::string yaml = kRolloutCrd;
  yaml.replace(yaml.find("Namespaced"), 10, "Cluster");
  Result<CustomResourceInfo> info = ReadCustomResourceDefinition(FromYaml(yaml));
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_FALSE(info->namespaced);
}

// The API server's CRD validation (apiextensions validation: field.NotSupported / Required).
TEST(KindsTest, InvalidCustomResourceDefinitionsAreRefused) {
  std::string bad_scope = kRolloutCrd;
  bad_scope.replace(bad_scope.find("Namespaced"), 10, "Global");
  EXPECT_EQ(
      ReadCustomResourceDefinition(FromYaml(bad_scope)).error(),
      "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"");
  std::string no_group = kRolloutCrd;
  no_group.replace(no_group.find("group: argoproj.io"), 18, "x: y");
  EXPECT_EQ(ReadCustomResourceDefinition(FromYaml(no_group)).error(), "spec.group: Required value");
  EXPECT_FALSE(ReadCustomResourceDefinition(FromYaml("apiVersion: v1\nkind: ConfigMap\n")).ok());
}

}  // namespace
}  // namespace fleetsim
