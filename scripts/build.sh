#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), configures once, and builds
# everything into build/ (the program ends up at build/condspec).
#
# Says what it does on stderr, one line per stage ("condspec build: ..."),
# and nothing when everything is up to date: on a terminal a live
# [done/total] line; elsewhere (CI logs) the step count, a line at each
# quarter, and the time taken. Compiler output and errors go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh  # one line when it installs packages, nothing otherwise
if [ ! -f build/build.ninja ]; then
  echo "condspec build: configuring build/ (cmake)" >&2
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi

jobs="${CONDSPEC_BUILD_JOBS:-2}"
live=0
[ -t 2 ] && [ "${TERM:-dumb}" != dumb ] && live=1
# ninja prints one status line per step, marked so that
# scripts/build-progress.awk tells them from compiler output; then its exit
# status, for the last line.
(
  cd build
  status=0
  NINJA_STATUS="@condspec-step@ %f %t " ninja -j "$jobs" || status=$?
  echo "@condspec-exit@ $status"
  exit "$status"
) | awk -v live="$live" -v jobs="$jobs" -f scripts/build-progress.awk
