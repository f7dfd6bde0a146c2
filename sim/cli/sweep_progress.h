// How a sweep shows its progress: a bar redrawn on one line on a terminal, plain lines otherwise.
#ifndef FLEETSIM_SIM_CLI_SWEEP_PROGRESS_H_
#define FLEETSIM_SIM_CLI_SWEEP_PROGRESS_H_

#include <string>

#include "sim/cli/sweep_runner.h"

namespace fleetsim {

// "[#########-----------]  120/1000 runs  8.3 runs/s  ETA 1m46s": starts with a carriage return
// and ends by clearing the rest of the line, so each call redraws the same terminal line.
std::string ProgressBar(const SweepProgress& p, int bar_width = 30);

// "sweep: 120/1000 runs (12%), 8.3 runs/s, ETA 1m46s\n" for logs and CI.
std::string ProgressLine(const SweepProgress& p);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLI_SWEEP_PROGRESS_H_
