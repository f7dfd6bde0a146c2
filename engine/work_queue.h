// client-go's workqueue and a pool of workers draining it in virtual time.
//
// WorkQueue<Key> has the semantics of k8s.io/client-go/util/workqueue: a key is queued at most once
// while waiting; a key added while it is being processed is marked dirty and queued again only when
// Done(key) is called, so one key is never processed by two workers at once. Order is FIFO.
// Key needs equality and a hash (Hash); key states are only looked up, never iterated. Keys of
// type uint32_t are taken to be dense ids (e.g. indexes into a table) and keep their states in a
// vector indexed by the key, which spares the hash table's allocation per Add.
#ifndef FLEETSIM_ENGINE_WORK_QUEUE_H_
#define FLEETSIM_ENGINE_WORK_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/histogram.h"
#include "engine/sim_time.h"
#include "engine/simulator.h"

namespace fleetsim {

template <typename Key, typename Hash = std::hash<Key>>
class WorkQueue {
 public:
  // Returns true if the key was queued now (false: already waiting, or dirty while processing).
  // `now`, when the key was not dirty, is remembered as the time it became dirty (see Get).
  bool Add(const Key& key, SimTime now = SimTime::Zero()) {
    State& state = states_.At(key);
    if (state.dirty) return false;
    state.dirty = true;
    state.dirty_since = now;
    if (state.processing) return false;
    queue_.push_back(key);
    return true;
  }

  // Takes the oldest waiting key and marks it processing; nullopt when nothing waits.
  // `dirty_since` (optional) receives the `now` of the Add that made it dirty.
  std::optional<Key> Get(SimTime* dirty_since = nullptr) {
    if (queue_.empty()) return std::nullopt;
    Key key = std::move(queue_.front());
    queue_.pop_front();
    State& state = states_.At(key);
    if (!state.processing) ++processing_;
    state.processing = true;
    state.dirty = false;
    if (dirty_since != nullptr) *dirty_since = state.dirty_since;
    return key;
  }

  // Ends processing of key; if it was added meanwhile it is queued again (at the back). Returns
  // true in that case.
  bool Done(const Key& key) {
    State* state = states_.Find(key);
    if (state == nullptr) return false;
    if (state->processing) --processing_;
    state->processing = false;
    if (!state->dirty) {
      states_.Erase(key);
      return false;
    }
    queue_.push_back(key);
    return true;
  }

  // Keys waiting to be taken (not those being processed).
  size_t Len() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  bool IsProcessing(const Key& key) const {
    const State* state = states_.Find(key);
    return state != nullptr && state->processing;
  }
  // True if key is waiting, or was added again while being processed.
  bool IsDirty(const Key& key) const {
    const State* state = states_.Find(key);
    return state != nullptr && state->dirty;
  }
  size_t processing() const { return processing_; }

 private:
  struct State {
    bool dirty = false;
    bool processing = false;
    SimTime dirty_since;
  };
  // The states of the keys that are dirty or processing: one lookup per operation.
  class HashedStates {
   public:
    State& At(const Key& key) { return map_[key]; }
    State* Find(const Key& key) {
      auto it = map_.find(key);
      return it == map_.end() ? nullptr : &it->second;
    }
    const State* Find(const Key& key) const {
      auto it = map_.find(key);
      return it == map_.end() ? nullptr : &it->second;
    }
    void Erase(const Key& key) { map_.erase(key); }

   private:
    std::unordered_map<Key, State, Hash> map_;  // only looked up, never iterated
  };
  // Dense ids: a state per id up to the largest seen; an idle key's state is all false.
  class DenseStates {
   public:
    State& At(uint32_t key) {
      if (key >= states_.size()) states_.resize(size_t{key} + 1);
      return states_[key];
    }
    State* Find(uint32_t key) {
      return key < states_.size() && Active(states_[key]) ? &states_[key] : nullptr;
    }
    const State* Find(uint32_t key) const {
      return key < states_.size() && Active(states_[key]) ? &states_[key] : nullptr;
    }
    void Erase(uint32_t key) { states_[key] = State{}; }

   private:
    static bool Active(const State& s) { return s.dirty || s.processing; }
    std::vector<State> states_;
  };
  std::deque<Key> queue_;
  std::conditional_t<std::is_same_v<Key, uint32_t>, DenseStates, HashedStates> states_;
  size_t processing_ = 0;
};

// Time-weighted statistics of a ProcessorPool, measured from its creation. Integrals are exact
// (integer item-microseconds); they overflow only past ~10^5 items x 1000 days.
class PoolStats {
 public:
  explicit PoolStats(SimTime start);

  uint64_t items_started() const { return items_started_; }
  uint64_t items_processed() const { return items_processed_; }
  size_t max_queue_length() const { return max_queue_length_; }
  // Mean number of waiting keys over [start, now].
  double mean_queue_length(SimTime now) const;
  // Enqueue (the Add that made the key dirty) to start of processing, in microseconds.
  const Histogram& waits() const { return waits_; }
  uint64_t wait_count() const { return waits_.count(); }
  SimDuration wait_total() const { return SimDuration::Micros(waits_.sum()); }
  SimDuration wait_max() const { return SimDuration::Micros(waits_.max()); }
  // Nearest-rank percentile of the waits (q in [0, 1]); see Histogram::Percentile.
  SimDuration WaitPercentile(double q) const;
  // Sum over workers of the time each spent busy, up to now.
  SimDuration busy_time(SimTime now) const;
  // busy_time / (worker capacity integrated over time); 0 before any time has passed.
  double utilisation(SimTime now) const;

