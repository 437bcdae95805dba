"""Integration: the sandbox's ledger, expiry schedule and transactions routes.

Checks the reference's shapes and quirks (page-number offset, small limit
with 11006, points as "300.000" strings, "YYYY-MM-DD HH:MM:SS.s" dates, the
date window and its error codes), and that the seeded data agree with each
other: a member's ledger adds up to the ledger balance, to the customer
screen's mainPoints and to the expiry schedule, for Asha, for a generated
member and for Meera's 100,000+ entries; paging newest first without gaps
or repeats; transactions paged by record offset; line items through v1.1.
"""
import os
import re
import sqlite3
import sys
import tempfile
import unittest
from decimal import Decimal
from urllib.parse import urlencode

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))

from sandboxproc import ASHA, GENERATED, MEERA, NEHA, Sandbox  # noqa: E402

LEDGER = "/v2/pointsLedger/getCustomerLedgerInfo"
BALANCE = "/v2/pointsLedger/getCustomerLedgerBalance"
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d$")
POINTS_RE = re.compile(r"^-?\d+\.\d{3}$")


def q(**kw):
    return urlencode(kw)


class Ledger(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="mc-ledger-it-")
        cls.db = os.path.join(cls.dir, "sandbox.db")
        cls.sb = Sandbox("--customers", "40", db=cls.db)
        cls.sb.start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        for name in os.listdir(cls.dir):
            os.unlink(os.path.join(cls.dir, name))
        os.rmdir(cls.dir)

    def get(self, path, status=200):
        r = self.sb.get(path)
        self.assertEqual(r.status, status, r)
        return r.json()

    def page(self, customer, page=0, limit=100, **extra):
        args = dict(source="INSTORE", identifierName="id", identifierValue=customer,
                    isFilterBasedOnDate="false", offset=page, limit=limit)
        args.update(extra)
        return self.get(LEDGER + "?" + q(**args))

    def balance(self, mobile, **extra):
        args = dict(source="INSTORE", identifierName="mobile", identifierValue=mobile)
        args.update(extra)
        body = self.get(BALANCE + "?" + q(**args))
        rows = body["ledgerDetails"]["ledgerClosingBalance"]
        return {r["pointsCategory"]: Decimal(r["closingBalance"]) for r in rows}

    def all_entries(self, customer):
        first = self.page(customer)
        out = list(first["ledgerEntries"])
        for p in range(1, first["ledgerDetails"]["pageCount"]):
            out += self.page(customer, p)["ledgerEntries"]
        return first["ledgerDetails"]["totalEntries"], out

    @staticmethod
    def main_net(entry):
        total = Decimal(0)
        for d in entry["entryDetails"]:
            if d["pointsCategory"] != "Main":
                continue
            pts = Decimal(d["points"])
            total += -pts if d["ledgerEntryType"] == "DEBIT" else pts
        return total

    def mobile_of(self, customer):
        c = self.get("/v2/customers/%d?source=INSTORE" % customer)
        for p in c["profiles"]:
            for i in p["identifiers"]:
                if i["type"] == "mobile":
                    return i["value"]
        self.fail("no mobile for %d" % customer)

    def main_points(self, customer):
        return Decimal(str(self.get("/v2/customers/%d/points/balance" % customer)["mainPoints"]))

    def expiry_sum(self, customer):
        s = self.get("/v2/customers/%d/pointsExpirySchedule" % customer)
        return sum(Decimal(str(e["points"])) for e in s["expirySchedules"])

    # shapes and quirks

    def test_page_shape(self):
        body = self.page(ASHA, 0, 10)
        det = body["ledgerDetails"]
        self.assertEqual(det["pageNumber"], 0)
        self.assertEqual(det["pageSize"], 10)
        self.assertEqual(det["pageCount"], (det["totalEntries"] + 9) // 10)
        self.assertGreater(det["totalEntries"], 250)
        self.assertEqual(body["customerDetails"]["userId"], ASHA)
        self.assertEqual(body["customerDetails"]["firstName"], "Asha")
        self.assertEqual(len(body["ledgerEntries"]), 10)
        for e in body["ledgerEntries"]:
            self.assertRegex(e["ledgerCreatedDate"], TIME_RE)
            self.assertRegex(e["netPointsOnEvent"], POINTS_RE)
            for d in e["entryDetails"]:
                self.assertRegex(d["points"], POINTS_RE)
                self.assertIn(d["ledgerEntryType"], ("CREDIT", "DEBIT"))
            if e["eventName"] == "TransactionAdd":
                self.assertTrue(e["transactionDetails"]["transactionNumber"].startswith("BILL-"))
                credit = [d for d in e["entryDetails"] if d["pointsCategory"] == "Main"]
                if credit:
                    self.assertRegex(credit[0]["expiryDate"], r"^\d{4}-\d\d-\d\d$")
        # the default limit is 10 and offset is a page number, not a record offset
        d = self.get(LEDGER + "?" + q(source="INSTORE", identifierName="mobile",
                                      identifierValue="919845000001", isFilterBasedOnDate="false",
                                      offset=1))
        self.assertEqual(d["ledgerDetails"]["pageSize"], 10)
        self.assertEqual(d["ledgerEntries"][0]["eventLogId"],
                         self.page(ASHA, 0, 20)["ledgerEntries"][10]["eventLogId"])

    def test_limit_cap_and_errors(self):
        base = dict(source="INSTORE", identifierName="id", identifierValue=ASHA,
                    isFilterBasedOnDate="false")
        r = self.sb.get(LEDGER + "?" + q(limit=101, **base))
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["errors"][0]["code"], 11006)
        self.assertEqual(len(self.page(ASHA, 0, 100)["ledgerEntries"]), 100)
        cases = [
            (dict(source="INSTORE", identifierName="id"), 400, 11013),
            (dict(base, identifierValue="abc"), 400, 11012),
            (dict(base, identifierValue="1"), 404, 8015),
            (dict(base, identifierName="nickname"), 400, 8013),
            (dict(base, programId="9"), 400, 11005),
            (dict(base, ledgerEntryType="BOTH"), 400, 11007),
            (dict(base, pointCategoryType="SOME"), 400, 11008),
            (dict(base, tillId="12"), 400, 11004),
            (dict(base, offset="-1"), 400, 400),
        ]
        for args, status, code in cases:
            with self.subTest(args=args):
                r = self.sb.get(LEDGER + "?" + q(**args))
                self.assertEqual(r.status, status, r)
                self.assertEqual(r.json()["errors"][0]["code"], code)

    def test_date_window(self):
        base = dict(source="INSTORE", identifierName="id", identifierValue=ASHA, limit=100)
        for extra, code in ((dict(startDate="2026-01-01"), 11011),
                            (dict(startDate="2026-03-01T00:00:00", endDate="2026-01-01T00:00:00"),
                             11009),
                            (dict(startDate="2025-01-01T00:00:00", endDate="2026-01-01T00:00:00"),
                             11010)):
            with self.subTest(extra=extra):
                r = self.sb.get(LEDGER + "?" + q(**dict(base, **extra)))
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["errors"][0]["code"], code)
        # the default window is the last 90 days; a window only holds its own dates
        recent = self.get(LEDGER + "?" + q(**base))
        whole = self.page(ASHA)
        self.assertLess(recent["ledgerDetails"]["totalEntries"],
                        whole["ledgerDetails"]["totalEntries"])
        w = self.get(LEDGER + "?" + q(startDate="2026-06-01T00:00:00",
                                      endDate="2026-07-31T23:59:59", **base))
        self.assertGreater(len(w["ledgerEntries"]), 0)
        for e in w["ledgerEntries"]:
            self.assertTrue("2026-06-01" <= e["ledgerCreatedDate"][:10] <= "2026-07-31", e)
        # a year with includeLastOneYearData
        y = self.get(LEDGER + "?" + q(startDate="2025-12-01T00:00:00", endDate="2026-11-20T00:00:00",
                                      includeLastOneYearData="true", **base))
        self.assertGreater(y["ledgerDetails"]["totalEntries"], w["ledgerDetails"]["totalEntries"])

    def test_filters(self):
        base = dict(source="INSTORE", identifierName="id", identifierValue=ASHA,
                    isFilterBasedOnDate="false", limit=100)
        debit = self.get(LEDGER + "?" + q(ledgerEntryType="DEBIT", **base))
        self.assertGreater(debit["ledgerDetails"]["totalEntries"], 0)
        for e in debit["ledgerEntries"]:
            self.assertTrue(any(d["ledgerEntryType"] == "DEBIT" for d in e["entryDetails"]))
        promised = self.get(LEDGER + "?" + q(pointCategoryType="PROMISED", **base))
        for e in promised["ledgerEntries"]:
            self.assertTrue(any(d["pointsCategory"] == "DelayedAccrualPointCategory"
                                for d in e["entryDetails"]))
        till = self.get(LEDGER + "?" + q(tillId=75000101, **base))
        for e in till["ledgerEntries"]:
            self.assertEqual(e["tillCode"], "store01.pos1")

    def test_empty_member(self):
        body = self.page(NEHA)
        self.assertEqual(body["ledgerDetails"]["totalEntries"], 0)
        self.assertEqual(body["ledgerEntries"], [])
        self.assertEqual(body["warnings"][0]["code"], 11003)

    # consistency

    def check_member(self, customer):
        total, entries = self.all_entries(customer)
        self.assertEqual(len(entries), total)
        ids = [e["eventLogId"] for e in entries]
        self.assertEqual(len(set(ids)), len(ids), "an entry appears twice")
        keys = [(e["ledgerCreatedDate"], e["eventLogId"]) for e in entries]
        self.assertEqual(keys, sorted(keys, reverse=True), "not newest first")
        ledger_sum = sum(self.main_net(e) for e in entries)
        for e in entries:
            net = sum((-Decimal(d["points"]) if d["ledgerEntryType"] == "DEBIT"
                       else Decimal(d["points"])) for d in e["entryDetails"])
            self.assertEqual(Decimal(e["netPointsOnEvent"]), net)
        mobile = self.mobile_of(customer)
        self.assertEqual(self.balance(mobile)["Main"], ledger_sum)
        self.assertEqual(self.main_points(customer), ledger_sum)
        self.assertEqual(self.expiry_sum(customer), ledger_sum)
        # the balance as of an entry's second is the running balance after it
        # (the first entry of an older second, so no newer entry shares it)
        running = ledger_sum
        for i, e in enumerate(entries):
            if i > 0 and entries[i - 1]["ledgerCreatedDate"][:19] != e["ledgerCreatedDate"][:19]:
                when = e["ledgerCreatedDate"][:19].replace(" ", "T")
                self.assertEqual(self.balance(mobile, endDate=when)["Main"], running)
                break
            running -= self.main_net(e)
        return ledger_sum

    def test_asha_adds_up(self):
        self.assertEqual(self.check_member(ASHA), Decimal("12450"))

    def test_generated_member_adds_up(self):
        self.check_member(GENERATED + 7)

    def test_meera_long_history(self):
        first = self.page(MEERA)
        det = first["ledgerDetails"]
        self.assertGreater(det["totalEntries"], 100000)
        self.assertEqual(det["pageCount"], (det["totalEntries"] + 99) // 100)
        last = self.page(MEERA, det["pageCount"] - 1)
        self.assertEqual(len(last["ledgerEntries"]), det["totalEntries"] - 100 * (det["pageCount"] - 1))
        self.assertEqual(last["ledgerEntries"][-1]["eventName"], "CustomerRegistration")
        beyond = self.page(MEERA, det["pageCount"])
        self.assertEqual(beyond["ledgerEntries"], [])
        # the whole ledger adds up to the balance (from the database: 1,000+ pages
        # over HTTP would make this test slow for no extra coverage)
        con = sqlite3.connect(self.db)
        try:
            n, = con.execute("SELECT count(*) FROM ledger_events WHERE customer_id = ?"
                             " AND status = 'SUCCESS'", (MEERA,)).fetchone()
            s, = con.execute("SELECT sum(CASE WHEN x.entry_type = 'DEBIT' THEN -x.points"
                             " ELSE x.points END) FROM ledger_entries x JOIN ledger_events e"
                             " ON e.id = x.event_id WHERE e.customer_id = ?"
                             " AND x.category = 'Main'", (MEERA,)).fetchone()
        finally:
            con.close()
        self.assertEqual(n, det["totalEntries"])
        self.assertEqual(self.balance("919845000100")["Main"], Decimal(str(s)).quantize(Decimal("0.001")))
        self.assertEqual(self.main_points(MEERA), self.balance("919845000100")["Main"])

    def test_balance_shape_and_errors(self):
        b = self.get(BALANCE + "?" + q(source="INSTORE", identifierName="mobile",
                                       identifierValue="919845000001"))
        det = b["ledgerDetails"]
        self.assertEqual(det["totalEntries"], len(det["ledgerClosingBalance"]))
        for row in det["ledgerClosingBalance"]:
            self.assertRegex(row["closingBalance"], POINTS_RE)
        r = self.sb.get(BALANCE + "?" + q(source="INSTORE", identifierName="id",
                                          identifierValue=ASHA))
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["errors"][0]["code"], 8013)
        r = self.sb.get(BALANCE + "?" + q(source="INSTORE", identifierName="mobile",
                                          identifierValue="919845000001", limit=11))
        self.assertEqual(r.json()["errors"][0]["code"], 11006)
        r = self.sb.get(BALANCE + "?" + q(source="INSTORE", identifierName="mobile",
                                          identifierValue="919845000001", endDate="2026-01-01"))
        self.assertEqual(r.json()["errors"][0]["code"], 11011)
        old = self.balance("919845000001", endDate="2000-01-01T00:00:00")
        self.assertEqual(old["Main"], 0)

    def test_expiry_schedule(self):
        s = self.get("/v2/customers/%d/pointsExpirySchedule" % ASHA)
        dates = [e["expiryDate"] for e in s["expirySchedules"]]
        self.assertEqual(dates, sorted(dates))
        self.assertTrue(all(d >= "2026-11-25" for d in dates))
        for e in s["expirySchedules"]:
            self.assertEqual(e["expiryDateISO"], e["expiryDate"] + "T00:00:00Z")
            self.assertIn(e["pointsType"], ("bill_regular", "customer_promotions"))
        early = self.get("/v2/customers/%d/pointsExpirySchedule?fetchEarliestExpiryOnly=true" % ASHA)
        self.assertLessEqual(len(early["expirySchedules"]), 2)
        look = self.get("/v2/customers/lookup/pointsExpirySchedule?" +
                        q(source="INSTORE", identifierName="mobile", identifierValue="919845000001"))
        self.assertEqual(look["expirySchedules"], s["expirySchedules"])
        self.assertEqual(self.sb.get("/v2/customers/1/pointsExpirySchedule").status, 404)

    def test_transactions(self):
        base = "/v2/customers/%d/transactions" % ASHA
        first = self.get(base + "?limit=5&embed=BILL_STORE_DETAILS,BILL_POINTS")
        pg = first["pagination"]
        self.assertEqual((pg["limit"], pg["offset"], pg["sortOrder"]), (5, 0, "DESC"))
        total = pg["total"]
        self.assertGreater(total, 100)
        t = first["data"][0]
        self.assertTrue(t["billNumber"].startswith("BILL-"))
        self.assertIn("code", t["billingStore"])
        self.assertIn("issuedPoints", t["billPoints"]["aggregatedBillPoints"])
        # offset is a record offset
        second = self.get(base + "?limit=5&offset=4")
        self.assertEqual(second["data"][0]["id"], first["data"][4]["id"])
        times = [x["billingTime"] for x in self.get(base + "?limit=1000")["data"]]
        self.assertEqual(len(times), total)
        self.assertEqual(times, sorted(times, reverse=True))
        asc = self.get(base + "?limit=3&sortOrder=ASC")["data"]
        self.assertEqual(asc[0]["billingTime"], times[-1])
        self.assertEqual(self.sb.get(base + "?limit=1001").status, 400)
        one = self.get(base + "?transactionId=%d" % t["id"])
        self.assertEqual([x["id"] for x in one["data"]], [t["id"]])
        r = self.sb.get("/v2/customers/1/transactions")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["errors"][0]["code"], 8015)

    def test_transaction_line_items_v11(self):
        t = self.get("/v2/customers/%d/transactions?limit=1" % ASHA)["data"][0]
        r = self.get("/v1.1/customer/transactions?" + q(format="json", id=ASHA,
                                                       transaction_id=t["id"]))
        c = r["response"]["customer"]
        self.assertEqual(c["item_status"]["code"], "1052")
        txn = c["transactions"]["transaction"][0]
        self.assertEqual(txn["number"], t["billNumber"])
        lines = txn["line_items"]["line_item"]
        self.assertGreater(len(lines), 0)
        total = sum(Decimal(x["amount"]) for x in lines)
        self.assertEqual(total, Decimal(txn["amount"]))
        none = self.get("/v1.1/customer/transactions?" + q(format="json", id=NEHA))
        self.assertEqual(none["response"]["customer"]["item_status"]["code"], "1051")
        missing = self.get("/v1.1/customer/transactions?" + q(format="json", mobile="1"))
        self.assertEqual(missing["response"]["customer"]["item_status"]["code"], "1012")
        self.assertEqual(self.sb.get("/v1.1/customer/transactions?format=json").status, 400)


if __name__ == "__main__":
    unittest.main(verbosity=2)
