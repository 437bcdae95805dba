"""End-to-end: the terminal at its edges.

The real membercare in tmux against a real sandbox: 100 resizes in two
seconds, a 20x6 terminal (a "too small" notice, then a normal screen once
it grows), a 900-column terminal, TERM=dumb (refused, exit 2), standard
input or output that is not a terminal (refused, exit 2), SIGHUP (a clean
exit that leaves the audit log intact and stops the demo sandbox), and
suspend/resume: run as a shell with job control runs it (jobctl.py), C-z
and an outside SIGTSTP give the terminal back and stop the process; SIGCONT
brings the whole screen back, at the new size if it changed meanwhile.
"""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
JOBCTL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jobctl.py")
ASHA_MOBILE = "919845000001"


def proc_state(pid):
    """The one-letter state of pid (R, S, T, Z...), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def wait_for(pred, timeout=15, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.03)
    raise AssertionError("timed out waiting for " + what)


def frame_ok(s, width):
    """The console's frame at this width: header on top, hints and status at
    the bottom, no line wider than the terminal."""
    lines = s.splitlines()
    return (len(lines) >= 3 and lines[0].startswith(" membercare")
            and all(len(l) <= width for l in lines))


class Edges(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def console(self, width=80, height=24, term="xterm-256color", env=None):
        e = {"MEMBERCARE_PASSWORD": "demo"}
        e.update(env or {})
        return Term([CONSOLE, "--host", self.sb.url, "--user", "demo.agent"], width=width,
                    height=height, env=e, term=term)

    def find_asha(self, t):
        t.wait("Find member:")
        t.type(ASHA_MOBILE)
        t.keys("Enter")
        return t.wait("12,450", what="Asha's points")

    def test_hundred_resizes_in_two_seconds(self):
        with self.console() as t:
            self.find_asha(t)
            sizes = [(30, 8), (200, 60), (80, 24), (41, 12), (132, 43), (20, 6), (120, 30)]
            # ten batches of ten tmux resize-window commands, 0.2 s apart
            start = time.time()
            for batch in range(10):
                cmds = []
                for i in range(10):
                    w, h = sizes[(batch * 10 + i) % len(sizes)]
                    cmds += ["resize-window", "-t", "mc", "-x", str(w), "-y", str(h), ";"]
                t._tmux(*cmds[:-1])
                time.sleep(max(0.0, start + 0.2 * (batch + 1) - time.time()))
            took = time.time() - start
            self.assertLess(took, 3.0, "100 resizes took %.1f s" % took)
            t.resize(100, 30)
            s = t.wait(lambda s: frame_ok(s, 100) and "12,450" in s and "Asha Rao" in s,
                       what="a clean redraw at 100x30")
            self.assertEqual(len(s.splitlines()), 30, "the screen fills all 30 rows:\n" + s)
            self.assertIn("Recent activity", s)
            # still answering keys
            t.keys("q")
            t.wait("Find member:")
            self.assertFalse(t.exited())

    def test_narrow_tables_do_not_wrap(self):
        # columns laid out wider than the window are cut at its edge; a wrapped
        # rest would start the next row with a stray character
        def no_wrap(s):
            return all(l[:1] in ("", " ", "\u2500") for l in s.splitlines())
        for width, height in ((60, 20), (50, 15), (45, 14)):
            with self.subTest(size=(width, height)):
                with self.console(width=width, height=height) as t:
                    t.wait("Find member:")
                    t.type(ASHA_MOBILE)
                    t.keys("Enter")
                    t.wait(lambda s: "12,450" in s and "loading" not in s, what="Asha")
                    t.keys("c")
                    s = t.wait(lambda s: "Active (" in s, what="the coupons")
                    self.assertTrue(no_wrap(s), s)
                    t.keys("q")
                    t.wait(lambda s: "Coupons" not in s.splitlines()[0], what="back")
                    t.keys("l")
                    s = t.wait(lambda s: "Balance" in s and "2026-" in s and "loading" not in s,
                               what="the ledger rows")
                    self.assertTrue(no_wrap(s), s)

    def test_too_small_then_grown(self):
        with self.console(width=20, height=6) as t:
            # the size needed shows even in 20 columns
            s = t.wait("Too small: 40x12")
            self.assertFalse(t.exited())
            t.resize(80, 24)
            t.wait(lambda s: frame_ok(s, 80) and "Find member:" in s, what="the normal screen")
            self.find_asha(t)
            t.resize(20, 6)
            t.wait("Too small: 40x12")
            t.keys("Q")
            t.wait("[exited 0]")

    def test_900_columns(self):
        with self.console(width=900, height=40) as t:
            s = self.find_asha(t)
            self.assertTrue(frame_ok(s, 900), s)
            header = s.splitlines()[0]
            self.assertIn("demo.agent@", header)
            self.assertGreater(len(header), 800, "the header spans the width")
            self.assertIn("Asha Rao", s)

    def test_term_dumb_is_refused(self):
        with self.console(term="dumb") as t:
            s = t.wait("[exited 2]")
            self.assertIn("cannot draw screens", s)
            self.assertIn("dumb", s)

    def test_not_a_terminal_is_refused(self):
        env = dict(os.environ, MEMBERCARE_PASSWORD="demo", TERM="xterm-256color")
        argv = [CONSOLE, "--host", self.sb.url, "--user", "demo.agent"]
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=env, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("needs a terminal", r.stderr)
        self.assertIn("standard input", r.stderr)
        self.assertEqual(r.stdout, "")
        # a terminal (a pty) on stdin, but the output goes into a pipe
        master, slave = os.openpty()
        try:
            r = subprocess.run(argv, stdin=slave, capture_output=True, text=True, env=env,
                               timeout=30)
        finally:
            os.close(slave)
            os.close(master)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("needs a terminal", r.stderr)
        self.assertIn("standard output", r.stderr)
        self.assertEqual(r.stdout, "", "nothing is drawn into the pipe")

    def test_sighup_exits_cleanly(self):
        with self.console() as t:
            state = os.path.join(t.home, ".local", "state", "membercare")
            os.makedirs(state, exist_ok=True)
            audit = os.path.join(state, "audit.jsonl")
            before = ('{"id":1,"phase":"sent","time":"2026-11-25T10:00:00.000Z","till":"demo.agent",'
                      '"action":"goodwill","member":565000001,"ref":"r1","detail":"50 points"}\n'
                      '{"id":1,"phase":"done","time":"2026-11-25T10:00:01.000Z","ok":true,'
                      '"response_id":"9","message":""}\n')
            with open(audit, "w") as f:
                f.write(before)
            self.find_asha(t)
            pid = t.pid()
            os.kill(pid, signal.SIGHUP)
            t.wait("[exited 0]")
            self.assertIsNone(proc_state(pid), "the console is gone")
            with open(audit) as f:
                after = f.read()
            self.assertTrue(after.startswith(before), "earlier records are untouched")
            for line in after.splitlines():
                json.loads(line)  # every record is whole

    def test_sighup_stops_the_demo_sandbox(self):
        # a small demo database: seeding the full one is not what is tested here
        with Term([CONSOLE, "--demo", "--sandbox-args", "--customers 100"], width=80,
                  height=24) as t:
            t.wait("Find member:", timeout=60)
            pid = t.pid()
            kids = children(pid)
            self.assertEqual(len(kids), 1, "one demo sandbox child: %r" % kids)
            os.kill(pid, signal.SIGHUP)
            t.wait("[exited 0]", timeout=30)
            wait_for(lambda: proc_state(kids[0]) in (None, "Z"), what="the demo sandbox to stop")

    def job(self):
        """The console under a job-control parent (tests/e2e/jobctl.py), as a
        shell runs it; returns (term, the console's pid)."""
        t = Term([sys.executable, JOBCTL, CONSOLE, "--host", self.sb.url, "--user", "demo.agent"],
                 env={"MEMBERCARE_PASSWORD": "demo"})
        wait_for(lambda: children(t.pid()), what="the console to start")
        return t, children(t.pid())[0]

    def test_ctrl_z_then_sigcont_redraws(self):
        t, pid = self.job()
        with t:
            self.find_asha(t)
            t.keys("C-z")
            wait_for(lambda: proc_state(pid) == "T", what="the console to stop on C-z")
            # the terminal was given back: the console's screen is gone
            t.wait(lambda s: "12,450" not in s and "membercare" not in s,
                   what="the console's screen to be put away")
            os.kill(pid, signal.SIGCONT)
            s = t.wait(lambda s: frame_ok(s, 80) and "12,450" in s and "Recent activity" in s,
                       what="the whole screen back after SIGCONT")
            self.assertEqual(len(s.splitlines()), 24, s)
            # and keys work again (raw mode restored): q goes back to the search
            t.keys("q")
            t.wait("Find member:")

    def test_outside_sigtstp_then_sigcont(self):
        t, pid = self.job()
        with t:
            self.find_asha(t)
            os.kill(pid, signal.SIGTSTP)
            wait_for(lambda: proc_state(pid) == "T", what="the console to stop on SIGTSTP")
            t.wait(lambda s: "12,450" not in s, what="the terminal given back")
            t.resize(100, 30)  # the size changes while it is stopped
            os.kill(pid, signal.SIGCONT)
            t.wait(lambda s: frame_ok(s, 100) and "12,450" in s and len(s.splitlines()) == 30,
                   what="a full redraw at the new size")
            t.keys("q")
            t.wait("Find member:")


if __name__ == "__main__":
    unittest.main(verbosity=2)
