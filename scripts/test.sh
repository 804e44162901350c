#!/usr/bin/env bash
# Quick start, tests: set up, build, and run every test (unit and end-to-end)
# with ctest. This is what .ci/run calls.
#
# Stage lines on stderr as scripts/build.sh's. On a terminal ctest shows one
# line that it rewrites in place (--progress); elsewhere (CI logs) a line per
# test, and the output of every test that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
jobs="${CONDSPEC_TEST_JOBS:-2}"
tests="$(ctest --test-dir build -N 2>/dev/null | sed -n 's/^Total Tests: //p')"
echo "condspec test: running ${tests:-the} tests, $jobs at a time (ctest)" >&2
ctest --test-dir build --output-on-failure --progress -j "$jobs" --timeout 300
