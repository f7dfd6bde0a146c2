// The run's trace: every state change (and, counted but not kept, every no-op) the model reports,
// in the order it happened, folded into a 64-bit digest that two runs of the same scenario and
// seed must share. The kernel does not interpret the scope fields; the model fills them.
#ifndef FLEETSIM_ENGINE_TRACE_H_
#define FLEETSIM_ENGINE_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/sim_time.h"

namespace fleetsim {

struct TraceRecord {
  SimTime t;
  uint64_t seq = 0;  // assigned by Trace::Append: 0, 1, 2, ... over all appended records
  std::string event;
  std::string cluster;
  std::string app;
  std::string object;
  std::string detail;
  bool change = true;  // false: work that changed nothing (e.g. a refresh finding no diff)
};

// A record's fields, borrowed from the caller: appending one builds strings only for a kept record,
// so the no-ops reported on every refresh cost no allocation.
struct TraceRecordView {
  SimTime t;
  std::string_view event;
  std::string_view cluster;
  std::string_view app;
  std::string_view object;
  std::string_view detail;
  bool change = true;
};

class Trace {
 public:
  using Observer = std::function<void(const TraceRecord&)>;

  Trace() = default;
  // Not copyable: the kept records' interned names are looked up by views of the stored strings.
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Assigns r.seq, folds r into the digest, calls the observers in the order they were added, and
  // keeps r in records() if r.change or retain_all(). The returned reference is valid until the
  // next Append. REQUIRES: observers do not Append to this trace.
  const TraceRecord& Append(TraceRecord r);
  // The same for a borrowed record; the digest is the one Append(TraceRecord) gives.
  const TraceRecord& Append(const TraceRecordView& r);

  void AddObserver(Observer observer) { observers_.push_back(std::move(observer)); }

  // Whether records with change == false are kept too (--timeline full). Default false.
  void set_retain_all(bool retain_all) { retain_all_ = retain_all; }
  bool retain_all() const { return retain_all_; }

  // Kept records, in append order: built on each call from the compact store the trace keeps
  // them in (a kept record costs a few dozen bytes, not five strings).
  std::vector<TraceRecord> records() const;
  // How many records are kept.
  size_t kept() const { return kept_.size(); }
  // Records appended, kept or not.
  size_t appended() const { return appended_; }
  // A digest of every appended record's fields and order; independent of retain_all.
  uint64_t digest() const;
  // digest() as 16 lowercase hex digits.
  std::string digest_hex() const;

 private:
  // A kept record. Its event, cluster and app (few distinct values) are interned; its object and
  // detail (mostly distinct) follow each other in text_ from text_offset.
  struct KeptRecord {
    SimTime t;
    uint64_t seq = 0;
    uint64_t text_offset = 0;
    uint32_t event = 0;
    uint32_t cluster = 0;
    uint32_t app = 0;
    uint32_t object_size = 0;
    uint32_t detail_size = 0;
    bool change = true;
  };

  void Fold(const TraceRecord& r);
  void Keep(const TraceRecord& r);
  uint32_t Intern(std::string_view s);
  const TraceRecord& Notify(const TraceRecord& r);

  std::vector<KeptRecord> kept_;
  std::deque<std::string> names_;  // interned values; a deque never moves them
  std::unordered_map<std::string_view, uint32_t> name_ids_;
  std::string text_;
  std::vector<Observer> observers_;

  TraceRecord last_;  // what Append returns; its buffers are reused
  uint64_t state_ = 0x243f6a8885a308d3ULL;
  size_t appended_ = 0;
  bool retain_all_ = false;
};

// The digest function, exposed for tests and for hashing other deterministic outputs: a 64-bit
// hash of the record's fields, length-prefixed so that ("ab", "c") and ("a", "bc") differ.
uint64_t HashTraceRecord(const TraceRecord& r);

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_TRACE_H_
