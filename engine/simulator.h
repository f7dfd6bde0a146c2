// The event loop: virtual time and the queue of pending events. Single-threaded.
//
// Events run in a total order: by time, then by the order they were scheduled (insertion
// sequence), so equal-time events run first-scheduled-first. Handlers may schedule and cancel
// events, at now() included; an event a handler schedules at now() runs after every event already
// pending at now().
#ifndef FLEETSIM_ENGINE_SIMULATOR_H_
#define FLEETSIM_ENGINE_SIMULATOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/event_heap.h"
#include "engine/inline_function.h"
#include "engine/sim_time.h"

namespace fleetsim {

// Identifies a scheduled event for Cancel. 0 is never a valid id, and an id is not reused within
// one Simulator (short of 2^40 reuses of one internal slot).
using EventId = uint64_t;

// What an event runs. Callables of up to 48 bytes (a lambda capturing several pointers and
// integers, or a std::function or std::string and two pointers) are stored without a heap
// allocation.
using Handler = InlineFunction<void(), 48>;

// At most 2^24 (16.7 million) events may be pending at once; more aborts the process.
class Simulator {
 public:
  Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;
  ~Simulator();  // destroys pending handlers without running them

  SimTime now() const { return now_; }

  // Schedules h to run at t. REQUIRES: t >= now() (an earlier t is treated as now()).
  EventId At(SimTime t, Handler h);
  // Schedules h to run at now() + d. REQUIRES: d >= 0. Saturates at SimTime::Max().
  EventId After(SimDuration d, Handler h);

  // Reserves n consecutive insertion sequences and returns the first: an event scheduled later
  // with AtReserved(t, seq) runs where an event scheduled now at t would have run. This lets a
  // component that plans many events at once keep them outside the queue and hand them over one at
  // a time, in the same order and at the same cost as scheduling them all now.
  uint64_t ReserveSequences(uint64_t n);
  // Schedules h at t with a sequence from ReserveSequences. REQUIRES: t >= now(); seq reserved
  // since the last renumbering (renumberings() unchanged) and not used before.
  EventId AtReserved(SimTime t, uint64_t seq, Handler h);
  // Counts the renumberings of pending events' sequences, which void earlier reservations (one
  // per ~10^12 events).
  uint64_t renumberings() const { return renumberings_; }

  // Removes a pending event and destroys its handler. Returns true if it was pending; false for an
  // event that has run, is running, or was already cancelled. O(1) amortised.
  bool Cancel(EventId id);

  // Runs the next event (advancing now() to its time). Returns false if none is pending.
  bool Step();
  // Runs, in order, every event with time <= end, including those scheduled meanwhile, then sets
  // now() to end. REQUIRES: end >= now() (an earlier end runs nothing and leaves now() alone).
  void RunUntil(SimTime end);
  // Runs until no event is pending.
  void RunAll();

  uint64_t events_processed() const { return events_processed_; }
  // Pending events, cancelled ones excluded.
  size_t pending() const { return live_; }
  // Time of the next pending event, if any.
  std::optional<SimTime> next_time() const;

  // Lets tests reach the renumbering of insertion sequences that happens once per 2^40 events.
  void SetNextSequenceForTesting(uint64_t seq) { next_seq_ = seq; }

 private:
  // One cache line: besides the heap, Step reads exactly one line.
  struct alignas(64) Slot {
    Handler handler;
    // (insertion sequence << 24) | slot index while the event is pending, 0 otherwise. A heap
    // entry whose order differs from its slot's is stale (its event was cancelled).
    uint64_t order = 0;
  };

  // REQUIRES: t >= now().
  EventId Schedule(SimTime t, Handler&& h);
  EventId ScheduleWithSequence(SimTime t, uint64_t seq, Handler&& h);
  bool IsLive(const HeapEntry& e) const;
  // Whether the next event is now_queue_'s front rather than heap_'s top.
  bool NextIsQueued() const {
    return now_head_ < now_queue_.size() &&
           (heap_.empty() || HeapBefore(now_queue_[now_head_], heap_.top()));
  }
  void DropStaleQueued();
  // Empties now_queue_ once every entry in it has been taken, so that it does not grow.
  void ResetQueueIfDrained();
  uint32_t AllocateSlot();
  void FreeSlot(uint32_t index);
  void DropStaleTop();
  void CompactIfMostlyStale();
  void Renumber();

  SimTime now_;
  uint64_t next_seq_ = 1;
  uint64_t events_processed_ = 0;
  size_t live_ = 0;
  EventHeap heap_;  // its top is live whenever it is not empty
  // Events scheduled at now() with a sequence above every queued one (a handler's zero-delay
  // follow-ups, about a third of all events), kept in order beside the heap instead of in it. Its
  // front (from now_head_) is live whenever it is not empty, so now() cannot move past it.
  std::vector<HeapEntry> now_queue_;
  size_t now_head_ = 0;
  std::vector<Slot> slots_;
  // Per slot, bumped on every reuse; with the slot index it forms the EventId.
  std::vector<uint64_t> generations_;
  std::vector<uint32_t> free_slots_;  // LIFO, so a busy loop keeps reusing warm slots
  size_t stale_ = 0;                  // entries in heap_ and now_queue_ whose event was cancelled
  uint64_t renumberings_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_SIMULATOR_H_
