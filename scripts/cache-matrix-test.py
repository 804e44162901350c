#!/usr/bin/env python3
"""Tests of scripts/cache-matrix.py (ctest: scripts.cache_matrix), the
generator of docs/compatibility-caches.md, on hand-made `condspec cache`
reports, with the repository's own catalog and expected-verdict files (the
repository's root is the first argument). Skipped (exit 77) without
python3-yaml."""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

try:
    import yaml  # noqa: F401  (cache-matrix.py needs it)
except ImportError:
    print("cache-matrix-test: skipped, python3-yaml is not installed (scripts/setup-ci.sh installs it)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = None  # set from argv


def load_matrix_module():
    spec = importlib.util.spec_from_file_location("matrix", os.path.join(HERE, "cache-matrix.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


matrix = load_matrix_module()


def exchange(step, hop, request, head):
    return {"step": step, "hop": hop, "request": request, "response_head": head,
            "follow_up": False}


def report(results, unusable=None):
    return {"targets": [{"url": "http://127.0.0.1:18200/", "unusable": unusable,
                         "results": results}]}


SQUID_WEAK = {
    "scenario": "cache-revalidates-weak-tag-as-weak",
    "checks": [{"requirement": "9111-4.3.1-send-stored-etag", "outcome": "fail", "hop": "upstream"}],
    "exchanges": [
        exchange("stale", "client", "GET /c/x/h1/weak HTTP/1.1\r\nHost: a\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nETag: W/\"v1\"\r\n"),
        exchange("stale", "upstream", "GET /c/x/h1/weak HTTP/1.1\r\nIf-Modified-Since: D\r\n\r\n",
                 "HTTP/1.1 200 OK\r\nETag: W/\"v1\"\r\n"),
    ],
}
PASSING = {
    "scenario": "cache-revalidates-with-last-modified",
    "checks": [{"requirement": "9111-4.3.1-send-last-modified", "outcome": "pass", "hop": "upstream"}],
    "exchanges": [],
}


class CacheMatrixTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, content):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def generate(self, lines):
        tsv = self.write("caches.tsv", "".join("\t".join(line) + "\n" for line in lines))
        return matrix.render(REPO, matrix.read_columns(REPO, tsv), "condspec 9.9.9")

    def test_a_recorded_deviation_is_linked_explained_and_shown_with_both_hops(self):
        squid = self.write("squid.json", report([SQUID_WEAK, PASSING]))
        page = self.generate([("squid", squid, "Squid 5.7")])
        self.assertIn("(condspec 9.9.9)", page)
        self.assertIn("| `squid` | Squid 5.7 |", page)
        self.assertIn("| `squid` | 1 | 0 | 1 | 0 |", page)
        self.assertIn("| [9111-4.3.1-send-stored-etag](https://www.rfc-editor.org/rfc/rfc9111"
                      "#section-4.3.1) | MUST | [❌ fail](#squid-9111-4-3-1-send-stored-etag) |",
                      page)
        self.assertIn("| SHOULD | ✅ pass |", page)  # the passing one, 4.3.1-send-last-modified
        self.assertIn('<a id="squid-9111-4-3-1-send-stored-etag"></a>', page)
        self.assertIn("scenarios: `cache-revalidates-weak-tag-as-weak`", page)
        # The why of tests/real-caches/squid.yaml, on one line.
        self.assertIn("Squid revalidates it with If-Modified-Since set to the stored", page)
        self.assertIn("# step stale (client)\nGET /c/x/h1/weak HTTP/1.1\nHost: a\n"
                      "< HTTP/1.1 200 OK\n< ETag: W/\"v1\"\n# step stale (upstream)\n"
                      "GET /c/x/h1/weak HTTP/1.1\nIf-Modified-Since: D\n", page)

    def test_the_worst_check_of_a_requirement_is_its_cell(self):
        mixed = dict(SQUID_WEAK, checks=[
            {"requirement": "9111-4.3.1-send-stored-etag", "outcome": "pass"},
            {"requirement": "9111-4.3.1-send-stored-etag", "outcome": "warn"},
            {"requirement": "9111-4.3.1-send-stored-etag", "outcome": "pass"}])
        page = self.generate([("squid", self.write("squid.json", report([mixed])), "Squid 5.7")])
        self.assertIn("[⚠️ warn](#squid-9111-4-3-1-send-stored-etag)", page)
        self.assertIn("| `squid` | 0 | 1 | 0 | 0 |", page)

    def test_a_fail_outranks_an_error_of_the_same_requirement(self):
        # As on Apache after a 304 with Transfer-Encoding: its framing fails,
        # its content cannot be judged (error): the requirement is failed.
        framing = {"scenario": "cache-304-transfer-encoding-not-copied",
                   "checks": [{"requirement": "9111-3.2-no-framing-update", "outcome": "pass"},
                              {"requirement": "9111-3.2-no-framing-update", "outcome": "fail"},
                              {"requirement": "9111-3.2-no-framing-update", "outcome": "error"}],
                   "exchanges": []}
        framing["exchanges"] = [{
            "step": "freshened", "hop": "client", "follow_up": False,
            "request": "GET /c/x/h1/te HTTP/1.1\r\nHost: a\r\n\r\n", "response_head": None,
            "error": "invalid chunk size 'version 1'",
            "received": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nversion 1\n\x1b"}]
        apache = self.write("apache.json", report([framing]))
        page = self.generate([("apache2-cache", apache, "Apache httpd 2.4.71")])
        self.assertIn("| MUST | [❌ fail](#apache2-cache-9111-3-2-no-framing-update) |", page)
        self.assertIn("| `apache2-cache` | 1 | 0 | 0 | 0 |", page)
        # The evidence of a failed exchange is the bytes that came.
        self.assertIn("# step freshened (client)\nGET /c/x/h1/te HTTP/1.1\nHost: a\n"
                      "< HTTP/1.1 200 OK\n< Transfer-Encoding: chunked\n<\n< version 1\n"
                      "< \\x1b\n(invalid chunk size 'version 1')\n```", page)

    def test_a_deviation_not_recorded_says_it_is_untriaged(self):
        apache = self.write("apache.json", report([SQUID_WEAK]))
        page = self.generate([("apache2-cache", apache, "Apache httpd 2.4.71")])
        self.assertIn("*not recorded in tests/real-caches/apache2-cache.yaml: an untriaged "
                      "deviation*", page)

    def test_a_pending_error_shows_the_rfcs_verdict_and_links_the_disagreement(self):
        # An expected-verdict file that records a scenario as ending in error
        # where the RFC calls for fail (a pending disagreement, as D14 was for
        # apache2-cache until it was fixed): no check judges its requirement
        # there. The entry is made here, so that the test does not depend on
        # what the repository's files have pending today.
        framing = {"scenario": "cache-304-transfer-encoding-not-copied",
                   "checks": [{"requirement": "9111-3.2-no-framing-update", "outcome": "pass"}],
                   "exchanges": []}
        varnish = self.write("varnish.json", report([framing]))
        apache = self.write("apache.json", report([PASSING]))
        tsv = self.write("caches.tsv", "varnish\t" + varnish + "\tVarnish 7.1\n"
                         "apache2-cache\t" + apache + "\tApache httpd 2.4.71\n")
        columns = matrix.read_columns(REPO, tsv)
        columns[1]["expected"]["pending"] = [{
            "requirement": "9111-3.2-no-framing-update", "expect": "fail",
            "condspec_says": "error", "scenario": "cache-304-transfer-encoding-not-copied",
            "disagreement": "D14"}]
        page = matrix.render(REPO, columns, "condspec 9.9.9")
        self.assertIn("| MUST | ✅ pass | [💥 error † → fail]"
                      "(../tests/real-servers/DISAGREEMENTS.md#d14) |", page)
        self.assertIn("| `apache2-cache` | 0 | 0 | 1 | 1 |", page)
        # Without the entry, the requirement is not judged: no pending mark.
        plain = self.generate([("varnish", varnish, "Varnish 7.1"),
                               ("apache2-cache", apache, "Apache httpd 2.4.71")])
        self.assertIn("| MUST | ✅ pass | n/a |", plain)
        self.assertNotIn("DISAGREEMENTS.md#d14", plain)

    def test_a_cache_not_installed_is_listed_and_left_out_of_the_matrix(self):
        squid = self.write("squid.json", report([PASSING]))
        page = self.generate([("varnish", "", ""), ("squid", squid, "Squid 5.7")])
        self.assertIn("| `varnish` | *not installed when generated* |", page)
        self.assertIn("| `varnish` | `squid` |", page)
        self.assertIn("| SHOULD | – | ✅ pass |", page)
        self.assertNotIn("### varnish", page)
        self.assertIn("### squid (Squid 5.7)\n\nNo deviation found.", page)

    def test_an_unusable_cache_stops_the_generator_with_the_reason(self):
        squid = self.write("squid.json", report([], unusable="the cache does not forward"))
        tsv = self.write("caches.tsv", f"squid\t{squid}\tSquid 5.7\n")
        run = subprocess.run([sys.executable, os.path.join(HERE, "cache-matrix.py"), REPO, tsv,
                              "condspec 9.9.9"], capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertEqual(run.stderr, "cache-matrix: squid was unusable: the cache does not "
                                     "forward\n")
        self.assertEqual(run.stdout, "")


if __name__ == "__main__":
    REPO = sys.argv.pop(1)
    unittest.main()
