/*
 * sandbox_seed_test.c - the demo-data generator: the same seed gives the
 * same database row for row, another seed a different one, a member's data
 * does not depend on how many members are generated, and the ledger
 * invariants the console relies on hold for every member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/org.h"
#include "sandbox/sbtime.h"
#include "sandbox/seed.h"
#include "sandbox/store.h"

static time_t pinned_now(void)
{
    time_t t = 0;
    assert_int_equal(sbtime_parse_iso("2026-11-25T10:00:00Z", &t), 0);
    return t;
}

static sqlite3 *seeded(uint64_t seed, long customers)
{
    sqlite3 *db = NULL;
    char err[256] = "";
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_true(store_migrate(db, err, sizeof err) > 0);
    struct seed_opts o = {.seed = seed, .customers = customers, .now = pinned_now()};
    struct seed_stats st;
    if (seed_run(db, &o, &st, err, sizeof err) != 0)
        fail_msg("seed_run: %s", err);
    assert_int_equal(st.members, customers + 5);
    assert_true(store_is_seeded(db));
    return db;
}

static void fnv(uint64_t *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        *h ^= p[i];
        *h *= 0x100000001b3ULL;
    }
}

static void hash_query(sqlite3 *db, const char *sql, uint64_t *h)
{
    sqlite3_stmt *rows = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    fnv(h, sql, strlen(sql));
    while (sqlite3_step(rows) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(rows); c++) {
            int type = sqlite3_column_type(rows, c);
            fnv(h, &type, sizeof type);
            const void *blob = sqlite3_column_blob(rows, c);
            fnv(h, blob ? blob : "", (size_t)sqlite3_column_bytes(rows, c));
        }
    }
    sqlite3_finalize(rows);
}

/* FNV-1a over every row of every table, tables in name order, rows in
 * rowid order, with column types. */
static uint64_t dump_hash(sqlite3 *db)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
        hash_query(db, sql, &h);
    }
    sqlite3_finalize(tables);
    return h;
}

/* The rows that belong to one member. */
static uint64_t member_hash(sqlite3 *db, int64_t id)
{
    static const char *const queries[] = {
        "SELECT * FROM customers WHERE id = %lld",
        "SELECT * FROM identifiers WHERE customer_id = %lld ORDER BY type",
        "SELECT * FROM points_summary WHERE customer_id = %lld",
        "SELECT * FROM ledger_events WHERE customer_id = %lld ORDER BY id",
        "SELECT le.* FROM ledger_entries le JOIN ledger_events e ON e.id = le.event_id"
        " WHERE e.customer_id = %lld ORDER BY le.id",
        "SELECT * FROM transactions WHERE customer_id = %lld ORDER BY id",
        "SELECT * FROM expiry_schedule WHERE customer_id = %lld ORDER BY expiry_date, points_type",
        "SELECT * FROM coupons WHERE customer_id = %lld ORDER BY id",
    };
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, queries[i], (long long)id);
        hash_query(db, sql, &h);
    }
    return h;
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* One database shared by the tests that only read it: seeding is the slow part. */
static int setup(void **state)
{
    *state = seeded(7, 40);
    return 0;
}

static int teardown(void **state)
{
    sqlite3_close(*state);
    return 0;
}

static void same_seed_same_rows(void **state)
{
    sqlite3 *a = *state, *b = seeded(7, 40), *c = seeded(8, 40);
    uint64_t ha = dump_hash(a), hb = dump_hash(b), hc = dump_hash(c);
    assert_true(ha == hb);
    assert_true(ha != hc);
    /* The fixed members' identity does not move with the seed... */
    assert_int_equal(scalar(c, "SELECT loyalty_points FROM points_summary WHERE customer_id = 565000001"),
                     12450);
    /* ...but their history does. */
    assert_true(member_hash(a, SB_ID_ASHA) == member_hash(b, SB_ID_ASHA));
    assert_true(member_hash(a, SB_ID_ASHA) != member_hash(c, SB_ID_ASHA));
    sqlite3_close(b);
    sqlite3_close(c);
}

