#!/usr/bin/env bash
# CI job: the report tests with their real consumers required. The README's
# test command already ran them, but before scripts/setup-ci.sh installed
# xmllint (libxml2-utils), chromium and python3-jsonschema, so they may have been skipped there;
# here a missing tool is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
CONDSPEC_REQUIRE_REPORT_TOOLS=1 timeout 600 build/tests/e2e_tests --gtest_filter='ReportsE2e.*'
# The published JSON Schemas against real reports and the shipped case files
# (python3-jsonschema, installed by scripts/setup-ci.sh).
CONDSPEC_REQUIRE_REPORT_TOOLS=1 timeout 300 python3 tests/schema_test.py build/condspec .
