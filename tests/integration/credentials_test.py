"""Integration: where the password and the OAuth secret may never be.

The real membercare (in tmux, as an agent runs it) against a real sandbox,
with secrets that are unique per run so a stray copy anywhere is found:

* `--password` on the command line is refused with exit 2 and not echoed;
* never in argv (/proc/PID/cmdline) nor in the console's own environment
  (/proc/PID/environ: MEMBERCARE_PASSWORD is wiped once read, and the
  secret variables it does not use are wiped too), nor in the environment
  of the demo sandbox it starts;
* never in a file under HOME (logs, the audit log, config, a token cache),
  nor in the sandbox's request log, nor on the screen, nor in what a crash
  (SIGSEGV) prints; neither is the MD5 form Basic auth sends, nor the
  Basic header;
* core dumps are off: RLIMIT_CORE is 0 (soft and hard) and the process is
  not dumpable, seen as /proc/PID/environ belonging to root while the
  console runs as another user (a control process shows the opposite);
* the OAuth token lives in memory only: a session that fetches one leaves
  HOME exactly as it found it.
"""
import base64
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from sandboxproc import Sandbox  # noqa: E402
from tmuxterm import Term  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(HERE, "..", "..", "build"))
CONSOLE = os.path.join(BUILD, "membercare")
ASHA_MOBILE = "919845000001"
NOBODY = 65534


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def forms(secret, till="demo.agent"):
    """The secret and what Basic auth makes of it."""
    md5 = hashlib.md5(secret.encode()).hexdigest()
    header = base64.b64encode(("%s:%s" % (till, md5)).encode()).decode()
    return [secret.encode(), md5.encode(), header.encode()]


