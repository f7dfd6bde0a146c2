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
