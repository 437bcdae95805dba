"""End-to-end: the real membercare in tmux against a real sandbox.

Covers the console core: search by mobile, email and name, opening a
member, going back, help, the command line, resizing, --readonly, a slow
sandbox (spinner, keys still answered, Esc cancels), a failing sandbox,
--demo, at 80x24 and 132x43 and under several TERM values and NO_COLOR.
"""
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import Sandbox  # noqa: E402
from tmuxterm import DEFAULT_TIMEOUT, Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
# The first --demo of a run seeds the day's template: slow, slower still under sanitizers.
DEMO_START = max(120, 10 * DEFAULT_TIMEOUT)


def console(sb, *extra, width=80, height=24, term="xterm-256color", env=None, user="demo.agent"):
    e = {"MEMBERCARE_PASSWORD": "demo"}
    if env:
        e.update(env)
    return Term([CONSOLE, "--host", sb.url, "--user", user] + list(extra),
                width=width, height=height, env=e, term=term)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


class SharedSandbox(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox()
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()


class SearchAndCustomer(SharedSandbox):
    def find_asha(self, t, query):
        t.wait("Find member:")
        t.type(query)
        t.keys("Enter")

    def assert_asha(self, t):
        # identity, tier and points arrive from separate requests, in any order
        s = t.wait(lambda s: "12,450" in s and "Gold" in s and "asha.rao@example.com" in s
                   and "loading..." not in s, what="Asha's identity, tier and points")
        self.assertIn("Asha Rao", s)
        self.assertIn("Gold", s)
        self.assertIn("919845000001", s)
        self.assertIn("asha.rao@example.com", s)
        self.assertIn("Search", s)  # breadcrumbs

    def test_by_mobile_at_sizes_and_terms(self):
        for width, height in ((80, 24), (132, 43)):
            for term, env in (("xterm-256color", None), ("screen", None), ("vt100", None),
                              ("xterm-256color", {"NO_COLOR": "1"})):
                with self.subTest(size=(width, height), term=term, env=env):
                    with console(self.sb, width=width, height=height, term=term, env=env) as t:
                        self.find_asha(t, "919845000001")
                        self.assert_asha(t)
                        s = t.wait("Recent activity")
                        self.assertIn("Asha Rao", s.splitlines()[0])  # crumb in the header

    def test_by_email(self):
        with console(self.sb) as t:
            self.find_asha(t, "asha.rao@example.com")
            self.assert_asha(t)

    def test_by_name_then_open_and_back(self):
        with console(self.sb) as t:
            self.find_asha(t, "Asha")
            s = t.wait("match 'Asha'")
            self.assertIn("Asha Rao", s)
            # tier and points fill in per row
            t.wait(lambda s: "Gold" in s and "12,450" in s, what="row details")
            # select the Asha Rao row and open it
            for _ in range(40):
                row = [l for l in t.screen().splitlines() if "Asha Rao" in l]
                if row:
                    break
            t.keys("Enter")
            self.assert_asha(t)
            t.keys("q")
            # the status line keeps "3 members match 'Asha'" on the member's screen too
            s = t.wait(lambda s: "match 'Asha'" in s and "Find member:" in s, what="the results again")
            self.assertNotIn("Recent activity", s)

    def test_rows_keep_their_query(self):
        # the list under the field belongs to the search that filled it, not to
        # a later exact lookup typed over it; paging goes on with that search
        with console(self.sb) as t:
            self.find_asha(t, "a")
            s = t.wait(lambda s: "match 'a' (20 loaded)" in s, what="a page of matches for 'a'")
            t.keys("e", "C-u")
            t.type("919845000002")
            t.keys("Enter")
            t.wait("Recent activity")
            t.keys("q")
            s = t.wait("Find member:")
            self.assertIn("match 'a' (20 loaded)", s.split("\n")[2])
            t.keys("Tab", "G")
            s = t.wait(lambda s: "match 'a' (40 loaded)" in s, what="the next page of 'a'")
            self.assertNotIn("919845000002'", s.split("\n")[2])

    def test_not_found_keeps_query(self):
        with console(self.sb) as t:
            self.find_asha(t, "919800000000")
            s = t.wait("No member found")
            self.assertIn("919800000000", s)

    def test_help_and_command_line(self):
        with console(self.sb) as t:
            t.wait("Find member:")
            t.keys("F1")
            s = t.wait("Keys everywhere")
            self.assertIn("move-down", s)
            self.assertIn("Help", s.splitlines()[0])
            t.keys("q")
            t.wait_gone("Keys everywhere")
            t.keys(":")
            t.type("customer 919845000002")
            t.keys("Enter")
            s = t.wait("Ravi Kumar")
            self.assertIn("Silver", t.wait("Silver"))
            # help of the customer screen lists its own keys from the keymap
            t.keys("?")
            s = t.wait("Keys of the customer screen")
            self.assertIn("ledger", s)
            self.assertIn("goodwill", s)
            t.keys("Escape")
            t.wait_gone("Keys of the customer")
            t.keys("l")
            s = t.wait("Ledger", what="the ledger screen")
            self.assertIn("Ravi Kumar", s.splitlines()[0])
            t.keys("q")
            t.wait("Recent activity")
            # an unknown command is reported, not fatal
            t.keys(":")
            t.type("frobnicate")
            t.keys("Enter")
            t.wait("Unknown command ':frobnicate'")
            # Tab completes action names
            t.keys(":")
            t.type("hel")
            t.keys("Tab")
            t.wait(lambda s: s.splitlines()[-1].startswith(":help"), what=":help completion")
            t.keys("Enter")
            t.wait("Keys of the customer screen")

    def test_resize(self):
        with console(self.sb) as t:
            self.find_asha(t, "919845000001")
            self.assert_asha(t)
            t.resize(132, 43)
            s = t.wait(lambda s: len(s.splitlines()[0]) > 100, what="a wide header")
            self.assertIn("Recent activity", s)
            t.resize(40, 12)
            s = t.wait(lambda s: max(len(l) for l in s.splitlines()) <= 40 and "Asha" in s,
                       what="redraw at 40x12")
            t.resize(30, 8)
            t.wait("Too small: 40x12")
            t.resize(80, 24)
            self.assert_asha(t)
            for i in range(20):
                t.resize(60 + i, 15 + i % 5)
            t.resize(80, 24)
            self.assert_asha(t)

    def test_quit_from_root_asks(self):
        with console(self.sb) as t:
            t.wait("Find member:")
            t.keys("Escape")
            t.wait("Quit membercare?")
            t.keys("n")
            t.wait_gone("Quit membercare?")
            t.keys("Escape")
            t.wait("Quit membercare?")
            t.keys("y")
            t.wait("[exited 0]")


class ReadOnly(SharedSandbox):
    def test_readonly_hides_writes(self):
        with console(self.sb, "--readonly") as t:
            t.wait("Find member:")
            self.assertIn("[RO]", t.screen().splitlines()[0])
            t.type("919845000001")
            t.keys("Enter")
            s = t.wait("12,450")
            self.assertNotIn(" goodwill ", s.splitlines()[-2])
            t.keys("g")
            t.wait("Read-only mode")
            t.keys("?")
            s = t.wait("Keys of the customer screen")
            own = s.split("Keys of the customer screen")[1].split("Keys everywhere")[0]
            names = [l[22:38].strip() for l in own.splitlines() if len(l) > 22]
            self.assertIn("ledger", names)
            self.assertNotIn("goodwill", names)


class SlowSandbox(unittest.TestCase):
    def test_spinner_keys_and_cancel(self):
        with Sandbox(["--latency", "4000"]) as sb:
            with console(sb) as t:
                t.wait("Find member:")
                t.type("919845000001")
                t.keys("Enter")
                s = t.wait("loading", what="the spinner")
                self.assertIn("Esc cancels", s)
                # keys are still answered while the request is out
                t.keys("F1")
                t.wait("Keys everywhere")
                t.keys("q")
                t.wait_gone("Keys everywhere")
                t.keys("Escape")
                t.wait("Cancelled")
                t.wait_gone("loading")
                # the cancelled answer would have come 4 s after the request: it must not show
                time.sleep(5)
                self.assertNotIn("12,450", t.screen())
                # the same query again completes
                t.keys("Enter")
                t.wait("12,450", timeout=30)


class FailingSandbox(unittest.TestCase):
    def test_every_request_fails(self):
        with Sandbox(["--fail-rate", "1"]) as sb:
            with console(sb) as t:
                t.wait("Find member:")
                t.type("919845000001")
                t.keys("Enter")
                s = t.wait("failed", timeout=40)
                # a server failure of the exact lookup is reported as such, not as a
                # failed search behind it
                self.assertIn("Lookup failed", s.splitlines()[-1])
                self.assertIn("500", s)
                self.assertFalse(t.exited())
                t.keys(":")
                t.type("search Asha")
                t.keys("Enter")
                t.wait(lambda s: "Search failed" in s.splitlines()[-1] and "Asha" in s.splitlines()[1],
                       timeout=40, what="the failure of the search for Asha")
                self.assertFalse(t.exited())

    def test_wrong_password_is_explained(self):
        with Sandbox() as sb:
            with console(sb, env={"MEMBERCARE_PASSWORD": "wrong"}) as t:
                t.wait("Find member:")
                t.type("919845000001")
                t.keys("Enter")
                t.wait("refused the sign-in")


class Demo(unittest.TestCase):
    def test_demo_starts_and_stops_its_sandbox(self):
        with Term([CONSOLE, "--demo"]) as t:
            t.wait("Find member:", timeout=DEMO_START)
            self.assertIn("demo.agent", t.screen().splitlines()[0])
            pid = t.pid()
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
            self.assertEqual(len(kids), 1, "one sandbox child")
            child = int(kids[0])
            t.type("Asha")
            t.keys("Enter")
            t.wait("Asha Rao")
            t.keys("Q")
            t.wait("[exited 0]")
            deadline = time.time() + 10
            while pid_alive(child) and time.time() < deadline:
                time.sleep(0.05)
            self.assertFalse(pid_alive(child), "the sandbox stopped with the console")

    def test_demo_sandbox_stops_when_console_killed(self):
        with Term([CONSOLE, "--demo", "--user", "demo.supervisor"]) as t:
            t.wait("demo.supervisor", timeout=DEMO_START)
            pid = t.pid()
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                child = int(f.read().split()[0])
            os.kill(pid, signal.SIGKILL)
            deadline = time.time() + 10
            while pid_alive(child) and time.time() < deadline:
                time.sleep(0.05)
            self.assertFalse(pid_alive(child), "the sandbox stopped when the console died")


if __name__ == "__main__":
    unittest.main(verbosity=2)
