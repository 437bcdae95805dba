"""Drive the real membercare binary in tmux, as a person at a terminal would.

Each Term gets its own tmux server (-L socket), so tests can run in
parallel. Screens are read with capture-pane and polled until a predicate
holds; nothing sleeps to synchronise.
"""
import os
import shlex
import subprocess
import tempfile
import time
import uuid

DEFAULT_TIMEOUT = float(os.environ.get("MC_E2E_TIMEOUT", "15"))


class ScreenTimeout(AssertionError):
    pass


class Term:
    def __init__(self, argv, width=80, height=24, env=None, term="xterm-256color"):
        self.socket = "mc-e2e-" + uuid.uuid4().hex[:10]
        self.home = tempfile.mkdtemp(prefix="mc-e2e-home-")
        os.makedirs(os.path.join(self.home, ".config", "membercare"), exist_ok=True)
        full_env = {
            "HOME": self.home,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_STATE_HOME": os.path.join(self.home, ".local", "state"),
            # shared by every test of a run: the demo's seeded template
            "XDG_CACHE_HOME": os.path.join(
                os.environ.get("MC_BUILD", tempfile.gettempdir()), "test-cache"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "TERM": term,
        }
        if env:
            full_env.update(env)
        exports = " ".join(
            "%s=%s" % (k, shlex.quote(v)) for k, v in full_env.items() if v is not None
        )
        unset = " ".join("-u %s" % k for k, v in (env or {}).items() if v is None)
        self.pidfile = os.path.join(self.home, "pid")
        cmd = "echo $$ > %s; exec env %s %s %s" % (
            shlex.quote(self.pidfile),
            unset,
            exports,
            " ".join(shlex.quote(a) for a in argv),
        )
        self._tmux(
            "new-session", "-d", "-x", str(width), "-y", str(height), "-s", "mc",
            "sh -c %s; echo '[exited '$?']'; sleep 600" % shlex.quote(cmd),
        )
        self._tmux("set-option", "-g", "status", "off")
        self.last = ""

    def _tmux(self, *args, check=True):
        env = dict(os.environ)
        env.pop("TMUX", None)
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
            check=check, capture_output=True, text=True, env=env,
        )

    def pid(self):
        deadline = time.time() + 5
        while time.time() < deadline:
            try:
                with open(self.pidfile) as f:
                    return int(f.read().strip())
            except (OSError, ValueError):
                time.sleep(0.02)
        raise AssertionError("the console never started")

    def keys(self, *keys):
        """Named keys (Enter, Escape, C-r, F1, Down) or words, one send-keys each."""
        for k in keys:
            self._tmux("send-keys", "-t", "mc", k)

    def type(self, text):
        self._tmux("send-keys", "-t", "mc", "-l", text)

    def screen(self, ansi=False):
        args = ["capture-pane", "-p", "-t", "mc"]
        if ansi:
            args.insert(1, "-e")
        out = self._tmux(*args).stdout
        lines = [l.rstrip() for l in out.split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        self.last = "\n".join(lines)
        return self.last

    def wait(self, pred, timeout=DEFAULT_TIMEOUT, what=None):
        """Polls the screen until pred(screen) (or a substring) holds."""
        if isinstance(pred, str):
            needle = pred
            pred = lambda s: needle in s
            what = what or repr(needle)
        deadline = time.time() + timeout
        while True:
            s = self.screen()
            if pred(s):
                return s
            if time.time() > deadline:
                raise ScreenTimeout(
                    "timed out after %.0fs waiting for %s; last screen:\n%s"
                    % (timeout, what or "condition", s)
                )
            time.sleep(0.03)

    def wait_gone(self, text, timeout=DEFAULT_TIMEOUT):
        return self.wait(lambda s: text not in s, timeout, "%r to disappear" % text)

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "mc", "-x", str(width), "-y", str(height))

    def title(self):
        return self._tmux("display-message", "-p", "-t", "mc", "#{pane_title}").stdout.strip()

    def exited(self):
        return "[exited" in self.screen()

    def close(self):
        self._tmux("kill-server", check=False)
        subprocess.run(["rm", "-rf", self.home], check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
