/*
 * coupons_migration_test.c - a database from before coupon redemptions had
 * rows of their own (schema version 1, redemptions inline in coupons) is
 * brought up to date by store_migrate: every redeemed coupon gets one
 * coupon_redemptions row with its date, bill, store, till and the bill's
 * amount, numbered from 880001; unredeemed coupons get none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sandbox/migrations.h"
#include "sandbox/store.h"

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
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

static void version_1_redemptions_become_rows(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    for (const char *const *sql = sb_migrations[0]; *sql; sql++)
        exec(db, *sql);
    exec(db, "UPDATE schema_version SET version = 1");
    exec(db, "INSERT INTO stores VALUES (1, 'store01', 'Main', 'Bengaluru')");
    exec(db, "INSERT INTO tills VALUES (75000101, 'store01.pos1', 'POS', "
             "'fe01ce2a7fbac8fafaed7c982a04e229', 1)");
    exec(db, "INSERT INTO tiers VALUES (1, 1, 'Bronze', 'Bronze tier', 0)");
    exec(db, "INSERT INTO customers (id, first_name, last_name, tier_id, loyalty_id, created_on,"
             " updated_on, created_till_id, registered_store_id) VALUES (565000001, 'Asha', 'Rao',"
             " 1, 1, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 75000101, 1)");
    exec(db, "INSERT INTO transactions (id, customer_id, bill_number, billing_time, amount,"
             " gross_amount, discount, store_id, till_id) VALUES (180000005, 565000001,"
             " 'BILL-180000005', '2026-01-02T10:00:00Z', 1840, 1840, 0, 1, 75000101)");
    exec(db, "INSERT INTO coupon_series (id, code, description, discount_type, discount_value,"
             " valid_till, created_on) VALUES (1, 'WELCOME10', 'Welcome', 'PERC', 10,"
             " '2027-01-01T00:00:00Z', '2020-01-01T00:00:00Z')");
    exec(db, "INSERT INTO coupons (id, code, series_id, customer_id, status, issued_on,"
             " issued_store_id, issued_till_id, valid_till, redeemed_on, redeemed_store_id,"
             " redeemed_till_id, redeemed_bill) VALUES"
             " (10, 'AAAA0001', 1, 565000001, 'REDEEMED', '2026-01-01T00:00:00Z', 1, 75000101,"
             "  '2026-03-01T23:59:59Z', '2026-01-02T10:00:00Z', 1, 75000101, 'BILL-180000005'),"
             " (11, 'AAAA0002', 1, 565000001, 'ACTIVE', '2026-01-01T00:00:00Z', 1, 75000101,"
             "  '2026-03-01T23:59:59Z', NULL, NULL, NULL, NULL),"
             " (12, 'AAAA0003', 1, 565000001, 'REDEEMED', '2026-01-01T00:00:00Z', 1, 75000101,"
             "  '2026-03-01T23:59:59Z', '2026-01-05T09:00:00Z', 1, 75000101, NULL)");

    char err[256] = "";
    int v = store_migrate(db, err, sizeof err);
    if (v < 0)
        fail_msg("store_migrate: %s", err);
    assert_int_equal(v, (int)sb_migration_count);
    assert_int_equal(scalar(db, "SELECT count(*) FROM coupon_redemptions"), 2);
    assert_int_equal(scalar(db, "SELECT id FROM coupon_redemptions WHERE coupon_id = 10"), 880001);
    assert_int_equal(scalar(db, "SELECT id FROM coupon_redemptions WHERE coupon_id = 12"), 880002);
    assert_int_equal(scalar(db, "SELECT bill_amount FROM coupon_redemptions WHERE coupon_id = 10"), 1840);
    assert_int_equal(scalar(db, "SELECT bill_amount FROM coupon_redemptions WHERE coupon_id = 12"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM coupon_redemptions WHERE coupon_id = 12"
                                " AND bill_number = '' AND till_id = 75000101 AND store_id = 1"
                                " AND redeemed_on = '2026-01-05T09:00:00Z' AND reversed_on IS NULL"),
                     1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM coupon_redemptions WHERE coupon_id = 11"), 0);
    /* Migrating again is a no-op. */
    assert_int_equal(store_migrate(db, err, sizeof err), (int)sb_migration_count);
    assert_int_equal(scalar(db, "SELECT count(*) FROM coupon_redemptions"), 2);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_1_redemptions_become_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
