#include "engine/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace fleetsim {
namespace {

constexpr int kSubBits = 7;
constexpr uint64_t kSub = uint64_t{1} << kSubBits;

}  // namespace

// Values below 2 * kSub map to themselves; above, bucket = (octave - kSubBits + 1) * kSub +
// (the kSubBits bits after the leading one).
size_t Histogram::BucketOf(uint64_t v) {
  if (v < 2 * kSub) return static_cast<size_t>(v);
  const int octave = std::bit_width(v) - 1;
  const uint64_t mantissa = v >> (octave - kSubBits);  // in [kSub, 2 * kSub)
  return static_cast<size_t>((octave - kSubBits + 1) * kSub + (mantissa - kSub));
}

void Histogram::Add(int64_t value) {
  if (value < 0) value = 0;
  const size_t b = BucketOf(static_cast<uint64_t>(value));
  if (b >= buckets_.size()) buckets_.resize(b + 1);
  Bucket& bucket = buckets_[b];
  bucket.max = bucket.count == 0 ? value : std::max(bucket.max, value);
  ++bucket.count;
  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = std::max(max_, value);
  ++count_;
  sum_ += value;
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size());
  for (size_t i = 0; i < other.buckets_.size(); ++i) {
    const Bucket& from = other.buckets_[i];
    if (from.count == 0) continue;
    Bucket& to = buckets_[i];
    to.max = to.count == 0 ? from.max : std::max(to.max, from.max);
    to.count += from.count;
  }
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

double Histogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

int64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = q >= 0.0 ? std::min(q, 1.0) : 0.0;  // NaN counts as 0
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (const Bucket& bucket : buckets_) {
    seen += bucket.count;
    if (seen >= rank) return bucket.max;
  }
  return max_;
}

}  // namespace fleetsim
