#!/usr/bin/env bash
# Regenerates the caches' compatibility matrix: docs/compatibility-caches.md
# (cache and version x requirement, pass / fail / warn / n-a, each deviation
# with its evidence; written by scripts/cache-matrix.py) and
# docs/compatibility-caches.html (condspec's own HTML report of the same
# runs). Starts every installed real cache (scripts/real-caches.sh) on
# 127.0.0.1, runs `condspec cache` against each, stops them by pid.
#
#   scripts/compatibility-caches.sh            uses build/condspec (scripts/build.sh)
#   CONDSPEC=path/to/condspec scripts/compatibility-caches.sh
#
# Ports: CONDSPEC_COMPAT_CACHE_PORT_BASE (default 18200): the Nth cache of
# `scripts/real-caches.sh list` listens on BASE+2N and its origin on
# BASE+2N+1, so the URLs in the generated files stay the same from run to
# run (the run's prefix does not: it is unguessable by design). Needs python3
# and python3-yaml (Debian). Caches not installed are left out, and the
# matrix says so.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
condspec="${CONDSPEC:-$repo/build/condspec}"
[ -x "$condspec" ] || { echo "compatibility-caches: $condspec not found (scripts/build.sh builds it)" >&2; exit 2; }
base="${CONDSPEC_COMPAT_CACHE_PORT_BASE:-18200}"

work="$(mktemp -d /tmp/condspec-compat-caches.XXXXXX)"
# Squid runs as proxy, Apache's workers as www-data: they must reach the run dir.
chmod 755 "$work"
export CONDSPEC_REAL_RUN="$work/run"
started=()
cleanup() {
  local c
  for c in "${started[@]}"; do scripts/real-caches.sh stop "$c" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Exit 3 with the cache usable means a scenario ended in error: the matrix
# shows it (the cache's file records it as pending, as D14 of
# tests/real-servers/DISAGREEMENTS.md was), so the run counts as done. Any other
# exit status is kept and stops the script below.
settled() {
  if [ "$1" -eq 3 ] && python3 -c 'import json, sys
sys.exit(json.load(open(sys.argv[1]))["totals"]["unusable_targets"])' "$2"; then
    echo 0
  else
    echo "$1"
  fi
}

: >"$work/caches.tsv"
reports=()
i=0
for c in $(scripts/real-caches.sh list); do
  port=$((base + 2 * i))
  origin=$((port + 1))
  i=$((i + 1))
  if ! scripts/real-caches.sh available "$c"; then
    echo "compatibility-caches: $c is not installed: left out (scripts/real-caches.sh install $c)" >&2
    printf '%s\t\t\n' "$c" >>"$work/caches.tsv"
    continue
  fi
  scripts/real-caches.sh start "$c" "$port" "$origin" >/dev/null
  started+=("$c")
  report="$work/$c.json"
  rc=0
  "$condspec" cache "http://127.0.0.1:$port/" --origin-listen "127.0.0.1:$origin" \
    $(scripts/real-caches.sh options "$c") --fail-on never --quiet --report "json=$report" >/dev/null || rc=$?
  scripts/real-caches.sh stop "$c"
  [ -f "$report" ] && rc=$(settled "$rc" "$report")
  [ $rc -eq 0 ] || { echo "compatibility-caches: condspec cache exited $rc against $c" >&2; exit $rc; }
  reports+=("$report")
  printf '%s\t%s\t%s\n' "$c" "$report" "$(scripts/real-caches.sh version "$c")" >>"$work/caches.tsv"
done
[ ${#reports[@]} -gt 0 ] || { echo "compatibility-caches: no cache is installed" >&2; exit 3; }

rc=0
"$condspec" merge "${reports[@]}" --fail-on never --quiet --report "json=$work/merged.json" \
  --report html=docs/compatibility-caches.html >/dev/null || rc=$?
rc=$(settled "$rc" "$work/merged.json")
[ $rc -eq 0 ] || { echo "compatibility-caches: condspec merge exited $rc" >&2; exit $rc; }
python3 scripts/cache-matrix.py "$repo" "$work/caches.tsv" "$("$condspec" --version)" \
  >docs/compatibility-caches.md.tmp
mv docs/compatibility-caches.md.tmp docs/compatibility-caches.md
echo "compatibility-caches: wrote docs/compatibility-caches.md and docs/compatibility-caches.html (${#reports[@]} caches)"
