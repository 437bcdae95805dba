"""Ticket, note and interaction routes of membercare-sandbox over HTTP,
checked against capillary-part2.md §0.3 and §2: the v1.1 envelopes
(`response.customer` on GET, `response.customers.customer` on ticket add),
scalars as strings, a one-item list as a bare object, item-level errors,
filters, and what the writes leave in the store (read with sqlite3).
"""

import os
import re
import sqlite3
import sys
import tempfile
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, GENERATED, MEERA, NEHA, ZOE, Sandbox  # noqa: E402

SB = None
DB_DIR = None
V11_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
V2_DATE = re.compile(r"^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d$")
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CODE = re.compile(r"^[0-9a-z]{9}$")


def setUpModule():
    global SB, DB_DIR
    DB_DIR = tempfile.TemporaryDirectory(prefix="mc-tickets-")
    SB = Sandbox("--customers", "50", db=os.path.join(DB_DIR.name, "sb.db")).start()


def tearDownModule():
    rc = SB.stop()
    DB_DIR.cleanup()
    if rc != 0:
        raise AssertionError("sandbox exit status %r; stderr: %s" % (rc, SB.stderr_text))


def store():
    return sqlite3.connect(os.path.join(DB_DIR.name, "sb.db"))


def get(test, path, status=200):
    r = SB.get(path)
    test.assertEqual(r.status, status, "GET %s: %r" % (path, r))
    return r.json()


def post(test, path, body, status=200):
    r = SB.post(path, body)
    test.assertEqual(r.status, status, "POST %s: %r" % (path, r))
    return r.json()


def as_list(v):
    """A v1.1 list: a bare object is one item."""
    if isinstance(v, list):
        return v
    return [v] if isinstance(v, dict) else []


def ticket_body(ident, **ticket):
    return {"root": {"customer": [dict(ident, ticket=[ticket])]}}


class TicketsGet(unittest.TestCase):
    def test_asha_envelope_and_fields(self):
        b = get(self, "/v1.1/customer/tickets?format=json&id=%d" % ASHA)
        r = b["response"]
        self.assertEqual(r["status"], {"success": "true", "code": "200", "message": "SUCCESS"})
        c = r["customer"]  # singular on GET
        self.assertNotIn("customers", r)
        self.assertEqual(c["id"], str(ASHA))
        self.assertEqual((c["firstname"], c["lastname"]), ("Asha", "Rao"))
        self.assertEqual(c["item_status"]["code"], "1300")
        self.assertEqual(c["item_status"]["success"], "true")
        tickets = c["tickets"]["ticket"]
        self.assertIsInstance(tickets, list)  # three: an array
        self.assertEqual(len(tickets), 3)
        self.assertEqual(sum(t["status"] != "Closed" for t in tickets), 1)
        for t in tickets:
            self.assertTrue(t["code"])
            for k in ("status", "priority", "department", "subject", "message", "reported_from",
                      "type", "created_by"):
                self.assertIsInstance(t[k], str, k)
            self.assertRegex(t["created_on"], V11_TIME)
            # one custom field: a bare object, not a one-element list
            self.assertIsInstance(t["custom_fields"]["field"], dict)
            self.assertEqual(t["custom_fields"]["field"]["name"], "channel")
        # newest first
        self.assertEqual([t["created_on"] for t in tickets],
                         sorted((t["created_on"] for t in tickets), reverse=True))
        closed = [t for t in tickets if t["status"] == "Closed"]
        self.assertIsInstance(closed[0]["comments"]["comment"], dict)

    def test_identifiers(self):
        for q in ("mobile=919845000001", "email=asha.rao%40example.com",
                  "external_id=MC-000001", "user_id=%d" % ASHA, "mobile=9845000001"):
            b = get(self, "/v1.1/customer/tickets?" + q)
            self.assertEqual(b["response"]["customer"]["id"], str(ASHA), q)
        b = get(self, "/v1.1/customer/tickets?mobile=919800000000")
        self.assertEqual(b["response"]["status"]["success"], "false")
        self.assertEqual(b["response"]["status"]["code"], "500")
        self.assertEqual(b["response"]["customer"]["item_status"]["code"], "1012")
        for q in ("", "?format=json", "?mobile=1&email=a%40b.c"):
            b = get(self, "/v1.1/customer/tickets" + q, status=400)
            self.assertEqual(b["response"]["status"]["code"], "1015")

    def test_filters(self):
        base = "/v1.1/customer/tickets?id=%d" % ASHA
        b = get(self, base + "&status=open")  # org value, any case
        one = b["response"]["customer"]["tickets"]["ticket"]
        self.assertIsInstance(one, dict)  # a single ticket is a bare object
        self.assertEqual(one["status"], "Open")
        code = one["code"]
        b = get(self, base + "&ticket_code=" + code)
        self.assertEqual(b["response"]["customer"]["tickets"]["ticket"]["code"], code)
        b = get(self, base + "&status=Closed&priority=HIGH")
        self.assertEqual(as_list(b["response"]["customer"]["tickets"]["ticket"]),
                         [t for t in as_list(b["response"]["customer"]["tickets"]["ticket"])
                          if t["priority"] == "HIGH"])
        all_t = as_list(get(self, base)["response"]["customer"]["tickets"]["ticket"])
        dept = all_t[0]["department"]
        got = as_list(get(self, base + "&department=" + dept.lower())
                      ["response"]["customer"]["tickets"]["ticket"])
        self.assertEqual({t["department"] for t in got}, {dept})
        frm = all_t[0]["reported_from"]
        got = as_list(get(self, base + "&reported_from=" + frm)["response"]["customer"]["tickets"]["ticket"])
        self.assertTrue(got and all(t["reported_from"] == frm for t in got))
        # dates bound the creation day
        newest = all_t[0]["created_on"][:10]
        got = as_list(get(self, base + "&start_date=" + newest)["response"]["customer"]["tickets"]["ticket"])
        self.assertTrue(got and all(t["created_on"][:10] >= newest for t in got))
        got = as_list(get(self, base + "&end_date=2000-01-01")["response"]["customer"]["tickets"]["ticket"])
        self.assertEqual(got, [])
        get(self, base + "&start_date=2026-13-01", status=400)
        # values the org does not define are refused
        for q, code in (("&department=ACCOUNTS", "1301"), ("&status=Pending", "1302"),
                        ("&priority=URGENT", "1303"), ("&reported_from=FAX", "1304"),
                        ("&type=shop", "1306")):
            b = get(self, base + q)
            self.assertEqual(b["response"]["status"]["success"], "false", q)
            self.assertEqual(b["response"]["customer"]["item_status"]["code"], code, q)

    def test_member_without_tickets(self):
        b = get(self, "/v1.1/customer/tickets?id=%d" % NEHA)
        self.assertEqual(b["response"]["customer"]["tickets"]["ticket"], [])


