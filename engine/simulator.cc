#include "engine/simulator.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

namespace fleetsim {
namespace {

// An EventId is (generation << kSlotBits) | slot. A slot's generation changes on every reuse, so an
// id stays unique until one slot has been reused 2^40 times. At most 2^24 events can be pending.
constexpr int kSlotBits = 24;
constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
constexpr uint64_t kGenerationMask = (uint64_t{1} << (64 - kSlotBits)) - 1;
// Insertion sequences share a heap entry's 64-bit `order` with the slot index; past this, the
// pending events are renumbered (see Renumber).
constexpr uint64_t kMaxSequence = (uint64_t{1} << (64 - kSlotBits)) - 1;
// Stale entries are purged once they outnumber live ones (and there are enough to matter), which
// keeps the heap within twice the live size and makes Cancel amortised O(1).
constexpr size_t kMinStaleToCompact = 64;

uint32_t SlotOf(uint64_t order) { return static_cast<uint32_t>(order & kSlotMask); }

}  // namespace

Simulator::Simulator() = default;

Simulator::~Simulator() {
  // Handlers' destructors may call Cancel on this simulator; let them find it empty.
  std::vector<Slot> slots = std::move(slots_);
  slots_.clear();
  generations_.clear();
  heap_.Clear();
  now_queue_.clear();
  now_head_ = 0;
  live_ = 0;
}

EventId Simulator::At(SimTime t, Handler h) {
  assert(t >= now_ && "Simulator::At: time in the past");
  return Schedule(t < now_ ? now_ : t, std::move(h));
}

EventId Simulator::After(SimDuration d, Handler h) {
  assert(d >= SimDuration::Zero() && "Simulator::After: negative delay");
  if (d < SimDuration::Zero()) d = SimDuration::Zero();
  const bool overflows = d.micros() > std::numeric_limits<int64_t>::max() - now_.micros();
  return Schedule(overflows ? SimTime::Max() : now_ + d, std::move(h));
}

EventId Simulator::Schedule(SimTime t, Handler&& h) {
  if (next_seq_ > kMaxSequence) Renumber();
  return ScheduleWithSequence(t, next_seq_++, std::move(h));
}

uint64_t Simulator::ReserveSequences(uint64_t n) {
  if (n > kMaxSequence - next_seq_) Renumber();
  const uint64_t first = next_seq_;
  next_seq_ += n;
  return first;
}

EventId Simulator::AtReserved(SimTime t, uint64_t seq, Handler h) {
  assert(t >= now_ && "Simulator::AtReserved: time in the past");
  assert(seq < next_seq_ && "Simulator::AtReserved: sequence not reserved");
  return ScheduleWithSequence(t < now_ ? now_ : t, seq, std::move(h));
}

EventId Simulator::ScheduleWithSequence(SimTime t, uint64_t seq, Handler&& h) {
  const uint32_t index = AllocateSlot();
  Slot& slot = slots_[index];
  slot.handler = std::move(h);
  slot.order = (seq << kSlotBits) | index;
  const HeapEntry entry{t.micros(), slot.order};
  if (t == now_ && (now_head_ == now_queue_.size() || now_queue_.back().order < entry.order)) {
    ResetQueueIfDrained();
    now_queue_.push_back(entry);
  } else {
    heap_.Push(entry);
  }
  ++live_;
  return (generations_[index] << kSlotBits) | index;
}

bool Simulator::Cancel(EventId id) {
  const uint64_t index = id & kSlotMask;
  if (index >= slots_.size()) return false;
  Slot& slot = slots_[index];
  if (slot.order == 0 || generations_[index] != (id >> kSlotBits)) return false;
  // Destroyed at return, once the queue is consistent: its destructor may re-enter the simulator.
  Handler dead = std::move(slot.handler);
  FreeSlot(static_cast<uint32_t>(index));
  --live_;
  ++stale_;
  DropStaleTop();
  DropStaleQueued();
  CompactIfMostlyStale();
  return true;
}

bool Simulator::Step() {
  HeapEntry top;
  if (NextIsQueued()) {
    top = now_queue_[now_head_++];
  } else if (!heap_.empty()) {
    top = heap_.top();
    heap_.Pop();
  } else {
    return false;
  }
  const uint32_t index = SlotOf(top.order);
  // Moved out because the handler may schedule events, which can reallocate slots_.
  Handler handler = std::move(slots_[index].handler);
  FreeSlot(index);
  --live_;
  DropStaleTop();
  DropStaleQueued();
  // The next two Steps will probably read the slots of the top two entries (unless new events
  // come first); with a large queue those slots are cold, so start loading them now.
  if (!heap_.empty()) __builtin_prefetch(&slots_[SlotOf(heap_.top().order)]);
  if (heap_.size() >= 2) __builtin_prefetch(&slots_[SlotOf(heap_.second().order)]);
  now_ = SimTime::FromMicros(top.time);
  ++events_processed_;
  handler();
  return true;
}

void Simulator::RunUntil(SimTime end) {
  if (end < now_) return;
  // A queued event is at now(), which is <= end.
  while (now_head_ < now_queue_.size() || (!heap_.empty() && heap_.top().time <= end.micros())) {
    Step();
  }
  now_ = end;
}

void Simulator::RunAll() {
  while (Step()) {
  }
}

std::optional<SimTime> Simulator::next_time() const {
  if (now_head_ < now_queue_.size()) return now_;
  if (heap_.empty()) return std::nullopt;
  return SimTime::FromMicros(heap_.top().time);
}

bool Simulator::IsLive(const HeapEntry& e) const {
  return slots_[SlotOf(e.order)].order == e.order;
}

uint32_t Simulator::AllocateSlot() {
  uint32_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slots_.size() > kSlotMask) {
      std::fprintf(stderr, "fleetsim: more than %llu events pending\n",
                   static_cast<unsigned long long>(kSlotMask));
      std::abort();
    }
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
    generations_.push_back(0);
  }
  uint64_t& generation = generations_[index];
  generation = (generation + 1) & kGenerationMask;
  if (generation == 0) generation = 1;  // keeps every id non-zero
  return index;
}

