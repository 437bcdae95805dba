"""End-to-end: network faults as the agent sees them.

The real membercare in tmux points at tests/integration/lib/hostile_server.py
with one fault applied to every request. A lookup must end, within the
worker's bounds, with the fault named in the status line, the query kept
in its field, the console alive, and, for a redirect, nothing sent to the
other host.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from hostile_server import HostileServer  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
QUERY = "919845000001"

# fault -> words the status line must show, and the most seconds it may take
CASES = {
    "huge-length": ("response larger than 8388608 bytes refused", 10),
    "endless-chunked": ("response larger than 8388608 bytes refused", 10),
    "gzip-bomb": ("response larger than 8388608 bytes refused", 15),
    "bad-gzip": ("response could not be decompressed", 10),
    "redirect": ("HTTP 302", 10),
    # a GET is retried with backoff on a cut connection, within the 30 s deadline
    "close-mid-body": ("transfer closed", 35),
}
# The console refuses bodies over 8 MiB: whatever the server sends (2 GB,
# endless, a 64 MiB gzip bomb), its peak memory grows by about that, with
# room for a sanitizer build's quarantine.
RSS_GROWTH_MB = 48


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise AssertionError("no VmHWM for pid %d" % pid)


class NetworkFaultsInTheConsole(unittest.TestCase):
    def run_case(self, fault):
        words, limit = CASES[fault]
        with HostileServer("--fault", fault) as hs:
            t = Term([CONSOLE, "--host", hs.url, "--user", "demo.agent"], width=100, height=24,
                     env={"MEMBERCARE_PASSWORD": "demo"})
            try:
                t.wait("Find member:")
                idle = peak_rss_mb(t.pid())
                t.type(QUERY)
                start = time.time()
                t.keys("Enter")
                s = t.wait(lambda s: words in s.splitlines()[-1], timeout=limit + 5,
                           what="%r in the status line" % words)
                took = time.time() - start
                self.assertLess(took, limit, "%s: the error took %.1f s" % (fault, took))
                status = s.splitlines()[-1]
                self.assertIn("Lookup failed", status)
                self.assertIn(QUERY, s, "the query stays in its field")
                # still answering: the help screen opens and closes
                t.keys("F1")
                t.wait("Keys everywhere")
                t.keys("Escape")
                t.wait_gone("Keys everywhere")
                self.assertFalse(t.exited())
                peak = peak_rss_mb(t.pid())
                self.assertLess(peak - idle, RSS_GROWTH_MB,
                                "%s: the console's peak RSS grew from %.0f to %.0f MB" % (fault, idle, peak))
                print("  %-16s %5.1f s  peak RSS %3.0f MB (+%2.0f)  %s" % (
                    fault, took, peak, peak - idle, status.strip()))
            finally:
                t.close()
            got = hs.requests()
            self.assertTrue(any(r.get("listener") == "main" and r.get("authorization")
                                for r in got), "the lookup reached the server with credentials")
            self.assertEqual([r for r in got if r.get("listener") == "other"], [],
                             "nothing was sent to the other host")

    def test_huge_length(self):
        self.run_case("huge-length")

    def test_endless_chunked(self):
        self.run_case("endless-chunked")

    def test_gzip_bomb(self):
        self.run_case("gzip-bomb")

    def test_bad_gzip(self):
        self.run_case("bad-gzip")

    def test_redirect_to_other_host(self):
        self.run_case("redirect")

    def test_close_mid_body(self):
        self.run_case("close-mid-body")


if __name__ == "__main__":
    unittest.main(verbosity=2)
