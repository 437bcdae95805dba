"""The command line of membercare-sandbox: --help covers every flag, bad
flags and a bad MEMBERCARE_NOW are one-line errors with exit status 2, a
port in use is exit status 1, the first stdout line is exactly the address,
--log writes one line per request, MEMBERCARE_NOW pins the dates.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, NEHA, Sandbox, build_dir  # noqa: E402

BINARY = os.path.join(build_dir(), "membercare-sandbox")
SRC = os.environ.get("MC_SRC") or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               "..", "..")
OTHER_TERMS = ("MEMBERCARE_NOW", "TMPDIR", "demo.agent", "demo.supervisor", "demo.viewer",
               "demo-key", "demo-secret")


def flags_in_source():
    """Every option the parser knows, from its table in sandbox/options.c."""
    with open(os.path.join(SRC, "sandbox", "options.c")) as f:
        names = re.findall(r'\{"([a-z][a-z-]*)", O_', f.read())
    if len(names) < 10:
        raise AssertionError("expected the option table in sandbox/options.c, found %r" % names)
    return ["--" + n for n in names]


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=60,
                          env=e, stdin=subprocess.DEVNULL)


class CliTest(unittest.TestCase):
    def test_help(self):
        p = run("--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        for term in flags_in_source() + list(OTHER_TERMS):
            self.assertIn(term, p.stdout, "--help should mention %s" % term)
        self.assertEqual(p.stderr, "")

    def test_man_page(self):
        with open(os.path.join(SRC, "docs", "membercare-sandbox.1")) as f:
            page = f.read().replace("\\-", "-")
        for term in flags_in_source() + list(OTHER_TERMS):
            self.assertIn(term, page, "the man page should mention %s" % term)

    def test_bad_flags(self):
        for args in (["--bogus"], ["--port"], ["--port", "70000"], ["--fail-rate", "2"],
                     ["--latency", "soon"], ["--customers", "-1"], ["--help=1"], ["extra"],
                     ["--bind", "not-an-address"]):
            p = run(*args)
            self.assertEqual(p.returncode, 2,
                             "%r: status %d, stderr %r" % (args, p.returncode, p.stderr))
            self.assertEqual(p.stdout, "")
            self.assertEqual(p.stderr.count("\n"), 1, "one line expected: %r" % p.stderr)
            self.assertTrue(p.stderr.startswith("membercare-sandbox: "), p.stderr)

    def test_bad_now(self):
        p = run("--port", "0", env={"MEMBERCARE_NOW": "next tuesday"})
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("MEMBERCARE_NOW", p.stderr)

    def test_port_in_use(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            p = run("--port", str(s.getsockname()[1]), "--customers", "0")
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("cannot listen", p.stderr)
            self.assertEqual(p.stdout, "")
        finally:
            s.close()

    def test_first_line_and_log(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "requests.log")
            with Sandbox("--customers", "0", "--log", log) as sb:
                self.assertRegex("listening on " + sb.base_url,
                                 r"^listening on http://127\.0\.0\.1:\d{2,5}$")
                sb.get("/v2/customers/%d/points/balance" % ASHA)
                sb.get("/v2/customers/search?q=a%20b&limit=2", auth=False)
                sb.get("/v2/nope")
                self.assertEqual(sb.stop(), 0)
            with open(log) as f:
                lines = f.read().splitlines()
            self.assertEqual(len(lines), 3, lines)
            self.assertRegex(lines[0], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z GET "
                             r"/v2/customers/565000001/points/balance 200 \d+ [\d.]+ms "
                             r"till=demo\.agent fault=-$")
            self.assertIn(" GET /v2/customers/search?q=a_b&limit=2 401 ", lines[1])
            self.assertIn(" GET /v2/nope 404 ", lines[2])

    def test_now_pins_dates(self):
        with Sandbox("--customers", "0", now="2030-01-15T08:00:00Z") as sb:
            b = sb.get("/v2/customers/%d?source=INSTORE" % NEHA).json()
            self.assertTrue(b["profiles"][0]["attribution"]["createDate"].startswith("2030-01-15"))
            events = sb.get("/v2/customers/%d/loyaltyEvents" % ASHA).json()["data"]
            self.assertLessEqual(events[0]["date"], "2030-01-15T08:00:00Z")
            self.assertGreaterEqual(events[0]["date"], "2029-01-01")

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^membercare-sandbox \d+\.\d+\.\d+\n$")


if __name__ == "__main__":
    unittest.main()
