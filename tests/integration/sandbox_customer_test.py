"""Customer routes of membercare-sandbox over HTTP, checked field by field
against the shapes of capillary-part1.md (§5.1, 5.2, 5.4, 5.6, 5.7, 5.9, 5.11).
"""

import os
import re
import sys
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, MEERA, NEHA, RAVI, ZOE, Sandbox  # noqa: E402

SB = None
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
V11_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
LOOKUP = "/v2/customers/lookup/customerDetails?source=INSTORE&identifierName=%s&identifierValue=%s"
EMBED = "&embed=points,mlp,expirySchedules"


def setUpModule():
    global SB
    SB = Sandbox("--customers", "300").start()


def tearDownModule():
    rc = SB.stop()
    if rc != 0:
        raise AssertionError("expected exit status 0 after SIGTERM, got %r; stderr: %s"
                             % (rc, SB.stderr_text))


def get_json(test, path, status=200, **kw):
    r = SB.get(path, **kw)
    test.assertEqual(r.status, status, "GET %s: expected HTTP %d, got %r" % (path, status, r))
    test.assertTrue(r.headers.get("content-type", "").startswith("application/json"),
                    "content type was %r" % r.headers.get("content-type"))
    return r.json()


def assert_v2_error(test, body, code):
    test.assertEqual(set(body), {"errors", "warnings"}, "error body keys: %r" % body)
    test.assertEqual(body["warnings"], [])
    test.assertEqual(len(body["errors"]), 1, body)
    err = body["errors"][0]
    test.assertEqual(set(err), {"status", "code", "message"}, err)
    test.assertIs(err["status"], False)
    test.assertEqual(err["code"], code, "expected error code %d, got %r" % (code, err))
    test.assertIsInstance(err["message"], str)
    test.assertTrue(err["message"])


