"""End-to-end: the coupons screen in the real membercare at 80x24 in tmux,
against sandboxes whose stores are read back with sqlite3.

The journey of the issue: an agent issues WELCOME20 to Asha Rao, sees it
appear, redeems it on a bill, sees the redemption, and is told why a second
redemption is refused; the store then holds exactly one new coupon and one
redemption. Also: each other action (check, revoke with a reason,
reactivate, resend), the refusals (an expired coupon, a coupon another till
redeemed meanwhile), --readonly hiding every write, coupon lookup by code
from the search screen, the non-ASCII member, a 500 during issue retried by
hand leaving exactly one coupon, and an issue whose answer was lost after
the server did the work, which must not be repeated.
"""
import json
import os
import re
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import ASHA, NEHA, RAVI, ZOE, Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
WELCOME20 = 11
ISSUED = re.compile(r"Issued ([A-Z0-9]{8,10}) \(WELCOME20, valid till 31 Dec 2026\) to")


def console(sb, *extra, user="demo.agent"):
    return Term([CONSOLE, "--host", sb.url, "--user", user] + list(extra), width=80, height=24,
                env={"MEMBERCARE_PASSWORD": "demo"})


def open_coupons(t, mobile, name):
    t.wait("Find member:")
    t.type(mobile)
    t.keys("Enter")
    t.wait("Recent activity")
    t.keys("c")
    return t.wait(re.compile(r"%s: \d+ coupons?" % re.escape(name)).search, what="the coupon list")


def strip(screen):
    """The first line of the selected coupon's strip under the list."""
    lines = screen.splitlines()
    rules = [i for i, l in enumerate(lines) if l.startswith("────")]
    return lines[rules[-1] + 1] if len(rules) > 1 and rules[-1] + 1 < len(lines) else ""


def select(t, code):
    t.keys(":")
    t.type("coupon " + code)
    t.keys("Enter")
    t.wait(lambda s: strip(s).startswith(" " + code + "  "), what="%s selected" % code)


def status(screen):
    return screen.splitlines()[-1]


def dialog_text(screen):
    """The confirmation dialog's question on one line (it wraps on screen)."""
    lines = screen.splitlines()
    row = next((i for i, l in enumerate(lines) if "[y] Yes" in l), None)
    if row is None:
        return ""
    left = lines[row].rindex("│", 0, lines[row].index("[y] Yes"))
    top = row
    while top > 0 and len(lines[top - 1]) > left and lines[top - 1][left] == "│":
        top -= 1
    parts = [l[left + 1:].split("│", 1)[0].strip() for l in lines[top:row]]
    return " ".join(p for p in parts if p)


def wait_dialog(t, question):
    return t.wait(lambda s: question in dialog_text(s), what="the question %r" % question)


def issue_welcome20(t, name, answer="y"):
    t.keys("i")
    t.wait("Issue a coupon to %s" % name)
    t.type("WELCOME20")
    t.wait("WELCOME20 20% off")
    t.keys("Enter")
    wait_dialog(t, 'Issue "WELCOME20" (20% off, valid till 31 Dec 2026) to ' + name + "?")
    if answer:
        t.keys(answer)