static void member_independent_of_count(void **state)
{
    sqlite3 *large = *state, *small = seeded(7, 12);
    int64_t k7 = SB_ID_GENERATED + 7;
    assert_true(scalar(small, "SELECT count(*) FROM ledger_events WHERE customer_id = 565100007") > 0);
    assert_true(member_hash(small, k7) == member_hash(large, k7));
    assert_true(member_hash(small, k7) != member_hash(small, k7 + 1));
    sqlite3_close(small);
}

static void ledger_invariants(void **state)
{
    sqlite3 *db = *state;
    /* current points = sum(Main CREDIT) - sum(Main DEBIT), for everyone */
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM points_summary p WHERE p.loyalty_points !="
                   " (SELECT coalesce(sum(CASE le.entry_type WHEN 'CREDIT' THEN le.points"
                   "  ELSE -le.points END), 0) FROM ledger_entries le"
                   "  JOIN ledger_events e ON e.id = le.event_id"
                   "  WHERE e.customer_id = p.customer_id AND le.category = 'Main')"),
        0);
    /* the expiry schedule holds exactly the current points */
    assert_int_equal(scalar(db, "SELECT count(*) FROM points_summary p WHERE p.loyalty_points !="
                                " (SELECT coalesce(sum(x.points), 0) FROM expiry_schedule x"
                                "  WHERE x.customer_id = p.customer_id)"),
                     0);
    /* the summary adds up */
    assert_int_equal(scalar(db, "SELECT count(*) FROM points_summary WHERE abs(loyalty_points -"
                                " (lifetime_points - redeemed - expired - returned + adjusted))"
                                " > 0.0001"),
                     0);
    /* promised points are exactly the delayed-category credits */
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM points_summary p WHERE p.delayed_points !="
                   " (SELECT coalesce(sum(le.points), 0) FROM ledger_entries le"
                   "  JOIN ledger_events e ON e.id = le.event_id WHERE e.customer_id = p.customer_id"
                   "  AND le.category = 'DelayedAccrualPointCategory')"),
        0);
    /* every event's net points match its entries */
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM ledger_events e WHERE e.net_points !="
                   " (SELECT coalesce(sum(CASE entry_type WHEN 'CREDIT' THEN points"
                   "  ELSE -points END), 0) FROM ledger_entries WHERE event_id = e.id)"),
        0);
    /* replayed in time order, no Main balance ever goes below zero */
    assert_int_equal(
        scalar(db, "SELECT count(*) FROM (SELECT sum(CASE le.entry_type WHEN 'CREDIT'"
                   " THEN le.points ELSE -le.points END) OVER (PARTITION BY e.customer_id"
                   " ORDER BY e.created_on, e.id ROWS UNBOUNDED PRECEDING) AS balance"
                   " FROM ledger_entries le JOIN ledger_events e ON e.id = le.event_id"
                   " WHERE le.category = 'Main') WHERE balance < 0"),
        0);
    /* and nothing happens after "now" */
    assert_int_equal(scalar(db, "SELECT count(*) FROM ledger_events WHERE created_on > '2026-11-25T10:00:00Z'"),
                     0);
}

