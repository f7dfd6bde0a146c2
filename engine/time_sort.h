// A stable sort of events by time, for the plans the model builds in bulk (a resync tick's
// jittered refreshes): a least-significant-digit radix sort over the times' offsets from the
// earliest, 11 bits a pass, so a tick whose times span 60 s sorts in three linear passes where a
// comparison sort of random times mispredicts every other comparison.
#ifndef FLEETSIM_ENGINE_TIME_SORT_H_
#define FLEETSIM_ENGINE_TIME_SORT_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace fleetsim {

// Sorts v[from..] by `at` (a SimTime member), keeping the order of entries with equal times.
// `scratch` is a buffer the caller may keep between calls to save its allocation.
template <typename T>
void StableSortByTime(std::vector<T>& v, size_t from, std::vector<T>& scratch) {
  if (from >= v.size() || v.size() - from < 2) return;
  const size_t n = v.size() - from;
  T* const first = v.data() + from;
  int64_t lo = first->at.micros();
  int64_t hi = lo;
  for (size_t i = 1; i < n; ++i) {
    lo = std::min(lo, first[i].at.micros());
    hi = std::max(hi, first[i].at.micros());
  }
  const auto span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  scratch.resize(n);
  T* in = first;
  T* out = scratch.data();
  for (int shift = 0; shift < 64 && (shift == 0 || (span >> shift) != 0); shift += kBits) {
    auto digit = [&](const T& e) {
      const uint64_t offset = static_cast<uint64_t>(e.at.micros()) - static_cast<uint64_t>(lo);
      return static_cast<size_t>((offset >> shift) & (kBuckets - 1));
    };
    std::array<size_t, kBuckets + 1> start{};
    for (size_t i = 0; i < n; ++i) ++start[digit(in[i]) + 1];
    for (size_t b = 1; b <= kBuckets; ++b) start[b] += start[b - 1];
    for (size_t i = 0; i < n; ++i) out[start[digit(in[i])]++] = in[i];
    std::swap(in, out);
  }
  if (in != first) std::copy(in, in + n, first);
}

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_TIME_SORT_H_
