"""Bad input to membercare-sandbox: documented error codes for bad
parameters, and no crash (the server keeps answering) on huge query
strings, oversized or endless bodies, SQL metacharacters, invalid UTF-8,
NUL bytes and garbage requests.
"""

import os
import random
import socket
import sys
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, Sandbox, basic_header  # noqa: E402

SB = None
LOOKUP = "/v2/customers/lookup/customerDetails"


def setUpModule():
    global SB
    SB = Sandbox("--customers", "20", "--max-body", "65536").start()


def tearDownModule():
    rc = SB.stop()
    if rc != 0:
        raise AssertionError("expected exit status 0, got %r; stderr: %s" % (rc, SB.stderr_text))


def raw_exchange(data, timeout=10):
    """Sends raw bytes, returns whatever comes back until the server closes."""
    s = socket.create_connection((SB.host, SB.port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not c:
                break
            chunks.append(c)
        return b"".join(chunks)
    finally:
        s.close()


class ParameterErrorsTest(unittest.TestCase):
    def expect(self, path, status, code):
        r = SB.get(path)
        self.assertEqual(r.status, status, "%s: expected HTTP %d, got %r" % (path, status, r))
        b = r.json()
        self.assertEqual(b["errors"][0]["code"], code, "%s: expected code %d, got %r"
                         % (path, code, b))
        self.assertIs(b["errors"][0]["status"], False)
        self.assertEqual(b["warnings"], [])

    def test_lookup(self):
        self.expect(LOOKUP, 400, 11013)
        self.expect(LOOKUP + "?source=INSTORE&identifierName=mobile", 400, 11013)
        self.expect(LOOKUP + "?source=INSTORE&identifierValue=1", 400, 11013)
        self.expect(LOOKUP + "?identifierName=mobile&identifierValue=1", 400, 11013)
        self.expect(LOOKUP + "?source=INSTORE&identifierName=phone&identifierValue=1", 400, 8013)
        self.expect(LOOKUP + "?source=INSTORE&identifierName=email,mobile&identifierValue=a,b",
                    400, 8013)
        self.expect(LOOKUP + "?source=SHOP&identifierName=mobile&identifierValue=1", 400, 8003)
        self.expect(LOOKUP + "?source=INSTORE&identifierName=mobile&identifierValue=919800000000",
                    404, 8015)
        self.expect(LOOKUP + "?source=MARTJACK&identifierName=mobile&identifierValue=919845000001",
                    404, 8015)
        self.expect(LOOKUP + "?source=MARTJACK&accountId=7&identifierName=mobile"
                    "&identifierValue=919845000001", 404, 8065)

    def test_by_id(self):
        self.expect("/v2/customers/565000001", 400, 11013)
        self.expect("/v2/customers/565000001?source=NOWHERE", 400, 8012)
        self.expect("/v2/customers/565999999?source=INSTORE", 404, 8015)
        for bad in ("abc", "-1", "0", "99999999999999999999", "1e5", "%20"):
            self.expect("/v2/customers/%s?source=INSTORE" % bad, 400, 400)

    def test_sql_metacharacters(self):
        for value in ("' OR '1'='1", "1; DROP TABLE customers", "\" --", "%", "_", "\\"):
            self.expect(LOOKUP + "?source=INSTORE&identifierName=email&identifierValue="
                        + quote(value), 404, 8015)
        self.assertEqual(SB.get("/v2/customers/%d?source=INSTORE" % ASHA).status, 200)

    def test_unknown_path_and_method(self):
        self.expect("/v2/nope", 404, 404)
        self.expect("/", 404, 404)
        r = SB.request("DELETE", "/v2/customers/%d" % ASHA)
        self.assertEqual(r.status, 405, r)
        self.assertEqual(r.json()["errors"][0]["code"], 405)
        r = SB.request("POST", "/v2/customers/search?q=a", body=b"{}")
        self.assertEqual(r.status, 405, r)


class HostileInputTest(unittest.TestCase):
    def assert_alive(self):
        r = SB.get("/v2/customers/%d/points/balance" % ASHA)
        self.assertEqual(r.status, 200, "the server stopped answering properly: %r" % r)

    def test_huge_query_string(self):
        for size in (10000, 200000, 1000000):
            try:
                r = SB.get("/v2/customers/search?q=" + "a" * size)
                self.assertIn(r.status, (400, 413, 414, 431), "size %d: %r" % (size, r))
            except (ConnectionError, OSError):
                pass  # refusing the connection outright is fine too
            self.assert_alive()

    def test_many_parameters(self):
        query = "&".join("p%d=%d" % (i, i) for i in range(200))
        r = SB.get("/v2/customers/search?q=a&" + query)
        self.assertEqual(r.status, 400, r)
        self.assert_alive()

    def test_odd_bytes(self):
        for q in ("%FF%FE", "%00", "a%00b", "%C3", "%E5%B1", "\u202e".encode().hex()):
            r = SB.get("/v2/customers/search?q=" + q)
            self.assertIn(r.status, (200, 400), "q=%s: %r" % (q, r))
            r.json()  # always valid JSON, whatever the bytes
        r = SB.get(LOOKUP + "?source=INSTORE&identifierName=email&identifierValue=%FF%00")
        self.assertEqual(r.status, 404, r)
        self.assert_alive()

    def test_body_too_large(self):
        r = SB.post("/v3/oauth/token/generate", b"x" * 70000, auth=False)
        self.assertEqual(r.status, 413, r)
        self.assertEqual(r.json()["errors"][0]["code"], 413)
        self.assert_alive()

    def test_chunked_body_too_large(self):
        chunk = b"%x\r\n%s\r\n" % (8192, b"y" * 8192)
        req = (b"POST /v3/oauth/token/generate HTTP/1.1\r\nHost: x\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               + chunk * 10 + b"0\r\n\r\n")
        answer = raw_exchange(req)
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:200])
        self.assert_alive()

    def test_garbage_requests(self):
        rng = random.Random(1234)
        samples = [b"\x00\x01\x02\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                   b"GET /v2/customers/1 HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                   b"GET /v2/customers/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                   + b"A" * 5000 + b"\r\n\r\n"]
        for _ in range(60):
            samples.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
                           + b"\r\n\r\n")
        for data in samples:
            raw_exchange(data, timeout=5)
        self.assert_alive()

    def test_keep_alive_pipelining(self):
        auth = basic_header().encode()
        one = (b"GET /v2/customers/%d/points/balance HTTP/1.1\r\nHost: x\r\nAuthorization: "
               % ASHA) + auth + b"\r\n\r\n"
        last = one.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n")
        answer = raw_exchange(one * 4 + last)
        self.assertEqual(answer.count(b"HTTP/1.1 200"), 5, answer[:300])


if __name__ == "__main__":
    unittest.main()
