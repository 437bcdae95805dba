/*
 * migrations.c - the schema, version by version.
 *
 * Version 1 holds everything the console's screens need: members and their
 * identifiers, tiers and the points summary, the points ledger (events with
 * CREDIT/DEBIT entries), transactions with line items, coupon series and
 * coupons, tickets with the org's departments/statuses/priorities, notes,
 * interactions, goodwill and identifier-change requests with their logs,
 * tills with permissions, and OAuth clients.
 *
 * Conventions: instants are UTC text "YYYY-MM-DDTHH:MM:SSZ", dates
 * "YYYY-MM-DD"; points are REAL (the API allows three decimals); ids are
 * the API's 64-bit ids. points_summary and expiry_schedule are derived from
 * the ledger and must be updated in the same transaction as any ledger
 * write: the invariant is loyalty_points = sum(Main CREDIT) - sum(Main DEBIT).
 */
#include <stddef.h>

#include "sandbox/migrations.h"

/* Version 1. Each string is one statement (ISO C bounds literal length). */
static const char *const migration_1[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL);\n",
    "INSERT INTO schema_version (version) VALUES (0);\n",
    "CREATE TABLE org_config (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n",
    "CREATE TABLE stores (\n"
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n"
    "  city TEXT NOT NULL);\n",
    "CREATE TABLE tills (\n"
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n"
    "  password_md5 TEXT NOT NULL CHECK (length(password_md5) = 32),\n"
    "  store_id INTEGER NOT NULL REFERENCES stores(id));\n",
    "CREATE TABLE till_permissions (\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  permission TEXT NOT NULL CHECK (permission IN ('CanMakeRequest', 'CanCheckRequest')),\n"
    "  PRIMARY KEY (till_id, permission));\n",
    "CREATE TABLE oauth_clients (\n"
    "  key TEXT PRIMARY KEY, secret TEXT NOT NULL,\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id));\n",
    "CREATE TABLE tiers (\n"
    "  id INTEGER PRIMARY KEY, serial INTEGER NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,\n"
    "  description TEXT NOT NULL, min_lifetime_points REAL NOT NULL);\n",
    "CREATE TABLE customers (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  first_name TEXT NOT NULL, last_name TEXT NOT NULL,\n"
    "  source TEXT NOT NULL DEFAULT 'INSTORE',\n"
    "  loyalty_type TEXT NOT NULL DEFAULT 'loyalty' CHECK (loyalty_type IN ('loyalty', 'non_loyalty')),\n"
    "  status_label TEXT NOT NULL DEFAULT 'Active',\n"
    "  fraud_status TEXT NOT NULL DEFAULT 'NOT_FRAUD',\n"
    "  gender TEXT, city TEXT,\n"
    "  tier_id INTEGER NOT NULL REFERENCES tiers(id),\n"
    "  tier_expiry TEXT,\n"
    "  loyalty_id INTEGER NOT NULL,\n"
    "  lifetime_purchases REAL NOT NULL DEFAULT 0,\n"
    "  created_on TEXT NOT NULL, updated_on TEXT NOT NULL,\n"
    "  created_till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  registered_store_id INTEGER NOT NULL REFERENCES stores(id));\n",
    "CREATE TABLE identifiers (\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  type TEXT NOT NULL CHECK (type IN ('mobile', 'email', 'externalId', 'cardnumber')),\n"
    "  value TEXT NOT NULL COLLATE NOCASE,\n"
    "  PRIMARY KEY (type, value));\n",
    "CREATE INDEX identifiers_customer ON identifiers (customer_id);\n",
    "CREATE INDEX identifiers_value ON identifiers (value);\n",
    "CREATE TABLE points_summary (\n"
    "  customer_id INTEGER PRIMARY KEY REFERENCES customers(id),\n"
    "  loyalty_points REAL NOT NULL, lifetime_points REAL NOT NULL,\n"
    "  redeemed REAL NOT NULL, expired REAL NOT NULL, returned REAL NOT NULL,\n"
    "  adjusted REAL NOT NULL, delayed_points REAL NOT NULL);\n",
    "CREATE TABLE transactions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  bill_number TEXT NOT NULL UNIQUE,\n"
    "  type TEXT NOT NULL DEFAULT 'REGULAR' CHECK (type IN ('REGULAR', 'RETURN', 'NOT_INTERESTED')),\n"
    "  billing_time TEXT NOT NULL,\n"
    "  amount REAL NOT NULL, gross_amount REAL NOT NULL, discount REAL NOT NULL,\n"
    "  store_id INTEGER NOT NULL REFERENCES stores(id),\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  points_earned REAL NOT NULL DEFAULT 0,\n"
    "  notes TEXT NOT NULL DEFAULT '',\n"
    "  outlier_status TEXT NOT NULL DEFAULT 'NORMAL');\n",
    "CREATE INDEX transactions_customer ON transactions (customer_id, billing_time);\n",
    "CREATE TABLE transaction_lines (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  transaction_id INTEGER NOT NULL REFERENCES transactions(id),\n"
    "  serial INTEGER NOT NULL, item_code TEXT NOT NULL, description TEXT NOT NULL,\n"
    "  qty REAL NOT NULL, rate REAL NOT NULL, value REAL NOT NULL,\n"
    "  discount REAL NOT NULL, amount REAL NOT NULL);\n",
    "CREATE INDEX transaction_lines_txn ON transaction_lines (transaction_id);\n",
    "CREATE TABLE ledger_events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  event_name TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'SUCCESS' CHECK (status IN ('SUCCESS', 'FAILED')),\n"
    "  created_on TEXT NOT NULL,\n"
    "  net_points REAL NOT NULL DEFAULT 0,\n"
    "  transaction_id INTEGER REFERENCES transactions(id),\n"
    "  bill_number TEXT,\n"
    "  store_id INTEGER REFERENCES stores(id),\n"
    "  till_id INTEGER REFERENCES tills(id),\n"
    "  reason TEXT,\n"
    "  unique_id TEXT NOT NULL);\n",
    "CREATE INDEX ledger_events_customer ON ledger_events (customer_id, created_on, id);\n",
    "CREATE TABLE ledger_entries (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  event_id INTEGER NOT NULL REFERENCES ledger_events(id),\n"
    "  entry_type TEXT NOT NULL CHECK (entry_type IN ('CREDIT', 'DEBIT')),\n"
    "  category TEXT NOT NULL DEFAULT 'Main'\n"
    "    CHECK (category IN ('Main', 'DelayedAccrualPointCategory', 'ExternalTriggerBasedPointCategory')),\n"
    "  points REAL NOT NULL CHECK (points >= 0),\n"
    "  expiry_date TEXT);\n",
    "CREATE INDEX ledger_entries_event ON ledger_entries (event_id);\n",
    "CREATE TABLE expiry_schedule (\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  expiry_date TEXT NOT NULL,\n"
    "  points_type TEXT NOT NULL,\n"
    "  points REAL NOT NULL,\n"
    "  PRIMARY KEY (customer_id, expiry_date, points_type));\n",
    "CREATE TABLE coupon_series (\n"
    "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, description TEXT NOT NULL,\n"
    "  discount_type TEXT NOT NULL CHECK (discount_type IN ('ABS', 'PERC')),\n"
    "  discount_value REAL NOT NULL, discount_upto REAL NOT NULL DEFAULT 0,\n"
    "  valid_till TEXT NOT NULL,\n"
    "  max_issue INTEGER NOT NULL DEFAULT -1,\n"
    "  issued_count INTEGER NOT NULL DEFAULT 0,\n"
    "  max_redeem INTEGER NOT NULL DEFAULT 1,\n"
    "  created_on TEXT NOT NULL);\n",
    "CREATE TABLE coupons (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
    "  series_id INTEGER NOT NULL REFERENCES coupon_series(id),\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'REDEEMED', 'EXPIRED', 'REVOKED')),\n"
    "  issued_on TEXT NOT NULL,\n"
    "  issued_store_id INTEGER NOT NULL REFERENCES stores(id),\n"
    "  issued_till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  valid_till TEXT NOT NULL,\n"
    "  redeemed_on TEXT,\n"
    "  redeemed_store_id INTEGER REFERENCES stores(id),\n"
    "  redeemed_till_id INTEGER REFERENCES tills(id),\n"
    "  redeemed_bill TEXT,\n"
    "  revoked_on TEXT,\n"
    "  revoked_till_id INTEGER REFERENCES tills(id));\n",
    "CREATE INDEX coupons_customer ON coupons (customer_id);\n",
    "CREATE TABLE ticket_departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n",
    "CREATE TABLE ticket_statuses (\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, is_open INTEGER NOT NULL);\n",
    "CREATE TABLE ticket_priorities (\n"
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, rank INTEGER NOT NULL);\n",
    "CREATE TABLE goodwill_reasons (code TEXT PRIMARY KEY, description TEXT NOT NULL);\n",
    "CREATE TABLE tickets (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  status TEXT NOT NULL REFERENCES ticket_statuses(name),\n"
    "  priority TEXT NOT NULL REFERENCES ticket_priorities(name),\n"
    "  department TEXT NOT NULL REFERENCES ticket_departments(name),\n"
    "  subject TEXT NOT NULL, message TEXT NOT NULL,\n"
    "  reported_from TEXT NOT NULL\n"
    "    CHECK (reported_from IN ('EMAIL', 'INTOUCH', 'CALLCENTER', 'CLIENT', 'MICROSITE', 'SOCIAL')),\n"
    "  type TEXT NOT NULL DEFAULT 'Customer',\n"
    "  created_on TEXT NOT NULL, updated_on TEXT NOT NULL,\n"
    "  created_till_id INTEGER NOT NULL REFERENCES tills(id));\n",
    "CREATE INDEX tickets_customer ON tickets (customer_id);\n",
    "CREATE TABLE ticket_custom_fields (\n"
    "  ticket_id INTEGER NOT NULL REFERENCES tickets(id),\n"
    "  name TEXT NOT NULL, value TEXT NOT NULL,\n"
    "  PRIMARY KEY (ticket_id, name));\n",
    "CREATE TABLE ticket_comments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  ticket_id INTEGER NOT NULL REFERENCES tickets(id),\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  text TEXT NOT NULL, new_status TEXT, created_on TEXT NOT NULL);\n",
    "CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id);\n",
    "CREATE TABLE notes (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 255),\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  created_on TEXT NOT NULL, updated_on TEXT NOT NULL);\n",
    "CREATE INDEX notes_customer ON notes (customer_id);\n",
    "CREATE TABLE interactions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  channel TEXT NOT NULL CHECK (channel IN ('SMS', 'EMAIL', 'PUSH')),\n"
    "  receiver TEXT NOT NULL, subject TEXT NOT NULL, message TEXT NOT NULL,\n"
    "  sent_on TEXT NOT NULL, delivered_on TEXT,\n"
    "  status TEXT NOT NULL CHECK (status IN ('DELIVERED', 'FAILED', 'SENT')),\n"
    "  campaign_id INTEGER NOT NULL DEFAULT -1);\n",
    "CREATE INDEX interactions_customer ON interactions (customer_id, sent_on);\n",
    "CREATE TABLE requests (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  reference_id TEXT UNIQUE,\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  type TEXT NOT NULL CHECK (type IN ('GOODWILL', 'CHANGE_IDENTIFIER')),\n"
    "  base_type TEXT NOT NULL\n"
    "    CHECK (base_type IN ('POINTS', 'COUPON', 'MOBILE', 'EMAIL', 'EXTERNAL_ID')),\n"
    "  points REAL,\n"
    "  series_id INTEGER REFERENCES coupon_series(id),\n"
    "  old_value TEXT, new_value TEXT,\n"
    "  reason TEXT, comments TEXT NOT NULL DEFAULT '',\n"
    "  status TEXT NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),\n"
    "  approved_value TEXT,\n"
    "  program_id INTEGER,\n"
    "  raised_by_till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  raised_on TEXT NOT NULL,\n"
    "  decided_by_till_id INTEGER REFERENCES tills(id),\n"
    "  decided_on TEXT,\n"
    "  updated_comments TEXT NOT NULL DEFAULT '');\n",
    "CREATE INDEX requests_status ON requests (status, raised_on);\n",
    "CREATE INDEX requests_customer ON requests (customer_id);\n",
    "CREATE TABLE request_logs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  request_id INTEGER NOT NULL REFERENCES requests(id),\n"
    "  action TEXT NOT NULL CHECK (action IN ('RAISED', 'APPROVED', 'REJECTED', 'COMMENTED')),\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  at TEXT NOT NULL,\n"
    "  comments TEXT NOT NULL DEFAULT '');\n",
    "CREATE INDEX request_logs_request ON request_logs (request_id);\n",
    NULL,
};

