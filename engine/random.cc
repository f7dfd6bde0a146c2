#include "engine/random.h"

#include <cassert>
#include <cmath>

namespace fleetsim {
namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// The SplitMix64 finaliser: a bijective 64-bit mix.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Combines a stream key with a name; distinct names give unrelated keys.
uint64_t KeyFor(uint64_t parent, std::string_view name) {
  return Mix64(Mix64(parent + kGolden) ^ HashName(name));
}

// High 64 bits of a 64x64-bit product.
uint64_t MulHigh(uint64_t a, uint64_t b, uint64_t* low) {
  __extension__ using U128 = unsigned __int128;
  U128 p = static_cast<U128>(a) * b;
  *low = static_cast<uint64_t>(p);
  return static_cast<uint64_t>(p >> 64);
}

}  // namespace

uint64_t DeriveSeed(uint64_t base, uint64_t k) { return Mix64(Mix64(base) + kGolden * (k + 1)); }

uint64_t HashName(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

RandomStream::RandomStream(uint64_t run_seed, std::string_view name)
    : RandomStream(KeyFor(run_seed, name)) {}

RandomStream::RandomStream(uint64_t key) : key_(key) {
  uint64_t x = key;
  for (uint64_t& word : s_) {
    x += kGolden;
    word = Mix64(x);
  }
  // SplitMix64 outputs are a bijection of distinct inputs, so the four words are never all zero.
}

RandomStream RandomStream::Fork(std::string_view child) const {
  return RandomStream(KeyFor(key_, child));
}

uint64_t RandomStream::NextU64() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

// Lemire's multiply-and-reject method: unbiased, usually one draw.
int64_t RandomStream::UniformInt(int64_t lo, int64_t hi) {
  assert(lo <= hi);
  if (hi <= lo) return lo;
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  if (range == 0) return static_cast<int64_t>(NextU64());  // the full 64-bit range
  uint64_t low;
  uint64_t high = MulHigh(NextU64(), range, &low);
  if (low < range) {
    const uint64_t threshold = (0 - range) % range;
    while (low < threshold) high = MulHigh(NextU64(), range, &low);
  }
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + high);
}

double RandomStream::UniformReal() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

double RandomStream::UniformReal(double lo, double hi) { return lo + (hi - lo) * UniformReal(); }

bool RandomStream::Bernoulli(double p) { return UniformReal() < p; }

double RandomStream::Exponential(double mean) { return -mean * std::log1p(-UniformReal()); }

SimDuration RandomStream::UniformDuration(SimDuration lo, SimDuration hi) {
  return SimDuration::Micros(UniformInt(lo.micros(), hi.micros()));
}

bool RandomStream::OneIn(int n) {
  assert(n >= 1);
  return UniformInt(0, n <= 1 ? 0 : n - 1) == 0;
}

}  // namespace fleetsim
