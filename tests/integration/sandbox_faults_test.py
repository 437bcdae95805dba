"""Fault injection of membercare-sandbox, flag by flag, checked
statistically with bounded request counts: --latency and --jitter delay
answers without blocking other connections, --fail-rate answers 500,
--malformed-rate answers broken bodies of four kinds, --rate-limit answers
429 with Retry-After beyond N requests per second, --fault-seed repeats.
"""

import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, Sandbox  # noqa: E402

BALANCE = "/v2/customers/%d/points/balance" % ASHA


def parallel(n, fn):
    results = [None] * n

    def run(i):
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def timed(sb, path=BALANCE):
    t0 = time.monotonic()
    r = sb.get(path)
    return time.monotonic() - t0, r


class LatencyTest(unittest.TestCase):
    def test_latency_without_blocking(self):
        # One worker thread: if a delay held the worker, 6 requests would take 3 s.
        with Sandbox("--latency", "500", "--threads", "1", template_customers=0) as sb:
            took, r = timed(sb)
            self.assertEqual(r.status, 200, r)
            self.assertGreaterEqual(took, 0.5, "expected at least 500 ms, took %.3f s" % took)
            t0 = time.monotonic()
            answers = parallel(6, lambda i: sb.get(BALANCE))
            wall = time.monotonic() - t0
            self.assertTrue(all(a.status == 200 for a in answers), answers)
            self.assertLess(wall, 2.0, "6 parallel delayed requests took %.2f s: the delay "
                            "blocks the worker" % wall)
            self.assertGreaterEqual(wall, 0.5)
            self.assertEqual(sb.stop(), 0)

    def test_jitter(self):
        with Sandbox("--jitter", "300", "--fault-seed", "7", template_customers=0) as sb:
            times = [timed(sb)[0] for _ in range(20)]
            self.assertLess(min(times), 0.15, "some answers should come early: %r" % times)
            self.assertGreater(max(times), 0.15, "some answers should come late: %r" % times)
            self.assertLess(max(times), 1.5, "no answer should wait much beyond 300 ms")


class FailRateTest(unittest.TestCase):
    def test_half_fail(self):
        with Sandbox("--fail-rate", "0.5", "--fault-seed", "1", template_customers=0) as sb:
            answers = [sb.get(BALANCE) for _ in range(200)]
            fails = [a for a in answers if a.status == 500]
            oks = [a for a in answers if a.status == 200]
            self.assertEqual(len(fails) + len(oks), 200, {a.status for a in answers})
            self.assertTrue(60 <= len(fails) <= 140, "expected about 100 of 200 to fail, "
                            "got %d" % len(fails))
            for a in fails:
                b = a.json()
                self.assertEqual(b["errors"][0]["code"], 500)
                self.assertIs(b["errors"][0]["status"], False)
                self.assertEqual(b["warnings"], [])

    def test_always_and_never(self):
        with Sandbox("--fail-rate", "1", template_customers=0) as sb:
            self.assertEqual({sb.get(BALANCE).status for _ in range(20)}, {500})
            self.assertEqual(sb.get("/v3/oauth/token/generate").status, 500,
                             "faults apply to every route")
        with Sandbox("--fail-rate", "0", template_customers=0) as sb:
            self.assertEqual({sb.get(BALANCE).status for _ in range(20)}, {200})

    def test_fault_seed_repeats(self):
        runs = []
        for _ in range(2):
            with Sandbox("--fail-rate", "0.5", "--fault-seed", "42", template_customers=0) as sb:
                runs.append([sb.get(BALANCE).status for _ in range(40)])
        self.assertEqual(runs[0], runs[1])
        self.assertEqual(set(runs[0]), {200, 500})


def malformed_kind(r):
    """Which kind of broken answer r is, or None when it is a proper answer."""
    if not r.body:
        return "empty"
    if r.headers.get("content-type", "").startswith("text/html"):
        return "html" if r.status in (200, 502) else "html with status %d" % r.status
    try:
        b = json.loads(r.body)
    except ValueError:
        return "truncated"
    if isinstance(b, dict) and isinstance(b.get("mainPoints"), float):
        return None
    return "wrong-types"


class MalformedTest(unittest.TestCase):
    def test_every_kind(self):
        with Sandbox("--malformed-rate", "1", "--fault-seed", "3", template_customers=0) as sb:
            kinds = {}
            for _ in range(80):
                k = malformed_kind(sb.get(BALANCE))
                kinds[k] = kinds.get(k, 0) + 1
            self.assertNotIn(None, kinds, "every answer should be malformed: %r" % kinds)
            self.assertEqual(set(kinds), {"empty", "html", "truncated", "wrong-types"},
                             "expected all four kinds, got %r" % kinds)
            r = sb.get("/v2/customers/%d?source=INSTORE" % ASHA)
            self.assertIsNotNone(malformed_kind(r))

    def test_wrong_types_are_wrong(self):
        with Sandbox("--malformed-rate", "1", "--fault-seed", "5", template_customers=0) as sb:
            seen = 0
            for _ in range(60):
                r = sb.get("/v2/customers/%d?source=INSTORE" % ASHA)
                if malformed_kind(r) == "wrong-types":
                    b = r.json()
                    self.assertFalse(isinstance(b.get("profiles"), list), b)
                    self.assertFalse(isinstance(b.get("id"), int), b)
                    seen += 1
            self.assertGreater(seen, 0)

    def test_rate(self):
        with Sandbox("--malformed-rate", "0.3", "--fault-seed", "9", template_customers=0) as sb:
            bad = sum(malformed_kind(sb.get(BALANCE)) is not None for _ in range(200))
            self.assertTrue(30 <= bad <= 95, "expected about 60 of 200 malformed, got %d" % bad)


class RateLimitTest(unittest.TestCase):
    def test_burst(self):
        with Sandbox("--rate-limit", "5", template_customers=0) as sb:
            time.sleep(1.1)
            answers = parallel(50, lambda i: sb.get(BALANCE))
            statuses = [a.status for a in answers]
            ok = statuses.count(200)
            limited = [a for a in answers if a.status == 429]
            self.assertEqual(ok + len(limited), 50, statuses)
            self.assertTrue(5 <= ok <= 10, "expected 5 (at most 10 across a second boundary) "
                            "answers, got %d" % ok)
            self.assertGreaterEqual(len(limited), 40)
            for a in limited:
                self.assertIn("retry-after", a.headers)
                self.assertGreaterEqual(int(a.headers["retry-after"]), 1)
                self.assertEqual(a.json(), {"errors": [{"status": False, "code": 429,
                                                        "message": "Rate limit exceeded"}],
                                            "warnings": []})
            time.sleep(1.1)
            self.assertEqual(sb.get(BALANCE).status, 200, "the window should have moved on")


if __name__ == "__main__":
    unittest.main()