class TicketsAdd(unittest.TestCase):
    def test_add_shows_code_and_lands_in_store(self):
        b = post(self, "/v1.1/customer/tickets?format=json", ticket_body(
            {"id": str(ZOE)}, subject="Zoë's 山田 refund", message="Refund for order 77\nplease",
            department="billing", priority="high", reported_from="CALLCENTER",
            custom_fields={"field": [{"name": "channel", "value": "phone"},
                                     {"name": "ORDER_NUMBER", "value": "77"}]}))
        r = b["response"]
        self.assertEqual(r["status"]["code"], "200")
        c = r["customers"]["customer"]  # plural block on add, one member: bare
        self.assertNotIn("customer", r)
        self.assertIsInstance(c, dict)
        self.assertEqual(c["item_status"], {"success": "true", "code": "1300",
                                            "message": "Ticket added successfully"})
        self.assertEqual(c["mobile"], "919845000004")
        t = c["ticket"]
        self.assertRegex(t["code"], CODE)
        self.assertEqual((t["status"], t["priority"], t["department"]), ("Open", "HIGH", "BILLING"))
        self.assertEqual(t["subject"], "Zoë's 山田 refund")
        self.assertEqual(t["created_by"], "demo.agent")
        fields = {f["name"]: f["value"] for f in as_list(t["custom_fields"]["field"])}
        self.assertEqual(fields, {"channel": "phone", "order_number": "77"})
        with store() as db:
            row = db.execute("SELECT customer_id, subject, message, status, department,"
                             " reported_from, created_till_id FROM tickets WHERE code = ?",
                             (t["code"],)).fetchone()
        self.assertEqual(row, (ZOE, "Zoë's 山田 refund", "Refund for order 77\nplease", "Open",
                               "BILLING", "CALLCENTER", 75000001))
        got = get(self, "/v1.1/customer/tickets?id=%d&ticket_code=%s" % (ZOE, t["code"]))
        self.assertEqual(got["response"]["customer"]["tickets"]["ticket"]["subject"],
                         "Zoë's 山田 refund")

    def test_defaults_and_bare_objects_in(self):
        body = {"root": {"customer": {"external_id": "MC-100003",
                                      "ticket": {"subject": "Card not received",
                                                 "department": "STORE"}}}}
        c = post(self, "/v1.1/customer/tickets", body)["response"]["customers"]["customer"]
        self.assertEqual(c["id"], str(GENERATED + 3))
        t = c["ticket"]
        self.assertEqual((t["status"], t["priority"], t["reported_from"], t["type"], t["message"]),
                         ("Open", "MEDIUM", "CLIENT", "Customer", ""))

    def test_refusals_write_nothing(self):
        with store() as db:
            before = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
        cases = [
            (dict(subject="x", department="ACCOUNTS"), "1301"),
            (dict(subject="x"), "1301"),
            (dict(subject="  ", department="STORE"), "1305"),
            (dict(subject="x" * 256, department="STORE"), "1305"),
            (dict(subject="x", message="m" * 2001, department="STORE"), "1305"),
            (dict(subject="x", department="STORE", status="Pending"), "1302"),
            (dict(subject="x", department="STORE", priority="URGENT"), "1303"),
            (dict(subject="x", department="STORE", reported_from="FAX"), "1304"),
            (dict(subject="x", department="STORE", type="shop"), "1306"),
            (dict(subject="x", department="STORE", ticket_code="bad code!"), "1307"),
            (dict(subject="x", department="STORE",
                  custom_fields={"field": {"name": "colour", "value": "red"}}), "1309"),
        ]
        for ticket, code in cases:
            b = post(self, "/v1.1/customer/tickets", ticket_body({"id": str(ASHA)}, **ticket))
            r = b["response"]
            self.assertEqual(r["status"]["success"], "false", ticket)
            self.assertEqual(r["status"]["code"], "500")
            c = r["customers"]["customer"]
            self.assertEqual(c["item_status"]["success"], "false")
            self.assertEqual(c["item_status"]["code"], code, (ticket, c))
            self.assertNotIn("ticket", c)
        b = post(self, "/v1.1/customer/tickets", ticket_body({"id": str(ASHA)}, subject="x",
                                                              department="ACCOUNTS"))
        self.assertEqual(b["response"]["customers"]["customer"]["item_status"]["message"],
                         "Invalid department 'ACCOUNTS': the departments are BILLING, DELIVERY,"
                         " DIGITAL, LOYALTY, STORE")
        b = post(self, "/v1.1/customer/tickets",
                 ticket_body({"mobile": "919800000000"}, subject="x", department="STORE"))
        self.assertEqual(b["response"]["customers"]["customer"]["item_status"]["code"], "1012")
        with store() as db:
            after = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
        self.assertEqual(before, after)

    def test_caller_code_duplicate_and_partial_batch(self):
        body = {"root": {"customer": [
            {"id": str(MEERA), "ticket": [{"subject": "a", "department": "DIGITAL",
                                           "ticket_code": "MEERA-1"}]},
            {"id": str(MEERA), "ticket": [{"subject": "b", "department": "DIGITAL",
                                           "ticket_code": "MEERA-1"}]},
        ]}}
        r = post(self, "/v1.1/customer/tickets", body)["response"]
        self.assertEqual(r["status"], {"success": "true", "code": "201",
                                       "message": "Some requests have failed"})
        items = r["customers"]["customer"]
        self.assertEqual(len(items), 2)
        self.assertEqual(items[0]["ticket"]["code"], "MEERA-1")
        self.assertEqual(items[1]["item_status"]["code"], "1308")

    def test_malformed_bodies(self):
        for body in ("", "not json", "[]", '{"root":{}}', '{"root":{"customer":[]}}'):
            r = SB.post("/v1.1/customer/tickets", body, headers={"Content-Type": "application/json"})
            self.assertEqual(r.status, 400, (body, r))
            self.assertEqual(r.json()["response"]["status"]["success"], "false")


