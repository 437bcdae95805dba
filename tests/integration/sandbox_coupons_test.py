"""The sandbox's coupon routes against part 2 §1: shapes, business rules and
error codes, per-item failures inside success envelopes, all-or-nothing
redemption, concurrent redemptions of one coupon, and --fail-next-writes.
(The migration that moves redemptions into rows of their own is tested in
tests/unit/coupons_migration_test.c.)
"""
import os
import sqlite3
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))

from sandboxproc import ASHA, GENERATED, NEHA, RAVI, Sandbox  # noqa: E402

WELCOME20 = 11   # seed_coupons.c: unlimited, ends 31 Dec 2026 with the pinned clock
LASTCALL = 12    # one coupon left
FESTIVE20 = 5    # ended
CUSTOMERS = 50


def errors_of(r):
    body = r.json()
    return [e["code"] for e in body.get("errors", [])]


class Coupons(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="mc-coupons-")
        cls.db = os.path.join(cls.dir, "sandbox.db")
        cls.sb = Sandbox("--customers", CUSTOMERS, db=cls.db)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    # helpers

    def coupons(self, customer):
        r = self.sb.get("/v2/customers/%d/coupons" % customer)
        self.assertEqual(r.status, 200, r)
        return r.json()["entity"]

    def issue(self, customer, series=WELCOME20, status=200):
        r = self.sb.post("/v2/coupon/issue", {"seriesId": series, "customer": {"id": customer}})
        self.assertEqual(r.status, status, r)
        return r.json()

    def redeem(self, customer, codes, bill="B-1", amount=1500, path="/v2/coupon/redeem"):
        return self.sb.post(path, {"billAmount": amount, "transactionNumber": bill,
                                   "user": {"id": customer},
                                   "redemptionRequestList": [{"code": c} for c in codes]})

    def by_code(self, customer, code):
        for c in self.coupons(customer):
            if c["code"] == code.upper():
                return c
        self.fail("%s is not among the coupons of %d" % (code, customer))

    def query(self, sql, *args):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    # reads

    def test_customer_coupons_detailed(self):
        cs = self.coupons(ASHA)
        states = {c["couponStatus"]["code"] for c in cs}
        self.assertTrue({200, 711, 713, 660} <= states, states)  # every state
        for c in cs:
            for key in ("id", "seriesId", "series", "code", "description", "createdDate", "validTill",
                        "issuedTo", "issuedBy", "orgId", "refId", "issuedAt", "status", "couponStatus",
                        "couponDiscountType", "issuedOn", "activeFrom", "redemptionsLeft",
                        "redemptionInfo", "reversedRedemptionInfo", "discountType", "discountValue",
                        "discountValueAsDouble", "discountUpto", "trimmedCode", "seriesName", "redeemed"):
                self.assertIn(key, c)
            self.assertEqual(c["issuedTo"], ASHA)
            self.assertIn(c["couponDiscountType"], ("ABS", "PERC"))
            self.assertIsInstance(c["discountType"], bool)  # deprecated boolean
            if c["couponStatus"]["code"] == 711:
                self.assertTrue(c["redeemed"])
                self.assertEqual(c["redemptionsLeft"], 0)
                r = c["redemptionInfo"][0]
                self.assertGreater(r["id"], 880000)
                self.assertIn("transactionNumber", r)
                self.assertIn("name", r["redeemedAt"])
        self.assertEqual(self.sb.get("/v2/customers/1/coupons").status, 404)
        self.assertEqual(errors_of(self.sb.get("/v2/customers/1/coupons")), [8015])
        self.assertEqual(self.sb.get("/v2/customers/x/coupons").status, 400)

    def test_code_case(self):
        lower = self.sb.get("/v2/customers/%d/coupons?coupon_code_case=lower" % ASHA).json()["entity"]
        self.assertTrue(all(c["code"] == c["code"].lower() for c in lower))
        r = self.sb.get("/v2/customers/%d/coupons?coupon_code_case=sideways" % ASHA)
        self.assertEqual((r.status, errors_of(r)), (400, [629]))

    def test_coupon_details_v2(self):
        code = self.coupons(ASHA)[0]["code"]
        self.assertEqual(errors_of(self.sb.get("/v2/coupon")), [1000])
        r = self.sb.get("/v2/coupon?couponCodes=%s&couponCodes=NOPE" % code.lower())
        body = r.json()
        self.assertEqual(r.status, 200)
        self.assertEqual([d["code"] for d in body["data"]], [code])
        self.assertEqual(body["data"][0]["discountOn"], "BILL")
        self.assertEqual([w["code"] for w in body["warnings"]], [780])
        by_owner = self.sb.get("/v2/coupon?issuedToIds=%d" % ASHA).json()["data"]
        self.assertEqual(len(by_owner), len(self.coupons(ASHA)))

    def test_coupon_get_v11(self):
        code = self.coupons(ASHA)[0]["code"]
        r = self.sb.get("/v1.1/coupon/get?code=%s,NOPE&user_id=true&format=json" % code)
        resp = r.json()["response"]
        self.assertEqual(r.status, 200)
        self.assertEqual(resp["status"]["code"], 201)  # some failed
        items = resp["coupons"]["coupon"]
        self.assertEqual(items[0]["customer"]["user_id"], str(ASHA))
        self.assertEqual(items[0]["customer"]["name"], "Asha Rao")
        self.assertEqual(items[0]["item_status"]["code"], "700")
        self.assertEqual(items[1]["item_status"]["code"], "702")
        r = self.sb.get("/v1.1/coupon/get?code=NOPE")
        self.assertEqual(r.json()["response"]["status"]["success"], "false")
        self.assertEqual(r.json()["response"]["status"]["code"], 500)
        self.assertEqual(self.sb.get("/v1.1/coupon/get").status, 400)

    def test_series(self):
        allv2 = self.sb.get("/v2/coupon/series").json()["entity"]
        codes = {s["discountCode"]: s for s in allv2}
        self.assertIn("WELCOME20", codes)
        self.assertEqual(codes["WELCOME20"]["discountType"], "PERC")
        self.assertEqual(codes["FLAT250"]["discountType"], "ABS")
        last = codes["LASTCALL"]
        self.assertEqual(last["maxCreate"] - last["numIssued"], 1, last)  # nearly exhausted
        self.assertLess(codes["FESTIVE20"]["validTillDate"], "2026-11-25")  # ended
        one = self.sb.get("/v2/coupon/series?ids=%d" % WELCOME20).json()["entity"]
        self.assertEqual([s["id"] for s in one], [WELCOME20])
        self.assertEqual(one[0]["validTillDate"], "2026-12-31T23:59:59Z")
        r = self.sb.get("/v2/coupon/series?ids=999")
        self.assertEqual((r.status, errors_of(r)), (400, [707]))

        running = self.sb.get("/v1.1/coupon/series?expired=false&format=json").json()
        items = running["response"]["series"]["items"]["item"]
        names = {i["discount_code"] for i in items}
        self.assertIn("WELCOME20", names)
        self.assertNotIn("FESTIVE20", names)
        self.assertTrue(all(isinstance(i["max_create"], str) for i in items))  # v1.1 strings
        ended = self.sb.get("/v1.1/coupon/series?expired=true").json()["response"]["series"]["items"]["item"]
        self.assertEqual({i["discount_code"] for i in ended}, {"FESTIVE20", "MONSOON12"})
        self.assertEqual(self.sb.get("/v1.1/coupon/series?expired=maybe").status, 400)

    # issue

    def test_issue_rules(self):
        member = GENERATED + 30
        before = {c["code"] for c in self.coupons(member)}
        got = self.issue(member)
        for key in ("code", "seriesId", "description", "discountCode", "validTill", "discountType",
                    "discountValue", "discountUpto", "discountOn", "detailedInfo", "customer",
                    "redemptionCount", "warnings"):
            self.assertIn(key, got)
        self.assertEqual(got["customer"]["id"], member)
        self.assertEqual(got["validTill"], "2026-12-31T23:59:59Z")  # the series ends first
        after = {c["code"] for c in self.coupons(member)}
        self.assertEqual(after - before, {got["code"]})
        # by mobile too
        self.issue(0, status=400)
        r = self.sb.post("/v2/coupon/issue", {"seriesId": WELCOME20, "customer": {"mobile": "919845000002", "id": ""}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["customer"]["id"], RAVI)
        cases = [
            ({"seriesId": FESTIVE20, "customer": {"id": member}}, 712),
            ({"seriesId": 999, "customer": {"id": member}}, 707),
            ({"customer": {"id": member}}, 746),
            ({"seriesId": WELCOME20, "customer": {"id": 1}}, 701),
            ({"seriesId": WELCOME20, "customer": {}}, 721),
            ({"seriesId": WELCOME20}, 721),
        ]
        for body, code in cases:
            r = self.sb.post("/v2/coupon/issue", body)
            self.assertEqual((r.status, errors_of(r)), (400, [code]), body)
        r = self.sb.post("/v2/coupon/issue", "not json")
        self.assertEqual((r.status, errors_of(r)), (400, [629]))

    def test_series_limit(self):
        self.issue(GENERATED + 31, LASTCALL)
        r = self.sb.post("/v2/coupon/issue", {"seriesId": LASTCALL, "customer": {"id": GENERATED + 32}})
        self.assertEqual((r.status, errors_of(r)), (400, [722]))
        self.assertIn("LASTCALL", r.json()["errors"][0]["message"])
        series = self.sb.get("/v2/coupon/series?ids=%d" % LASTCALL).json()["entity"][0]
        self.assertEqual(series["numIssued"], series["maxCreate"])

    # redeem

    def test_redeem_once_then_refused(self):
        member = GENERATED + 33
        code = self.issue(member)["code"]
        r = self.redeem(member, [code], bill="B-33", amount="1500.50")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["redemptionStatus"], {"status": True, "code": 700,
                                                    "message": "Coupon processing successful"})
        rid = body["redemption"][0]["id"]
        c = self.by_code(member, code)
        self.assertEqual(c["couponStatus"]["code"], 711)
        self.assertEqual(c["redemptionInfo"][0]["id"], rid)
        self.assertEqual(c["redemptionInfo"][0]["transactionNumber"], "B-33")
        again = self.redeem(member, [code], bill="B-34")
        self.assertEqual((again.status, errors_of(again)), (400, [711]))
        self.assertEqual(again.json()["redemptionStatus"]["code"], 711)
        rows = self.query("SELECT bill_number, bill_amount FROM coupon_redemptions r JOIN coupons c"
                          " ON c.id = r.coupon_id WHERE c.code = ?", code)
        self.assertEqual(rows, [("B-33", 1500.5)])

    def test_redeem_refusals(self):
        cs = self.coupons(ASHA)
        expired = next(c["code"] for c in cs if c["couponStatus"]["code"] == 713)
        revoked = next(c["code"] for c in cs if c["couponStatus"]["code"] == 660)
        mine = self.issue(GENERATED + 34)["code"]
        for codes, want in (([expired], 713), ([revoked], 660), (["NOPE"], 702), ([mine], 703)):
            r = self.redeem(ASHA, codes)
            self.assertEqual((r.status, errors_of(r)), (400, [want]), codes)
        r = self.redeem(GENERATED + 34, [mine, mine.lower()])
        self.assertEqual(errors_of(r), [716])
        r = self.redeem(GENERATED + 34, [mine], bill="")
        self.assertEqual(errors_of(r), [718])
        for amount in (0, -5, "abc"):
            self.assertEqual(errors_of(self.redeem(GENERATED + 34, [mine], amount=amount)), [733])
        self.assertEqual(errors_of(self.redeem(GENERATED + 34, [])), [781])
        r = self.sb.post("/v2/coupon/redeem", {"billAmount": 1, "transactionNumber": "x",
                                               "redemptionRequestList": [{"code": mine}]})
        self.assertEqual(errors_of(r), [721])
        r = self.redeem(GENERATED + 34, ["C%d" % i for i in range(51)], path="/v2/coupon/bulk/redeem")
        self.assertEqual(errors_of(r), [629])
        self.assertEqual(self.by_code(GENERATED + 34, mine)["couponStatus"]["code"], 200)

    def test_redeem_all_or_nothing(self):
        member = GENERATED + 35
        good = self.issue(member)["code"]
        r = self.redeem(member, [good, "NOPE"])
        self.assertEqual((r.status, errors_of(r)), (400, [702]))
        items = {i["code"]: i for i in r.json()["redemption"]}
        self.assertEqual(items[good]["warnings"][0]["code"], 749)
        self.assertEqual(self.by_code(member, good)["couponStatus"]["code"], 200)

    def test_concurrent_redemptions(self):
        member = GENERATED + 36
        code = self.issue(member)["code"]
        results = []

        def one(k):
            results.append(self.redeem(member, [code], bill="C-%d" % k).status)
        threads = [threading.Thread(target=one, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200] + [400] * 5)
        rows = self.query("SELECT count(*) FROM coupon_redemptions r JOIN coupons c"
                          " ON c.id = r.coupon_id WHERE c.code = ?", code)
        self.assertEqual(rows, [(1,)])

    def test_is_redeemable(self):
        member = GENERATED + 37
        code = self.issue(member)["code"]
        cs = self.coupons(ASHA)
        expired = next(c["code"] for c in cs if c["couponStatus"]["code"] == 713)
        r = self.sb.get("/v2/coupon/is_redeemable?id=%d&code=%s,%s,NOPE&details=true" % (member, code, expired))
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual(body["redemptionStatus"]["code"], 700)
        items = body["redemption"]
        self.assertTrue(items[0]["isRedeemable"])
        self.assertEqual(items[0]["discountType"], "PERC")
        self.assertIn("couponseries", items[0])
        self.assertFalse(items[1]["isRedeemable"])
        self.assertEqual(items[1]["warnings"][0]["code"], 703)  # Asha's, not this member's
        self.assertEqual(items[2]["appendedErrorMessage"], "702: Coupon code invalid")
        r = self.sb.get("/v2/coupon/is_redeemable?id=%d&code=%s" % (ASHA, expired))
        self.assertEqual(r.json()["redemption"][0]["warnings"][0]["code"], 713)
        self.assertEqual(errors_of(self.sb.get("/v2/coupon/is_redeemable?id=%d" % member)), [781])
        self.assertEqual(errors_of(self.sb.get("/v2/coupon/is_redeemable?code=X")), [721])
        self.assertEqual(errors_of(self.sb.get("/v2/coupon/is_redeemable?mobile=0000&code=X")), [701])

    # revoke

    def test_revoke(self):
        member = GENERATED + 38
        a = self.issue(member)["code"]
        b = self.issue(member)["code"]
        used = self.issue(member)["code"]
        self.assertEqual(self.redeem(member, [used]).status, 200)
        r = self.sb.post("/v2/coupon/revoke", {"couponCodes": [a]})
        e = r.json()["entity"]
        self.assertEqual((r.status, e["totalCount"], e["failedCount"]), (200, 1, 0))
        self.assertEqual(e["revokedCoupons"][0]["couponCode"], a)
        self.assertEqual(self.by_code(member, a)["couponStatus"]["code"], 660)
        # per-code failures inside a success envelope
        r = self.sb.post("/v2/coupon/revoke", {"couponCodes": [a, used, "NOPE", b],
                                               "couponSeriesId": WELCOME20,
                                               "customer": {"id": member}})
        body = r.json()
        self.assertEqual((r.status, body["success"]), (200, True))
        e = body["entity"]
        self.assertEqual((e["totalCount"], e["failedCount"]), (4, 3))
        failed = {f["errorCode"]: f["couponCodes"] for f in e["failedToRevoke"]}
        self.assertEqual(failed, {660: [a], 405: [used], 404: ["NOPE"]})
        self.assertEqual([x["couponCode"] for x in e["revokedCoupons"]], [b])
        other = self.coupons(ASHA)[0]["code"]
        r = self.sb.post("/v2/coupon/revoke", {"couponCodes": [other], "customer": {"id": member}})
        self.assertEqual(r.json()["entity"]["failedToRevoke"][0]["errorCode"], 682)
        for body, code in (({}, 756), ({"couponCodes": [a, b]}, 746),
                           ({"couponCodes": ["X"] * 51, "couponSeriesId": 1}, 629),
                           ({"customer": {"id": member}, "couponSeriesId": FESTIVE20}, 712),
                           ({"customer": {"id": member}, "couponSeriesId": 999}, 707),
                           ({"customer": {"id": member}}, 746)):
            r = self.sb.post("/v2/coupon/revoke", body)
            self.assertEqual((r.status, errors_of(r)), (400, [code]), body)

    def test_revoke_by_customer_and_series(self):
        member = GENERATED + 39
        codes = {self.issue(member)["code"] for _ in range(3)}
        r = self.sb.post("/v2/coupon/revoke", {"customer": {"id": member}, "couponSeriesId": WELCOME20})
        e = r.json()["entity"]
        self.assertEqual({x["couponCode"] for x in e["revokedCoupons"]}, codes)
        self.assertEqual(e["totalCount"], 3)

    # reactivate

    def test_reactivate(self):
        member = GENERATED + 40
        code = self.issue(member)["code"]
        rid = self.redeem(member, [code]).json()["redemption"][0]["id"]
        r = self.sb.request("PATCH", "/v2/coupon/reactivate", {"redemptionIds": [rid]})
        self.assertEqual((r.status, r.json()), (200, {"warnings": [], "errors": [], "success": True}))
        c = self.by_code(member, code)
        self.assertEqual(c["couponStatus"]["code"], 200)
        self.assertEqual(c["redemptionInfo"], [])
        self.assertEqual(c["reversedRedemptionInfo"][0]["id"], rid)
        self.assertTrue(self.sb.get("/v2/coupon/is_redeemable?id=%d&code=%s" % (member, code))
                        .json()["redemption"][0]["isRedeemable"])
        r = self.sb.post("/v2/coupon/reactivate", {"redemptionIds": [rid]})  # already reversed
        self.assertEqual((r.status, errors_of(r)), (400, [510]))
        self.assertEqual(errors_of(self.sb.post("/v2/coupon/reactivate", {"redemptionIds": []})), [661])
        self.assertEqual(errors_of(self.sb.post("/v2/coupon/reactivate", {})), [661])
        self.assertEqual(self.redeem(member, [code], bill="B-again").status, 200)

    # resend

    def test_resend(self):
        code = next(c["code"] for c in self.coupons(ASHA) if c["couponStatus"]["code"] == 200)
        before = self.query("SELECT count(*) FROM interactions WHERE customer_id = ?", ASHA)[0][0]
        r = self.sb.get("/v1.1/coupon/resend?mobile=919845000001&code=%s&format=json" % code)
        resp = r.json()["response"]
        self.assertEqual(resp["status"]["code"], 200)
        item = resp["coupons"]["coupon"][0]
        self.assertEqual((item["code"], item["item_status"]["code"], item["item_status"]["message"]),
                         (code, "700", "Coupon Resent"))
        after = self.query("SELECT count(*) FROM interactions WHERE customer_id = ?", ASHA)[0][0]
        self.assertEqual(after, before + 1)
        expired = next(c["code"] for c in self.coupons(ASHA) if c["couponStatus"]["code"] == 713)
        r = self.sb.get("/v1.1/coupon/resend?mobile=919845000001&code=%s" % expired)
        resp = r.json()["response"]
        self.assertEqual((r.status, resp["status"]["success"], resp["status"]["code"]), (200, "false", 500))
        self.assertEqual(resp["coupons"]["coupon"][0]["item_status"]["code"], "704")
        r = self.sb.get("/v1.1/coupon/resend?mobile=919845000002&code=%s" % code)
        self.assertEqual(r.json()["response"]["coupons"]["coupon"][0]["item_status"]["code"], "703")
        self.assertEqual(self.sb.get("/v1.1/coupon/resend?mobile=919845000001").status, 400)
        self.assertEqual(self.sb.get("/v1.1/coupon/resend?code=%s" % code).status, 400)

    def test_member_without_coupons_and_sign_in(self):
        r = self.sb.get("/v2/customers/%d/coupons" % NEHA, till="demo.viewer")
        self.assertEqual((r.status, r.json()["entity"]), (200, []))
        self.assertEqual(self.sb.get("/v2/customers/%d/coupons" % NEHA, auth=False).status, 401)
        r = self.sb.post("/v2/coupon/issue", {"seriesId": WELCOME20, "customer": {"id": NEHA}}, auth=False)
        self.assertEqual(r.status, 401)


class FailNextWrites(unittest.TestCase):
    def test_one_write_fails_before_it_is_applied(self):
        d = tempfile.mkdtemp(prefix="mc-coupons-fail-")
        db = os.path.join(d, "sandbox.db")
        with Sandbox("--customers", "5", "--fail-next-writes", "1", db=db) as sb:
            self.assertEqual(sb.get("/v2/customers/%d/coupons" % NEHA).status, 200)  # GETs pass
            body = {"seriesId": WELCOME20, "customer": {"id": NEHA}}
            r = sb.post("/v2/coupon/issue", body)
            self.assertEqual(r.status, 500)
            con = sqlite3.connect(db)
            n = con.execute("SELECT count(*) FROM coupons WHERE customer_id = ?", (NEHA,)).fetchone()[0]
            con.close()
            self.assertEqual(n, 0)
            r = sb.post("/v2/coupon/issue", body)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(len(sb.get("/v2/customers/%d/coupons" % NEHA).json()["entity"]), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