class LookupTest(unittest.TestCase):
    def test_asha_by_mobile_full_shape(self):
        b = get_json(self, LOOKUP % ("mobile", "919845000001") + EMBED)
        self.assertEqual(set(b), {"id", "profiles", "loyaltyInfo", "fraudDetails", "segments",
                                  "associatedWith", "extendedFields", "loyaltyProgramDetails",
                                  "pointsSummary", "expirySchedules",
                                  "groupLoyaltyProgramDetails", "cardDetails", "warnings"})
        self.assertEqual(b["id"], ASHA)
        self.assertEqual(b["warnings"], [])
        self.assertEqual(len(b["profiles"]), 1)
        p = b["profiles"][0]
        for key in ("firstName", "lastName", "attribution", "fields", "identifiers",
                    "commChannels", "source", "userId", "accountId", "conflictingProfileList",
                    "autoUpdateTime", "identifiersAll"):
            self.assertIn(key, p, "profile lacks %s" % key)
        self.assertEqual((p["firstName"], p["lastName"]), ("Asha", "Rao"))
        self.assertEqual(p["source"], "INSTORE")
        self.assertEqual(p["userId"], ASHA)
        self.assertEqual(p["accountId"], "")
        att = p["attribution"]
        self.assertRegex(att["createDate"], ISO_Z)
        self.assertRegex(att["modifiedDate"], ISO_Z)
        self.assertEqual(set(att["createdBy"]), {"id", "code", "name", "type"})
        self.assertIsInstance(att["createdBy"]["id"], int)
        self.assertEqual(att["createdBy"]["type"], "TILL")
        self.assertEqual([(i["type"], i["value"]) for i in p["identifiers"]],
                         [("mobile", "919845000001"), ("email", "asha.rao@example.com"),
                          ("externalId", "MC-000001"), ("cardNumber", "6080000000000001")])
        self.assertEqual(p["identifiersAll"], p["identifiers"])
        self.assertEqual([c["type"] for c in p["commChannels"]], ["mobile", "email"])
        self.assertIs(p["commChannels"][0]["primary"], True)

        li = b["loyaltyInfo"]
        self.assertEqual(li["loyaltyType"], "loyalty")
        self.assertIsInstance(li["lifetimePurchases"], float)
        self.assertEqual(li["attributionV2"]["createdFromSource"], "instore")
        self.assertEqual(b["fraudDetails"]["status"], "NOT_FRAUD")
        self.assertEqual(b["extendedFields"], {"gender": "Female", "city": "Bengaluru"})
        self.assertEqual(b["associatedWith"], att["createdBy"]["code"])

        self.assertEqual(len(b["loyaltyProgramDetails"]), 1)
        lp = b["loyaltyProgramDetails"][0]
        floats = ("redeemed", "expired", "returned", "adjusted", "lifetimePoints",
                  "loyaltyPoints", "cumulativePurchases", "delayedPoints",
                  "delayedReturnedPoints", "totalAvailablePoints", "totalReturnedPoints",
                  "programPointsToCurrencyRatio")
        for key in floats:
            self.assertIsInstance(lp[key], float, "%s should be a JSON float: %r" % (key, lp[key]))
        for key in ("loyaltyId", "nextSlabSerialNumber", "slabSNo", "programId"):
            self.assertIsInstance(lp[key], int, key)
        self.assertEqual(lp["loyaltyPoints"], 12450.0)
        self.assertEqual(lp["currentSlab"], "Gold")
        self.assertEqual(lp["slabSNo"], 3)
        self.assertEqual(lp["nextSlab"], "Platinum")
        self.assertEqual(lp["nextSlabSerialNumber"], 4)
        self.assertEqual(lp["programTitle"], "Default Program")
        self.assertRegex(lp["slabExpiryDate"], ISO_Z)
        self.assertEqual(lp["totalAvailablePoints"], lp["loyaltyPoints"] + lp["delayedPoints"])
        self.assertEqual(lp["loyaltyPoints"], lp["lifetimePoints"] - lp["redeemed"] - lp["expired"]
                         - lp["returned"] + lp["adjusted"])

        ps = b["pointsSummary"]
        self.assertEqual(set(ps), {"adjusted", "cumulativePurchases", "currentSlab", "expired",
                                   "lifetimePoints", "loyaltyId", "loyaltyPoints", "nextSlab",
                                   "nextSlabDescription", "nextSlabSerialNumber", "redeemed",
                                   "returned", "slabExpiryDate", "slabSNo"})
        self.assertEqual(ps["loyaltyPoints"], 12450.0)
        self.assertEqual(ps["currentSlab"], "Gold")

        sched = b["expirySchedules"]
        self.assertTrue(sched, "Asha holds points, so something expires")
        dates = [e["expiryDate"] for e in sched]
        self.assertEqual(dates, sorted(dates), "expirySchedules must be date ascending")
        self.assertTrue(all(d >= "2026-11-25" for d in dates), dates)
        for e in sched:
            self.assertEqual(set(e), {"points", "expiryDate", "expiryDateISO", "programId",
                                      "pointsType", "expiryType"})
            self.assertIsInstance(e["points"], float)
            self.assertEqual(e["expiryDateISO"], e["expiryDate"] + "T00:00:00Z")
            self.assertIn(e["pointsType"], ("bill_regular", "customer_promotions"))
        self.assertEqual(sum(e["points"] for e in sched), 12450.0,
                         "the expiry schedule must hold exactly the current points")
        self.assertIn(b'"loyaltyPoints":12450.0', SB.get(LOOKUP % ("mobile", "919845000001")
                                                         + EMBED).body)

    def test_every_identifier_finds_the_same_member(self):
        for name, value in (("mobile", "919845000001"), ("mobile", "9845000001"),
                            ("email", "asha.rao@example.com"), ("email", "ASHA.RAO@example.com"),
                            ("externalId", "MC-000001"), ("cardnumber", "6080000000000001"),
                            ("cardNumber", "6080000000000001")):
            b = get_json(self, LOOKUP % (name, quote(value)))
            self.assertEqual(b["id"], ASHA, "%s=%s" % (name, value))

    def test_embeds_are_optional(self):
        b = get_json(self, LOOKUP % ("mobile", "919845000002"))
        self.assertEqual(b["id"], RAVI)
        for key in ("loyaltyProgramDetails", "pointsSummary", "expirySchedules"):
            self.assertNotIn(key, b)
        b = get_json(self, LOOKUP % ("mobile", "919845000002") + "&embed=mlp")
        self.assertEqual(b["loyaltyProgramDetails"][0]["currentSlab"], "Silver")
        self.assertNotIn("pointsSummary", b)

    def test_by_id_is_the_lookup_object(self):
        a = get_json(self, LOOKUP % ("externalId", "MC-000002") + EMBED)
        b = get_json(self, "/v2/customers/%d?source=INSTORE%s" % (RAVI, EMBED))
        self.assertEqual(a, b)

    def test_neha_has_nothing(self):
        b = get_json(self, "/v2/customers/%d?source=INSTORE%s" % (NEHA, EMBED))
        lp = b["loyaltyProgramDetails"][0]
        self.assertEqual((lp["loyaltyPoints"], lp["lifetimePoints"], lp["delayedPoints"]),
                         (0.0, 0.0, 0.0))
        self.assertEqual(lp["currentSlab"], "Bronze")
        self.assertEqual(b["expirySchedules"], [])
        self.assertTrue(b["profiles"][0]["attribution"]["createDate"].startswith("2026-11-25T"))

    def test_zoe_name_is_unicode(self):
        b = get_json(self, LOOKUP % ("email", "zoe@example.com"))
        self.assertEqual(b["id"], ZOE)
        p = b["profiles"][0]
        self.assertEqual(p["firstName"], "Zo\u00eb")
        self.assertEqual(p["lastName"], "\u00c5ngstr\u00f6m \u5c71\u7530")

    def test_meera_is_platinum_at_the_top(self):
        lp = get_json(self, "/v2/customers/%d?source=INSTORE&embed=mlp" % MEERA)[
            "loyaltyProgramDetails"][0]
        self.assertEqual((lp["currentSlab"], lp["slabSNo"]), ("Platinum", 4))
        self.assertEqual((lp["nextSlab"], lp["nextSlabSerialNumber"]), ("", -1))


