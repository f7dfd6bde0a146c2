#include "engine/event_heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace fleetsim {
namespace {

std::vector<HeapEntry> RandomEntries(int n, uint64_t seed) {
  std::vector<HeapEntry> out;
  uint64_t x = seed;
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    out.push_back(HeapEntry{static_cast<int64_t>((x >> 33) % 50), static_cast<uint64_t>(i + 1)});
  }
  return out;
}

std::vector<HeapEntry> Drain(EventHeap& heap) {
  std::vector<HeapEntry> out;
  while (!heap.empty()) {
    out.push_back(heap.top());
    heap.Pop();
  }
  return out;
}

bool SameOrder(const std::vector<HeapEntry>& a, const std::vector<HeapEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const HeapEntry& x, const HeapEntry& y) {
                      return x.time == y.time && x.order == y.order;
                    });
}

TEST(EventHeapTest, PopsInTimeThenOrderOrder) {
  for (int n : {0, 1, 2, 3, 4, 5, 7, 17, 64, 1000}) {
    EventHeap heap;
    std::vector<HeapEntry> entries = RandomEntries(n, static_cast<uint64_t>(n));
    for (const HeapEntry& e : entries) heap.Push(e);
    EXPECT_EQ(heap.size(), static_cast<size_t>(n));
    std::sort(entries.begin(), entries.end(), HeapBefore);
    EXPECT_TRUE(SameOrder(Drain(heap), entries)) << n;
  }
}

TEST(EventHeapTest, InterleavedPushAndPopStayOrdered) {
  EventHeap heap;
  std::vector<HeapEntry> entries = RandomEntries(2000, 7);
  int64_t last_time = -1;
  for (size_t i = 0; i < entries.size(); ++i) {
    HeapEntry e = entries[i];
    e.time += last_time < 0 ? 0 : last_time;  // never before the last popped time
    heap.Push(e);
    if (i % 3 == 2) {
      ASSERT_GE(heap.top().time, last_time);
      last_time = heap.top().time;
      heap.Pop();
    }
  }
  std::vector<HeapEntry> rest = Drain(heap);
  EXPECT_TRUE(std::is_sorted(rest.begin(), rest.end(), HeapBefore));
}

TEST(EventHeapTest, SecondIsWhatPopLeavesOnTop) {
  EventHeap heap;
  for (const HeapEntry& e : RandomEntries(100, 11)) heap.Push(e);
  while (heap.size() >= 2) {
    const HeapEntry second = heap.second();
    heap.Pop();
    ASSERT_EQ(heap.top().order, second.order);
  }
}

TEST(EventHeapTest, FilterKeepsTheRestInOrder) {
  EventHeap heap;
  std::vector<HeapEntry> entries = RandomEntries(500, 3);
  for (const HeapEntry& e : entries) heap.Push(e);
  auto odd = [](const HeapEntry& e) { return e.order % 2 == 1; };
  heap.Filter(odd);
  std::vector<HeapEntry> expected;
  std::copy_if(entries.begin(), entries.end(), std::back_inserter(expected), odd);
  std::sort(expected.begin(), expected.end(), HeapBefore);
  EXPECT_TRUE(SameOrder(Drain(heap), expected));
}

TEST(EventHeapTest, SortAndVisitMayRenumberInOrder) {
  EventHeap heap;
  for (const HeapEntry& e : RandomEntries(300, 5)) heap.Push(e);
  uint64_t next = 1;
  std::vector<int64_t> times;
  heap.SortAndVisit([&](HeapEntry& e) {
    times.push_back(e.time);
    e.order = next++;
  });
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  std::vector<HeapEntry> drained = Drain(heap);
  ASSERT_EQ(drained.size(), 300u);
  for (size_t i = 0; i < drained.size(); ++i) EXPECT_EQ(drained[i].order, i + 1);
}

}  // namespace
}  // namespace fleetsim
