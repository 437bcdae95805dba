"""End-to-end: goodwill requests and the approval queue, two consoles (an
agent and a supervisor) against one sandbox, at 80x24.

The agent raises 250 goodwill points for Ravi Kumar; the supervisor sees
the request in the queue, approves it, and the agent's customer screen shows
the new balance after a refresh, with the 250 points in Ravi's ledger
exactly once. A rejection needs a comment. A bulk approval of 10 where one
request was decided elsewhere first lists 9 successes and 1 failure; a bulk
approval of 20 lists every outcome. demo.viewer sees no write keys.
"""
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import AGENT, NEHA, RAVI, SUPERVISOR, ZOE, Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")


class RequestsE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.dir.name, "sb.db")
        cls.sb = Sandbox("--customers", "300", db=cls.db)
        cls.sb.start()
        cls.refs = 0

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.dir.cleanup()

    def console(self, user):
        return Term([CONSOLE, "--host", self.sb.base_url, "--user", user],
                    env={"MEMBERCARE_PASSWORD": "demo", "MEMBERCARE_NOW": "2026-11-25T10:00:00"})

    def sql(self, query, *args):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def raise_via_api(self, customer, points):
        RequestsE2E.refs += 1
        r = self.sb.post("/v1.1/request/add?format=json", {"root": {"request": [{
            "customer": {"id": str(customer)}, "reference_id": "e2e-%d" % RequestsE2E.refs,
            "type": "GOODWILL", "base_type": "POINTS", "points": str(points), "reason": "BILL_ISSUE",
            "comments": "bulk"}]}}, till=AGENT)
        self.assertEqual(r.status, 200, r)
        return int(r.json()["response"]["requests"]["request"][0]["id"])

    def open_queue_for(self, t, mobile):
        t.keys("F9")
        t.wait("oldest first")
        t.keys("f")
        t.wait("Filter requests")
        t.keys("Tab", "Tab", "Tab", "Tab", "Tab", "C-u")
        t.type(mobile)
        t.keys("C-s")
        # the old rows stay, marked loading, until the filtered queue arrives
        t.wait(lambda s: "Filter requests" not in s and "loading..." not in s, what="the queue of %s" % mobile)

    def test_raise_approve_reject(self):
        with self.console("demo.agent") as agent, self.console("demo.supervisor") as sup:
            sup.wait("Find member:")
            self.open_queue_for(sup, "919845000002")
            sup.wait("500 POINTS_ISSUE")  # Ravi's seeded request

            agent.wait("Find member:")
            agent.type("919845000002")
            agent.keys("Enter")
            s = agent.wait("Silver, 632 points")
            self.assertIn("g goodwill", s)
            agent.keys("g")
            agent.wait("Goodwill for Ravi Kumar (balance 632 points")
            agent.keys("Tab")
            agent.type("250")
            agent.keys("Tab", "Tab")
            agent.type("POINTS_ISSUE")
            agent.keys("Tab")
            agent.type("App outage: points missing")
            agent.keys("C-s")
            s = agent.wait("Raise 250 goodwill points for Ravi Kumar?")
            self.assertIn("Balance 632 -> 882 points", s)
            agent.keys("y")
            agent.wait("Raised goodwill request #")
            # the goodwill history reloads: q with a request in flight would cancel it, not go back
            agent.wait(lambda s: s.splitlines()[-1].endswith("? help"), what="the history reloaded")

            # the supervisor's queue shows it after a refresh; the cursor is on the newest
            sup.keys("F5")
            sup.wait(lambda s: "250 POINTS_ISSUE" in s and "2 requests" in s, what="the new request")
            sup.keys("G", "a")
            sup.wait("Approve #")
            sup.keys("C-s")
            s = sup.wait("Approve request #")
            self.assertIn("250 goodwill points for Ravi Kumar", s)
            sup.keys("y")
            sup.wait("Approved request #")

            agent.keys("q")
            agent.wait("Recent activity")
            agent.keys("F5")
            agent.wait("Silver, 882 points")
            self.assertEqual(self.sql(
                "SELECT count(*) FROM ledger_events WHERE customer_id = ? AND"
                " event_name = 'AllocateGoodwillPoints' AND net_points = 250", RAVI), [(1,)])

            # a rejection needs a comment
            sup.keys("g", "r")
            sup.wait("Reject #")
            sup.keys("C-s")
            sup.wait("Comment is required")
            sup.type("Already compensated last week")
            sup.keys("C-s")
            sup.wait("Reject request #")
            sup.keys("y")
            sup.wait("Rejected request #")
            rows = self.sql("SELECT status, updated_comments FROM requests WHERE customer_id = ? AND points = 500",
                            RAVI)
            self.assertEqual(rows, [("REJECTED", "Already compensated last week")])

            # the audit log has both decisions, completed
            sup.keys(":")
            sup.type("audit")
            sup.keys("Enter")
            s = sup.wait("request-reject")
            self.assertIn("request-approve", s)
            self.assertNotIn("no outcome", s)

    def test_bulk_approvals(self):
        ids = [self.raise_via_api(NEHA, 50 + 10 * k) for k in range(10)]
        with self.console("demo.supervisor") as sup:
            sup.wait("Find member:")
            self.open_queue_for(sup, "919845000003")
            sup.wait("10 requests")
            sup.keys("*", "A")
            s = sup.wait("Approve 10 requests, 950 points in all?")
            # another checker decides one of them first
            r = self.sb.post("/v1.1/request/reject?format=json", {"root": {"request": [{
                "id": str(ids[4]), "type": "GOODWILL", "base_type": "POINTS", "updated_comments": "x"}]}},
                till=SUPERVISOR)
            self.assertEqual(r.status, 200, r)
            sup.keys("Enter")
            sup.wait("comment (optional)")
            sup.keys("C-s")
            s = sup.wait("Approved 9 of 10 requests; 1 failed")
            self.assertIn("FAILED: 9052", s)
            self.assertEqual(s.count("approved"), 9)
            sup.keys("Enter")
            sup.wait("oldest first")

            ids = [self.raise_via_api(ZOE, 25) for _ in range(20)]
            self.open_queue_for(sup, "919845000004")
            sup.wait("20 requests")
            sup.keys("*", "A")
            sup.wait("Approve 20 requests, 500 points in all?")
            sup.keys("y")
            sup.wait("comment (optional)")
            sup.type("monthly cleanup")
            sup.keys("C-s")
            s = sup.wait("Approved 20 of 20 requests; 0 failed")
            self.assertGreaterEqual(s.count("approved"), 15)
            self.assertNotIn("FAILED", s)
            rows = self.sql("SELECT count(*) FROM requests WHERE id IN (%s) AND status = 'APPROVED'"
                            % ",".join(str(i) for i in ids))
            self.assertEqual(rows, [(20,)])

    def test_failed_filter_load_shows_no_stale_rows(self):
        # the unfiltered queue is on screen when the server goes away; the
        # filtered load fails, and its heading must not sit over the old rows
        with Sandbox("--customers", "50") as sb:
            t = Term([CONSOLE, "--host", sb.base_url, "--user", SUPERVISOR],
                     env={"MEMBERCARE_PASSWORD": "demo", "MEMBERCARE_NOW": "2026-11-25T10:00:00"})
            with t:
                t.wait("Find member:")
                t.keys("F9")
                s = t.wait(lambda s: "oldest first" in s and "loading" not in s, what="the queue")
                first = s.split("\n")[3][8:26].strip()  # the member of the first row
                self.assertTrue(first, s)
                sb.kill()
                t.keys("f")
                t.wait("Filter requests")
                t.keys("Tab", "Tab", "Tab", "Tab", "Tab", "C-u")
                t.type("919845000003")
                t.keys("C-s")
                s = t.wait("Loading the queue failed", timeout=90)
                self.assertIn("member 9198450", s.split("\n")[1])
                self.assertIn("0 requests", s.split("\n")[1])
                self.assertNotIn(first, s, "rows of the old filters")
                # nothing to mark, so nothing to decide
                t.keys("*", "A")
                t.wait("Nothing marked")

    def test_viewer_sees_no_write_keys(self):
        with self.console("demo.viewer") as t:
            t.wait("Find member:")
            t.keys("F9")
            s = t.wait("oldest first")
            self.assertNotIn("approve", s)
            t.keys("?")
            s = t.wait("Keys of the requests screen")
            for word in ("approve", "reject", "mark"):
                self.assertNotIn(word, s)
            self.assertIn("queue-filters", s)
            t.keys("q")
            t.wait_gone("Keys of the requests screen")
            # the key itself says which right is missing, not "read-only mode"
            t.keys("a")
            t.wait("'approve': till demo.viewer lacks the CanCheckRequest right")
            t.keys("q")
            t.wait("Find member:")
            t.type("919845000002")
            t.keys("Enter")
            s = t.wait(lambda s: "Recent activity" in s and "loading" not in s, what="Ravi")
            self.assertNotIn("goodwill", s)
            t.keys("g")
            t.wait("'goodwill': till demo.viewer lacks the CanMakeRequest right")


if __name__ == "__main__":
    unittest.main(verbosity=2)
