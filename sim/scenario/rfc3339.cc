#include "sim/scenario/rfc3339.h"

#include <fmt/format.h>

namespace fleetsim {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads `width` digits at text[at...]; false if any is not a digit.
bool Digits(std::string_view text, size_t at, size_t width, int64_t* out) {
  if (at + width > text.size()) return false;
  int64_t value = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

bool CharAt(std::string_view text, size_t at, char a, char b = '\0') {
  return at < text.size() && (text[at] == a || (b != '\0' && text[at] == b));
}

Status Malformed(std::string_view text) {
  return Status::Error("expected an RFC 3339 time such as 2026-01-05T09:00:00Z, found \"" +
                       std::string(text) + "\"");
}

Status OutOfRange(std::string_view text, std::string_view field) {
  return Status::Error("invalid time \"" + std::string(text) + "\": " + std::string(field) +
                       " out of range");
}

// The offset east of UTC in seconds, from "Z" or "+hh:mm"/"-hh:mm" at text[at...].
Result<int64_t> ParseOffset(std::string_view text, size_t at) {
  if (at + 1 == text.size() && CharAt(text, at, 'Z', 'z')) return int64_t{0};
  if (text.size() != at + 6 || !(CharAt(text, at, '+', '-')) || !CharAt(text, at + 3, ':')) {
    if (CharAt(text, at, '.')) {
      return Status::Error("invalid time \"" + std::string(text) +
                           "\": fractional seconds are not supported");
    }
    return Malformed(text);
  }
  int64_t hours = 0, minutes = 0;
  if (!Digits(text, at + 1, 2, &hours) || !Digits(text, at + 4, 2, &minutes)) {
    return Malformed(text);
  }
  if (hours > 23 || minutes > 59) return OutOfRange(text, "offset");
  int64_t offset = hours * 3600 + minutes * 60;
  return text[at] == '-' ? -offset : offset;
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool shape = Digits(text, 0, 4, &year) && CharAt(text, 4, '-') && Digits(text, 5, 2, &month) &&
               CharAt(text, 7, '-') && Digits(text, 8, 2, &day) && CharAt(text, 10, 'T', 't') &&
               Digits(text, 11, 2, &hour) && CharAt(text, 13, ':') &&
               Digits(text, 14, 2, &minute) && CharAt(text, 16, ':') &&
               Digits(text, 17, 2, &second);
  if (!shape) return Malformed(text);
  if (month < 1 || month > 12) return OutOfRange(text, "month");
  if (day < 1 || day > DaysInMonth(year, month)) return OutOfRange(text, "day");
  if (hour > 23) return OutOfRange(text, "hour");
  if (minute > 59) return OutOfRange(text, "minute");
  if (second > 59) return OutOfRange(text, "second");
  Result<int64_t> offset = ParseOffset(text, 19);
  if (!offset.ok()) return offset.status();
  int64_t local = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return local - *offset;
}

std::string FormatRfc3339Utc(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400;
  int64_t rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  // civil_from_days (H. Hinnant).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rest / 3600, rest / 60 % 60,
                     rest % 60);
}

}  // namespace fleetsim