class SearchTest(unittest.TestCase):
    def search(self, q, **params):
        extra = "".join("&%s=%s" % kv for kv in params.items())
        return get_json(self, "/v2/customers/search?q=%s%s" % (quote(q), extra))

    def test_shape_and_first_name(self):
        b = self.search("asha")
        self.assertEqual(set(b), {"pagination", "data", "warnings", "errors"})
        self.assertEqual((b["warnings"], b["errors"]), ([], []))
        self.assertEqual(b["pagination"]["limit"], 10)
        self.assertEqual(b["pagination"]["offset"], 0)
        self.assertGreaterEqual(b["pagination"]["total"], 1)
        hit = next(h for h in b["data"] if h["userId"] == ASHA)
        self.assertEqual(set(hit), {"userId", "matchedIdentifiers", "profiles"})
        self.assertIn({"idType": "firstName", "idValue": "Asha", "source": "INSTORE",
                       "accountId": ""}, hit["matchedIdentifiers"])
        prof = hit["profiles"][0]
        self.assertEqual((prof["source"], prof["firstName"], prof["lastName"]),
                         ("INSTORE", "Asha", "Rao"))
        types = {i["type"]: i["value"] for i in prof["identifiers"]}
        self.assertEqual(types["mobile"], "919845000001")
        self.assertEqual(types["email"], "asha.rao@example.com")

    def test_last_name_full_name_and_identifiers(self):
        cases = (("Rao", "lastName"), ("asha r", "fullName"), ("919845000001", "mobile"),
                 ("9845000001", "mobile"), ("asha.rao@", "email"), ("MC-000001", "externalId"),
                 ("608000000000000", "cardNumber"))
        for q, kind in cases:
            b = self.search(q)
            hit = [h for h in b["data"] if h["userId"] == ASHA]
            self.assertTrue(hit, "q=%r should find Asha; got %r" % (q, b))
            self.assertIn(kind, [m["idType"] for m in hit[0]["matchedIdentifiers"]], q)

    def test_unicode(self):
        for q in ("\u5c71\u7530", "Zo\u00eb", "\u00c5ngstr"):
            ids = [h["userId"] for h in self.search(q)["data"]]
            self.assertEqual(ids, [ZOE], "q=%r" % q)

    def test_paging(self):
        everyone = self.search("MC-000", limit=100)
        self.assertEqual(everyone["pagination"]["total"], 5)
        ids = [h["userId"] for h in everyone["data"]]
        self.assertEqual(ids, [ASHA, RAVI, NEHA, ZOE, MEERA])
        page = self.search("MC-000", limit=2, offset=2)
        self.assertEqual(page["pagination"], {"limit": 2, "offset": 2, "total": 5})
        self.assertEqual([h["userId"] for h in page["data"]], ids[2:4])
        past = self.search("MC-000", offset=50)
        self.assertEqual((past["data"], past["pagination"]["total"]), ([], 5))
        generated = self.search("MC-1", limit=100)
        self.assertEqual(generated["pagination"]["total"], 300)
        self.assertEqual(len(generated["data"]), 100)

    def test_metacharacters_match_literally(self):
        for q in ("%", "_", "\\", "' OR 1=1 --", "\"; DROP TABLE customers; --", "a%b"):
            b = self.search(q)
            self.assertEqual(b["pagination"]["total"], 0, "q=%r matched %r" % (q, b))
        self.assertEqual(self.search("asha")["pagination"]["total"] >= 1, True)

    def test_bad_parameters(self):
        for path in ("/v2/customers/search", "/v2/customers/search?q=",
                     "/v2/customers/search?q=a&limit=0", "/v2/customers/search?q=a&limit=101",
                     "/v2/customers/search?q=a&limit=ten", "/v2/customers/search?q=a&offset=-1",
                     "/v2/customers/search?q=" + "x" * 101):
            assert_v2_error(self, get_json(self, path, status=400), 400)


