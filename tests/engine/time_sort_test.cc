// StableSortByTime must order exactly as std::stable_sort by time does, for spans of one pass or
// several, with ties, and leave the entries before `from` alone.
#include "engine/time_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/random.h"
#include "engine/sim_time.h"

namespace fleetsim {
namespace {

struct Entry {
  SimTime at;
  int id = 0;
  bool operator==(const Entry&) const = default;
};

std::vector<Entry> Random(RandomStream& rng, int n, int64_t base, int64_t span) {
  std::vector<Entry> v;
  for (int i = 0; i < n; ++i) {
    v.push_back({SimTime::FromMicros(base + rng.UniformInt(0, span)), i});
  }
  return v;
}

std::vector<Entry> Expected(std::vector<Entry> v, size_t from) {
  std::stable_sort(v.begin() + static_cast<std::ptrdiff_t>(from), v.end(),
                   [](const Entry& a, const Entry& b) { return a.at < b.at; });
  return v;
}

TEST(TimeSortTest, OrdersLikeAStableSortByTime) {
  RandomStream rng(7, "time-sort");
  std::vector<Entry> scratch;
  // Spans of one radix pass, three (a minute of microseconds), and five (days), and ties.
  for (int64_t span :
       {int64_t{1}, int64_t{1000}, int64_t{60'000'000}, int64_t{3} * 86'400'000'000}) {
    for (int n : {0, 1, 2, 17, 5000}) {
      std::vector<Entry> v = Random(rng, n, 3'600'000'000, span);
      const std::vector<Entry> want = Expected(v, 0);
      StableSortByTime(v, 0, scratch);
      EXPECT_EQ(v, want) << "span " << span << " n " << n;
    }
  }
}

TEST(TimeSortTest, LeavesThePrefixAlone) {
  RandomStream rng(11, "time-sort");
  std::vector<Entry> scratch;
  std::vector<Entry> v = Random(rng, 300, 0, 1'000'000);
  const std::vector<Entry> want = Expected(v, 100);
  StableSortByTime(v, 100, scratch);
  EXPECT_EQ(v, want);
  StableSortByTime(v, v.size(), scratch);  // nothing to sort
  EXPECT_EQ(v, want);
}

}  // namespace
}  // namespace fleetsim