static void fixed_members(void **state)
{
    sqlite3 *db = *state;
    assert_int_equal(scalar(db, "SELECT count(*) FROM customers WHERE id IN"
                                " (565000001, 565000002, 565000003, 565000004, 565000100)"),
                     5);
    /* Asha: Gold, 12,450 points, ~300 events, coupons in every state, 3 tickets (1 open) */
    assert_int_equal(scalar(db, "SELECT t.name = 'Gold' FROM customers c JOIN tiers t"
                                " ON t.id = c.tier_id WHERE c.id = 565000001"),
                     1);
    assert_int_equal(scalar(db, "SELECT loyalty_points FROM points_summary WHERE customer_id = 565000001"),
                     12450);
    int64_t asha_events = scalar(db, "SELECT count(*) FROM ledger_events WHERE customer_id = 565000001");
    assert_in_range(asha_events, 250, 350);
    assert_int_equal(scalar(db, "SELECT count(DISTINCT status) FROM coupons WHERE customer_id = 565000001"), 4);
    assert_int_equal(scalar(db, "SELECT count(*) FROM tickets WHERE customer_id = 565000001"), 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM tickets t JOIN ticket_statuses s ON s.name = t.status"
                                " WHERE t.customer_id = 565000001 AND s.is_open"),
                     1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM notes WHERE customer_id = 565000001"), 2);
    assert_true(scalar(db, "SELECT count(*) FROM interactions WHERE customer_id = 565000001"
                           " AND channel = 'SMS' AND status = 'DELIVERED'") > 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM interactions WHERE customer_id = 565000001"
                                " AND status = 'FAILED'"),
                     1);
    /* Ravi: Silver, one pending goodwill points request */
    assert_int_equal(scalar(db, "SELECT t.name = 'Silver' FROM customers c JOIN tiers t"
                                " ON t.id = c.tier_id WHERE c.id = 565000002"),
                     1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM requests WHERE customer_id = 565000002 AND"
                                " status = 'PENDING' AND type = 'GOODWILL' AND base_type = 'POINTS'"),
                     1);
    /* Neha: enrolled today, nothing else */
    assert_int_equal(scalar(db, "SELECT substr(created_on, 1, 10) = '2026-11-25' FROM customers"
                                " WHERE id = 565000003"),
                     1);
    assert_int_equal(scalar(db, "SELECT (SELECT count(*) FROM ledger_events WHERE customer_id = 565000003)"
                                " + (SELECT count(*) FROM transactions WHERE customer_id = 565000003)"
                                " + (SELECT count(*) FROM coupons WHERE customer_id = 565000003)"
                                " + (SELECT count(*) FROM requests WHERE customer_id = 565000003)"),
                     0);
    /* Zoë: names kept byte for byte */
    assert_int_equal(scalar(db, "SELECT first_name = 'Zoë' AND last_name = 'Ångström 山田'"
                                " FROM customers WHERE id = 565000004"),
                     1);
    /* Meera: over 100,000 ledger entries across ten years */
    assert_true(scalar(db, "SELECT count(*) FROM ledger_entries le JOIN ledger_events e"
                           " ON e.id = le.event_id WHERE e.customer_id = 565000100") > 100000);
    assert_true(scalar(db, "SELECT julianday('2026-11-25') - julianday(min(created_on))"
                           " FROM ledger_events WHERE customer_id = 565000100") >= 3650);
    /* 40 pending goodwill requests over generated members, Ravi's on top */
    assert_int_equal(scalar(db, "SELECT count(*) FROM requests WHERE status = 'PENDING'"
                                " AND type = 'GOODWILL' AND customer_id >= 565100000"),
                     40);
    /* identifiers are unique per type and every member has all four */
    assert_int_equal(scalar(db, "SELECT count(*) FROM customers c WHERE"
                                " (SELECT count(*) FROM identifiers i WHERE i.customer_id = c.id) != 4"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM identifiers WHERE type = 'mobile'"
                                " AND value NOT GLOB '9198[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM identifiers WHERE type = 'externalId'"
                                " AND customer_id >= 565100000 AND value NOT GLOB 'MC-1[0-9][0-9][0-9][0-9][0-9]'"),
                     0);
    /* the seeded tills and their permissions */
    assert_int_equal(scalar(db, "SELECT count(*) FROM till_permissions p JOIN tills t ON t.id = p.till_id"
                                " WHERE t.code = 'demo.supervisor'"),
                     2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM till_permissions p JOIN tills t ON t.id = p.till_id"
                                " WHERE t.code = 'demo.viewer'"),
                     0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM tills WHERE password_md5 = '" SB_DEMO_MD5 "'"
                                " AND code IN ('demo.agent', 'demo.supervisor', 'demo.viewer')"),
                     3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_rows),
        cmocka_unit_test(member_independent_of_count),
        cmocka_unit_test(ledger_invariants),
        cmocka_unit_test(fixed_members),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
