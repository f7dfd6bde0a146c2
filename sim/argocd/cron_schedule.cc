#include "sim/argocd/cron_schedule.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <limits>
#include <vector>

namespace fleetsim {
namespace {

constexpr uint64_t kStarBit = uint64_t{1} << 63;

struct Bounds {
  unsigned min, max;
  const char* const* names;  // lower-case, indexed from min; null: none
};
constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                       "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* kDowNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};
constexpr Bounds kMinutes{0, 59, nullptr}, kHours{0, 23, nullptr}, kDom{1, 31, nullptr},
    kMonths{1, 12, kMonthNames}, kDow{0, 6, kDowNames};

std::vector<std::string_view> Split(std::string_view s, char sep) {  // strings.Split
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::vector<std::string_view> Fields(std::string_view s) {  // strings.Fields (ASCII space)
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// mustParseInt: strconv.Atoi, then no negatives.
Result<uint64_t> ParseUint(std::string_view expr) {
  std::string_view digits = expr;
  bool neg = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  bool syntax = digits.empty() || ptr != digits.data() + digits.size() ||
                (ec != std::errc() && ec != std::errc::result_out_of_range);
  if (syntax || ec == std::errc::result_out_of_range) {
    return Status::Error(
        fmt::format("failed to parse int from {}: strconv.Atoi: parsing \"{}\": {}", expr, expr,
                    syntax ? "invalid syntax" : "value out of range"));
  }
  if (neg && v != 0) {
    return Status::Error(fmt::format("negative number ({}) not allowed: {}", -v, expr));
  }
  return static_cast<uint64_t>(v);
}

Result<uint64_t> ParseIntOrName(std::string_view expr, const Bounds& r) {
  if (r.names != nullptr) {
    std::string lower(expr);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (uint64_t i = 0; r.names[i] != nullptr; ++i) {
      if (lower == r.names[i]) return r.min + i;
    }
  }
  return ParseUint(expr);
}

uint64_t Bits(uint64_t min, uint64_t max, uint64_t step) {
  uint64_t bits = 0;
  for (uint64_t i = min; i <= max; i += step) bits |= uint64_t{1} << i;
  return bits;
}

Result<uint64_t> GetRange(std::string_view expr, const Bounds& r) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_and_high = Split(range_and_step[0], '-');
  bool single = low_and_high.size() == 1;
  uint64_t start = 0, end = 0, step = 1;
  uint64_t extra = 0;
  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    start = r.min;
    end = r.max;
    extra = kStarBit;
  } else {
    Result<uint64_t> lo = ParseIntOrName(low_and_high[0], r);
    if (!lo.ok()) return lo.status();
    start = end = *lo;
    if (low_and_high.size() == 2) {
      Result<uint64_t> hi = ParseIntOrName(low_and_high[1], r);
      if (!hi.ok()) return hi.status();
      end = *hi;
    } else if (low_and_high.size() > 2) {
      return Status::Error(fmt::format("too many hyphens: {}", expr));
    }
  }
  if (range_and_step.size() == 2) {
    Result<uint64_t> s = ParseUint(range_and_step[1]);
    if (!s.ok()) return s.status();
    step = *s;
    if (single) end = r.max;  // "N/step" means "N-max/step"
    if (step > 1) extra = 0;
  } else if (range_and_step.size() > 2) {
    return Status::Error(fmt::format("too many slashes: {}", expr));
  }
  if (start < r.min) {
    return Status::Error(
        fmt::format("beginning of range ({}) below minimum ({}): {}", start, r.min, expr));
  }
  if (end > r.max) {
    return Status::Error(fmt::format("end of range ({}) above maximum ({}): {}", end, r.max, expr));
  }
  if (start > end) {
    return Status::Error(
        fmt::format("beginning of range ({}) beyond end of range ({}): {}", start, end, expr));
  }
  if (step == 0) {
    return Status::Error(fmt::format("step of range should be a positive number: {}", expr));
  }
  return Bits(start, end, step) | extra;
}

Result<uint64_t> GetField(std::string_view field, const Bounds& r) {
  uint64_t bits = 0;
  for (std::string_view expr : Split(field, ',')) {
    if (expr.empty()) continue;  // strings.FieldsFunc drops empty pieces
    Result<uint64_t> b = GetRange(expr, r);
    if (!b.ok()) return b.status();
    bits |= *b;
  }
  return bits;
}

// A time.Time in the schedule's location: Unix seconds and the zone (null: UTC).
struct GoTime {
  int64_t unix;
  const TimeZone* zone;
  int64_t local() const { return unix + (zone ? zone->OffsetAt(unix) : 0); }
  struct Civil {
    int64_t year;
    int month, day, hour, minute, second, weekday;
  };
  Civil civil() const {
    int64_t l = local();
    int64_t days = l / 86400 - (l % 86400 < 0 ? 1 : 0);
    int64_t secs = l - days * 86400;
    Civil c{};
    CivilFromDays(days, &c.year, &c.month, &c.day);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs / 60 % 60);
    c.second = static_cast<int>(secs % 60);
    c.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);
    return c;
  }
};

