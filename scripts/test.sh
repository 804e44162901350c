#!/usr/bin/env bash
# Quick start, tests: set up, build, and run every test (unit and end-to-end)
# with ctest. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -j "${CONDSPEC_TEST_JOBS:-2}" --timeout 300
