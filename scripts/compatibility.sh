#!/usr/bin/env bash
# Regenerates the compatibility matrix: docs/compatibility.md (server and
# version x requirement, pass / fail / warn / n-a, each deviation with its
# evidence) and docs/compatibility.html (condspec's own HTML report of the
# same run). Starts every installed real server (scripts/real-servers.sh) on
# 127.0.0.1, runs condspec once against all of them, stops them by pid.
#
#   scripts/compatibility.sh            uses build/condspec (scripts/build.sh)
#   CONDSPEC=path/to/condspec scripts/compatibility.sh
#
# Ports: CONDSPEC_COMPAT_PORT_BASE (default 18100) and one more for each
# further server of `scripts/real-servers.sh list`, in its order, so that the
# URLs in the generated files stay the same from run to run. Needs python3
# and python3-yaml (Debian). Servers not installed are left out, and the
# matrix says so.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
condspec="${CONDSPEC:-$repo/build/condspec}"
[ -x "$condspec" ] || { echo "compatibility: $condspec not found (scripts/build.sh builds it)" >&2; exit 2; }
base="${CONDSPEC_COMPAT_PORT_BASE:-18100}"

work="$(mktemp -d /tmp/condspec-compat.XXXXXX)"
# The servers' workers run as www-data or nobody: they must reach the docroot.
chmod 755 "$work"
export CONDSPEC_REAL_RUN="$work/run"
started=()
cleanup() {
  local s
  for s in "${started[@]}"; do scripts/real-servers.sh stop "$s" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

scripts/real-servers.sh docroot "$work/docroot"
urls=()
h2c_urls=()
h2_runs=()
: >"$work/servers.tsv"
i=0
for s in $(scripts/real-servers.sh list); do
  port=$((base + i))
  i=$((i + 1))
  if ! scripts/real-servers.sh available "$s"; then
    echo "compatibility: $s is not installed: left out (scripts/real-servers.sh install $s)" >&2
    printf '%s\t\t\n' "$s" >>"$work/servers.tsv"
    continue
  fi
  out="$(scripts/real-servers.sh start "$s" "$port" "$work/docroot")"
  url="$(echo "$out" | head -n 1)condspec.txt"
  started+=("$s")
  # An -h2c variant is judged over HTTP/2 with prior knowledge; an -h2 one
  # over TLS, trusting its own certificate (second line: --cacert FILE).
  case "$s" in
    *-h2c) h2c_urls+=("$url") ;;
    *-h2) h2_runs+=("$url $(echo "$out" | sed -n '2s/^--cacert //p')") ;;
    *) urls+=("$url") ;;
  esac
  printf '%s\t%s\t%s\n' "$s" "$url" "$(scripts/real-servers.sh version "$s")" >>"$work/servers.tsv"