/* Coupon redemptions as rows of their own: a redemption has an id (the
 * reactivate API takes redemption ids), a bill amount, and can be reversed
 * without losing its history. Redemptions stored inline in coupons by
 * version 1 are carried over with ids from 880001, the reference's range. */
static const char *const migration_coupon_redemptions[] = {
    "CREATE TABLE coupon_redemptions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  coupon_id INTEGER NOT NULL REFERENCES coupons(id),\n"
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
    "  redeemed_on TEXT NOT NULL,\n"
    "  bill_number TEXT NOT NULL,\n"
    "  bill_amount REAL NOT NULL,\n"
    "  store_id INTEGER NOT NULL REFERENCES stores(id),\n"
    "  till_id INTEGER NOT NULL REFERENCES tills(id),\n"
    "  reversed_on TEXT,\n"
    "  reversed_till_id INTEGER REFERENCES tills(id));\n",
    "CREATE INDEX coupon_redemptions_coupon ON coupon_redemptions (coupon_id);\n",
    "INSERT INTO coupon_redemptions (id, coupon_id, customer_id, redeemed_on, bill_number,\n"
    "  bill_amount, store_id, till_id)\n"
    "  SELECT 880000 + row_number() OVER (ORDER BY c.id), c.id, c.customer_id, c.redeemed_on,\n"
    "    coalesce(c.redeemed_bill, ''), coalesce(t.amount, 0), c.redeemed_store_id,\n"
    "    c.redeemed_till_id\n"
    "  FROM coupons c LEFT JOIN transactions t ON t.bill_number = c.redeemed_bill\n"
    "  WHERE c.redeemed_on IS NOT NULL;\n",
    NULL,
};

/* The points ledger pages a member's successful events newest first and
 * counts them on every page (routes_ledger.c); failed events never touched
 * points and are not in the ledger. With status in the index both are a
 * walk of the index alone, even over 100,000 events. A bill's points
 * (returned, expiry) are found from its events by transaction id. */
static const char *const migration_ledger_index[] = {
    "CREATE INDEX ledger_events_status ON ledger_events\n"
    "  (customer_id, status, created_on, id);\n",
    "CREATE INDEX ledger_events_txn ON ledger_events (transaction_id);\n",
    NULL,
};

const char *const *const sb_migrations[] = {
    migration_1,
    migration_coupon_redemptions,
    migration_ledger_index,
};

const size_t sb_migration_count = sizeof sb_migrations / sizeof sb_migrations[0];
