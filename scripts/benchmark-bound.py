#!/usr/bin/env python3
"""The round-trip bound of a condspec run, from its own JSON report.

scripts/benchmark.sh --latency compares a run's wall time with this bound:
the least time the run's exchanges need across a link of the given RTT,
whatever the scheduler does. It is computed from what the report says was
sent (docs/json-report.md), so it follows the cases as they change:

  bound = chain + unsafe

  chain   the longest chain of dependent exchanges of one target: its
          discovery exchanges (docs/json-report.md "discovery"), then its
          longest scenario, in sequence. Scenarios that send to the unsafe
          URL are counted in `unsafe`, not here.
  unsafe  the exchanges of every scenario that sends to --unsafe-url, one
          after another: they share the one writable resource, so they
          cannot overlap. A scenario run for several targets is counted once,
          with its most exchanges (it needs no discovery, and what it does to
          the writable resource does not depend on the target).

Both are sums of exchanges, each costing:
  * one RTT per request (follow-up requests included);
  * one RTT more for a new connection: at the start of each chain (the
    target's discovery; the unsafe scenarios), and after an exchange that
    ended its connection: it failed, its response was close-delimited, or
    the request or response said "Connection: close" (or was HTTP/1.0
    without "Connection: keep-alive"). Otherwise the next exchange can reuse
    the connection, also between discovery and a scenario and between
    unsafe scenarios;
  * plus a scenario's deliberate pauses: PAUSE ms (300, the §5.3 split
    write) for every step with `split_before` in the case files (--cases),
    independent of the RTT. The longest scenario is the one with the longest
    time at the given RTT.

Prints one line, "bound S s: chain ... + unsafe ..." with its parts, or with
--value only the bound in seconds.
"""

import argparse
import json
import os
import re
import sys

SPLIT_PAUSE_MS = 300.0  # the wire client's pause between the two writes (RFC 9110 §5.3)


def header_values(head, name):
    """The values of field `name` in a message head, lower-cased."""
    values = []
    for line in head.split("\r\n")[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name:
            values += [v.strip().lower() for v in value.split(",")]
    return values


def keeps_alive(head):
    """Whether a request or response head leaves its connection open."""
    if not head:
        return False
    first = head.split("\r\n", 1)[0]
    connection = header_values(head, "connection")
    if "close" in connection:
        return False
    http10 = first.startswith("HTTP/1.0") or first.endswith("HTTP/1.0")
    return not http10 or "keep-alive" in connection


def connection_survives(exchange):
    if exchange.get("error") is not None or exchange.get("status") is None:
        return False
    if exchange.get("framing") == "close_delimited":
        return False
    return keeps_alive(exchange.get("request", "")) and keeps_alive(
        exchange.get("response_head", "")
    )


def round_trips(exchanges, reusable):
    """RTTs of `exchanges` in sequence; `reusable`: a connection is open at
    the start. Returns (rtts, whether a connection is open at the end)."""
    rtts = 0
    for exchange in exchanges:
        if not reusable:
            rtts += 1  # the handshake of a new connection
        rtts += 1
        reusable = connection_survives(exchange)
    return rtts, reusable


def split_scenarios(cases_dir):
    """{scenario id: number of steps with split_before} from the case files.

    A line scan, not a YAML parser (Python has none built in): a scenario is
    the `- id:` item with the least indentation in its file, as the case
    format lays them out (docs/case-format.md)."""
    counts = {}
    if not cases_dir or not os.path.isdir(cases_dir):
        return counts
    item = re.compile(r"^(\s*)- id:\s*['\"]?([^'\"\s#]+)")
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".yaml") or name == "requirements.yaml":
            continue
        with open(os.path.join(cases_dir, name), encoding="utf-8") as f:
            lines = f.read().splitlines()
        items = [(len(m.group(1)), m.group(2), i) for i, m in
                 ((i, item.match(line)) for i, line in enumerate(lines)) if m]
        if not items:
            continue
        top = min(indent for indent, _, _ in items)
        scenario = None
        starts = {i: sid for indent, sid, i in items if indent == top}
        for i, line in enumerate(lines):
            scenario = starts.get(i, scenario)
            if scenario and re.match(r"^\s*split_before\s*:", line):
                counts[scenario] = counts.get(scenario, 0) + 1
    return counts


def sends_to(result, url):
    return url and any(e.get("url") == url for e in result.get("exchanges", []))


def bound(report, rtt_ms, unsafe_url, splits, pause_ms=SPLIT_PAUSE_MS):
    rtt = rtt_ms / 1000.0
    pause = pause_ms / 1000.0
    best = None  # (seconds, description)
    unsafe = {}  # scenario id -> exchanges
    for target in report.get("targets", []):
        discovery_rtts, open_after = round_trips(target.get("discovery", []), False)
        longest = (0.0, 0, 0.0, None)
        for result in target.get("results", []):
            if sends_to(result, unsafe_url):
                # Once per run, as the longest of its runs (a scenario may
                # stop early for one target: not applicable after a step).
                seen = unsafe.get(result["scenario"])
                if seen is None or len(result["exchanges"]) > len(seen["exchanges"]):
                    unsafe[result["scenario"]] = result
                continue
            if not result.get("exchanges"):
                continue
            rtts, _ = round_trips(result["exchanges"], open_after)
            pauses = splits.get(result["scenario"], 0) * pause
            seconds = rtts * rtt + pauses
            if seconds > longest[0] or longest[3] is None:
                longest = (seconds, rtts, pauses, result["scenario"])
        seconds = discovery_rtts * rtt + longest[0]
        text = (f"{target.get('url')}: discovery {discovery_rtts} RTT, then "
                f"{longest[3]} {longest[1]} RTT" +
                (f" + {longest[2] * 1000:.0f} ms pause" if longest[2] else ""))
        if best is None or seconds > best[0]:
            best = (seconds, text)
    unsafe_rtts, reusable = 0, False
    unsafe_pauses = 0.0
    exchanges = 0
    for result in unsafe.values():
        rtts, reusable = round_trips(result["exchanges"], reusable)
        unsafe_rtts += rtts
        exchanges += len(result["exchanges"])
        unsafe_pauses += splits.get(result["scenario"], 0) * pause
    unsafe_seconds = unsafe_rtts * rtt + unsafe_pauses
    chain_seconds, chain_text = best if best else (0.0, "no targets")
    return {
        "bound_s": chain_seconds + unsafe_seconds,
        "chain_s": chain_seconds,
        "chain": chain_text,
        "unsafe_s": unsafe_seconds,
        "unsafe": f"{len(unsafe)} scenarios, {exchanges} exchanges, {unsafe_rtts} RTT" +
                  (f" + {unsafe_pauses * 1000:.0f} ms pause" if unsafe_pauses else ""),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="a JSON report (--report json=PATH)")
    parser.add_argument("--rtt-ms", type=float, required=True)
    parser.add_argument("--unsafe-url", default="", help="the run's --unsafe-url")
    parser.add_argument("--cases", default="", help="case files, for split_before pauses")
    parser.add_argument("--pause-ms", type=float, default=SPLIT_PAUSE_MS)
    parser.add_argument("--value", action="store_true", help="print only the bound in seconds")
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    b = bound(report, args.rtt_ms, args.unsafe_url, split_scenarios(args.cases), args.pause_ms)
    if args.value:
        print(f"{b['bound_s']:.3f}")
    else:
        print(f"bound {b['bound_s']:.3f} s: chain {b['chain_s']:.3f} s ({b['chain']}) "
              f"+ unsafe {b['unsafe_s']:.3f} s ({b['unsafe']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
