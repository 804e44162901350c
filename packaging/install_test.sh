#!/usr/bin/env bash
# Test: `cmake --install` of this build puts every file where the README
# and the man page say, and the installed program finds its installed cases
# (never the source tree) from a directory outside the checkout: installed
# to a prefix (/opt/condspec-like), staged with DESTDIR, called through a
# symbolic link, and with its cases missing (the error names where they
# belong).
#
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(realpath "$1")"
source_dir="$(realpath "$2")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/elsewhere"
cd "$work/elsewhere"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_output WHAT EXPECTED_EXIT EXPECTED_TEXT COMMAND...: the exact
# first line of stdout+stderr and the exit code.
expect_first_line() {
  local what="$1" want_exit="$2" want="$3" got status=0
  shift 3
  got="$("$@" 2>&1 | head -n 1)" || true
  "$@" >/dev/null 2>&1 || status=$?
  [ "$status" = "$want_exit" ] || fail "$what: exit $status, expected $want_exit"
  [ "$got" = "$want" ] || fail "$what: printed [$got], expected [$want]"
}

requirements="$(grep -c '^  - id:' "$source_dir/cases/requirements.yaml" || true)"
lint_line() {  # CASES_DIR
  "$build/condspec" lint | sed "s|^$source_dir/cases:|$1:|"
}

# 1. A prefix of its own, as /opt/condspec.
prefix="$work/opt/condspec"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/condspec share/condspec/cases/requirements.yaml share/doc/condspec/README.md \
  share/man/man1/condspec.1.gz share/bash-completion/completions/condspec \
  share/zsh/vendor-completions/_condspec; do
  [ -f "$prefix/$f" ] || fail "$f is not installed"
done
[ -x "$prefix/bin/condspec" ] || fail "bin/condspec is not executable"
for f in "$source_dir"/cases/*.yaml "$source_dir"/cases/cache/*.yaml; do
  relative="${f#"$source_dir"/cases/}"
  cmp -s "$f" "$prefix/share/condspec/cases/$relative" || fail "cases/$relative is not installed as is"
done
schemas=0
for f in "$source_dir"/docs/schema/*.schema.json; do
  schemas=$((schemas + 1))
  cmp -s "$f" "$prefix/share/condspec/schema/$(basename "$f")" ||
    fail "docs/schema/$(basename "$f") is not installed in share/condspec/schema"
  cmp -s "$f" "$prefix/share/doc/condspec/docs/schema/$(basename "$f")" ||
    fail "docs/schema/$(basename "$f") is not installed with the docs"
done
[ "$schemas" -ge 3 ] || fail "expected at least 3 JSON Schemas in docs/schema, found $schemas"
for f in "$source_dir"/docs/*.md; do
  cmp -s "$f" "$prefix/share/doc/condspec/docs/$(basename "$f")" || fail "docs/$(basename "$f") is not installed"
done
gzip -dc "$prefix/share/man/man1/condspec.1.gz" | grep -q '^\.TH CONDSPEC 1 ' || fail "the man page is not a gzipped condspec(1)"
version="$("$build/condspec" --version)"
gzip -dc "$prefix/share/man/man1/condspec.1.gz" | grep -qF "\"$version\"" ||
  fail "the man page does not carry the program's version ($version)"

expected="$(lint_line "$prefix/share/condspec/cases")"
expect_first_line "installed lint" 0 "$expected" "$prefix/bin/condspec" lint
status=0
"$prefix/bin/condspec" run --quiet --select 13.1.2 >/dev/null 2>&1 || status=$?
[ "$status" = 0 ] || fail "installed run against the built-in origin: exit $status"

# 2. Through a symbolic link, as /usr/local/bin/condspec -> the prefix.
mkdir -p "$work/links"
ln -s "$prefix/bin/condspec" "$work/links/condspec"
expect_first_line "symlinked lint" 0 "$expected" "$work/links/condspec" lint

# 3. Staged with DESTDIR for /usr, as a package build does.
DESTDIR="$work/stage" cmake --install "$build" --prefix /usr >/dev/null
expect_first_line "staged lint" 0 "$(lint_line "$work/stage/usr/share/condspec/cases")" \
  "$work/stage/usr/bin/condspec" lint

# 4. Its cases removed: an error naming where they belong, not the source tree.
rm -rf "$prefix/share/condspec/cases"
expect_first_line "lint without installed cases" 2 \
  "$prefix/share/condspec/cases: not a directory (expected the cases directory with requirements.yaml)" \
  "$prefix/bin/condspec" lint

[ "$requirements" -gt 0 ] || fail "no requirement found in the source catalog"
[ "$failures" -eq 0 ] || exit 1
echo "install: the installed program finds its installed cases under every layout"
