#include "engine/trace.h"

#include <string_view>
#include <utility>

namespace fleetsim {
namespace {

// xxHash64's primes and round; hand-written so the digest depends on nothing outside this file.
constexpr uint64_t kPrime1 = 0x9e3779b185ebca87ULL;
constexpr uint64_t kPrime2 = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kPrime3 = 0x165667b19e3779f9ULL;

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t Round(uint64_t acc, uint64_t word) {
  acc += word * kPrime2;
  acc = Rotl(acc, 31);
  return acc * kPrime1;
}

uint64_t Avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  return h ^ (h >> 32);
}

// Little-endian load of up to 8 bytes, so the digest is the same on every platform.
uint64_t LoadLE(const unsigned char* p, size_t n) {
  uint64_t w = 0;
  for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(p[i]) << (8 * i);
  return w;
}

uint64_t HashBytes(uint64_t acc, std::string_view s) {
  acc = Round(acc, s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) acc = Round(acc, LoadLE(p, 8));
  if (n > 0) acc = Round(acc, LoadLE(p, n));
  return acc;
}

}  // namespace

uint64_t HashTraceRecord(const TraceRecord& r) {
  uint64_t acc = kPrime3;
  acc = Round(acc, static_cast<uint64_t>(r.t.micros()));
  acc = Round(acc, r.seq);
  acc = Round(acc, r.change ? 1 : 0);
  for (const std::string* field : {&r.event, &r.cluster, &r.app, &r.object, &r.detail}) {
    acc = HashBytes(acc, *field);
  }
  return Avalanche(acc);
}

void Trace::Fold(const TraceRecord& r) {
  state_ = Rotl(state_ ^ HashTraceRecord(r), 27) * kPrime1 + kPrime3;
}

const TraceRecord& Trace::Notify(const TraceRecord& r) {
  for (const Observer& observer : observers_) observer(r);
  return r;
}

const TraceRecord& Trace::Append(TraceRecord r) {
  r.seq = appended_++;
  Fold(r);
  last_ = std::move(r);
  if (last_.change || retain_all_) Keep(last_);
  return Notify(last_);
}

const TraceRecord& Trace::Append(const TraceRecordView& v) {
  // assign() reuses last_'s capacity: after the first few records this allocates nothing.
  last_.t = v.t;
  last_.seq = appended_++;
  last_.event.assign(v.event);
  last_.cluster.assign(v.cluster);
  last_.app.assign(v.app);
  last_.object.assign(v.object);
  last_.detail.assign(v.detail);
  last_.change = v.change;
  Fold(last_);
  if (last_.change || retain_all_) Keep(last_);
  return Notify(last_);
}

uint32_t Trace::Intern(std::string_view s) {
  if (auto it = name_ids_.find(s); it != name_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(names_.size());
  names_.emplace_back(s);
  name_ids_.emplace(names_.back(), id);
  return id;
}

void Trace::Keep(const TraceRecord& r) {
  KeptRecord k;
  k.t = r.t;
  k.seq = r.seq;
  k.text_offset = text_.size();
  k.event = Intern(r.event);
  k.cluster = Intern(r.cluster);
  k.app = Intern(r.app);
  k.object_size = static_cast<uint32_t>(r.object.size());
  k.detail_size = static_cast<uint32_t>(r.detail.size());
  k.change = r.change;
  text_ += r.object;
  text_ += r.detail;
  kept_.push_back(k);
}

std::vector<TraceRecord> Trace::records() const {
  std::vector<TraceRecord> out;
  out.reserve(kept_.size());
  const std::string_view text = text_;
  for (const KeptRecord& k : kept_) {
    out.push_back({k.t, k.seq, names_[k.event], names_[k.cluster], names_[k.app],
                   std::string(text.substr(k.text_offset, k.object_size)),
                   std::string(text.substr(k.text_offset + k.object_size, k.detail_size)),
                   k.change});
  }
  return out;
}

uint64_t Trace::digest() const { return Avalanche(state_ ^ (appended_ * kPrime2)); }

std::string Trace::digest_hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t d = digest();
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, d >>= 4) out[static_cast<size_t>(i)] = kHex[d & 0xf];
  return out;
}

}  // namespace fleetsim