void Simulator::FreeSlot(uint32_t index) {
  slots_[index].order = 0;
  free_slots_.push_back(index);
}

void Simulator::DropStaleTop() {
  if (stale_ == 0) return;
  while (!heap_.empty() && !IsLive(heap_.top())) {
    heap_.Pop();
    --stale_;
  }
}

void Simulator::DropStaleQueued() {
  if (stale_ == 0) return;
  while (now_head_ < now_queue_.size() && !IsLive(now_queue_[now_head_])) {
    ++now_head_;
    --stale_;
  }
  ResetQueueIfDrained();
}

void Simulator::ResetQueueIfDrained() {
  if (now_head_ != now_queue_.size()) return;
  now_queue_.clear();
  now_head_ = 0;
}

void Simulator::CompactIfMostlyStale() {
  if (stale_ < kMinStaleToCompact || stale_ <= live_) return;
  heap_.Filter([this](const HeapEntry& e) { return IsLive(e); });
  stale_ = 0;
  for (size_t i = now_head_; i < now_queue_.size(); ++i) {
    if (!IsLive(now_queue_[i])) ++stale_;
  }
}

// Gives the pending events the sequences 1..n in their current order, so that sequences fit in
// 40 bits however long the run. Happens once per ~10^12 events.
void Simulator::Renumber() {
  ++renumberings_;
  for (size_t i = now_head_; i < now_queue_.size(); ++i) heap_.Push(now_queue_[i]);
  now_queue_.clear();
  now_head_ = 0;
  heap_.Filter([this](const HeapEntry& e) { return IsLive(e); });
  stale_ = 0;
  uint64_t seq = 1;
  heap_.SortAndVisit([&](HeapEntry& e) {
    const uint32_t index = SlotOf(e.order);
    e.order = (seq++ << kSlotBits) | index;
    slots_[index].order = e.order;
  });
  next_seq_ = seq;
}

}  // namespace fleetsim
