#include "engine/sim_time.h"

#include <array>
#include <cstdlib>

namespace fleetsim {
namespace {

struct Unit {
  std::string_view name;
  int64_t micros;
};

// Longest names first so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 6> kUnits = {{{"us", 1},
                                         {"ms", 1000},
                                         {"d", 86'400'000'000},
                                         {"h", 3'600'000'000},
                                         {"m", 60'000'000},
                                         {"s", 1'000'000}}};

// Rank of a unit for the "descending order" rule: d > h > m > s > ms > us.
int Rank(int64_t unit_micros) {
  switch (unit_micros) {
    case 86'400'000'000:
      return 5;
    case 3'600'000'000:
      return 4;
    case 60'000'000:
      return 3;
    case 1'000'000:
      return 2;
    case 1000:
      return 1;
    default:
      return 0;
  }
}

constexpr int64_t kMaxMicros = std::numeric_limits<int64_t>::max();

Status Expected(std::string_view text, std::string_view why) {
  return Status::Error("invalid duration \"" + std::string(text) + "\": " + std::string(why) +
                       " (expected e.g. 90s, 15m, 2h, 1d, 1h30m, 250ms, or an integer of seconds)");
}

}  // namespace

Result<SimDuration> ParseDuration(std::string_view text) {
  if (text.empty()) return Expected(text, "empty");
  bool all_digits = text.find_first_not_of("0123456789") == std::string_view::npos;
  if (all_digits) {
    if (text.size() > 12) return Expected(text, "too large");
    return SimDuration::Seconds(std::strtoll(std::string(text).c_str(), nullptr, 10));
  }
  int64_t total = 0;
  int last_rank = 6;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t whole = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (whole > 1'000'000'000'000) return Expected(text, "too large");
      whole = whole * 10 + (text[i++] - '0');
    }
    int64_t frac = 0, frac_scale = 1;
    bool has_point = i < text.size() && text[i] == '.';
    if (has_point) {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (frac_scale < 1'000'000) {  // six digits; the product below fits int64
          frac = frac * 10 + (text[i] - '0');
          frac_scale *= 10;
        }
        ++i;
      }
    }
    if (i == start || (has_point && i == start + 1)) {
      return Expected(text,
                      text[start] == '-' ? "negative" : "a number must come before each unit");
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return Expected(text, "missing or unknown unit");
    i += unit->name.size();
    int rank = Rank(unit->micros);
    if (rank >= last_rank) return Expected(text, "units must be in descending order, each once");
    last_rank = rank;
    if (whole > kMaxMicros / unit->micros) return Expected(text, "too large");
    int64_t part = whole * unit->micros;
    // Exact fractional part: frac/frac_scale of a unit, truncated to microseconds.
    int64_t frac_us = frac * unit->micros / frac_scale;
    if (total > kMaxMicros - part - frac_us) return Expected(text, "too large");
    total += part + frac_us;
  }
  return SimDuration::Micros(total);
}

std::string FormatDuration(SimDuration d) {
  int64_t us = d.micros();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out.push_back('-');  // not out = "-": GCC 12 -O3 false -Wrestrict
    us = -us;
  }
  constexpr std::array<Unit, 6> kDescending = {{{"d", 86'400'000'000},
                                                {"h", 3'600'000'000},
                                                {"m", 60'000'000},
                                                {"s", 1'000'000},
                                                {"ms", 1000},
                                                {"us", 1}}};
  for (const Unit& u : kDescending) {
    if (us >= u.micros) {
      out += std::to_string(us / u.micros);
      out += u.name;
      us %= u.micros;
    }
  }
  return out;
}

std::string FormatSeconds(SimDuration d) {
  int64_t us = d.micros();
  std::string out;
  if (us < 0) {
    out.push_back('-');  // not out = "-": GCC 12 -O3 false -Wrestrict
    us = -us;
  }
  out += std::to_string(us / 1'000'000);
  int64_t frac = us % 1'000'000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

}  // namespace fleetsim
