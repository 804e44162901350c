#!/usr/bin/env bash
# Starts and stops real HTTP servers for condspec's real-server tests, each on
# 127.0.0.1 with its own small config (tests/real-servers/config/), never the
# system's default sites, never port 80, stopped by the pid this script
# recorded (never by process name).
#
#   scripts/real-servers.sh list                      the servers this script knows
#   scripts/real-servers.sh available NAME            exit 0 if NAME can run here (installed)
#   scripts/real-servers.sh install NAME...           install what NAME needs (Debian or npm), quietly
#   scripts/real-servers.sh docroot DIR               copy the fixed docroot to DIR, with fixed mtimes
#   scripts/real-servers.sh start NAME PORT DOCROOT   start NAME; prints its base URL (and for
#                                                     an -h2 variant a second line: --cacert FILE)
#   scripts/real-servers.sh stop NAME                 stop it (SIGTERM, then SIGKILL), by its pid file
#   scripts/real-servers.sh version NAME              the server's name and version, one line
#
# Run dir (pid files, rendered configs, logs): $CONDSPEC_REAL_RUN, default
# /tmp/condspec-real-servers/NAME. npm packages are installed into
# $CONDSPEC_REAL_CACHE (default ~/.cache/condspec-real-servers), never into
# the repository.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$repo/tests/real-servers"
run_root="${CONDSPEC_REAL_RUN:-/tmp/condspec-real-servers}"
cache="${CONDSPEC_REAL_CACHE:-${HOME:-/root}/.cache/condspec-real-servers}"

# The fixed modification time of every docroot file: well in the past, so
# servers treat Last-Modified as a strong validator (RFC 9110 8.8.2.2).
readonly fixed_mtime="2020-01-02 03:04:05 UTC"

servers=(nginx nginx-gzip apache2 apache2-gzip lighttpd lighttpd-gzip
         caddy caddy-gzip h2o h2o-gzip python express http-server
         jetty go tornado aiohttp starlette rack mojolicious
         nginx-h2c apache2-h2c h2o-h2c nghttpd-h2c nginx-h2 apache2-h2 h2o-h2 nghttpd-h2)

# The frameworks' apps (tests/real-servers/apps/) run on Debian's Python,
# whose packages (python3-tornado, ...) another python3 on PATH would not see.
readonly debian_python=/usr/bin/python3

die() { echo "real-servers: $*" >&2; exit 2; }

known() {
  local s
  for s in "${servers[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# The server of a variant: nginx-gzip -> nginx, nginx-h2c -> nginx. An -h2c
# variant serves HTTP/2 over cleartext with prior knowledge (judged with
# condspec run --protocol h2c); an -h2 variant HTTP/2 over TLS with a
# self-signed certificate made at start (judged with --protocol h2 --cacert).
base_of() {
  local name="${1%-gzip}"
  name="${name%-h2c}"
  echo "${name%-h2}"
}

debian_packages() {
  case "$(base_of "$1")" in
    nginx) echo nginx ;;
    apache2) echo apache2 ;;
    lighttpd) [ "$1" = lighttpd-gzip ] && echo lighttpd lighttpd-mod-deflate || echo lighttpd ;;
    caddy) echo caddy ;;
    h2o) echo h2o ;;
    nghttpd) echo nghttp2-server ;;
    python) echo python3 ;;
    express | http-server) echo nodejs ;;
    jetty) echo jetty9 ;;
    go) echo golang-go ;;
    tornado) echo python3-tornado ;;
    aiohttp) echo python3-aiohttp ;;
    starlette) echo python3-starlette python3-uvicorn ;;
    rack) echo ruby-rack puma ;;
    mojolicious) echo libmojolicious-perl ;;
  esac
}

node_dir() { echo "$cache/node"; }

node_ready() {
  [ -f "$(node_dir)/node_modules/.condspec-installed" ] &&
    cmp -s "$fixtures/node/package.json" "$(node_dir)/package.json"
}

available() {
  local p
  for p in $(debian_packages "$1"); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
  case "$1" in
    express | http-server) command -v npm >/dev/null && node_ready ;;
  esac
}

install_debian() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root, or apt-get install them)"
  echo "real-servers: installing ${missing[*]}" >&2
  # Debian starts a freshly installed daemon with its default site on port
  # 80 unless policy-rc.d forbids it; forbid it for this install only.
  local policy=/usr/sbin/policy-rc.d placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && placed=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null 2>&1
  } || rc=$?
  [ -n "$placed" ] && rm -f "$policy"
  [ $rc -eq 0 ] || die "could not install ${missing[*]}"
}

install_node() {
  node_ready && return 0
  command -v npm >/dev/null || die "npm is missing (Debian package npm, or Node.js with npm)"
  local dir
  dir="$(node_dir)"
  mkdir -p "$dir"
  cp "$fixtures/node/package.json" "$dir/package.json"
  echo "real-servers: installing npm packages into $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --omit=dev >/dev/null 2>&1) ||
    die "npm install failed in $dir"
  touch "$dir/node_modules/.condspec-installed"
}

