#include "sim/scenario/suggest.h"

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

const std::vector<std::string> kKeys = {"name", "namePrefix", "duration", "labels", "at", "to"};

TEST(SuggestTest, TypoWithinTwoEdits) {
  EXPECT_EQ(ClosestName("durration", kKeys), "duration");
  EXPECT_EQ(ClosestName("lables", kKeys), "labels");  // a swap counts as one edit
  EXPECT_EQ(ClosestName("DURATION", kKeys), "duration");
}

TEST(SuggestTest, SharedPrefix) {
  EXPECT_EQ(ClosestName("namePrefx", kKeys), "namePrefix");
  EXPECT_EQ(ClosestName("namePre", kKeys), "namePrefix");
  EXPECT_EQ(ClosestName("durationSeconds", kKeys), "duration");
}

TEST(SuggestTest, ShortWordsNeedACloserMatch) {
  EXPECT_EQ(ClosestName("xy", kKeys), "");
  EXPECT_EQ(ClosestName("ta", kKeys), "at");
  EXPECT_EQ(ClosestName("foo", kKeys), "");
}

TEST(SuggestTest, MessageWithSuggestion) {
  EXPECT_EQ(UnknownNameMessage("key", "durration", kKeys),
            "unknown key \"durration\" (did you mean \"duration\"?)");
}

TEST(SuggestTest, MessageListsSortedCandidates) {
  EXPECT_EQ(UnknownNameMessage("mode", "x", {"network", "auth"}),
            "unknown mode \"x\"; expected one of: auth, network");
}

TEST(SuggestTest, LongCandidateListsAreLeftOut) {
  std::vector<std::string> many;
  for (int i = 0; i < 41; ++i) many.push_back("cluster-" + std::to_string(i));
  EXPECT_EQ(UnknownNameMessage("cluster", "zzz", many), "unknown cluster \"zzz\"");
}

}  // namespace
}  // namespace fleetsim
