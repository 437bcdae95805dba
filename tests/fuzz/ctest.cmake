# The fuzz smoke test (label fuzz): tools/run-fuzz builds the fuzz targets
# with clang in a build directory of its own and runs each for 20 s, after
# replaying tests/fuzz/corpus (the regression inputs). Registered only where
# clang is installed (sh tools/install-deps --fuzz).
find_program(MC_CLANG clang)
if(MC_CLANG)
  add_test(NAME fuzz_smoke
      COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/run-fuzz
              --seconds 20 --jobs 2 --build ${PROJECT_BINARY_DIR}/fuzz)
  set_tests_properties(fuzz_smoke PROPERTIES LABELS fuzz TIMEOUT 1500 RUN_SERIAL TRUE)
endif()