class Notes(unittest.TestCase):
    def notes(self, member):
        b = get(self, "/v1.1/customer/notes?format=json&user_id=%d" % member)
        c = b["response"]["customer"]
        self.assertEqual(c["item_status"]["code"], "1000")
        return c

    def test_get_shapes(self):
        c = self.notes(ASHA)
        self.assertEqual(c["user_id"], str(ASHA))
        notes = c["notes"]["note"]
        self.assertIsInstance(notes, list)
        self.assertGreaterEqual(len(notes), 2)
        for n in notes:
            self.assertRegex(n["added_on"], V11_TIME)
            self.assertTrue(n["id"].isdigit())
            self.assertIn(n["associate_name"], ("Demo Agent", "Demo Supervisor"))
        self.assertEqual([n["added_on"] for n in notes],
                         sorted((n["added_on"] for n in notes), reverse=True))
        self.assertIsInstance(self.notes(MEERA)["notes"]["note"], dict)  # one note: bare
        self.assertEqual(self.notes(NEHA)["notes"]["note"], [])
        c = get(self, "/v1.1/customer/notes?identifier=asha.rao%40example.com")["response"]["customer"]
        self.assertEqual(c["user_id"], str(ASHA))
        only = get(self, "/v1.1/customer/notes?user_id=%d&associate_id=75000002" % ASHA)
        for n in as_list(only["response"]["customer"]["notes"]["note"]):
            self.assertEqual(n["associate_id"], "75000002")
        b = get(self, "/v1.1/customer/notes?mobile=919800000000")
        self.assertEqual(b["response"]["customer"]["item_status"]["code"], "1012")
        get(self, "/v1.1/customer/notes", status=400)

    def save(self, member, note, **extra):
        body = {"root": {"customer": [dict({"user_id": str(member), "notes": {"note": [note]}},
                                           **extra)]}}
        return post(self, "/v1.1/customer/notes?format=json", body)["response"]

    def test_add_edit_and_limits(self):
        r = self.save(ZOE, {"description": "Prefers email; speaks Svenska 山田"})
        self.assertEqual(r["status"]["code"], "200")
        c = r["customer"]
        self.assertEqual(c["item_status"], {"success": "true", "code": "200",
                                            "message": "Operation Successful"})
        self.assertEqual(c["associate_id"], "75000001")
        n = c["notes"]["note"]
        self.assertNotEqual(n["id"], "-1")
        note_id = n["id"]
        self.assertRegex(n["date"], V11_TIME)
        r = self.save(ZOE, {"id": note_id, "description": "Prefers SMS after all"})
        self.assertEqual(r["customer"]["notes"]["note"]["id"], note_id)
        with store() as db:
            text, till = db.execute("SELECT text, till_id FROM notes WHERE id = ?",
                                    (int(note_id),)).fetchone()
        self.assertEqual((text, till), ("Prefers SMS after all", 75000001))
        self.assertEqual(self.notes(ZOE)["notes"]["note"]["description"], "Prefers SMS after all")
        # the 255-character limit counts characters
        self.assertEqual(self.save(ZOE, {"description": "山" * 255})["customer"]["item_status"]["code"],
                         "200")
        for note, code in (({"description": "x" * 256}, "1502"), ({"description": " "}, "1501"),
                           ({}, "1501"), ({"description": 5}, "1501"),
                           ({"id": "999999", "description": "x"}, "1504"),
                           ({"description": "x", "date": "someday"}, "1503")):
            r = self.save(ZOE, note)
            self.assertEqual(r["status"]["success"], "false", note)
            self.assertEqual(r["customer"]["item_status"]["code"], code, note)
        r = self.save(ZOE, {"description": "x"}, associate_id="12")
        self.assertEqual(r["customer"]["item_status"]["code"], "1505")
        r = self.save(ZOE, {"description": "by the supervisor", "date": "2026-11-01 09:30:00"},
                      associate_id="75000002")
        n = r["customer"]["notes"]["note"]
        self.assertEqual(n["date"], "2026-11-01 09:30:00")
        with store() as db:
            self.assertEqual(db.execute("SELECT till_id FROM notes WHERE id = ?",
                                        (int(n["id"]),)).fetchone()[0], 75000002)
        # an edit of another member's note is refused
        asha_note = as_list(self.notes(ASHA)["notes"]["note"])[0]["id"]
        r = self.save(ZOE, {"id": asha_note, "description": "x"})
        self.assertEqual(r["customer"]["item_status"]["code"], "1504")


