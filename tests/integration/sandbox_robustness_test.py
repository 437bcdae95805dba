"""Integration: membercare-sandbox under abuse.

One sandbox on a --db file takes, in turn: 200 concurrent connections (all
answered), 200 idle connections held open (normal requests still answered),
slow clients sending their headers a byte per 100 ms (others not held up),
request bodies of exactly the limit (not 413) and beyond it (413, without
reading it all), invalid JSON and wrongly typed fields (400 with an errors
body), SQL metacharacters in every parameter of every route (no 5xx, no
rows that do not match, no table dropped), and path traversal (no file
served). After each part the process must be alive and answer; at the end
it stops cleanly and `PRAGMA integrity_check` on the database says ok, with
every seeded member still there.
"""
import http.client
import json
import os
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))

from sandboxproc import ASHA, SUPERVISOR, Sandbox, basic_header  # noqa: E402

ASHA_MOBILE = "919845000001"
LIMIT = 1048576  # the sandbox's default --max-body

SQL = [
    "' OR '1'='1",
    "'; DROP TABLE customers; --",
    "\" OR \"\"=\"",
    "1 OR 1=1",
    "%",
    "_",
    "\\",
    "' UNION SELECT name, sql FROM sqlite_master --",
    "1); DELETE FROM customers; --",
    "\u0000",
    "x' AND randomblob(1000000000) --",
]

GET_ROUTES = [
    ("/v2/customers/lookup/customerDetails", ["source", "identifierName", "identifierValue",
                                              "embed", "includedFraudDetails"],
     {"source": "INSTORE", "identifierName": "mobile", "identifierValue": ASHA_MOBILE}),
    ("/v2/customers/search", ["q", "offset", "limit"], {"q": "asha"}),
    ("/v2/customers/%d" % ASHA, ["source", "embed"], {"source": "INSTORE"}),
    ("/v2/customers/%d/points/balance" % ASHA, ["source"], {}),
    ("/v2/customers/%d/loyaltyEvents" % ASHA, ["offset", "limit"], {}),
    ("/v2/customers/%d/coupons" % ASHA, ["status", "offset", "limit"], {}),
    ("/v2/customers/%d/goodwillRequest" % ASHA, ["status", "offset", "limit"], {}),
    ("/v1.1/customer/get", ["mobile", "email", "external_id", "id", "format"], {"format": "json"}),
    ("/v1.1/customer/search", ["q", "mobile", "email", "start", "limit", "format"],
     {"format": "json"}),
    ("/v1.1/customer/notes", ["mobile", "id", "format"], {"format": "json"}),
    ("/v1.1/customer/tickets", ["mobile", "id", "status", "format"], {"format": "json"}),
    ("/v1.1/customer/interaction", ["mobile", "id", "format"], {"format": "json"}),
    ("/v2/customers/interaction", ["customerId", "mobile"], {}),
    ("/v2/coupon", ["code", "id"], {}),
    ("/v2/coupon/is_redeemable", ["code", "mobile", "customerId"], {}),
    ("/v2/coupon/series", ["id", "limit"], {}),
    ("/v1.1/coupon/series", ["id", "format"], {"format": "json"}),
    ("/v1.1/coupon/get", ["code", "mobile", "format"], {"format": "json"}),
    ("/v1.1/coupon/resend", ["code", "mobile", "format"], {"format": "json"}),
    ("/v1.1/request/get", ["type", "status", "customer_id", "start", "limit", "format"],
     {"format": "json"}),
    ("/v1.1/request/logs", ["id", "format"], {"format": "json"}),
    ("/v1.1/request/goodwill_config", ["format"], {"format": "json"}),
]

