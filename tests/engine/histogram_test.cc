#include "engine/histogram.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

TEST(HistogramTest, EmptyReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(0.5), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(HistogramTest, SmallValuesAreExactNearestRank) {
  Histogram h;
  for (int v = 1; v <= 100; ++v) h.Add(v);
  EXPECT_EQ(h.Percentile(0.5), 50);
  EXPECT_EQ(h.Percentile(0.99), 99);
  EXPECT_EQ(h.Percentile(1.0), 100);
  EXPECT_EQ(h.Percentile(0.0), 1);
  EXPECT_EQ(h.sum(), 5050);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(HistogramTest, RepeatedLargeValuesAreExact) {
  Histogram h;
  h.Add(1'000'000);
  h.Add(2'000'000);
  h.Add(3'000'000);
  EXPECT_EQ(h.Percentile(0.5), 2'000'000);
  EXPECT_EQ(h.Percentile(0.34), 2'000'000);
  EXPECT_EQ(h.Percentile(0.33), 1'000'000);
}

TEST(HistogramTest, LargeValuesWithinRelativeError) {
  Histogram h;
  for (int64_t v = 1; v <= 100000; ++v) h.Add(v * 1000);
  const int64_t p90 = h.Percentile(0.9);
  EXPECT_GE(p90, 90'000'000);
  EXPECT_LE(p90, 90'000'000 + 90'000'000 / 128);
  EXPECT_EQ(h.max(), 100'000'000);
  EXPECT_EQ(h.min(), 1000);
}

TEST(HistogramTest, NegativeValuesCountAsZero) {
  Histogram h;
  h.Add(-5);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.Percentile(1.0), 0);
}

TEST(HistogramTest, MergeEqualsAddingEverything) {
  Histogram a, b, all;
  for (int64_t v = 0; v < 1000; ++v) {
    (v % 2 == 0 ? a : b).Add(v * 7919);
    all.Add(v * 7919);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.sum(), all.sum());
  for (double q : {0.1, 0.5, 0.9, 0.99}) EXPECT_EQ(a.Percentile(q), all.Percentile(q));
}

}  // namespace
}  // namespace fleetsim
