"""The sandbox's database over restarts: a --db file is created and seeded
once and then reused intact (a row changed behind its back survives, no
reseeding, other seed flags ignored); without --db a temporary database is
used and removed at exit; SIGTERM and SIGINT both stop it cleanly; the same
seed gives the same members over HTTP, another seed different ones.
"""

import glob
import os
import signal
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from sandboxproc import ASHA, GENERATED, Sandbox  # noqa: E402

BY_ID = "/v2/customers/%d?source=INSTORE&embed=points,mlp,expirySchedules"


class PersistTest(unittest.TestCase):
    def test_db_file_is_reused_intact(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "demo.db")
            with Sandbox("--customers", "30", "--seed", "5", db=path) as sb:
                first = sb.get(BY_ID % ASHA)
                self.assertEqual(first.status, 200, first)
                gen = sb.get(BY_ID % (GENERATED + 3)).json()
                rc = sb.stop()
                self.assertEqual(rc, 0, sb.stderr_text)
                self.assertIn("seeded", sb.stderr_text)
            self.assertTrue(os.path.exists(path))
            self.assertFalse(os.path.exists(path + ".building"))

            db = sqlite3.connect(path)
            db.execute("UPDATE customers SET first_name = 'Ashwini' WHERE id = ?", (ASHA,))
            db.execute("UPDATE points_summary SET loyalty_points = 777 WHERE customer_id = ?",
                       (ASHA,))
            db.commit()
            (members,) = db.execute("SELECT count(*) FROM customers").fetchone()
            db.close()

            with Sandbox("--customers", "99", "--seed", "6", db=path) as sb:
                b = sb.get(BY_ID % ASHA).json()
                self.assertEqual(b["profiles"][0]["firstName"], "Ashwini",
                                 "the changed row must survive the restart")
                self.assertEqual(b["pointsSummary"]["loyaltyPoints"], 777.0)
                self.assertEqual(sb.get(BY_ID % (GENERATED + 3)).json(), gen,
                                 "a reused database must not be reseeded")
                self.assertEqual(sb.get(BY_ID % (GENERATED + 40)).status, 404)
                self.assertEqual(sb.stop(), 0)
                self.assertNotIn("seeded", sb.stderr_text)
            db = sqlite3.connect(path)
            self.assertEqual(db.execute("SELECT count(*) FROM customers").fetchone()[0], members)
            self.assertEqual(db.execute("PRAGMA journal_mode").fetchone()[0], "wal")
            db.close()

    def test_not_a_database(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "notes.txt")
            with open(path, "w") as f:
                f.write("this is not a database\n" * 100)
            sb = Sandbox(db=path)
            with self.assertRaises(RuntimeError):
                sb.start()
            self.assertNotEqual(sb.proc.wait(timeout=10), 0)
            with open(path) as f:
                self.assertTrue(f.read().startswith("this is not a database"))

    def test_temporary_db_removed_at_exit(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            with tempfile.TemporaryDirectory() as tmp:
                sb = Sandbox("--customers", "5", env={"TMPDIR": tmp}).start()
                try:
                    files = glob.glob(os.path.join(tmp, "membercare-sandbox-*"))
                    self.assertTrue(files, "expected the temporary database in TMPDIR")
                    self.assertEqual(sb.get("/v2/customers/%d/points/balance" % ASHA).status, 200)
                    sb.proc.send_signal(sig)
                    rc = sb.proc.wait(timeout=30)
                finally:
                    sb.kill()
                self.assertEqual(rc, 0, "exit status after %s: %r; stderr %s"
                                 % (sig.name, rc, sb.stderr_text))
                self.assertEqual(os.listdir(tmp), [], "left behind after %s" % sig.name)

    def test_same_seed_same_members(self):
        bodies = []
        for seed in ("11", "11", "12"):
            with Sandbox("--customers", "10", "--seed", seed) as sb:
                bodies.append([sb.get(BY_ID % (GENERATED + k)).json() for k in range(10)]
                              + [sb.get("/v2/customers/%d/loyaltyEvents?limit=50" % ASHA).json()])
        self.assertEqual(bodies[0], bodies[1], "same seed, same data")
        self.assertNotEqual(bodies[0], bodies[2], "another seed, other data")


if __name__ == "__main__":
    unittest.main()