POST_ROUTES = [
    ("/v2/coupon/issue", {"seriesId": 1, "customer": {"id": ASHA}}),
    ("/v2/coupon/redeem", {"code": "X", "customer": {"id": ASHA}}),
    ("/v2/coupon/revoke", {"code": "X", "customerId": ASHA}),
    ("/v1.1/customer/notes", {"root": {"customer": [{"mobile": ASHA_MOBILE,
                                                     "notes": {"note": [{"description": "x"}]}}]}}),
    ("/v1.1/customer/tickets", {"root": {"customer": [{"mobile": ASHA_MOBILE,
                                                       "ticket": [{"subject": "x"}]}]}}),
    ("/v1.1/request/add", {"root": {"request": [{"type": "GOODWILL", "base_type": "POINTS",
                                                 "customer": {"mobile": ASHA_MOBILE},
                                                 "value": 10, "reason": "x"}]}}),
    ("/v3/oauth/token/generate", {"key": "demo-key", "secret": "demo-secret"}),
]


def raw_request(port, data, timeout=30, read=True):
    """Sends bytes as they are and returns (status, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        if not read:
            return None, b""
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    return (int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None), body


def post_raw(port, path, auth, body, timeout=30):
    """A POST whose body may be refused before it is all sent: the answer is
    read even when the server stops reading and the send breaks."""
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % (path, auth, len(body))).encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    buf = b""
    try:
        try:
            s.sendall(head + body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        except ConnectionResetError:
            pass
    finally:
        s.close()
    head, _, rest = buf.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return status, rest


def refused(r):
    """A 4xx, or a v2 body with errors, or a v1.1 body whose status says it
    failed (v1.1 reports failures inside a 200, part1 §4.3)."""
    if 400 <= r.status < 500:
        return True
    try:
        body = r.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    if body.get("errors"):
        return True
    status = (body.get("response") or {}).get("status") or {}
    return str(status.get("success", "true")).lower() == "false"


def with_sql(obj, value):
    """obj with every leaf value replaced by value (a string)."""
    if isinstance(obj, dict):
        return {k: with_sql(v, value) for k, v in obj.items()}
    if isinstance(obj, list):
        return [with_sql(v, value) for v in obj]
    return value


class SandboxRobustness(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mc-robust-")
        cls.db = os.path.join(cls.tmp, "sandbox.db")
        cls.sb = Sandbox("--customers", "200", "--threads", "4", db=cls.db)
        cls.sb.start()
        cls.auth = basic_header()
        with sqlite3.connect(cls.db) as c:
            cls.tables = sorted(r[0] for r in c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
            cls.members = c.execute("SELECT count(*) FROM customers").fetchone()[0]

    @classmethod
    def tearDownClass(cls):
        rc = cls.sb.stop()
        try:
            assert rc == 0, "the sandbox did not stop cleanly (exit %r): %s" % (
                rc, cls.sb.stderr_text[-2000:])
            with sqlite3.connect(cls.db) as c:
                ok = c.execute("PRAGMA integrity_check").fetchall()
                assert ok == [("ok",)], "integrity_check: %r" % ok
                tables = sorted(r[0] for r in c.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"))
                assert tables == cls.tables, "tables changed: %r -> %r" % (cls.tables, tables)
                n = c.execute("SELECT count(*) FROM customers").fetchone()[0]
                assert n == cls.members, "members: %d -> %d" % (cls.members, n)
                print("sandbox stopped cleanly; integrity_check ok; %d tables, %d members"
                      % (len(tables), n))
        finally:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def assert_alive(self):
        self.assertIsNone(self.sb.proc.poll(), "the sandbox died: %s" % self.sb.stderr_text[-2000:])
        r = self.sb.get("/v2/customers/%d/points/balance" % ASHA, timeout=10)
        self.assertEqual(r.status, 200, r)

    def assert_error_body(self, r, status, what):
        self.assertEqual(r.status, status, "%s: %r" % (what, r))
        body = r.json()
        self.assertTrue(isinstance(body, dict) and (body.get("errors") or body.get("response")),
                        "%s: no error body: %r" % (what, r))

    # load

    def test_200_concurrent_connections(self):
        n = 200
        barrier = threading.Barrier(n)
        results = [None] * n

        def one(i):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.sb.port, timeout=60)
                conn.connect()
                barrier.wait(30)
                path = ("/v2/customers/lookup/customerDetails?source=INSTORE&identifierName=mobile"
                        "&identifierValue=" + ASHA_MOBILE) if i % 2 else \
                    "/v2/customers/%d/points/balance" % ASHA
                conn.request("GET", path, headers={"Authorization": self.auth})
                r = conn.getresponse()
                r.read()
                results[i] = r.status
                conn.close()
            except Exception as e:  # noqa: BLE001 - reported below
                results[i] = repr(e)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        start = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        took = time.time() - start
        bad = [r for r in results if r != 200]
        self.assertEqual(bad, [], "%d of %d concurrent requests failed: %r" % (len(bad), n, bad[:5]))
        print("  200 concurrent requests: all 200 in %.1f s" % took)
        self.assert_alive()

    def test_200_idle_connections(self):
        socks = []
        try:
            for _ in range(200):
                socks.append(socket.create_connection(("127.0.0.1", self.sb.port), timeout=10))
            start = time.time()
            for _ in range(10):
                self.assert_alive()
            self.assertLess(time.time() - start, 10, "requests wait behind idle connections")
        finally:
            for s in socks:
                s.close()
        self.assert_alive()

    def test_slow_clients(self):
        req = ("GET /v2/customers/%d/points/balance HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Authorization: %s\r\nConnection: close\r\n\r\n" % (ASHA, self.auth)).encode()
        results = {}

        def slow(i):
            try:
                s = socket.create_connection(("127.0.0.1", self.sb.port), timeout=60)
                for b in req:
                    s.sendall(bytes([b]))
                    time.sleep(0.1)
                buf = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                s.close()
                results[i] = buf.split(b" ", 2)[1]
            except Exception as e:  # noqa: BLE001
                results[i] = repr(e)

        threads = [threading.Thread(target=slow, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        # while six clients dribble (more than the sandbox's 4 threads), others are served
        worst = 0
        while any(t.is_alive() for t in threads):
            t0 = time.time()
            self.assert_alive()
            worst = max(worst, time.time() - t0)
            time.sleep(0.2)
        for t in threads:
            t.join()
        self.assertEqual(sorted(results.values()), [b"200"] * 6, results)
        self.assertLess(worst, 2.0, "a normal request took %.1f s behind slow clients" % worst)
        print("  6 slow clients (%d bytes at 10/s) answered; worst normal request %.2f s"
              % (len(req), worst))

    # bodies

    def test_body_sizes(self):
        path = "/v1.1/customer/notes?format=json"
        for size, want_413 in ((LIMIT, False), (LIMIT + 1, True), (8 * LIMIT, True)):
            note = "n" * 100
            body = json.dumps({"root": {"customer": [{"mobile": ASHA_MOBILE, "notes": {
                "note": [{"description": note}]}}]}, "pad": ""})
            body = body[:-2] + "x" * (size - len(body)) + body[-2:]
            self.assertEqual(len(body), size)
            status, answer = post_raw(self.sb.port, path, self.auth, body.encode())
            if want_413:
                self.assertEqual(status, 413, "a %d-byte body: %r" % (size, answer[:200]))
                self.assertIn(b"errors", answer)
            else:
                self.assertIsNotNone(status)
                self.assertNotEqual(status, 413, "exactly the limit is accepted: %r" % answer[:200])
                self.assertLess(status, 500, answer[:200])
            self.assert_alive()
        # a declared length far beyond the limit is refused without waiting for it
        head = ("POST /v1.1/customer/notes?format=json HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (self.auth, 2 << 30)).encode()
        start = time.time()
        status, _ = raw_request(self.sb.port, head + b"{", timeout=20)
        self.assertEqual(status, 413)
        self.assertLess(time.time() - start, 5)
        self.assert_alive()

    def test_invalid_json_and_wrong_types(self):
        bad_bodies = [b"{", b"not json", b"[1,2,", b"\xff\xfe{}", b"{\"a\":1}garbage",
                      b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" * 100, b""]
        for path, good in POST_ROUTES:
            for body in bad_bodies:
                r = self.sb.post(path, body, headers={"Content-Type": "application/json"},
                                 till=SUPERVISOR)
                self.assertIn(r.status, (400, 415), "%s with %r: %r" % (path, body[:20], r))
            for wrong in (None, True, 12345678901234567890, -1, 1.5e308, [], {}, "x" * 10000, [1]):
                r = self.sb.post(path, with_sql(good, wrong), till=SUPERVISOR)
                self.assertLess(r.status, 500, "%s with %r leaves: %r" % (path, wrong, r))
                self.assertTrue(refused(r), "%s accepted %r in every field: %r" % (path, wrong, r))
            r = self.sb.post(path, ["not", "an", "object"], till=SUPERVISOR)
            self.assertEqual(r.status, 400, "%s with an array body: %r" % (path, r))
        self.assert_alive()

    # injection and traversal

    def test_sql_metacharacters_everywhere(self):
        count = 0
        for path, params, base in GET_ROUTES:
            for p in params:
                for value in SQL:
                    q = dict(base)
                    q[p] = value
                    r = self.sb.get(path + "?" + urllib.parse.urlencode(q), till=SUPERVISOR)
                    count += 1
                    self.assertLess(r.status, 500, "%s %s=%r: %r" % (path, p, value, r))
                    self.assertNotIn(b"CREATE TABLE", r.body, "schema leaked: %s %s" % (path, p))
            # an id in the path
            for value in SQL:
                r = self.sb.get(path.replace(str(ASHA), urllib.parse.quote(value, safe="")),
                                till=SUPERVISOR)
                count += 1
                self.assertLess(r.status, 500, "%s with id %r: %r" % (path, value, r))
        for path, good in POST_ROUTES:
            for value in SQL:
                r = self.sb.post(path, with_sql(good, value), till=SUPERVISOR)
                count += 1
                self.assertLess(r.status, 500, "POST %s with %r: %r" % (path, value, r))
        # and they match nothing they should not
        for value in SQL:
            r = self.sb.get("/v2/customers/search?" + urllib.parse.urlencode({"q": value}))
            if value == "\u0000":
                self.assertEqual(r.status, 400, "an empty query: %r" % r)
                continue
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["pagination"]["total"], 0, "search %r matched: %r" % (value, r))
            r = self.sb.get("/v2/customers/lookup/customerDetails?" + urllib.parse.urlencode(
                {"source": "INSTORE", "identifierName": "mobile", "identifierValue": value}))
            self.assertIn(r.status, (400, 404), "lookup %r: %r" % (value, r))
        print("  %d requests with SQL metacharacters: no 5xx, nothing matched" % count)
        self.assert_alive()

    def test_path_traversal(self):
        paths = ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/v2/../../../etc/passwd",
                 "/v2/customers/..%2f..%2f..%2fetc%2fpasswd", "/v2/customers/%2e%2e/%2e%2e/etc/passwd",
                 "/..%252f..%252fetc%252fpasswd", "//etc/passwd", "/v2/customers/%00/points/balance",
                 "/v2/customers/565000001/../../../../etc/passwd", "/" + "../" * 50 + "etc/passwd",
                 "/v2/customers/" + "A" * 10000]
        for p in paths:
            req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: %s\r\nConnection: close"
                   "\r\n\r\n" % (p, self.auth)).encode()
            status, body = raw_request(self.sb.port, req)
            self.assertIn(status, (400, 404, 414, 431), "%s: %r %r" % (p[:60], status, body[:200]))
            self.assertNotIn(b"root:", body, "%s served a file" % p[:60])
        self.assert_alive()

    def test_garbage_requests(self):
        for data in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(200),
                     b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 200000 + b"\r\n\r\n",
                     b"GET /v2/customers/search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                     b"GET /v2/customers/search?q=a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                     b"\r\n\r\n\r\n", b"BREW /coffee HTCPCP/1.0\r\n\r\n", os.urandom(4096)):
            try:
                raw_request(self.sb.port, data, timeout=15)
            except OSError:
                pass  # the sandbox may hang up on garbage: fine
            self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
