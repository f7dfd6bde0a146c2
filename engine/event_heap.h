// The Simulator's priority queue (an implementation detail of engine/simulator.cc): a 4-ary
// min-heap of 16-byte entries, laid out so that the four children of a node share one 64-byte
// cache line. Entries are ordered by (time, order); `order` is unique per entry, so the order is
// total and pops are deterministic whatever the heap's shape.
#ifndef FLEETSIM_ENGINE_EVENT_HEAP_H_
#define FLEETSIM_ENGINE_EVENT_HEAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace fleetsim {

struct HeapEntry {
  int64_t time;  // REQUIRES: >= 0 (virtual time starts at 0 and never goes back)
  uint64_t order;
};

// The order of entries, computed without branches (one 128-bit comparison).
inline bool HeapBefore(const HeapEntry& a, const HeapEntry& b) {
  __extension__ using U128 = unsigned __int128;
  return ((static_cast<U128>(a.time) << 64) | a.order) <
         ((static_cast<U128>(b.time) << 64) | b.order);
}

// The same order with branches. Where the heap is larger than the cache, mispredictions cost less
// than waiting: the CPU speculates down the predicted child and overlaps the next level's load.
inline bool HeapBeforeBranchy(const HeapEntry& a, const HeapEntry& b) {
  return a.time < b.time || (a.time == b.time && a.order < b.order);
}

class EventHeap {
 public:
  EventHeap() : v_(kRoot) {}

  bool empty() const { return v_.size() == kRoot; }
  size_t size() const { return v_.size() - kRoot; }
  // REQUIRES: !empty().
  const HeapEntry& top() const { return v_[kRoot]; }

  // The entry that would be on top after one Pop, i.e. the smallest child of the root.
  // REQUIRES: size() >= 2.
  const HeapEntry& second() const { return v_[MinChild(FirstChild(kRoot), v_.size())]; }

  void Push(HeapEntry e) {
    v_.push_back(e);
    SiftUp(v_.size() - 1, e);
  }

  // REQUIRES: !empty(). Bottom-up (Floyd): the hole left by the root goes down along the smaller
  // children to a leaf without comparing against the last entry, which is then sifted up from
  // there. The last entry usually belongs near the bottom, so this saves a dependent comparison
  // per level, the critical path once the heap outgrows the cache.
  void Pop() {
    const HeapEntry last = v_.back();
    v_.pop_back();
    const size_t n = v_.size();
    if (n == kRoot) return;
    HeapEntry* h = v_.data();
    size_t hole = kRoot;
    for (;;) {
      const size_t first = FirstChild(hole);
      if (first + 4 > n) {
        if (first < n) {
          const size_t best = MinChild(first, n);
          h[hole] = h[best];
          hole = best;
        }
        break;
      }
      const size_t best = first < kCachedEntries ? MinOfFour<HeapBefore>(first)
                                                 : MinOfFour<HeapBeforeBranchy>(first);
      h[hole] = h[best];
      hole = best;
    }
    SiftUp(hole, last);
  }

  void Clear() { v_.resize(kRoot); }

  // Keeps the entries for which keep(entry) is true, then restores the heap order in O(n).
  template <typename Pred>
  void Filter(Pred keep) {
    auto end =
        std::remove_if(v_.begin() + kRoot, v_.end(), [&](const HeapEntry& e) { return !keep(e); });
    v_.erase(end, v_.end());
    for (size_t i = v_.size(); i-- > kRoot;) SiftDown(i, v_[i]);
  }

  // Sorts the entries and calls f(entry) on each in ascending order. f may rewrite `order` as
  // long as it keeps the entries' relative order (a sorted array is a valid heap).
  template <typename F>
  void SortAndVisit(F f) {
    std::sort(v_.begin() + kRoot, v_.end(), HeapBefore);
    for (size_t i = kRoot; i < v_.size(); ++i) f(v_[i]);
  }

 private:
  // The root sits at index 3, so node p's children are 4p-8 .. 4p-5: always a multiple of four,
  // i.e. one cache line given the 64-byte-aligned buffer.
  static constexpr size_t kRoot = 3;
  // Roughly the entries that stay in L2 (256 KiB); below them Pop compares with branches.
  static constexpr size_t kCachedEntries = size_t{1} << 14;
  static size_t FirstChild(size_t p) { return 4 * p - 8; }
  static size_t Parent(size_t c) { return c / 4 + 2; }

  template <typename T>
  struct CacheLineAllocator {
    using value_type = T;
    CacheLineAllocator() = default;
    template <typename U>
    CacheLineAllocator(const CacheLineAllocator<U>&) {}  // NOLINT(google-explicit-constructor)
    T* allocate(size_t n) {
      return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
    }
    void deallocate(T* p, size_t) { ::operator delete (p, std::align_val_t{64}); }
    bool operator==(const CacheLineAllocator&) const { return true; }
  };

  // The smallest of the four children starting at `first`, in two rounds of comparisons.
  template <bool (*Less)(const HeapEntry&, const HeapEntry&)>
  size_t MinOfFour(size_t first) const {
    const HeapEntry* h = v_.data();
    const size_t a = Less(h[first + 1], h[first]) ? first + 1 : first;
    const size_t b = Less(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
    return Less(h[b], h[a]) ? b : a;
  }
  size_t MinChild(size_t first, size_t n) const {
    if (first + 4 <= n) return MinOfFour<HeapBefore>(first);
    size_t best = first;
    for (size_t c = first + 1; c < n; ++c) {
      if (HeapBefore(v_[c], v_[best])) best = c;
    }
    return best;
  }

  // Moves the hole at `hole` up to where e belongs and stores e there.
  void SiftUp(size_t hole, HeapEntry e) {
    while (hole > kRoot) {
      const size_t parent = Parent(hole);
      if (!HeapBefore(e, v_[parent])) break;
      v_[hole] = v_[parent];
      hole = parent;
    }
    v_[hole] = e;
  }

  // Moves the hole at `hole` down to where e belongs and stores e there (used to heapify).
  void SiftDown(size_t hole, HeapEntry e) {
    const size_t n = v_.size();
    for (;;) {
      const size_t first = FirstChild(hole);
      if (first >= n) break;
      const size_t best = MinChild(first, n);
      if (!HeapBefore(v_[best], e)) break;
      v_[hole] = v_[best];
      hole = best;
    }
    v_[hole] = e;
  }

  std::vector<HeapEntry, CacheLineAllocator<HeapEntry>> v_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_EVENT_HEAP_H_
