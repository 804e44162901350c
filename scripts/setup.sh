#!/usr/bin/env bash
# Installs the Debian packages condspec needs to build and test, and nothing
# else. Idempotent: when everything is present it prints nothing and changes
# nothing, so it is safe to run before every build.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libcpp-httplib-dev libyaml-dev libyaml-cpp-dev libfmt-dev libgtest-dev
  libssl-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
  libnghttp2-dev   # the HTTP/2 transport (--protocol h2, h2c)
  nghttp2-server   # tests: nghttpd, a real HTTP/2 server (h2 and h2c)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "condspec setup: missing packages: ${missing[*]}" >&2
  echo "condspec setup: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "condspec setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
