#!/usr/bin/env bash
# Quick start, main job: set up, build, and run `condspec run` with the given
# arguments. With no URL condspec tests its built-in reference origin.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
exec build/condspec run "$@"
