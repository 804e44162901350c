#!/usr/bin/env python3
"""Writes the caches' compatibility matrix (docs/compatibility-caches.md) from
`condspec cache` JSON reports, one per cache.

scripts/compatibility-caches.sh runs the caches and calls it; tested by
scripts/cache-matrix-test.py (ctest: scripts.cache_matrix) on hand-made
reports. Needs python3-yaml.

    cache-matrix.py REPO CACHES_TSV CONDSPEC_VERSION > docs/compatibility-caches.md

CACHES_TSV: one line per cache of `scripts/real-caches.sh list`, in its
order: name, the JSON report of its run (empty: not installed), its version.
The catalog is REPO/cases/cache/requirements.yaml with the catalog it
extends; each cache's expected verdicts, REPO/tests/real-caches/NAME.yaml.
"""
import json
import os
import re
import sys

import yaml

# The engine's order (src/engine/outcome.h): a requirement a check failed is
# failed, whatever another check of it could not judge (the content of a
# response whose head or framing broke it).
SEVERITY = {"not_applicable": -1, "pass": 0, "info": 1, "warn": 2, "error": 3, "fail": 4}
SYMBOL = {"pass": "✅ pass", "fail": "❌ fail", "warn": "⚠️ warn", "info": "ℹ️ info",
          "not_applicable": "n/a", "error": "💥 error"}
DEVIATING = ("fail", "warn", "info", "error")


def load_catalog(repo):
    """Requirement id -> row, the cache catalog and the one it extends."""
    path = os.path.join(repo, "cases", "cache", "requirements.yaml")
    document = yaml.safe_load(open(path))
    rows = {}
    if document.get("extends"):
        base = os.path.normpath(os.path.join(os.path.dirname(path), document["extends"]))
        rows.update({r["id"]: r for r in yaml.safe_load(open(base))["requirements"]})
    rows.update({r["id"]: r for r in document["requirements"]})
    return rows


def verdicts(target):
    """Per requirement: the worst outcome, the scenarios that deviate, and the
    first scenario result that deviates (for its exchanges)."""
    worst, scenarios, first = {}, {}, {}
    for result in target["results"]:
        for check in result["checks"]:
            q = check["requirement"]
            if q not in worst or SEVERITY[check["outcome"]] > SEVERITY[worst[q]]:
                worst[q] = check["outcome"]
            if check["outcome"] in DEVIATING:
                scenarios.setdefault(q, [])
                if result["scenario"] not in scenarios[q]:
                    scenarios[q].append(result["scenario"])
                first.setdefault(q, result)
    return worst, scenarios, first


def anchor(*parts):
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")


def escape(text):
    return text.replace("|", "\\|")


def section_key(catalog, q):
    row = catalog[q]
    return (row["rfc"], [int(x) for x in row["section"].split(".")], q)


def exchange_lines(result):
    """The exchanges of one scenario result, as the expected-verdict files
    show them: `# step ID (hop)`, the request, the response head with `< `
    (for a failed exchange, the bytes received, then the error)."""
    lines = []
    for e in result["exchanges"]:
        if e.get("follow_up"):
            continue
        lines.append(f"# step {e['step']} ({e.get('hop', 'client')})")
        lines.append(e["request"].replace("\r\n", "\n").rstrip("\n"))
        head = e.get("response_head")
        received = e.get("received") or ""
        if not head and received:
            # A failed exchange: the bytes that came are its evidence (a head
            # whose chunks are not chunks, say), then what went wrong.
            lines.append("\n".join("< " + l if l else "<" for l in printable(received).split("\n")))
            lines.append(f"({e.get('error', '')})")
            continue
        head = head or ("error: " + e.get("error", ""))
        lines.append("\n".join("< " + l for l in head.replace("\r\n", "\n").rstrip("\n").split("\n")))
    return lines


