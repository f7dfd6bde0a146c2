#include "engine/rate_limiter.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

SimTime Ms(int64_t ms) { return SimTime::Zero() + SimDuration::Millis(ms); }

// client-go's default kube client limiter: QPS 50, burst 100.
TEST(TokenBucketTest, BurstIsAvailableAtOnce) {
  TokenBucket bucket(50, 100);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(bucket.Reserve(Ms(0)), Ms(0)) << i;
}

TEST(TokenBucketTest, ReservationsBeyondTheBurstQueueOneIntervalApart) {
  TokenBucket bucket(50, 100);
  for (int i = 0; i < 100; ++i) bucket.Reserve(Ms(0));
  EXPECT_EQ(bucket.Reserve(Ms(0)), Ms(20));  // the 101st
  for (int i = 102; i < 150; ++i) bucket.Reserve(Ms(0));
  EXPECT_EQ(bucket.Reserve(Ms(0)), Ms(1000));  // the 150th: 50 tokens after the burst
  EXPECT_DOUBLE_EQ(bucket.tokens(Ms(0)), -50.0);
}

TEST(TokenBucketTest, ReservationLaterInTimeCountsTheRefill) {
  TokenBucket bucket(50, 100);
  for (int i = 0; i < 100; ++i) bucket.Reserve(Ms(0));
  // 10 ms refills half a token: the next token is 10 ms away.
  EXPECT_EQ(bucket.Reserve(Ms(10)), Ms(20));
  EXPECT_EQ(bucket.Reserve(Ms(10)), Ms(40));
}

TEST(TokenBucketTest, RefillsToBurstButNotBeyond) {
  TokenBucket bucket(50, 100);
  for (int i = 0; i < 100; ++i) bucket.Reserve(Ms(0));
  EXPECT_DOUBLE_EQ(bucket.tokens(Ms(1000)), 50.0);
  EXPECT_DOUBLE_EQ(bucket.tokens(Ms(2000)), 100.0);
  EXPECT_DOUBLE_EQ(bucket.tokens(Ms(60'000)), 100.0);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(bucket.Reserve(Ms(60'000)), Ms(60'000));
  EXPECT_EQ(bucket.Reserve(Ms(60'000)), Ms(60'020));
}

TEST(TokenBucketTest, TryAcceptTakesOnlyAvailableTokens) {
  TokenBucket bucket(10, 2);
  EXPECT_TRUE(bucket.TryAccept(Ms(0)));
  EXPECT_TRUE(bucket.TryAccept(Ms(0)));
  EXPECT_FALSE(bucket.TryAccept(Ms(0)));
  EXPECT_FALSE(bucket.TryAccept(Ms(99)));
  EXPECT_TRUE(bucket.TryAccept(Ms(100)));
  EXPECT_FALSE(bucket.TryAccept(Ms(100)));
}

TEST(TokenBucketTest, FailedTryAcceptChangesNothing) {
  TokenBucket bucket(10, 1);
  bucket.Reserve(Ms(0));
  EXPECT_FALSE(bucket.TryAccept(Ms(50)));
  EXPECT_DOUBLE_EQ(bucket.tokens(Ms(50)), 0.5);
}

TEST(TokenBucketTest, NonIntegralRateRoundsWaitsUpToTheMicrosecond) {
  TokenBucket bucket(3, 1);
  bucket.Reserve(SimTime::Zero());
  EXPECT_EQ(bucket.Reserve(SimTime::Zero()), SimTime::FromMicros(333'334));
  EXPECT_EQ(bucket.Reserve(SimTime::Zero()), SimTime::FromMicros(666'667));
  EXPECT_EQ(bucket.Reserve(SimTime::Zero()), SimTime::FromMicros(1'000'000));
}

TEST(TokenBucketTest, NonPositiveQpsIsUnlimited) {
  TokenBucket bucket(-1, 1);
  EXPECT_TRUE(bucket.unlimited());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(bucket.Reserve(Ms(5)), Ms(5));
  EXPECT_TRUE(bucket.TryAccept(Ms(5)));
}

}  // namespace
}  // namespace fleetsim
