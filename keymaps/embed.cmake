# embed.cmake - turns keymaps/default.keys into a C source file at build time.
#
# Run as: cmake -DINPUT=default.keys -DOUTPUT=default_keys.c -P embed.cmake
# The text becomes a char array of escaped bytes plus a terminating NUL, so
# any byte survives and no compiler string-length limit applies; the length
# excludes the NUL, as the parser is given (text, len).

if(NOT DEFINED INPUT OR NOT DEFINED OUTPUT)
  message(FATAL_ERROR "embed.cmake: pass -DINPUT=<file> -DOUTPUT=<file>")
endif()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR n_bytes "${hex_len} / 2")

# One '\xNN' character constant per byte, 12 to a line (CMake regular
# expressions have no {n}, hence the 24 dots: 12 bytes of hex).
string(REGEX REPLACE "(........................)" "\\1\n    " hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1', " bytes "${hex}")
string(REGEX REPLACE ", \n" ",\n" bytes "${bytes}")

get_filename_component(input_name "${INPUT}" NAME)
set(body "/* Generated from keymaps/${input_name} by keymaps/embed.cmake; do not edit. */
#include \"keymaps/keymap.h\"

const char keymap_default_text[] = {
    ${bytes}'\\0'
};
const size_t keymap_default_len = ${n_bytes};
")

# Write only on change so an unchanged file does not trigger a recompile.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL body)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${body}")
