// The host's IANA time zone database (/usr/share/zoneinfo, Debian's tzdata), read on demand for
// sync windows' timeZone. The same zone files give the same answers, so runs stay deterministic
// on machines with the same tzdata.
#ifndef FLEETSIM_SIM_WORLD_SYSTEM_TIME_ZONES_H_
#define FLEETSIM_SIM_WORLD_SYSTEM_TIME_ZONES_H_

#include <string>

#include "sim/argocd/time_zone.h"

namespace fleetsim {

class SystemTimeZones : public TimeZoneDatabase {
 public:
  explicit SystemTimeZones(std::string root = "/usr/share/zoneinfo") : root_(std::move(root)) {}

 protected:
  Result<std::string> ReadTzif(const std::string& name) override;

 private:
  std::string root_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_WORLD_SYSTEM_TIME_ZONES_H_
