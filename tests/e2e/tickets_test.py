"""End-to-end: the member's service history (tickets, notes, messages) in the
real membercare at 80x24 in tmux, against a sandbox whose store is read
back with sqlite3 to check what the writes left there.

The journey of the issue: on Asha Rao an agent sees her open ticket, opens
it, filters the list, adds a ticket with a non-ASCII subject (and sees its
code), adds and edits a note, and reads whether her last SMS arrived; all
from the keyboard. Also: validation before sending, a refused ticket that
keeps every field, a second Ctrl-S while the first is in flight, empty
members, read-only mode.
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

from sandboxproc import ASHA, Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
CODE = re.compile(r"New: ([0-9a-z]{9})")


def console(sb, *extra, user="demo.agent"):
    return Term([CONSOLE, "--host", sb.url, "--user", user] + list(extra), width=80, height=24,
                env={"MEMBERCARE_PASSWORD": "demo"})


def open_member(t, mobile, name):
    t.wait("Find member:")
    t.type(mobile)
    t.keys("Enter")
    t.wait(name)
    t.wait("Recent activity")


def line_with(screen, text):
    for line in screen.splitlines():
        if text in line:
            return line
    raise AssertionError("no line with %r in:\n%s" % (text, screen))


class ServiceHistory(unittest.TestCase):
    """One sandbox for the whole journey; the tests run in name order."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="mc-e2e-tickets-")
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

    def test_1_open_ticket_first_and_whole_ticket(self):
        with console(self.sb) as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("t")
            s = t.wait("Tickets: 3, 1 open")
            rows = s.splitlines()
            head = [i for i, l in enumerate(rows) if "Code" in l and "Subject" in l][0]
            self.assertIn("Open", rows[head + 1])  # the open ticket leads
            self.assertIn("Closed", rows[head + 2])
            code = rows[head + 1].split()[0]
            (newest,) = self.query("SELECT text FROM notes WHERE customer_id = ?"
                                   " ORDER BY created_on DESC LIMIT 1", ASHA)[0]
            self.assertIn("Notes (2, newest first", t.wait(newest[:40]))
            t.keys("Enter")
            s = t.wait("Custom fields")
            self.assertIn(code, s)
            self.assertIn("Message", s)
            (message,) = self.query("SELECT message FROM tickets WHERE code = ?", code)[0]
            self.assertIn(message[:40], s)
            self.assertIn("channel", s)
            self.assertIn("Comments (0)", s)
            t.keys("q")
            t.wait("Tickets: 3, 1 open")

    def test_2_filters(self):
        with console(self.sb) as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("t")
            t.wait("Tickets: 3, 1 open")
            t.keys("f")
            t.wait("Filter tickets")
            t.keys("Right")  # status: any -> Closed
            t.keys("C-s")
            # the filter shows in the title at once, over the old rows until the answer
            s = t.wait(lambda s: "[filter status Closed]" in s and "loading..." not in s,
                       what="the closed tickets")
            self.assertIn("Tickets: 2, 0 open", s)
            self.assertNotIn(" Open ", s)
            t.keys("f")
            t.wait("Filter tickets")
            t.keys("Left")  # back to any
            t.keys("Tab", "Tab", "Tab")
            t.type("2026-13-01")
            t.keys("C-s")
            t.wait("From: write the date as YYYY-MM-DD")
            t.keys("C-u")
            t.type("2099-01-01")
            t.keys("C-s")
            t.wait("No ticket matches the filter")
            t.keys("f")
            t.wait("Filter tickets")
            t.keys("Tab", "Tab", "Tab", "C-u", "C-s")
            t.wait("Tickets: 3, 1 open")
            # `/` narrows what is shown without asking the server
            t.keys("/")
            t.type("duplicate")
            t.keys("Enter")
            s = t.wait(": 1 shown")
            self.assertIn("Duplicate charge", s)
            self.assertNotIn("Points missing", s)

    def test_3_new_ticket_non_ascii(self):
        with console(self.sb) as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("t")
            t.wait("Tickets: 3, 1 open")
            t.keys("a")
            t.wait("New ticket")
            t.type("Zoë's 山田 refund")
            t.keys("C-s")  # checked before anything is sent
            s = t.wait("Message is required")
            self.assertIn("Zoë's 山田 refund", s)  # kept
            # the check put the cursor on the message
            t.type("Refund for order 77 has not arrived.")
            t.keys("Enter")
            t.type("Asked for a call back.")
            t.keys("Tab")  # department: the org's values from her tickets
            t.keys("C-s")
            t.wait("Department is required")
            t.keys("Right")  # (choose one) -> BILLING
            t.keys("Tab", "Right")  # priority MEDIUM -> HIGH
            t.keys("Tab", "Tab")  # reported from stays CALLCENTER; custom field
            t.type("phone")
            t.keys("C-s")
            s = t.wait(CODE.search, what="the new ticket code")
            code = CODE.search(s).group(1)
            self.assertIn("Ticket %s added" % code, s)
            # the list reloads after the answer
            s = t.wait_gone("loading...")
            self.assertIn("Tickets: 4, 2 open", s)
            self.assertIn("Zoë's 山田 refund", line_with(s, " %s Open " % code))
            rows = self.query("SELECT customer_id, subject, message, department, priority,"
                              " reported_from, status FROM tickets WHERE code = ?", code)
            self.assertEqual(rows, [(ASHA, "Zoë's 山田 refund",
                                     "Refund for order 77 has not arrived.\nAsked for a call back.",
                                     "BILLING", "HIGH", "CALLCENTER", "Open")])
            self.assertEqual(self.query("SELECT f.name, f.value FROM ticket_custom_fields f JOIN"
                                        " tickets t ON t.id = f.ticket_id WHERE t.code = ?", code),
                             [("channel", "phone")])
            # the write is in the audit log, sent and done
            audit = os.path.join(t.home, ".local", "state", "membercare", "audit.jsonl")
            with open(audit, encoding="utf-8") as f:
                records = [json.loads(line) for line in f]
            text = json.dumps(records, ensure_ascii=False)
            self.assertIn("ticket-add", text)
            self.assertIn(code, text)
            # the new ticket opens in full
            t.keys("Enter")
            s = t.wait("Asked for a call back.")
            self.assertIn("Zoë's 山田 refund", s)

    def test_4_refused_ticket_keeps_fields_and_double_submit(self):
        # Zoë has no tickets: the department is typed and the server checks it
        with console(self.sb) as t:
            open_member(t, "919845000004", "Ångström")
            t.keys("t")
            t.wait("No tickets for this member")
            t.keys("a")
            t.wait("New ticket")
            t.type("Card blocked")
            t.keys("Tab")
            t.type("Her card was blocked at the till.")
            t.keys("Tab")
            t.type("ACCOUNTS")
            t.keys("C-s")
            s = t.wait("Not added")
            for kept in ("Card blocked", "Her card was blocked", "ACCOUNTS"):
                self.assertIn(kept, s)
            self.assertEqual(self.query("SELECT count(*) FROM tickets WHERE subject = 'Card blocked'"),
                             [(0,)])
            t.keys("C-u")
            t.type("STORE")
            t.keys("C-s")
            t.wait("Tickets: 1, 1 open")
        # against a slow sandbox a second Ctrl-S while the first is out sends nothing
        with Sandbox("--latency", "1500", db=self.db) as slow:
            with console(slow) as t:
                open_member(t, "919845000004", "Ångström")
                t.keys("t")
                t.wait("Tickets: 1, 1 open", timeout=20)
                t.keys("a")
                t.wait("New ticket")
                t.type("Sent once")
                t.keys("Tab")
                t.type("Pressed twice")
                t.keys("Tab")
                t.type("STORE")
                t.keys("C-s")
                t.wait("Sending...")
                t.keys("C-s")
                self.assertIn("Sending...", t.screen())
                t.wait("Tickets: 2, 2 open", timeout=20)
        self.assertEqual(self.query("SELECT count(*) FROM tickets WHERE subject = 'Sent once'"),
                         [(1,)])

    def test_5_notes_add_and_edit(self):
        with console(self.sb) as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("n")
            t.wait("Notes: 2, newest first")
            t.keys("a")
            s = t.wait("New note")
            self.assertIn("Enter new line  Ctrl-S submits", s)  # the note is multi-line
            t.type("Promised a call back on Friday; prefers SMS.")
            t.wait("44/255")  # the live counter
            t.keys("C-s")
            t.wait("Note added")
            s = t.wait_gone("loading...")  # the list reloads after the answer
            self.assertIn("Notes: 3, newest first", s)
            self.assertIn("Promised a call back on Friday", line_with(s, "Demo Agent"))
            t.keys("e")
            t.wait("Edit note")
            t.keys("C-e")
            t.type(" Done 山田.")
            t.keys("C-s")
            t.wait("Note updated")
            rows = self.query("SELECT text, till_id FROM notes WHERE customer_id = ?"
                              " ORDER BY id DESC LIMIT 1", ASHA)
            self.assertEqual(rows, [("Promised a call back on Friday; prefers SMS. Done 山田.",
                                     75000001)])
            # no more than 255 characters go in, and the form says so
            t.keys("a")
            t.wait("New note")
            t.type("x" * 300)
            # the counter is full at the 255th key, the reason shows at the 256th
            s = t.wait(lambda s: "255/255" in s and "takes at most" in s, what="the full note refused")
            self.assertIn("takes at most 255 characters", s)
            t.keys("Escape")
            t.wait_gone("New note")
            # the tickets screen shows the newest note too
            t.keys("q", "t")
            t.wait("Tickets: 4, 2 open")
            self.assertIn("Demo Agent", line_with(t.wait("Promised a call back on Friday"),
                                                  "Promised a call back"))

    def test_6_last_sms_and_channels(self):
        with console(self.sb) as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("i")
            s = t.wait("Last SMS")
            s = t.wait(lambda s: "DELIVERED" in line_with(s, "Last SMS"), what="the last SMS")
            (last,) = self.query("SELECT status, sent_on FROM interactions WHERE customer_id = ?"
                                 " AND channel = 'SMS' ORDER BY sent_on DESC LIMIT 1", ASHA)
            self.assertEqual(last[0], "DELIVERED")
            self.assertIn(last[1][:10], line_with(s, "Last SMS"))
            self.assertIn("FAILED", s)  # the failed OTP is in the timeline
            self.assertIn("EMAIL", s)
            t.keys("c")
            s = t.wait("showing SMS")
            body = s.split("Subject / text")[1]
            self.assertNotIn("EMAIL", body.split("\u2500")[0])
            self.assertIn("FAILED", body)
            t.keys("c")
            t.wait("showing EMAIL")
            t.keys(":")
            t.type("channel all")
            t.keys("Enter")
            t.wait("showing all")

    def test_7_empty_member(self):
        with console(self.sb) as t:
            open_member(t, "919845000003", "Neha Singh")
            t.keys("i")
            s = t.wait("No messages sent to this member")
            self.assertIn("none sent", line_with(s, "Last SMS"))
            t.keys("q", "n")
            t.wait("No notes on this member yet")

    def test_8_readonly_hides_writes(self):
        with console(self.sb, "--readonly") as t:
            open_member(t, "919845000001", "Asha Rao")
            t.keys("t")
            s = t.wait("Tickets: ")
            self.assertNotIn("new ticket", s.splitlines()[-2])
            t.keys("a")
            t.wait("Read-only mode: 'ticket-add' is not available")
            t.keys("n")
            s = t.wait("Notes: ")
            self.assertNotIn("a add", s)
            t.keys("e")
            t.wait("Read-only mode: 'note-edit' is not available")

    def test_9_bracketed_paste(self):
        # tmux wraps the paste in the bracketed-paste markers once the console
        # has turned the mode on (xterm-256color declares it in terminfo)
        def paste(t, text):
            t._tmux("set-buffer", "--", text)
            t._tmux("paste-buffer", "-p", "-t", "mc")

        with console(self.sb) as t:
            open_member(t, "919845000002", "Ravi Kumar")
            t.keys("n")
            t.wait("No notes on this member yet")
            t.keys("a")
            t.wait("New note")
            # newlines stay newlines, a tab is a space, an escape is dropped
            paste(t, "Called twice.\nWants a call back\tafter 6 pm.\x1b[2J")
            s = t.wait("46/255")
            self.assertIn("Called twice.", s)
            self.assertIn("Wants a call back after 6 pm.[2J", s)
            # the paste did not save or close the form; Ctrl-S does
            self.assertIn("New note", s)
            t.keys("C-s")
            t.wait("Note added")
            rows = self.query("SELECT text FROM notes WHERE customer_id = 565000002")
            self.assertEqual(rows, [("Called twice.\nWants a call back after 6 pm.[2J",)])
            # in a one-line field a pasted newline is a space and moves nowhere
            t.keys("q", "t")
            t.wait("No tickets for this member")
            t.keys("a")
            t.wait("New ticket")
            paste(t, "Card\nnot received")
            t.wait("Card not received")
            t.keys("C-s")
            s = t.wait("Message is required")  # still in the form, nothing sent
            self.assertIn("Card not received", s)
            # long text is cut at the field's limit, with the reason shown
            t.keys("Escape")
            t.wait_gone("New ticket")
            t.keys("q", "n", "a")
            t.wait("New note")
            paste(t, "y" * 400)
            s = t.wait(lambda s: "255/255" in s and "takes at most" in s, what="the full note refused")
            self.assertIn("takes at most 255 characters", s)


if __name__ == "__main__":
    unittest.main(verbosity=2)
