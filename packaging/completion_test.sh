#!/usr/bin/env bash
# Test: the bash completion (condspec.bash) is registered for `condspec` and,
# driven as bash drives it (COMP_WORDS, COMP_CWORD), offers every subcommand
# and every option that `condspec --help` and `condspec COMMAND --help` print
# and no other, the report formats, --fail-on levels and --protocol names of
# `run --help`, file names after FORMAT=, and the scenario, requirement and fault names of the
# program (of the --cases folder given). The same checks run on a damaged
# copy of the completion must fail, so they can fail.
#
# Usage: completion_test.sh PROGRAM COMPLETION_FILE SOURCE_CASES_DIR
set -euo pipefail
program="$(realpath "$1")"
completion="$(realpath "$2")"
source_cases="$(realpath "$3")"
source "$(dirname "$0")/help_options.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# What the completion offers for WORDS... (the last one is being completed),
# one a line, sorted. Runs in a fresh non-interactive bash with the file
# sourced, as bash-completion sources it.
offers() {  # COMPLETION_FILE WORD...
  local file="$1"
  shift
  bash --norc --noprofile -c '
    source "$1" || exit 1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    _condspec "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$file" "$program" "$@" | sed '/^$/d' | sort
}

sorted() { printf '%s\n' "$@" | sed '/^$/d' | sort; }

# Prints one line per problem; nothing when the completion is right.
check() {  # COMPLETION_FILE
  local file="$1" cmd got want
  expect() {  # WHAT WANT GOT
    [ "$2" = "$3" ] || printf '%s: expected [%s], got [%s]\n' "$1" "$(echo $2)" "$(echo $3)"
  }
  contains() {  # WHAT NEEDLE GOT
    grep -qxF -- "$2" <<<"$3" || printf '%s: %s is not offered\n' "$1" "$2"
  }

  got="$(bash --norc --noprofile -c 'source "$1"; complete -p condspec' _ "$file")"
  expect "registration" "complete -F _condspec condspec" "$got"

  want="$(sorted $(help_subcommands "$program") $(help_options "$program"))"
  got="$(offers "$file" "")"
  expect "condspec <TAB>" "$(grep -v '^-h$' <<<"$want")" "$got"

  for cmd in $(help_subcommands "$program"); do
    want="$(sorted $(help_options "$program" "$cmd"))"
    got="$(offers "$file" "$cmd" -)"
    expect "condspec $cmd -<TAB>" "$want" "$got"
  done

  want="$(sorted $(help_report_formats "$program" | sed 's/$/=/'))"
  expect "run --report <TAB>" "$want" "$(offers "$file" run --report "")"
  expect "merge --report <TAB>" "$want" "$(offers "$file" merge --report "")"
  expect "run --report ma<TAB>" "markdown=" "$(offers "$file" run --report ma)"
  want="$(sorted $(help_fail_on_levels "$program"))"
  expect "run --fail-on <TAB>" "$want" "$(offers "$file" run --fail-on "")"
  expect "run --fail-on=<TAB>" "$want" "$(offers "$file" run --fail-on =)"
  expect "merge --fail-on=sh<TAB>" "should" "$(offers "$file" merge --fail-on = sh)"
  want="$(sorted $(help_protocols "$program"))"
  expect "run --protocol <TAB>" "$want" "$(offers "$file" run --protocol "")"
  expect "run --protocol h2<TAB>" "$(sorted h2 h2c)" "$(offers "$file" run --protocol h2)"

  # File names after FORMAT=, however bash split the word.
  expect "run --report json=<TAB>" "$(sorted out.json out.xml)" \
    "$(cd "$work/files" && offers "$file" run --report json =)"
  expect "run --report html=out.x<TAB>" "out.xml" \
    "$(cd "$work/files" && offers "$file" run --report html = out.x)"
  expect "run --report junit=out.x<TAB> (no = break)" "junit=out.xml" \
    "$(cd "$work/files" && offers "$file" run --report junit=out.x)"
  expect "merge <TAB>" "out.json" "$(cd "$work/files" && offers "$file" merge "")"

  got="$(offers "$file" run --select inm-current-)"
  contains "run --select inm-current-<TAB>" inm-current-strong-tag "$got"
  expect "run --select inm-current-<TAB> (prefix)" "" "$(grep -v '^inm-current-' <<<"$got")"
  contains "run --skip im-<TAB>" im-other-tag-412 "$(offers "$file" run --skip im-)"
  got="$(offers "$file" explain 9110-13.1.2-)"
  contains "explain 9110-13.1.2-<TAB>" 9110-13.1.2-weak-compare "$got"
  contains "explain inm-current-<TAB>" inm-current-strong-tag "$(offers "$file" explain inm-current-)"
  # The ids of the --cases folder on the line (with --no-default-cases, not
  # those of the shipped cases; without it, both).
  got="$(offers "$file" explain --no-default-cases --cases "$work/cases" im-)"
  expect "explain --no-default-cases --cases DIR im-<TAB>" "" "$got"
  contains "explain --no-default-cases --cases DIR inm-<TAB>" inm-current-strong-tag \
    "$(offers "$file" explain --no-default-cases --cases "$work/cases" inm-)"
  contains "explain --cases DIR im-<TAB>" im-other-tag-412 \
    "$(offers "$file" explain --cases "$work/own" im-)"
  got="$(offers "$file" serve --fault inm-star-ig)"
  expect "serve --fault inm-star-ig<TAB>" "inm-star-ignored" "$got"
  expect "run --jobs <TAB>" "" "$(offers "$file" run --jobs "")"
}

mkdir -p "$work/files" "$work/cases" "$work/own"
touch "$work/files/out.json" "$work/files/out.xml"
# A cases folder with the If-None-Match scenarios only (no If-Match ones).
cp "$source_cases/requirements.yaml" "$source_cases"/9110-13.1.2-*.yaml "$work/cases/"
"$program" lint --no-default-cases --cases "$work/cases" >/dev/null

problems="$(check "$completion")"
if [ -n "$problems" ]; then
  echo "$completion does not complete as the program's --help says:" >&2
  echo "$problems" >&2
  exit 1
fi

# The checks must see damage: run without --jobs, list with an option the
# program does not have.
sed -e 's/ --jobs -j / /' -e 's/list) options="--cases /list) options="--cases --no-such-option /' \
  "$completion" >"$work/damaged.bash"
found="$(check "$work/damaged.bash")"
if ! grep -q '^condspec run -<TAB>: ' <<<"$found" || ! grep -q '^condspec list -<TAB>: ' <<<"$found" ||
  [ "$(wc -l <<<"$found")" -ne 2 ]; then
  echo "the checks did not report the damaged completion as expected; they said:" >&2
  echo "$found" >&2
  exit 1
fi
echo "bash completion: every subcommand, option and value of --help is offered"
