// Only the CLI may create real clocks.
#include <chrono>
auto started = std::chrono::steady_clock::now();
