#!/usr/bin/env bash
# Installs what CI needs beyond the quick start (scripts/setup.sh): tools for
# the extra CI jobs (fuzzing, sanitizers, browser tests of the HTML report).
# Idempotent and quiet when everything is present. One package per line, so
# that adding a job's needs is a one-line change.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

packages=(
  clang                # scripts/ci-fuzz.sh: libFuzzer harnesses
  libclang-rt-14-dev   # scripts/ci-fuzz.sh: libFuzzer and sanitizer runtimes for clang
  libxml2-utils        # scripts/ci-reports.sh: xmllint validates the JUnit report
  chromium             # scripts/ci-reports.sh: renders the HTML report headless
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "condspec CI setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
