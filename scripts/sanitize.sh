#!/usr/bin/env bash
# Sanitizer and fuzz runs with Debian's clang (docs/testing.md, "Sanitizers"
# and "Fuzzing"). Each build directory sits beside ./build and builds only the
# targets it runs:
#   build-asan: AddressSanitizer (with LeakSanitizer) and UndefinedBehavior-
#               Sanitizer, every object also with libFuzzer's coverage; the
#               unit test programs, store_test, slamon and the fuzz targets.
#   build-tsan: ThreadSanitizer; the tests labelled `threads`.
#
#   scripts/sanitize.sh                       everything below, in order
#   scripts/sanitize.sh build asan|tsan       configure and build one
#   scripts/sanitize.sh test asan|tsan LABELS run `ctest -L LABELS` there
#   scripts/sanitize.sh fuzz TARGET [SECONDS] run tests/fuzz/TARGET_fuzz.cc for
#                                             SECONDS (20) on its seed corpus
# A finding fails the run: sanitizers halt on the first error.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1

fuzz_targets=(record config event_row http_request alert_response)

symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
if [[ -x "$symbolizer" ]]; then
  export ASAN_SYMBOLIZER_PATH="$symbolizer" UBSAN_SYMBOLIZER_PATH="$symbolizer"
  export TSAN_OPTIONS_SYMBOLIZER="external_symbolizer_path=$symbolizer:"
fi
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitize/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="${TSAN_OPTIONS_SYMBOLIZER:-}halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/sanitize/tsan.supp"

build() {
  local kind="$1" sanitizers compile_only targets
  case "$kind" in
    asan)
      sanitizers="-fsanitize=address,undefined"
      compile_only="-fno-sanitize-recover=all -fsanitize=fuzzer-no-link"
      targets=(slamon_unit_tests store_test slamon slamon_fuzzers)
      ;;
    tsan)
      sanitizers="-fsanitize=thread"
      compile_only=""
      targets=(slamon_thread_tests)
      ;;
    *) echo "sanitize.sh: unknown build $kind (asan or tsan)" >&2; exit 2 ;;
  esac
  command -v clang++ >/dev/null || {
    echo "sanitize.sh: clang++ not found (Debian package clang, see scripts/install-deps.sh)" >&2
    exit 1
  }
  # -O1 keeps the runs fast and the stacks readable; _GLIBCXX_ASSERTIONS adds
  # libstdc++'s bounds checks; asserts stay on (no NDEBUG).
  cmake -S . -B "build-$kind" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
    -DCMAKE_CXX_FLAGS="$sanitizers $compile_only -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
    -DSLAMON_FUZZ="$([[ $kind == asan ]] && echo ON || echo OFF)" \
    -DSLAMON_SANITIZER_TESTS=OFF >/dev/null
  cmake --build "build-$kind" --parallel "$(nproc)" --target "${targets[@]}"
}

run_tests() {
  local kind="$1" labels="$2"
  # The tracker's differential test checks 400 random histories in the main
  # build; 100 of them under a sanitizer (4 minutes instead of 1 under ASan).
  export SLAMON_DIFF_RUNS="${SLAMON_DIFF_RUNS:-100}"
  # The adapter test on the real Request Tracker spends its minutes in RT's
  # Perl, not in slamon; the sanitizers have nothing to see there.
  ctest --test-dir "build-$kind" -L "$labels" -E '^adapter\.request_tracker_rt$' \
    --output-on-failure --timeout 600 -j "$(nproc)"
}

fuzz() {
  local target="$1" seconds="${2:-20}"
  local program="build-asan/tests/fuzz/fuzz_$target" seeds="tests/fuzz/corpus/$target"
  local work="build-asan/fuzz/$target"
  [[ -x "$program" ]] || { echo "sanitize.sh: $program not built (sanitize.sh build asan)" >&2; exit 1; }
  [[ -d "$seeds" ]] || { echo "sanitize.sh: no seed corpus $seeds" >&2; exit 1; }
  # New inputs go to a scratch corpus, never into the committed seeds.
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  local dict=()
  [[ -f "tests/fuzz/$target.dict" ]] && dict=("-dict=tests/fuzz/$target.dict")
  if "$program" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dict[@]}" \
      "$work/corpus" "$seeds" >"$work/log" 2>&1; then
    echo "fuzz_$target: $(grep -c . <(ls "$seeds")) seeds, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$') runs in ${seconds}s, no finding"
  else
    tail -n 60 "$work/log"
    echo "FAIL: fuzz_$target found a crash; the input is in $root/$work/artifacts/"
    echo "(reproduce: $program <input>; after the fix, add it to $seeds as a regression)"
    exit 1
  fi
}

case "${1:-all}" in
  build) build "$2" ;;
  test) run_tests "$2" "$3" ;;
  fuzz) fuzz "$2" "${3:-20}" ;;
  all)
    build asan
    run_tests asan 'unit|cli|integration'
    for t in "${fuzz_targets[@]}"; do fuzz "$t"; done
    build tsan
    run_tests tsan threads
    ;;
  *) echo "usage: sanitize.sh [build asan|tsan | test asan|tsan LABELS | fuzz TARGET [SECONDS]]" >&2; exit 2 ;;
esac
