#include "engine/name_index.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>

#include "engine/random.h"

namespace fleetsim {
namespace {

struct Named {
  std::string name;
};
using Index = NameIndex<Named, &Named::name>;

TEST(NameIndexTest, FindsWhatWasInsertedAndNothingElse) {
  Named a{"a"}, b{"b"};
  Index index;
  EXPECT_EQ(index.Find("a"), nullptr);
  index.Insert(&a);
  index.Insert(&b);
  EXPECT_EQ(index.Find("a"), &a);
  EXPECT_EQ(index.Find("b"), &b);
  EXPECT_EQ(index.Find("c"), nullptr);
  EXPECT_EQ(index.size(), 2u);
}

TEST(NameIndexTest, EraseLeavesTheOthersReachable) {
  Named a{"a"}, b{"b"};
  Index index;
  index.Insert(&a);
  index.Insert(&b);
  index.Erase(&a);
  index.Erase(&a);  // not indexed any more: nothing happens
  EXPECT_EQ(index.Find("a"), nullptr);
  EXPECT_EQ(index.Find("b"), &b);
  EXPECT_EQ(index.size(), 1u);
}

// Many inserts and erases, checked against a std::map after every step: growth and the
// backward-shift deletion keep every entry reachable.
TEST(NameIndexTest, AgreesWithAMapUnderChurn) {
  std::deque<Named> storage;
  std::map<std::string, Named*> expected;
  Index index;
  RandomStream rng(1, "name-index");
  for (int step = 0; step < 5000; ++step) {
    std::string name = "app-" + std::to_string(rng.NextU64() % 300);
    auto it = expected.find(name);
    if (it == expected.end()) {
      storage.push_back({name});
      index.Insert(&storage.back());
      expected[name] = &storage.back();
    } else {
      index.Erase(it->second);
      expected.erase(it);
    }
    ASSERT_EQ(index.size(), expected.size());
    for (int k = 0; k < 300; k += 7) {
      std::string probe = "app-" + std::to_string(k);
      auto e = expected.find(probe);
      ASSERT_EQ(index.Find(probe), e == expected.end() ? nullptr : e->second) << probe;
    }
  }
}

}  // namespace
}  // namespace fleetsim
