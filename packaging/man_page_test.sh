#!/usr/bin/env bash
# Test: the man page (condspec.1.in) documents every subcommand and option
# that `condspec --help` and `condspec COMMAND --help` print, each option
# under its command's .SS heading as a .TP entry, every report format and
# --fail-on level and --protocol name; and it documents no option the
# program does not have.
# The checker is also run on a damaged copy of the page and must find the
# damage, so a checker that finds nothing cannot pass.
#
# With CONFIGURED_PAGE (the page the build made from the source), also: it
# carries the version `condspec --version` prints, and groff renders it
# without a warning (where groff is installed).
#
# Usage: man_page_test.sh PROGRAM MAN_SOURCE [CONFIGURED_PAGE]
set -euo pipefail
program="$1"
man_source="$2"
configured="${3:-}"
source "$(dirname "$0")/help_options.sh"

# "SECTION OPTION" for every option named in a .TP tag, and "SECTION" for
# every command heading. SECTION: the command of `.SS "condspec CMD ..."`,
# or `*` for `.SS "Options of every command"`.
man_entries() {  # MAN_FILE
  sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$1" | awk '
    /^\.SH/ { section = ""; next }
    /^\.SS "condspec [a-z]+/ { split($0, w, /[ "]+/); section = w[3]; print section; next }
    /^\.SS "Options of every command"/ { section = "*"; print section; next }
    /^\.SS/ { section = ""; next }
    /^\.TP/ { tag = 1; next }
    tag {
      tag = 0
      if (section == "") next
      line = $0
      while (match(line, /(^|[ ",])--?[A-Za-z][A-Za-z0-9-]*/)) {
        option = substr(line, RSTART, RLENGTH)
        sub(/^[ ",]/, "", option)
        print section " " option
        line = substr(line, RSTART + RLENGTH)
      }
    }'
}

# Prints one line per problem; nothing when the page matches the program.
check() {  # MAN_FILE
  local man="$1" entries cmd option
  entries="$(man_entries "$man")"
  has() { grep -qxF -- "$1" <<<"$entries"; }
  for option in $(help_options "$program"); do
    has "* $option" || echo "option $option of condspec is not under .SS \"Options of every command\""
  done
  for cmd in $(help_subcommands "$program"); do
    has "$cmd" || { echo "subcommand $cmd has no .SS \"condspec $cmd ...\" section"; continue; }
    for option in $(help_options "$program" "$cmd"); do
      case "$option" in -h | --help) has "* $option" && continue ;; esac
      has "$cmd $option" || echo "option $option of condspec $cmd is not a .TP entry of its section"
    done
  done
  # Entries the program does not know (the common section: checked above).
  while read -r cmd option; do
    [ -n "${option:-}" ] && [ "$cmd" != "*" ] || continue
    help_options "$program" "$cmd" 2>/dev/null | grep -qxF -- "$option" ||
      echo "the page documents $option for condspec $cmd, which has no such option"
  done <<<"$entries"
  local text
  text="$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$man")"
  for word in $(help_report_formats "$program") $(help_fail_on_levels "$program") \
    $(help_protocols "$program"); do
    grep -qE "^\.B $word( |$)|\\b$word\\b" <<<"$text" || echo "the page never names $word"
  done
}

problems="$(check "$man_source")"
if [ -n "$problems" ]; then
  echo "$man_source does not match the program's --help:" >&2
  echo "$problems" >&2
  exit 1
fi

# The checker must see damage: drop the --jobs entry of run (the .TP and its
# tag line) and add an option list does not have.
damaged="$(mktemp)"
trap 'rm -f "$damaged"' EXIT
awk '
  /^\.TP$/ { held = $0; next }
  held != "" { if ($0 !~ /\\-\\-jobs/) print held ORS $0; held = ""; next }
  /^\.SS "condspec list/ { print; print ".TP"; print ".B \\-\\-no\\-such\\-option"; print "Gone."; next }
  { print }' "$man_source" >"$damaged"
expected="option -j of condspec run is not a .TP entry of its section
option --jobs of condspec run is not a .TP entry of its section
the page documents --no-such-option for condspec list, which has no such option"
found="$(check "$damaged")"
if [ "$found" != "$expected" ]; then
  echo "the checker did not report the damaged page as expected; it said:" >&2
  echo "$found" >&2
  exit 1
fi
if [ -n "$configured" ]; then
  version="$("$program" --version)"
  grep -qxF ".TH CONDSPEC 1 \"\" \"$version\" \"User Commands\"" "$configured" || {
    echo "$configured: its .TH line does not name the program's version ($version):" >&2
    grep '^\.TH' "$configured" >&2
    exit 1
  }
  if command -v groff >/dev/null; then
    warnings="$(groff -man -Tutf8 -ww -z "$configured" 2>&1)"
    [ -z "$warnings" ] || { echo "groff warns about $configured:" >&2; echo "$warnings" >&2; exit 1; }
  else
    echo "groff is not installed: the page was not rendered"
  fi
fi
echo "man page: every subcommand and option of --help is documented"