  // Updates, called by the pool whenever the quantity changes.
  void SetQueueLength(SimTime now, size_t len);
  void SetWorkers(SimTime now, int busy, int capacity);
  void OnStart(SimDuration wait);
  void OnDone() { ++items_processed_; }

 private:
  void Advance(SimTime now);

  SimTime start_;
  SimTime last_;
  size_t queue_length_ = 0;
  int busy_ = 0;
  int capacity_ = 0;
  int64_t queue_area_ = 0;     // item-microseconds
  int64_t busy_area_ = 0;      // worker-microseconds
  int64_t capacity_area_ = 0;  // worker-microseconds
  uint64_t items_started_ = 0;
  uint64_t items_processed_ = 0;
  size_t max_queue_length_ = 0;
  Histogram waits_;
};

// N workers draining a WorkQueue in virtual time (a controller's status or operation processors).
// Whenever a worker is free and a key waits, a zero-delay event takes the key and calls
// process(key, done); the worker stays busy until done() is called, typically after a virtual
// service time: sim.After(cost, [done] { done(); }). Calling a Completion twice is harmless.
// REQUIRES: sim outlives the pool; no Completion is called after the pool is destroyed.
template <typename Key, typename Hash = std::hash<Key>>
class ProcessorPool {
 public:
  class Completion {
   public:
    Completion() = default;  // does nothing when called
    void operator()() const {
      if (pool_ != nullptr) pool_->Finish(worker_, token_);
    }

   private:
    friend class ProcessorPool;
    Completion(ProcessorPool* pool, uint32_t worker, uint64_t token)
        : pool_(pool), worker_(worker), token_(token) {}
    ProcessorPool* pool_ = nullptr;
    uint32_t worker_ = 0;
    uint64_t token_ = 0;
  };
  using Process = std::function<void(const Key&, Completion)>;

  // REQUIRES: workers >= 0 (0 pauses the pool).
  ProcessorPool(Simulator& sim, int workers, Process process)
      : sim_(sim), workers_(workers), process_(std::move(process)), stats_(sim.now()) {
    stats_.SetWorkers(sim_.now(), 0, workers_);
  }
  ProcessorPool(const ProcessorPool&) = delete;
  ProcessorPool& operator=(const ProcessorPool&) = delete;
  ~ProcessorPool() {
    if (dispatch_ != 0) sim_.Cancel(dispatch_);
  }

  // Enqueues key (see WorkQueue::Add). Returns true if it was queued now.
  bool Add(const Key& key) {
    const bool queued = queue_.Add(key, sim_.now());
    if (queued) {
      stats_.SetQueueLength(sim_.now(), queue_.Len());
      ScheduleDispatch();
    }
    return queued;
  }

  // Changes the number of workers. Shrinking lets busy workers finish; none starts until fewer
  // than n are busy.
  void set_workers(int n) {
    workers_ = n;
    stats_.SetWorkers(sim_.now(), busy_, workers_);
    ScheduleDispatch();
  }

  int workers() const { return workers_; }
  int busy() const { return busy_; }
  size_t Len() const { return queue_.Len(); }
  const WorkQueue<Key, Hash>& queue() const { return queue_; }
  const PoolStats& stats() const { return stats_; }

 private:
  struct Worker {
    std::optional<Key> key;
    uint64_t token = 0;
  };

  void ScheduleDispatch() {
    if (dispatch_ != 0 || busy_ >= workers_ || queue_.empty()) return;
    dispatch_ = sim_.After(SimDuration::Zero(), [this] {
      dispatch_ = 0;
      Dispatch();
    });
  }

  void Dispatch() {
    while (busy_ < workers_) {
      SimTime added;
      std::optional<Key> key = queue_.Get(&added);
      if (!key) break;
      const SimTime now = sim_.now();
      stats_.OnStart(now - added);
      stats_.SetQueueLength(now, queue_.Len());
      const uint32_t w = TakeWorker();
      workers_state_[w].key = *key;
      const uint64_t token = ++workers_state_[w].token;
      ++busy_;
      stats_.SetWorkers(now, busy_, workers_);
      process_(*key, Completion(this, w, token));
    }
  }

  void Finish(uint32_t w, uint64_t token) {
    Worker& worker = workers_state_[w];
    if (!worker.key || worker.token != token) return;
    Key key = std::move(*worker.key);
    worker.key.reset();
    free_workers_.push_back(w);
    --busy_;
    const SimTime now = sim_.now();
    stats_.SetWorkers(now, busy_, workers_);
    stats_.OnDone();
    if (queue_.Done(key)) stats_.SetQueueLength(now, queue_.Len());
    ScheduleDispatch();
  }

  uint32_t TakeWorker() {
    if (free_workers_.empty()) {
      workers_state_.emplace_back();
      return static_cast<uint32_t>(workers_state_.size() - 1);
    }
    const uint32_t w = free_workers_.back();
    free_workers_.pop_back();
    return w;
  }

  Simulator& sim_;
  int workers_;
  int busy_ = 0;
  Process process_;
  WorkQueue<Key, Hash> queue_;
  std::vector<Worker> workers_state_;
  std::vector<uint32_t> free_workers_;
  EventId dispatch_ = 0;
  PoolStats stats_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_WORK_QUEUE_H_