class BalanceAndEventsTest(unittest.TestCase):
    def test_balance(self):
        b = get_json(self, "/v2/customers/%d/points/balance" % ASHA)
        self.assertEqual(set(b), {"entityId", "entityType", "programId", "totalPoints",
                                  "mainPoints", "promisedPoints", "promisedPointsBreakup",
                                  "warnings"})
        self.assertEqual((b["entityId"], b["entityType"]), (ASHA, "CUSTOMER"))
        self.assertEqual(b["mainPoints"], 12450.0)
        for key in ("totalPoints", "mainPoints", "promisedPoints"):
            self.assertIsInstance(b[key], float)
        self.assertEqual(b["totalPoints"], b["mainPoints"] + b["promisedPoints"])
        self.assertEqual(b["promisedPointsBreakup"],
                         {"delayedAccrualPoints": b["promisedPoints"],
                          "externalTriggerBasedPoints": 0.0})
        self.assertEqual(b["warnings"], [])
        b = get_json(self, "/v2/customers/%d/points/balance?programId=%d" % (ASHA, b["programId"]))
        self.assertEqual(b["mainPoints"], 12450.0)

    def test_balance_errors(self):
        assert_v2_error(self, get_json(self, "/v2/customers/565999999/points/balance", 404), 8015)
        assert_v2_error(self, get_json(self, "/v2/customers/%d/points/balance?programId=1" % ASHA,
                                       400), 1218)
        assert_v2_error(self, get_json(
            self, "/v2/customers/%d/points/balance?entityType=PLANET" % ASHA, 400), 1212)

    def test_events_newest_first_and_paged(self):
        b = get_json(self, "/v2/customers/%d/loyaltyEvents" % ASHA)
        self.assertEqual(set(b), {"data", "warnings", "errors"})
        self.assertEqual(len(b["data"]), 10, "default limit is 10")
        for e in b["data"]:
            self.assertEqual(set(e), {"id", "customerId", "date", "eventName", "orgId", "status",
                                      "uniqueId"})
            self.assertEqual(e["customerId"], ASHA)
            self.assertRegex(e["date"], ISO_Z)
            self.assertIn(e["status"], ("SUCCESS", "FAILED"))
            self.assertIsInstance(e["id"], int)
        dates = [e["date"] for e in b["data"]]
        self.assertEqual(dates, sorted(dates, reverse=True), "newest first")
        self.assertLessEqual(dates[0], "2026-11-25T10:00:00Z")
        first5 = get_json(self, "/v2/customers/%d/loyaltyEvents?limit=5" % ASHA)["data"]
        next5 = get_json(self, "/v2/customers/%d/loyaltyEvents?limit=5&offset=5" % ASHA)["data"]
        self.assertEqual(first5 + next5, b["data"])
        names = {e["eventName"] for e in get_json(
            self, "/v2/customers/%d/loyaltyEvents?limit=1000" % ASHA)["data"]}
        self.assertTrue({"TransactionAdd", "PointsRedemption", "CustomerRegistration"} <= names,
                        names)

    def test_events_edges(self):
        self.assertEqual(get_json(self, "/v2/customers/%d/loyaltyEvents" % NEHA)["data"], [])
        deep = get_json(self, "/v2/customers/%d/loyaltyEvents?limit=3&offset=100000" % MEERA)
        self.assertEqual(len(deep["data"]), 3, "Meera has over 100,000 events")
        self.assertLess(deep["data"][0]["date"], "2019-01-01")
        assert_v2_error(self, get_json(self, "/v2/customers/565999999/loyaltyEvents", 404), 8015)
        for q in ("limit=0", "limit=1001", "limit=x", "offset=-5", "offset=1.5"):
            assert_v2_error(self, get_json(self, "/v2/customers/%d/loyaltyEvents?%s" % (ASHA, q),
                                           400), 400)


