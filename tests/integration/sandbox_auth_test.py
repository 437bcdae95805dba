"""Authentication of membercare-sandbox: Basic with till id + MD5 hex of the
password, OAuth tokens from /v3/oauth/token/generate (both token headers),
and 401s for every way of getting it wrong, including an expired token.
"""

import base64
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import (AGENT, ASHA, SUPERVISOR, VIEWER, Sandbox,  # noqa: E402
                         basic_header, md5hex)

SB = None
BALANCE = "/v2/customers/%d/points/balance" % ASHA


def setUpModule():
    global SB
    SB = Sandbox("--customers", "20").start()


def tearDownModule():
    rc = SB.stop()
    if rc != 0:
        raise AssertionError("expected exit status 0, got %r; stderr: %s" % (rc, SB.stderr_text))


class BasicTest(unittest.TestCase):
    def assert_401(self, r, what):
        self.assertEqual(r.status, 401, "%s: expected 401, got %r" % (what, r))
        b = r.json()
        self.assertEqual(set(b), {"errors", "warnings"}, what)
        self.assertEqual(b["warnings"], [])
        self.assertEqual(len(b["errors"]), 1)
        e = b["errors"][0]
        self.assertIs(e["status"], False)
        self.assertEqual(e["code"], 401)
        self.assertTrue(e["message"])
        return e["message"]

    def test_md5_of_demo(self):
        self.assertEqual(md5hex("demo"), "fe01ce2a7fbac8fafaed7c982a04e229")

    def test_every_demo_till_can_read(self):
        for till in (AGENT, SUPERVISOR, VIEWER):
            r = SB.get(BALANCE, till=till)
            self.assertEqual(r.status, 200, "%s: %r" % (till, r))
            self.assertEqual(r.json()["mainPoints"], 12450.0)
            self.assertTrue(r.headers.get("x-cap-requestid"), "X-Cap-Requestid header missing")

    def test_missing_credentials(self):
        r = SB.get(BALANCE, auth=False)
        self.assert_401(r, "no credentials")
        self.assertIn("Basic", r.headers.get("www-authenticate", ""))

    def test_wrong_credentials(self):
        cases = {
            "wrong password": basic_header(AGENT, "secret"),
            "plain password instead of its MD5": "Basic " + base64.b64encode(
                b"demo.agent:demo").decode(),
            "upper-case MD5": "Basic " + base64.b64encode(
                ("demo.agent:" + md5hex("demo").upper()).encode()).decode(),
            "unknown till": basic_header("nobody.till", "demo"),
            "no colon": "Basic " + base64.b64encode(b"demo.agent").decode(),
            "not base64": "Basic !!!not-base64!!!",
            "another scheme": "Bearer abc",
            "empty": "",
            "SQL in the till": basic_header("' OR '1'='1", "demo"),
        }
        for what, header in cases.items():
            self.assert_401(SB.get(BALANCE, auth=False, headers={"Authorization": header}), what)

    def test_unknown_path_is_404_before_auth(self):
        r = SB.get("/v2/nothing/here", auth=False)
        self.assertEqual(r.status, 404, r)
        self.assertEqual(r.json()["errors"][0]["code"], 404)


class OAuthTest(unittest.TestCase):
    def test_token_flow(self):
        r = SB.post("/v3/oauth/token/generate", {"key": "demo-key", "secret": "demo-secret"},
                    auth=False)
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual(set(b), {"data", "errors"})
        self.assertIsNone(b["errors"])
        self.assertEqual(set(b["data"]), {"accessToken", "ttlSeconds"})
        self.assertEqual(b["data"]["ttlSeconds"], 3600)
        token = b["data"]["accessToken"]
        self.assertGreaterEqual(len(token), 32)
        r = SB.get(BALANCE, token=token)
        self.assertEqual(r.status, 200, r)
        r = SB.get(BALANCE, auth=False, headers={"CAP-API-ACCESS-TOKEN": token})
        self.assertEqual(r.status, 200, "CAP-API-ACCESS-TOKEN must work too: %r" % r)
        self.assertNotEqual(SB.oauth_token(), token, "a new token on every call")

    def test_token_wins_over_basic(self):
        r = SB.get(BALANCE, auth=False,
                   headers={"X-CAP-API-OAUTH-TOKEN": "f" * 64,
                            "Authorization": basic_header(AGENT, "demo")})
        self.assertEqual(r.status, 401, r)

    def test_bad_client_credentials(self):
        for body in ({"key": "demo-key", "secret": "wrong"}, {"key": "nobody", "secret": "x"},
                     {"key": "demo-key"}, {"secret": "demo-secret"}, {},
                     {"key": 1, "secret": 2}):
            r = SB.post("/v3/oauth/token/generate", body, auth=False)
            self.assertEqual(r.status, 401, "%r: %r" % (body, r))
            b = r.json()
            self.assertIsNone(b["data"])
            self.assertEqual(b["errors"][0]["message"], "Failed to generate OAuth token")
            self.assertIsInstance(b["errors"][0]["code"], int)
        for raw in (b"not json", b"[1,2]", b""):
            r = SB.post("/v3/oauth/token/generate", raw, auth=False,
                        headers={"Content-Type": "application/json"})
            self.assertEqual(r.status, 400, "%r: %r" % (raw, r))
            self.assertIsNone(r.json()["data"])
        r = SB.get("/v3/oauth/token/generate", auth=False)
        self.assertEqual(r.status, 405, r)

    def test_bad_tokens(self):
        for token in ("f" * 64, "short", "x" * 5000, "' OR 1=1 --"):
            r = SB.get(BALANCE, token=token)
            self.assertEqual(r.status, 401, "token %r: %r" % (token[:20], r))
            self.assertEqual(r.json()["errors"][0]["message"], "Invalid OAuth token")

    def test_supervisor_client(self):
        token = SB.oauth_token("demo-supervisor-key", "demo-supervisor-secret")
        self.assertEqual(SB.get(BALANCE, token=token).status, 200)


class ExpiryTest(unittest.TestCase):
    def test_token_expires_and_can_be_renewed(self):
        with Sandbox("--customers", "0", "--token-ttl", "1") as sb:
            r = sb.post("/v3/oauth/token/generate", {"key": "demo-key", "secret": "demo-secret"},
                        auth=False)
            self.assertEqual(r.json()["data"]["ttlSeconds"], 1)
            token = r.json()["data"]["accessToken"]
            self.assertEqual(sb.get(BALANCE, token=token).status, 200)
            time.sleep(1.3)
            r = sb.get(BALANCE, token=token)
            self.assertEqual(r.status, 401, "expected the expired token to be refused: %r" % r)
            self.assertEqual(r.json()["errors"][0]["message"], "OAuth token expired")
            self.assertEqual(sb.get(BALANCE, token=sb.oauth_token()).status, 200)


if __name__ == "__main__":
    unittest.main()
