#!/usr/bin/env bash
# CI job: the CI templates users copy (docs/ci.md), run as their CI systems
# would run them (ci/templates_test.py executes the composite action's steps
# and the GitLab jobs' scripts, with their variables and inputs set), against
# condspec's built-in reference origin (a passing gate) and a reference
# origin with a fault (`condspec serve --fault`, a failing gate): one job,
# the sharded recipe (shards, then a merge that gates), and a usage error.
# Checks exit codes, step outputs, the job summary and every report file.
# Takes about half a minute on an idle machine; every job is bounded at 2
# minutes.
#
# CONDSPEC: the program to use (default build/condspec, as scripts/test.sh
# builds it; scripts/ci-package.sh runs scripts/run-in-ci.sh once more with
# the installed condspec).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
export CONDSPEC="${CONDSPEC:-$repo/build/condspec}"
[ -x "$CONDSPEC" ] || command -v "$CONDSPEC" >/dev/null || { echo "ci-templates: $CONDSPEC not found" >&2; exit 2; }
python3 -c 'import yaml' 2>/dev/null || { echo "ci-templates: needs python3-yaml (scripts/setup-ci.sh)" >&2; exit 2; }

work="$(mktemp -d /tmp/condspec-ci-templates.XXXXXX)"
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
log="$work/log"
failures=0
fail() { echo "ci-templates: FAIL: $*" >&2; failures=$((failures + 1)); }

# A failing server: the reference origin that ignores If-None-Match.
"$CONDSPEC" serve --fault inm-ignored >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  faulty="$(sed -n 's|^condspec reference origin listening on \(http://[^ ]*\)$|\1|p' "$work/server.out")"
  [ -n "$faulty" ] && break
  sleep 0.05
done
[ -n "$faulty" ] || { cat "$work/server.out" >&2; echo "ci-templates: the faulty origin did not start" >&2; exit 1; }
faulty_url="$faulty/strong"

# Runs a template in its own folder (as a fresh CI job), its output in $log;
# sets $result (the JSON line) and $dir. Usage: job NAME github|gitlab ARGS...
job() {
  local name="$1" kind="$2"
  shift 2
  dir="$work/$name"
  mkdir -p "$dir"
  local template="$repo/action.yml"
  [ "$kind" = gitlab ] && template="$repo/ci/condspec.gitlab-ci.yml"
  (cd "$dir" && timeout 120 python3 "$repo/ci/templates_test.py" "$kind" "$template" "$@") >"$log.$name" 2>&1 ||
    { echo "ci-templates: $name: the template runner failed:" >&2; tail -n 20 "$log.$name" >&2; exit 1; }
  result="$(tail -n 1 "$log.$name")"
}
field() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, r))' "$result" "$1"; }
expect() {  # WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || { fail "$1: expected [$2], got [$3]"; [ -f "$log.${1%%:*}" ] && tail -n 15 "$log.${1%%:*}" >&2; }
}
has_file() {  # WHAT FILE [GREP-PATTERN]
  if [ ! -s "$2" ]; then
    fail "$1: $2 was not written"
  elif [ -n "${3:-}" ] && ! grep -q -- "$3" "$2"; then
    fail "$1: $2 does not contain $3"
  fi
}
valid_junit() {  # WHAT FILE
  if command -v xmllint >/dev/null; then
    xmllint --noout "$2" 2>/dev/null || fail "$1: $2 is not well-formed XML"
  fi
}

# --- docs/ci.md: its examples parse and use only the templates' inputs,
# jobs and variables.
result="$(python3 ci/templates_test.py docs docs/ci.md action.yml ci/condspec.gitlab-ci.yml)"
expect "docs/ci.md: examples" "0 []" "$(field status) $(field problems)"
[ "$(field blocks)" -ge 4 ] || fail "docs/ci.md: expected at least 4 YAML examples, found $(field blocks)"

# --- GitHub Action: a passing gate (the built-in origin), the job summary.
export GITHUB_STEP_SUMMARY
GITHUB_STEP_SUMMARY="$work/summary-pass.md"
job gh-pass github args="--select 13.1.2 -H 'X-Condspec-CI: one two'" artifact-name=condspec
expect "gh-pass: job status" 0 "$(field status)"
expect "gh-pass: exit-code output" 0 "$(field "outputs['exit-code']")"
expect "gh-pass: report-dir output" condspec-report "$(field "outputs['report-dir']")"
expect "gh-pass: uploaded" "['condspec-report']" "$(field uploaded)"
for f in condspec.xml condspec.html condspec.json condspec.md; do has_file gh-pass "$dir/condspec-report/$f"; done
valid_junit gh-pass "$dir/condspec-report/condspec.xml"
has_file gh-pass "$GITHUB_STEP_SUMMARY" "gate passed"
grep -q '<failure' "$dir/condspec-report/condspec.xml" && fail "gh-pass: the JUnit report has a failure"

# --- GitHub Action: a failing gate fails the job, after the upload.
GITHUB_STEP_SUMMARY="$work/summary-fail.md"
job gh-fail github urls="$faulty_url" fail-on=must report-dir=out
expect "gh-fail: job status" 1 "$(field status)"
expect "gh-fail: exit-code output" 1 "$(field "outputs['exit-code']")"
expect "gh-fail: uploaded" "['out']" "$(field uploaded)"
has_file gh-fail "$dir/out/condspec.html"
has_file gh-fail "$dir/out/condspec.xml" "<failure"
valid_junit gh-fail "$dir/out/condspec.xml"
has_file gh-fail "$GITHUB_STEP_SUMMARY" "gate failed"
# The same failure under --fail-on never: reported, the gate passes.
job gh-never github urls="$faulty_url" fail-on=never
expect "gh-never: job status" 0 "$(field status)"

