#!/usr/bin/env bash
# Measures the whole condspec process (README "Speed and memory"). Modes:
#
#   scripts/benchmark.sh [RUNS] [extra run args]
#       the full suite against the built-in origin, RUNS times (default 10):
#       scenario runs, exchanges, median and max wall time and peak RSS.
#   scripts/benchmark.sh --latency [RTT_MS...] [-- extra run args]
#       for each RTT (default 0 10 50 100): the full suite against the three
#       resources of `condspec serve` plus --unsafe-url, through
#       build/tests/latency-proxy adding that RTT; prints wall, the bound
#       (scripts/benchmark-bound.py, from the run's JSON report), wall/bound,
#       the capacity at --jobs connections (same script) and wall/capacity,
#       connections opened, peak concurrent connections and peak RSS; first
#       the same run without the proxy ("direct"), to show what it costs.
#   scripts/benchmark.sh --scale [COUNT...] [-- extra run args]
#       COUNT targets in one run (default 1 10 100; the origin's /strong,
#       /weak and /plain in turn, each with its own query string ?n=I), with
#       a JSON report, on loopback: wall, peak RSS, exchanges, report size.
#   scripts/benchmark.sh --merge [COUNT...] [-- extra run args]
#       COUNT targets (default 100 300; as in --scale) run as 4 shards
#       (--shard K/4), each with a JSON report, then `condspec merge` of the
#       four with a JSON report: shard report size, merge wall and peak RSS.
#   scripts/benchmark.sh --startup [RUNS] [PROGRAM...]
#       loading the cases: `condspec list` and a `--select 13.1.2` run beside
#       `condspec --version` (which loads none): CPU time of the process
#       (perf stat, mean of RUNS, default 20) and, with valgrind, the
#       instructions in all and in load_suite (deterministic, unlike time on
#       a busy machine). PROGRAMs (default build/condspec): other builds of
#       condspec to compare side by side in the same run.
#
# CONDSPEC=PATH measures another build of condspec in the default, --latency,
# --scale and --merge modes (the origin and the proxy stay this build's), e.g. the
# build of an older commit beside this one:
#   for p in ../old/build/condspec build/condspec; do CONDSPEC=$p scripts/benchmark.sh --latency; done
set -euo pipefail
cd "$(dirname "$0")/.."
mode=default
case "${1:-}" in
  --latency) mode=latency; shift ;;
  --scale) mode=scale; shift ;;
  --merge) mode=merge; shift ;;
  --startup) mode=startup; shift ;;
esac
./scripts/build.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "benchmark needs GNU time: apt-get install time" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Starts a background program whose first stdout line ends in :PORT, and
# sets `port` to it. Runs in this shell (not in $(...)), so that the
# program's pid is in `pids` and the exit trap stops it.
start_listening() {
  local out="$work/listen.$RANDOM"
  out_of_last="$out"
  "$@" >"$out" 2>&1 &
  pids+=($!)
  port=""
  for _ in $(seq 100); do
    port=$(head -1 "$out" | grep -o ':[0-9]*$' || true)
    if [ -n "$port" ]; then
      port="${port#:}"
      return
    fi
    sleep 0.05
  done
  echo "benchmark: $* did not start" >&2
  cat "$out" >&2
  exit 2
}

# Runs condspec once under GNU time; sets wall (seconds, to the
# millisecond: GNU time's own is to the hundredth, too coarse beside the
# 0.35 s target; this one includes starting time(1), so it errs long) and
# kib (peak RSS).
condspec="${CONDSPEC:-build/condspec}"
timed_run() {
  local start="$EPOCHREALTIME"
  /usr/bin/time -f '%e %M' -o "$work/time" "$condspec" run --quiet "$@" >/dev/null || true
  local end="$EPOCHREALTIME"
  read -r _ kib <"$work/time"
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
}

default_mode() {
  local runs="${1:-10}"
  shift || true
  local report="$work/report.json"
  local walls=() rss=()
  for _ in $(seq "$runs"); do
    timed_run --report "json=$report" "$@"
    walls+=("$wall") rss+=("$kib")
  done
  local exchanges scenarios sorted_wall sorted_rss
  exchanges=$(grep -c '"request": ' "$report" || true)
  scenarios=$(grep -c '"scenario": ' "$report" || true)
  sorted_wall=$(printf '%s\n' "${walls[@]}" | sort -n)
  sorted_rss=$(printf '%s\n' "${rss[@]}" | sort -n)
  echo "condspec benchmark: $runs runs of '$condspec run $*' against the built-in origin"
  echo "  scenario runs:  $scenarios"
  echo "  exchanges:      $exchanges"
  echo "  wall time (s):  median $(echo "$sorted_wall" | median), max $(echo "$sorted_wall" | tail -1)"
  echo "  peak RSS (MiB): median $(mib "$(echo "$sorted_rss" | median)"), max $(mib "$(echo "$sorted_rss" | tail -1)")"
}