// time.Date: month and day may be out of range and are normalised.
GoTime Date(int64_t y, int64_t m, int64_t d, int64_t h, int64_t mi, int64_t s, const TimeZone* z) {
  int64_t m0 = m - 1;
  y += m0 / 12 - (m0 % 12 < 0 ? 1 : 0);
  m0 = ((m0 % 12) + 12) % 12;
  int64_t local =
      (DaysFromCivil(y, static_cast<int>(m0 + 1), 1) + d - 1) * 86400 + h * 3600 + mi * 60 + s;
  return GoTime{z ? z->FromLocal(local) : local, z};
}

bool DayMatches(uint64_t dom, uint64_t dow, const GoTime::Civil& c) {
  bool dom_match = (uint64_t{1} << c.day & dom) != 0;
  bool dow_match = (uint64_t{1} << c.weekday & dow) != 0;
  if ((dom & kStarBit) != 0 || (dow & kStarBit) != 0) return dom_match && dow_match;
  return dom_match || dow_match;
}

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view spec, bool descriptors,
                                         TimeZoneDatabase* zones) {
  if (spec.empty()) return Status::Error("empty spec string");
  CronSchedule s;
  if (spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
    size_t space = spec.find(' ');
    size_t eq = spec.find('=');
    std::string_view name =
        spec.substr(eq + 1, space == std::string_view::npos ? space : space - eq - 1);
    Result<TimeZone> zone = Status::Error("unknown time zone " + std::string(name));
    if (zones != nullptr) {
      zone = zones->Load(name);
    } else if (name == "UTC" || name.empty()) {
      zone = TimeZone::Utc();
    }
    if (!zone.ok()) {
      return Status::Error(fmt::format("provided bad location {}: {}", name, zone.error()));
    }
    s.zone_ = *zone;
    spec = space == std::string_view::npos ? std::string_view() : spec.substr(space);
    while (!spec.empty() && std::isspace(static_cast<unsigned char>(spec.front())))
      spec.remove_prefix(1);
    while (!spec.empty() && std::isspace(static_cast<unsigned char>(spec.back())))
      spec.remove_suffix(1);
  }
  if (spec.starts_with("@")) {
    if (!descriptors) {
      return Status::Error(fmt::format("parser does not accept descriptors: {}", spec));
    }
    constexpr uint64_t kAllDom = (((uint64_t{1} << 32) - 1) & ~uint64_t{1}) | kStarBit;
    constexpr uint64_t kAllMonths = (((uint64_t{1} << 13) - 1) & ~uint64_t{1}) | kStarBit;
    constexpr uint64_t kAllDow = ((uint64_t{1} << 7) - 1) | kStarBit;
    constexpr uint64_t kAllHours = ((uint64_t{1} << 24) - 1) | kStarBit;
    s.minute_ = 1;
    s.hour_ = 1;
    s.dom_ = kAllDom;
    s.month_ = kAllMonths;
    s.dow_ = kAllDow;
    if (spec == "@yearly" || spec == "@annually") {
      s.dom_ = 2;
      s.month_ = 2;
    } else if (spec == "@monthly") {
      s.dom_ = 2;
    } else if (spec == "@weekly") {
      s.dow_ = 1;
    } else if (spec == "@hourly") {
      s.hour_ = kAllHours;
    } else if (spec != "@daily" && spec != "@midnight") {
      return Status::Error(fmt::format("unrecognized descriptor: {}", spec));
    }
    return s;
  }
  std::vector<std::string_view> fields = Fields(spec);
  if (fields.size() != 5) {
    std::string listed = "[";
    for (size_t i = 0; i < fields.size(); ++i) listed += (i ? " " : "") + std::string(fields[i]);
    return Status::Error(
        fmt::format("expected exactly 5 fields, found {}: {}]", fields.size(), listed));
  }
  const Bounds* bounds[] = {&kMinutes, &kHours, &kDom, &kMonths, &kDow};
  uint64_t* out[] = {&s.minute_, &s.hour_, &s.dom_, &s.month_, &s.dow_};
  for (size_t i = 0; i < 5; ++i) {
    Result<uint64_t> bits = GetField(fields[i], *bounds[i]);
    if (!bits.ok()) return bits.status();
    *out[i] = *bits;
  }
  return s;
}

