#!/usr/bin/env bash
# The shell steps of condspec's CI templates: the GitHub Action (action.yml)
# and the GitLab CI template (ci/condspec.gitlab-ci.yml) both call this
# script, and scripts/ci-templates.sh tests it with their variables set.
# docs/ci.md explains every variable.
#
# It finds condspec (CONDSPEC, else `condspec` on PATH, else builds this
# checkout with scripts/build.sh), runs it on CONDSPEC_URLS (or merges the
# shards' JSON reports in CONDSPEC_MERGE), writes JUnit, HTML, JSON and
# Markdown reports into CONDSPEC_REPORT_DIR, and exits with condspec's exit
# code: the gate. Under GitHub Actions the Markdown report is the job
# summary ($GITHUB_STEP_SUMMARY) and `exit-code` and `report-dir` are step
# outputs ($GITHUB_OUTPUT).
#
#   CONDSPEC_URLS        URLs to test, separated by spaces or newlines; empty:
#                        condspec's built-in reference origin (a try-out)
#   CONDSPEC_ARGS        more arguments for `condspec run`, quoted as in a
#                        shell: --select 13.1 -H "Authorization: Bearer $TOKEN"
#                        (quotes are honoured, nothing is expanded)
#   CONDSPEC_FAIL_ON     must (default), should or never
#   CONDSPEC_REPORT_DIR  where the reports go (default condspec-report)
#   CONDSPEC_SHARD       K/N: run shard K of N, for a later merge job; "auto":
#                        GitLab's parallel: jobs (CI_NODE_INDEX/CI_NODE_TOTAL).
#                        A shard job leaves the verdict to the merge job: it
#                        fails only when condspec could not run (exit 2).
#   CONDSPEC_MERGE       a folder of shard reports (condspec-shard-*.json):
#                        merge them instead of running, and gate on the result
#   CONDSPEC             the condspec program to use
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"
report_dir="${CONDSPEC_REPORT_DIR:-condspec-report}"
fail_on="${CONDSPEC_FAIL_ON:-must}"
shard="${CONDSPEC_SHARD:-}"
merge="${CONDSPEC_MERGE:-}"

status=2
# Whatever happens, a GitHub step gets its outputs (the action's last step
# fails the job with exit-code, after the reports were uploaded).
publish() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
      echo "exit-code=$status"
      echo "report-dir=$report_dir"
    } >>"$GITHUB_OUTPUT"
  fi
}
trap publish EXIT
say() { echo "condspec-ci: $*"; }
die() {
  echo "condspec-ci: $*" >&2
  exit 2
}

case "$fail_on" in must | should | never) ;; *) die "CONDSPEC_FAIL_ON='$fail_on': expected must, should or never" ;; esac
if [ "$shard" = auto ]; then
  [ -n "${CI_NODE_INDEX:-}" ] && [ -n "${CI_NODE_TOTAL:-}" ] ||
    die "CONDSPEC_SHARD=auto needs GitLab's parallel: (CI_NODE_INDEX and CI_NODE_TOTAL)"
  shard="$CI_NODE_INDEX/$CI_NODE_TOTAL"
fi
[ -z "$shard" ] || [[ "$shard" =~ ^[0-9]+/[0-9]+$ ]] || die "CONDSPEC_SHARD='$shard': expected K/N, e.g. 2/4"
[ -z "$shard" ] || [ -z "$merge" ] || die "CONDSPEC_SHARD and CONDSPEC_MERGE exclude each other"

# The program: given, installed, or built from this checkout.
condspec="${CONDSPEC:-}"
if [ -z "$condspec" ]; then
  if command -v condspec >/dev/null; then
    condspec="$(command -v condspec)"
  else
    say "condspec is not installed: building it from $checkout"
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
      sudo "$checkout/scripts/setup.sh"  # Debian packages; a no-op when present
    fi
    "$checkout/scripts/build.sh"
    condspec="$checkout/build/condspec"
  fi
fi
[ -x "$condspec" ] || command -v "$condspec" >/dev/null || die "CONDSPEC='$condspec' is not a program"
say "using $("$condspec" --version) ($condspec)"

# Arguments: the URLs split at white space; CONDSPEC_ARGS split as a shell
# would, without expanding anything (xargs honours quotes and backslashes).
urls=()
read -r -d '' -a urls <<<"${CONDSPEC_URLS:-}" || true
extra=()
if [ -n "${CONDSPEC_ARGS:-}" ]; then
  parsed="$(xargs -r printf '%s\n' <<<"$CONDSPEC_ARGS" 2>/dev/null)" ||
    die "CONDSPEC_ARGS: unbalanced quotes in: $CONDSPEC_ARGS"
  [ -z "$parsed" ] || mapfile -t extra <<<"$parsed"
fi

mkdir -p "$report_dir"
if [ -n "$shard" ]; then
  # A shard writes its JSON report only, named so that the shards' reports
  # can share one folder; the merge job writes the others.
  json="$report_dir/condspec-shard-${shard%/*}-of-${shard#*/}.json"
  reports=(--report "json=$json")
else
  json="$report_dir/condspec.json"
  reports=(--report "junit=$report_dir/condspec.xml" --report "html=$report_dir/condspec.html"
           --report "json=$json" --report "markdown=$report_dir/condspec.md")
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    reports+=(--report "markdown=$GITHUB_STEP_SUMMARY")
  fi
fi

if [ -n "$merge" ]; then
  shopt -s nullglob
  shards=("$merge"/condspec-shard-*.json)
  shopt -u nullglob
  [ ${#shards[@]} -gt 0 ] || die "CONDSPEC_MERGE: no condspec-shard-*.json in $merge"
  command=("$condspec" merge "${shards[@]}" --fail-on "$fail_on" "${reports[@]}" "${extra[@]}")
else
  command=("$condspec" run "${urls[@]}" --fail-on "$fail_on" "${reports[@]}" "${extra[@]}")
  [ -z "$shard" ] || command+=(--shard "$shard")
fi

status=0
"${command[@]}" || status=$?
case "$status" in
  0) verdict="gate passed" ;;
  1) verdict="gate failed" ;;
  2) verdict="usage or case-file error, or a report could not be written" ;;
  3) verdict="not judged (a target unusable, a scenario in error, or nothing applied)" ;;
  *) verdict="condspec ended abnormally" ;;
esac
say "exit $status: $verdict; reports in $report_dir/"
if [ -n "$shard" ] && [ "$status" != 2 ] && [ -f "$json" ]; then
  say "shard $shard: the verdict is the merge job's"
  status=0
fi
exit "$status"
