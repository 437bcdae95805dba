/*
 * requests_effects.c - what approving a request does to the member, run
 * inside the approval's own transaction so the request's status and its
 * effect commit together or not at all:
 *   GOODWILL POINTS    an AllocateGoodwillPoints ledger event with one Main
 *                      CREDIT entry expiring in a year, the points summary
 *                      (loyalty points and adjusted) and the expiry schedule
 *                      (customer_promotions) raised by the same amount, as
 *                      the seeded goodwill is (seed_member.c);
 *   GOODWILL COUPON    an ACTIVE coupon from the series, valid as long as
 *                      the series, and the series' issued count;
 *   CHANGE_IDENTIFIER  the identifier replaced, refused when another member
 *                      already holds the new value.
 */
#include <stdio.h>
#include <string.h>

#include "sandbox/requests_store.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define DAY 86400L
#define GOODWILL_LIFE (365 * DAY)

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int rq_credit_points(struct store_conn *db, const struct rq_row *r, double points,
                     const struct sb_till *till, time_t now, int64_t *event_id)
{
    char iso[SBTIME_ISO_LEN], expiry[SBTIME_DATE_LEN], uid[16];
    sbtime_iso(now, iso);
    sbtime_date(now + GOODWILL_LIFE, expiry);
    snprintf(uid, sizeof uid, "GW%08lld", (long long)(r->id % 100000000));

    sqlite3_stmt *st = store_stmt(db, "UPDATE points_summary SET loyalty_points = loyalty_points + ?,"
                                      " adjusted = adjusted + ? WHERE customer_id = ?");
    if (!st)
        return -1;
    sqlite3_bind_double(st, 1, points);
    sqlite3_bind_double(st, 2, points);
    sqlite3_bind_int64(st, 3, r->customer_id);
    if (step_done(st))
        return -1;
    if (sqlite3_changes(db->db) != 1)
        return 9022; /* not in the loyalty program */

    st = store_stmt(db, "INSERT INTO ledger_events (customer_id, event_name, status, created_on,"
                        " net_points, store_id, till_id, reason, unique_id)"
                        " VALUES (?, 'AllocateGoodwillPoints', 'SUCCESS', ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->customer_id);
    sqlite3_bind_text(st, 2, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 3, points);
    sqlite3_bind_int64(st, 4, till->store_id);
    sqlite3_bind_int64(st, 5, till->id);
    sqlite3_bind_text(st, 6, r->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, uid, -1, SQLITE_TRANSIENT);
    if (step_done(st))
        return -1;
    *event_id = sqlite3_last_insert_rowid(db->db);

    st = store_stmt(db, "INSERT INTO ledger_entries (event_id, entry_type, category, points,"
                        " expiry_date) VALUES (?, 'CREDIT', 'Main', ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, *event_id);
    sqlite3_bind_double(st, 2, points);
    sqlite3_bind_text(st, 3, expiry, -1, SQLITE_TRANSIENT);
    if (step_done(st))
        return -1;

    st = store_stmt(db, "INSERT INTO expiry_schedule (customer_id, expiry_date, points_type, points)"
                        " VALUES (?, ?, 'customer_promotions', ?)"
                        " ON CONFLICT (customer_id, expiry_date, points_type)"
                        " DO UPDATE SET points = points + excluded.points");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->customer_id);
    sqlite3_bind_text(st, 2, expiry, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(st, 3, points);
    if (step_done(st))
        return -1;

    st = store_stmt(db, "UPDATE customers SET updated_on = ? WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, r->customer_id);
    return step_done(st);
}

/* The same scrambling as the seeded codes: distinct numbers, distinct codes. */
static void coupon_code(uint64_t seq, char out[16])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uint64_t v = (seq * 0x9E3779B97F4ULL + 0x5BD1E995ULL) & ((1ULL << 40) - 1);
    v = (v * 0xD6E8FEB86659FD93ULL + 0x2545F491ULL) & ((1ULL << 40) - 1);
    for (int i = 0; i < 8; i++) {
        out[i] = alphabet[v % 32];
        v /= 32;
    }
    out[8] = '\0';
}

int rq_issue_coupon(struct store_conn *db, const struct rq_row *r, int64_t series,
                    const struct sb_till *till, time_t now, int64_t *coupon_id, char code[16],
                    char *why, size_t whylen)
{
    int usable = rq_series_usable(db, series, now);
    if (usable < 0)
        return -1;
    if (!usable) {
        snprintf(why, whylen, "Coupon series %lld is unknown, expired or fully issued",
                 (long long)series);
        return 400;
    }
    sqlite3_stmt *st = store_stmt(db, "SELECT coalesce(max(id), 0) + 1 FROM coupons");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st)
            sqlite3_reset(st);
        return -1;
    }
    uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    st = store_stmt(db, "SELECT 1 FROM coupons WHERE code = ?");
    if (!st)
        return -1;
    for (int tries = 0;; tries++, seq++) {
        coupon_code(seq, code);
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW || tries > 64)
            return -1;
    }
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(now, iso);
    st = store_stmt(db, "INSERT INTO coupons (code, series_id, customer_id, status, issued_on,"
                        " issued_store_id, issued_till_id, valid_till)"
                        " SELECT ?, id, ?, 'ACTIVE', ?, ?, ?, valid_till FROM coupon_series WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, r->customer_id);
    sqlite3_bind_text(st, 3, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, till->store_id);
    sqlite3_bind_int64(st, 5, till->id);
    sqlite3_bind_int64(st, 6, series);
    if (step_done(st))
        return -1;
    *coupon_id = sqlite3_last_insert_rowid(db->db);
    st = store_stmt(db, "UPDATE coupon_series SET issued_count = issued_count + 1 WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, series);
    return step_done(st);
}

int rq_change_identifier(struct store_conn *db, const struct rq_row *r, time_t now, char *why,
                         size_t whylen)
{
    const char *type = rq_identifier_type(r->base_type);
    if (!type) {
        snprintf(why, whylen, "Change type %s is not supported", r->base_type);
        return 9040;
    }
    sqlite3_stmt *st = store_stmt(db, "SELECT customer_id FROM identifiers WHERE type = ? AND value = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->new_value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int64_t holder = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (holder && holder != r->customer_id) {
        snprintf(why, whylen, "New %s already exists", type);
        return strcmp(type, "email") == 0 ? 9002 : strcmp(type, "externalId") == 0 ? 9003 : 9005;
    }
    st = store_stmt(db, "DELETE FROM identifiers WHERE customer_id = ? AND type = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->customer_id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    if (step_done(st))
        return -1;
    st = store_stmt(db, "INSERT INTO identifiers (customer_id, type, value) VALUES (?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->customer_id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->new_value, -1, SQLITE_TRANSIENT);
    if (step_done(st))
        return -1;
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(now, iso);
    st = store_stmt(db, "UPDATE customers SET updated_on = ? WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, r->customer_id);
    return step_done(st);
}