done
[ ${#urls[@]} -gt 0 ] || { echo "compatibility: no server is installed" >&2; exit 3; }

# Every request carries Accept-Encoding: gzip, as a browser's would, so the
# -gzip variants compress (the others ignore it); the same as the test. One
# run over HTTP/1.1, one over h2c, one over h2 per -h2 server (each with its
# own certificate), merged into one report.
# Exit 3 with every target usable means a scenario ended in error: the
# matrix shows it (a server's file records it as pending, e.g. D13 of
# tests/real-servers/DISAGREEMENTS.md), so the run counts as done. Any other
# exit status is kept and stops the script below.
settled() {
  if [ "$1" -eq 3 ] && python3 -c 'import json, sys
sys.exit(json.load(open(sys.argv[1]))["totals"]["unusable_targets"])' "$2"; then
    echo 0
  else
    echo "$1"
  fi
}
rc=0
"$condspec" run "${urls[@]}" --header 'Accept-Encoding: gzip' --fail-on never --quiet \
  --report "json=$work/run-http1.json" >/dev/null || rc=$?
runs=("$work/run-http1.json")
rc=$(settled "$rc" "$work/run-http1.json")
if [ $rc -eq 0 ] && [ ${#h2c_urls[@]} -gt 0 ]; then
  "$condspec" run "${h2c_urls[@]}" --protocol h2c --header 'Accept-Encoding: gzip' \
    --fail-on never --quiet --report "json=$work/run-h2c.json" >/dev/null || rc=$?
  runs+=("$work/run-h2c.json")
  rc=$(settled "$rc" "$work/run-h2c.json")
fi
for run in "${h2_runs[@]}"; do
  [ $rc -eq 0 ] || break
  read -r h2_url h2_ca <<<"$run"
  h2_report="$work/run-h2-${#runs[@]}.json"
  "$condspec" run "$h2_url" --protocol h2 --cacert "$h2_ca" --header 'Accept-Encoding: gzip' \
    --fail-on never --quiet --report "json=$h2_report" >/dev/null || rc=$?
  runs+=("$h2_report")
  rc=$(settled "$rc" "$h2_report")
done
[ $rc -eq 0 ] || { echo "compatibility: condspec exited $rc (an error, or a server unusable)" >&2; exit $rc; }
"$condspec" merge "${runs[@]}" --fail-on never --quiet --report "json=$work/run.json" \
  --report html=docs/compatibility.html >/dev/null || rc=$?
rc=$(settled "$rc" "$work/run.json")
[ $rc -eq 0 ] || { echo "compatibility: condspec merge exited $rc" >&2; exit $rc; }

python3 - "$work/run.json" "$work/servers.tsv" "$("$condspec" --version)" >docs/compatibility.md.tmp <<'PY'
import json, sys, yaml, re

report = json.load(open(sys.argv[1]))
servers = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
condspec_version = sys.argv[3].strip()
catalog = {r["id"]: r for r in yaml.safe_load(open("cases/requirements.yaml"))["requirements"]}
by_url = {t["url"]: t for t in report["targets"]}
# The engine's order (src/engine/outcome.h): a check that failed outranks
# one that could not judge (the content of a response cut short).
SEVERITY = {"pass": 0, "info": 1, "warn": 2, "error": 3, "fail": 4}
SYMBOL = {"pass": "✅ pass", "fail": "❌ fail", "warn": "⚠️ warn", "info": "ℹ️ info",
          "not_applicable": "n/a", "error": "💥 error"}

def verdicts(target):
    seen, scenarios, first = {}, {}, {}
    for res in target["results"]:
        for c in res["checks"]:
            q = c["requirement"]
            if q not in seen or SEVERITY[c["outcome"]] > SEVERITY[seen[q]]:
                seen[q] = c["outcome"]
            if c["outcome"] != "pass":
                scenarios.setdefault(q, [])
                if res["scenario"] not in scenarios[q]:
                    scenarios[q].append(res["scenario"])
                first.setdefault(q, res)
    return seen, scenarios, first

def anchor(*parts):
    return re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")

def escape(text):
    return text.replace("|", "\\|")

rows, columns = set(), []
for name, url, version in servers:
    expected = yaml.safe_load(open(f"tests/real-servers/{name}.yaml"))
    if not url:
        columns.append((name, None, None, expected, {}, {}, {}))
        continue
    seen, scen, first = verdicts(by_url[url])
    rows.update(seen)
    for p in expected.get("pending") or []:
        rows.add(p["requirement"])
    columns.append((name, url, version, expected, seen, scen, first))

def section_key(q):
    r = catalog[q]
    return (r["rfc"], [int(x) for x in r["section"].split(".")], q)

out = []
w = out.append
w("# Compatibility matrix\n")
w("How widely used HTTP servers, in the configurations people commonly run, answer "
  "condspec's conditional-request scenarios. **Generated** by `scripts/compatibility.sh` "
  f"({condspec_version}); do not edit by hand. The same run as condspec's own HTML report: "
  "[compatibility.html](compatibility.html).\n")
w("Each server runs on 127.0.0.1 with its own small config from "
  "[tests/real-servers/config/](../tests/real-servers/config/) and serves one 4096-byte "
  "text file with a fixed modification time (2020-01-02). Every request carries "
  "`Accept-Encoding: gzip`, as a browser's would: the `-gzip` variants compress, the "
  "others ignore it. The `-h2c` variants serve HTTP/2 over cleartext with prior knowledge "
  "and are judged with `--protocol h2c`, the `-h2` variants HTTP/2 over TLS (with a "
  "self-signed certificate) judged with `--protocol h2`; the others over HTTP/1.1. A cell is the worst check of that requirement over all scenarios "
  "judging it. Every deviation was read against RFC 9110 and is recorded, with why, in "
  "`tests/real-servers/<server>.yaml`; the end-to-end test "
  "([tests/real_servers_test.cpp](../tests/real_servers_test.cpp)) fails when condspec's "
  "verdict changes. Where condspec's verdict is not the one RFC 9110 calls for, the cell "
  "shows both and links to [DISAGREEMENTS.md](../tests/real-servers/DISAGREEMENTS.md).\n")
w("## Servers\n")
w("| server | version | configuration |")
w("|---|---|---|")
for name, url, version, expected, *_ in columns:
    desc = " ".join(expected.get("description", "").split())
    w(f"| `{name}` | {version or '*not installed when generated*'} | {escape(desc)} |")
w("")
w("Legend: ✅ pass · ❌ fail (MUST) · ⚠️ warn (SHOULD) · ℹ️ info (MAY) · n/a: no scenario "
  "applies (e.g. no strong ETag, no ranges, no `--unsafe-url`) · † condspec's verdict "
  "differs from RFC 9110's, pending a fix: *condspec says → RFC says*.\n")
w("## Summary\n")
w("| server | ❌ fail | ⚠️ warn | ✅ pass | n/a | † pending |")
w("|---|---|---|---|---|---|")
for name, url, version, expected, seen, scen, first in columns:
    if not url:
        continue
    pend = {p["requirement"] for p in expected.get("pending") or []}
    count = lambda o: sum(1 for q in rows if q not in pend and seen.get(q, "not_applicable") == o)
    w(f"| `{name}` | {count('fail')} | {count('warn')} | {count('pass')} | {count('not_applicable')} | {len(pend)} |")
w("")
# A server's HTTP/2 path is often a code path of its own: each HTTP/2
# variant compared, scenario by scenario, with the same server over HTTP/1.1
# (or, for a server without HTTP/1.1, over h2c). A scenario that one of the
# two protocols cannot carry (its not_applicable reason names the protocol)
# is counted apart; the others must agree in outcome and in the status of
# every exchange, or the difference is listed.
def protocol_bound(result):
    reason = result.get("reason") or ""
    return result["outcome"] == "not_applicable" and ("HTTP/2" in reason or "HTTP/1.1" in reason)

def statuses(result):
    return [e.get("status") for e in result.get("exchanges", []) if not e["follow_up"]]

def shown(result):
    return f"{result['outcome']} ({', '.join(str(x) for x in statuses(result)) or 'no exchange'})"

targets = {name: by_url[url] for name, url, *_ in columns if url}
pairs = []
for name, *_ in columns:
    if name not in targets or not (name.endswith("-h2c") or name.endswith("-h2")):
        continue
    base = name[: -len("-h2c")] if name.endswith("-h2c") else name[: -len("-h2")]
    other = base if base in targets else (base + "-h2c" if name.endswith("-h2") and base + "-h2c" in targets else None)
    if other:
        pairs.append((name, other))
if pairs:
    w("## HTTP/2 against HTTP/1.1\n")
    w("A server often answers HTTP/2 on a code path of its own. Each HTTP/2 variant is "
      "compared here, scenario by scenario, with the same server and config over HTTP/1.1 "
      "(a server that speaks only HTTP/2: over h2c). Scenarios one protocol cannot carry "
      "(HTTP/1.1 framing, an HTTP/1.0 request, a header section in two writes; HTTP/2 "
      "framing) are counted apart; every other scenario must get the same outcome and the "
      "same status in every exchange, or it is listed below.\n")
    w("| server | compared with | scenarios over both | same outcome and statuses | different | over one protocol only |")
    w("|---|---|---|---|---|---|")
    differences = []
    for name, other in pairs:
        mine = {r["scenario"]: r for r in targets[name]["results"]}
        theirs = {r["scenario"]: r for r in targets[other]["results"]}
        both, same, apart = 0, 0, 0
        for sid in sorted(set(mine) & set(theirs)):
            a, b = theirs[sid], mine[sid]
            if protocol_bound(a) or protocol_bound(b):
                apart += 1
                continue
            both += 1
            if (a["outcome"], statuses(a)) == (b["outcome"], statuses(b)):
                same += 1
            else:
                differences.append(f"- `{name}` against `{other}`, `{sid}`: {shown(b)}, where "
                                   f"`{other}` gives {shown(a)}")
        w(f"| `{name}` | `{other}` | {both} | {same} | {both - same} | {apart} |")
    w("")
    if differences:
        w("Scenarios whose answer differs between the protocols (outcome, then the status of each exchange):\n")
        for line in differences:
            w(line)
        w("")
    else:
        w("No scenario's answer differs between the protocols on these servers.\n")
w("## Matrix\n")
w("| requirement | level | " + " | ".join(f"`{c[0]}`" for c in columns) + " |")
w("|---|---|" + "---|" * len(columns))
for q in sorted(rows, key=section_key):
    r = catalog[q]
    cells = []
    for name, url, version, expected, seen, scen, first in columns:
        if not url:
            cells.append("–")
            continue
        got = seen.get(q, "not_applicable")
        pend = {p["requirement"]: p for p in expected.get("pending") or []}
        if q in pend:
            # A recorded scenario error leaves the requirement unjudged.
            if pend[q]["condspec_says"] == "error":
                got = "error"
            cells.append(f"[† {got} → {pend[q]['expect']}](../tests/real-servers/DISAGREEMENTS.md#{pend[q]['disagreement'].lower()})")
        elif got in ("fail", "warn", "info", "error"):
            cells.append(f"[{SYMBOL[got]}](#{anchor(name, q)})")
        else:
            cells.append(SYMBOL[got])
    w(f"| [{q}]({r['link']}) | {r['level']} | " + " | ".join(cells) + " |")
w("")
w("## Deviations, with their evidence\n")
w("Each entry: the requirement, why the answer breaks it (from the expected-verdict file), "
  "and the exchange condspec recorded in this run (request, then the response head, `<`).\n")
for name, url, version, expected, seen, scen, first in columns:
    if not url:
        continue
    devs = [q for q in sorted(seen, key=section_key) if seen[q] in ("fail", "warn", "info", "error")
            and q not in {p["requirement"] for p in expected.get("pending") or []}]
    w(f"### {name} ({version})\n")
    if not devs:
        w("No deviation found.\n")
        continue
    why = {d["requirement"]: " ".join(d["why"].split()) for d in expected.get("deviations") or []}
    for q in devs:
        r = catalog[q]
        w(f"<a id=\"{anchor(name, q)}\"></a>")
        w(f"**{q}** — {seen[q]} ({r['level']}, [RFC {r['rfc']} §{r['section']}]({r['link']})); "
          f"scenarios: {', '.join('`' + s + '`' for s in scen[q])}; "
          f"[in the HTML report](compatibility.html#outcome={seen[q]}&section={r['section']})\n")
        w(why.get(q, "*not recorded in tests/real-servers/" + name + ".yaml: an untriaged deviation*") + "\n")
        w("```http")
        for e in first[q]["exchanges"]:
            if e["follow_up"]:
                continue
            w(e["request"].replace("\r\n", "\n").rstrip("\n"))
            head = e.get("response_head") or ("error: " + e.get("error", ""))
            w("\n".join("< " + l for l in head.replace("\r\n", "\n").rstrip("\n").split("\n")))
        w("```\n")
print("\n".join(out))
PY
mv docs/compatibility.md.tmp docs/compatibility.md
echo "compatibility: wrote docs/compatibility.md and docs/compatibility.html (${#started[@]} servers)"
