#!/usr/bin/env bash
# Installs the Debian packages, builds three ways and runs every test through ctest (the README's
# test command, and what CI runs):
#   build/           RelWithDebInfo, the whole suite (runs last: the output ends with its summary)
#   build-sanitize/  AddressSanitizer + UndefinedBehaviorSanitizer (JF_SANITIZE), the whole suite
#   build-fuzz/      clang libFuzzer targets (JF_FUZZ), each fuzzed for JF_FUZZ_SECONDS (default 20)
# Any failing build or test stops the script with a non-zero status and that run's ctest summary.
# Usage: platform/linux/test.sh [--main-only]   (--main-only: skip the sanitizer and fuzz runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
main_only=0
[[ "${1:-}" == "--main-only" ]] && main_only=1

if [[ -z "${JF_TEST_IN_XVFB:-}" ]]; then
  platform/linux/install-deps.sh
  # Screens and screenshot tests need a display; one Xvfb serves every run.
  if [[ -z "${DISPLAY:-}" ]]; then
    # -noreset: by default Xvfb resets when its last client leaves and refuses connections
    # meanwhile, which fails a screen test that opens a window just as another closes one.
    JF_TEST_IN_XVFB=1 exec xvfb-run -a -s "-screen 0 1920x1080x24 -noreset" "$0" "$@"
  fi
fi

jobs="$(nproc)"
fuzz_secs="${JF_FUZZ_SECONDS:-20}"
t0=$SECONDS
stage() { echo "== test.sh: $1 ($((SECONDS - t0)) s so far)"; }

# Sanitizer reports end the test that triggered them, with a stack trace.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/platform/linux/lsan.supp:print_suppressions=0}"

stage "building build/"
# Line tables (-g1) are what backtraces and sanitizer reports need, at a fraction of -g's cost.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  >/dev/null
cmake --build build -j"$jobs"

if [[ $main_only -eq 0 ]]; then
  # -O1 keeps the sanitizer build quick to compile and its tests quick to run.
  stage "building build-sanitize/ (ASan + UBSan)"
  cmake -S . -B build-sanitize -G Ninja -DJF_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS_DEBUG="-g1 -O1" -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" >/dev/null
  cmake --build build-sanitize -j"$jobs"

  # Only the fuzz targets and what they link: the suite itself runs in the two builds above.
  stage "building build-fuzz/ (clang, libFuzzer)"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DJF_FUZZ=ON \
    -DJF_FUZZ_SECONDS="$fuzz_secs" >/dev/null
  cmake --build build-fuzz -j"$jobs" --target fuzzers

  stage "fuzzing each target for ${fuzz_secs} s"
  ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L fuzz -R '_fuzz$' --no-tests=ignore

  stage "whole suite under ASan + UBSan"
  # Screens run with leak detection off: the GL driver's allocations live in a library unloaded at
  # exit, so LeakSanitizer can neither name nor suppress them. Memory errors and UB still stop them.
  # End-to-end tests (label e2e: the real window judged by its pixels a fixed time after each X
  # event, the hub under a timed attack) and benchmarks measure the real build's responsiveness,
  # which an instrumented build does not have; the kill-at-random crash campaigns (test_crash_*)
  # repeat the same recovery code hundreds of times, whose paths the fault tests cover once each;
  # the packaging test (label install) checks what is installed, not how the code behaves.
  # They run in build/ only.
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
    ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -L '^ui$' -LE '^(e2e|bench|install)$'
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -LE '^(ui|e2e|bench|install)$' \
    -E '^test_crash_'
fi

stage "whole suite"
ctest --test-dir build --output-on-failure -j"$jobs"