def tree(root):
    """Every file and directory under root with its size (a listing to compare)."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            try:
                out[os.path.relpath(p, root)] = os.lstat(p).st_size if n in files else "dir"
            except OSError:
                pass
    return out


def files_containing(root, needles):
    hits = []
    for d, _, files in os.walk(root):
        for n in files:
            p = os.path.join(d, n)
            try:
                data = read(p)
            except OSError:
                continue
            hits += ["%s holds %r" % (p, x[:12]) for x in needles if x in data]
    return hits


def children(pid):
    try:
        return [int(p) for p in read("/proc/%d/task/%d/children" % (pid, pid), "r").split()]
    except OSError:
        return []


def limits_core(pid):
    for line in read("/proc/%d/limits" % pid, "r").splitlines():
        if line.startswith("Max core file size"):
            return line.split()[4:6]
    raise AssertionError("no core limit line")


class Credentials(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mc-cred-")
        cls.log = os.path.join(cls.tmp, "sandbox.log")
        cls.sb = Sandbox("--customers", "50", "--log", cls.log)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        tag = uuid.uuid4().hex[:12]
        self.password = "Pw-%s-hunter2" % tag
        self.client_secret = "Cs-%s-s3cr3t" % tag

    def assert_nowhere(self, pid, needles, what):
        cmdline = read("/proc/%d/cmdline" % pid)
        environ = read("/proc/%d/environ" % pid)
        for x in needles:
            self.assertNotIn(x, cmdline, "%s: a secret in argv" % what)
            self.assertNotIn(x, environ, "%s: a secret in the environment" % what)

    def test_password_option_is_refused(self):
        for argv in (["--password", self.password], ["--password=" + self.password]):
            r = subprocess.run([CONSOLE, "--host", self.sb.url, "--user", "demo.agent"] + argv,
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=30)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--password is not accepted", r.stderr)
            self.assertIn("MEMBERCARE_PASSWORD", r.stderr, "it says what to do instead")
            self.assertNotIn(self.password, r.stderr + r.stdout, "the refusal echoes the secret")

    def test_credentials_go_to_this_machine_only(self):
        """Plain http is for loopback alone, and the host is parsed, not
        prefix-matched: none of these may receive the till's password."""
        port = self.sb.url.rsplit(":", 1)[1]
        for host in ("http://127.0.0.1@127.0.0.2.invalid:%s" % port, "http://localhost.invalid:%s" % port,
                     "http://127.0.0.1.invalid:%s" % port, "http://0127.0.0.1:%s" % port):
            r = subprocess.run([CONSOLE, "--host", host, "--user", "demo.agent", "--batch", "-"],
                               input="find Asha\n", capture_output=True, text=True, timeout=30,
                               env=dict(os.environ, MEMBERCARE_PASSWORD=self.password))
            self.assertEqual(r.returncode, 2, (host, r.stderr))
            self.assertIn("refusing plain http://", r.stderr, host)
        # the same request to the real loopback address is sent
        r = subprocess.run([CONSOLE, "--host", self.sb.url, "--user", "demo.agent", "--batch", "-"],
                           input="find Asha\n", capture_output=True, text=True, timeout=30,
                           env=dict(os.environ, MEMBERCARE_PASSWORD="demo"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Asha", r.stdout)

    def test_named_files_must_exist(self):
        missing = os.path.join(self.tmp, "no-such-file")
        for flag in ("--config", "--keys"):
            r = subprocess.run([CONSOLE, "--host", self.sb.url, "--user", "demo.agent", flag, missing,
                                "--batch", "-"], input="find Asha\n", capture_output=True, text=True,
                               timeout=30, env=dict(os.environ, MEMBERCARE_PASSWORD="demo"))
            self.assertEqual(r.returncode, 2, (flag, r.stderr))
            self.assertIn(missing, r.stderr)
            self.assertEqual(r.stdout, "", "nothing ran")

    def test_basic_password_stays_out(self):
        secrets = forms(self.password) + [self.client_secret.encode()]
        t = Term([CONSOLE, "--host", self.sb.url, "--user", "demo.agent"], width=100, height=30,
                 env={"MEMBERCARE_PASSWORD": self.password,
                      "MEMBERCARE_CLIENT_SECRET": self.client_secret})
        try:
            t.wait("Find member:")
            pid = t.pid()
            self.assert_nowhere(pid, secrets, "console")
            env = read("/proc/%d/environ" % pid)
            self.assertIn(b"TERM=", env, "the environment itself is readable")
            self.assertEqual(limits_core(pid), ["0", "0"], "core dumps are off")
            # the wrong password travels (as Basic) and is refused
            t.type(ASHA_MOBILE)
            t.keys("Enter")
            t.wait("401")
            self.assert_nowhere(pid, secrets, "console after a request")
            scroll = t._tmux("capture-pane", "-p", "-S", "-", "-t", "mc").stdout
            for x in secrets:
                self.assertNotIn(x.decode(), scroll, "a secret on the screen")
            quit_console(t)
            self.assertEqual(files_containing(t.home, secrets), [], "a secret under HOME")
            self.assertEqual(files_containing(self.tmp, secrets), [], "a secret in the sandbox log")
        finally:
            t.close()

    def test_demo_sandbox_gets_no_secret(self):
        secrets = [self.password.encode(), self.client_secret.encode()]
        with Term([CONSOLE, "--demo", "--sandbox-args", "--customers 100"], width=100, height=30,
                  env={"MEMBERCARE_PASSWORD": self.password,
                       "MEMBERCARE_CLIENT_SECRET": self.client_secret}) as t:
            t.wait("Find member:", timeout=60)
            pid = t.pid()
            kids = children(pid)
            self.assertEqual(len(kids), 1, "the demo sandbox is a child: %r" % kids)
            self.assert_nowhere(kids[0], secrets, "demo sandbox")
            child_env = read("/proc/%d/environ" % kids[0])
            self.assertNotIn(b"MEMBERCARE_PASSWORD=", child_env)
            self.assertNotIn(b"MEMBERCARE_CLIENT_SECRET=", child_env)
            self.assert_nowhere(pid, secrets, "console in demo mode")
            self.assertEqual(limits_core(pid), ["0", "0"])
            t.type(ASHA_MOBILE)
            t.keys("Enter")
            t.wait("12,450")
            t.keys("Q")
            t.wait("[exited 0]")
            self.assertEqual(files_containing(t.home, secrets), [])

    def test_oauth_token_is_memory_only(self):
        home = tempfile.mkdtemp(prefix="mc-cred-home-")
        try:
            os.makedirs(os.path.join(home, ".config", "membercare"))
            before = tree(home)
            env = {"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                   "XDG_STATE_HOME": os.path.join(home, ".local", "state"),
                   "XDG_CACHE_HOME": os.path.join(home, ".cache"),
                   "MEMBERCARE_CLIENT_SECRET": "demo-secret"}
            with Term([CONSOLE, "--host", self.sb.url, "--auth", "oauth", "--client-key",
                       "demo-key"], width=100, height=30, env=env) as t:
                t.wait("Find member:")
                pid = t.pid()
                t.type(ASHA_MOBILE)
                t.keys("Enter")
                t.wait("12,450", what="Asha, through an OAuth token")
                self.assert_nowhere(pid, [b"demo-secret"], "console (oauth)")
                t.keys("q")
                t.wait("Find member:")
                quit_console(t)
            self.assertEqual(tree(home), before, "the session wrote under HOME")
            tokens = self.sb.oauth_token().encode()  # the shape of a token, to look for
            self.assertEqual(files_containing(home, [b"demo-secret", tokens[:16]]), [])
        finally:
            shutil.rmtree(home, ignore_errors=True)

    def test_not_dumpable_and_crash_output(self):
        """As another user the console's /proc files belong to root (not
        dumpable); a control process of the same user owns its own."""
        home = tempfile.mkdtemp(prefix="mc-cred-home-")
        try:
            os.makedirs(os.path.join(home, ".config", "membercare"))
            as_user = []
            if os.geteuid() == 0:
                for d, dirs, files in os.walk(home):
                    for n in [d] + [os.path.join(d, x) for x in dirs + files]:
                        os.chown(n, NOBODY, NOBODY)
                as_user = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
                           "--clear-groups"]
            env = {"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                   "XDG_STATE_HOME": os.path.join(home, ".local", "state")}
            # The secret reaches the console through a file read by the shell
            # that starts it, so that the crash report of that shell (which
            # quotes its command line) cannot be what shows it.
            secret_file = os.path.join(self.tmp, "secret")
            with open(secret_file, "w") as f:
                f.write(self.password)
            launch = ["sh", "-c", 'MEMBERCARE_PASSWORD="$(cat %s)" exec "$@"' % secret_file, "sh"]
            with Term(as_user + ["sleep", "60"], env=env) as control:
                cpid = control.pid()
                wait_exec(cpid, b"sleep")
                uid = int(_status(cpid, "Uid").split()[0])
                self.assertNotEqual(uid, 0, "the control runs as another user")
                self.assertEqual(os.stat("/proc/%d/environ" % cpid).st_uid, uid,
                                 "a dumpable process owns its /proc files")
            with Term(launch + as_user + [CONSOLE, "--host", self.sb.url, "--user", "demo.agent"],
                      width=100, height=30, env=env) as t:
                t.wait("Find member:")
                pid = t.pid()
                uid = int(_status(pid, "Uid").split()[0])
                self.assertNotEqual(uid, 0)
                self.assertEqual(os.stat("/proc/%d/environ" % pid).st_uid, 0,
                                 "PR_SET_DUMPABLE 0: the console's /proc files belong to root")
                self.assertEqual(limits_core(pid), ["0", "0"])
                self.assert_nowhere(pid, forms(self.password), "console as another user")
                # a crash: what it prints holds no secret, and nothing is dumped
                os.kill(pid, signal.SIGSEGV)
                s = t.wait(lambda s: "[exited" in s, what="the crash")
                self.assertNotIn("[exited 0]", s, "the crash is not a clean exit")
                scroll = t._tmux("capture-pane", "-p", "-S", "-", "-t", "mc").stdout
                for x in forms(self.password):
                    self.assertNotIn(x.decode(), scroll)
            self.assertEqual(files_containing(home, forms(self.password)), [])
        finally:
            shutil.rmtree(home, ignore_errors=True)


def quit_console(t):
    """Quits from the search screen: clear the field, Esc, confirm."""
    t.keys("C-u")
    t.keys("Escape")
    t.wait("Quit membercare?")
    t.keys("y")
    t.wait("[exited 0]")


def _status(pid, field):
    for line in read("/proc/%d/status" % pid, "r").splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no %s in /proc/%d/status" % (field, pid))


def wait_exec(pid, name, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if read("/proc/%d/cmdline" % pid).split(b"\0")[0].endswith(name):
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError("process %d never became %r" % (pid, name))


if __name__ == "__main__":
    unittest.main(verbosity=2)
