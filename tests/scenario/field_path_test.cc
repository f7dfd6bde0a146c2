#include "sim/scenario/field_path.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

// Steps as text: keys as written, indexes as [n].
std::string Steps(std::string_view path) {
  Result<std::vector<FieldPathStep>> steps = ParseFieldPath(path);
  if (!steps.ok()) return steps.error();
  std::string out;
  for (const FieldPathStep& step : *steps) {
    if (step.is_index) {
      out += '[';
      out += std::to_string(step.index);
      out += ']';
    } else {
      out += '<';
      out += step.key;
      out += '>';
    }
  }
  return out;
}

TEST(FieldPathTest, DottedKeys) { EXPECT_EQ(Steps("spec.replicas"), "<spec><replicas>"); }

TEST(FieldPathTest, ListIndexes) {
  EXPECT_EQ(Steps("spec.template.spec.containers[0].image"),
            "<spec><template><spec><containers>[0]<image>");
  EXPECT_EQ(Steps("a[1][2]"), "<a>[1][2]");
}

TEST(FieldPathTest, QuotedKeysHoldDots) {
  EXPECT_EQ(Steps("metadata.annotations.\"argocd.argoproj.io/sync-wave\""),
            "<metadata><annotations><argocd.argoproj.io/sync-wave>");
}

TEST(FieldPathTest, StepOffsets) {
  Result<std::vector<FieldPathStep>> steps = ParseFieldPath("ab.c[10]");
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 3u);
  EXPECT_EQ((*steps)[1].begin, 3u);
  EXPECT_EQ((*steps)[2].begin, 4u);
  EXPECT_EQ((*steps)[2].end, 8u);
}

TEST(FieldPathTest, Errors) {
  EXPECT_EQ(Steps(""), "invalid path \"\": empty path at character 1");
  EXPECT_EQ(Steps("a..b"), "invalid path \"a..b\": empty key at character 3");
  EXPECT_EQ(Steps("a."), "invalid path \"a.\": empty key at character 3");
  EXPECT_EQ(Steps("[0]"), "invalid path \"[0]\": empty key at character 1");
  EXPECT_EQ(Steps("a[x]"),
            "invalid path \"a[x]\": expected a list index such as [0] at character 2");
  EXPECT_EQ(Steps("a[1"), "invalid path \"a[1\": expected a list index such as [0] at character 2");
  EXPECT_EQ(Steps("a]b"), "invalid path \"a]b\": unexpected ']' at character 2");
  EXPECT_EQ(Steps("\"a.b"), "invalid path \"\"a.b\": unterminated quote at character 1");
  EXPECT_EQ(Steps("a[0]b"), "invalid path \"a[0]b\": expected '.' or '[' at character 5");
}

}  // namespace
}  // namespace fleetsim
