// A log-linear histogram of non-negative integers (e.g. waits in microseconds) with bounded memory:
// values below 256 are counted exactly, larger ones in buckets 1/128 of a power of two wide. Count,
// sum, min and max are exact; each bucket also keeps the largest value it saw, so a percentile is
// exact whenever its bucket holds one distinct value and otherwise high by under 0.8%.
#ifndef FLEETSIM_ENGINE_HISTOGRAM_H_
#define FLEETSIM_ENGINE_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetsim {

class Histogram {
 public:
  // Negative values are counted as 0.
  void Add(int64_t value);
  void Merge(const Histogram& other);

  uint64_t count() const { return count_; }
  int64_t sum() const { return sum_; }
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  double mean() const;

  // Nearest-rank percentile, q in [0, 1]: the largest value seen in the bucket holding the
  // ceil(q * count)-th smallest value. 0 when empty.
  int64_t Percentile(double q) const;

 private:
  struct Bucket {
    uint64_t count = 0;
    int64_t max = 0;
  };
  static size_t BucketOf(uint64_t v);

  std::vector<Bucket> buckets_;  // grown on demand up to the largest value's bucket
  uint64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_HISTOGRAM_H_
