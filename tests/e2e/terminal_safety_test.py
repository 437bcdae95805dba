"""End-to-end: server text that tries to take over the terminal.

The real membercare in tmux talks to tests/integration/lib/hostile_server.py
--text, whose members, search rows, loyalty events and error messages are
made of escape sequences (CSI clear/blink/hidden/true-colour, OSC 0/2
titles, OSC 52 clipboard writes, DCS and tmux passthrough), C0 and C1
controls, bidi overrides, invalid UTF-8 (a raw non-JSON body quoted in the
decode error) and 10,000-character strings.

tmux is set up to act on all of those if they ever arrived raw: OSC 52
would create a tmux buffer (set-clipboard on), passthrough is allowed, and
OSC 0/2 would change the pane title. A self-check first writes the same
bytes raw to a pane and proves each detector fires. Then, for every screen,
the test checks: the pane title is unchanged, no tmux buffer exists, the
screen shows the visible placeholders (U+241B for ESC, U+FFFD, the
ellipsis), the console's own frame is intact (nothing cleared), the only
sequences in the captured cells are the SGR attributes the console uses
(none of the payloads' blink, hidden, true-colour or red background), and
the console is still alive and answering keys.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from hostile_server import (HOSTILE_ERROR, HOSTILE_MOBILE, HOSTILE_RAW,  # noqa: E402
                            HostileServer, PAYLOADS)
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")

ESC_PIC = "\u241b"
REPLACEMENT = "\ufffd"
ELLIPSIS = "\u2026"
# SGR parameters the payloads try; the console's palette uses none of them.
FOREIGN_SGR = {"5", "8", "41", "38", "48"}
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def arm(t):
    """Makes the tmux of t act on clipboard writes and passthrough."""
    t._tmux("set-option", "-s", "set-clipboard", "on")
    t._tmux("set-option", "-g", "allow-passthrough", "on")


def buffers(t):
    return t._tmux("list-buffers", check=False).stdout.strip()


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] not in ("Z", "X")
    except OSError:
        return False


class TerminalSafety(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hs = HostileServer("--text").start()

    @classmethod
    def tearDownClass(cls):
        cls.hs.stop()

    def console(self, width=100, height=30, env=None):
        e = {"MEMBERCARE_PASSWORD": "demo"}
        e.update(env or {})
        t = Term([CONSOLE, "--host", self.hs.url, "--user", "demo.agent"], width=width,
                 height=height, env=e)
        arm(t)
        return t

    def assert_untouched(self, t, title, what):
        """The checks every hostile screen must pass."""
        s = t.screen()
        self.assertEqual(t.title(), title, "%s: the pane title changed" % what)
        self.assertEqual(buffers(t), "", "%s: something wrote the clipboard (OSC 52)" % what)
        lines = s.splitlines()
        self.assertTrue(lines and lines[0].startswith(" membercare"),
                        "%s: the header bar is gone (screen cleared?):\n%s" % (what, s))
        self.assertNotIn("PWNED", t.title())
        ansi = t.screen(ansi=True)
        rest = SGR.sub("", ansi)
        # SO/SI select the line-drawing set for the console's own rules.
        bad = sorted({c for c in rest if ord(c) < 0x20 and c not in "\n\x0e\x0f"} |
                     {c for c in rest if 0x80 <= ord(c) <= 0x9f})
        self.assertEqual(bad, [], "%s: raw controls in the cells: %r" % (what, bad))
        used = set()
        for params in SGR.findall(ansi):
            used.update(p for p in re.split("[;:]", params) if p)
        self.assertFalse(used & FOREIGN_SGR,
                         "%s: foreign attributes reached the screen: %s" % (what, used & FOREIGN_SGR))
        self.assertTrue(pid_alive(t.pid()), "%s: the console died" % what)
        return s

    def test_detectors_fire_on_raw_bytes(self):
        """The same payloads written raw do change the title and the clipboard,
        so the checks below can fail."""
        raw = PAYLOADS["title"] + PAYLOADS["osc52"] + PAYLOADS["csi"]
        script = "printf '%%s' %s; echo; echo READY; sleep 30" % _sh_quote(raw)
        t = Term(["sh", "-c", script], width=80, height=10)
        try:
            arm(t)
            t._tmux("respawn-pane", "-k", "-t", "mc", "sh -c %s" % _sh_quote(script))
            t.wait("READY")
            t.wait(lambda s: t.title() == "PWNED", what="the raw title to take effect")
            self.assertNotEqual(buffers(t), "", "raw OSC 52 creates a tmux buffer")
            used = set()
            for params in SGR.findall(t.screen(ansi=True)):
                used.update(p for p in re.split("[;:]", params) if p)
            self.assertTrue(used & FOREIGN_SGR, "raw SGR shows up in the capture: %s" % used)
        finally:
            t.close()

    def test_member_screen(self):
        with self.console() as t:
            title = t.title()
            t.wait("Find member:")
            t.type(HOSTILE_MOBILE)
            t.keys("Enter")
            s = t.wait(lambda s: "Customer id" in s and "666" in s and "Recent activity" in s,
                       what="the hostile member")
            # and the points balance: every part in before the checks
            t.wait(lambda s: s.count("Mallory") >= 2 and "loading..." not in s, what="the loyalty events")
            s = self.assert_untouched(t, title, "member screen")
            self.assertIn(ESC_PIC, s, "ESC shows as U+241B")
            self.assertIn(ESC_PIC + "]0;PWNED", s)
            self.assertIn(REPLACEMENT, s, "C1 and bidi controls show as U+FFFD")
            self.assertIn(ELLIPSIS, s, "10,000-character strings are cut with an ellipsis")
            self.assertIn("\u2407", s, "BEL shows as U+2407")
            self.assertNotIn("\u202e", s)
            for line in s.splitlines():
                self.assertLessEqual(len(line), 100, "a line overflows the terminal: %r" % line)
            # still answering keys: back to the search screen
            t.keys("q")
            t.wait("Find member:")
            self.assert_untouched(t, title, "back on search")

    def test_search_rows_and_error_messages(self):
        with self.console(width=80, height=24) as t:
            title = t.title()
            t.wait("Find member:")
            t.type("mallory")
            t.keys("Enter")
            s = t.wait(lambda s: "8 members match" in s and s.count("666") >= 8,
                       what="the hostile search rows, details filled in")
            self.assert_untouched(t, title, "search rows")
            self.assertIn(ESC_PIC, s)
            self.assertIn(ELLIPSIS, s)
            # a hostile error message (lookup 404, then search 400)
            t.keys("Escape")
            t.wait(lambda s: "Find member:" in s)
            t.keys("C-u")
            t.type(HOSTILE_ERROR)
            t.keys("Enter")
            s = t.wait(lambda s: "8013" in s.splitlines()[-1], what="the error in the status line")
            status = s.splitlines()[-1]
            self.assert_untouched(t, title, "hostile error message")
            self.assertIn(ESC_PIC + "]0;PWNED", status)
            self.assertIn(REPLACEMENT, status)
            self.assertIn(ELLIPSIS, status)
            # a raw body with escapes and invalid UTF-8, quoted by the decoder
            t.keys("C-u")
            t.type(HOSTILE_RAW)
            t.keys("Enter")
            s = t.wait(lambda s: "not JSON" in s.splitlines()[-1], what="the decode error")
            self.assert_untouched(t, title, "raw invalid body")
            # and it quits normally
            t.keys("C-u")
            t.keys("Escape")
            t.wait("Quit membercare?")
            t.keys("y")
            t.wait("[exited 0]")

    def test_ascii_locale(self):
        """Without a UTF-8 locale every placeholder is '?' and nothing raw passes."""
        with self.console(env={"LANG": "C", "LC_ALL": "C"}) as t:
            title = t.title()
            t.wait("Find member:")
            t.type(HOSTILE_MOBILE)
            t.keys("Enter")
            s = t.wait(lambda s: "Customer id" in s and "666" in s and "loading..." not in s,
                       what="the hostile member, every part in")
            self.assert_untouched(t, title, "ASCII member screen")
            self.assertIn("?]0;PWNED", s)
            body = "\n".join(s.splitlines()[1:])
            self.assertTrue(all(ord(c) < 0x80 for c in body),
                            "ASCII mode draws ASCII only: %r" % [c for c in body if ord(c) >= 0x80][:5])


def _sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    unittest.main(verbosity=2)
