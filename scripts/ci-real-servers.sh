#!/usr/bin/env bash
# CI job: condspec against real servers, started by scripts/real-servers.sh
# on 127.0.0.1, each verdict compared with tests/real-servers/<name>.yaml
# (tests/real_servers_test.cpp). nginx, Apache httpd and lighttpd, plain and
# compressing, and the frameworks from Debian (Jetty, Go's net/http, Tornado,
# aiohttp, Starlette under uvicorn, Rack under Puma, Mojolicious), and over
# HTTP/2 nginx, Apache httpd with mod_http2, h2o and nghttpd (h2c and h2;
# h2o over HTTP/1.1 too, the answers its HTTP/2 ones are compared with), are
# required (scripts/setup-ci.sh installs them): their absence fails the job.
# The real caches of `condspec cache` (Varnish, Squid, nginx proxy_cache,
# Apache httpd's mod_cache; started by scripts/real-caches.sh, compared with
# tests/real-caches/<name>.yaml) are required too. Caddy and h2o-gzip
# (Debian), Python's http.server, and Express and http-server (npm) run
# where installed and are skipped with a message otherwise. Takes about
# half a minute on a quiet 2-core machine and up to three minutes on a
# loaded one (the real caches and Jetty's JVM start slowest); bounded at
# 10 minutes, so that a slow CI machine does not fail it by time alone.
#
# CONDSPEC_BUILD_DIR: the build to test (default build/, as scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${CONDSPEC_BUILD_DIR:-build}"

if command -v npm >/dev/null; then
  timeout 90 scripts/real-servers.sh install express http-server ||
    echo "ci-real-servers: the npm packages could not be installed: Express and http-server are skipped"
else
  echo "ci-real-servers: npm is not installed: Express and http-server are skipped"
fi

CONDSPEC_REQUIRE_REAL_SERVERS="nginx nginx-gzip apache2 apache2-gzip lighttpd lighttpd-gzip
  jetty go tornado aiohttp starlette rack mojolicious nginx-h2c apache2-h2c nghttpd-h2c
  nginx-h2 apache2-h2 h2o h2o-h2c h2o-h2 nghttpd-h2 varnish squid nginx-cache apache2-cache" \
  timeout 600 "$build/tests/e2e_tests" --gtest_filter='RealServer.*:RealServerVerdicts.*:RealCache.*' \
  --gtest_brief=1