class Journey(unittest.TestCase):
    """One sandbox; the tests run in name order and each uses its own coupons."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="mc-e2e-coupons-")
        cls.db = os.path.join(cls.dir.name, "sandbox.db")
        cls.sb = Sandbox("--customers", "50", db=cls.db)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.dir.cleanup()

    def query(self, sql, *args):
        with sqlite3.connect(self.db) as db:
            return db.execute(sql, args).fetchall()

    def code_where(self, customer, status_word):
        return self.query("SELECT code FROM coupons WHERE customer_id = ? AND status = ?"
                          " ORDER BY id LIMIT 1", customer, status_word)[0][0]

    def test_1_issue_redeem_and_second_redemption_refused(self):
        coupons_before = self.query("SELECT count(*) FROM coupons")[0][0]
        redemptions_before = self.query("SELECT count(*) FROM coupon_redemptions")[0][0]
        with console(self.sb) as t:
            s = open_coupons(t, "919845000001", "Asha Rao")
            self.assertIn("Asha Rao: 7 coupons", s)
            for group in ("Active (2)", "Redeemed (3)", "Expired (1)", "Revoked (1)"):
                self.assertIn(group, s)
            self.assertIn("Search › Asha Rao › Coupons", s.splitlines()[0])

            # Issue; pressing submit again while the answer is on its way does nothing.
            issue_welcome20(t, "Asha Rao")
            t.keys("C-s", "C-s")
            s = t.wait(ISSUED.search, what="the issue's toast")
            code = ISSUED.search(s).group(1)
            s = t.wait("Active (3)")
            self.assertTrue(strip(s).startswith(" %s  Welcome 20%% off (WELCOME20)" % code), strip(s))
            row = [l for l in s.splitlines() if l.startswith(" " + code + " ")][0]
            self.assertIn("31 Dec 2026 23:59", row)  # valid till, date and time
            self.assertIn("25 Nov 2026", row)        # issued on

            # Redeem on a bill.
            t.keys("r")
            t.wait("Redeem %s for Asha Rao" % code)
            t.type("B-7001")
            t.keys("Tab")
            t.type("1500")
            t.keys("Enter")
            s = wait_dialog(t, 'Redeem "%s" (20%% off, up to 1,000) for Asha Rao on bill B-7001 of 1,500?'
                            % code)
            self.assertIn("The coupon is then used up.", dialog_text(s))
            t.keys("y")
            s = t.wait(re.compile(r"Redeemed %s on bill B-7001 \(redemption \d+\)" % code).search,
                       what="the redemption's toast")
            s = t.wait("Redeemed (4)")
            self.assertIn("Redeemed 25 Nov 2026 10:00 at Bengaluru Indiranagar, bill B-7001", s)

            # A second redemption is refused, with why.
            t.keys("r")
            s = t.wait("%s was already redeemed on 25 Nov 2026 10:00 (bill B-7001" % code)
            self.assertIn("was already redeemed", status(s))
            self.assertNotIn("Redeem %s for" % code, s)  # no form for a used coupon
            # The server says the same when asked.
            t.keys("c")
            s = t.wait("%s cannot be redeemed: it has already been redeemed" % code)

            # Everything the API knows about it.
            t.keys("Enter")
            t.wait("Coupon %s of Asha Rao" % code)
            # the title comes before the coupon's details arrive
            t.wait("WELCOME20", what="the coupon's series")
            self.assertIn("B-7001", t.wait("Redemptions"))
            t.keys("q")
            t.wait("Redeemed (4)")

        self.assertEqual(self.query("SELECT count(*) FROM coupons")[0][0], coupons_before + 1)
        self.assertEqual(self.query("SELECT count(*) FROM coupon_redemptions")[0][0], redemptions_before + 1)
        rows = self.query("SELECT c.customer_id, c.series_id, r.bill_number, r.bill_amount FROM coupons c"
                          " JOIN coupon_redemptions r ON r.coupon_id = c.id WHERE c.code = ?", code)
        self.assertEqual(rows, [(ASHA, WELCOME20, "B-7001", 1500.0)])

    def test_2_refusals_expired_and_redeemed_elsewhere(self):
        expired = self.code_where(ASHA, "EXPIRED")
        with console(self.sb) as t:
            open_coupons(t, "919845000001", "Asha Rao")
            select(t, expired)
            t.keys("r")
            s = t.wait("%s cannot be redeemed: it expired on" % expired)
            self.assertNotIn("Bill number", s)

            # Another till redeems a coupon while the list shows it active.
            code = self.sb.post("/v2/coupon/issue", {"seriesId": WELCOME20, "customer": {"id": ASHA}}).json()["code"]
            t.keys("C-r")
            t.wait(code)
            select(t, code)
            r = self.sb.post("/v2/coupon/redeem", {"billAmount": 99, "transactionNumber": "ELSEWHERE-1",
                                                   "user": {"id": ASHA},
                                                   "redemptionRequestList": [{"code": code}]})
            self.assertEqual(r.status, 200, r)
            t.keys("r")
            t.wait("Redeem %s for Asha Rao" % code)
            t.type("B-9")
            t.keys("Tab")
            t.type("200")
            t.keys("Enter")
            wait_dialog(t, 'Redeem "%s"' % code)
            t.keys("y")
            s = t.wait("%s was not redeemed: it has already been redeemed" % code)
            self.assertIn("B-9", s)  # the form keeps what was typed
            t.keys("Escape")
            s = t.wait(lambda s: "Redeem %s" % code not in s and "ELSEWHERE-1" in s,
                       what="the list reloaded with the other redemption")
        self.assertEqual(self.query("SELECT count(*) FROM coupon_redemptions r JOIN coupons c"
                                    " ON c.id = r.coupon_id WHERE c.code = ?", code), [(1,)])

    def test_3_resend_check_revoke(self):
        code = self.code_where(RAVI, "ACTIVE")
        sms = self.query("SELECT count(*) FROM interactions WHERE customer_id = ?", RAVI)[0][0]
        with console(self.sb) as t:
            open_coupons(t, "919845000002", "Ravi Kumar")
            select(t, code)
            t.keys("s")
            t.wait("Sent %s to Ravi Kumar again" % code)
            t.keys("c")
            t.wait("%s can be redeemed (1 redemption left)" % code)
            t.keys("x")
            t.wait("Revoke %s of Ravi Kumar" % code)
            t.keys("Enter")
            t.wait("Reason is required")
            t.type("Duplicate goodwill coupon")
            t.keys("Enter")
            s = wait_dialog(t, "It can no longer be redeemed or resent.")
            self.assertIn('Revoke "%s"' % code, dialog_text(s))
            self.assertIn("of Ravi Kumar?", dialog_text(s))
            self.assertIn("Reason: Duplicate goodwill coupon", dialog_text(s))
            t.keys("y")
            t.wait("Revoked %s of Ravi Kumar" % code)
            s = t.wait("Revoked (1)")
            self.assertIn("Revoked", strip(s))
            t.keys("s")
            t.wait("Only active coupons can be resent: %s is revoked" % code)
            t.keys("x")
            t.wait("%s is already revoked" % code)
        self.assertEqual(self.query("SELECT status FROM coupons WHERE code = ?", code), [("REVOKED",)])
        self.assertEqual(self.query("SELECT count(*) FROM interactions WHERE customer_id = ?", RAVI)[0][0],
                         sms + 1)

    def test_4_reactivate(self):
        (code,) = self.query("SELECT code FROM coupons WHERE id = 4990001")[0]
        with console(self.sb) as t:
            open_coupons(t, "919845000001", "Asha Rao")
            select(t, code)
            self.assertIn("Redeemed", strip(t.screen()))
            t.keys("a")
            s = wait_dialog(t, 'Reactivate "%s" of Asha Rao?' % code)
            self.assertIn("(bill BILL-POS1-88120) is reversed", dialog_text(s))
            t.keys("y")
            t.wait("Reactivated %s" % code)
            s = t.wait(lambda s: strip(s).startswith(" " + code) and strip(s).endswith("Active"),
                       what="the coupon active again")
            t.keys("a")
            t.wait("%s has not been redeemed: there is nothing to reactivate" % code)
        self.assertEqual(self.query("SELECT count(*) FROM coupon_redemptions r JOIN coupons c ON"
                                    " c.id = r.coupon_id WHERE c.code = ? AND r.reversed_on IS NOT NULL",
                                    code), [(1,)])

    def test_5_readonly_hides_every_write(self):
        before = self.query("SELECT count(*) FROM coupons")[0][0]
        with console(self.sb, "--readonly") as t:
            s = open_coupons(t, "919845000001", "Asha Rao")
            hint = s.splitlines()[-2]
            self.assertIn("c check", hint)
            for word in ("issue", "redeem", "revoke", "reactivate", "resend"):
                self.assertNotIn(word, hint)
            for key, action in (("i", "coupon-issue"), ("r", "coupon-redeem"), ("x", "coupon-revoke"),
                                ("a", "coupon-reactivate"), ("s", "coupon-resend")):
                t.keys(key)
                t.wait("Read-only mode: '%s' is not available" % action)
            t.keys("?")
            s = t.wait("Keys of the coupons screen")
            self.assertIn("coupon-check", s)
            self.assertNotIn("coupon-issue", s)
        self.assertEqual(self.query("SELECT count(*) FROM coupons")[0][0], before)

    def test_6_lookup_by_code_from_search(self):
        code = self.code_where(RAVI, "REDEEMED")
        with console(self.sb) as t:
            t.wait("Find member:")
            t.type("coupon:" + code.lower())
            t.keys("Enter")
            s = t.wait("Coupon %s belongs to Ravi Kumar" % code)
            self.assertIn("Ravi Kumar's coupons", s.splitlines()[0])
            t.wait(lambda s: strip(s).startswith(" " + code), what="the coupon selected")
            t.keys("F2")
            t.wait("Find member:")
            t.keys("Escape")  # clears the field, so ':' opens the command line
            t.keys(":")
            t.type("coupon NOPE1234")
            t.keys("Enter")
            t.wait("No coupon with code NOPE1234")

    def test_7_non_ascii_member(self):
        with console(self.sb) as t:
            s = open_coupons(t, "919845000004", "Zoë Ångström 山田")
            self.assertIn("Zoë Ångström 山田: 1 coupon", s)
            self.assertIn("Active (1)", s)
            issue_welcome20(t, "Zoë Ångström 山田", answer="n")
            t.wait("Nothing issued")
            t.keys("Escape")
        self.assertEqual(self.query("SELECT count(*) FROM coupons WHERE customer_id = ?", ZOE), [(1,)])


class FailedIssue(unittest.TestCase):
    """One sandbox whose first two writes fail with a 500 before they are
    applied, a little slow so that keys arrive while a write is in flight.
    The tests run in name order and each spends one failure."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="mc-e2e-coupons-500-")
        cls.db = os.path.join(cls.dir.name, "sandbox.db")
        cls.sb = Sandbox("--customers", "5", "--fail-next-writes", "2", "--latency", "400", db=cls.db)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.dir.cleanup()

    def welcome20_of(self, customer):
        with sqlite3.connect(self.db) as con:
            return [r[0] for r in con.execute("SELECT code FROM coupons WHERE customer_id = ? AND"
                                              " series_id = ? ORDER BY id", (customer, WELCOME20))]

    def test_a_lost_answer_is_found_not_issued_again(self):
        with console(self.sb) as t:
            open_coupons(t, "919845000003", "Neha Singh")
            t.wait("Neha Singh has no coupons yet.")
            issue_welcome20(t, "Neha Singh", answer=None)
            # The write about to be sent fails with a 500 and changes nothing;
            # the coupon written here plays the server having issued it
            # before its answer was lost.
            code = "LOSTANS001"
            with sqlite3.connect(self.db, timeout=10) as con:
                con.execute("INSERT INTO coupons (id, code, series_id, customer_id, status, issued_on,"
                            " issued_store_id, issued_till_id, valid_till) VALUES (4999001, ?, ?, ?,"
                            " 'ACTIVE', '2026-11-25T10:00:00Z', 1, 75000001, '2026-12-31T23:59:59Z')",
                            (code, WELCOME20, NEHA))
                con.execute("UPDATE coupon_series SET issued_count = issued_count + 1 WHERE id = ?",
                            (WELCOME20,))
            t.keys("y")
            s = t.wait("Issued after all: %s (WELCOME20) to Neha Singh" % code)
            self.assertNotIn("Issue a coupon to Neha Singh", s)  # the form closed
            t.wait("Active (1)")
        self.assertEqual(self.welcome20_of(NEHA), [code])

    def test_b_500_then_retry_by_hand_issues_exactly_one(self):
        before = self.welcome20_of(RAVI)
        with console(self.sb) as t:
            open_coupons(t, "919845000002", "Ravi Kumar")
            t.wait("Active (1)")
            issue_welcome20(t, "Ravi Kumar")
            t.keys("C-s", "Enter")  # ignored: the form is busy
            s = t.wait("Outcome unknown")
            self.assertIn("Issue of WELCOME20 not confirmed (500", status(s))
            self.assertEqual(self.welcome20_of(RAVI), before)
            t.keys("Enter")  # retry by hand: the coupons are checked, then the question again
            wait_dialog(t, 'Issue "WELCOME20" (20% off, valid till 31 Dec 2026) to Ravi Kumar?')
            t.keys("y")
            t.keys("C-s", "C-s")
            s = t.wait(ISSUED.search, what="the issue's toast")
            code = ISSUED.search(s).group(1)
            t.wait("Active (2)")
            with open(os.path.join(t.home, ".local", "state", "membercare", "audit.jsonl")) as f:
                audit = [json.loads(line) for line in f]
        self.assertEqual(self.welcome20_of(RAVI), before + [code])
        done = [a for a in audit if a["phase"] == "done"]
        self.assertEqual([a["ok"] for a in done], [False, True])
        self.assertEqual(done[1]["response_id"], code)

    def test_c_esc_during_a_write_is_settled_not_forgotten(self):
        with console(self.sb) as t:
            open_coupons(t, "919845000002", "Ravi Kumar")
            t.wait("Active (")
            t.keys("c")  # a round trip: the member's details are in by its answer
            t.wait("can be redeemed")
            t.keys("s", "Escape")  # Esc cancels the screen's requests, the resend too
            t.wait("The write's answer was cancelled: Ctrl-R shows what happened")
            t.keys("C-r")
            t.wait(re.compile(r"The resend of \S+ was cancelled before its answer").search,
                   what="the cancelled resend settled")
            with open(os.path.join(t.home, ".local", "state", "membercare", "audit.jsonl")) as f:
                audit = [json.loads(line) for line in f]
        self.assertEqual([a["phase"] for a in audit], ["sent", "done"])
        self.assertEqual(audit[0]["action"], "coupon-resend")
        self.assertFalse(audit[1]["ok"])
        self.assertIn("outcome unknown", audit[1]["message"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
