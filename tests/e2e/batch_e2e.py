"""batch_e2e - `membercare --batch` end to end against a seeded sandbox.

The console runs without a terminal (pipes for standard input and output),
signs in like the interactive console, and prints plain text or JSON lines.
Checked here: every read verb on the seeded members, the context member,
writes refused without --yes, --dry-run sending nothing (the sandbox's
database and the audit log unchanged), --yes writes landing and audited,
the till's rights and --readonly, exit statuses, standard input and files,
and a malformed line reported with its number.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration", "lib"))

from sandboxproc import ASHA, RAVI, Sandbox  # noqa: E402

BUILD = os.environ.get("MC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
MEMBERCARE = os.path.join(BUILD, "membercare")
ASHA_MOBILE = "919845000001"
ZOE_MOBILE = "919845000004"


class Batch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="batch-e2e-")
        cls.db = os.path.join(cls.tmp, "sandbox.db")
        cls.sb = Sandbox(db=cls.db)
        cls.sb.start()
        cls.state = os.path.join(cls.tmp, "state")
        cls.audit = os.path.join(cls.state, "membercare", "audit.jsonl")

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_batch(self, text, *flags, user="demo.agent", file=None):
        env = dict(os.environ)
        env.update({
            "MEMBERCARE_PASSWORD": "demo",
            "HOME": self.tmp,
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "XDG_STATE_HOME": self.state,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        })
        env.pop("MEMBERCARE_CLIENT_SECRET", None)
        argv = [MEMBERCARE, "--host", self.sb.url, "--user", user, "--batch", file or "-"] + list(flags)
        p = subprocess.run(argv, input=None if file else text.encode(), stdin=subprocess.DEVNULL if file else None,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=90)
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    def records(self, out):
        recs = []
        for line in out.splitlines():
            try:
                recs.append(json.loads(line))
            except ValueError:
                self.fail("not a JSON line: %r\nwhole output:\n%s" % (line, out))
        return recs

    def sql(self, query, *args):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def request_count(self):
        return self.sql("SELECT count(*) FROM requests")[0][0]

    def audit_lines(self):
        if not os.path.exists(self.audit):
            return []
        with open(self.audit, encoding="utf-8") as f:
            return f.read().splitlines()

    # reads

    def test_customer_plain(self):
        rc, out, err = self.run_batch("customer %s\n" % ASHA_MOBILE)
        self.assertEqual(rc, 0, err)
        self.assertIn("name: Asha Rao\n", out)
        self.assertIn("tier: Gold\n", out)
        self.assertIn("points: 12,450\n", out)
        self.assertIn("id: %d\n" % ASHA, out)
        self.assertNotIn("\x1b", out, "plain output carries no terminal escapes")

    def test_customer_json(self):
        rc, out, err = self.run_batch("customer %s\n" % ASHA_MOBILE, "--json")
        self.assertEqual(rc, 0, err)
        (rec,) = self.records(out)
        self.assertEqual(rec["command"], "customer %s" % ASHA_MOBILE)
        self.assertEqual(rec["line"], 1)
        self.assertTrue(rec["ok"])
        self.assertEqual(rec["result"]["id"], ASHA)
        self.assertEqual(rec["result"]["name"], "Asha Rao")
        self.assertEqual(rec["result"]["tier"], "Gold")
        self.assertEqual(rec["result"]["points"], 12450)

    def test_non_ascii_member(self):
        rc, out, err = self.run_batch("customer %s\n" % ZOE_MOBILE)
        self.assertEqual(rc, 0, err)
        self.assertIn("name: Zoë Ångström 山田\n", out)
        rc, out, err = self.run_batch("customer %s\n" % ZOE_MOBILE, "--json")
        self.assertEqual(self.records(out)[0]["result"]["name"], "Zoë Ångström 山田")

    def test_context_member_reads_json(self):
        rc, out, err = self.run_batch("customer %s\nledger --limit 5\ncoupons\ntickets\n" % ASHA_MOBILE, "--json")
        self.assertEqual(rc, 0, err)
        recs = self.records(out)
        self.assertEqual([r["command"] for r in recs],
                         ["customer %s" % ASHA_MOBILE, "ledger --limit 5", "coupons", "tickets"])
        self.assertEqual([r["line"] for r in recs], [1, 2, 3, 4])
        self.assertTrue(all(r["ok"] for r in recs), recs)
        ledger = recs[1]["result"]
        self.assertEqual(ledger["customer_id"], ASHA)
        self.assertEqual(len(ledger["entries"]), 5)
        self.assertGreaterEqual(ledger["total"], 250)
        self.assertTrue(all("date" in e and "event" in e and "points" in e for e in ledger["entries"]))
        states = {c["state"] for c in recs[2]["result"]["coupons"]}
        self.assertTrue({"active", "redeemed", "expired", "revoked"} <= states, states)
        tickets = recs[3]["result"]["tickets"]
        self.assertEqual(len(tickets), 3)
        self.assertEqual(sum(1 for t in tickets if t["open"]), 1)

    def test_read_verbs_plain(self):
        rc, out, err = self.run_batch("find Asha Rao\nledger %s --limit 3\ncoupons %s\ntickets %s\n"
                                      % (ASHA_MOBILE, ASHA_MOBILE, ASHA_MOBILE))
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertIn("matches:", lines)
        self.assertTrue(any(l.startswith("  %d\tAsha Rao\t" % ASHA) for l in lines), out)
        entries = lines[lines.index("entries:") + 1:]
        self.assertTrue(all(len(l.split("\t")) == 8 for l in entries[:3]), out)
        self.assertIn("coupons:", lines)
        self.assertIn("tickets:", lines)

    def test_coupon_by_code(self):
        rc, out, err = self.run_batch("coupons %s\n" % ASHA_MOBILE, "--json")
        code = self.records(out)[0]["result"]["coupons"][0]["code"]
        rc, out, err = self.run_batch("coupon %s\n" % code, "--json")
        self.assertEqual(rc, 0, err)
        rec = self.records(out)[0]["result"]
        self.assertEqual(rec["customer_id"], ASHA)
        self.assertEqual(rec["code"], code)
        self.assertIn(rec["state"], ("active", "redeemed", "expired", "revoked"))
        rc, out, err = self.run_batch("coupon NOSUCHCODE1\n", "--json")
        self.assertEqual(rc, 1)
        self.assertFalse(self.records(out)[0]["ok"])

    def test_requests_queue(self):
        rc, out, err = self.run_batch("requests pending type=GOODWILL\n", "--json")
        self.assertEqual(rc, 0, err)
        reqs = self.records(out)[0]["result"]["requests"]
        self.assertTrue(reqs)
        self.assertTrue(all(r["status"] == "PENDING" for r in reqs), reqs)
        self.assertIn(RAVI, [r["customer_id"] for r in reqs])
        times = [r["added_on"] for r in reqs]
        self.assertEqual(times, sorted(times), "oldest first by default")
        rc, out, err = self.run_batch("requests pending sort=newest --limit 5\n", "--json")
        self.assertEqual(rc, 0, err)
        newest = [r["added_on"] for r in self.records(out)[0]["result"]["requests"]]
        self.assertEqual(newest, sorted(newest, reverse=True))
        self.assertLessEqual(len(newest), 5)
        rc, out, err = self.run_batch("requests member=919845000002 status=pending\n", "--json")
        self.assertEqual(rc, 0, err)
        self.assertEqual({r["customer_id"] for r in self.records(out)[0]["result"]["requests"]}, {RAVI})

    def test_console_only_verbs(self):
        rc, out, err = self.run_batch("theme light\nexport x.csv\n")
        self.assertEqual(rc, 1)
        self.assertIn("line 1: theme light: 'theme' works only in the console", err)
        self.assertIn("line 2: export x.csv: 'export' works only in the console", err)

    def test_mask(self):
        rc, out, err = self.run_batch("customer %s\nfind Asha\n" % ASHA_MOBILE, "--mask")
        self.assertEqual(rc, 0, err)
        for secret in (ASHA_MOBILE, "asha.rao@example.com", "Asha", "Rao"):
            self.assertNotIn(secret, out)
        self.assertIn("tier: Gold\n", out)
        rc, out, err = self.run_batch("customer %s\n" % ZOE_MOBILE, "--mask", "--json")
        rec = self.records(out)[0]
        self.assertNotIn(ZOE_MOBILE, json.dumps(rec, ensure_ascii=False))
        self.assertNotIn("Ångström", rec["result"]["name"])

    # writes

    def test_write_needs_yes(self):
        before, audit_before = self.request_count(), len(self.audit_lines())
        rc, out, err = self.run_batch("goodwill %s 100 POINTS_ISSUE \"bill 42 missed\"\n" % ASHA_MOBILE)
        self.assertEqual(rc, 1)
        self.assertIn("line 1: goodwill", err)
        self.assertIn("needs --yes to write (or --dry-run to see what would be sent)", err)
        self.assertEqual(out, "")
        self.assertEqual(self.request_count(), before)
        self.assertEqual(len(self.audit_lines()), audit_before)

    def test_dry_run_sends_nothing(self):
        before, audit_before = self.request_count(), len(self.audit_lines())
        rc, out, err = self.run_batch("customer %s\ngoodwill 150 POINTS_ISSUE \"bill 42 missed\"\n" % ASHA_MOBILE,
                                      "--json", "--dry-run")
        self.assertEqual(rc, 0, err)
        rec = self.records(out)[1]
        self.assertTrue(rec["ok"])
        res = rec["result"]
        self.assertTrue(res["dry_run"])
        self.assertEqual(res["method"], "POST")
        self.assertEqual(res["path"], "/v1.1/request/add?format=json")
        item = res["body"]["root"]["request"][0]
        self.assertEqual(item["type"], "GOODWILL")
        self.assertEqual(item["base_type"], "POINTS")
        self.assertEqual(float(item["points"]), 150)
        self.assertEqual(item["reason"], "POINTS_ISSUE")
        self.assertEqual(item["comments"], "bill 42 missed")
        self.assertEqual(str(item["customer"]["id"]), str(ASHA))
        self.assertTrue(item["reference_id"])
        self.assertEqual(self.request_count(), before, "a dry run wrote to the sandbox")
        self.assertEqual(len(self.audit_lines()), audit_before, "a dry run wrote to the audit log")
        rc, out, err = self.run_batch("goodwill %s 150 POINTS_ISSUE x\n" % ASHA_MOBILE, "--dry-run")
        self.assertEqual(rc, 0, err)
        self.assertIn("method: POST\n", out)
        self.assertIn("path: /v1.1/request/add?format=json\n", out)
        # an empty comment is refused before anything is built, as in the console's form
        rc, out, err = self.run_batch("goodwill %s 150 POINTS_ISSUE \"  \"\n" % ASHA_MOBILE, "--dry-run")
        self.assertEqual(rc, 1, err)
        self.assertIn("a comment is needed", err)
        self.assertNotIn("method: POST", out)

    def test_write_with_yes_lands_and_is_audited(self):
        before = self.request_count()
        rc, out, err = self.run_batch("goodwill %s 75 SERVICE_RECOVERY \"batch e2e\"\naudit\n" % ASHA_MOBILE,
                                      "--json", "--yes")
        self.assertEqual(rc, 0, err)
        raised, audit = self.records(out)
        self.assertTrue(raised["ok"], raised)
        rid = raised["result"]["request_id"]
        self.assertGreater(rid, 0)
        self.assertEqual(self.request_count(), before + 1)
        row = self.sql("SELECT customer_id, status, reason, comments FROM requests WHERE id = ?", rid)
        self.assertEqual(row, [(ASHA, "PENDING", "SERVICE_RECOVERY", "batch e2e")])
        mine = [e for e in audit["result"]["entries"] if e["ref"] == raised["result"]["reference_id"]]
        self.assertEqual(len(mine), 1, audit)
        self.assertEqual(mine[0]["action"], "goodwill-raise")
        self.assertEqual(mine[0]["state"], "ok")
        self.assertEqual(mine[0]["response_id"], str(rid))
        self.assertEqual(mine[0]["member"], ASHA)
        r = self.sb.get("/v1.1/request/get?format=json&status=PENDING&limit=50")
        ids = [int(g["id"]) for g in r.json()["response"]["requests"]["goodwill"]]
        self.assertIn(rid, ids)

    def test_supervisor_approves(self):
        rc, out, err = self.run_batch("goodwill %s 20 BIRTHDAY \"to approve\"\n" % ASHA_MOBILE, "--json", "--yes")
        rid = self.records(out)[0]["result"]["request_id"]
        rc, out, err = self.run_batch("approve %d \"fine\"\n" % rid, "--json", "--dry-run", user="demo.supervisor")
        self.assertEqual(rc, 0, err)
        dry = self.records(out)[0]["result"]
        self.assertEqual(dry["path"], "/v1.1/request/approve?format=json")
        self.assertEqual(self.sql("SELECT status FROM requests WHERE id = ?", rid), [("PENDING",)])
        rc, out, err = self.run_batch("approve %d \"fine\"\n" % rid, "--yes", user="demo.supervisor")
        self.assertEqual(rc, 0, err)
        self.assertIn("status: APPROVED\n", out)
        self.assertEqual(self.sql("SELECT status FROM requests WHERE id = ?", rid), [("APPROVED",)])
        rc, out, err = self.run_batch("approve %d\n" % rid, "--yes", user="demo.supervisor")
        self.assertEqual(rc, 1)
        self.assertIn("is not pending", err)

    def test_rights_and_readonly(self):
        before = self.request_count()
        rc, out, err = self.run_batch("goodwill %s 10 BIRTHDAY x\n" % ASHA_MOBILE, "--yes", user="demo.viewer")
        self.assertEqual(rc, 1)
        self.assertIn("no maker right", err)
        rc, out, err = self.run_batch("approve 1 ok\n", "--yes")
        self.assertEqual(rc, 1)
        self.assertIn("no checker right", err)
        rc, out, err = self.run_batch("goodwill %s 10 BIRTHDAY x\n" % ASHA_MOBILE, "--yes", "--readonly")
        self.assertEqual(rc, 1)
        self.assertIn("read-only", err)
        self.assertEqual(self.request_count(), before)
        rc, out, err = self.run_batch("customer %s\n" % ASHA_MOBILE, user="demo.viewer")
        self.assertEqual(rc, 0, "a viewer may still read: " + err)

    # the run itself

    def test_exit_status_and_continuing(self):
        rc, out, err = self.run_batch("customer 919800000999\ncustomer %s\n" % ASHA_MOBILE, "--json")
        self.assertEqual(rc, 1)
        recs = self.records(out)
        self.assertEqual([r["ok"] for r in recs], [False, True])
        self.assertEqual(recs[0]["error"]["code"], 8015)
        rc, out, err = self.run_batch("ledger %s --limit 101\n" % ASHA_MOBILE)
        self.assertEqual(rc, 1)
        self.assertIn("--limit takes a number from 1 to 100", err)
        rc, out, err = self.run_batch("nosuchverb\ncustomer %s\n" % ASHA_MOBILE, "--json", "--stop-on-error")
        self.assertEqual(rc, 1)
        self.assertEqual(len(self.records(out)), 1)
        rc, out, err = self.run_batch("customer %s ; quit ; customer %s\n" % (ASHA_MOBILE, ZOE_MOBILE), "--json")
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["command"] for r in self.records(out)], ["customer %s" % ASHA_MOBILE, "quit"])

    def test_malformed_line(self):
        rc, out, err = self.run_batch("# comment line\ncustomer %s\nfind \"Asha\ntickets\n" % ASHA_MOBILE)
        self.assertEqual(rc, 1)
        self.assertIn("name: Asha Rao", out)
        self.assertRegex(err, r"line 3: .*quote")
        self.assertIn("tickets:", out, "the run goes on after a bad line")
        rc, out, err = self.run_batch("find \"Asha\n", "--json")
        (rec,) = self.records(out)
        self.assertFalse(rec["ok"])
        self.assertEqual(rec["line"], 1)
        self.assertIn("quote", rec["error"]["message"])

    def test_file_argument(self):
        path = os.path.join(self.tmp, "cmds.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("customer %s\n" % ASHA_MOBILE)
        rc, out, err = self.run_batch(None, "--json", file=path)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.records(out)[0]["result"]["tier"], "Gold")
        rc, out, err = self.run_batch(None, file=os.path.join(self.tmp, "missing.txt"))
        self.assertEqual(rc, 2)
        self.assertIn("cannot read the batch file", err)

    def test_usage_errors(self):
        env = dict(os.environ, MEMBERCARE_PASSWORD="demo")
        for argv in (["--json"], ["--yes", "--host", self.sb.url], ["--batch"]):
            p = subprocess.run([MEMBERCARE] + argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, timeout=30)
            self.assertEqual(p.returncode, 2, "%s: %s" % (argv, p.stderr))


if __name__ == "__main__":
    unittest.main(verbosity=2)
