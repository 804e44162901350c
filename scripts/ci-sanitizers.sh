#!/usr/bin/env bash
# CI job: builds the whole project with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc, -DCONDSPEC_SANITIZE=ON, into build-asan/)
# and runs the ctest suite on it: unit tests, and end-to-end tests whose
# condspec processes are sanitized too. The first report of either
# sanitizer ends that process with an error (halt_on_error, and
# -fno-sanitize-recover at compile time), so any finding fails its test and
# this job.
#
# The tests against real servers and caches (RealServer.*, RealCache.*) are
# left out here: they drive the same code of condspec as the end-to-end tests
# against the reference origin, cache and hostile servers, which do run
# sanitized, and they run unsanitized in scripts/ci-real-servers.sh. Under
# the sanitizers' slowdown they only added minutes and the real caches'
# timing (a Squid verdict changed once between two runs on a loaded machine).
#
# Time, on 2 cores (measured from scratch in a whole CI run): about 20
# minutes: the build ~13 min (the normal one ~4.5 min; the instrumentation
# roughly doubles compile time), the tests ~6 min. The sanitize build
# compiles everything at -O1, test code included (see CMakeLists.txt): at
# -O2 files took about half as long again to compile, and the tests, which
# mostly wait on sockets and child processes, ran no faster. Bounded:
# ctest's per-test --timeout,
# and the whole test run by CONDSPEC_SANITIZERS_TIMEOUT (default 20 min).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-asan
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONDSPEC_SANITIZE=ON >/dev/null
fi
ninja -C "$build" -j "${CONDSPEC_BUILD_JOBS:-2}" --quiet

# Inherited by every process the tests start (condspec run, condspec serve).
# detect_leaks: LeakSanitizer runs when each process exits normally. Every
# report also goes to a file under $logs, so that one from a child process
# whose exit code a test does not look at (a server it stops) still fails
# this job.
logs="$PWD/$build/sanitizer-reports"
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:quarantine_size_mb=16:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:log_path=$logs/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan"
status=0
timeout --kill-after=30 "${CONDSPEC_SANITIZERS_TIMEOUT:-1200}" \
  ctest --test-dir "$build" --output-on-failure -j "${CONDSPEC_TEST_JOBS:-2}" --timeout 300 \
  --exclude-regex '^(RealServer|RealCache)\.' \
  || status=$?
if [ -n "$(ls -A "$logs")" ]; then
  echo "sanitizer reports (also in $logs/):" >&2
  for report in "$logs"/*; do
    echo "== $report" >&2
    head -n 60 "$report" >&2
  done
  status=1
fi
exit "$status"
