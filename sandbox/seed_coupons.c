/*
 * seed_coupons.c - the coupon data the coupons screen and its tests need
 * beyond what every member's history already holds:
 *   - series WELCOME20 (20% off up to Rs 1,000, unlimited, ends 36 days
 *     after "now": 31 Dec 2026 with the pinned test clock);
 *   - series LASTCALL (Rs 200 off) with one coupon left: generated members
 *     0..23 (as many as exist) hold one each and the limit is one more;
 *   - for Asha Rao a coupon redeemed yesterday that is still within its
 *     validity, so reactivating it makes it usable again;
 *   - one coupon_redemptions row per redeemed coupon (ids from 880001).
 * Everything is derived from (now, member index), never from a PRNG
 * stream, so a member's rows do not depend on how many members exist.
 * Codes here are 10 characters, the generated ones 8: they cannot clash.
 */
#include <stdio.h>
#include <string.h>

#include "sandbox/org.h"
#include "sandbox/sbtime.h"
#include "sandbox/seed_data.h"
#include "sandbox/seed_priv.h"

#define LASTCALL_HOLDERS 24
#define WELCOME20_DAYS 36
#define LASTCALL_DAYS 60
#define SORRY300_SERIES 6 /* seed_series_list[5] */
#define ASHA_VALID_DAYS 90

static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static time_t day_end(time_t t)
{
    return t - t % DAY + DAY - 1;
}

/* "LC" / "AR" + 8 characters mixed from k. */
static void code_for(const char *prefix, uint64_t k, char out[11])
{
    uint64_t x = (k + 1) * 0x9E3779B97F4A7C15ULL;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 29;
    out[0] = prefix[0];
    out[1] = prefix[1];
    for (int i = 2; i < 10; i++, x >>= 5)
        out[i] = alphabet[x & 31];
    out[10] = '\0';
}

static sqlite3_stmt *prepare(struct seeder *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (!s->failed && sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        seed_fail(s, sql);
        return NULL;
    }
    return st;
}

static void series(struct seeder *s, int64_t id, const char *code, const char *description,
                   const char *type, double value, double upto, time_t ends, int64_t max_issue)
{
    sqlite3_stmt *st = prepare(s, "INSERT INTO coupon_series (id, code, description, discount_type,"
                                  " discount_value, discount_upto, valid_till, max_issue, created_on)"
                                  " VALUES (?,?,?,?,?,?,?,?,?)");
    if (!st)
        return;
    char till[SBTIME_ISO_LEN], created[SBTIME_ISO_LEN];
    sbtime_iso(day_end(ends), till);
    sbtime_iso(s->now - 400 * DAY, created);
    seed_i64(st, 1, id);
    seed_text(st, 2, code);
    seed_text(st, 3, description);
    seed_text(st, 4, type);
    seed_real(st, 5, value);
    seed_real(st, 6, upto);
    seed_text(st, 7, till);
    seed_i64(st, 8, max_issue);
    seed_text(st, 9, created);
    seed_step(s, st, "coupon series");
    sqlite3_finalize(st);
}

struct extra_coupon {
    int64_t id, series, customer;
    const char *code;
    const char *status;
    time_t issued, valid;
    int store;
    time_t redeemed;      /* 0 = not redeemed */
    const char *bill;
};

static void coupon(struct seeder *s, sqlite3_stmt *st, const struct extra_coupon *c)
{
    char issued[SBTIME_ISO_LEN], valid[SBTIME_ISO_LEN], redeemed[SBTIME_ISO_LEN];
    sbtime_iso(c->issued, issued);
    sbtime_iso(day_end(c->valid), valid);
    seed_i64(st, 1, c->id);
    seed_text(st, 2, c->code);
    seed_i64(st, 3, c->series);
    seed_i64(st, 4, c->customer);
    seed_text(st, 5, c->status);
    seed_text(st, 6, issued);
    seed_i64(st, 7, c->store);
    seed_i64(st, 8, SB_TILL_POS + c->store);
    seed_text(st, 9, valid);
    for (int col = 10; col <= 15; col++)
        seed_null(st, col);
    if (c->redeemed) {
        sbtime_iso(c->redeemed, redeemed);
        seed_text(st, 10, redeemed);
        seed_i64(st, 11, c->store);
        seed_i64(st, 12, SB_TILL_POS + c->store);
        seed_text(st, 13, c->bill);
    }
    seed_step(s, st, "extra coupon");
    s->stats->coupons++;
}

void seed_coupons(struct seeder *s, long customers)
{
    time_t now = s->now;
    int64_t welcome20 = (int64_t)seed_series_list_count + 1, lastcall = welcome20 + 1;
    long holders = customers < LASTCALL_HOLDERS ? customers : LASTCALL_HOLDERS;
    series(s, welcome20, "WELCOME20", "Welcome 20% off", "PERC", 20, 1000,
           now + WELCOME20_DAYS * DAY, -1);
    series(s, lastcall, "LASTCALL", "Clearance Rs 200 off", "ABS", 200, 0,
           now + LASTCALL_DAYS * DAY, holders + 1);

    sqlite3_stmt *st = prepare(s, "INSERT INTO coupons (id, code, series_id, customer_id, status,"
                                  " issued_on, issued_store_id, issued_till_id, valid_till,"
                                  " redeemed_on, redeemed_store_id, redeemed_till_id, redeemed_bill,"
                                  " revoked_on, revoked_till_id)"
                                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return;
    for (long k = 0; k < holders && !s->failed; k++) {
        char code[11];
        code_for("LC", (uint64_t)k, code);
        time_t issued = now - (k + 1) * 2 * DAY - 13 * 3600;
        struct extra_coupon c = {
            .id = 4900001 + k, .series = lastcall, .customer = SB_ID_GENERATED + k, .code = code,
            .status = "ACTIVE", .issued = issued, .valid = now + LASTCALL_DAYS * DAY,
            .store = (int)(k % 8) + 1,
        };
        coupon(s, st, &c);
    }
    char asha_code[11];
    code_for("AR", 1, asha_code);
    struct extra_coupon asha = {
        .id = 4990001, .series = SORRY300_SERIES, .customer = SB_ID_ASHA, .code = asha_code,
        .status = "REDEEMED", .issued = now - 12 * DAY - 2 * 3600,
        .valid = now - 12 * DAY + ASHA_VALID_DAYS * DAY, .store = 1,
        .redeemed = now - DAY - 5 * 3600, .bill = "BILL-POS1-88120",
    };
    coupon(s, st, &asha);
    sqlite3_finalize(st);

    st = prepare(s, "INSERT INTO coupon_redemptions (id, coupon_id, customer_id, redeemed_on,"
                    " bill_number, bill_amount, store_id, till_id)"
                    " SELECT 880000 + row_number() OVER (ORDER BY c.id), c.id, c.customer_id,"
                    " c.redeemed_on, coalesce(c.redeemed_bill, ''), coalesce(t.amount, 1840),"
                    " c.redeemed_store_id, c.redeemed_till_id"
                    " FROM coupons c LEFT JOIN transactions t ON t.bill_number = c.redeemed_bill"
                    " WHERE c.redeemed_on IS NOT NULL");
    if (!st)
        return;
    seed_step(s, st, "coupon redemptions");
    sqlite3_finalize(st);
}