install() {
  local name
  for name in "$@"; do
    known "$name" || die "unknown server '$name' (known: ${servers[*]})"
    # shellcheck disable=SC2046
    install_debian $(debian_packages "$name")
    case "$name" in express | http-server) install_node ;; esac
  done
}

docroot() {
  local dir="$1"
  mkdir -p "$dir"
  cp -R "$fixtures/docroot/." "$dir/"
  chmod -R a+rX "$dir"
  find "$dir" -exec touch -h -d "$fixed_mtime" {} +
}

version() {
  case "$(base_of "$1")" in
    nginx) nginx -v 2>&1 | sed 's|.*nginx/|nginx |' ;;
    apache2) apache2 -v | sed -n 's|^Server version: Apache/\([^ ]*\).*|Apache httpd \1|p' ;;
    lighttpd) lighttpd -v | sed -n 's|^lighttpd/\([^ ]*\).*|lighttpd \1|p' ;;
    caddy) echo "Caddy $(caddy version | cut -d' ' -f1)" ;;
    h2o) h2o -v | sed -n 's|^h2o version \(.*\)|h2o \1|p' ;;
    nghttpd) nghttpd --version | sed -n 's|^nghttpd nghttp2/\(.*\)|nghttpd \1|p' ;;
    python) echo "Python http.server $(python3 -c 'import platform; print(platform.python_version())')" ;;
    express) echo "Express $(node -p "require('$(node_dir)/node_modules/express/package.json').version") (serve-static $(node -p "require('$(node_dir)/node_modules/serve-static/package.json').version"), Node.js $(node -v | tr -d v))" ;;
    http-server) echo "http-server $(node -p "require('$(node_dir)/node_modules/http-server/package.json').version") (Node.js $(node -v | tr -d v))" ;;
    jetty)
      local jar
      jar="$(basename /usr/share/jetty9/lib/jetty-server-*.jar .jar)"
      echo "Jetty ${jar#jetty-server-} (Java $(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p'))" ;;
    go) echo "Go net/http $(go env GOVERSION | sed 's/^go//')" ;;
    tornado) echo "Tornado $("$debian_python" -c 'import tornado; print(tornado.version)')" ;;
    aiohttp) echo "aiohttp $("$debian_python" -c 'import aiohttp; print(aiohttp.__version__)')" ;;
    starlette) echo "Starlette $("$debian_python" -c 'import starlette; print(starlette.__version__)') (uvicorn $("$debian_python" -c 'import uvicorn; print(uvicorn.__version__)'))" ;;
    rack) echo "Rack $(ruby -e 'require "rack"; print Rack.release') (Puma $(ruby -e 'require "puma/const"; print Puma::Const::PUMA_VERSION'), Ruby $(ruby -e 'print RUBY_VERSION'))" ;;
    mojolicious) echo "Mojolicious $(perl -MMojolicious -e 'print $Mojolicious::VERSION') (Perl $(perl -e 'print $^V' | tr -d v))" ;;
  esac
}

render() {  # template -> rendered file, placeholders filled
  sed -e "s|@PORT@|$port|g" -e "s|@DOCROOT@|$root|g" -e "s|@RUNDIR@|$dir|g" "$1" >"$2"
}