class Interactions(unittest.TestCase):
    def test_v11_asha(self):
        for q in ("identifierName=mobile&identifierValue=919845000001", "mobile=919845000001",
                  "email=asha.rao%40example.com"):
            b = get(self, "/v1.1/customer/interaction?" + q)
            r = b["response"]
            self.assertEqual(r["status"], {"success": "true", "code": 200, "message": "Success"})
            c = r["customer"]
            self.assertEqual(c["id"], str(ASHA))
            self.assertEqual(c["item_status"]["code"], 1000)
            nets = c["interactions"]["network"]
            self.assertEqual(nets[0]["name"], "capillary")
            by_type = {i["type"]: i for i in nets[0]["interaction"]}
            self.assertEqual(set(by_type), {"sms", "email", "push"})
            sms = by_type["sms"]
            self.assertIs(sms["used_status"], False)
            self.assertEqual(sms["count"], 5)
            msgs = sms["messages"]["message"]
            self.assertEqual(len(msgs), 5)
            self.assertEqual(sorted(m["status"] for m in msgs), ["DELIVERED"] * 4 + ["FAILED"])
            for m in msgs:
                self.assertIsInstance(m["id"], int)
                self.assertEqual(m["reciever"], "919845000001")
                self.assertRegex(m["sent_time"], V11_TIME)
                if m["status"] == "DELIVERED":
                    self.assertRegex(m["delivered_time"], V11_TIME)
                else:
                    self.assertEqual(m["delivered_time"], "")
            self.assertEqual(sms["last_interaction_time"], msgs[0]["sent_time"])
            self.assertIsInstance(by_type["push"]["messages"]["message"], dict)  # one: bare

    def test_v11_filters_and_errors(self):
        base = "/v1.1/customer/interaction?mobile=919845000001"
        ints = get(self, base + "&type=sms&limit=2")["response"]["customer"]["interactions"]
        only = ints["network"][0]["interaction"]
        self.assertEqual([i["type"] for i in only], ["sms"])
        self.assertEqual(len(only[0]["messages"]["message"]), 2)
        later = get(self, base + "&type=sms&limit=2&offset=4")["response"]["customer"]
        self.assertIsInstance(later["interactions"]["network"][0]["interaction"][0]["messages"]["message"], dict)
        fb = get(self, base + "&network=facebook")["response"]["customer"]["interactions"]
        self.assertEqual(fb["network"][0]["name"], "facebook")
        self.assertTrue(all(i["count"] == 0 and "messages" not in i
                            for i in fb["network"][0]["interaction"]))
        get(self, base + "&network=myspace", status=400)
        get(self, base + "&limit=0", status=400)
        b = get(self, "/v1.1/customer/interaction?mobile=919800000000")
        self.assertEqual(b["response"]["customer"]["item_status"]["code"], 1012)
        get(self, "/v1.1/customer/interaction", status=400)

    def test_v2_asha_and_neha(self):
        b = get(self, "/v2/customers/interaction?identifierName=mobile&identifierValue=919845000001"
                      "&source=INSTORE")
        self.assertEqual(b["name"], "capillary")
        self.assertEqual(b["warnings"], [])
        by_name = {i["name"]: i for i in b["interaction"]}
        self.assertEqual(by_name["survey"], {"count": 0, "name": "survey", "surveys": []})
        self.assertEqual(by_name["missed_call"], {"count": 0, "name": "missed_call",
                                                  "usedStatus": False})
        sms = by_name["sms"]["messageList"]
        self.assertEqual(by_name["sms"]["count"], len(sms))
        failed = [m for m in sms if m["status"] == "FAILED"]
        self.assertEqual(len(failed), 1)
        self.assertIsNone(failed[0]["deliveredTime"])
        for m in sms:
            self.assertRegex(m["sentDate"], V2_DATE)
            self.assertEqual(m["userId"], ASHA)
            self.assertIsInstance(m["campaignId"], int)
            if m["status"] == "DELIVERED":
                self.assertRegex(m["deliveredTime"], ISO_Z)
        self.assertIsInstance(by_name["push"]["messageList"], list)  # v2: always arrays
        b = get(self, "/v2/customers/interaction?identifierName=email&identifierValue="
                + quote("zoe@example.com") + "&type=email")
        self.assertEqual([i["name"] for i in b["interaction"]], ["email"])
        b = get(self, "/v2/customers/interaction?identifierName=mobile&identifierValue=919845000003")
        self.assertTrue(all(i["count"] == 0 for i in b["interaction"]))

    def test_v2_errors(self):
        b = get(self, "/v2/customers/interaction?identifierName=mobile&identifierValue=919800000000",
                status=404)
        self.assertEqual(b["errors"][0]["code"], 1012)
        b = get(self, "/v2/customers/interaction?identifierName=mobile", status=400)
        self.assertEqual(b["errors"][0]["code"], 11013)
        b = get(self, "/v2/customers/interaction?identifierName=card&identifierValue=1", status=400)
        self.assertEqual(b["errors"][0]["code"], 8013)


class OrgConfiguration(unittest.TestCase):
    def test_seeded(self):
        with store() as db:
            self.assertEqual(db.execute("SELECT value FROM org_config WHERE key ="
                                        " 'ticket_custom_fields'").fetchone()[0],
                             "channel,order_number")
            self.assertGreaterEqual(db.execute("SELECT count(*) FROM ticket_departments").fetchone()[0], 5)
            self.assertEqual(db.execute("SELECT count(*) FROM ticket_statuses WHERE is_open").fetchone()[0], 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
