"""The sandbox's request routes (part 2 §3): maker/checker permissions, the
maker who may not approve, the PENDING-only state machine, duplicate
reference ids, the goodwill cap, approvals that credit points / issue a
coupon / change an identifier atomically, concurrent approvals of one
request (exactly one wins), and the read shapes (request/get filters, a
one-item list as a bare object, at most 50 a page, request/logs, the v2
goodwill list, goodwill_config).
"""
import os
import sqlite3
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))

from sandboxproc import AGENT, RAVI, NEHA, ZOE, SUPERVISOR, VIEWER, Sandbox  # noqa: E402


def item(r):
    return r.json()["response"]["requests"]["request"][0]


class Requests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.dir.name, "sb.db")
        cls.sb = Sandbox("--customers", "300", db=cls.db)
        cls.sb.start()
        cls.seq = 0

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        cls.dir.cleanup()

    def sql(self, query, *args):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            rows = con.execute(query, args).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def ref(self):
        Requests.seq += 1
        return "it-%d" % Requests.seq

    def add(self, customer, till=AGENT, **fields):
        body = {"customer": customer, "reference_id": fields.pop("reference_id", self.ref()),
                "type": "GOODWILL", "base_type": "POINTS", "points": "100", "reason": "POINTS_ISSUE",
                "comments": "integration test"}
        body.update(fields)
        return self.sb.post("/v1.1/request/add?format=json", {"root": {"request": [body]}}, till=till)

    def decide(self, verb, rid, till=SUPERVISOR, base="POINTS", type_="GOODWILL", **extra):
        body = {"id": str(rid), "type": type_, "base_type": base, "updated_comments": "checked"}
        body.update(extra)
        return self.sb.post("/v1.1/request/%s?format=json" % verb, {"root": {"request": [body]}}, till=till)

    def raise_points(self, customer_id, points="100", till=AGENT):
        r = self.add({"id": str(customer_id)}, till=till, points=points)
        self.assertEqual(r.status, 200, r)
        it = item(r)
        self.assertEqual(it["item_status"]["code"], 9100, r)
        return int(it["id"])

    # permissions

    def test_viewer_cannot_add_agent_cannot_decide(self):
        r = self.add({"mobile": "919845000003"}, till=VIEWER)
        self.assertEqual(r.status, 403, r)
        self.assertIn("CanMakeRequest", r.text)
        rid = self.raise_points(NEHA)
        for verb in ("approve", "reject"):
            r = self.decide(verb, rid, till=AGENT)
            self.assertEqual(r.status, 403, r)
            self.assertIn("CanCheckRequest", r.text)
        self.assertEqual(self.sql("SELECT status FROM requests WHERE id = ?", rid), [("PENDING",)])

    def test_maker_cannot_approve_own_but_may_withdraw(self):
        rid = self.raise_points(NEHA, till=SUPERVISOR)
        r = self.decide("approve", rid)
        self.assertEqual(r.status, 200)
        body = r.json()["response"]
        self.assertEqual(body["status"]["code"], 500)
        self.assertEqual(body["status"]["success"], "false")
        self.assertIn(item(r)["item_status"]["code"], (9051, 9056))
        self.assertEqual(self.sql("SELECT status FROM requests WHERE id = ?", rid), [("PENDING",)])
        r = self.decide("reject", rid)
        self.assertEqual(item(r)["status"], "REJECTED", r)

    # state machine

    def test_only_pending_changes_state(self):
        rid = self.raise_points(NEHA)
        self.assertEqual(item(self.decide("reject", rid))["status"], "REJECTED")
        for verb in ("approve", "reject"):
            it = item(self.decide(verb, rid))
            self.assertEqual(it["item_status"]["code"], 9052, it)
        self.assertEqual(item(self.decide("approve", 99999999))["item_status"]["code"], 9013)
        it = item(self.decide("approve", rid, base="COUPON"))
        self.assertEqual(it["item_status"]["code"], 9008)

    def test_duplicate_reference_refused(self):
        ref = self.ref()
        r1 = self.add({"mobile": "919845000003"}, reference_id=ref)
        self.assertEqual(item(r1)["item_status"]["code"], 9100)
        r2 = self.add({"mobile": "919845000003"}, reference_id=ref, points="999")
        it = item(r2)
        self.assertEqual(it["item_status"]["code"], 9055, r2)
        self.assertEqual(it["id"], item(r1)["id"])
        self.assertEqual(self.sql("SELECT count(*) FROM requests WHERE reference_id = ?", ref), [(1,)])

    def test_cap_and_bad_input(self):
        self.sql("INSERT OR REPLACE INTO org_config (key, value) VALUES ('goodwill_points_cap', '700')")
        try:
            it = item(self.add({"id": str(NEHA)}, points="701"))
            self.assertEqual(it["item_status"]["code"], 400)
            self.assertIn("cap", it["item_status"]["message"])
            rid = self.raise_points(NEHA, points="700")
            it = item(self.decide("approve", rid, points="900"))
            self.assertEqual(it["item_status"]["code"], 400)
        finally:
            self.sql("DELETE FROM org_config WHERE key = 'goodwill_points_cap'")
        self.assertEqual(item(self.add({"id": str(NEHA)}, points="-5"))["item_status"]["code"], 400)
        self.assertEqual(item(self.add({"mobile": "910000000000"}))["item_status"]["code"], 1012)
        self.assertEqual(item(self.add({}))["item_status"]["code"], 9019)
        self.assertEqual(item(self.add({"id": str(NEHA)}, base_type="TIER"))["item_status"]["code"], 9008)
        r = self.sb.post("/v1.1/request/add", {"root": {"request": [{}] * 11}})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["response"]["status"]["code"], 1060)

    # atomic effects

    def test_points_approval_credits_once(self):
        before = self.sql("SELECT loyalty_points, adjusted FROM points_summary WHERE customer_id = ?", RAVI)[0]
        events = self.sql("SELECT count(*) FROM ledger_events WHERE customer_id = ?", RAVI)[0][0]
        rid = self.raise_points(RAVI, points="250")
        it = item(self.decide("approve", rid))
        self.assertEqual((it["status"], it["approved_value"]), ("APPROVED", "250"), it)
        after = self.sql("SELECT loyalty_points, adjusted FROM points_summary WHERE customer_id = ?", RAVI)[0]
        self.assertEqual(after[0] - before[0], 250)
        self.assertEqual(after[1] - before[1], 250)
        rows = self.sql("SELECT e.net_points, n.entry_type, n.points FROM ledger_events e"
                        " JOIN ledger_entries n ON n.event_id = e.id WHERE e.customer_id = ? AND e.id > 0"
                        " ORDER BY e.id DESC LIMIT 1", RAVI)
        self.assertEqual(rows, [(250.0, "CREDIT", 250.0)])
        self.assertEqual(self.sql("SELECT count(*) FROM ledger_events WHERE customer_id = ?", RAVI)[0][0],
                         events + 1)
        # the balance the console reads moved too, and a second approval changes nothing
        bal = self.sb.get("/v2/customers/%d/points/balance" % RAVI).json()
        self.assertEqual(bal["mainPoints"], after[0])
        self.assertEqual(item(self.decide("approve", rid))["item_status"]["code"], 9052)
        self.assertEqual(self.sql("SELECT loyalty_points FROM points_summary WHERE customer_id = ?", RAVI)[0][0],
                         after[0])

    def test_points_override(self):
        rid = self.raise_points(NEHA, points="300")
        it = item(self.decide("approve", rid, points="120"))
        self.assertEqual(it["approved_value"], "120")

    def test_coupon_and_identifier_approvals(self):
        r = self.add({"id": str(ZOE)}, base_type="COUPON", series_id="3")
        rid = int(item(r)["id"])
        issued = self.sql("SELECT issued_count FROM coupon_series WHERE id = 3")[0][0]
        it = item(self.decide("approve", rid, base="COUPON"))
        self.assertEqual(it["status"], "APPROVED", it)
        code = it["approved_value"]
        self.assertEqual(self.sql("SELECT customer_id, status FROM coupons WHERE code = ?", code), [(ZOE, "ACTIVE")])
        self.assertEqual(self.sql("SELECT issued_count FROM coupon_series WHERE id = 3")[0][0], issued + 1)

        r = self.sb.post("/v1.1/request/add", {"root": {"request": [{
            "customer": {"id": str(ZOE)}, "reference_id": self.ref(), "type": "CHANGE_IDENTIFIER",
            "base_type": "EMAIL", "new_value": "zoe.new@example.com"}]}})
        it = item(r)
        self.assertEqual(it["item_status"]["code"], 9000, r)
        dup = self.sb.post("/v1.1/request/add", {"root": {"request": [{
            "customer": {"id": str(ZOE)}, "reference_id": self.ref(), "type": "CHANGE_IDENTIFIER",
            "base_type": "EMAIL", "new_value": "zoe.other@example.com"}]}})
        self.assertEqual(item(dup)["item_status"]["code"], 9028)
        it = item(self.decide("approve", it["id"], type_="CHANGE_IDENTIFIER", base="EMAIL"))
        self.assertEqual(it["status"], "APPROVED", it)
        self.assertEqual(self.sql("SELECT value FROM identifiers WHERE customer_id = ? AND type = 'email'", ZOE),
                         [("zoe.new@example.com",)])

    def test_concurrent_approvals_one_wins(self):
        for _ in range(3):
            before = self.sql("SELECT loyalty_points FROM points_summary WHERE customer_id = ?", NEHA)[0][0]
            rid = self.raise_points(NEHA, points="50")
            codes = []
            lock = threading.Lock()

            def approve():
                it = item(self.decide("approve", rid))
                with lock:
                    codes.append(it["item_status"]["code"])

            threads = [threading.Thread(target=approve) for _ in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(sorted(codes), [9000] + [9052] * 5, codes)
            after = self.sql("SELECT loyalty_points FROM points_summary WHERE customer_id = ?", NEHA)[0][0]
            self.assertEqual(after - before, 50)

    # reads

    def test_get_filters_and_shapes(self):
        r = self.sb.get("/v1.1/request/get?format=json")
        self.assertEqual(r.status, 400)
        r = self.sb.get("/v1.1/request/get?status=PENDING&limit=500")
        block = r.json()["response"]["requests"]
        self.assertIsInstance(block["count"], str)
        self.assertIsInstance(block["rows"], str)
        self.assertLessEqual(int(block["rows"]), 50)
        self.assertGreater(int(block["count"]), 30)
        times = [g["added_on"] for g in block["goodwill"]]
        self.assertEqual(times, sorted(times))  # oldest first
        rid = self.raise_points(ZOE, points="75")
        r = self.sb.get("/v1.1/request/get?status=PENDING&type=GOODWILL&base_type=POINTS&mobile=919845000004"
                        "&added_by=demo.agent")
        g = r.json()["response"]["requests"]["goodwill"]
        self.assertIsInstance(g, dict)  # one item: a bare object
        self.assertEqual((g["id"], g["points"], g["customer"]["lastname"]), (str(rid), "75", "Ångström 山田"))
        r = self.sb.get("/v1.1/request/get?mobile=910000000000")
        self.assertEqual(r.json()["response"]["status"]["code"], 1012)
        r = self.sb.get("/v1.1/request/get?start_date=2026-13-01")
        self.assertEqual(r.json()["response"]["status"]["code"], 9016)

    def test_logs_and_v2_goodwill(self):
        rid = self.raise_points(RAVI, points="40")
        self.decide("reject", rid)
        r = self.sb.get("/v1.1/request/logs?type=GOODWILL&base_type=POINTS")
        self.assertEqual(r.status, 400)
        r = self.sb.get("/v1.1/request/logs?type=GOODWILL&base_type=points&start_date=2026-11-24"
                        "&end_date=2026-11-25&request_id=%d" % rid)
        it = r.json()["response"]["requests"]["goodwill"][0]
        self.assertEqual([h["action"] for h in it["history"]], ["RAISED", "REJECTED"])
        self.assertEqual(it["logs"]["added_by"]["till"]["code"], AGENT)
        r = self.sb.get("/v2/customers/%d/goodwillRequest?limit=5" % RAVI)
        body = r.json()
        self.assertEqual(body["pagination"]["limit"], 5)
        self.assertEqual(body["data"][0]["requestId"], rid)
        self.assertEqual(body["data"][0]["goodwillStatus"], "REJECTED")
        self.assertEqual(self.sb.get("/v2/customers/1/goodwillRequest").status, 404)
        r = self.sb.get("/v2/customers/%d/goodwillRequest?requestId=1" % RAVI)
        self.assertEqual(r.json()["errors"][0]["code"], 9050)

    def test_goodwill_config(self):
        c = self.sb.get("/v1.1/request/goodwill_config?format=json").json()["response"]["goodwill_config"]
        codes = [x["code"] for x in c["reasons"]["reason"]]
        self.assertIn("POINTS_ISSUE", codes)
        self.assertTrue(c["coupon_series"]["series"])
        self.assertEqual(c["points_upper_cap"], "5000")


if __name__ == "__main__":
    unittest.main(verbosity=2)
