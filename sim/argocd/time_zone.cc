#include "sim/argocd/time_zone.h"

#include <algorithm>
#include <cctype>

namespace fleetsim {
namespace {

constexpr int64_t kDay = 86400;

class ByteReader {
 public:
  explicit ByteReader(std::string_view b) : b_(b) {}
  bool Has(size_t n) const { return pos_ + n <= b_.size(); }
  int64_t Int(size_t width) {  // big-endian two's complement of 4 or 8 bytes
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(b_[pos_ + i]);
    pos_ += width;
    if (width == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
    return static_cast<int64_t>(v);
  }
  unsigned char Byte() { return static_cast<unsigned char>(b_[pos_++]); }
  void Skip(size_t n) { pos_ += n; }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return b_.substr(pos_); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Parses [+-]hh[:mm[:ss]] at `s` (POSIX TZ offsets and rule times); false when malformed.
bool ParseHms(std::string_view s, size_t& pos, int64_t* out) {
  int sign = 1;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) sign = s[pos++] == '-' ? -1 : 1;
  int64_t total = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (pos >= s.size() || s[pos] != ':') break;
      ++pos;
    }
    size_t start = pos;
    int64_t v = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      v = v * 10 + (s[pos++] - '0');
      if (v > 1000) return false;
    }
    if (pos == start) return false;
    total += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
  }
  *out = sign * total;
  return true;
}

bool ParseZoneName(std::string_view s, size_t& pos) {
  size_t start = pos;
  if (pos < s.size() && s[pos] == '<') {
    size_t close = s.find('>', pos);
    if (close == std::string_view::npos) return false;
    pos = close + 1;
    return close > start + 1;
  }
  while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
  return pos - start >= 3;
}

bool ParseRuleDate(std::string_view s, size_t& pos, TzRuleDate* out) {
  auto number = [&](int* v) {
    size_t start = pos;
    *v = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && *v < 1000)
      *v = *v * 10 + (s[pos++] - '0');
    return pos > start;
  };
  if (pos < s.size() && s[pos] == 'M') {
    ++pos;
    out->kind = TzRuleDate::Kind::kMonthWeekDay;
    if (!number(&out->month) || pos >= s.size() || s[pos++] != '.' || !number(&out->week) ||
        pos >= s.size() || s[pos++] != '.' || !number(&out->weekday)) {
      return false;
    }
    if (out->month < 1 || out->month > 12 || out->week < 1 || out->week > 5 || out->weekday > 6)
      return false;
  } else if (pos < s.size() && s[pos] == 'J') {
    ++pos;
    out->kind = TzRuleDate::Kind::kJulian1;
    if (!number(&out->day) || out->day < 1 || out->day > 365) return false;
  } else {
    out->kind = TzRuleDate::Kind::kJulian0;
    if (!number(&out->day) || out->day > 365) return false;
  }
  out->time = 7200;
  if (pos < s.size() && s[pos] == '/') {
    ++pos;
    if (!ParseHms(s, pos, &out->time)) return false;
  }
  return true;
}

