// An index from names to objects owned elsewhere, for lookups on hot paths. Open addressing over
// (hash, pointer) pairs in one array: a lookup reads a cache line or two of the index and then the
// object it finds, where a std::map walks a dozen nodes and std::unordered_map chases three or four
// pointers, each a cache miss once the model outgrows the cache.
//
// It is never iterated, so the hash's order cannot reach a run's outcome. Keys are the objects' own
// names (`Name` is the member holding it), so an entry cannot disagree with its object.
#ifndef FLEETSIM_ENGINE_NAME_INDEX_H_
#define FLEETSIM_ENGINE_NAME_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fleetsim {

template <typename T, std::string T::*Name>
class NameIndex {
 public:
  // The object indexed under `name`, or null.
  T* Find(std::string_view name) const {
    if (slots_.empty()) return nullptr;
    const uint64_t hash = Hash(name);
    for (size_t i = hash & mask(); slots_[i].value != nullptr; i = (i + 1) & mask()) {
      if (slots_[i].hash == hash && (slots_[i].value->*Name) == name) return slots_[i].value;
    }
    return nullptr;
  }

  // Indexes `value` under its name. REQUIRES: no object is indexed under that name; `value`
  // outlives its entry and keeps its name while indexed.
  void Insert(T* value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Place({Hash(value->*Name), value});
    ++size_;
  }

  // Removes the entry of `value`, if it is indexed.
  void Erase(const T* value) {
    if (slots_.empty()) return;
    size_t i = Hash(value->*Name) & mask();
    while (slots_[i].value != value) {
      if (slots_[i].value == nullptr) return;
      i = (i + 1) & mask();
    }
    // Backward-shift deletion: move later entries of the probe run into the hole when their home
    // slot is not after it, so that every remaining entry stays reachable from its home.
    for (size_t j = (i + 1) & mask(); slots_[j].value != nullptr; j = (j + 1) & mask()) {
      const size_t home = slots_[j].hash & mask();
      if (((j - home) & mask()) >= ((j - i) & mask())) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    T* value = nullptr;
  };

  static uint64_t Hash(std::string_view name) { return std::hash<std::string_view>()(name); }
  size_t mask() const { return slots_.size() - 1; }

  void Place(Slot slot) {
    size_t i = slot.hash & mask();
    while (slots_[i].value != nullptr) i = (i + 1) & mask();
    slots_[i] = slot;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.value != nullptr) Place(s);
    }
  }

  std::vector<Slot> slots_;  // size a power of two, at least twice size_
  size_t size_ = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_NAME_INDEX_H_
