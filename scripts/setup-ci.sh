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
  nginx                # scripts/ci-real-servers.sh: real server (plain and gzip)
  apache2              # scripts/ci-real-servers.sh: real server (plain and mod_deflate), real cache (mod_cache)
  lighttpd             # scripts/ci-real-servers.sh: real server
  lighttpd-mod-deflate # scripts/ci-real-servers.sh: lighttpd's compression
  caddy                # scripts/ci-real-servers.sh: real server, run where installable
  h2o                  # scripts/ci-real-servers.sh: real server, over HTTP/1.1 and HTTP/2 (h2c, h2)
  jetty9               # scripts/ci-real-servers.sh: Jetty's DefaultServlet (pulls in a Java runtime)
  golang-go            # scripts/ci-real-servers.sh: Go's net/http FileServer, built at start
  python3-tornado      # scripts/ci-real-servers.sh: Tornado's StaticFileHandler
  python3-aiohttp      # scripts/ci-real-servers.sh: aiohttp's static route
  python3-starlette    # scripts/ci-real-servers.sh: Starlette's StaticFiles
  python3-uvicorn      # scripts/ci-real-servers.sh: the ASGI server Starlette runs under
  ruby-rack            # scripts/ci-real-servers.sh: Rack::ConditionalGet and Rack::ETag
  puma                 # scripts/ci-real-servers.sh: the Ruby server the Rack app runs under
  libmojolicious-perl  # scripts/ci-real-servers.sh: Mojolicious's static files and server
  dpkg-dev             # scripts/ci-package.sh: dpkg-shlibdeps computes the package's Depends
  zsh                  # scripts/ci-package.sh: the zsh completion is tested in zsh
  man-db               # scripts/ci-package.sh: man finds the installed page
  python3-yaml         # scripts/ci-templates.sh: reads the CI templates to run their steps
  varnish              # scripts/ci-real-servers.sh: a real cache for `condspec cache`
  squid                # scripts/ci-real-servers.sh: a real cache for `condspec cache`
  python3-jsonschema   # tests/schema_test.py: validates reports and case files against docs/schema/
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
# Servers (nginx, apache2, ...) must not start with their default site on
# port 80 when installed: policy-rc.d forbids it, for this install only.
placed=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && placed=1
fi
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ -z "$placed" ] || rm -f /usr/sbin/policy-rc.d