# Waits (bounded: SECONDS) until something accepts on 127.0.0.1:PORT, and
# the process we started is still alive.
wait_ready() {
  local pid="$1" seconds="$2"
  for _ in $(seq 1 $((seconds * 20))); do
    running "$pid" || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

start() {
  local name="$1"
  port="$2"
  root="$(cd "$3" && pwd)"
  known "$name" || die "unknown server '$name' (known: ${servers[*]})"
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
    die "port '$port' must be a number from 1024 to 65535 (never 80)"
  fi
  available "$name" || die "$name is not installed (scripts/real-servers.sh install $name)"
  dir="$run_root/$name"
  [ -f "$dir/pid" ] && running "$(cat "$dir/pid")" &&
    die "$name is already running (pid $(cat "$dir/pid")); stop it first"
  rm -rf "$dir"
  mkdir -p "$dir/tmp"
  local conf="$fixtures/config" apps="$fixtures/apps" cmd=() ready_seconds=10
  if [[ "$name" == *-h2 ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
      -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
      -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 ||
      die "could not make a certificate for $name (openssl)"
    chmod 644 "$dir/key.pem"  # read by workers that run as www-data
  fi
  case "$name" in
    nginx | nginx-gzip | nginx-h2c | nginx-h2)
      render "$conf/$name.conf" "$dir/nginx.conf"
      cmd=(nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf") ;;
    apache2 | apache2-gzip | apache2-h2c | apache2-h2)
      render "$conf/$name.conf" "$dir/apache2.conf"
      cmd=(apache2 -d /etc/apache2 -f "$dir/apache2.conf" -DFOREGROUND) ;;
    lighttpd | lighttpd-gzip)
      render "$conf/$name.conf" "$dir/lighttpd.conf"
      cmd=(lighttpd -D -f "$dir/lighttpd.conf") ;;
    caddy | caddy-gzip)
      render "$conf/$name.Caddyfile" "$dir/Caddyfile"
      cmd=(env "HOME=$dir" "XDG_DATA_HOME=$dir/data" "XDG_CONFIG_HOME=$dir/config"
           caddy run --adapter caddyfile --config "$dir/Caddyfile") ;;
    h2o | h2o-gzip | h2o-h2c | h2o-h2)
      render "$conf/$name.conf" "$dir/h2o.conf"
      chmod 755 "$dir"
      cmd=(h2o -c "$dir/h2o.conf") ;;
    nghttpd-h2c)
      cmd=(nghttpd --address=127.0.0.1 "--htdocs=$root" --no-tls "$port") ;;
    nghttpd-h2)
      cmd=(nghttpd --address=127.0.0.1 "--htdocs=$root" "$port" "$dir/key.pem" "$dir/cert.pem") ;;
    python)
      cmd=(python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root") ;;
    express)
      cmd=(env "NODE_PATH=$(node_dir)/node_modules" node "$fixtures/node/express-server.js" "$port" "$root") ;;
    http-server)
      cmd=(node "$(node_dir)/node_modules/http-server/bin/http-server" "$root" -a 127.0.0.1 -p "$port" -s) ;;
    jetty)
      mkdir -p "$dir/base/webapps"
      render "$conf/jetty-start.ini" "$dir/base/start.ini"
      render "$conf/jetty-root.xml" "$dir/base/webapps/root.xml"
      # A JVM and Jetty's deployer take a few seconds to start, more on a busy machine.
      ready_seconds=30
      cmd=(java "-Djava.io.tmpdir=$dir/tmp" -jar /usr/share/jetty9/start.jar
           jetty.home=/usr/share/jetty9 "jetty.base=$dir/base") ;;
    go)
      # Built anew (about a second: the standard library comes precompiled),
      # with no network: the program imports the standard library only.
      env GOCACHE="$cache/go-build" GOPATH="$cache/go" GOPROXY=off GOFLAGS= \
        go build -o "$dir/fileserver" "$apps/fileserver.go" >"$dir/build.log" 2>&1 ||
        { cat "$dir/build.log" >&2; die "could not build $apps/fileserver.go"; }
      cmd=("$dir/fileserver" "$port" "$root") ;;
    tornado | aiohttp | starlette)
      cmd=("$debian_python" "$apps/$name-server.py" "$port" "$root") ;;
    rack)
      cmd=(env "CONDSPEC_DOCROOT=$root" puma --environment production --bind "tcp://127.0.0.1:$port"
           --dir "$dir" "$apps/rack-config.ru") ;;
    mojolicious)
      cmd=(env "CONDSPEC_DOCROOT=$root" perl "$apps/mojolicious-server.pl" daemon
           --mode production --listen "http://127.0.0.1:$port") ;;
  esac
  # setsid: the server outlives this script and gets no signal meant for the
  # caller's process group; its pid is the one `stop` signals.
  setsid "${cmd[@]}" </dev/null >"$dir/server.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  if ! wait_ready "$pid" "$ready_seconds"; then
    echo "real-servers: $name did not start on 127.0.0.1:$port; its log:" >&2
    tail -n 20 "$dir/server.log" "$dir/error.log" >&2 2>/dev/null || true
    stop "$name" >/dev/null 2>&1 || true
    exit 1
  fi
  if [[ "$name" == *-h2 ]]; then
    echo "https://127.0.0.1:$port/"
    echo "--cacert $dir/cert.pem"
  else
    echo "http://127.0.0.1:$port/"
  fi
}

# Whether PID is running: a process that exited but was not yet reaped (a
# zombie, when no one waits for it) counts as stopped.
running() {
  local state
  state="$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)"
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

stop() {
  local name="$1" dir pid
  known "$name" || die "unknown server '$name' (known: ${servers[*]})"
  dir="$run_root/$name"
  [ -f "$dir/pid" ] || return 0
  pid="$(cat "$dir/pid")"
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      running "$pid" || break
      sleep 0.02
    done
    if running "$pid"; then
      echo "real-servers: $name (pid $pid) ignored SIGTERM for 2 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/pid"
}

command="${1:-}"
shift || true
case "$command" in
  list) printf '%s\n' "${servers[@]}" ;;
  available) [ $# -eq 1 ] || die "usage: available NAME"; known "$1" || die "unknown server '$1'"; available "$1" ;;
  install) [ $# -ge 1 ] || die "usage: install NAME..."; install "$@" ;;
  docroot) [ $# -eq 1 ] || die "usage: docroot DIR"; docroot "$1" ;;
  start) [ $# -eq 3 ] || die "usage: start NAME PORT DOCROOT"; start "$@" ;;
  stop) [ $# -eq 1 ] || die "usage: stop NAME"; stop "$1" ;;
  version) [ $# -eq 1 ] || die "usage: version NAME"; known "$1" || die "unknown server '$1'"; version "$1" ;;
  *) die "usage: $(basename "$0") list | available NAME | install NAME... | docroot DIR | start NAME PORT DOCROOT | stop NAME | version NAME" ;;
esac
