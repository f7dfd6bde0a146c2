// Time zones as Go's time package reads them (time.LoadLocation over the IANA tz database), for
// sync windows: a zone is parsed from a TZif file (RFC 8536, versions 1 to 4) with its POSIX TZ
// footer for instants after the last transition. The bytes come through TimeZoneDatabase, so the
// model never reads files itself; the world passes a database over /usr/share/zoneinfo.
#ifndef FLEETSIM_SIM_ARGOCD_TIME_ZONE_H_
#define FLEETSIM_SIM_ARGOCD_TIME_ZONE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace fleetsim {

// One POSIX TZ rule date: "Mm.w.d" (month, week 1-5 where 5 is the last, weekday 0=Sunday),
// "Jn" (day 1-365 without Feb 29) or "n" (day 0-365), with the transition's local time in seconds.
struct TzRuleDate {
  enum class Kind { kMonthWeekDay, kJulian1, kJulian0 };
  Kind kind = Kind::kMonthWeekDay;
  int month = 0, week = 0, weekday = 0, day = 0;
  int64_t time = 7200;
};

// A POSIX TZ string as a TZif footer holds it, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
struct PosixTz {
  int64_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int64_t dst_offset = 0;
  TzRuleDate start, end;
};
Result<PosixTz> ParsePosixTz(std::string_view text);

class TimeZone {
 public:
  static TimeZone Utc();
  // Fixed offset (tests).
  static TimeZone Fixed(int64_t offset_seconds);
  // Parses TZif bytes; errors name what is malformed.
  static Result<TimeZone> FromTzif(std::string_view bytes);

  // Seconds east of UTC at the Unix instant `unix`.
  int64_t OffsetAt(int64_t unix) const;
  // The Unix instant of a local wall-clock time given as seconds since the local epoch, as Go's
  // time.Date resolves it: the offset in force at (local - guessed offset), so a skipped local
  // time lands after the gap and a repeated one on its first occurrence.
  int64_t FromLocal(int64_t local) const;

 private:
  struct Transition {
    int64_t at;
    int64_t offset;
  };
  std::vector<Transition> transitions_;  // ascending
  int64_t initial_offset_ = 0;           // before the first transition
  bool has_footer_ = false;
  PosixTz footer_;
};

// Where zones come from. Load("UTC") and Load("") give UTC without reading anything, as Go does.
class TimeZoneDatabase {
 public:
  virtual ~TimeZoneDatabase() = default;
  // The zone, or Go's error text: "unknown time zone NAME".
  Result<TimeZone> Load(std::string_view name);

 protected:
  // The TZif bytes of zone `name` (already checked to be a relative path without ".."), or an
  // error when there is none.
  virtual Result<std::string> ReadTzif(const std::string& name) = 0;

 private:
  std::map<std::string, Result<TimeZone>, std::less<>> cache_;
};

// A database of zones given as TZif bytes by name (tests, and a world without a tz database).
class MemoryTimeZones : public TimeZoneDatabase {
 public:
  void Add(std::string name, std::string tzif) { files_[std::move(name)] = std::move(tzif); }

 protected:
  Result<std::string> ReadTzif(const std::string& name) override;

 private:
  std::map<std::string, std::string> files_;
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms).
int64_t DaysFromCivil(int64_t y, int m, int d);
void CivilFromDays(int64_t days, int64_t* y, int* m, int* d);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_TIME_ZONE_H_
