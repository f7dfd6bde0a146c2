// Virtual time. Both types hold int64 microseconds; there is no floating-point time anywhere.
// SimTime is an instant measured from the scenario's start (t=0); SimDuration is a span.
#ifndef FLEETSIM_ENGINE_SIM_TIME_H_
#define FLEETSIM_ENGINE_SIM_TIME_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace fleetsim {

class SimDuration {
 public:
  constexpr SimDuration() = default;
  static constexpr SimDuration Micros(int64_t us) { return SimDuration(us); }
  static constexpr SimDuration Millis(int64_t ms) { return SimDuration(ms * 1000); }
  static constexpr SimDuration Seconds(int64_t s) { return SimDuration(s * 1'000'000); }
  static constexpr SimDuration Minutes(int64_t m) { return Seconds(m * 60); }
  static constexpr SimDuration Hours(int64_t h) { return Seconds(h * 3600); }
  static constexpr SimDuration Days(int64_t d) { return Seconds(d * 86400); }
  static constexpr SimDuration Zero() { return SimDuration(0); }
  static constexpr SimDuration Max() { return SimDuration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t micros() const { return us_; }
  // Whole seconds, truncated toward zero.
  constexpr int64_t whole_seconds() const { return us_ / 1'000'000; }

  constexpr auto operator<=>(const SimDuration&) const = default;
  constexpr SimDuration operator+(SimDuration o) const { return SimDuration(us_ + o.us_); }
  constexpr SimDuration operator-(SimDuration o) const { return SimDuration(us_ - o.us_); }
  constexpr SimDuration operator*(int64_t k) const { return SimDuration(us_ * k); }
  constexpr SimDuration operator/(int64_t k) const { return SimDuration(us_ / k); }
  constexpr SimDuration& operator+=(SimDuration o) {
    us_ += o.us_;
    return *this;
  }
  constexpr SimDuration& operator-=(SimDuration o) {
    us_ -= o.us_;
    return *this;
  }

 private:
  constexpr explicit SimDuration(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime FromMicros(int64_t us) { return SimTime(us); }
  static constexpr SimTime Zero() { return SimTime(0); }
  static constexpr SimTime Max() { return SimTime(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t micros() const { return us_; }
  constexpr SimDuration since_start() const { return SimDuration::Micros(us_); }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimDuration d) const { return SimTime(us_ + d.micros()); }
  constexpr SimTime operator-(SimDuration d) const { return SimTime(us_ - d.micros()); }
  constexpr SimDuration operator-(SimTime o) const { return SimDuration::Micros(us_ - o.us_); }
  constexpr SimTime& operator+=(SimDuration d) {
    us_ += d.micros();
    return *this;
  }

 private:
  constexpr explicit SimTime(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// Parses "250ms", "90s", "15m", "2h", "1d", combinations in descending order such as "1h30m" or
// "1d2h", decimals such as "1.5h" (exact to the microsecond), "us" for microseconds, and a bare
// non-negative integer as seconds. Negative durations are rejected. On error the message says what
// was expected, without a location (the caller knows where the text came from).
Result<SimDuration> ParseDuration(std::string_view text);

// The shortest exact form using d, h, m, s, ms and us units, e.g. "1h30m", "250ms", "0s".
std::string FormatDuration(SimDuration d);

// Seconds since start with up to six decimals and no trailing zeros: "12", "0.25", "3600.000001".
std::string FormatSeconds(SimDuration d);

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_SIM_TIME_H_
