#!/usr/bin/env bash
# Test: the zsh completion (_condspec), loaded by compinit from its folder
# and driven in a real interactive zsh (zsh_complete.zsh), offers every
# subcommand and option that `condspec --help` and `condspec COMMAND --help`
# print and no other, the report formats, --fail-on levels and --protocol
# names, file names
# after FORMAT=, and the program's scenario, requirement and fault names (of
# the --cases folder given). The same checks on a damaged copy must fail.
# Without zsh the test is skipped (exit 77), unless CONDSPEC_REQUIRE_ZSH=1
# (CI: scripts/ci-package.sh).
#
# Usage: zsh_completion_test.sh PROGRAM COMPLETION_FILE SOURCE_CASES_DIR
set -euo pipefail
program="$(realpath "$1")"
completion="$(realpath "$2")"
source_cases="$(realpath "$3")"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/help_options.sh"
if ! command -v zsh >/dev/null; then
  [ "${CONDSPEC_REQUIRE_ZSH:-}" = 1 ] && { echo "zsh is not installed" >&2; exit 1; }
  echo "zsh is not installed: skipped"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The program is reached as `condspec` on PATH, as when installed.
mkdir -p "$work/bin" "$work/files" "$work/cases" "$work/good" "$work/damaged"
ln -s "$program" "$work/bin/condspec"
touch "$work/files/out.json" "$work/files/out.xml"
cp "$source_cases/requirements.yaml" "$source_cases"/9110-13.1.2-*.yaml "$work/cases/"
cp "$completion" "$work/good/_condspec"

offers() {  # FUNCTION_DIR LINE
  (cd "$work/files" && timeout 30 zsh -f "$here/zsh_complete.zsh" "$1" "$work/bin" "$2") | sed '/^$/d'
}
sorted() { printf '%s\n' "$@" | sed '/^$/d' | sort -u; }

expect() {  # WHAT WANT GOT
  [ "$2" = "$3" ] || printf '%s: expected [%s], got [%s]\n' "$1" "$(echo $2)" "$(echo $3)"
}

check_options() {  # FUNCTION_DIR
  local dir="$1" cmd
  expect "condspec <TAB>" "$(sorted $(help_subcommands "$program"))" "$(offers "$dir" "condspec ")"
  expect "condspec -<TAB>" "$(help_options "$program" | sort)" "$(offers "$dir" "condspec -")"
  for cmd in $(help_subcommands "$program"); do
    expect "condspec $cmd -<TAB>" "$(help_options "$program" "$cmd" | sort)" \
      "$(offers "$dir" "condspec $cmd -")"
  done
}

check_values() {  # FUNCTION_DIR
  local dir="$1"
  expect "run --report <TAB>" "$(help_report_formats "$program" | sort)" \
    "$(offers "$dir" "condspec run --report ")"
  expect "merge --report json=<TAB>" "$(sorted out.json out.xml)" \
    "$(offers "$dir" "condspec merge --report json=")"
  expect "run --fail-on <TAB>" "$(help_fail_on_levels "$program" | sort)" \
    "$(offers "$dir" "condspec run --fail-on ")"
  expect "merge --fail-on=sh<TAB>" "should" "$(offers "$dir" "condspec merge --fail-on=sh")"
  expect "run --protocol <TAB>" "$(help_protocols "$program" | sort)" \
    "$(offers "$dir" "condspec run --protocol ")"
  expect "serve --fault inm-star-ig<TAB>" "inm-star-ignored" \
    "$(offers "$dir" "condspec serve --fault inm-star-ig")"
  expect "explain 9110-13.1.2-w<TAB>" "9110-13.1.2-weak-compare" \
    "$(offers "$dir" "condspec explain 9110-13.1.2-w")"
  expect "run --select inm-current-strong-tag-h<TAB>" "inm-current-strong-tag-head" \
    "$(offers "$dir" "condspec run --select inm-current-strong-tag-h")"
  # The ids of the --cases folder on the line: it has no If-Match scenarios.
  expect "explain im-ot<TAB>" "im-other-tag-412" "$(offers "$dir" "condspec explain im-ot")"
  expect "explain --no-default-cases --cases DIR im-ot<TAB>" "" \
    "$(offers "$dir" "condspec explain --no-default-cases --cases $work/cases im-ot")"
}

problems="$(check_options "$work/good"; check_values "$work/good")"
if [ -n "$problems" ]; then
  echo "$completion does not complete as the program's --help says:" >&2
  echo "$problems" >&2
  exit 1
fi
# Damage: run loses --jobs, list gains an option the program does not have.
sed -e "/{-j+,--jobs=}/d" -e "s/'--scenarios\[only scenarios\]'/'--scenarios[only scenarios]' '--no-such-option[x]'/" \
  "$completion" >"$work/damaged/_condspec"
found="$(check_options "$work/damaged")"
if [ "$(grep -c . <<<"$found")" -ne 2 ] || ! grep -q '^condspec run -<TAB>' <<<"$found" ||
  ! grep -q '^condspec list -<TAB>' <<<"$found"; then
  echo "the checks did not report the damaged completion as expected; they said:" >&2
  echo "$found" >&2
  exit 1
fi
echo "zsh completion: every subcommand, option and value of --help is offered"
