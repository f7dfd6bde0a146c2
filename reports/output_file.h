// Writing result files so that nothing half-written is ever left behind.
#ifndef FLEETSIM_REPORTS_OUTPUT_FILE_H_
#define FLEETSIM_REPORTS_OUTPUT_FILE_H_

#include <string>
#include <string_view>

#include "engine/status.h"

namespace fleetsim {

// Writes `content` to `path` through a temporary file in the same directory that is renamed over
// `path` once complete, so an interrupted run leaves either the old file or the new one.
// `path` "-" writes to standard output instead.
Status WriteOutputFile(const std::string& path, std::string_view content);

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_OUTPUT_FILE_H_