class V11Test(unittest.TestCase):
    def test_get_one(self):
        b = get_json(self, "/v1.1/customer/get?format=json&mobile=919845000001&mlp=true")
        st = b["response"]["status"]
        self.assertEqual(st, {"success": "true", "code": 200, "message": "Success",
                              "total": "1", "success_count": "1"})
        c = b["response"]["customers"]["customer"]
        self.assertIsInstance(c, list)
        c = c[0]
        self.assertEqual(c["user_id"], str(ASHA))
        self.assertEqual((c["firstname"], c["lastname"]), ("Asha", "Rao"))
        self.assertEqual(c["loyalty_points"], "12450")
        self.assertEqual(c["current_slab"], "Gold")
        self.assertEqual(c["type"], "LOYALTY")
        self.assertEqual(c["source"], "instore")
        self.assertRegex(c["registered_on"], V11_TIME)
        self.assertEqual(set(c["registered_store"]), {"code", "name"})
        self.assertEqual(c["fraud_details"]["status"], "NONE")
        self.assertEqual(c["item_status"], {"success": "true", "code": 1000,
                                            "message": "Customer successfully retrieved",
                                            "warnings": []})
        ps = c["points_summaries"]["points_summary"]
        self.assertIsInstance(ps, list)
        self.assertEqual(ps[0]["loyaltyPoints"], "12450")
        self.assertEqual(ps[0]["currentSlab"], "Gold")
        self.assertRegex(ps[0]["slabExpiryDate"], V11_TIME)
        states = {cp["status"] for cp in c["coupons"]}
        self.assertEqual(states, {"ACTIVE", "REDEEMED", "EXPIRED", "REVOKED"})
        self.assertEqual(c["transactions"], {"transaction": []})

    def test_get_by_other_keys(self):
        for key, value in (("email", "asha.rao@example.com"), ("external_id", "MC-000001"),
                           ("id", str(ASHA)), ("card_number", "6080000000000001")):
            b = get_json(self, "/v1.1/customer/get?%s=%s" % (key, quote(value)))
            self.assertEqual(b["response"]["customers"]["customer"][0]["user_id"], str(ASHA), key)
        b = get_json(self, "/v1.1/customer/get?id=%d&transactions=true" % ASHA)
        txns = b["response"]["customers"]["customer"][0]["transactions"]["transaction"]
        self.assertEqual(len(txns), 10)
        self.assertRegex(txns[0]["billing_time"], V11_TIME)
        self.assertTrue(txns[0]["number"].startswith("BILL-"))

    def test_batch_partial_and_total_failure(self):
        b = get_json(self, "/v1.1/customer/get?mobile=919845000002,919800000000")
        st = b["response"]["status"]
        self.assertEqual((st["code"], st["total"], st["success_count"]), (201, "2", "1"))
        items = b["response"]["customers"]["customer"]
        self.assertEqual(items[0]["user_id"], str(RAVI))
        self.assertEqual(items[1]["mobile"], "919800000000")
        self.assertEqual(items[1]["item_status"]["code"], 1012)
        self.assertEqual(items[1]["item_status"]["success"], "false")
        b = get_json(self, "/v1.1/customer/get?email=nobody@example.com")
        st = b["response"]["status"]
        self.assertEqual((st["success"], st["code"]), ("false", 500))
        self.assertEqual(b["response"]["customers"]["customer"][0]["item_status"]["code"], 1012)

    def test_get_bad_requests(self):
        for path in ("/v1.1/customer/get", "/v1.1/customer/get?mobile=1&email=a@b",
                     "/v1.1/customer/get?mobile=" + ",".join(["1"] * 101),
                     "/v1.1/customer/get?id=1&coupon_limit=0"):
            b = get_json(self, path, status=400)
            self.assertEqual(b["response"]["status"]["success"], "false", path)
            self.assertEqual(b["response"]["status"]["code"], 400, path)

    def search(self, q, raw=False, extra=""):
        path = "/v1.1/customer/search?format=json&q=" + (q if raw else quote(q)) + extra
        return get_json(self, path)["response"]["customer"]

    def test_search(self):
        c = self.search("(firstname:STARTS:ash)&(lastname:EXACT:rao)")
        self.assertEqual((c["count"], c["start"], c["rows"]), ("1", "0", "10"))
        item = c["results"]["item"][0]
        self.assertEqual(item["user_id"], str(ASHA))
        for key in ("org_id", "firstname", "lastname", "mobile", "email", "external_id",
                    "loyalty_points", "lifetime_points", "lifetime_purchases", "current_slab",
                    "registered_on", "registered_by", "last_trans_value", "attributes"):
            self.assertIn(key, item)
        self.assertEqual(item["loyalty_points"], "12450")
        # the same query with an unencoded '&' between the conditions
        raw = self.search("(firstname:STARTS:ash)&(lastname:EXACT:rao)", raw=True)
        self.assertEqual(raw["results"]["item"][0]["user_id"], str(ASHA))

    def test_search_operators(self):
        def ids(q, extra=""):
            return [int(i["user_id"]) for i in self.search(q, extra=extra)["results"]["item"]]
        self.assertEqual(ids("(mobile:EXACT:919845000002)"), [RAVI])
        self.assertEqual(ids("(email:EQUALS:ZOE@EXAMPLE.COM)"), [ZOE])
        self.assertEqual(ids("(external_id:STARTS:MC-000)"), [ASHA, RAVI, NEHA, ZOE, MEERA])
        self.assertEqual(ids("(external_id:IN:MC-000003;MC-000100)"), [NEHA, MEERA])
        self.assertEqual(ids("(external_id:STARTS:MC-000)", "&rows=2&start=1"), [RAVI, NEHA])
        self.assertIn(MEERA, ids("(slab:EQUALS:Platinum)&(lastname:EXACT:Iyer)"))
        self.assertIn(ASHA, ids("(loyalty_points:EXACT:12450)&(firstname:EXACT:asha)"))
        self.assertEqual(ids("(loyalty_points:RANGE:12449;12451)&(lastname:ENDS:ao)"), [ASHA])
        self.assertEqual(ids("(registered_date:ON:2026-11-25)&(firstname:EXACT:Neha)"), [NEHA])
        self.assertEqual(ids("(firstname:STARTS:%)"), [])
        self.assertEqual(self.search("(firstname:EXACT:nobody)")["count"], "0")

    def test_search_bad_queries(self):
        for q in ("", "firstname:STARTS:a", "(shoe_size:EXACT:9)", "(firstname:LESS:a)",
                  "(loyalty_points:EXACT:lots)", "(registered_date:ON:yesterday)"):
            b = get_json(self, "/v1.1/customer/search?q=" + quote(q), status=400)
            self.assertEqual(b["response"]["status"]["code"], 400, q)
        b = get_json(self, "/v1.1/customer/search?q=(firstname:STARTS:a)&rows=500", status=400)
        self.assertEqual(b["response"]["status"]["success"], "false")


if __name__ == "__main__":
    unittest.main()
