#!/usr/bin/env python3
"""The published JSON Schemas (docs/schema/) against what they describe:
real JSON reports of the program (a run with failures, an unusable target, a
shard, a merge, an HTTP/2 run, a cache run), every shipped case file and the shipped catalog. Each schema
must also reject a broken document, so the checks can fail.

Usage: schema_test.py PROGRAM SOURCE_DIR
Needs python3-jsonschema and python3-yaml (scripts/setup-ci.sh installs
them); without them the test is skipped (exit 77), unless
CONDSPEC_REQUIRE_REPORT_TOOLS=1, where that is a failure.
"""
import copy
import glob
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

try:
    import jsonschema
    import yaml
except ImportError as missing:
    if os.environ.get("CONDSPEC_REQUIRE_REPORT_TOOLS") == "1":
        sys.exit(f"schema_test: {missing.name} is required here but absent")
    print(f"schema_test: skipped, {missing.name} is not installed (scripts/setup-ci.sh installs it)")
    sys.exit(77)

program, source = sys.argv[1], sys.argv[2]
schemas = {name: json.load(open(os.path.join(source, "docs", "schema", name + ".schema.json")))
           for name in ("report", "case-file", "requirements")}
problems = []


def validate(kind, document, what):
    validator = jsonschema.Draft202012Validator(schemas[kind])
    for error in validator.iter_errors(document):
        problems.append(f"{what}: {list(error.absolute_path)}: {error.message[:200]}")


def rejects(kind, document, what):
    if jsonschema.Draft202012Validator(schemas[kind]).is_valid(document):
        problems.append(f"the {kind} schema accepts {what}")


for schema in schemas.values():
    jsonschema.Draft202012Validator.check_schema(schema)

with tempfile.TemporaryDirectory() as work:
    def report(name, *args):
        path = os.path.join(work, name)
        subprocess.run([program, *args, "--report", "json=" + path, "--quiet"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        return json.load(open(path))

    origin = subprocess.Popen([program, "serve", "--fault", "inm-first-tag-only",
                               "--fault", "gzip-without-vary"], stdout=subprocess.PIPE, text=True)
    try:
        line = origin.stdout.readline()
        base = line[line.index("http://"):].split()[0].rstrip(".")
        url = base + "/strong"
        reports = {
            "a run with failures": report("fail.json", "run", url, base + "/weak"),
            "an unusable target": report("unusable.json", "run", "http://127.0.0.1:9/x"),
            "shard 1/2": report("1.json", "run", url, "--shard", "1/2"),
        }
        report("2.json", "run", url, "--shard", "2/2")
        reports["a merge"] = report("merged.json", "merge", os.path.join(work, "1.json"),
                                    os.path.join(work, "2.json"))
    finally:
        origin.terminate()
        origin.wait(timeout=10)
    # An HTTP/2 run (h2c) with a failure of an RFC 9113 requirement: the
    # exchanges carry frames, and the result names RFC 9113.
    origin = subprocess.Popen([program, "serve", "--protocol", "h2c", "--fault",
                               "h2-connection-field"], stdout=subprocess.PIPE, text=True)
    try:
        line = origin.stdout.readline()
        base = line[line.index("http://"):].split()[0].rstrip(".")
        reports["an HTTP/2 run"] = report("h2c.json", "run", "--protocol", "h2c",
                                          base + "/strong")
    finally:
        origin.terminate()
        origin.wait(timeout=10)
    # A cache run: the reference cache in front of condspec as the origin.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        origin_port = probe.getsockname()[1]
    cache = subprocess.Popen([program, "serve-cache", "--upstream",
                              f"http://127.0.0.1:{origin_port}"],
                             stdout=subprocess.PIPE, text=True)
    try:
        line = cache.stdout.readline()
        cache_url = line[line.index("http://"):].split()[0].rstrip(",.")
        reports["a cache run"] = report("cache.json", "cache", cache_url + "/", "--origin-listen",
                                        f"127.0.0.1:{origin_port}")
    finally:
        cache.terminate()
        cache.wait(timeout=10)
    for what, document in reports.items():
        validate("report", document, "the JSON report of " + what)
    cache_run = reports["a cache run"]
    if cache_run["cache"] is None or not any(
            e["hop"] == "upstream" for t in cache_run["targets"] for r in t["results"]
            for e in r["exchanges"]):
        problems.append("the cache run shows no upstream exchange: the hop check proves little")
    h2_run = reports["an HTTP/2 run"]
    h2_results = [r for t in h2_run["targets"] for r in t["results"]]
    if not any(t["protocol"] == "h2c" for t in h2_run["targets"]) or not any(
            e["frames"] for r in h2_results for e in r["exchanges"]):
        problems.append("the HTTP/2 run shows no h2c target with frames: it proves little")
    if not any(r["rfc"] == "9113" and r["outcome"] == "fail" for r in h2_results):
        problems.append("the HTTP/2 run has no RFC 9113 failure: it proves little")
    broken = copy.deepcopy(h2_run)
    broken["targets"][0]["results"][0]["rfc"] = "RFC 9113"
    rejects("report", broken, "a result whose rfc is not a number")
    broken = copy.deepcopy(cache_run)
    broken["targets"][0]["results"][0]["exchanges"][0]["hop"] = "sideways"
    rejects("report", broken, "an exchange of an unknown hop")
    handled = [r for t in cache_run["targets"] for r in t["results"] if "handling" in r]
    if not handled or not any("connection" in e for r in handled for e in r["exchanges"]):
        problems.append("the cache run shows no handling with upstream connections: the "
                        "handling check proves little")
    else:
        broken = copy.deepcopy(cache_run)
        next(r for t in broken["targets"] for r in t["results"]
             if "handling" in r)["handling"]["kind"] = "mended"
        rejects("report", broken, "a handling of an unknown kind")
    if not any(r["outcome"] == "fail" for t in reports["a run with failures"]["targets"]
               for r in t["results"]):
        problems.append("the run with failures has no failure: the report check proves little")
    broken = copy.deepcopy(reports["a run with failures"])
    del broken["targets"]
    rejects("report", broken, "a report without targets")
    broken = copy.deepcopy(reports["a run with failures"])
    broken["started_at"] = "Sun, 06 Dec 2026 10:56:34 GMT"
    rejects("report", broken, "an IMF-fixdate started_at (RFC 3339 is promised)")

case_files = sorted(glob.glob(os.path.join(source, "cases", "*.yaml")) +
                    glob.glob(os.path.join(source, "cases", "cache", "*.yaml")))
if len(case_files) < 10:
    problems.append(f"only {len(case_files)} shipped case files found")
for path in case_files:
    document = yaml.safe_load(open(path))
    kind = "requirements" if path.endswith("requirements.yaml") else "case-file"
    validate(kind, document, path)
    if kind == "case-file":
        broken = copy.deepcopy(document)
        broken["scenarios"][0]["stepz"] = []
        rejects(kind, broken, path + " with an unknown scenario key")
rejects("case-file", {"section": "13.1.2", "title": "t", "scenarios": [{"id": "s", "title": "t",
        "steps": [{"id": "a", "expect": [{"requirement": "9110-13.1.2-x",
                                          "field": {"name": "ETag", "means": "is short"}}]}]}]},
        "'means' without 'matches'")
rejects("requirements", {"requirements": [{"id": "9110-1-x", "rfc": "9110", "section": "1",
                                           "level": "OUGHT", "summary": "s", "link": "https://x"}]},
        "an unknown level")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"schema_test: {len(reports)} reports and {len(case_files)} case files valid")