# --- GitHub Action: a usage error is exit 2, and still an output.
job gh-usage github fail-on=sometimes
expect "gh-usage: job status" 2 "$(field status)"
expect "gh-usage: exit-code output" 2 "$(field "outputs['exit-code']")"
unset GITHUB_STEP_SUMMARY

# --- GitHub Action: the sharded recipe. Matrix jobs run shards (never
# failing on the verdict), a merge job gates on the downloaded reports.
for target in pass fail; do
  url=""
  [ "$target" = fail ] && url="$faulty_url"
  mkdir -p "$work/gh-shards-$target"
  for k in 1 2 3; do
    job "gh-shard-$target-$k" github urls="$url" shard="$k/3" artifact-name="condspec-shard-$k" \
      args="--select 13.1"
    expect "gh-shard-$target-$k: job status" 0 "$(field status)"
    has_file "gh-shard-$target-$k" "$dir/condspec-report/condspec-shard-$k-of-3.json"
    # actions/download-artifact with merge-multiple: every shard's files in one folder.
    cp "$dir"/condspec-report/*.json "$work/gh-shards-$target/"
  done
  want=0
  [ "$target" = fail ] && want=1
  job "gh-merge-$target" github merge="$work/gh-shards-$target"
  expect "gh-merge-$target: job status" "$want" "$(field status)"
  has_file "gh-merge-$target" "$dir/condspec-report/condspec.html"
  valid_junit "gh-merge-$target" "$dir/condspec-report/condspec.xml"
done
# A shard missing: the merged run is incomplete, not judged (exit 3).
rm "$work/gh-shards-pass/condspec-shard-2-of-3.json"
job gh-merge-missing github merge="$work/gh-shards-pass"
expect "gh-merge-missing: job status" 3 "$(field status)"

# --- GitLab: one job; its JUnit report is where artifacts:reports:junit says.
job gl-pass gitlab .condspec CONDSPEC_SOURCE="$repo" CONDSPEC_ARGS="--select 13.1.2"
expect "gl-pass: job status" 0 "$(field status)"
expect "gl-pass: junit report" condspec-report/condspec.xml "$(field junit)"
has_file gl-pass "$dir/condspec-report/condspec.xml" "<testcase"
valid_junit gl-pass "$dir/condspec-report/condspec.xml"
has_file gl-pass "$dir/condspec-report/condspec.html"
job gl-fail gitlab .condspec CONDSPEC_SOURCE="$repo" CONDSPEC_URLS="$faulty_url"
expect "gl-fail: job status" 1 "$(field status)"
has_file gl-fail "$dir/condspec-report/condspec.xml" "<failure"

# --- GitLab: a job that fetches condspec's scripts with git, as from a
# mirror (a local clone of this commit stands in for it).
if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
  git clone -q --no-checkout "$repo" "$work/mirror"
  git -C "$work/mirror" branch -q condspec-ci-test "$(git -C "$repo" rev-parse HEAD)"
  job gl-clone gitlab .condspec CONDSPEC_SOURCE="$work/gl-clone/source" \
    CONDSPEC_GIT_URL="file://$work/mirror" CONDSPEC_GIT_REF=condspec-ci-test CONDSPEC_ARGS="--select 13.1.2"
  expect "gl-clone: job status" 0 "$(field status)"
  [ -x "$dir/source/scripts/run-in-ci.sh" ] || fail "gl-clone: the job did not clone condspec"
  has_file gl-clone "$dir/condspec-report/condspec.xml" "<testcase"
else
  echo "ci-templates: $repo is not a git checkout: the GitLab clone step is not tested"
fi

# --- GitLab: parallel shard jobs (CI_NODE_INDEX/CI_NODE_TOTAL), then the
# merge job, which finds their artifacts in the same folder.
mkdir -p "$work/gl-merge/condspec-report"
for k in 1 2 3 4; do
  CI_NODE_INDEX=$k CI_NODE_TOTAL=4 job "gl-shard-$k" gitlab .condspec-shard \
    CONDSPEC_SOURCE="$repo" CONDSPEC_URLS="$faulty_url" CONDSPEC_ARGS="--select 13.1"
  expect "gl-shard-$k: job status" 0 "$(field status)"
  expect "gl-shard-$k: junit report" None "$(field junit)"
  expect "gl-shard-$k: parallel" 4 "$(field parallel)"
  cp "$dir"/condspec-report/condspec-shard-*.json "$work/gl-merge/condspec-report/"
done
job gl-merge gitlab .condspec-merge CONDSPEC_SOURCE="$repo"
expect "gl-merge: job status" 1 "$(field status)"
has_file gl-merge "$dir/condspec-report/condspec.xml" "<failure"

if [ "$failures" -gt 0 ]; then
  echo "ci-templates: $failures check(s) failed (logs of each job were in $work)" >&2
  exit 1
fi
echo "ci-templates: GitHub Action and GitLab template: gates pass and fail as condspec says, reports in place"
