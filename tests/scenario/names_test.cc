// Name rules, the metric list and YAML text: the small pure helpers of the loader.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "sim/scenario/metric_names.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/yaml_text.h"

namespace fleetsim {
namespace {

TEST(NameRulesTest, DnsLabel) {
  EXPECT_TRUE(IsDnsLabel("appset-rename"));
  EXPECT_TRUE(IsDnsLabel("a1"));
  EXPECT_FALSE(IsDnsLabel("-a"));
  EXPECT_FALSE(IsDnsLabel("a-"));
  EXPECT_FALSE(IsDnsLabel("A"));
  EXPECT_FALSE(IsDnsLabel("a.b"));
  EXPECT_FALSE(IsDnsLabel(std::string(64, 'a')));
}

TEST(NameRulesTest, DnsSubdomain) {
  EXPECT_TRUE(IsDnsSubdomain("prod.eu-west.1"));
  EXPECT_FALSE(IsDnsSubdomain("prod..eu"));
  EXPECT_FALSE(IsDnsSubdomain("prod_1"));
}

TEST(NameRulesTest, Labels) {
  EXPECT_TRUE(IsLabelKey("app.kubernetes.io/name"));
  EXPECT_TRUE(IsLabelKey("env"));
  EXPECT_FALSE(IsLabelKey("a/b/c"));
  EXPECT_TRUE(IsLabelValue(""));
  EXPECT_TRUE(IsLabelValue("v1.2_3"));
  EXPECT_FALSE(IsLabelValue("has space"));
}

TEST(NameRulesTest, References) {
  EXPECT_TRUE(IsObjectRef("Deployment/shop/checkout"));
  EXPECT_TRUE(IsObjectRef("Namespace/shop"));
  EXPECT_FALSE(IsObjectRef("checkout"));
  EXPECT_FALSE(IsObjectRef("Deployment//x"));
  EXPECT_TRUE(IsKindNameRef("Deployment/checkout"));
  EXPECT_FALSE(IsKindNameRef("Deployment/shop/checkout"));
  EXPECT_TRUE(IsGlob("prod-*"));
  EXPECT_FALSE(IsGlob("prod-1"));
}

TEST(NameRulesTest, RepoRelativePath) {
  EXPECT_TRUE(IsRepoRelativePath("apps/checkout/base"));
  EXPECT_TRUE(IsRepoRelativePath("."));
  EXPECT_FALSE(IsRepoRelativePath("/etc/passwd"));
  EXPECT_FALSE(IsRepoRelativePath("apps/../../x"));
  EXPECT_FALSE(IsRepoRelativePath(""));
}

TEST(MetricNamesTest, SortedAndComplete) {
  const std::vector<std::string>& names = KnownMetrics();
  EXPECT_EQ(names.size(), 35u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(IsKnownMetric("convergence_p99_seconds"));
  EXPECT_TRUE(IsKnownMetric("notifications_on_deployed"));
  EXPECT_FALSE(IsKnownMetric("convergence_p95_seconds"));
}

std::string Text(const std::string& yaml) { return ToYamlText(YAML::Load(yaml)["v"]); }

TEST(YamlTextTest, ScalarsKeepTheirType) {
  EXPECT_EQ(Text("v: 3"), "3");
  EXPECT_EQ(Text("v: true"), "true");
  EXPECT_EQ(Text("v: \"3\""), "\"3\"");
  EXPECT_EQ(Text("v: 'a\"b'"), "\"a\\\"b\"");
  EXPECT_EQ(Text("v:"), "null");
  EXPECT_EQ(Text("v: ghcr.io/acme/x:1.0"), "\"ghcr.io/acme/x:1.0\"");
}

TEST(YamlTextTest, CollectionsInFlowStyle) {
  EXPECT_EQ(Text("v: {a: 1, b: [x, \"y\"]}"), "{a: 1, b: [x, \"y\"]}");
  EXPECT_EQ(Text("v:\n  - a: multi\n    b: line, text\n"), "[{a: multi, b: \"line, text\"}]");
}

TEST(YamlTextTest, TextReadsBackAsTheSameValue) {
  YAML::Node original = YAML::Load("{a: \"1\", b: 2, c: [x, 'y z', {d: \"e: f\"}], g: ~}");
  YAML::Node again = YAML::Load(ToYamlText(original));
  EXPECT_EQ(ToYamlText(again), ToYamlText(original));
  EXPECT_EQ(again["c"][2]["d"].as<std::string>(), "e: f");
}

}  // namespace
}  // namespace fleetsim
