"""sandboxproc - run membercare-sandbox for a test and talk to it.

    import sys, os
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))   # or ../integration/lib
    from sandboxproc import Sandbox

    with Sandbox("--customers", "50") as sb:
        r = sb.get("/v2/customers/565000001/points/balance?source=INSTORE")
        assert r.status == 200, r
        print(r.json()["mainPoints"])

Sandbox(*args) starts `$MC_BUILD/membercare-sandbox --port 0 [args]` (args as
separate strings or as one list), waits for the first stdout line
`listening on http://127.0.0.1:PORT` and exposes `base_url` (alias `url`),
`host` and `port`. Requests authenticate with Basic (till id + md5 hex of
the password; demo.agent / demo by default), with an OAuth token
(`token=...`), or not at all (`auth=False`). stop() sends SIGTERM and returns
the exit status. "now" is pinned to DEFAULT_NOW through MEMBERCARE_NOW unless
now=None. template_customers=N starts from a private copy of a database seeded
once per test process with --customers N (seeding is the slow part of a start,
so a test that starts many sandboxes should use it). With MC_VALGRIND set the sandbox runs under valgrind, and stop()
reports valgrind's verdict through the exit status.

Only the standard library is used.
"""

import atexit
import base64
import hashlib
import http.client
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

DEMO_PASSWORD = "demo"
AGENT = "demo.agent"
SUPERVISOR = "demo.supervisor"
VIEWER = "demo.viewer"
OAUTH_KEY = "demo-key"
OAUTH_SECRET = "demo-secret"
DEFAULT_NOW = "2026-11-25T10:00:00Z"

# The fixed members of the seed data.
ASHA = 565000001
RAVI = 565000002
NEHA = 565000003
ZOE = 565000004
MEERA = 565000100
GENERATED = 565100000  # generated member k is GENERATED + k

_running = set()
_templates = {}  # (customers, now) -> path of a seeded database
_temp_dirs = []


def md5hex(password):
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def basic_header(till=AGENT, password=DEMO_PASSWORD):
    """The Authorization header Capillary expects: base64(till:md5hex(password))."""
    raw = "%s:%s" % (till, md5hex(password))
    return "Basic " + base64.b64encode(raw.encode("utf-8")).decode("ascii")


def build_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("MC_BUILD") or os.path.join(here, "..", "..", "..", "build")


class Response:
    """status (int), headers (dict, lower-case names), body (bytes)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.text[:300])


class Sandbox:
    def __init__(self, *args, db=None, now=DEFAULT_NOW, env=None, binary=None,
                 startup_timeout=None, template_customers=None):
        self.args = []
        for a in args:
            self.args += [str(x) for x in a] if isinstance(a, (list, tuple)) else [str(a)]
        self.db = db
        self.now = now
        self.extra_env = env or {}
        self.binary = binary or os.path.join(build_dir(), "membercare-sandbox")
        self.valgrind = bool(os.environ.get("MC_VALGRIND"))
        self.startup_timeout = startup_timeout or (900 if self.valgrind else 120)
        self.proc = None
        self.base_url = None
        self.host = None
        self.port = None
        self._stderr = None
        self._stderr_final = ""
        self.template_customers = template_customers
        self._copy_dir = None

    # lifecycle

    def start(self):
        if self.template_customers is not None and not self.db:
            template = _template(self, self.template_customers)
            self._copy_dir = tempfile.mkdtemp(prefix="sandboxproc-")
            self.db = os.path.join(self._copy_dir, "sandbox.db")
            shutil.copyfile(template, self.db)
        cmd = [self.binary, "--port", "0"] + self.args
        if self.db:
            cmd += ["--db", self.db]
        if self.valgrind:
            cmd = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite"] + cmd
        env = dict(os.environ)
        env.pop("MEMBERCARE_NOW", None)
        if self.now:
            env["MEMBERCARE_NOW"] = self.now
        env.update(self.extra_env)
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=env)
        _running.add(self)
        line = self._first_line()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.kill()
            raise RuntimeError("expected '%sURL' as the first line, got %r; stderr: %s"
                               % (prefix, line, self.stderr_text))
        self.base_url = line[len(prefix):]
        hostport = self.base_url.split("://", 1)[1]
        self.host, _, port = hostport.rpartition(":")
        self.host = self.host.strip("[]")
        self.port = int(port)
        return self

    def _first_line(self):
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.startup_timeout
        buf = b""
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise RuntimeError("the sandbox printed no address within %ds; stderr: %s"
                                   % (self.startup_timeout, self.stderr_text))
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buf += chunk
        return buf.split(b"\n", 1)[0].decode("utf-8", "replace")

    def stop(self, timeout=None):
        """SIGTERM, wait, and return the exit status (None if it was not running)."""
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout or (120 if self.valgrind else 30))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("the sandbox did not stop within the timeout after SIGTERM")
        finally:
            self._release()
        return rc

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._release()

    def _release(self):
        if self.proc:
            self.proc.stdout.close()
        if self._copy_dir:
            shutil.rmtree(self._copy_dir, ignore_errors=True)
            self._copy_dir = None
        if self._stderr:
            self._stderr_final = self.stderr_text
            self._stderr.close()
            self._stderr = None
        _running.discard(self)

    @property
    def stderr_text(self):
        """What the sandbox wrote to stderr so far (all of it once stopped)."""
        if not self._stderr:
            return self._stderr_final
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    @property
    def url(self):
        return self.base_url

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.stop()
        return False

    # HTTP

    def request(self, method, path, body=None, headers=None, till=AGENT,
                password=DEMO_PASSWORD, token=None, auth=True, timeout=60):
        """One request on a fresh connection. body: bytes, str, or a JSON-able object."""
        hdrs = {"Accept": "application/json"}
        if auth and token is not None:
            hdrs["X-CAP-API-OAUTH-TOKEN"] = token
        elif auth:
            hdrs["Authorization"] = basic_header(till, password)
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            hdrs["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode("utf-8")
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def oauth_token(self, key=OAUTH_KEY, secret=OAUTH_SECRET):
        r = self.post("/v3/oauth/token/generate", {"key": key, "secret": secret}, auth=False)
        if r.status != 200:
            raise RuntimeError("token generation failed: %r" % r)
        return r.json()["data"]["accessToken"]


def _template(like, customers):
    """A database seeded with --customers N and like's "now", made once per process."""
    key = (customers, like.now)
    if key not in _templates:
        directory = tempfile.mkdtemp(prefix="sandboxproc-template-")
        _temp_dirs.append(directory)
        path = os.path.join(directory, "template.db")
        maker = Sandbox("--customers", customers, db=path, now=like.now, binary=like.binary,
                        startup_timeout=like.startup_timeout)
        maker.start()
        rc = maker.stop()
        if rc != 0:
            raise RuntimeError("seeding the template database failed (%r): %s"
                               % (rc, maker.stderr_text))
        _templates[key] = path
    return _templates[key]


@atexit.register
def _stop_leftovers():
    for sb in list(_running):
        sb.kill()
    for directory in _temp_dirs:
        shutil.rmtree(directory, ignore_errors=True)
