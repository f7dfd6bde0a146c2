#include "engine/work_queue.h"

#include <algorithm>

namespace fleetsim {

PoolStats::PoolStats(SimTime start) : start_(start), last_(start) {}

void PoolStats::Advance(SimTime now) {
  if (now <= last_) return;
  const int64_t dt = (now - last_).micros();
  queue_area_ += static_cast<int64_t>(queue_length_) * dt;
  busy_area_ += busy_ * dt;
  capacity_area_ += capacity_ * dt;
  last_ = now;
}

void PoolStats::SetQueueLength(SimTime now, size_t len) {
  Advance(now);
  queue_length_ = len;
  max_queue_length_ = std::max(max_queue_length_, len);
}

void PoolStats::SetWorkers(SimTime now, int busy, int capacity) {
  Advance(now);
  busy_ = busy;
  capacity_ = capacity;
}

void PoolStats::OnStart(SimDuration wait) {
  ++items_started_;
  waits_.Add(wait.micros());
}

double PoolStats::mean_queue_length(SimTime now) const {
  const int64_t elapsed = (now - start_).micros();
  if (elapsed <= 0) return static_cast<double>(queue_length_);
  const int64_t area = queue_area_ + static_cast<int64_t>(queue_length_) *
                                         std::max<int64_t>(0, (now - last_).micros());
  return static_cast<double>(area) / static_cast<double>(elapsed);
}

SimDuration PoolStats::WaitPercentile(double q) const {
  return SimDuration::Micros(waits_.Percentile(q));
}

SimDuration PoolStats::busy_time(SimTime now) const {
  return SimDuration::Micros(busy_area_ + busy_ * std::max<int64_t>(0, (now - last_).micros()));
}

double PoolStats::utilisation(SimTime now) const {
  const int64_t capacity =
      capacity_area_ + capacity_ * std::max<int64_t>(0, (now - last_).micros());
  if (capacity <= 0) return 0.0;
  return static_cast<double>(busy_time(now).micros()) / static_cast<double>(capacity);
}

}  // namespace fleetsim
