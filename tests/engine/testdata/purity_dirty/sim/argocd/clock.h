#include <chrono>
inline auto Now() { return std::chrono::system_clock::now(); }
