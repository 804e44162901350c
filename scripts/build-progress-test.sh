#!/usr/bin/env bash
# Test: scripts/build-progress.awk, which turns ninja's output into the
# progress lines of scripts/build.sh, on ninja output as ninja writes it
# (status lines marked by build.sh's NINJA_STATUS): silent when there is
# nothing to build, compact in CI logs, live on a terminal, and a failed
# build said as such; compiler output passes through unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# progress LIVE < NINJA_OUTPUT: stdout and stderr into $work/out, $work/err,
# the elapsed seconds (which depend on the clock) replaced by N.
progress() {
  awk -v live="$1" -v jobs=2 -f scripts/build-progress.awk >"$work/out" 2>"$work/err.raw"
  sed -E 's/ [0-9]+ s$/ N s/' "$work/err.raw" >"$work/err"
}
expect() {  # WHAT FILE EXPECTED
  if [ "$(cat "$2")" != "$3" ]; then
    echo "FAIL: $1:" >&2
    diff <(printf '%s\n' "$3") "$2" >&2 || true
    failures=$((failures + 1))
  fi
}

# Nothing to build: not a word.
progress 0 <<'EOF_NINJA'
@condspec-step@ 0 2 Re-checking globbed directories...
ninja: no work to do.
@condspec-exit@ 0
EOF_NINJA
expect "up to date: stdout" "$work/out" ""
expect "up to date: stderr" "$work/err" ""

# A CI log: the count, quarters, the time; a warning passes through.
progress 0 <<'EOF_NINJA'
@condspec-step@ 0 2 Re-checking globbed directories...
@condspec-step@ 1 2 Re-running CMake...
-- Configuring done
-- Generating done
-- Build files have been written to: /src/build
@condspec-step@ 1 8 Building CXX object a.o
@condspec-step@ 2 8 Building CXX object b.o
../src/b.cpp:3:5: warning: unused variable 'x' [-Wunused-variable]
@condspec-step@ 3 8 Building CXX object c.o
@condspec-step@ 4 8 Building CXX object d.o
@condspec-step@ 5 8 Building CXX object e.o
@condspec-step@ 6 8 Building CXX object f.o
@condspec-step@ 7 8 Linking CXX static library libx.a
@condspec-step@ 8 8 Linking CXX executable condspec
@condspec-exit@ 0
EOF_NINJA
expect "CI: stdout" "$work/out" "../src/b.cpp:3:5: warning: unused variable 'x' [-Wunused-variable]"
expect "CI: stderr" "$work/err" "condspec build: configuring build/ again (cmake: the build files changed)
condspec build: building 8 steps with 2 jobs
condspec build: 2/8 steps (25%)
condspec build: 4/8 steps (50%)
condspec build: 6/8 steps (75%)
condspec build: 8/8 steps (100%)
condspec build: built in N s"

# A failed build says so, with ninja's exit status; errors pass through.
progress 0 <<'EOF_NINJA'
@condspec-step@ 1 1 Building CXX object a.o
FAILED: a.o
../src/a.cpp:1:1: error: expected unqualified-id
ninja: build stopped: subcommand failed.
@condspec-exit@ 1
EOF_NINJA
expect "failed: stdout" "$work/out" "FAILED: a.o
../src/a.cpp:1:1: error: expected unqualified-id
ninja: build stopped: subcommand failed."
expect "failed: stderr" "$work/err" "condspec build: building 1 step with 2 jobs
condspec build: 1/1 steps (100%)
condspec build: failed (ninja exit 1) after N s"

# A terminal: one line rewritten in place, cleared before compiler output.
progress 1 <<'EOF_NINJA'
@condspec-step@ 1 2 Building CXX object a.o
a.cpp:1: warning: w
@condspec-step@ 2 2 Linking CXX executable condspec
@condspec-exit@ 0
EOF_NINJA
expect "terminal: stdout" "$work/out" "a.cpp:1: warning: w"
expect "terminal: stderr" "$work/err" "$(printf 'condspec build: building 2 steps with 2 jobs\n\rcondspec build: [1/2] Building CXX object a.o\033[K\r\033[K\rcondspec build: [2/2] Linking CXX executable condspec\033[K\r\033[Kcondspec build: built in N s')"

[ "$failures" -eq 0 ] || exit 1
echo "build progress: silent when up to date, compact in CI, live on a terminal"