def printable(received, limit=1024):
    """Bytes received, as lines: CR LF and LF end lines, other control
    characters as \\xNN, at most `limit` characters."""
    text = received[:limit].replace("\r\n", "\n").rstrip("\n")
    text = "".join(c if c == "\n" or c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text + ("\n[...]" if len(received) > limit else "")


def read_columns(repo, tsv):
    columns = []
    for line in open(tsv):
        name, report, version = (line.rstrip("\n").split("\t") + ["", ""])[:3]
        expected = yaml.safe_load(open(os.path.join(repo, "tests", "real-caches", name + ".yaml")))
        column = {"name": name, "version": version, "expected": expected, "run": None,
                  "handling": {}}
        if report:
            targets = json.load(open(report))["targets"]
            if len(targets) != 1:
                raise SystemExit(f"cache-matrix: {report}: one target expected, found {len(targets)}")
            if targets[0].get("unusable"):
                raise SystemExit(f"cache-matrix: {name} was unusable: {targets[0]['unusable']}")
            column["run"] = verdicts(targets[0])
            column["handling"] = {r["scenario"]: r["handling"] for r in targets[0]["results"]
                                  if r.get("handling")}
        columns.append(column)
    return columns


def render(repo, columns, condspec_version):
    catalog = load_catalog(repo)
    rows = set()
    for c in columns:
        if c["run"]:
            rows.update(c["run"][0])
    out = []
    w = out.append
    w("# Compatibility matrix: caches\n")
    w("How widely used caches, with their defaults, answer condspec's cache scenarios "
      "(`condspec cache`, [cache.md](cache.md)). **Generated** by "
      f"`scripts/compatibility-caches.sh` ({condspec_version}); do not edit by hand. The "
      "same runs as condspec's own HTML report: "
      "[compatibility-caches.html](compatibility-caches.html). Origin servers have their "
      "own matrix: [compatibility.md](compatibility.md).\n")
    w("Each cache runs on 127.0.0.1 with its own small config from "
      "[tests/real-caches/config/](../tests/real-caches/config/) in front of the origin "
      "`condspec cache` opens, and is judged on what it sent the origin (`upstream`) and "
      "what the client got (`client`). A cell is the worst check of that requirement over "
      "all scenarios judging it. Every deviation was read against RFC 9111 and RFC 9110 and "
      "is recorded, with why and the exchange that shows it, in "
      "`tests/real-caches/<cache>.yaml`; the end-to-end test "
      "([tests/real_caches_test.cpp](../tests/real_caches_test.cpp)) fails when condspec's "
      "verdict changes, or when two runs in a row against the same warm cache disagree.\n")
    w("## Caches\n")
    w("| cache | version | configuration |")
    w("|---|---|---|")
    for c in columns:
        description = " ".join(c["expected"].get("description", "").split())
        version = c["version"] if c["run"] else "*not installed when generated*"
        w(f"| `{c['name']}` | {version} | {escape(description)} |")
    w("")
    w("Legend: ✅ pass · ❌ fail (MUST) · ⚠️ warn (SHOULD) · ℹ️ info (MAY) · n/a: no "
      "scenario applies · 💥 error † → V: the scenario judging it ends in error on this "
      "cache, where the RFC's verdict is V (a pending entry of its expected-verdict file, "
      "linked; counted as n/a in the summary).\n")
    w("## Summary\n")
    w("| cache | ❌ fail | ⚠️ warn | ✅ pass | n/a |")
    w("|---|---|---|---|---|")
    for c in columns:
        if not c["run"]:
            continue
        worst = c["run"][0]
        count = lambda o: sum(1 for q in rows if worst.get(q, "not_applicable") == o)
        w(f"| `{c['name']}` | {count('fail')} | {count('warn')} | {count('pass')} | "
          f"{count('not_applicable')} |")
    w("")
    w("## Matrix\n")
    w("| requirement | level | " + " | ".join(f"`{c['name']}`" for c in columns) + " |")
    w("|---|---|" + "---|" * len(columns))
    for q in sorted(rows, key=lambda q: section_key(catalog, q)):
        cells = []
        for c in columns:
            if not c["run"]:
                cells.append("–")
                continue
            got = c["run"][0].get(q, "not_applicable")
            erring = {p["requirement"]: p for p in c["expected"].get("pending") or []
                      if p.get("condspec_says") == "error"}
            if got == "not_applicable" and q in erring:
                # A scenario that ends in error judges nothing: its pending
                # entry says which verdict RFC calls for.
                p = erring[q]
                cells.append(f"[{SYMBOL['error']} † → {p['expect']}]"
                             f"(../tests/real-servers/DISAGREEMENTS.md#{p['disagreement'].lower()})")
                continue
            cells.append(f"[{SYMBOL[got]}](#{anchor(c['name'], q)})" if got in DEVIATING
                         else SYMBOL[got])
        w(f"| [{q}]({catalog[q]['link']}) | {catalog[q]['level']} | " + " | ".join(cells) + " |")
    w("")
    handled = sorted({s for c in columns for s in c["handling"]})
    if handled:
        w("## Broken origins: how each cache handled them\n")
        w("The handling of each broken-origin scenario ([cache.md](cache.md#broken-origins-how-"
          "the-cache-handled-them)): passed-through, repaired, refetched or damaged, with the "
          "evidence condspec gives; recorded and compared in the same expected-verdict files.\n")
        w("| scenario | " + " | ".join(f"`{c['name']}`" for c in columns) + " |")
        w("|---|" + "---|" * len(columns))
        for s in handled:
            cells = []
            for c in columns:
                h = c["handling"].get(s)
                cells.append(f"**{h['kind']}**: {escape(h['detail'])}" if h else "–")
            w(f"| `{s}` | " + " | ".join(cells) + " |")
        w("")
    w("## Deviations, with their evidence\n")
    w("Each entry: the requirement, why the cache's behaviour breaks it (from the "
      "expected-verdict file), and the exchanges condspec recorded in this run for the first "
      "scenario that shows it: each request, then the response head (`<`), the client's and "
      "the upstream ones.\n")
    for c in columns:
        if not c["run"]:
            continue
        worst, scenarios, first = c["run"]
        w(f"### {c['name']} ({c['version']})\n")
        deviations = [q for q in sorted(worst, key=lambda q: section_key(catalog, q))
                      if worst[q] in DEVIATING]
        if not deviations:
            w("No deviation found.\n")
            continue
        why = {d["requirement"]: " ".join(d["why"].split())
               for d in c["expected"].get("deviations") or []}
        for q in deviations:
            row = catalog[q]
            w(f"<a id=\"{anchor(c['name'], q)}\"></a>")
            w(f"**{q}** — {worst[q]} ({row['level']}, [RFC {row['rfc']} §{row['section']}]"
              f"({row['link']})); scenarios: {', '.join('`' + s + '`' for s in scenarios[q])}; "
              f"[in the HTML report](compatibility-caches.html#outcome={worst[q]}"
              f"&section={row['section']})\n")
            w(why.get(q, f"*not recorded in tests/real-caches/{c['name']}.yaml: an untriaged "
                         "deviation*") + "\n")
            w("```http")
            w("\n".join(exchange_lines(first[q])))
            w("```\n")
    return "\n".join(out)


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: cache-matrix.py REPO CACHES_TSV CONDSPEC_VERSION")
    repo, tsv, version = sys.argv[1], sys.argv[2], sys.argv[3].strip()
    print(render(repo, read_columns(repo, tsv), version))


if __name__ == "__main__":
    main()
