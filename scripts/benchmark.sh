#!/usr/bin/env bash
# Measures the whole condspec process running the full suite against the
# built-in reference origin: wall time, peak memory (max RSS) and the number
# of exchanges, over several runs. Usage: scripts/benchmark.sh [RUNS] [extra run args]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
shift || true
./scripts/build.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "benchmark needs GNU time: apt-get install time" >&2; exit 2; }
report="$(mktemp --suffix=.json)"
stats="$(mktemp)"
trap 'rm -f "$report" "$stats"' EXIT
walls=() rss=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f '%e %M' -o "$stats" build/condspec run --quiet --report "json=$report" "$@" >/dev/null || true
  read -r wall kib <"$stats"
  walls+=("$wall") rss+=("$kib")
done
exchanges=$(grep -c '"request": ' "$report" || true)
sorted_wall=$(printf '%s\n' "${walls[@]}" | sort -n)
sorted_rss=$(printf '%s\n' "${rss[@]}" | sort -n)
median_wall=$(echo "$sorted_wall" | sed -n "$(( (runs + 1) / 2 ))p")
max_wall=$(echo "$sorted_wall" | tail -1)
median_rss=$(echo "$sorted_rss" | sed -n "$(( (runs + 1) / 2 ))p")
max_rss=$(echo "$sorted_rss" | tail -1)
scenarios=$(grep -c '"scenario": ' "$report" || true)
echo "condspec benchmark: $runs runs of 'condspec run $*' against the built-in origin"
echo "  scenario runs:  $scenarios"
echo "  exchanges:      $exchanges"
echo "  wall time (s):  median $median_wall, max $max_wall"
echo "  peak RSS (MiB): median $(awk "BEGIN{printf \"%.1f\", $median_rss/1024}"), max $(awk "BEGIN{printf \"%.1f\", $max_rss/1024}")"
