"""End-to-end chaos session: the real membercare at 80x24 in tmux, as
demo.supervisor (maker and checker), against a sandbox that fails, garbles,
delays and rate-limits:

    --fail-rate 0.2 --malformed-rate 0.1 --latency 50 --jitter 200
    --rate-limit 20 --fault-seed N   (N from MC_CHAOS_SEED, default below)

A scripted session of at least 200 actions crosses every screen: search,
the customer screen, the ledger (scrolling, its three tabs), tickets (new
tickets, one opened in full), notes, messages, goodwill (points raised),
coupons (issued and redeemed) and the approval queue (approvals and
rejections). Every write carries a unique marker ("chaos-017") in a field
the sandbox stores: the ticket subject, the note text, the goodwill comment,
the decision comment, the redemption's bill number. After each write the
test waits for its outcome on screen (a success, or the error the console
reports: a failed write must be visible), never for a fixed time.

Then the sandbox is stopped and its database compared with the console's
audit log ("sent" and "done" records with outcome ok / failed / unknown):
  - a write recorded ok is in the database exactly once;
  - a write recorded failed is not in it at all;
  - a write of unknown outcome (the answer was lost or garbled after the
    server may have acted) is in it at most once;
  - no marker is in the database that the audit log lacks, none twice.
Coupon issues carry no free text: the member's new coupons are matched to
the audit log's issued codes, with at most one extra per unknown issue.
At the end the console still answers a key at once (help opens and closes)
and quits with status 0; the sandbox too.

MC_CHAOS_SEED picks another fault sequence; MC_CHAOS_KEEP=DIR keeps the
audit log and the database there for a look afterwards.
"""
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import ZOE, Sandbox  # noqa: E402
from tmuxterm import DEFAULT_TIMEOUT, ScreenTimeout, Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
SEED = int(os.environ.get("MC_CHAOS_SEED", "20261125"))
FAULTS = ["--fail-rate", "0.2", "--malformed-rate", "0.1", "--latency", "50", "--jitter", "200",
          "--rate-limit", "20", "--fault-seed", str(SEED)]
MIN_ACTIONS = 200
# A screen that has not answered in this long is reloaded by hand (F5), as
# an agent would; the GET retries of the console usually get there first.
STEP = max(5.0, DEFAULT_TIMEOUT / 2)
# What a key the console handles locally (a form, a screen) needs to show.
SHORT = max(2.0, DEFAULT_TIMEOUT / 5)
# Words the console uses for a write that may or may not have been done.
UNKNOWN_WORDS = ("outcome unknown", "no answer", "no clear answer", "not confirmed",
                 "could not be read", "may have been")


def status(screen):
    lines = screen.splitlines()
    return lines[-1] if lines else ""


def dialog_open(screen):
    return "[y] Yes" in screen


