"""50 concurrent clients against membercare-sandbox, each on its own
connection doing a mix of every customer route: every answer must be a
well-formed success.
"""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, GENERATED, MEERA, Sandbox  # noqa: E402

CLIENTS = 50
ROUNDS = 8


class ConcurrencyTest(unittest.TestCase):
    def test_fifty_clients(self):
        with Sandbox("--customers", "200") as sb:
            token = sb.oauth_token()
            failures = []
            lock = threading.Lock()

            def client(n):
                member = GENERATED + n
                paths = [
                    ("/v2/customers/lookup/customerDetails?source=INSTORE&identifierName=mobile"
                     "&identifierValue=919845000001&embed=points,mlp,expirySchedules", "id"),
                    ("/v2/customers/%d?source=INSTORE&embed=mlp" % member, "profiles"),
                    ("/v2/customers/search?q=MC-1000%d" % (n % 10), "pagination"),
                    ("/v2/customers/%d/points/balance" % member, "mainPoints"),
                    ("/v2/customers/%d/loyaltyEvents?limit=20&offset=%d" % (MEERA, n * 100),
                     "data"),
                    ("/v1.1/customer/get?id=%d&mlp=true" % member, "response"),
                    ("/v1.1/customer/search?q=(external_id:STARTS:MC-10)&rows=5", "response"),
                ]
                for i in range(ROUNDS):
                    path, key = paths[(n + i) % len(paths)]
                    try:
                        kw = {"token": token} if i % 2 else {}
                        r = sb.get(path, **kw)
                        ok = r.status == 200 and key in r.json()
                    except Exception as e:  # noqa: BLE001 - any failure is reported below
                        ok, r = False, e
                    if not ok:
                        with lock:
                            failures.append("%s -> %r" % (path, r))
                if n % 10 == 0:
                    try:
                        sb.oauth_token()
                    except Exception as e:  # noqa: BLE001
                        with lock:
                            failures.append("token: %r" % e)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(failures, [], "expected every request to succeed; %d failed"
                             % len(failures))
            r = sb.get("/v2/customers/%d/points/balance" % ASHA)
            self.assertEqual(r.json()["mainPoints"], 12450.0)
            self.assertEqual(sb.stop(), 0, sb.stderr_text)


if __name__ == "__main__":
    unittest.main()
