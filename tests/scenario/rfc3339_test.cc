#include "sim/scenario/rfc3339.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

int64_t Parse(std::string_view text) {
  Result<int64_t> result = ParseRfc3339(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.error();
  return result.ok() ? *result : -1;
}

std::string ErrorOf(std::string_view text) {
  Result<int64_t> result = ParseRfc3339(text);
  return result.ok() ? "(parsed)" : result.error();
}

TEST(Rfc3339Test, Utc) {
  EXPECT_EQ(Parse("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Parse("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_EQ(Parse("2026-01-05T09:00:00z"), 1767603600);
  EXPECT_EQ(Parse("2026-01-05t09:00:00Z"), 1767603600);
}

TEST(Rfc3339Test, Offsets) {
  EXPECT_EQ(Parse("2026-01-05T11:00:00+02:00"), 1767603600);
  EXPECT_EQ(Parse("2026-01-05T03:30:00-05:30"), 1767603600);
  EXPECT_EQ(Parse("2026-01-05T09:00:00+00:00"), 1767603600);
}

TEST(Rfc3339Test, LeapYearsAndEarlyDates) {
  EXPECT_EQ(Parse("2024-02-29T00:00:00Z"), 1709164800);
  EXPECT_EQ(Parse("2000-03-01T00:00:00Z"), 951868800);
  EXPECT_EQ(Parse("1969-12-31T23:59:59Z"), -1);
}

TEST(Rfc3339Test, Rejects) {
  EXPECT_EQ(ErrorOf("2026-01-05"),
            "expected an RFC 3339 time such as 2026-01-05T09:00:00Z, found \"2026-01-05\"");
  EXPECT_EQ(ErrorOf("2026-01-05T09:00:00"),
            "expected an RFC 3339 time such as 2026-01-05T09:00:00Z, found "
            "\"2026-01-05T09:00:00\"");
  EXPECT_EQ(ErrorOf("2025-02-29T00:00:00Z"),
            "invalid time \"2025-02-29T00:00:00Z\": day out of range");
  EXPECT_EQ(ErrorOf("2026-13-01T00:00:00Z"),
            "invalid time \"2026-13-01T00:00:00Z\": month out of range");
  EXPECT_EQ(ErrorOf("2026-01-01T24:00:00Z"),
            "invalid time \"2026-01-01T24:00:00Z\": hour out of range");
  EXPECT_EQ(ErrorOf("2026-01-01T00:00:60Z"),
            "invalid time \"2026-01-01T00:00:60Z\": second out of range");
  EXPECT_EQ(ErrorOf("2026-01-01T00:00:00+24:00"),
            "invalid time \"2026-01-01T00:00:00+24:00\": offset out of range");
  EXPECT_EQ(ErrorOf("2026-01-01T00:00:00.5Z"),
            "invalid time \"2026-01-01T00:00:00.5Z\": fractional seconds are not supported");
}

TEST(Rfc3339Test, FormatsUtc) {
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(1767603600), "2026-01-05T09:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339Utc(1709164800), "2024-02-29T00:00:00Z");
}

TEST(Rfc3339Test, RoundTripsEveryDayOfALeapYear) {
  for (int64_t t = 1704067200; t < 1704067200 + 366 * 86400; t += 86400 + 3661) {
    EXPECT_EQ(Parse(FormatRfc3339Utc(t)), t);
  }
}

}  // namespace
}  // namespace fleetsim
