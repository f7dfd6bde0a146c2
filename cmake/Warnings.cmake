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

# Precompiled headers: the standard and third-party headers nearly every translation unit parses
# (parsing them is about 40% of a translation unit's compile time). Each target builds its own
# precompiled header from this list; tests add GoogleTest's (tests/CMakeLists.txt).
option(FLEETSIM_PCH "Precompile the common standard and third-party headers" ON)
if(FLEETSIM_PCH)
  target_precompile_headers(fleetsim_options INTERFACE
    <algorithm> <cstdint> <functional> <map> <memory> <optional> <set> <string> <string_view>
    <utility> <vector> <nlohmann/json.hpp> <fmt/format.h>)
  # GCC 12 loses the system-header exemption for libstdc++'s inlined std::string concatenation
  # when it comes from a precompiled header, and -O2 then reports the known false positive
  # "__builtin_memcpy forming offset [32, N] is out of the bounds [0, 32]" (GCC bug 105651) on
  # ordinary `std::string(a) + "b"`. Out-of-bounds accesses stay covered by the ASan build.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(fleetsim_options INTERFACE -Wno-array-bounds)
  endif()
endif()
