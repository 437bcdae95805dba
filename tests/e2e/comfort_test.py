"""End-to-end: everyday comfort in the real console, in tmux at 80x24.

- masking (--mask, :set mask): a walk over every screen with no full mobile
  number or email of the seed data anywhere;
- themes (default, light, high-contrast, mono, a user theme) at 8 and 256
  colours, vt100 and NO_COLOR: the cursor row stands apart (reverse or a
  background colour) and no text is drawn in its own background colour;
- copy (y / Y): the exact OSC 52 bytes the console writes, and what tmux
  keeps as its paste buffer with set-clipboard on;
- the mouse (:set mouse on): clicks on rows, the wheel, the hint line's
  tabs and the header crumbs, sent as the SGR sequences a terminal sends;
- profiles (:profile): two tills of one sandbox, the header's till and
  colour change, read-only honoured, an unknown profile refused.
"""
import base64
import json
import os
import re
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import ASHA, MEERA, NEHA, RAVI, ZOE, Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")

DIGITS = re.compile(r"\d{8,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def console(sb, *extra, term="xterm-256color", env=None, user="demo.supervisor"):
    e = {"MEMBERCARE_PASSWORD": "demo"}
    if env:
        e.update(env)
    return Term([CONSOLE, "--host", sb.url, "--user", user] + list(extra),
                width=80, height=24, env=e, term=term)


def idle(s):
    """The screen is settled: no spinner or loading text on the status line."""
    last = s.split("\n")[-1] if s else ""
    return "loading" not in last and not last.endswith("\u2026") and not last.endswith("...")


def click(t, x, y):
    """A left click at 1-based column x, row y: press and release, SGR encoded."""
    t.type("\x1b[<0;%d;%dM\x1b[<0;%d;%dm" % (x, y, x, y))


def wheel(t, down, x=10, y=10):
    t.type("\x1b[<%d;%d;%dM" % (65 if down else 64, x, y))


# --- SGR state of each cell, from capture-pane -e ---------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def cells(line):
    """[(char, fg, bg, reverse, bold)] of one captured line."""
    out = []
    fg = bg = None
    rev = bold = False
    pos = 0
    for m in SGR.finditer(line + "\x1b[m"):
        for ch in line[pos:m.start()]:
            out.append((ch, fg, bg, rev, bold))
        pos = m.end()
        codes = [int(c) if c else 0 for c in m.group(1).split(";")] if m.group(1) else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                fg = bg = None
                rev = bold = False
            elif c == 1:
                bold = True
            elif c == 22:
                bold = False
            elif c == 7:
                rev = True
            elif c == 27:
                rev = False
            elif 30 <= c <= 37:
                fg = c - 30
            elif 90 <= c <= 97:
                fg = c - 90 + 8
            elif c == 39:
                fg = None
            elif 40 <= c <= 47:
                bg = c - 40
            elif 100 <= c <= 107:
                bg = c - 100 + 8
            elif c == 49:
                bg = None
            elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                if c == 38:
                    fg = codes[i + 2]
                else:
                    bg = codes[i + 2]
                i += 2
            i += 1
    return out


SB = None
SECRETS = []


def setUpModule():
    global SB
    SB = Sandbox("--customers", "50")
    SB.start()
    # the fixed members' identifiers: none may show in full while masked
    for cid in (ASHA, RAVI, NEHA, ZOE, MEERA):
        r = SB.get("/v2/customers/%d?source=INSTORE" % cid)
        assert r.status == 200, r
        for p in r.json().get("profiles", []) or []:
            for ident in p.get("identifiers", []) or []:
                if ident.get("type") in ("mobile", "email") and ident.get("value"):
                    SECRETS.append(ident["value"])
    assert any("@" in s for s in SECRETS) and any(s.isdigit() for s in SECRETS), SECRETS


def tearDownModule():
    SB.stop()


class Shared(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sb = SB
        cls.secrets = SECRETS


class Masking(Shared):
    def check_masked(self, screen, where):
        for s in self.secrets:
            self.assertNotIn(s, screen, "%s shows %s in full:\n%s" % (where, s, screen))
        self.assertIsNone(DIGITS.search(screen), "%s shows a long number:\n%s" % (where, screen))
        self.assertIsNone(EMAIL.search(screen), "%s shows an email:\n%s" % (where, screen))

    def step(self, t, keys, anchor, where):
        """anchor: text only the screen reached shows (or a predicate), so the
        checks never run on the screen the keys were sent from."""
        for k in keys:
            if len(k) > 1 and (k[0].isupper() or k.startswith("C-")) and not k.startswith(":"):
                t.keys(k)
            else:
                t.type(k)
        shown = anchor if callable(anchor) else (lambda s: anchor in s)
        s = t.wait(lambda s: shown(s) and idle(s), what="%r on %s" % (anchor, where))
        self.check_masked(s, where)
        return s

    def test_every_screen_masked(self):
        with console(self.sb, "--mask") as t:
            t.wait("Find member:")
            s = self.step(t, ["ra", "Enter"], "3 members match", "search results")
            self.assertIn("A\u2022\u2022\u2022 R\u2022\u2022\u2022", s)
            s = self.step(t, ["Enter"], "Recent activity", "customer")
            self.assertIn("9198450\u2022\u2022\u202201", s)
            self.assertIn("a\u2022\u2022\u2022@example.com", s)
            self.assertIn("\u203a A\u2022\u2022\u2022 R\u2022\u2022\u2022", s.split("\n")[0])
            self.step(t, ["l"], "Balance", "ledger")
            self.step(t, ["Tab"], "points due to expire", "expiry schedule")
            self.step(t, ["Escape", "c"], "7 coupons", "coupons")
            self.step(t, ["Enter"], "Coupon ", "coupon detail")
            self.step(t, ["Escape", "Escape", "t"], "Tickets: 3", "tickets")
            self.step(t, ["Enter"], "Department", "ticket")
            self.step(t, ["Escape", "n"], "Notes: ", "notes")  # the tickets screen has "Notes ("
            self.step(t, ["Escape", "Escape", "i"], "Messages", "messages")
            self.step(t, ["Escape", "g"], "Goodwill for", "goodwill form")
            self.step(t, ["Escape"], lambda s: "History" in s and "Goodwill for" not in s, "goodwill")
            self.step(t, ["F9"], "requests", "approval queue")
            self.step(t, ["Enter"], "Asks for", "request detail")  # the queue has "Raised by"
            self.step(t, [":audit", "Enter"], "Audit log", "audit")
            # a name of several scripts, and a search typed as a mobile number
            self.step(t, ["F2"], "Find member:", "search")
            t.type("\x15")  # Ctrl-U: clear the field
            s = self.step(t, ["919845000004", "Enter"], "Recent activity", "Zoe")
            self.assertIn("Z\u2022\u2022\u2022 \u00c5\u2022\u2022\u2022 \u5c71\u2022\u2022\u2022", s)

    def test_mask_switched_at_run_time(self):
        with console(self.sb) as t:
            t.wait("Find member:")
            t.type("919845000001")
            t.keys("Enter")
            s = t.wait(lambda s: "Recent activity" in s and idle(s))
            self.assertIn("919845000001", s)
            self.assertIn("asha.rao@example.com", s)
            t.type(":set mask on")
            t.keys("Enter")
            s = t.wait(lambda s: "919845000001" not in s, what="the mobile masked")
            self.check_masked(s, "customer after :set mask on")
            t.type(":set mask off")
            t.keys("Enter")
            t.wait("asha.rao@example.com")
            t.type(":set mask maybe")
            t.keys("Enter")
            t.wait("mask must be on or off")


class Themes(Shared):
    def selected_row(self, t):
        """The captured cells of the cursor row of the results list ('Asha Rao')."""
        s = t.screen(ansi=True)
        plain = t.screen()
        lines_plain = plain.split("\n")
        lines = s.split("\n")
        for i, l in enumerate(lines_plain):
            if l.startswith(" Asha Rao"):
                return cells(lines[i]), cells(lines[i + 1]), s
        self.fail("no result rows:\n" + plain)

    def check_theme(self, term, env, theme):
        with console(self.sb, term=term, env=env) as t:
            t.wait("Find member:")
            if theme:
                t.type(":theme %s" % theme)
                t.keys("Enter")
                t.wait("Theme %s" % theme)
            t.type("ra")
            t.keys("Enter")
            t.wait(lambda s: "3 members match" in s and "Gold" in s and idle(s))
            sel, other, raw = self.selected_row(t)
            where = "%s %s theme %s" % (term, env, theme)
            text = [c for c in sel if c[0] != " "]
            self.assertTrue(text, where)
            # the cursor row stands apart from the row under it
            self.assertTrue(all(c[3] or c[2] is not None for c in text),
                            "%s: the selected row is not set apart:\n%r" % (where, raw))
            self.assertFalse(any(c[3] or c[2] is not None for c in other if c[0] != " "),
                             "%s: an unselected row looks selected" % where)
            # nothing anywhere is drawn in its own background colour
            for line in raw.split("\n"):
                for ch, fg, bg, rev, bold in cells(line):
                    if ch != " " and fg is not None:
                        self.assertNotEqual(fg, bg, "%s: invisible %r in %r" % (where, ch, line))
            if env.get("NO_COLOR") or term == "vt100":
                self.assertFalse(any(c[1] is not None or c[2] is not None
                                     for line in raw.split("\n") for c in cells(line)),
                                 "%s: colours on a monochrome terminal" % where)
            return raw

    def test_builtin_themes(self):
        for term in ("xterm", "xterm-256color"):
            for theme in (None, "light", "high-contrast", "mono"):
                with self.subTest(term=term, theme=theme):
                    self.check_theme(term, {}, theme)

    def test_monochrome(self):
        self.check_theme("vt100", {}, None)
        self.check_theme("xterm-256color", {"NO_COLOR": "1"}, None)
        self.check_theme("xterm-256color", {"NO_COLOR": "1"}, "light")

    def test_user_theme_from_config(self):
        cfgdir = tempfile.mkdtemp(prefix="mc-theme-")
        os.makedirs(os.path.join(cfgdir, "membercare"))
        path = os.path.join(cfgdir, "membercare", "config")
        with open(path, "w") as f:
            f.write("theme = dusk\n[theme dusk]\nselected = 231,88,bold\nheader = black,yellow\n")
        os.chmod(path, 0o600)
        raw = self.check_theme("xterm-256color", {"XDG_CONFIG_HOME": cfgdir}, None)
        self.assertIn("\x1b[48;5;88m", raw.replace("\x1b[1m", ""), "the user theme's 256-colour bg")
        # at 8 colours the same theme falls back to the basic colours
        raw = self.check_theme("xterm", {"XDG_CONFIG_HOME": cfgdir}, None)
        self.assertNotIn("48;5;", raw)
        with console(self.sb, env={"XDG_CONFIG_HOME": cfgdir}) as t:
            t.wait("Find member:")
            t.type(":theme nosuch")
            t.keys("Enter")
            t.wait("no theme 'nosuch'")


class Copy(Shared):
    def test_osc52_bytes_and_tmux_buffer(self):
        with console(self.sb) as t:
            out = os.path.join(t.home, "pane.out")
            t._tmux("set-option", "-g", "set-clipboard", "on")
            t.wait("Find member:")
            t._tmux("pipe-pane", "-o", "-t", "mc", "cat >> %s" % out)
            t.type("ra")
            t.keys("Enter")
            t.wait(lambda s: "3 members match" in s and idle(s))
            t.type("y")
            t.wait("Copied member id %d" % ASHA)
            expect = b"\x1b]52;c;" + base64.b64encode(str(ASHA).encode()) + b"\x07"
            deadline = time.time() + 10
            data = b""
            while expect not in data and time.time() < deadline:
                time.sleep(0.05)
                with open(out, "rb") as f:
                    data = f.read()
            self.assertIn(expect, data, "the OSC 52 sequence the console wrote")
            # inside tmux the same again through the passthrough, ESCs doubled
            self.assertIn(b"\x1bPtmux;\x1b" + expect + b"\x1b\\", data)
            self.assertEqual(t._tmux("show-buffer").stdout, str(ASHA))
            t.type("Y")
            t.wait("Copied row")
            row = t._tmux("show-buffer").stdout
            self.assertIn("Asha Rao", row)
            self.assertIn("919845000001", row)
            # on the coupons screen y copies the code
            t.keys("Enter")
            t.wait(lambda s: "Recent activity" in s and idle(s))
            t.type("c")
            s = t.wait(lambda s: "7 coupons" in s and idle(s))
            t.type("y")
            s = t.wait("Copied coupon code")
            code = re.search(r"Copied coupon code (\S+)", s).group(1)
            self.assertEqual(t._tmux("show-buffer").stdout, code)
            self.assertIn(code, s.split("\n")[5])  # the first coupon row holds it

    def test_requests_and_tickets_ids(self):
        with console(self.sb) as t:
            t._tmux("set-option", "-g", "set-clipboard", "on")
            t.wait("Find member:")
            t.keys("F9")
            t.wait(lambda s: "requests" in s and "Age" in s and idle(s))
            t.type("y")
            s = t.wait("Copied request id")
            rid = re.search(r"Copied request id (\d+)", s).group(1)
            self.assertEqual(t._tmux("show-buffer").stdout, rid)
            t.keys("Escape")
            t.type("919845000001")
            t.keys("Enter")
            t.wait(lambda s: "Recent activity" in s and idle(s))
            t.type("t")
            t.wait(lambda s: "Tickets: 3" in s and idle(s))
            t.type("y")
            s = t.wait("Copied ticket id")
            self.assertEqual(t._tmux("show-buffer").stdout, re.search(r"Copied ticket id (\S+)", s).group(1))
            t.keys("Escape")
            t.type("l")
            t.wait(lambda s: "Balance" in s and idle(s))
            t.type("y")
            s = t.wait("Copied ledger entry id")
            self.assertEqual(t._tmux("show-buffer").stdout,
                             re.search(r"Copied ledger entry id (\d+)", s).group(1))


class Mouse(Shared):
    def cursor_name(self, t):
        raw = t.screen(ansi=True).split("\n")
        plain = t.screen().split("\n")
        for i, l in enumerate(plain):
            if i >= 5 and any(c[3] or c[2] is not None for c in cells(raw[i]) if c[0] != " "):
                return l.strip().split("  ")[0]
        return None

    def test_clicks_wheel_tabs_and_crumbs(self):
        with console(self.sb) as t:
            t.wait("Find member:")
            t.type("ra")
            t.keys("Enter")
            t.wait(lambda s: "3 members match" in s and idle(s))
            # off by default: a click on Rajesh changes nothing, so Down lands on Ravi
            click(t, 10, 8)
            t.keys("Down")
            t.wait(lambda s: self.cursor_name(t) == "Ravi Kumar", what="Down after an ignored click")
            t.keys("Up")
            t.wait(lambda s: self.cursor_name(t) == "Asha Rao", what="back on Asha")
            t.type(":set mouse on")
            t.keys("Enter")
            t.wait("Mouse on")
            click(t, 10, 7)
            t.wait(lambda s: self.cursor_name(t) == "Ravi Kumar", what="Ravi selected by a click")
            click(t, 10, 8)
            t.wait(lambda s: self.cursor_name(t) == "Rajesh Khan", what="Rajesh selected")
            click(t, 10, 6)
            t.wait(lambda s: self.cursor_name(t) == "Asha Rao", what="Asha selected")
            click(t, 10, 6)  # on the cursor row: opens it
            s = t.wait(lambda s: "Recent activity" in s and idle(s))
            hint = s.split("\n")[-2]
            click(t, hint.index("ledger") + 2, 23)  # the hint line's "l ledger" tab
            t.wait(lambda s: "row 1 of 304" in s and idle(s))
            wheel(t, down=True)
            t.wait("row 4 of 304")
            wheel(t, down=True)
            t.wait("row 7 of 304")
            wheel(t, down=False)
            t.wait("row 4 of 304")
            header = t.screen().split("\n")[0]
            click(t, header.index("Asha") + 2, 1)  # the member's crumb
            t.wait(lambda s: "Recent activity" in s and "Ledger" not in s.split("\n")[0])
            click(t, t.screen().split("\n")[0].index("Search") + 2, 1)  # the first crumb
            t.wait(lambda s: "Find member:" in s and "Asha" not in s.split("\n")[0])
            t.type(":set mouse off")
            t.keys("Enter")
            t.wait("Mouse off")


def profiles_config(url, staging_user="demo.agent"):
    """A config directory with two profiles on the sandbox at url."""
    cfgdir = tempfile.mkdtemp(prefix="mc-profiles-")
    os.makedirs(os.path.join(cfgdir, "membercare"))
    path = os.path.join(cfgdir, "membercare", "config")
    with open(path, "w") as f:
        f.write("default_profile = staging\n"
                "[profile staging]\nhost = %s\nuser = %s\npassword_command = echo demo\n"
                "color = green\n"
                "[profile prod]\nhost = %s\nuser = demo.supervisor\npassword_command = echo demo\n"
                "color = red\nreadonly = true\n" % (url, staging_user, url))
    os.chmod(path, 0o600)
    return cfgdir


def field(s, label):
    """The text of a form field, from its row."""
    row = [l for l in s.split("\n") if label in l][0]
    return row.split(label, 1)[1].split("\u2502")[0].strip()


class Profiles(Shared):
    def test_changes_being_sent_are_kept(self):
        """While a change is on its way, the form it came from takes no edit and
        :profile refuses to switch; once the answer is in, both work again."""
        # every answer takes 3 s, so the writes below are still out when the keys come
        with Sandbox("--latency", "3000") as sb:
            cfg = profiles_config(sb.url, staging_user="demo.supervisor")
            t = Term([CONSOLE], width=80, height=24, env={"XDG_CONFIG_HOME": cfg})
            with t:
                t.wait("Find member:", timeout=60)
                t.type("919845000002")
                t.keys("Enter")
                t.wait(lambda s: "Silver, 632 points" in s and idle(s), timeout=60, what="Ravi")
                t.keys("g")
                t.wait("Goodwill for Ravi Kumar (balance 632 points", timeout=60)
                t.wait(lambda s: idle(s), timeout=60, what="the goodwill form's settings")
                t.keys("Tab")
                t.type("250")
                t.keys("Tab", "Tab")
                t.type("POINTS_ISSUE")
                t.keys("Tab")
                t.type("Kept as sent")
                t.keys("C-s")
                t.wait("Raise 250 goodwill points for Ravi Kumar?")
                t.keys("y")
                t.wait("Sending...")
                t.type(":profile prod")
                s = t.wait("the form can be changed once the server answers", what="the refused edit")
                self.assertEqual(field(s, "Comment*"), "Kept as sent")
                t.wait("Raised goodwill request #", timeout=60)
                t.wait(lambda s: idle(s), timeout=60, what="the history reloaded")

                # a bulk approval has no form: the command line is open while it is sent
                t.type(":requests member=919845000002 status=pending")
                t.keys("Enter")
                t.wait(lambda s: "2 requests" in s and idle(s), timeout=60, what="Ravi's two requests")
                t.keys("*", "A")
                # the till raised the 250 itself: another checker must approve that one
                t.wait("Approve 1 request, 500 points in all?", timeout=60)
                t.keys("y")
                t.wait("comment (optional)")
                t.keys("C-s")
                t.wait(lambda s: "comment (optional)" not in s, what="the comment form closed")
                t.type(":profile prod")
                t.keys("Enter")
                s = t.wait("Profile not changed", what="the refusal")
                self.assertIn("a change is being sent", s.split("\n")[-1])
                head = s.split("\n")[0]
                self.assertIn("Requests", head, "the screens are kept: no switch happened")
                self.assertNotIn("[RO]", head)
                t.wait(lambda s: "Approved" in s.split("\n")[-1], timeout=60, what="the approval's answer")
                t.type(":profile prod")
                t.keys("Enter")
                self.assertIn("[RO]", t.wait("(prod)", timeout=60).split("\n")[0])
            def requests(status):  # Ravi's goodwill requests in status
                g = sb.get("/v1.1/request/get?status=%s&type=GOODWILL&base_type=POINTS"
                           "&mobile=919845000002" % status).json()["response"]["requests"]["goodwill"]
                return [g] if isinstance(g, dict) else g
            mine = requests("PENDING")  # the 500 was approved, the 250 waits for another checker
            self.assertEqual([r["points"] for r in mine], ["250"])
            self.assertIn("Kept as sent", json.dumps(mine[0]), "the comment as it was sent")

    def test_switch_between_two_tills(self):
        cfgdir = profiles_config(self.sb.url)
        t = Term([CONSOLE], width=80, height=24, env={"XDG_CONFIG_HOME": cfgdir})
        with t:
            s = t.wait("Find member:")
            self.assertIn("demo.agent@", s.split("\n")[0])
            self.assertIn("(staging)", s.split("\n")[0])
            self.assertIn("\x1b[42m", t.screen(ansi=True).split("\n")[0], "green header")
            t.type("919845000002")
            t.keys("Enter")
            t.wait(lambda s: "Recent activity" in s and idle(s))
            self.assertIn("goodwill", t.screen().split("\n")[-2])
            t.type(":profile prod")
            t.keys("Enter")
            s = t.wait("(prod)")
            head = s.split("\n")[0]
            self.assertIn("demo.supervisor@", head)
            self.assertIn("[RO]", head)
            self.assertNotIn("Kumar", head, "the view stack starts again at the search screen")
            self.assertIn("\x1b[41m", t.screen(ansi=True).split("\n")[0], "red header")
            # the new till's data: the search works, writes are hidden
            t.type("919845000002")
            t.keys("Enter")
            s = t.wait(lambda s: "Recent activity" in s and idle(s))
            self.assertNotIn("goodwill", s.split("\n")[-2])
            t.type(":profile nosuch")
            t.keys("Enter")
            t.wait("no profile 'nosuch'")
            t.type(":profile staging")
            t.keys("Enter")
            s = t.wait("(staging)")
            self.assertNotIn("[RO]", s.split("\n")[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
