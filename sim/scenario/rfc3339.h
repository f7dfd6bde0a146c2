// RFC 3339 timestamps for a scenario's `start`, converted by arithmetic alone: no time zone
// database, no TZ variable, no timegm.
#ifndef FLEETSIM_SIM_SCENARIO_RFC3339_H_
#define FLEETSIM_SIM_SCENARIO_RFC3339_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace fleetsim {

// "2026-01-05T09:00:00Z" or "2026-01-05T11:00:00+02:00" (also lower-case t and z) to Unix
// seconds. Years 0000-9999. Fractional seconds and leap seconds are rejected: the run's wall clock
// starts on a whole second. The error message has no location.
Result<int64_t> ParseRfc3339(std::string_view text);

// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". REQUIRES: a year in 0000-9999.
std::string FormatRfc3339Utc(int64_t unix_seconds);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_RFC3339_H_