// Days since the epoch of the rule's date in year `y`.
int64_t RuleDay(const TzRuleDate& r, int64_t y) {
  int64_t jan1 = DaysFromCivil(y, 1, 1);
  switch (r.kind) {
    case TzRuleDate::Kind::kJulian1:
      return jan1 + r.day - 1 + (IsLeap(y) && r.day >= 60 ? 1 : 0);
    case TzRuleDate::Kind::kJulian0:
      return jan1 + r.day;
    case TzRuleDate::Kind::kMonthWeekDay:
      break;
  }
  int64_t first = DaysFromCivil(y, r.month, 1);
  int64_t first_dow = ((first % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday
  int64_t d = (r.weekday - first_dow + 7) % 7 + 1 + (r.week - 1) * 7;
  while (d > DaysInMonth(y, r.month)) d -= 7;
  return first + d - 1;
}

int64_t FooterOffset(const PosixTz& tz, int64_t unix) {
  if (!tz.has_dst) return tz.std_offset;
  int64_t y = 0;
  int m = 0, d = 0;
  int64_t local = unix + tz.std_offset;
  CivilFromDays(local / kDay - (local % kDay < 0 ? 1 : 0), &y, &m, &d);
  int64_t start = RuleDay(tz.start, y) * kDay + tz.start.time - tz.std_offset;
  int64_t end = RuleDay(tz.end, y) * kDay + tz.end.time - tz.dst_offset;
  bool dst = start < end ? (start <= unix && unix < end) : !(end <= unix && unix < start);
  return dst ? tz.dst_offset : tz.std_offset;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

Result<PosixTz> ParsePosixTz(std::string_view s) {
  PosixTz tz;
  size_t pos = 0;
  auto bad = [&] { return Status::Error("malformed POSIX TZ string \"" + std::string(s) + "\""); };
  if (!ParseZoneName(s, pos)) return bad();
  int64_t west = 0;
  if (!ParseHms(s, pos, &west)) return bad();
  tz.std_offset = -west;
  if (pos == s.size()) return tz;
  if (!ParseZoneName(s, pos)) return bad();
  tz.has_dst = true;
  tz.dst_offset = tz.std_offset + 3600;
  if (pos < s.size() && s[pos] != ',') {
    if (!ParseHms(s, pos, &west)) return bad();
    tz.dst_offset = -west;
  }
  if (pos == s.size()) {  // no rules: the US rules POSIX names as the default
    tz.start = {TzRuleDate::Kind::kMonthWeekDay, 3, 2, 0, 0, 7200};
    tz.end = {TzRuleDate::Kind::kMonthWeekDay, 11, 1, 0, 0, 7200};
    return tz;
  }
  if (s[pos++] != ',' || !ParseRuleDate(s, pos, &tz.start) || pos >= s.size() || s[pos++] != ',' ||
      !ParseRuleDate(s, pos, &tz.end) || pos != s.size()) {
    return bad();
  }
  return tz;
}

TimeZone TimeZone::Utc() { return TimeZone(); }

TimeZone TimeZone::Fixed(int64_t offset_seconds) {
  TimeZone z;
  z.initial_offset_ = offset_seconds;
  return z;
}

Result<TimeZone> TimeZone::FromTzif(std::string_view bytes) {
  ByteReader r(bytes);
  auto bad = [](const char* what) {
    return Status::Error(std::string("malformed time zone: ") + what);
  };
  if (!r.Has(44) || bytes.substr(0, 4) != "TZif") return bad("no TZif header");
  r.Skip(4);
  unsigned char version = r.Byte();
  r.Skip(15);
  int64_t counts[6];
  for (int64_t& c : counts) c = r.Int(4);
  size_t width = 4;
  auto block_size = [&](size_t w) {
    return counts[3] * w + counts[3] + counts[4] * 6 + counts[5] + counts[2] * (w + 4) + counts[1] +
           counts[0];
  };
  if (version >= '2') {  // skip the 32-bit block, read the 64-bit one
    if (!r.Has(static_cast<size_t>(block_size(4)) + 44)) return bad("truncated");
    r.Skip(static_cast<size_t>(block_size(4)));
    if (r.rest().substr(0, 4) != "TZif") return bad("no second header");
    r.Skip(20);
    for (int64_t& c : counts) c = r.Int(4);
    width = 8;
  }
  const int64_t timecnt = counts[3], typecnt = counts[4];
  if (typecnt < 1 || !r.Has(static_cast<size_t>(block_size(width)))) return bad("truncated");
  std::vector<int64_t> times(static_cast<size_t>(timecnt));
  for (int64_t& t : times) t = r.Int(width);
  std::vector<unsigned char> idx(static_cast<size_t>(timecnt));
  for (unsigned char& i : idx) i = r.Byte();
  std::vector<std::pair<int64_t, bool>> types;  // offset, isdst
  for (int64_t i = 0; i < typecnt; ++i) {
    int64_t off = r.Int(4);
    bool dst = r.Byte() != 0;
    r.Skip(1);
    types.emplace_back(off, dst);
  }
  r.Skip(static_cast<size_t>(block_size(width)) - static_cast<size_t>(timecnt) * (width + 1) -
         static_cast<size_t>(typecnt) * 6);
  TimeZone z;
  z.initial_offset_ = types[0].first;
  for (const auto& t : types) {
    if (!t.second) {
      z.initial_offset_ = t.first;
      break;
    }
  }
  for (size_t i = 0; i < times.size(); ++i) {
    if (idx[i] >= types.size()) return bad("transition type out of range");
    z.transitions_.push_back({times[i], types[idx[i]].first});
  }
  if (version >= '2') {
    std::string_view rest = r.rest();
    if (rest.size() >= 2 && rest[0] == '\n') {
      size_t end = rest.find('\n', 1);
      if (end != std::string_view::npos && end > 1) {
        Result<PosixTz> footer = ParsePosixTz(rest.substr(1, end - 1));
        if (footer.ok()) {
          z.has_footer_ = true;
          z.footer_ = *footer;
        }
      }
    }
  }
  return z;
}

int64_t TimeZone::OffsetAt(int64_t unix) const {
  if (transitions_.empty()) return has_footer_ ? FooterOffset(footer_, unix) : initial_offset_;
  if (unix < transitions_.front().at) return initial_offset_;
  if (unix >= transitions_.back().at && has_footer_) return FooterOffset(footer_, unix);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), unix,
                             [](int64_t t, const Transition& tr) { return t < tr.at; });
  return std::prev(it)->offset;
}

int64_t TimeZone::FromLocal(int64_t local) const {
  // Go's Date: take the offset at `local` read as UTC; if local - offset falls outside that
  // offset's span, use the offset at local - offset instead.
  int64_t offset = OffsetAt(local);
  int64_t utc = local - offset;
  if (OffsetAt(utc) != offset) offset = OffsetAt(utc);
  return local - offset;
}

Result<TimeZone> TimeZoneDatabase::Load(std::string_view name) {
  if (name.empty() || name == "UTC") return TimeZone::Utc();
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  std::string key(name);
  Result<TimeZone> zone = Status::Error("unknown time zone " + key);
  bool valid_name =
      key.find("..") == std::string::npos && key.front() != '/' && key.front() != '\\';
  if (!valid_name) {
    zone = Status::Error("time: invalid location name");
  } else if (key == "Local") {
    zone = TimeZone::Utc();  // Argo CD's containers run in UTC
  } else if (Result<std::string> bytes = ReadTzif(key); bytes.ok()) {
    Result<TimeZone> parsed = TimeZone::FromTzif(*bytes);
    if (parsed.ok()) zone = std::move(parsed);
  }
  return cache_.emplace(std::move(key), std::move(zone)).first->second;
}

Result<std::string> MemoryTimeZones::ReadTzif(const std::string& name) {
  auto it = files_.find(name);
  if (it == files_.end()) return Status::Error("not found");
  return it->second;
}

}  // namespace fleetsim
