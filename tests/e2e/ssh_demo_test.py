"""End-to-end: the demo over SSH (tools/ssh-demo-setup, tools/membercare-demo-session).

A private sshd runs on a free loopback port with its own configuration
directory and host key; the real tools/ssh-demo-setup creates a temporary
demo account in it and writes its drop-in there (the machine's /etc/ssh and
any running sshd are left alone). Visitors connect with `ssh -tt` inside
tmux and drive the console. Checked:

- the drop-in, what sshd makes of it (sshd -T), idempotence, restoring the
  previous drop-in when validation fails, --remove;
- logins without a terminal are refused with a message, port forwarding is
  refused, key and password sign-in work;
- two visitors at once get two sandboxes, each with its own port, database
  and temporary directory; dropping one connection (SIGKILL of the ssh
  client) ends that console and its sandbox and removes its directory while
  the other visitor carries on;
- the bytes a scripted session costs on the wire with compression off and
  on (through ssh_bytecount.Relay), and that a one-row cursor move costs a
  few hundred bytes at most.

Needs root (a system account, sshd) and Debian's openssh-server; skipped
otherwise.
"""
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))

from ssh_bytecount import Relay  # noqa: E402
from tmuxterm import Term  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("MC_SRC", os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("MC_BUILD", os.path.join(SRC, "build"))
SETUP = os.path.join(SRC, "tools", "ssh-demo-setup")
SSHD = "/usr/sbin/sshd"
NO_TTY_MSG = "this demo needs a terminal"
TIMEOUT = 30
# the first screen waits for a freshly seeded sandbox (the console allows it 30 s)
START_TIMEOUT = 240  # the first login of the day seeds the shared demo template
# bytes*10/9600: 8N1 framing on a 9,600 bit/s serial-speed link
BAUD = 9600


def skip_reason():
    if os.geteuid() != 0:
        return "needs root: it creates a temporary demo account and runs its own sshd"
    if not (os.access(SSHD, os.X_OK) and shutil.which("ssh")):
        # like every make target, install what is missing
        subprocess.run(["sh", os.path.join(SRC, "tools", "install-deps"), "--ssh"],
                       stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr, check=False)
    if not os.access(SSHD, os.X_OK):
        return "no %s and it could not be installed (sh tools/install-deps --ssh)" % SSHD
    for tool in ("ssh", "ssh-keygen", "tmux"):
        if not shutil.which(tool):
            return "no %s on PATH: install openssh-client and tmux (sh tools/install-deps --ssh)" % tool
    for tool in ("useradd", "userdel"):
        if not (shutil.which(tool) or os.access("/usr/sbin/" + tool, os.X_OK)):
            return "no %s (package passwd)" % tool
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parents(path):
    path = os.path.abspath(path)
    out = [path]
    while path != "/":
        path = os.path.dirname(path)
        out.append(path)
    return out


def others_can_reach(path):
    """True when a user who is neither root nor in root's group can search
    every directory above path and read and run path itself."""
    for i, p in enumerate(parents(path)):
        try:
            st = os.stat(p)
        except OSError:
            return False
        need = (stat.S_IROTH | stat.S_IXOTH) if i == 0 else stat.S_IXOTH
        if st.st_mode & need != need:
            return False
    return True


def strict_chain(path):
    """True when every directory from path up is owned by root and writable
    by nobody else: what sshd's StrictModes asks of an AuthorizedKeysFile."""
    for p in parents(path):
        st = os.stat(p)
        if st.st_uid != 0 or st.st_mode & 0o022:
            return False
    return True


def procs_of(uid):
    """{pid: (ppid, program name)} of the processes whose real uid is uid."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/status" % d) as f:
                status = f.read()
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv0 = f.read().split(b"\0")[0].decode(errors="replace")
        except OSError:
            continue
        m = re.search(r"^Uid:\s+(\d+)", status, re.M)
        if not m or int(m.group(1)) != uid:
            continue
        fields = st[st.rindex(")") + 2:].split()
        if fields[0] == "Z":
            continue
        out[int(d)] = (int(fields[1]), os.path.basename(argv0))
    return out


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(")") + 2:].split()[0] != "Z"


def listen_ports(pid):
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return set()
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "0A" and cols[9] in inodes:
                ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def open_files(pid):
    out = []
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                out.append(os.readlink("/proc/%d/fd/%s" % (pid, fd)))
            except OSError:
                pass
    except OSError:
        pass
    return out


def environ(pid):
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            raw = f.read()
    except OSError:
        return {}
    env = {}
    for item in raw.split(b"\0"):
        k, sep, v = item.partition(b"=")
        if sep:
            env[k.decode(errors="replace")] = v.decode(errors="replace")
    return env


def wait_for(pred, timeout, what):
    deadline = time.time() + timeout
    while not pred():
        if time.time() > deadline:
            raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(0.1)


def header_port(screen):
    m = re.search(r"@127\.0\.0\.1:(\d+)", screen)
    return int(m.group(1)) if m else None


SKIP = skip_reason()


@unittest.skipIf(SKIP is not None, SKIP or "")
class SshDemo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.terms = []
        cls.sshd = None
        cls.base = None
        cls.made_run_sshd = False
        cls.user = None
        try:
            cls._start()
        except BaseException:
            cls._cleanup()
            raise

    @classmethod
    def _start(cls):
        os.umask(0o022)
        # Executables must be runnable by the demo account; the build
        # directory is a place where running programs is allowed.
        parent = BUILD if others_can_reach(BUILD) else tempfile.gettempdir()
        cls.base = tempfile.mkdtemp(prefix="ssh-demo-test-", dir=parent)
        os.chmod(cls.base, 0o755)
        cls.etc = os.path.join(cls.base, "etc")
        os.makedirs(os.path.join(cls.etc, "sshd_config.d"))
        cls.prefix = os.path.join(cls.base, "prefix")
        cls.homes = os.path.join(cls.base, "home")
        os.makedirs(cls.homes)
        client = os.path.join(cls.base, "client")
        os.mkdir(client, 0o700)
        os.chmod(client, 0o700)
        cls.key = os.path.join(client, "id_ed25519")
        cls.hostkey = os.path.join(cls.etc, "ssh_host_ed25519_key")
        for path, comment in ((cls.hostkey, "host"), (cls.key, "visitor")):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path],
                           check=True, stdin=subprocess.DEVNULL)

        while True:
            cls.user = "mcdemo" + secrets.token_hex(4)
            try:
                pwd.getpwnam(cls.user)
            except KeyError:
                break
        cls.password = "visit-" + secrets.token_hex(6)

        # The console and its sandbox, where the demo account can run them.
        console = os.path.join(BUILD, "membercare")
        sandbox = os.path.join(BUILD, "membercare-sandbox")
        for p in (console, sandbox):
            if not os.access(p, os.X_OK):
                raise AssertionError("%s is missing: build first" % p)
        if others_can_reach(console) and others_can_reach(sandbox):
            cls.console = console
        else:
            bindir = os.path.join(cls.base, "bin")
            os.mkdir(bindir)
            for p in (console, sandbox):
                shutil.copy2(p, bindir)
                os.chmod(os.path.join(bindir, os.path.basename(p)), 0o755)
            cls.console = os.path.join(bindir, "membercare")

        cls.port = free_port()
        cls.pidfile = os.path.join(cls.base, "sshd.pid")
        cls.config = os.path.join(cls.etc, "sshd_config")
        with open(cls.config, "w") as f:
            f.write(
                "# A private sshd for tests/e2e/ssh_demo_test.py; only the demo account may sign in.\n"
                "Include %(etc)s/sshd_config.d/*.conf\n"
                "Port %(port)d\n"
                "ListenAddress 127.0.0.1\n"
                "HostKey %(hostkey)s\n"
                "PidFile %(pidfile)s\n"
                "AllowUsers %(user)s\n"
                "PermitRootLogin no\n"
                # PAM's session modules (pam_loginuid) fail in some containers
                "UsePAM no\n"
                "PasswordAuthentication no\n"
                "KbdInteractiveAuthentication no\n"
                "AuthorizedKeysFile none\n"
                "StrictModes %(strict)s\n"
                "AcceptEnv LANG LC_*\n"
                "LogLevel VERBOSE\n"
                % {"etc": cls.etc, "port": cls.port, "hostkey": cls.hostkey, "pidfile": cls.pidfile,
                   "user": cls.user, "strict": "yes" if strict_chain(cls.etc) else "no"})
        with open(cls.config) as f:
            cls.main_config_text = f.read()

        if not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", 0o755)
            cls.made_run_sshd = True
        cls.sshd_log_path = os.path.join(cls.base, "sshd.log")
        cls.sshd_log = open(cls.sshd_log_path, "w")
        cls.sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", cls.config], stdin=subprocess.DEVNULL,
                                    stdout=cls.sshd_log, stderr=subprocess.STDOUT)
        wait_for(lambda: os.path.exists(cls.pidfile) and cls._port_open(), 15, "sshd to listen")

        # The real setup script, as an operator would run it; it reloads
        # our sshd through its pid file.
        r = cls.setup()
        if r.returncode != 0:
            raise AssertionError("ssh-demo-setup failed:\n%s%s" % (r.stdout, r.stderr))
        cls.first_setup_output = r.stdout
        cls.uid = pwd.getpwnam(cls.user).pw_uid
        # sshd re-executes itself on SIGHUP; wait until it answers again
        deadline = time.time() + 20
        while True:
            r = cls.ssh_notty()
            if NO_TTY_MSG in r.stderr:
                break
            if time.time() > deadline:
                raise AssertionError("the demo account never signed in:\n%s\n%s"
                                     % (r.stderr, cls.sshd_tail()))
            time.sleep(0.2)

    @classmethod
    def _port_open(cls):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", cls.port)) == 0

    @classmethod
    def setup(cls, *extra, sshd_config=None, user=None):
        argv = ["sh", SETUP, "--user", user or cls.user, "--sshd-config", sshd_config or cls.etc,
                "--prefix", cls.prefix, "--home", os.path.join(cls.homes, user or cls.user),
                "--pid-file", cls.pidfile]
        if "--remove" not in extra:
            argv += ["--membercare", cls.console, "--authorized-key", cls.key + ".pub",
                     "--password", "-"]
        argv += list(extra)
        return subprocess.run(argv, input=cls.password + "\n", capture_output=True, text=True, timeout=60)

    @classmethod
    def ssh_base(cls, port=None, log_level="ERROR"):
        return ["ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=" + log_level,
                "-o", "ConnectTimeout=10", "-p", str(port or cls.port)]

    @classmethod
    def ssh_key(cls, *extra, port=None, log_level="ERROR"):
        return (cls.ssh_base(port, log_level)
                + ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", cls.key]
                + list(extra) + ["%s@127.0.0.1" % cls.user])

    @classmethod
    def ssh_notty(cls, *command):
        return subprocess.run(cls.ssh_key("-T") + list(command), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=30)

    @classmethod
    def sshd_tail(cls):
        try:
            with open(cls.sshd_log_path) as f:
                return "sshd log:\n" + "".join(f.readlines()[-30:])
        except OSError:
            return ""

    def visitor(self, *ssh_opts, port=None, width=80, height=24):
        argv = self.ssh_key("-tt", "-o", "SendEnv=LANG LC_*", *ssh_opts, port=port)
        t = Term(argv, width=width, height=height)
        self.terms.append(t)
        return t

    @classmethod
    def _cleanup(cls):
        problems = []
        for t in cls.terms:
            t.close()
        cls.terms = []
        uid = None
        if cls.user:
            try:
                uid = pwd.getpwnam(cls.user).pw_uid
            except KeyError:
                pass
        if uid is not None:
            try:
                wait_for(lambda: not procs_of(uid), 20, "the demo sessions to end")
            except AssertionError as e:
                problems.append("%s: %s" % (e, procs_of(uid)))
                for pid in procs_of(uid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
        if uid is not None:
            tmp = tempfile.gettempdir()
            for d in os.listdir(tmp):
                path = os.path.join(tmp, d)
                if d.startswith("membercare-demo.") and os.lstat(path).st_uid == uid:
                    problems.append("a session directory outlived its session: %s" % path)
                    shutil.rmtree(path, ignore_errors=True)
        if cls.base and cls.user and os.path.exists(os.path.join(cls.etc, "membercare-demo", "state")):
            r = cls.setup("--remove")
            if r.returncode != 0:
                problems.append("ssh-demo-setup --remove failed:\n%s%s" % (r.stdout, r.stderr))
            else:
                for path in (os.path.join(cls.etc, "sshd_config.d", "membercare-demo.conf"),
                             os.path.join(cls.prefix, "lib", "membercare", "membercare-demo-session"),
                             os.path.join(cls.etc, "membercare-demo"),
                             os.path.join(cls.homes, cls.user)):
                    if os.path.exists(path):
                        problems.append("--remove left %s behind" % path)
        if cls.user:
            try:
                pwd.getpwnam(cls.user)
                problems.append("--remove left the account %s behind" % cls.user)
                path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
                subprocess.run(["userdel", cls.user], check=False, env=dict(os.environ, PATH=path))
            except KeyError:
                pass
        if cls.sshd:
            cls.sshd.terminate()
            try:
                cls.sshd.wait(10)
            except subprocess.TimeoutExpired:
                cls.sshd.kill()
                cls.sshd.wait()
            cls.sshd_log.close()
        if cls.made_run_sshd:
            try:
                os.rmdir("/run/sshd")
            except OSError:
                pass
        if cls.base:
            shutil.rmtree(cls.base, ignore_errors=True)
        if problems:
            raise AssertionError("\n".join(problems))

    @classmethod
    def tearDownClass(cls):
        cls._cleanup()

    # ---- the setup script ------------------------------------------------

    def sshd_T(self, user, config=None):
        r = subprocess.run([SSHD, "-T", "-f", config or self.config, "-C",
                            "user=%s,host=localhost,addr=127.0.0.1" % user],
                           capture_output=True, text=True, check=True)
        return dict(line.split(" ", 1) for line in r.stdout.splitlines() if " " in line)

    def test_dropin_and_what_sshd_makes_of_it(self):
        self.assertIn("created the account " + self.user, self.first_setup_output)
        self.assertIn("reloaded sshd", self.first_setup_output)
        dropin = os.path.join(self.etc, "sshd_config.d", "membercare-demo.conf")
        with open(dropin) as f:
            text = f.read()
        self.assertIn("Match User %s\n" % self.user, text)
        for line in ("PermitTTY yes", "AllowTcpForwarding no", "AllowAgentForwarding no",
                     "X11Forwarding no", "PermitTunnel no", "PasswordAuthentication yes",
                     "PubkeyAuthentication yes"):
            self.assertRegex(text, r"\n\s*%s\n" % line)

        eff = self.sshd_T(self.user)
        wrapper = os.path.join(self.prefix, "lib", "membercare", "membercare-demo-session")
        fc = eff.get("forcecommand", "")
        self.assertIn("'%s' '%s' '--demo' '--readonly'" % (wrapper, self.console), fc)
        helptext = subprocess.run([self.console, "--help"], capture_output=True, text=True).stdout
        self.assertEqual("--mask" in helptext, "'--mask'" in fc, "--mask exactly when the console has it")
        for k, v in (("permittty", "yes"), ("allowtcpforwarding", "no"), ("allowagentforwarding", "no"),
                     ("x11forwarding", "no"), ("permittunnel", "no"), ("passwordauthentication", "yes")):
            self.assertEqual(eff.get(k), v, k)
        self.assertIn("membercare-demo", eff.get("authorizedkeysfile", ""))
        # the Match block ends with its file: other accounts are untouched
        other = self.sshd_T("someoneelse")
        self.assertNotIn("membercare-demo-session", other.get("forcecommand", ""))
        self.assertEqual(other.get("passwordauthentication"), "no")

        self.assertTrue(os.access(wrapper, os.X_OK))
        with open(os.path.join(SRC, "tools", "membercare-demo-session"), "rb") as a, open(wrapper, "rb") as b:
            self.assertEqual(a.read(), b.read())
        with open(self.config) as f:
            self.assertEqual(f.read(), self.main_config_text, "the main sshd_config must stay untouched")

    def test_second_run_changes_nothing(self):
        paths = [os.path.join(self.etc, "sshd_config.d", "membercare-demo.conf"),
                 os.path.join(self.prefix, "lib", "membercare", "membercare-demo-session"),
                 os.path.join(self.etc, "membercare-demo", "authorized_keys"),
                 os.path.join(self.etc, "membercare-demo", "state")]
        before = [os.stat(p).st_mtime_ns for p in paths]
        shadow = subprocess.run(["getent", "shadow", self.user], capture_output=True, text=True).stdout
        r = self.setup()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("nothing to change", r.stdout)
        self.assertNotIn("reloaded", r.stdout)
        self.assertEqual([os.stat(p).st_mtime_ns for p in paths], before)
        self.assertEqual(subprocess.run(["getent", "shadow", self.user], capture_output=True,
                                        text=True).stdout, shadow, "the password hash was rewritten")

    def test_failed_validation_restores_the_previous_dropin(self):
        dropin = os.path.join(self.etc, "sshd_config.d", "membercare-demo.conf")
        with open(dropin) as f:
            before = f.read()
        fake = os.path.join(self.base, "sshd-that-rejects")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\necho 'line 3: Bad configuration option: Nonsense' >&2\nexit 255\n")
        os.chmod(fake, 0o755)
        r = self.setup("--flags", "--demo", "--sshd", fake)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("sshd -t rejected", r.stderr)
        self.assertIn("Bad configuration option", r.stderr)
        with open(dropin) as f:
            self.assertEqual(f.read(), before)

        # a main configuration that does not Include the drop-in directory
        other = os.path.join(self.base, "etc-without-include")
        os.makedirs(os.path.join(other, "sshd_config.d"), exist_ok=True)
        with open(os.path.join(other, "sshd_config"), "w") as f:
            f.write("HostKey %s\nUsePAM no\n" % self.hostkey)
        r = self.setup(sshd_config=other)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("does not apply", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(other, "sshd_config.d", "membercare-demo.conf")))

    # ---- signing in ------------------------------------------------------------

    def consoles(self):
        return {p for p, (_, name) in procs_of(self.uid).items() if name.startswith("membercare")}

    def test_no_terminal_is_refused(self):
        consoles = self.consoles()
        for command in ([], ["cat", "/etc/passwd"]):
            with self.subTest(command=command):
                r = self.ssh_notty(*command)
                self.assertNotEqual(r.returncode, 0)
                self.assertIn(NO_TTY_MSG, r.stderr)
                self.assertNotIn("root:", r.stdout)
        self.assertFalse(self.consoles() - consoles, "a refused login must not start the console")

    def test_forwarding_is_refused(self):
        argv = self.ssh_key("-W", "127.0.0.1:%d" % self.port, log_level="INFO")
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("administratively prohibited", r.stderr)

    def test_password_sign_in(self):
        askpass = os.path.join(self.base, "askpass")
        with open(askpass, "w") as f:
            f.write("#!/bin/sh\nprintf '%s\\n' \"$MC_TEST_PASSWORD\"\n")
        os.chmod(askpass, 0o700)
        for password, ok in ((self.password, True), ("wrong-" + self.password, False)):
            env = dict(os.environ, SSH_ASKPASS=askpass, SSH_ASKPASS_REQUIRE="force", DISPLAY=":0",
                       MC_TEST_PASSWORD=password)
            argv = self.ssh_base() + ["-T", "-o", "PubkeyAuthentication=no",
                                      "-o", "PreferredAuthentications=password",
                                      "-o", "NumberOfPasswordPrompts=1", "%s@127.0.0.1" % self.user]
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               env=env, timeout=30)
            with self.subTest(ok=ok):
                if ok:
                    self.assertIn(NO_TTY_MSG, r.stderr, "the right password must get as far as the wrapper")
                else:
                    self.assertIn("Permission denied", r.stderr)
                    self.assertNotIn(NO_TTY_MSG, r.stderr)

    # ---- sessions ------------------------------------------------------------

    def quit_from_search(self, t):
        # the query keeps what was typed, and Esc would clear it first
        t.keys("C-u")
        t.wait(lambda s: re.search(r"^ Find member:\s*$", s, re.M), timeout=TIMEOUT, what="an empty query")
        t.keys("Escape")
        t.wait("Quit membercare?", timeout=TIMEOUT)
        t.keys("y")
        t.wait("[exited", timeout=TIMEOUT)

    def open_asha(self, t):
        t.wait("Find member:", timeout=START_TIMEOUT)
        t.type("919845000001")
        t.keys("Enter")
        # a public demo masks names and numbers when the console can
        # every part of her screen in: a later answer would change the screen the
        # next key is checked against
        s = t.wait(lambda s: re.search(r"Asha Rao|A(\u2022{3}|\*{3}) R(\u2022{3}|\*{3})", s)
                   and "12,450" in s and "loading..." not in s, timeout=TIMEOUT, what="Asha Rao")
        self.assertNotIn("919845000001", s)
        return s

    def session_of(self, port):
        """The sandbox listening on port, its console and the wrapper above it."""
        procs = procs_of(self.uid)
        for pid, (ppid, name) in procs.items():
            if name == "membercare-sandbox" and port in listen_ports(pid):
                console = ppid
                wrapper = procs.get(console, (None,))[0]
                return {"sandbox": pid, "console": console, "wrapper": wrapper,
                        "dir": environ(pid).get("TMPDIR")}
        raise AssertionError("no sandbox of %s listens on %d: %s" % (self.user, port, procs))

    def test_each_visitor_gets_its_own_world_and_a_drop_ends_it(self):
        a = self.visitor()
        b = self.visitor()
        port_a = header_port(self.open_asha(a))
        port_b = header_port(self.open_asha(b))
        self.assertIsNotNone(port_a, a.last)
        self.assertNotEqual(port_a, port_b, "two visitors must not share a sandbox")

        sandboxes = [p for p, (_, name) in procs_of(self.uid).items() if name == "membercare-sandbox"]
        self.assertEqual(len(sandboxes), 2, procs_of(self.uid))
        sa, sb = self.session_of(port_a), self.session_of(port_b)
        self.assertNotEqual(sa["sandbox"], sb["sandbox"])
        for s in (sa, sb):
            self.assertTrue(s["dir"] and os.path.basename(s["dir"]).startswith("membercare-demo."), s)
            self.assertTrue(os.path.isdir(s["dir"]))
            self.assertEqual(os.stat(s["dir"]).st_uid, self.uid)
            mine = [f for f in open_files(s["sandbox"]) if f.startswith(s["dir"] + "/")]
            self.assertTrue(mine, "the sandbox keeps its database in its session's directory: %s"
                            % open_files(s["sandbox"]))
        self.assertNotEqual(sa["dir"], sb["dir"])

        # visitor A's link drops: no goodbye from the client at all
        os.kill(a.pid(), signal.SIGKILL)
        wait_for(lambda: not any(alive(sa[k]) for k in ("sandbox", "console", "wrapper")), TIMEOUT,
                 "visitor A's console, sandbox and wrapper to end")
        wait_for(lambda: not os.path.exists(sa["dir"]), 10, "visitor A's directory to go")

        # visitor B carries on in its own world
        for k in ("sandbox", "console", "wrapper"):
            self.assertTrue(alive(sb[k]), k)
        b.keys("q")
        b.wait("Find member:", timeout=START_TIMEOUT)
        self.quit_from_search(b)
        wait_for(lambda: not any(alive(sb[k]) for k in ("sandbox", "console", "wrapper")), TIMEOUT,
                 "visitor B's console, sandbox and wrapper to end")
        self.assertFalse(os.path.exists(sb["dir"]))
        wait_for(lambda: not procs_of(self.uid), TIMEOUT, "every process of the demo account to end")

    # ---- thin links ------------------------------------------------------------

    def back_if(self, t, crumb):
        """Goes back when the screen named crumb opened (it may only have said
        in the status line that it is not there yet)."""
        if "\u203a " + crumb in t.screen().splitlines()[0]:
            t.keys("q")
            t.wait(lambda s: "\u203a " + crumb not in s.splitlines()[0], timeout=TIMEOUT, what="back")

    def scripted_session(self, relay, compression):
        """Search Asha by mobile, open her, ledger, coupons, back, quit.
        Returns (up, down) at sign-in (first screen) and at the end."""
        relay.reset()
        t = self.visitor("-o", "Compression=%s" % compression, port=relay.port)
        t.wait("Find member:", timeout=START_TIMEOUT)
        signed_in = relay.settle()
        self.open_asha(t)
        relay.settle()
        for key, crumb in (("l", "Ledger"), ("c", "Coupons")):
            before = t.screen()
            t.keys(key)
            t.wait(lambda s, b=before: s != b, timeout=TIMEOUT, what="an answer to %r" % key)
            relay.settle()
            self.back_if(t, crumb)
            relay.settle()
        t.keys("q")
        t.wait("Find member:", timeout=TIMEOUT)
        self.quit_from_search(t)
        total = relay.settle()
        t.close()
        self.terms.remove(t)
        return signed_in, total

    def test_bytes_on_the_wire(self):
        figures = {}
        with Relay(self.port) as relay:
            for compression in ("no", "yes"):
                figures[compression] = self.scripted_session(relay, compression)
        lines = ["bytes on the wire for the scripted demo session at 80x24"
                 " (up: client to server, down: server to client; at 9,600 bit/s = bytes*10/9600 s):"]
        for compression, (signed_in, total) in figures.items():
            demo = (total[0] - signed_in[0], total[1] - signed_in[1])
            parts = (("to 1st screen", signed_in), ("the screens", demo), ("whole session", total))
            for what, (up, down) in parts:
                lines.append("  compression %-3s %-14s up %6d  down %6d   %5.1f s up  %5.1f s down"
                             % (compression, what, up, down, up * 10 / BAUD, down * 10 / BAUD))
        print("\n" + "\n".join(lines), file=sys.stderr)

        for compression, (signed_in, total) in figures.items():
            self.assertGreater(total[1], signed_in[1], "the session itself must show on the wire")
            # the whole demo in under 25 s of a 9,600 bit/s link
            self.assertLess(total[1], 24000, "compression %s" % compression)
        screens = {c: total[1] - signed_in[1] for c, (signed_in, total) in figures.items()}
        self.assertLess(screens["yes"], screens["no"],
                        "compression must shrink what the screens cost")

    def test_one_row_cursor_move_is_cheap(self):
        """The cheapest of three one-row cursor moves in a search result
        list costs a few hundred bytes at most, SSH framing and encryption
        included: the console redraws what changed, not the screen."""
        with Relay(self.port) as relay:
            up, down = self.cursor_move_cost(relay)
        print("\none-row cursor move over ssh: up %d down %d bytes" % (up, down), file=sys.stderr)
        # a key press is one small SSH packet; the redraw is the two rows
        # that changed (a full 80x24 screen of text is about 2 kB)
        self.assertLess(up, 200, "a one-row move: the key press")
        self.assertLess(down, 500, "a one-row move: the redraw")

    def cursor_move_cost(self, relay):
        t = self.visitor("-o", "Compression=no", port=relay.port)
        t.wait("Find member:", timeout=START_TIMEOUT)
        t.type("Rao")
        t.keys("Enter")
        # names may be masked in a public demo (R\u2022\u2022\u2022)
        t.wait(lambda s: len(re.findall(r"R(ao|\u2022{3}|\*{3})", s)) >= 5, timeout=TIMEOUT,
               what="a list of members named Rao")
        t.keys("Down")  # into the list
        relay.settle(quiet=0.6)
        costs = []
        for _ in range(3):
            before_screen = t.screen(ansi=True)
            before = relay.settle(quiet=0.6)
            t.keys("Down")
            t.wait(lambda s, b=before_screen: t.screen(ansi=True) != b, timeout=TIMEOUT,
                   what="the cursor to move")
            after = relay.settle(quiet=0.6)
            costs.append((after[0] - before[0], after[1] - before[1]))
        t.close()  # hangs up: the session ends as on a dropped link
        self.terms.remove(t)
        wait_for(lambda: not procs_of(self.uid), TIMEOUT, "the session to end")
        return min(costs, key=lambda c: c[0] + c[1])


if __name__ == "__main__":
    unittest.main()
