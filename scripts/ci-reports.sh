#!/usr/bin/env bash
# CI job: the report tests with their real consumers required. The README's
# test command already ran them, but before scripts/setup-ci.sh installed
# xmllint (libxml2-utils) and chromium, so they may have been skipped there;
# here a missing tool is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
CONDSPEC_REQUIRE_REPORT_TOOLS=1 timeout 600 build/tests/e2e_tests --gtest_filter='ReportsE2e.*'
