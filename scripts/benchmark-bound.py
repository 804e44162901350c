#!/usr/bin/env python3
"""The round-trip bound of a condspec run, from its own JSON report.

scripts/benchmark.sh --latency compares a run's wall time with this bound:
the least time the run's exchanges need across a link of the given RTT,
whatever the scheduler does. It is computed from what the report says was
sent (docs/json-report.md), so it follows the cases as they change:

  bound = the longer of chain and unsafe, which run side by side

  chain   the longest chain of dependent exchanges of one target: its
          discovery, then its longest scenario. Scenarios that send to the
          unsafe URL are counted in `unsafe`, not here. Discovery is counted
          as its dependent rounds, not as its exchanges in sequence: its
          first GET, then every further probe at once (each depends on the
          first answer only, src/engine/discovery.h), one of them on the
          first GET's connection and each of the others on a new one; the
          one probe that depends on another, "discover-if-match-current",
          and any follow-up exchange come after the exchange before them, on
          its connection. The probe given the first connection is the one
          that makes the round shortest.
  unsafe  the exchanges of every scenario that sends to --unsafe-url, one
          after another: they share the one writable resource, so they
          cannot overlap. A scenario run for several targets is counted once,
          with its most exchanges (what it does to the writable resource
          does not depend on the target). Those that send only to the unsafe
          URL and need no fact but unsafe-url (the `needs` in --cases) need
          no discovery and start with the run; any other waits for the
          shortest discovery. A target's chain and the unsafe scenarios
          share no resource and need not share a connection, so the least
          time is the longer of the two, not their sum.

An exchange a scenario used rather than sent again ("first_sent_by" in the
report: the same request discovery or another scenario of the target sent,
src/engine/shared_requests.h) costs its scenario one RTT when another
scenario sent it (it was sent after discovery at the earliest) and none when
discovery did (counted there), and leaves the scenario's connection as it
was.

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

The bound assumes as many connections as the run wants. With at most JOBS
connections to the one origin (--jobs), the run also needs at least

  capacity = (every exchange sent + the new connections they force) RTT
             + every pause, shared among JOBS connections

where an exchange sent for several targets (an unsafe scenario shared by
them) is counted once, one used by several scenarios of a target
("first_sent_by") once, where it was sent, and the new connections forced are one per
connection at the start (JOBS, or fewer exchanges) and one after every
exchange that ended its connection. With --connections N (the connections
the run opened, as the latency proxy counts them) the capacity of the run
as it was sent is printed beside it: the exchanges plus N handshakes.

Prints "bound S s, the longer of: chain ...; unsafe ..." with its parts and a second line
"capacity ...", or with --value only the bound in seconds, with
--capacity-value only the capacity.
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
        sender = exchange.get("first_sent_by")
        if sender:
            # Not sent by this scenario: it waited for the sender's
            # exchange, one RTT after discovery at the earliest, or none
            # more if discovery sent it; its own connection is as it was.
            rtts += 0 if sender == "discovery" else 1
            continue
        if not reusable:
            rtts += 1  # the handshake of a new connection
        rtts += 1
        reusable = connection_survives(exchange)
    return rtts, reusable


# A discovery exchange that is sent only after the one before it has been
# answered (src/engine/discovery.cpp, match_facts).
DEPENDENT_DISCOVERY_STEPS = {"discover-if-match-current"}


def discovery_round_trips(exchanges):
    """RTTs of a target's discovery in dependent rounds (see the top).
    Returns (rtts, whether a connection is open at the end)."""
    if not exchanges:
        return 0, False
    first_rtts, first_open = round_trips(exchanges[:1], False)
    lanes = []  # the probes, each with what must follow it on its connection
    for exchange in exchanges[1:]:
        if lanes and (exchange.get("follow_up") or
                      exchange.get("step") in DEPENDENT_DISCOVERY_STEPS):
            lanes[-1].append(exchange)
        else:
            lanes.append([exchange])
    if not lanes:
        return first_rtts, first_open
    fresh = [round_trips(lane, False) for lane in lanes]
    best = None
    for reusing in range(len(lanes) if first_open else 1):
        costs = list(fresh)
        if first_open:
            costs[reusing] = round_trips(lanes[reusing], True)
        longest = max(rtts for rtts, _ in costs)
        if best is None or longest < best[0]:
            best = (longest, any(open_after for _, open_after in costs))
    return first_rtts + best[0], best[1]


def scan_cases(cases_dir):
    """({scenario id: number of steps with split_before},
    {scenario id: its needs}) from the case files.

    A line scan, not a YAML parser (Python has none built in): a scenario is
    the `- id:` item with the least indentation in its file, as the case
    format lays them out (docs/case-format.md); `needs` is a flow list
    (`needs: [etag, stable]`) or a block list of `- fact` lines."""
    splits, needs = {}, {}
    if not cases_dir or not os.path.isdir(cases_dir):
        return splits, needs
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
        block = None  # the indentation of a block list of needs being read
        for i, line in enumerate(lines):
            scenario = starts.get(i, scenario)
            if scenario and re.match(r"^\s*split_before\s*:", line):
                splits[scenario] = splits.get(scenario, 0) + 1
            if block is not None:
                m = re.match(r"^(\s*)- *([^\s#]+)", line)
                if m and len(m.group(1)) >= block:
                    needs.setdefault(scenario, []).append(m.group(2))
                    continue
                block = None
            m = re.match(r"^(\s*)needs\s*:\s*(.*?)\s*(#.*)?$", line)
            if scenario and m and i not in starts:
                needs[scenario] = []
                value = m.group(2)
                if value.startswith("["):
                    needs[scenario] = [v.strip() for v in value.strip("[]").split(",") if v.strip()]
                elif not value:
                    block = len(m.group(1))
    return splits, needs


def split_scenarios(cases_dir):
    """{scenario id: number of steps with split_before} from the case files."""
    return scan_cases(cases_dir)[0]


def sends_to(result, url):
    return url and any(e.get("url") == url for e in result.get("exchanges", []))


def bound(report, rtt_ms, unsafe_url, splits, pause_ms=SPLIT_PAUSE_MS, jobs=6, connections=None,
          needs=None):
    rtt = rtt_ms / 1000.0
    pause = pause_ms / 1000.0
    needs = needs or {}
    best = None  # (seconds, description)
    first_discovery = None  # the seconds of the shortest discovery
    unsafe = {}  # scenario id -> exchanges
    sent = []  # every exchange sent once, for the capacity
    sent_pauses = 0.0
    for target in report.get("targets", []):
        sent += target.get("discovery", [])
        discovery_rtts, open_after = discovery_round_trips(target.get("discovery", []))
        if target.get("discovery"):
            first_discovery = min(discovery_rtts * rtt, first_discovery or discovery_rtts * rtt)
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
            sent += [e for e in result["exchanges"] if not e.get("first_sent_by")]
            rtts, _ = round_trips(result["exchanges"], open_after)
            pauses = splits.get(result["scenario"], 0) * pause
            sent_pauses += pauses
            seconds = rtts * rtt + pauses
            if seconds > longest[0] or longest[3] is None:
                longest = (seconds, rtts, pauses, result["scenario"])
        seconds = discovery_rtts * rtt + longest[0]
        text = (f"{target.get('url')}: discovery {discovery_rtts} RTT, then "
                f"{longest[3]} {longest[1]} RTT" +
                (f" + {longest[2] * 1000:.0f} ms pause" if longest[2] else ""))
        if best is None or seconds > best[0]:
            best = (seconds, text)
    # The writable-only scenarios (every exchange to the unsafe URL, no need
    # but unsafe-url) start with the run; the others wait for a discovery.
    def writable_only(result):
        return (all(e.get("url") == unsafe_url for e in result["exchanges"]) and
                set(needs.get(result["scenario"], [])) <= {"unsafe-url"})
    ordered = ([r for r in unsafe.values() if writable_only(r)],
               [r for r in unsafe.values() if not writable_only(r)])
    unsafe_rtts, reusable = [0, 0], False
    unsafe_pauses = [0.0, 0.0]
    exchanges = 0
    for part, results in enumerate(ordered):
        for result in results:
            rtts, reusable = round_trips(result["exchanges"], reusable)
            unsafe_rtts[part] += rtts
            exchanges += len(result["exchanges"])
            unsafe_pauses[part] += splits.get(result["scenario"], 0) * pause
            sent += result["exchanges"]
    sent_pauses += sum(unsafe_pauses)
    writable_s = unsafe_rtts[0] * rtt + unsafe_pauses[0]
    after_discovery_s = unsafe_rtts[1] * rtt + unsafe_pauses[1]
    unsafe_seconds = writable_s
    if ordered[1]:
        unsafe_seconds = max(writable_s, first_discovery or 0.0) + after_discovery_s
    jobs = max(1, jobs)
    forced = min(jobs, len(sent)) + sum(1 for e in sent if not connection_survives(e))
    capacity_s = ((len(sent) + forced) * rtt + sent_pauses) / jobs
    capacity = (f"{len(sent)} exchanges + {forced} new connections = {len(sent) + forced} RTT" +
                (f" + {sent_pauses * 1000:.0f} ms pause" if sent_pauses else "") +
                f", over {jobs} connections")
    opened_s = None
    if connections is not None:
        opened_s = ((len(sent) + connections) * rtt + sent_pauses) / jobs
        capacity += f"; as sent, with {connections} new connections: {opened_s:.3f} s"
    chain_seconds, chain_text = best if best else (0.0, "no targets")
    unsafe_text = (f"{len(unsafe)} scenarios, {exchanges} exchanges, {sum(unsafe_rtts)} RTT" +
                   (f" + {sum(unsafe_pauses) * 1000:.0f} ms pause" if sum(unsafe_pauses) else ""))
    if ordered[1]:
        unsafe_text += (f"; {len(ordered[1])} of them, {unsafe_rtts[1]} RTT, "
                        "after the first discovery")
    return {
        "bound_s": max(chain_seconds, unsafe_seconds),
        "chain_s": chain_seconds,
        "chain": chain_text,
        "unsafe_s": unsafe_seconds,
        "unsafe": unsafe_text,
        "capacity_s": capacity_s,
        "capacity": capacity,
        "as_sent_s": opened_s,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="a JSON report (--report json=PATH)")
    parser.add_argument("--rtt-ms", type=float, required=True)
    parser.add_argument("--unsafe-url", default="", help="the run's --unsafe-url")
    parser.add_argument("--cases", default="",
                        help="case files, for split_before pauses and needs")
    parser.add_argument("--pause-ms", type=float, default=SPLIT_PAUSE_MS)
    parser.add_argument("--jobs", type=int, default=6, help="the run's --jobs (connections)")
    parser.add_argument("--connections", type=int, help="the connections the run opened")
    parser.add_argument("--value", action="store_true", help="print only the bound in seconds")
    parser.add_argument("--capacity-value", action="store_true",
                        help="print only the capacity in seconds")
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    splits, needs = scan_cases(args.cases)
    b = bound(report, args.rtt_ms, args.unsafe_url, splits, args.pause_ms, args.jobs,
              args.connections, needs)
    if args.value:
        print(f"{b['bound_s']:.3f}")
    elif args.capacity_value:
        print(f"{b['capacity_s']:.3f}")
    else:
        print(f"bound {b['bound_s']:.3f} s, the longer of: chain {b['chain_s']:.3f} s "
              f"({b['chain']}); unsafe {b['unsafe_s']:.3f} s ({b['unsafe']})")
        print(f"capacity {b['capacity_s']:.3f} s: {b['capacity']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
