# Project-wide compile settings, applied to every fleetsim target through fleetsim_options.
add_library(fleetsim_options INTERFACE)
target_compile_options(fleetsim_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                       -Woverloaded-virtual -Wimplicit-fallthrough
                       # Designated initializers leave the other members at their defaults.
                       -Wno-missing-field-initializers)
if(FLEETSIM_WERROR)
  target_compile_options(fleetsim_options INTERFACE -Werror)
endif()
if(FLEETSIM_SANITIZE)
  target_compile_options(fleetsim_options INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(fleetsim_options INTERFACE -fsanitize=address,undefined)
endif()

# Precompiled headers for unoptimised builds (debug, asan): the standard and third-party headers
# nearly every translation unit parses (15-20% of an ASan translation unit's compile time). Each
# target builds its own from this list; tests add GoogleTest's (tests/CMakeLists.txt). Optimised
# builds do without: GCC 12 loses the system-header exemption of libstdc++'s inlined code when it
# comes from a precompiled header, and -O2 then reports its known false positives
# (-Warray-bounds, -Wstringop-overflow on `std::string(a) + "b"`, GCC bug 105651).
option(FLEETSIM_PCH "Precompile the common headers in unoptimised (Debug) builds" ON)
if(FLEETSIM_PCH AND CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(FLEETSIM_USE_PCH ON)
  target_precompile_headers(fleetsim_options INTERFACE
    <algorithm> <cstdint> <functional> <map> <memory> <optional> <set> <string> <string_view>
    <utility> <vector> <nlohmann/json.hpp> <fmt/format.h>)
else()
  set(FLEETSIM_USE_PCH OFF)
endif()
