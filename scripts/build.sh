#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), configures once, and builds
# everything into build/ (the program ends up at build/condspec).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# --quiet: compiler output and errors only, no progress lines in CI logs.
ninja -C build -j "${CONDSPEC_BUILD_JOBS:-2}" --quiet
