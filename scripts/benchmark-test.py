#!/usr/bin/env python3
"""Tests of the benchmark's instruments (ctest: scripts.benchmark_tools):
scripts/benchmark-bound.py on a small hand-made report, and the latency
proxy (tests/latency_proxy.cpp, its path the first argument) against an echo
server on 127.0.0.1. Only lower bounds of time are asserted: the proxy must
delay, and a loaded machine may only add to that."""

import importlib.util
import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = None  # set from argv


def load_bound_module():
    spec = importlib.util.spec_from_file_location("bound", os.path.join(HERE, "benchmark-bound.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exchange(url, request_line, response_head, **extra):
    e = {"url": url, "follow_up": False,
         "request": request_line + "\r\nHost: h\r\n\r\n",
         "status": int(response_head.split(" ")[1]),
         "response_head": response_head + "\r\n\r\n",
         "framing": "content_length"}
    e.update(extra)
    return e


OK = "HTTP/1.1 200 OK\r\nContent-Length: 1"
CLOSE = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1"
OLD = "HTTP/1.0 200 OK\r\nContent-Length: 1"
T = "http://h/t"
W = "http://h/w"

# Target t: discovery of 3 exchanges, the 2nd closing its connection: the
# first GET (1 + 1), then the two probes at once, one on the first
# connection (1), the other on a new one (1 + 1): 4 RTT; one by one it
# would be 5. Scenario "long" of 5 exchanges on a connection discovery left
# open (5 RTT); "split" of 1 exchange with a 300 ms pause
# (1 RTT + 0.3 s); "unsafe-a" (2 exchanges; 3 under target u, which count) and
# "unsafe-b" (1 exchange answered by HTTP/1.0, so the next needs a new
# connection) send to the unsafe URL w.
REPORT = {
    "targets": [
        {"url": T,
         "discovery": [exchange(T, "GET /t HTTP/1.1", OK),
                       exchange(T, "GET /t HTTP/1.1", CLOSE),
                       exchange(T, "GET /t HTTP/1.1", OK)],
         "results": [
             {"scenario": "long", "exchanges": [exchange(T, "GET /t HTTP/1.1", OK)] * 5},
             {"scenario": "split", "exchanges": [exchange(T, "GET /t HTTP/1.1", OK)]},
             {"scenario": "not-applicable", "exchanges": []},
             {"scenario": "unsafe-b", "exchanges": [exchange(W, "PUT /w HTTP/1.1", OLD)]},
             {"scenario": "unsafe-a", "exchanges": [exchange(W, "PUT /w HTTP/1.1", OK),
                                                    exchange(W, "GET /w HTTP/1.1", OK)]},
         ]},
        {"url": "http://h/u",
         "discovery": [exchange("http://h/u", "GET /u HTTP/1.1", OK)],
         "results": [
             {"scenario": "unsafe-a", "exchanges": [exchange(W, "PUT /w HTTP/1.1", OK),
                                                    exchange(W, "GET /w HTTP/1.1", OK),
                                                    exchange(W, "GET /w HTTP/1.1", OK)]},
             {"scenario": "failed", "exchanges": [
                 {"url": "http://h/u", "request": "GET /u HTTP/1.1\r\n\r\n", "status": None,
                  "error": "timed out"},
                 exchange("http://h/u", "GET /u HTTP/1.1", OK)]},
         ]},
    ]
}

CASE_FILE = """section: "5.3"
title: Split
scenarios:
  - id: split
    title: a split step
    needs: [etag, stable]  # a comment
    steps:
      - id: first
        request:
          headers:
            If-None-Match: '"x"'
          split_before: If-None-Match
  - id: long
    title: no split
    needs:
      - unsafe-url
    steps:
      - id: split_before_is_only_a_name
"""


class BoundTest(unittest.TestCase):
    def setUp(self):
        self.bound = load_bound_module()
        self.dir = tempfile.TemporaryDirectory()
        with open(os.path.join(self.dir.name, "requirements.yaml"), "w") as f:
            f.write("requirements: []\n")
        with open(os.path.join(self.dir.name, "split.yaml"), "w") as f:
            f.write(CASE_FILE)

    def tearDown(self):
        self.dir.cleanup()

    def test_split_steps_are_found_per_scenario(self):
        self.assertEqual(self.bound.split_scenarios(self.dir.name), {"split": 1})

    def test_needs_are_found_per_scenario(self):
        self.assertEqual(self.bound.scan_cases(self.dir.name)[1],
                         {"split": ["etag", "stable"], "long": ["unsafe-url"]})

    def test_bound_at_100_ms(self):
        splits = self.bound.split_scenarios(self.dir.name)
        b = self.bound.bound(REPORT, 100, W, splits)
        # Target t: 4 RTT discovery + "long" 5 RTT (0.5 s, more than
        # "split"'s 1 RTT + 0.3 s). Target u: 2 RTT + "failed" 1 + (1 + 1)
        # = 5 RTT, less. Unsafe, each scenario once: unsafe-b 1 + 1, then
        # unsafe-a (its longer run) on a new connection 1 + 3: 6 RTT.
        # The two run side by side: the bound is the longer.
        self.assertAlmostEqual(b["chain_s"], 0.9)
        self.assertAlmostEqual(b["unsafe_s"], 0.6)
        self.assertAlmostEqual(b["bound_s"], 0.9)
        self.assertEqual(b["chain"], "http://h/t: discovery 4 RTT, then long 5 RTT")
        self.assertEqual(b["unsafe"], "2 scenarios, 4 exchanges, 6 RTT")

    def test_an_unsafe_scenario_that_needs_a_fact_waits_for_a_discovery(self):
        # unsafe-a needs a fact of the target: unsafe-b (2 RTT) starts with
        # the run, unsafe-a (a new connection after HTTP/1.0: 1 + 3 RTT)
        # after the shortest discovery, t's 4 RTT (u's is left out here).
        report = json.loads(json.dumps(REPORT))
        report["targets"][1]["discovery"] = []
        b = self.bound.bound(report, 100, W, {}, needs={"unsafe-a": ["unsafe-url", "etag"]})
        self.assertAlmostEqual(b["unsafe_s"], 0.4 + 0.4)
        self.assertEqual(b["unsafe"], "2 scenarios, 4 exchanges, 6 RTT; 1 of them, 4 RTT, "
                                      "after the first discovery")
        # Where the writable-only ones take longer than the discovery, it
        # waits for them instead: unsafe-a 1 + 3 RTT, then unsafe-b on its
        # connection, 1 RTT.
        b = self.bound.bound(report, 100, W, {}, needs={"unsafe-b": ["etag"]})
        self.assertAlmostEqual(b["unsafe_s"], 0.4 + 0.1)
        self.assertAlmostEqual(b["bound_s"], 0.9)
        # At a long RTT the unsafe scenarios are the longer.
        b = self.bound.bound(REPORT, 100, W, {}, pause_ms=0)
        self.assertAlmostEqual(b["bound_s"], max(b["chain_s"], b["unsafe_s"]))

    def test_capacity_at_100_ms(self):
        splits = self.bound.split_scenarios(self.dir.name)
        # Sent once each: 3 + 1 discovery, long 5, split 1, failed 2, and
        # unsafe-b 1 + unsafe-a 3 (its longer run): 16 exchanges. New
        # connections forced: 2 at the start (--jobs 2), and after the
        # discovery's CLOSE, the failed exchange and unsafe-b's HTTP/1.0
        # answer: 5. (16 + 5) RTT + 300 ms over 2 connections.
        b = self.bound.bound(REPORT, 100, W, splits, jobs=2)
        self.assertAlmostEqual(b["capacity_s"], (2.1 + 0.3) / 2)
        self.assertEqual(b["capacity"], "16 exchanges + 5 new connections = 21 RTT + 300 ms "
                                        "pause, over 2 connections")
        self.assertIsNone(b["as_sent_s"])
        b = self.bound.bound(REPORT, 100, W, splits, jobs=2, connections=9)
        self.assertAlmostEqual(b["as_sent_s"], (2.5 + 0.3) / 2)
        self.assertTrue(b["capacity"].endswith("; as sent, with 9 new connections: 1.400 s"))

    def test_an_exchange_used_again_is_counted_once(self):
        # "long" used discovery's first GET for its first step and "split"'s
        # GET for its second: the capacity counts neither again (16 - 2
        # exchanges). In t's chain the first costs nothing (discovery sent
        # it), the second one RTT (split sent it), and "long"'s connection
        # stays as it was: 4 + (0 + 1 + 3) RTT.
        report = json.loads(json.dumps(REPORT))
        long = report["targets"][0]["results"][0]["exchanges"]
        long[0] = dict(long[0], first_sent_by="discovery")
        long[1] = dict(long[1], first_sent_by="split")
        b = self.bound.bound(report, 100, W, {}, jobs=2)
        self.assertEqual(b["capacity"], "14 exchanges + 5 new connections = 19 RTT, "
                                        "over 2 connections")
        self.assertAlmostEqual(b["chain_s"], 0.8)
        self.assertEqual(b["chain"], "http://h/t: discovery 4 RTT, then long 4 RTT")

    def test_discovery_rounds(self):
        rounds = self.bound.discovery_round_trips
        self.assertEqual(rounds([]), (0, False))
        self.assertEqual(rounds([exchange(T, "GET /t HTTP/1.1", OK)]), (2, True))
        # The first GET closed its connection: every probe on a new one.
        self.assertEqual(rounds([exchange(T, "GET /t HTTP/1.1", CLOSE),
                                 exchange(T, "GET /t HTTP/1.1", OK),
                                 exchange(T, "GET /t HTTP/1.1", OK)]), (4, True))
        # If-Match's follow-up comes after it, on its connection: that probe
        # is given the first connection (1 + 1), the others a new one (1 + 1).
        if_match = exchange(T, "GET /t HTTP/1.1", OK, step="discover-if-match")
        current = exchange(T, "GET /t HTTP/1.1", OK, step="discover-if-match-current")
        self.assertEqual(rounds([exchange(T, "GET /t HTTP/1.1", OK), if_match, current,
                                 exchange(T, "GET /t HTTP/1.1", OK)]), (4, True))
        # Where If-Match closed its connection, its follow-up needs another.
        closing = exchange(T, "GET /t HTTP/1.1", CLOSE, step="discover-if-match")
        self.assertEqual(rounds([exchange(T, "GET /t HTTP/1.1", OK), closing, current,
                                 exchange(T, "GET /t HTTP/1.1", OK)]), (5, True))

    def test_the_pause_wins_at_a_short_rtt(self):
        b = self.bound.bound(REPORT, 10, W, self.bound.split_scenarios(self.dir.name))
        self.assertAlmostEqual(b["chain_s"], 0.04 + 0.01 + 0.3)  # "long": 0.05
        self.assertEqual(b["chain"], "http://h/t: discovery 4 RTT, then split 1 RTT + 300 ms pause")

    def test_without_unsafe_url_every_scenario_is_a_target_scenario(self):
        b = self.bound.bound(REPORT, 100, "", {})
        self.assertAlmostEqual(b["unsafe_s"], 0.0)
        self.assertAlmostEqual(b["chain_s"], 0.9)

    def test_command_line(self):
        path = os.path.join(self.dir.name, "report.json")
        with open(path, "w") as f:
            json.dump(REPORT, f)
        out = subprocess.run([sys.executable, os.path.join(HERE, "benchmark-bound.py"), path,
                              "--rtt-ms", "100", "--unsafe-url", W, "--cases", self.dir.name],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, "bound 0.900 s, the longer of: chain 0.900 s (http://h/t: discovery "
                              "4 RTT, then long 5 RTT); unsafe 0.600 s (2 scenarios, 4 exchanges, "
                              "6 RTT)\n"
                              "capacity 0.467 s: 16 exchanges + 9 new connections = 25 RTT + "
                              "300 ms pause, over 6 connections\n")
        out = subprocess.run([sys.executable, os.path.join(HERE, "benchmark-bound.py"), path,
                              "--rtt-ms", "100", "--value"],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, "0.900\n")
        out = subprocess.run([sys.executable, os.path.join(HERE, "benchmark-bound.py"), path,
                              "--rtt-ms", "100", "--unsafe-url", W, "--capacity-value",
                              "--jobs", "2"],
                             capture_output=True, text=True, check=True).stdout
        self.assertEqual(out, "1.050\n")  # (16 + 5) RTT over 2, no pause without --cases


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                return
            self.request.sendall(data)


class EchoServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def recv_exactly(sock, n):
    chunks = []
    while n:
        data = sock.recv(min(n, 1 << 16))
        if not data:
            raise AssertionError("connection closed early")
        chunks.append(data)
        n -= len(data)
    return b"".join(chunks)


class ProxyTest(unittest.TestCase):
    def setUp(self):
        self.echo = EchoServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=self.echo.serve_forever, daemon=True).start()
        self.proxies = []

    def tearDown(self):
        for p in self.proxies:
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stdout.close()
        self.echo.shutdown()
        self.echo.server_close()

    def start_proxy(self, rtt_ms):
        p = subprocess.Popen([PROXY, "--to", f"127.0.0.1:{self.echo.server_address[1]}",
                              "--rtt-ms", str(rtt_ms)], stdout=subprocess.PIPE, text=True)
        self.proxies.append(p)
        line = p.stdout.readline()
        self.assertRegex(line, r"^listening on 127\.0\.0\.1:\d+\n$")
        return p, int(line.rsplit(":", 1)[1])

    def test_delays_a_new_connection_by_two_rtts_then_one_per_exchange(self):
        p, port = self.start_proxy(100)
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"ping")
            self.assertEqual(recv_exactly(s, 4), b"ping")
            first = time.monotonic() - start
            start = time.monotonic()
            s.sendall(b"pong")
            self.assertEqual(recv_exactly(s, 4), b"pong")
            second = time.monotonic() - start
        self.assertGreaterEqual(first, 0.2)
        self.assertGreaterEqual(second, 0.1)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.stdout.read(), "connections opened 1, peak concurrent 1\n")
        self.assertEqual(p.wait(timeout=10), 0)

    def test_many_concurrent_connections_and_large_transfers_arrive_intact(self):
        p, port = self.start_proxy(5)
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(60)]
        payload = bytes(range(256)) * (3 * 4096 + 7)  # 3 MiB and a bit: beyond the queue limit
        results = {}

        def talk(i, s):
            sender = threading.Thread(target=s.sendall, args=(payload,))
            sender.start()
            results[i] = recv_exactly(s, len(payload)) == payload
            sender.join()

        threads = [threading.Thread(target=talk, args=(i, s)) for i, s in enumerate(sockets[:4])]
        for t in threads:
            t.start()
        for i, s in enumerate(sockets[4:], start=4):
            s.sendall(b"%d" % i)
            self.assertEqual(recv_exactly(s, len(b"%d" % i)), b"%d" % i)
        for t in threads:
            t.join()
        self.assertEqual(results, {0: True, 1: True, 2: True, 3: True})
        p.send_signal(signal.SIGUSR1)
        self.assertEqual(p.stdout.readline(), "connections opened 60, peak concurrent 60\n")
        for s in sockets:
            s.close()
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.stdout.read(), "connections opened 60, peak concurrent 60\n")
        self.assertEqual(p.wait(timeout=10), 0)

    def test_a_closed_connection_is_closed_through_the_proxy(self):
        p, port = self.start_proxy(0)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"x")
            self.assertEqual(recv_exactly(s, 1), b"x")
            s.shutdown(socket.SHUT_WR)  # the echo server then closes its side
            self.assertEqual(s.recv(1), b"")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=10), 0)


if __name__ == "__main__":
    if len(sys.argv) < 2 or not os.path.isfile(sys.argv[1]):
        sys.exit("usage: benchmark-test.py PATH-TO-latency-proxy [unittest args]")
    PROXY = sys.argv.pop(1)
    unittest.main()