std::optional<int64_t> CronSchedule::Next(int64_t unix) const {
  const TimeZone* z = zone_ ? &*zone_ : nullptr;
  GoTime t{unix + 1, z};
  bool added = false;
  const int64_t year_limit = t.civil().year + 5;
  auto bit = [](uint64_t set, int v) { return (set & (uint64_t{1} << v)) != 0; };
wrap:
  if (t.civil().year > year_limit) return std::nullopt;
  while (!bit(month_, t.civil().month)) {
    GoTime::Civil c = t.civil();
    if (!added) {
      added = true;
      t = Date(c.year, c.month, 1, 0, 0, 0, z);
      c = t.civil();
    }
    t = Date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second, z);  // AddDate(0, 1, 0)
    if (t.civil().month == 1) goto wrap;
  }
  while (!DayMatches(dom_, dow_, t.civil())) {
    GoTime::Civil c = t.civil();
    if (!added) {
      added = true;
      t = Date(c.year, c.month, c.day, 0, 0, 0, z);
      c = t.civil();
    }
    t = Date(c.year, c.month, c.day + 1, c.hour, c.minute, c.second, z);  // AddDate(0, 0, 1)
    int h = t.civil().hour;
    if (h != 0) t.unix += h > 12 ? (24 - h) * 3600 : -h * 3600;  // DST moved midnight
    if (t.civil().day == 1) goto wrap;
  }
  while (!bit(hour_, t.civil().hour)) {
    if (!added) {
      added = true;
      GoTime::Civil c = t.civil();
      t = Date(c.year, c.month, c.day, c.hour, 0, 0, z);
    }
    t.unix += 3600;
    if (t.civil().hour == 0) goto wrap;
  }
  while (!bit(minute_, t.civil().minute)) {
    if (!added) {
      added = true;
      t.unix -= ((t.unix % 60) + 60) % 60;  // Truncate(time.Minute), on absolute time
    }
    t.unix += 60;
    if (t.civil().minute == 0) goto wrap;
  }
  while (!bit(second_, t.civil().second)) {
    added = true;
    t.unix += 1;
    if (t.civil().second == 0) goto wrap;
  }
  return t.unix;
}

Result<int64_t> ParseGoDurationMicros(std::string_view orig) {
  std::string_view s = orig;
  auto invalid = [&] { return Status::Error("time: invalid duration " + GoQuote(orig)); };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return invalid();
  constexpr uint64_t kMax = uint64_t{1} << 63;
  uint64_t total_ns = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || std::isdigit(static_cast<unsigned char>(s[0])))) return invalid();
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      if (v > (kMax - 1) / 10) return invalid();
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMax) return invalid();
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])); ++j) {
        if (overflow) continue;
        if (f > (std::numeric_limits<uint64_t>::max() >> 1) / 10) {
          overflow = true;
          continue;
        }
        f = f * 10 + static_cast<uint64_t>(s[j] - '0');
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return invalid();
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !std::isdigit(static_cast<unsigned char>(s[u]))) ++u;
    if (u == 0) return Status::Error("time: missing unit in duration " + GoQuote(orig));
    std::string_view unit_name = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t unit = 0;
    if (unit_name == "ns")
      unit = 1;
    else if (unit_name == "us" || unit_name == "\xc2\xb5s" || unit_name == "\xce\xbcs")
      unit = 1000;
    else if (unit_name == "ms")
      unit = 1000000;
    else if (unit_name == "s")
      unit = 1000000000;
    else if (unit_name == "m")
      unit = 60000000000ULL;
    else if (unit_name == "h")
      unit = 3600000000000ULL;
    else {
      return Status::Error("time: unknown unit " + GoQuote(unit_name) + " in duration " +
                           GoQuote(orig));
    }
    if (v > kMax / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) return invalid();
    }
    total_ns += v;
    if (total_ns > kMax) return invalid();
  }
  if (total_ns > kMax - 1 && !neg) return invalid();
  int64_t micros = static_cast<int64_t>(total_ns / 1000);
  return neg ? -micros : micros;
}

}  // namespace fleetsim
