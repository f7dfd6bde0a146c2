// Cron schedules as github.com/robfig/cron/v3 parses and runs them (parser.go, spec.go at
// bc59245, the version Argo CD pins). Argo CD's sync windows parse with
// NewParser(Minute | Hour | Dom | Month | Dow): exactly five fields, no descriptors ("@daily" is
// rejected: "parser does not accept descriptors: @daily"), an optional "TZ=Zone " or
// "CRON_TZ=Zone " prefix. Error texts are robfig's.
#ifndef FLEETSIM_SIM_ARGOCD_CRON_SCHEDULE_H_
#define FLEETSIM_SIM_ARGOCD_CRON_SCHEDULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"
#include "sim/argocd/time_zone.h"

namespace fleetsim {

class CronSchedule {
 public:
  // `descriptors`: accept @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly (the
  // Descriptor option; "@every" is not a SpecSchedule and is rejected as unrecognized). `zones`
  // resolves a TZ= prefix; null: a prefix naming anything but UTC fails.
  static Result<CronSchedule> Parse(std::string_view spec, bool descriptors,
                                    TimeZoneDatabase* zones);

  // SpecSchedule.Next: the first activation strictly after Unix second `unix` (sub-second parts
  // are the caller's: robfig rounds up to the next whole second), computed in the schedule's TZ=
  // zone when it has one, else in UTC (the time Argo CD passes is UTC). nullopt when none falls
  // within five years (robfig returns the zero time then).
  std::optional<int64_t> Next(int64_t unix) const;

 private:
  uint64_t second_ = 1, minute_ = 0, hour_ = 0, dom_ = 0, month_ = 0, dow_ = 0;
  std::optional<TimeZone> zone_;
};

// Go's time.ParseDuration, in microseconds (fractions below a microsecond are dropped), with
// Go's error texts: `time: invalid duration "x"`, `time: missing unit in duration "1"`,
// `time: unknown unit "d" in duration "1d"`.
Result<int64_t> ParseGoDurationMicros(std::string_view text);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_CRON_SCHEDULE_H_
