#include "sim/scenario/scenario.h"

namespace fleetsim {

std::string SourcePos::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace fleetsim
