# Thin front over CMake. Every target first installs what is missing.
BUILD       ?= build
ASAN_BUILD  ?= build-asan
BENCH_BUILD ?= build-bench
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps configure demo check check-deps check-asan bench valgrind fuzz install clean sandbox-demo

all: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@sh tools/install-deps

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

demo: all
	./$(BUILD)/membercare --demo

sandbox-demo: all
	./$(BUILD)/membercare-sandbox --port 0

# The test run also needs the fuzzer (clang) and an SSH server for its e2e test.
check: check-deps all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) check-asan

check-deps:
	@sh tools/install-deps --fuzz --ssh

check-asan: deps
	@test -f $(ASAN_BUILD)/CMakeCache.txt || cmake -S . -B $(ASAN_BUILD) -DMC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	# sanitized programs run several times slower: screens get longer to appear
	cd $(ASAN_BUILD) && MC_E2E_TIMEOUT=60 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS) -L 'unit|integration|e2e'

# -O2 as distributions build, no sanitizers; configured every time so an
# older bench tree gets the same flags.
bench:
	@sh tools/install-deps --bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE='-O2 -DNDEBUG' >/dev/null
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	python3 tests/bench/run.py --build $(BENCH_BUILD)

valgrind: all
	@sh tools/install-deps --bench
	cd $(BUILD) && MC_VALGRIND=1 ctest --output-on-failure -L 'unit|integration'

FUZZ_SECONDS ?= 60
fuzz:
	@sh tools/install-deps --fuzz
	python3 tools/run-fuzz --seconds $(FUZZ_SECONDS) --jobs $(JOBS) --build $(BUILD)/fuzz

install: all
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD)
