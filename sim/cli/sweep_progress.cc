#include "sim/cli/sweep_progress.h"

#include <fmt/format.h>

#include <cmath>

namespace fleetsim {
namespace {

double Rate(const SweepProgress& p) {
  return p.elapsed_seconds > 0 ? static_cast<double>(p.done) / p.elapsed_seconds : 0.0;
}

// "1h02m", "1m46s", "9s", or "?" before the first run finishes.
std::string Eta(const SweepProgress& p) {
  if (p.done >= p.total) return "0s";
  double rate = Rate(p);
  if (p.done == 0 || rate <= 0) return "?";
  auto seconds = static_cast<int64_t>(std::ceil(static_cast<double>(p.total - p.done) / rate));
  if (seconds >= 3600) return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60);
  if (seconds >= 60) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}s", seconds);
}

}  // namespace

std::string ProgressBar(const SweepProgress& p, int bar_width) {
  int filled = p.total == 0 ? bar_width
                            : static_cast<int>(static_cast<double>(p.done) * bar_width /
                                               static_cast<double>(p.total));
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(bar_width - filled), '-');
  return fmt::format("\r[{}] {}/{} runs  {:.1f} runs/s  ETA {}\033[K", bar, p.done, p.total,
                     Rate(p), Eta(p));
}

std::string ProgressLine(const SweepProgress& p) {
  uint64_t percent = p.total == 0 ? 100 : p.done * 100 / p.total;
  return fmt::format("sweep: {}/{} runs ({}%), {:.1f} runs/s, ETA {}\n", p.done, p.total, percent,
                     Rate(p), Eta(p));
}

}  // namespace fleetsim
