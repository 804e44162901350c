#!/usr/bin/env bash
# CI job: builds the libFuzzer harnesses of tests/fuzz (clang, with ASan and
# UBSan, into build-fuzz/) and runs each one for a bounded time, starting
# from its committed seed corpus. Any crash, leak, timeout, out-of-memory or
# broken property fails the job; libFuzzer then leaves the input that did it
# in build-fuzz/findings/ (reproduce with: build-fuzz/fuzz_X <file>).
#
# Bounds: FUZZ_SECONDS per harness (default 30, so about 3 minutes of
# fuzzing for the six harnesses plus the build), -timeout=10 s for one input,
# -rss_limit_mb=2048.
# Longer runs: see docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
build=build-fuzz
harnesses=(response_parser http_date entity_tag case_loader url escapers)
cxx="${FUZZ_CXX:-clang++-14}"
command -v "$cxx" >/dev/null || cxx=clang++

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$cxx" -DCONDSPEC_FUZZ=ON >/dev/null
fi
ninja -C "$build" -j "${CONDSPEC_BUILD_JOBS:-2}" --quiet "${harnesses[@]/#/fuzz_}"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
mkdir -p "$build/findings"
failed=()
for name in "${harnesses[@]}"; do
  # New inputs go to a scratch corpus, never into the committed seeds.
  work="$build/corpus/$name"
  mkdir -p "$work"
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  echo "fuzz_$name: ${seconds}s"
  # -max_len: case files and responses need room; -timeout: one input taking
  # seconds is a hang (the per-harness time bound is -max_total_time).
  if ! "$build/fuzz_$name" "$work" "tests/fuzz/corpus/$name" "${dict[@]}" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
      -artifact_prefix="$build/findings/$name-" -print_final_stats=0 \
      >"$build/fuzz_$name.log" 2>&1; then
    failed+=("$name")
    echo "fuzz_$name FAILED; last lines of $build/fuzz_$name.log:"
    tail -n 60 "$build/fuzz_$name.log"
  else
    grep -E '^#[0-9]+[[:space:]]+DONE' "$build/fuzz_$name.log" | tail -n 1 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $build/findings/)" >&2
  exit 1
fi
echo "fuzzing: no findings"
