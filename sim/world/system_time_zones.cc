#include "sim/world/system_time_zones.h"

#include <fstream>
#include <iterator>

namespace fleetsim {

Result<std::string> SystemTimeZones::ReadTzif(const std::string& name) {
  std::ifstream in(root_ + "/" + name, std::ios::binary);
  if (!in) return Status::Error("cannot open " + name);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Error("cannot read " + name);
  return bytes;
}

}  // namespace fleetsim
