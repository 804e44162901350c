#!/usr/bin/env bash
# CI job: the Debian package. Builds it with cpack from the build that
# scripts/test.sh made, checks its Depends against the libraries the program
# loads (ldd, dpkg -S), installs it with dpkg -i, and from a directory outside
# the checkout runs the installed condspec (lint, list, run against its
# built-in origin, the CI script with the condspec on PATH), its man page and
# both completions; then removes the package again (also on failure), so the
# machine is as before. Refuses to run when a condspec is already installed
# in /usr: it would replace it. Takes about a minute; bounded.
#
# CONDSPEC_BUILD_DIR: the build to package (default build/).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
build="$repo/${CONDSPEC_BUILD_DIR:-build}"
say() { echo "ci-package: $*"; }
die() {
  echo "ci-package: $*" >&2
  exit 1
}

if dpkg-query -W -f='${Status}' condspec 2>/dev/null | grep -q 'install ok installed'; then
  die "a condspec package ($(dpkg-query -W -f='${Version}' condspec)) is already installed; this job installs and removes its own: remove it first (dpkg -r condspec)"
fi
[ ! -e /usr/bin/condspec ] || die "/usr/bin/condspec exists (not from a package); this job would replace it: remove it first"
[ -f "$build/CPackConfig.cmake" ] || die "$build is not a configured build (run scripts/build.sh)"

work="$(mktemp -d /tmp/condspec-ci-package.XXXXXX)"
installed=""
cleanup() {
  if [ -n "$installed" ]; then
    dpkg --purge condspec >/dev/null || echo "ci-package: could not remove the condspec package" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "ci-package: FAIL: $*" >&2; failures=$((failures + 1)); }

# 1. Build the package.
if ! timeout 300 cpack --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  die "cpack failed"
fi
debs=("$work"/package/condspec_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || die "cpack made no single condspec_*.deb: ${debs[*]}"
deb="${debs[0]}"
depends="$(dpkg-deb -f "$deb" Depends)"
say "$(basename "$deb"): Depends: $depends"

# 2. Depends names the package of every library the program needs (its
# NEEDED entries, as ldd resolves them here), and nothing is missing.
dpkg-deb -x "$deb" "$work/root"
program="$work/root/usr/bin/condspec"
ldd "$program" >"$work/ldd" || die "ldd failed on the packaged program"
! grep -q 'not found' "$work/ldd" || fail "libraries not found: $(grep 'not found' "$work/ldd")"
depends_names=" $(sed -e 's/([^)]*)//g' -e 's/[|,]/ /g' <<<"$depends" | tr -s ' ') "
for needed in $(readelf -d "$program" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path="$(awk -v lib="$needed" '$1 == lib && $3 ~ /^\// { print $3 }' "$work/ldd")"
  [ -n "$path" ] || { fail "ldd does not resolve $needed"; continue; }
  owner=""
  for candidate in "$path" "/usr$path" "${path#/usr}" "$(realpath "$path")"; do
    owner="$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1)" && [ -n "$owner" ] && break
  done
  [ -n "$owner" ] || { fail "no package owns $path ($needed)"; continue; }
  [[ "$depends_names" == *" $owner "* ]] || fail "$needed is in $owner, which Depends does not name"
done

# 3. Install it, and use it from outside the checkout.
export DEBIAN_FRONTEND=noninteractive
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -i failed"; }
installed=1
mkdir -p "$work/elsewhere"
cd "$work/elsewhere"
[ -f /usr/share/condspec/schema/report.schema.json ] || fail "the JSON Schemas are not installed in /usr/share/condspec/schema"
[ "$(command -v condspec)" = /usr/bin/condspec ] || fail "condspec on PATH is $(command -v condspec), not /usr/bin/condspec"
[ "$(condspec --version)" = "$("$build/condspec" --version)" ] || fail "the installed version differs from the build's"
lint="$(condspec lint 2>&1)" || fail "condspec lint: exit $?: $lint"
[[ "$lint" == "/usr/share/condspec/cases: "*": no errors" ]] || fail "condspec lint does not use /usr/share/condspec/cases: $lint"
status=0
condspec list >"$work/list" 2>&1 || status=$?
[ "$status" = 0 ] || fail "condspec list: exit $status"
grep -q '^  inm-current-strong-tag ' "$work/list" || fail "condspec list does not list inm-current-strong-tag"
status=0
timeout 120 condspec run --quiet --report "junit=$work/run.xml" >"$work/run.out" 2>&1 || status=$?
[ "$status" = 0 ] || { fail "condspec run (built-in origin): exit $status"; cat "$work/run.out" >&2; }
grep -q '<testcase' "$work/run.xml" 2>/dev/null || fail "condspec run wrote no JUnit report"
status=0
condspec run --no-such-option >/dev/null 2>&1 || status=$?
[ "$status" = 2 ] || fail "condspec run --no-such-option: exit $status, expected 2"

# The CI script (GitHub Action, GitLab template) with the installed condspec.
status=0
env -u CONDSPEC CONDSPEC_ARGS="--select 13.1.2" timeout 120 "$repo/scripts/run-in-ci.sh" >"$work/ci.out" 2>&1 || status=$?
[ "$status" = 0 ] || { fail "scripts/run-in-ci.sh with the installed condspec: exit $status"; cat "$work/ci.out" >&2; }
grep -qF "(/usr/bin/condspec)" "$work/ci.out" || fail "scripts/run-in-ci.sh did not use the installed condspec"
[ -s condspec-report/condspec.html ] || fail "scripts/run-in-ci.sh wrote no HTML report"

# The man page, and both completions where the shells look for them.
if command -v man >/dev/null; then
  [ "$(man -w condspec 2>/dev/null)" = /usr/share/man/man1/condspec.1.gz ] || fail "man -w condspec: $(man -w condspec 2>&1)"
fi
gzip -dc /usr/share/man/man1/condspec.1.gz >"$work/condspec.1"
timeout 120 "$repo/packaging/man_page_test.sh" /usr/bin/condspec "$work/condspec.1" "$work/condspec.1" >/dev/null ||
  fail "the installed man page does not match the installed program"
timeout 120 "$repo/packaging/completion_test.sh" /usr/bin/condspec \
  /usr/share/bash-completion/completions/condspec /usr/share/condspec/cases >/dev/null ||
  fail "the bash completion test failed on the installed completion"
CONDSPEC_REQUIRE_ZSH=1 timeout 180 "$repo/packaging/zsh_completion_test.sh" /usr/bin/condspec \
  /usr/share/zsh/vendor-completions/_condspec /usr/share/condspec/cases >/dev/null ||
  fail "the zsh completion test failed on the installed completion"

# 4. Remove it: nothing of it stays.
cd "$repo"
dpkg --purge condspec >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg --purge failed"; }
installed=""
for f in /usr/bin/condspec /usr/share/condspec /usr/share/man/man1/condspec.1.gz \
  /usr/share/bash-completion/completions/condspec /usr/share/zsh/vendor-completions/_condspec; do
  [ ! -e "$f" ] || fail "$f is left after dpkg --purge"
done

[ "$failures" -eq 0 ] || die "$failures check(s) failed"
say "installed, ran from outside the checkout, removed"
