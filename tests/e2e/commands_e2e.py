"""End-to-end: the `:` command line, type-ahead and :wrapup, at 80x24.

Each verb reaches its screen; wrong arity names the synopsis; Tab completes
and the synopsis shows while a verb is typed; the history survives a
restart (in $XDG_STATE_HOME, 0600 in a 0700 directory). Against a sandbox
answering after 500 ms: `919845000001` Enter `l` typed without waiting
lands on Asha's ledger; keys typed before a not-found answer are dropped
with a beep and a status line naming them; a supervisor approves Ravi
Kumar's oldest pending request with one command line (through the usual
form and confirmation). :wrapup drafts a note listing a goodwill request
raised earlier in the session, and the agent saves it.
"""
import json
import os
import sqlite3
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import AGENT, ASHA, NEHA, RAVI, SUPERVISOR, Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
NOW = "2026-11-25T10:00:00"


def status_line(screen):
    return screen.split("\n")[-1]


class CommandsE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fast = Sandbox(template_customers=50).start()
        cls.slow = Sandbox("--latency", "500", template_customers=50).start()

    @classmethod
    def tearDownClass(cls):
        cls.fast.stop()
        cls.slow.stop()

    def console(self, sb, user=AGENT, env=None):
        e = {"MEMBERCARE_PASSWORD": "demo", "MEMBERCARE_NOW": NOW}
        e.update(env or {})
        t = Term([CONSOLE, "--host", sb.base_url, "--user", user], env=e)
        self.addCleanup(t.close)
        t.wait("Find member")
        return t

    def command(self, t, line):
        t.keys(":")
        t.wait(lambda s: status_line(s).startswith(":"), what="the command line")
        t.type(line)
        t.keys("Enter")

    def sql(self, sb, query, *args):
        con = sqlite3.connect(sb.db, timeout=10)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def bell(self, t):
        return t._tmux("display-message", "-p", "-t", "mc", "#{window_bell_flag}").stdout.strip() == "1"

    # -- every verb reaches its screen --------------------------------------

    def test_verbs_reach_their_screens(self):
        t = self.console(self.fast)
        self.command(t, "ledger")
        t.wait("No member is open")
        self.command(t, "customer 919845000001")
        t.wait("Customer id  %d" % ASHA)
        self.command(t, "ledger")
        # the tabs show at once; :export needs the first page of rows
        t.wait(lambda s: "Expiry schedule" in s and "row 1 of" in s, what="the ledger rows")
        out = os.path.join(t.home, "asha.csv")
        self.command(t, "export " + out)
        t.wait("Exported")
        self.assertTrue(os.path.getsize(out) > 100, "the export wrote nothing")
        self.command(t, "coupons")
        t.wait(lambda s: "Rao: " in s and "coupons" in s and "› Coupons" in s, what="Asha's coupons")
        code = self.sql(self.fast, "SELECT code FROM coupons WHERE customer_id = ? AND status = 'ACTIVE' "
                        "ORDER BY code DESC LIMIT 1", ASHA)[0][0]
        self.command(t, "ledger")  # from a child screen: back to the member, then the ledger
        t.wait(lambda s: "› Ledger" in s and "Coupons" not in s.split("\n")[0], what="ledger above the member")
        self.command(t, "coupon " + code)
        t.wait("› Coupons")
        t.keys("Enter")  # the coupon asked for is the one selected
        t.wait(lambda s: code in s.split("\n")[0], what="coupon %s opened" % code)
        t.keys("Escape")
        self.command(t, "tickets")
        t.wait("Tickets: 3, 1 open")
        self.command(t, "audit")
        t.wait("Audit log")
        self.command(t, "requests status=pending type=goodwill-points")
        t.wait("oldest first (PENDING")
        self.command(t, "requests status=maybe")
        t.wait("requests: status= pending, approved, rejected or any")
        self.command(t, "find 919845000004")
        t.wait("Zoë Ångström")
        self.command(t, "theme mono")
        t.wait("Theme mono")
        self.command(t, "set bogus 1")
        t.wait("unknown setting 'bogus'")
        self.command(t, "ledger now")
        t.wait("ledger takes no arguments: ledger")
        self.command(t, "goodwill 1 2 3 4")
        t.wait('goodwill takes at most 3 arguments: goodwill POINTS REASON "comment"')
        self.command(t, "frobnicate")
        t.wait("Unknown command ':frobnicate'")

        # completion and inline help
        t.keys(":")
        t.type("wra")
        t.keys("Tab")
        t.wait(lambda s: status_line(s).startswith(":wrapup "), what="completed verb")
        t.keys("C-u")
        t.type("goodwill 5")
        t.wait(lambda s: 'goodwill POINTS REASON "comment"' in status_line(s), what="inline synopsis")
        t.keys("C-u")
        t.type("theme h")
        t.keys("Tab")
        t.wait(lambda s: status_line(s).startswith(":theme high-contrast"), what="completed theme")
        t.keys("C-u")
        t.type("requests st")
        t.keys("Tab")
        t.type("a")
        t.keys("Tab")
        t.wait(lambda s: status_line(s).startswith(":requests status=approved"), what="completed filter")
        t.keys("Escape")
        self.command(t, "quit")
        t.wait("[exited 0]")

    # -- history -------------------------------------------------------------

    def test_history_survives_a_restart(self):
        state = tempfile.mkdtemp(prefix="mc-state-")
        self.addCleanup(lambda: os.system("rm -rf '%s'" % state))
        env = {"XDG_STATE_HOME": state}
        t = self.console(self.fast, env=env)
        self.command(t, "customer 919845000002")
        t.wait("Customer id  %d" % RAVI)
        self.command(t, "tickets")
        t.wait("Tickets")
        self.command(t, "tickets")
        self.command(t, "quit")
        t.wait("[exited 0]")
        path = os.path.join(state, "membercare", "history")
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        with open(path) as f:
            self.assertEqual(f.read(), "customer 919845000002\ntickets\nquit\n")

        t2 = self.console(self.fast, env=env)
        t2.keys(":", "Up", "Up")
        t2.wait(lambda s: status_line(s).startswith(":tickets"), what="the last run's history")
        t2.keys("Up")
        t2.wait(lambda s: status_line(s).startswith(":customer 919845000002"), what="older history")
        t2.keys("Enter")
        t2.wait("Customer id  %d" % RAVI)

    # -- type-ahead ----------------------------------------------------------

    def test_typeahead_lands_on_the_ledger(self):
        t = self.console(self.slow)
        t.type("919845000001")
        t.keys("Enter")
        t.type("l")
        s = t.wait("Expiry schedule", timeout=30)
        self.assertIn("Asha Rao › Ledger", s.split("\n")[0])
        self.assertNotIn("Dropped", s)

    def test_typeahead_follows_a_chain(self):
        t = self.console(self.slow)
        self.command(t, "customer 919845000003; tickets")
        s = t.wait("› Tickets", timeout=30)
        self.assertIn("Neha", s.split("\n")[0])
        # from a child screen: back to the search screen first, then on
        self.command(t, "customer 919845000002; ledger")
        s = t.wait("Ravi Kumar › Ledger", timeout=30)
        t.wait("Expiry schedule")
        self.assertNotIn("Dropped", t.screen())

    def test_typeahead_dropped_when_the_screen_changes(self):
        t = self.console(self.slow)
        self.assertFalse(self.bell(t))
        t.type("919800000000")
        t.keys("Enter")
        t.type("lj")
        s = t.wait("typed ahead", timeout=30)
        self.assertIn("No member found", status_line(s))
        self.assertIn("Dropped 2 keys typed ahead: l j", status_line(s))
        self.assertNotIn("Ledger", s)
        self.assertTrue(self.bell(t), "the terminal did not beep")
        # Esc while keys wait also drops them
        t.keys("C-u")
        t.type("919845000002")
        t.keys("Enter")
        t.type("c")
        t.keys("Escape")
        t.wait("Cancelled")
        self.assertNotIn("Coupons", t.screen().split("\n")[0])

    def test_command_typed_while_the_search_loads(self):
        # `:` after a query in the field opens the command line, not a `:` in the
        # query; the command runs on the member the search opens, and the letters
        # of the verb never act on a screen (`s` would resend a coupon)
        t = self.console(self.slow)
        t.type("919845000001")
        t.keys("Enter")
        t.type(":coupons")
        t.keys("Enter")
        s = t.wait("runs once the screen has its data")
        self.assertEqual(s.split("\n")[1].strip(), "Find member:  919845000001", "the query is as typed")
        s = t.wait(lambda s: "Asha Rao › Coupons" in s.split("\n")[0] and "Loading" not in s,
                   timeout=30, what="Asha's coupons")
        self.assertNotIn("›", s.split("\n")[0].split("Coupons", 1)[1], "no coupon opened")
        self.assertNotIn("again", status_line(s))
        self.assertEqual(self.audited(t), [], "nothing was sent")

    def audited(self, t):
        """The actions in the console's audit log (the writes it sent)."""
        actions = []
        for root, _, files in os.walk(t.home):
            if "audit.jsonl" in files:
                with open(os.path.join(root, "audit.jsonl")) as f:
                    actions += [json.loads(l).get("action") for l in f if l.strip()]
        return actions

    def test_a_paste_is_text_not_keys(self):
        t = self.console(self.fast)
        # into the search field: newlines and controls do not search or clear
        t.type("\x1b[200~Asha\x01\x07\x1b[31mRao\tx\nline2\x1b[201~")
        s = t.wait("line2")
        self.assertIn("Find member:  Asha[31mRao x line2", s)
        self.assertNotIn("Searching", status_line(s))
        t.keys("C-u")
        t.type("919845000002")
        t.keys("Enter")
        t.wait(lambda s: "Recent activity" in s and "loading" not in s, what="Ravi")
        t.keys("c")
        s = t.wait(lambda s: "Ravi Kumar › Coupons" in s.split("\n")[0] and "Loading" not in s,
                   what="Ravi's coupons")
        # into the command line: the newline does not run it, the rest stays text
        t.keys(":")
        t.type("\x1b[200~theme default\ns\x1b[201~")
        s = t.wait(lambda s: status_line(s).startswith(":theme default s"), what="the pasted line")
        t.keys("Escape")
        # onto a list: nothing is pressed (s resends, y confirms)
        t.type("\x1b[200~s\ny\x1b[201~")
        s = t.wait("Pasted text ignored")
        self.assertNotIn("again", s)
        self.assertNotIn("Resend", s)
        self.assertEqual(self.audited(t), [], "nothing was sent")
        # the same key pressed is a resend, and the log shows it
        t.keys("s")
        t.wait(lambda s: "again" in status_line(s), what="the resend")
        self.assertIn("coupon-resend", self.audited(t))

    # -- the supervisor's one-liner -------------------------------------------

    def test_supervisor_approves_ravis_oldest_pending_request(self):
        pending = self.sql(self.slow, "SELECT id FROM requests WHERE customer_id = ? AND status = 'PENDING' "
                           "ORDER BY raised_on, id", RAVI)
        self.assertTrue(pending, "the seed has no pending request for Ravi")
        oldest = pending[0][0]
        t = self.console(self.slow, user=SUPERVISOR)
        self.command(t, "requests member=919845000002 status=pending sort=oldest; approve")
        t.wait("Approve #%d: Ravi Kumar" % oldest, timeout=30)
        t.keys("C-s")
        t.wait("Approve request #%d?" % oldest)
        t.keys("y")
        t.wait("Approved request #%d" % oldest, timeout=30)
        status = self.sql(self.slow, "SELECT status FROM requests WHERE id = ?", oldest)[0][0]
        self.assertEqual(status, "APPROVED")

    # -- wrap-up -------------------------------------------------------------

    def test_wrapup_drafts_a_note_of_the_session(self):
        t = self.console(self.fast)
        self.command(t, "customer 919845000003")
        t.wait("Customer id  %d" % NEHA)
        self.command(t, "goodwill")
        t.wait("Goodwill for Neha")
        t.keys("Escape")
        t.wait_gone("Goodwill for Neha")
        # the reasons the goodwill screen loaded complete the second argument
        t.keys(":")
        t.type("goodwill 120 POI")
        t.keys("Tab")
        t.wait(lambda s: status_line(s).startswith(":goodwill 120 POINTS_ISSUE "), what="completed reason")
        t.type('"late bill e2e"')
        t.keys("Enter")
        t.wait("Raise 120 goodwill points")
        t.keys("y")
        t.wait("Raised goodwill request")
        self.command(t, "wrapup")
        s = t.wait("New note")
        self.assertIn("Raised: goodwill 120 points", s)
        self.assertIn("Copied the wrap-up note", status_line(s))
        t.keys("C-s")
        t.wait_gone("New note")
        rows = self.sql(self.fast, "SELECT text FROM notes WHERE customer_id = ? ORDER BY id DESC LIMIT 1", NEHA)
        self.assertTrue(rows and "Raised: goodwill 120 points, POINTS_ISSUE" in rows[0][0], rows)


if __name__ == "__main__":
    unittest.main(verbosity=2)