class Audit:
    """The console's audit log, read afresh on every look."""

    def __init__(self, path):
        self.path = path

    def records(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def writes(self):
        """id -> {"sent": record, "done": record or None}"""
        w = {}
        for r in self.records():
            if r.get("phase") == "sent":
                w[r["id"]] = {"sent": r, "done": None}
            elif r.get("phase") == "done" and r.get("id") in w:
                w[r["id"]]["done"] = r
        return w


def outcome(entry):
    done = entry["done"]
    if done is None:
        return "unknown"  # the answer never came back (the attempt stayed open)
    if "outcome" in done:
        return done["outcome"]
    return "ok" if done.get("ok") else "failed"


class Session:
    """The agent: keys, counted actions, and writes matched to the audit log."""

    def __init__(self, term, audit):
        self.t = term
        self.audit = audit
        self.actions = 0
        self.seq = 0
        self.writes = []  # {"kind", "marker", "id", "screen"}
        self.local = 0    # writes the console refused before sending
        self.trail = []   # every key sent, for the report of a failure

    def key(self, *keys):
        self.actions += len(keys)
        self.trail.append(" ".join(keys))
        self.t.keys(*keys)

    def type(self, text):
        self.actions += 1
        self.trail.append(repr(text))
        self.t.type(text)

    def marker(self):
        self.seq += 1
        return "chaos-%03d" % self.seq

    def wait(self, pred, timeout=None, what=None):
        try:
            return self.t.wait(pred, timeout=timeout or DEFAULT_TIMEOUT, what=what)
        except ScreenTimeout as e:
            if timeout:
                raise  # the caller has a way round it
            raise ScreenTimeout("%s\nlast keys: %s" % (e, " | ".join(self.trail[-25:]))) from None

    def until(self, pred, what, retry=("F5",), tries=6):
        """Waits for pred; reloads by hand when the screen reports a failed
        load or stays silent, as an agent would."""
        if isinstance(pred, str):
            needle = pred
            pred = lambda s: needle in s  # noqa: E731
        before = status(self.t.screen())
        last = None
        for attempt in range(tries):
            def settled(s):
                st = status(s)
                return pred(s) or ("failed" in st and st != before)
            try:
                s = self.t.wait(settled, timeout=STEP, what=what)
            except ScreenTimeout as e:
                last = e
                s = None
            if s is not None and pred(s):
                return s
            if attempt + 1 < tries:
                before = status(self.t.screen())
                self.key(*retry)
        raise AssertionError("%s never showed after %d tries: %s" % (what, tries, last or self.t.last))

    def press(self, keys, pred, what, tries=5):
        """Presses keys until pred holds. The console drops keys typed ahead
        when an error arrives (they were meant for a screen that changed), so
        a key sent at that moment is pressed again, as an agent would."""
        if isinstance(pred, str):
            needle = pred
            pred = lambda s: needle in s  # noqa: E731
        for _ in range(tries):
            if pred(self.t.screen()):
                return self.t.last
            self.key(*keys)
            try:
                return self.t.wait(pred, timeout=SHORT, what=what)
            except ScreenTimeout:
                pass
        raise AssertionError("%s never showed after %d tries:\n%s\nlast keys: %s"
                             % (what, tries, self.t.last, " | ".join(self.trail[-25:])))

    def fill(self, text):
        """Types into the open form; False when it did not all arrive."""
        self.type(text)
        try:
            self.t.wait(text, timeout=SHORT, what=repr(text))
            return True
        except ScreenTimeout:
            return False

    def write(self, kind, marker, send_key, ok_text, title):
        """Sends a write with send_key (Ctrl-S in a form, y in its question),
        waits for its audit record and its outcome on screen, and leaves the
        form if it stayed open. Returns "ok", "failed", "unknown" or "local"
        (the console refused it before sending: no record)."""
        known = set(self.audit.writes())
        self.key(send_key)
        fresh = []

        def sent(s):
            fresh[:] = [i for i in self.audit.writes() if i not in known]
            return bool(fresh) or "required" in s or "must be" in s
        for _ in range(4):
            try:
                self.t.wait(sent, timeout=SHORT, what="the %s to leave" % kind)
                break
            except ScreenTimeout:
                # nothing left: the key was dropped; pressing it again is safe
                # (a form that is busy ignores a second submit)
                self.key(send_key)
        if not fresh:
            self.wait(sent, what="the %s to leave" % kind)
        if not fresh:
            self.local += 1
            self.close_form(title)
            return "local"
        wid = fresh[-1]
        found = {}

        def settled(s):
            entry = self.audit.writes()[wid]
            done = entry["done"]
            if done is None:
                # an issue whose answer was lost stays open until the list shows
                return kind == "coupon-issue" and "not confirmed" in s
            found["outcome"] = outcome(entry)
            if found["outcome"] == "ok":
                return ok_text(done) in s
            return reported(s, done, found["outcome"])

        self.wait(settled, what="the outcome of %s %s" % (kind, marker))
        result = found.get("outcome", "unknown")
        self.writes.append({"kind": kind, "marker": marker, "id": wid, "screen": result})
        if result != "ok":
            self.close_form(title)
        return result

    def close_form(self, title):
        """Leaves a form (and its question) that stayed open."""
        s = self.t.screen()
        if dialog_open(s):
            self.press(("n",), lambda s: not dialog_open(s), "the question to close")
        if title in self.t.screen():
            self.press(("Escape",), lambda s: title not in s, "the form %r to close" % title)


def reported(screen, done, result):
    """Whether the screen tells the agent that this write did not (surely) work."""
    low = screen.lower()
    if result == "unknown" and any(w in low for w in UNKNOWN_WORDS):
        return True
    msg = (done.get("message") or "").strip()
    return bool(msg) and msg[:24].lower() in low


def on_top(name):
    """Whether the screen named name is the one shown (the header's last crumb)."""
    def pred(s):
        head = s.splitlines()[0] if s else ""
        crumbs = head.split("│", 1)[-1].split("  ")[0].strip()
        return crumbs.endswith(name)
    return pred


class Chaos(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="mc-e2e-chaos-")
        cls.db = os.path.join(cls.dir.name, "sandbox.db")
        cls.sb = Sandbox("--customers", "50", *FAULTS, db=cls.db)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.dir.cleanup()

    def query(self, sql, *args):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    # -- screens ---------------------------------------------------------

    def open_member(self, a, mobile, name):
        """`:customer MOBILE` from anywhere, until the member's screen shows."""
        for _ in range(6):
            a.press((":",), lambda s: status(s).startswith(":"), "the command line")
            a.type("customer " + mobile)
            a.key("Enter")
            try:
                a.until(lambda s: name in s and "Recent activity" in s, "the member %s" % name, tries=2)
                return
            except AssertionError:
                continue
        raise AssertionError("the member %s never opened:\n%s" % (name, a.t.last))

    def search(self, a, query, name):
        a.press(("F2",), "Find member:", "the search screen")
        a.key("C-u")
        a.type(query)
        a.key("Enter")
        a.until(lambda s: name in s and "Recent activity" in s, "the search for %r" % query,
                retry=("Enter",))

    def back_to(self, a, name):
        a.press(("q",), on_top(name), "the %s screen" % name, tries=8)

    def ledger_tour(self, a, name):
        a.press(("l",), on_top("Ledger"), "the ledger")
        a.until(lambda s: re.search(r"row \d+ of [\d,]+", s), "the ledger rows")
        a.key(*["Down"] * 8)
        a.key("NPage", "NPage", "PPage", "End")
        a.press(("Home",), lambda s: re.search(r"row 1 of", s), "the first row again")
        for tab, pattern in (("2", r"Expires on|due to expire"), ("3", r"bill \d+ of"), ("1", r"row \d+ of")):
            shown = lambda s: re.search(pattern, s)  # noqa: E731
            try:
                a.press((tab,), shown, "ledger tab %s" % tab, tries=3)
            except AssertionError:
                a.until(shown, "ledger tab %s" % tab)
        a.key("Down", "Down", "Up")
        self.back_to(a, name)

    def tickets(self, a, n):
        a.press(("t",), on_top("Tickets"), "the tickets screen")
        s = a.until(lambda s: re.search(r"Tickets: \d+, \d+ open", s), "the tickets")
        if "No tickets" not in s:
            a.key("Down", "Up")
            a.press(("Enter",), lambda s: not on_top("Tickets")(s), "a ticket")
            a.until("Custom fields", "the ticket in full")
            a.key("NPage")
            a.press(("q",), on_top("Tickets"), "the tickets again")
        for _ in range(n):
            m = a.marker()
            subject = "%s ticket" % m
            a.press(("a",), "New ticket", "the ticket form")
            if not a.fill(subject):
                a.close_form("New ticket")
                continue
            a.key("Tab")
            if not a.fill("Chaos session %s." % m):
                a.close_form("New ticket")
                continue
            a.key("Tab")
            if "(choose one)" in a.t.screen():
                a.press(("Right",), lambda s: "(choose one)" not in s, "a department")
            else:
                a.fill("STORE")
            a.write("ticket-add", subject, "C-s", lambda d: "Ticket %s added" % d.get("response_id"),
                    "New ticket")

    def notes(self, a, n):
        a.press(("n",), on_top("Notes"), "the notes screen")
        a.until(lambda s: re.search(r"Notes: \d+", s) or "No notes" in s, "the notes")
        for _ in range(n):
            m = a.marker()
            text = "%s note for the member" % m
            a.press(("a",), "New note", "the note form")
            if not a.fill(text):
                a.close_form("New note")
                continue
            a.write("note-add", text, "C-s", lambda d: "Note added", "New note")
        a.press(("i",), on_top("Messages"), "the messages screen")
        a.key("Down", "Up")

    def goodwill(self, a, n):
        # the screen opens its form by itself once it has the settings
        a.press(("g",), on_top("Goodwill"), "the goodwill screen")
        for k in range(n):
            m = a.marker()
            comment = "%s goodwill" % m
            try:
                a.t.wait("Goodwill for", timeout=STEP)
            except ScreenTimeout:
                a.press(("g",), "Goodwill for", "the goodwill form")
            a.key("Tab")
            points = str(10 + k)
            a.type(points)
            a.key("Tab", "Tab", "Tab")
            try:  # the points as typed, once the console has drawn them
                a.t.wait(lambda s: re.search(r"Points +%s " % points, s), timeout=SHORT,
                         what="the points %s" % points)
                typed = True
            except ScreenTimeout:
                typed = False
            if not typed or not a.fill(comment):
                a.close_form("Goodwill for")
                a.key("g")
                continue
            a.key("C-s")
            try:
                a.t.wait(lambda s: dialog_open(s) or "must be" in s or "required" in s, timeout=SHORT)
            except ScreenTimeout:
                pass
            if not dialog_open(a.t.screen()):
                a.close_form("Goodwill for")
                a.key("g")
                continue
            a.write("goodwill-raise", comment, "y",
                    lambda d: "Raised goodwill request #%s" % d.get("response_id"), "Goodwill for")
            if k + 1 < n:
                a.key("g")
        a.key("Right")
        a.until("History", "the goodwill history")
        a.key("Left")

    def coupons(self, a, rounds):
        a.press(("c",), on_top("Coupons"), "the coupons screen")
        for _ in range(rounds):
            # an issue needs the list: it tells a lost answer's coupon apart
            a.until(lambda s: re.search(r": \d+ coupons?", s) or "No coupons" in s, "the coupons")
            code = self.issue(a)
            if code:
                self.redeem(a, code)

    def issue(self, a):
        for _ in range(4):
            a.press(("i",), "Issue a coupon to", "the issue form")
            if not a.fill("WELCOME20"):
                a.close_form("Issue a coupon to")
                continue
            try:
                a.t.wait("WELCOME20 20% off", timeout=STEP)
                a.press(("Enter",), dialog_open, "the issue question", tries=2)
            except (ScreenTimeout, AssertionError):
                a.close_form("Issue a coupon to")
                continue
            box = {}

            def ok_text(done):
                box["code"] = done.get("response_id")
                return "Issued"
            r = a.write("coupon-issue", "", "y", ok_text, "Issue a coupon to")
            return box.get("code") if r == "ok" else None
        return None

    def redeem(self, a, code):
        m = a.marker()
        selected = lambda s: any(l.startswith(" " + code + "  ") for l in s.splitlines()[-6:])  # noqa: E731
        for _ in range(4):
            a.press((":",), lambda s: status(s).startswith(":"), "the command line")
            a.type("coupon " + code)
            a.key("Enter")
            try:
                a.t.wait(selected, timeout=STEP, what="%s selected" % code)
                break
            except ScreenTimeout:
                a.key("F5")
        else:
            return  # the list never showed it: nothing is sent
        title = "Redeem %s for" % code
        try:
            a.press(("r",), title, "the redeem form", tries=2)
        except AssertionError:
            a.close_form("Redeem ")
            return
        if not a.fill(m):
            a.close_form(title)
            return
        a.key("Tab")
        if not a.fill("500"):
            a.close_form(title)
            return
        try:
            a.press(("Enter",), dialog_open, "the redemption question", tries=2)
        except AssertionError:
            a.close_form(title)
            return
        a.write("coupon-redeem", m, "y", lambda d: "Redeemed %s" % code, title)

    def decisions(self, a, n):
        a.press(("F9",), on_top("Requests"), "the approval queue")
        # the queue's own header says when it is loading; the status line may
        # still hold an earlier screen's failure ("Loading ... failed")
        a.until(lambda s: re.search(r"\d+ requests?, oldest first", s)
                and "loading..." not in s.splitlines()[1], "the queue")
        a.key("Home")
        for k in range(n):
            approve = k % 3 != 2
            m = a.marker()
            comment = "%s %s" % (m, "approve" if approve else "reject")
            a.key("Down")
            title = "Approve #" if approve else "Reject #"
            before = status(a.t.screen())
            a.key("a" if approve else "r")
            # the form, or the console's word why not (a request this till raised)
            try:
                s = a.t.wait(lambda s: title in s or (status(s) != before and "loading" not in status(s)),
                             timeout=SHORT, what="the decision form")
            except ScreenTimeout:
                continue
            if title not in s:
                continue
            if approve:
                a.key("Tab")
            if not a.fill(comment):
                a.close_form(title)
                continue
            try:
                a.press(("C-s",), dialog_open, "the decision question", tries=2)
            except AssertionError:
                a.close_form(title)
                continue
            word = "Approved request #" if approve else "Rejected request #"
            a.write("request-approve" if approve else "request-reject", comment, "y", lambda d: word, title)

    # -- the session -----------------------------------------------------

    def test_chaos_session(self):
        started = time.time()
        coupons_before = self.query("SELECT coalesce(max(id), 0) FROM coupons")[0][0]
        with Term([CONSOLE, "--host", self.sb.url, "--user", "demo.supervisor"], width=80, height=24,
                  env={"MEMBERCARE_PASSWORD": "demo"}) as t:
            audit = Audit(os.path.join(t.home, ".local", "state", "membercare", "audit.jsonl"))
            a = Session(t, audit)
            t.wait("Find member:")
            self.search(a, "919845000001", "Asha Rao")
            a.key("Down", "Down", "Up")
            self.ledger_tour(a, "Asha Rao")
            self.tickets(a, 6)
            self.notes(a, 6)
            self.open_member(a, "919845000001", "Asha Rao")
            self.goodwill(a, 5)
            self.search(a, "919845000004", "Ångström")
            self.tickets(a, 3)
            self.open_member(a, "919845000004", "Ångström")
            self.coupons(a, 6)
            self.open_member(a, "919845000002", "Ravi Kumar")
            self.ledger_tour(a, "Ravi Kumar")
            self.goodwill(a, 3)
            self.decisions(a, 12)

            # still alive and answering at once
            a.press(("?",), "Keys of", "the help")
            a.press(("Escape",), lambda s: "Keys of" not in s, "the help to close")
            a.press((":",), lambda s: status(s).startswith(":"), "the command line")
            a.type("audit")
            a.key("Enter")
            t.wait("goodwill-raise")
            a.key("q")
            # and leaves cleanly (a sanitizer's finding would change the status)
            a.press(("Q",), lambda s: "Quit membercare?" in s or "[exited" in s, "the quit question")
            if "[exited" not in t.last:
                a.key("y")
            t.wait("[exited 0]")
            writes = audit.writes()
            keep = os.environ.get("MC_CHAOS_KEEP")
            if keep:  # a directory to keep the audit log and the database in, for a look afterwards
                os.makedirs(keep, exist_ok=True)
                shutil.copy(audit.path, keep)
        self.assertEqual(self.sb.stop(), 0, "the sandbox did not stop cleanly")
        elapsed = time.time() - started
        if keep:
            shutil.copy(self.db, keep)

        counts = {"ok": 0, "failed": 0, "unknown": 0}
        lost = duplicated = 0
        problems = []
        mine = {}
        for w in a.writes:
            entry = writes[w["id"]]
            out = outcome(entry)
            counts[out] += 1
            if w["marker"]:
                mine[w["marker"]] = (w, out)
            self.assertEqual(entry["sent"]["action"], w["kind"])

        tables = {
            "ticket-add": "SELECT count(*) FROM tickets WHERE subject = ?",
            "note-add": "SELECT count(*) FROM notes WHERE text = ?",
            "goodwill-raise": "SELECT count(*) FROM requests WHERE comments = ?",
            "request-approve": "SELECT count(*) FROM requests WHERE updated_comments = ?"
                               " AND status = 'APPROVED'",
            "request-reject": "SELECT count(*) FROM requests WHERE updated_comments = ?"
                              " AND status = 'REJECTED'",
            "coupon-redeem": "SELECT count(*) FROM coupon_redemptions WHERE bill_number = ?",
        }
        for marker, (w, out) in mine.items():
            n = self.query(tables[w["kind"]], marker)[0][0]
            if n > 1:
                duplicated += n - 1
            if out == "ok" and n == 0:
                lost += 1
            if (out == "ok" and n != 1) or (out == "failed" and n != 0) or n > 1:
                problems.append("%s %s: audit says %s, the database holds %d" % (w["kind"], marker, out, n))

        # nothing in the database carries a marker the session did not send
        stored = []
        for sql in ("SELECT subject FROM tickets", "SELECT text FROM notes", "SELECT comments FROM requests",
                    "SELECT updated_comments FROM requests", "SELECT bill_number FROM coupon_redemptions"):
            stored += [r[0] for r in self.query(sql + " WHERE %s LIKE 'chaos-%%'" % sql.split()[1])]
        for value in stored:
            if value not in mine:
                problems.append("the database holds %r, which the audit log lacks" % value)

        # coupon issues: the member's new coupons against the issued codes
        issued = [writes[w["id"]] for w in a.writes if w["kind"] == "coupon-issue"]
        ok_codes = [e["done"]["response_id"] for e in issued if outcome(e) == "ok"]
        unknown_issues = sum(1 for e in issued if outcome(e) == "unknown")
        new = [r[0] for r in self.query(
            "SELECT code FROM coupons WHERE id > ? AND customer_id = ? AND code NOT IN"
            " (SELECT approved_value FROM requests WHERE approved_value IS NOT NULL)",
            coupons_before, ZOE)]
        for code in ok_codes:
            if code not in new:
                lost += 1
                problems.append("issued coupon %s is not in the database" % code)
        extra = [c for c in new if c not in ok_codes]
        if len(extra) > unknown_issues:
            duplicated += len(extra) - unknown_issues
            problems.append("%d coupons of Zoë match no issue the console sent: %s" % (len(extra), extra))
        if len(set(ok_codes)) != len(ok_codes):
            duplicated += len(ok_codes) - len(set(ok_codes))
            problems.append("one coupon reported issued twice: %s" % ok_codes)

        print("chaos seed %d: actions %d, writes ok %d, failed %d, unknown %d, lost %d, duplicated %d"
              " (%d refused by the console before sending; %.0f s)"
              % (SEED, a.actions, counts["ok"], counts["failed"], counts["unknown"], lost, duplicated,
                 a.local, elapsed))
        print("actions %d, writes ok %d, failed %d, unknown %d, lost %d, duplicated %d"
              % (a.actions, counts["ok"], counts["failed"], counts["unknown"], lost, duplicated))
        self.assertEqual(problems, [], "\n".join(problems))
        self.assertEqual((lost, duplicated), (0, 0))
        self.assertGreaterEqual(a.actions, MIN_ACTIONS)
        # the faults really happened: some writes failed, most went through
        self.assertGreater(counts["failed"] + counts["unknown"], 0)
        self.assertGreater(counts["ok"], len(a.writes) // 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