# Splits "A B -- C D" into values (before --) and run_args (after).
split_args() {
  values=() run_args=()
  local seen=0
  for a in "$@"; do
    if [ "$seen" = 0 ] && [ "$a" = -- ]; then seen=1; continue; fi
    if [ "$seen" = 0 ]; then values+=("$a"); else run_args+=("$a"); fi
  done
}

# The --jobs of run args (condspec's default: 6).
jobs_of() {
  local jobs=6 next=0
  for a in "$@"; do
    if [ "$next" = 1 ]; then jobs="$a"; next=0; continue; fi
    case "$a" in
      --jobs | -j) next=1 ;;
      --jobs=*) jobs="${a#--jobs=}" ;;
      -j[0-9]*) jobs="${a#-j}" ;;
    esac
  done
  echo "$jobs"
}

latency_mode() {
  split_args "$@"
  [ ${#values[@]} -gt 0 ] || values=(0 10 50 100)
  local jobs
  jobs=$(jobs_of "${run_args[@]}")
  start_listening build/condspec serve
  local origin="$port"
  echo "condspec benchmark --latency: $condspec, the full suite against 'condspec serve' (/strong, /weak, /plain"
  echo "and --unsafe-url /writable) through build/tests/latency-proxy; run args: ${run_args[*]:-(defaults)}"
  local format='%-8s %-9s %-9s %-11s %-11s %-14s %-12s %-16s %s\n'
  # shellcheck disable=SC2059
  printf "$format" "RTT ms" "wall s" "bound s" "wall/bound" "capacity s" "wall/capacity" \
    "connections" "peak concurrent" "peak RSS MiB"
  # The same run without the proxy: what the proxy itself costs at RTT 0.
  local direct="http://127.0.0.1:$origin"
  timed_run --report "json=$work/direct.json" "$direct/strong" "$direct/weak" "$direct/plain" \
    --unsafe-url "$direct/writable" "${run_args[@]}"
  # shellcheck disable=SC2059
  printf "$format" "direct" "$wall" "-" "-" "-" "-" "-" "-" "$(mib "$kib")"
  for rtt in "${values[@]}"; do
    local report="$work/latency.$rtt.json"
    start_listening build/tests/latency-proxy --to "127.0.0.1:$origin" --rtt-ms "$rtt"
    local proxy="${pids[-1]}" proxy_out="$out_of_last"
    local base="http://127.0.0.1:$port"
    timed_run --report "json=$report" "$base/strong" "$base/weak" "$base/plain" \
      --unsafe-url "$base/writable" "${run_args[@]}"
    kill -TERM "$proxy"
    wait "$proxy" || true
    local stats opened bound capacity
    stats=$(tail -1 "$proxy_out")  # connections opened N, peak concurrent M
    opened=$(echo "$stats" | sed -n 's/^connections opened \([0-9]*\).*/\1/p')
    local bound_args=("$report" --rtt-ms "$rtt" --unsafe-url "$base/writable" --cases cases
      --jobs "$jobs" --connections "${opened:-0}")
    bound=$(scripts/benchmark-bound.py "${bound_args[@]}" --value)
    capacity=$(scripts/benchmark-bound.py "${bound_args[@]}" --capacity-value)
    # shellcheck disable=SC2059
    printf "$format" "$rtt" "$wall" "$bound" \
      "$(awk -v w="$wall" -v b="$bound" 'BEGIN { printf "%.2f", w / b }')" "$capacity" \
      "$(awk -v w="$wall" -v b="$capacity" 'BEGIN { printf "%.2f", w / b }')" "$opened" \
      "$(echo "$stats" | sed -n 's/.*peak concurrent \([0-9]*\).*/\1/p')" "$(mib "$kib")"
    scripts/benchmark-bound.py "${bound_args[@]}" | sed "s/^/  $rtt ms: /" >>"$work/bounds"
  done
  echo "bounds:"
  cat "$work/bounds"
}

scale_mode() {
  split_args "$@"
  [ ${#values[@]} -gt 0 ] || values=(1 10 100)
  start_listening build/condspec serve
  local origin="$port"
  local resources=(strong weak plain)
  echo "condspec benchmark --scale: $condspec, N targets in one run against 'condspec serve' on loopback,"
  echo "with a JSON report; run args: ${run_args[*]:-(defaults)}"
  printf '%-8s %-9s %-13s %-10s %s\n' "targets" "wall s" "peak RSS MiB" "exchanges" "report MiB"
  for count in "${values[@]}"; do
    local urls=() report="$work/scale.$count.json"
    for i in $(seq 0 $((count - 1))); do
      urls+=("http://127.0.0.1:$origin/${resources[$((i % 3))]}?n=$i")
    done
    timed_run --report "json=$report" "${urls[@]}" "${run_args[@]}"
    printf '%-8s %-9s %-13s %-10s %s\n' "$count" "$wall" "$(mib "$kib")" \
      "$(grep -c '"request": ' "$report" || true)" "$(mib $(($(stat -c %s "$report") / 1024)))"
  done
}

merge_mode() {
  split_args "$@"
  [ ${#values[@]} -gt 0 ] || values=(100 300)
  start_listening build/condspec serve
  local origin="$port"
  local resources=(strong weak plain) shards=4
  echo "condspec benchmark --merge: $condspec, N targets run as $shards shards with JSON reports,"
  echo "then merged with a JSON report; run args: ${run_args[*]:-(defaults)}"
  printf '%-8s %-16s %-13s %s\n' "targets" "shard MiB (sum)" "merge wall s" "merge peak RSS MiB"
  for count in "${values[@]}"; do
    local urls=() files=() bytes=0
    for i in $(seq 0 $((count - 1))); do
      urls+=("http://127.0.0.1:$origin/${resources[$((i % 3))]}?n=$i")
    done
    for k in $(seq 1 $shards); do
      files+=("$work/shard.$count.$k.json")
      "$condspec" run --quiet --shard "$k/$shards" --report "json=${files[-1]}" "${urls[@]}" \
        "${run_args[@]}" >/dev/null || true
      bytes=$((bytes + $(stat -c %s "${files[-1]}")))
    done
    /usr/bin/time -f '%e %M' -o "$work/time" "$condspec" merge --quiet "${files[@]}" \
      --report "json=$work/merged.$count.json" >/dev/null || true
    read -r wall kib <"$work/time"
    printf '%-8s %-16s %-13s %s\n' "$count" "$(mib $((bytes / 1024)))" "$wall" "$(mib "$kib")"
  done
}

# CPU time of a command in ms (perf's task-clock, the mean of $runs runs;
# GNU time's 10 ms steps are too coarse here).
cpu_ms() {
  if command -v perf >/dev/null; then
    perf stat -r "$runs" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.1f", $1 }'
  else
    echo "(no perf)"
  fi
}

startup_mode() {
  local runs="${1:-20}"
  shift || true
  local programs=("$@")
  [ ${#programs[@]} -gt 0 ] || programs=(build/condspec)
  start_listening build/condspec serve
  local origin="$port"
  echo "condspec benchmark --startup: loading the shipped cases; CPU: task-clock of the whole"
  echo "process, mean of $runs runs (--version loads no cases); instructions counted by valgrind"
  printf '%-28s %-8s %s\n' "command" "CPU ms" "instructions: all, in load_suite"
  local commands=("--version" "list" "run --quiet --select 13.1.2 http://127.0.0.1:$origin/strong")
  for program in "${programs[@]}"; do
    [ ${#programs[@]} -eq 1 ] || echo "$program:"
    for command in "${commands[@]}"; do
      local cpu
      # shellcheck disable=SC2086
      cpu=$(cpu_ms "$program" $command)
      local instructions="(no valgrind)"
      if command -v valgrind >/dev/null; then
        # shellcheck disable=SC2086
        instructions=$(valgrind --tool=callgrind --callgrind-out-file="$work/callgrind" \
          "$program" $command 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
        local load
        load=$(callgrind_annotate --inclusive=yes --threshold=100 "$work/callgrind" 2>/dev/null |
          grep 'condspec::load_suite(' | head -1 | awk '{ gsub(",", "", $1); print $1 }' || true)
        instructions="$instructions, ${load:-0}"
      fi
      printf '%-28s %-8s %s\n' "${command%% http*}" "$cpu" "$instructions"
    done
  done
}

case "$mode" in
  default) default_mode "$@" ;;
  latency) latency_mode "$@" ;;
  scale) scale_mode "$@" ;;
  merge) merge_mode "$@" ;;
  startup) startup_mode "$@" ;;
esac
