#include "engine/sim_time.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

SimDuration Parse(std::string_view text) {
  Result<SimDuration> d = ParseDuration(text);
  EXPECT_TRUE(d.ok()) << text << ": " << (d.ok() ? "" : d.error());
  return d.ok() ? *d : SimDuration::Zero();
}

TEST(ParseDurationTest, SingleUnits) {
  EXPECT_EQ(Parse("250ms"), SimDuration::Millis(250));
  EXPECT_EQ(Parse("90s"), SimDuration::Seconds(90));
  EXPECT_EQ(Parse("15m"), SimDuration::Minutes(15));
  EXPECT_EQ(Parse("2h"), SimDuration::Hours(2));
  EXPECT_EQ(Parse("1d"), SimDuration::Days(1));
  EXPECT_EQ(Parse("7us"), SimDuration::Micros(7));
}

TEST(ParseDurationTest, CombinationsInDescendingOrder) {
  EXPECT_EQ(Parse("1h30m"), SimDuration::Minutes(90));
  EXPECT_EQ(Parse("1d2h"), SimDuration::Hours(26));
  EXPECT_EQ(Parse("1m30s500ms"), SimDuration::Millis(90'500));
}

TEST(ParseDurationTest, DecimalsAreExact) {
  EXPECT_EQ(Parse("1.5h"), SimDuration::Minutes(90));
  EXPECT_EQ(Parse("0.25s"), SimDuration::Millis(250));
  EXPECT_EQ(Parse("1.000001s"), SimDuration::Micros(1'000'001));
}

TEST(ParseDurationTest, BareIntegerIsSeconds) {
  EXPECT_EQ(Parse("90"), SimDuration::Seconds(90));
  EXPECT_EQ(Parse("0"), SimDuration::Zero());
}

TEST(ParseDurationTest, RejectsEmpty) {
  Result<SimDuration> d = ParseDuration("");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("empty"), std::string::npos);
}

TEST(ParseDurationTest, RejectsUnknownUnit) {
  Result<SimDuration> d = ParseDuration("5x");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("unit"), std::string::npos);
}

TEST(ParseDurationTest, RejectsNegative) {
  Result<SimDuration> d = ParseDuration("-1s");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("negative"), std::string::npos);
}

TEST(ParseDurationTest, RejectsUnitsOutOfOrder) {
  Result<SimDuration> d = ParseDuration("1m1h");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().find("descending"), std::string::npos);
  EXPECT_FALSE(ParseDuration("1h1h").ok());
}

TEST(ParseDurationTest, RejectsMissingNumberAndOverflow) {
  EXPECT_FALSE(ParseDuration("h").ok());
  EXPECT_FALSE(ParseDuration("1h ").ok());
  EXPECT_FALSE(ParseDuration("99999999999999999d").ok());
  EXPECT_FALSE(ParseDuration("9999999999999").ok());
}

TEST(FormatDurationTest, ShortestExactForm) {
  EXPECT_EQ(FormatDuration(SimDuration::Zero()), "0s");
  EXPECT_EQ(FormatDuration(SimDuration::Minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(SimDuration::Millis(250)), "250ms");
  EXPECT_EQ(FormatDuration(SimDuration::Hours(26)), "1d2h");
  EXPECT_EQ(FormatDuration(SimDuration::Micros(1'000'001)), "1s1us");
}

TEST(FormatDurationTest, RoundTripsThroughParse) {
  for (SimDuration d : {SimDuration::Micros(1), SimDuration::Millis(1500), SimDuration::Days(3),
                        SimDuration::Seconds(3725)}) {
    EXPECT_EQ(Parse(FormatDuration(d)), d);
  }
}

TEST(FormatSecondsTest, UpToSixDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(FormatSeconds(SimDuration::Seconds(12)), "12");
  EXPECT_EQ(FormatSeconds(SimDuration::Millis(250)), "0.25");
  EXPECT_EQ(FormatSeconds(SimDuration::Micros(3'600'000'001)), "3600.000001");
  EXPECT_EQ(FormatSeconds(SimDuration::Zero()), "0");
}

}  // namespace
}  // namespace fleetsim
