#!/usr/bin/env bash
# Starts and stops real caches for condspec's cache tests (`condspec cache`),
# each on 127.0.0.1 with its own small config (tests/real-caches/config/) in
# front of the origin condspec opens at 127.0.0.1:ORIGIN_PORT, never the
# system's default config; stopped by the pid this script recorded (never by
# process name).
#
#   scripts/real-caches.sh list                               the caches this script knows
#   scripts/real-caches.sh available NAME                     exit 0 if NAME is installed
#   scripts/real-caches.sh install NAME...                    install them (Debian), quietly
#   scripts/real-caches.sh start NAME PORT ORIGIN_PORT        start NAME; prints its base URL
#   scripts/real-caches.sh stop NAME                          stop it (SIGTERM, then SIGKILL)
#   scripts/real-caches.sh version NAME                       its name and version, one line
#   scripts/real-caches.sh options NAME                       options `condspec cache` needs for it
#
# Run dir (pid files, rendered configs, logs): $CONDSPEC_REAL_RUN, default
# /tmp/condspec-real-caches/NAME.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
config="$repo/tests/real-caches/config"
run_root="${CONDSPEC_REAL_RUN:-/tmp/condspec-real-caches}"
caches=(varnish squid nginx-cache apache2-cache)

die() { echo "real-caches: $*" >&2; exit 2; }

known() {
  local c
  for c in "${caches[@]}"; do [ "$c" = "$1" ] && return 0; done
  return 1
}

package_of() {
  case "$1" in
    varnish) echo varnish ;;
    squid) echo squid ;;
    nginx-cache) echo nginx ;;
    apache2-cache) echo apache2 ;;
  esac
}

program_of() {
  case "$1" in
    varnish) echo /usr/sbin/varnishd ;;
    squid) echo /usr/sbin/squid ;;
    nginx-cache) echo /usr/sbin/nginx ;;
    apache2-cache) echo /usr/sbin/apache2 ;;
  esac
}

render() {  # render FILE PORT ORIGIN_PORT RUN
  sed -e "s#RUN#$4#g; s/ORIGIN_PORT/$3/g; s/PORT/$2/g" "$1"
}

# Waits until the port accepts connections. No HTTP request is sent: with no
# origin listening yet, a request would make the cache hold its upstream down
# (Varnish's backend_local_error_holddown, Squid's dead-peer detection) and
# fail the run's first requests.
wait_ready() {
  local port="$1" i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Squid 5 selects a cache_peer only once a TCP probe to it has succeeded (a
# peer starts as never reached: CachePeer::tcp_up is 0), and it probes once
# when it starts, before condspec's origin listens. A request that needs the
# unprobed peer triggers the next probe but is itself answered 502 with
# X-Squid-Error: ERR_READ_ERROR (in cache.log: "found no paths"), so a run's
# first requests failed. scripts/hold-port.py holds the origin's address
# while Squid starts, accepts its startup probe and lets the address go, for
# condspec's origin to take. Sets $holder to its pid.
hold_origin_port() {  # hold_origin_port ORIGIN_PORT RUN
  local i
  rm -f "$2/holder.ready"
  python3 "$repo/scripts/hold-port.py" "$1" "$2/holder.ready" > "$2/holder.log" 2>&1 &
  holder=$!
  for i in $(seq 1 100); do
    [ -f "$2/holder.ready" ] && return 0
    kill -0 "$holder" 2>/dev/null || { cat "$2/holder.log" >&2; return 1; }
    sleep 0.05
  done
  kill "$holder" 2>/dev/null
  return 1
}

start() {
  local name="$1" port="$2" origin="$3" run="$run_root/$1"
  rm -rf "$run" && mkdir -p "$run"
  case "$name" in
    varnish)
      render "$config/varnish.vcl" "$port" "$origin" "$run" > "$run/default.vcl"
      /usr/sbin/varnishd -a "127.0.0.1:$port" -f "$run/default.vcl" -n "$run/work" \
        -s malloc,16m -P "$run/pid" > "$run/out.log" 2>&1 ;;
    squid)
      render "$config/squid.conf" "$port" "$origin" "$run" > "$run/squid.conf"
      chown proxy "$run"  # Squid runs as the user proxy and writes its cache.log here
      hold_origin_port "$origin" "$run" || die "cannot hold 127.0.0.1:$origin while squid starts"
      /usr/sbin/squid -f "$run/squid.conf" -N -d1 > "$run/out.log" 2>&1 &
      echo $! > "$run/pid"
      wait "$holder" || {
        cat "$run/out.log" >&2
        stop "$name"
        die "squid did not probe its origin 127.0.0.1:$origin within 10 s"
      } ;;
    nginx-cache)
      mkdir -p "$run/cache"
      render "$config/nginx.conf" "$port" "$origin" "$run" > "$run/nginx.conf"
      /usr/sbin/nginx -c "$run/nginx.conf" -p "$run" > "$run/out.log" 2>&1
      cp "$run/nginx.pid" "$run/pid" ;;
    apache2-cache)
      mkdir -p "$run/cache"
      chown www-data "$run/cache"  # the worker writes the disk cache
      render "$config/apache2-cache.conf" "$port" "$origin" "$run" > "$run/apache2.conf"
      /usr/sbin/apache2 -d /etc/apache2 -f "$run/apache2.conf" -DFOREGROUND > "$run/out.log" 2>&1 &
      echo $! > "$run/pid" ;;
  esac
  wait_ready "$port" || { cat "$run/out.log" >&2; stop "$name"; die "$name did not answer on port $port"; }
  echo "$name listening on http://127.0.0.1:$port/"
}

stop() {
  local run="$run_root/$1" pid i
  [ -f "$run/pid" ] || return 0
  pid="$(cat "$run/pid")"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$run/pid"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  list) printf '%s\n' "${caches[@]}" ;;
  available) known "$1" || die "unknown cache '$1'"; [ -x "$(program_of "$1")" ] ;;
  install)
    pkgs=()
    for name in "$@"; do known "$name" || die "unknown cache '$name'"; pkgs+=("$(package_of "$name")"); done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" > /dev/null ;;
  start) known "$1" || die "unknown cache '$1'"; start "$1" "$2" "$3" ;;
  stop) known "$1" || die "unknown cache '$1'"; stop "$1" ;;
  version)
    case "$1" in
      varnish) /usr/sbin/varnishd -V 2>&1 | sed -n '1s/.*(varnish-\([^ ]*\).*/Varnish \1/p' ;;
      squid) /usr/sbin/squid -v | sed -n '1s/.*Version \([^ ]*\).*/Squid \1/p' ;;
      nginx-cache) /usr/sbin/nginx -v 2>&1 | sed 's|.*nginx/|nginx |' ;;
      apache2-cache) /usr/sbin/apache2 -v | sed -n 's|^Server version: Apache/\([^ ]*\).*|Apache httpd \1|p' ;;
      *) die "unknown cache '$1'" ;;
    esac ;;
  # Varnish serves a stale copy at once and revalidates in the background
  # (its default grace): a step judged on the next request sees the
  # refreshed copy only once that fetch is stored, which on a loaded machine
  # took longer than the default --settle of 0.25 s.
  options)
    case "$1" in
      varnish) echo "--settle 1" ;;
      squid | nginx-cache | apache2-cache) ;;
      *) die "unknown cache '$1'" ;;
    esac ;;
  *) die "usage: $0 list|available|install|start|stop|version|options ..." ;;
esac
