/*
 * coupon_db.c - loading coupons and series, and the business rules that
 * decide whether a coupon can still be redeemed (see coupon_db.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sandbox/coupon_db.h"
#include "sandbox/http.h"
#include "sandbox/member.h"
#include "sandbox/store.h"

#define COUPON_COLUMNS                                                                        \
    "SELECT c.id, c.code, c.customer_id, c.status, c.issued_on, c.valid_till,"               \
    " coalesce(c.revoked_on, ''), c.issued_till_id, c.issued_store_id, st.code, st.name,"    \
    " (SELECT count(*) FROM coupon_redemptions r WHERE r.coupon_id = c.id"                   \
    "  AND r.reversed_on IS NULL),"                                                          \
    " s.id, s.code, s.description, s.discount_type, s.discount_value, s.discount_upto,"      \
    " s.valid_till, s.max_issue, s.issued_count, s.max_redeem, s.created_on"                 \
    " FROM coupons c JOIN coupon_series s ON s.id = c.series_id"                             \
    " JOIN stores st ON st.id = c.issued_store_id"

static void text(sqlite3_stmt *st, int col, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void series_from(sqlite3_stmt *st, int col, struct coupon_series_row *s)
{
    s->id = sqlite3_column_int64(st, col);
    text(st, col + 1, s->code, sizeof s->code);
    text(st, col + 2, s->description, sizeof s->description);
    text(st, col + 3, s->discount_type, sizeof s->discount_type);
    s->value = sqlite3_column_double(st, col + 4);
    s->upto = sqlite3_column_double(st, col + 5);
    text(st, col + 6, s->valid_till, sizeof s->valid_till);
    s->max_issue = sqlite3_column_int64(st, col + 7);
    s->issued = sqlite3_column_int64(st, col + 8);
    s->max_redeem = sqlite3_column_int64(st, col + 9);
    text(st, col + 10, s->created_on, sizeof s->created_on);
    s->redeemed = -1;
}

static enum coupon_db_result load(sqlite3_stmt *st, struct coupon_row *c)
{
    memset(c, 0, sizeof *c);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        c->id = sqlite3_column_int64(st, 0);
        text(st, 1, c->code, sizeof c->code);
        c->customer_id = sqlite3_column_int64(st, 2);
        text(st, 3, c->status, sizeof c->status);
        text(st, 4, c->issued_on, sizeof c->issued_on);
        text(st, 5, c->valid_till, sizeof c->valid_till);
        text(st, 6, c->revoked_on, sizeof c->revoked_on);
        c->issued_till_id = sqlite3_column_int64(st, 7);
        c->issued_store_id = sqlite3_column_int64(st, 8);
        text(st, 9, c->store_code, sizeof c->store_code);
        text(st, 10, c->store_name, sizeof c->store_name);
        c->used = sqlite3_column_int64(st, 11);
        series_from(st, 12, &c->series);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? COUPON_DB_OK : rc == SQLITE_DONE ? COUPON_DB_NOT_FOUND : COUPON_DB_ERROR;
}

enum coupon_db_result coupon_by_code(struct store_conn *db, const char *code, struct coupon_row *c)
{
    sqlite3_stmt *st = store_stmt(db, COUPON_COLUMNS " WHERE c.code = ?");
    if (!st)
        return COUPON_DB_ERROR;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    return load(st, c);
}

enum coupon_db_result coupon_by_id(struct store_conn *db, int64_t id, struct coupon_row *c)
{
    sqlite3_stmt *st = store_stmt(db, COUPON_COLUMNS " WHERE c.id = ?");
    if (!st)
        return COUPON_DB_ERROR;
    sqlite3_bind_int64(st, 1, id);
    return load(st, c);
}

enum coupon_db_result coupon_series_by_id(struct store_conn *db, int64_t id,
                                          struct coupon_series_row *s)
{
    sqlite3_stmt *st = store_stmt(db,
                                  "SELECT id, code, description, discount_type, discount_value,"
                                  " discount_upto, valid_till, max_issue, issued_count, max_redeem,"
                                  " created_on FROM coupon_series WHERE id = ?");
    if (!st)
        return COUPON_DB_ERROR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    memset(s, 0, sizeof *s);
    if (rc == SQLITE_ROW)
        series_from(st, 0, s);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? COUPON_DB_OK : rc == SQLITE_DONE ? COUPON_DB_NOT_FOUND : COUPON_DB_ERROR;
}

int64_t coupon_redemptions_left(const struct coupon_row *c)
{
    if (c->series.max_redeem < 0)
        return -1;
    int64_t left = c->series.max_redeem - c->used;
    return left > 0 ? left : 0;
}

bool coupon_time_past(const char *iso, time_t now)
{
    time_t t;
    return sbtime_parse_iso(iso, &t) != 0 || t < now;
}

enum coupon_state coupon_state(const struct coupon_row *c, time_t now)
{
    if (strcmp(c->status, "REVOKED") == 0)
        return COUPON_REVOKED;
    if (c->used > 0 && coupon_redemptions_left(c) == 0)
        return COUPON_REDEEMED;
    if (strcmp(c->status, "EXPIRED") == 0 || coupon_time_past(c->valid_till, now))
        return COUPON_EXPIRED;
    return COUPON_ACTIVE;
}

const char *coupon_state_word(enum coupon_state s)
{
    switch (s) {
    case COUPON_REDEEMED: return "REDEEMED";
    case COUPON_EXPIRED: return "EXPIRED";
    case COUPON_REVOKED: return "REVOKED";
    case COUPON_ACTIVE: break;
    }
    return "ACTIVE";
}

long coupon_refusal(const struct coupon_row *c, int64_t customer, time_t now, const char **message)
{
    if (customer && c->customer_id != customer) {
        *message = "Coupon not issued to this customer";
        return 703;
    }
    switch (coupon_state(c, now)) {
    case COUPON_REVOKED:
        *message = "Coupon code has been revoked";
        return 660;
    case COUPON_REDEEMED:
        *message = "Coupon already redeemed";
        return 711;
    case COUPON_EXPIRED:
        *message = "Coupon expired";
        return 713;
    case COUPON_ACTIVE:
        break;
    }
    if (coupon_time_past(c->series.valid_till, now)) {
        *message = "Series or campaign expired";
        return 712;
    }
    *message = "Coupon processing successful";
    return 0;
}

bool coupon_code_case(const char *code, const char *mode, char *out, size_t n)
{
    int how = 0; /* 0 upper, 1 lower, 2 as it is */
    if (mode && *mode) {
        if (strcasecmp(mode, "LOWER") == 0)
            how = 1;
        else if (strcasecmp(mode, "AS_IT_IS") == 0)
            how = 2;
        else if (strcasecmp(mode, "UPPER") != 0)
            return false;
    }
    snprintf(out, n, "%s", code);
    for (char *p = out; *p && how != 2; p++)
        *p = (char)(how ? tolower((unsigned char)*p) : toupper((unsigned char)*p));
    return true;
}

static bool given_str(const char *s)
{
    return s && *s;
}

enum coupon_db_result coupon_customer(struct store_conn *db, const char *id, const char *mobile,
                                      const char *email, const char *external, bool *given,
                                      int64_t *out)
{
    enum member_status s;
    *given = true;
    if (given_str(id)) {
        if (sb_parse_i64(id, 1, INT64_MAX, out))
            return COUPON_DB_NOT_FOUND;
        s = member_exists(db, *out);
    } else if (given_str(mobile)) {
        s = member_find(db, "mobile", mobile, out);
    } else if (given_str(email)) {
        s = member_find(db, "email", email, out);
    } else if (given_str(external)) {
        s = member_find(db, "externalId", external, out);
    } else {
        *given = false;
        return COUPON_DB_NOT_FOUND;
    }
    return s == MEMBER_OK ? COUPON_DB_OK : s == MEMBER_NOT_FOUND ? COUPON_DB_NOT_FOUND
                                                                 : COUPON_DB_ERROR;
}

long coupon_arg_values(const struct sb_req *req, const char *key, char *buf, size_t buflen,
                       const char **out, size_t max)
{
    size_t used = 0;
    long n = 0;
    for (size_t i = 0; i < req->n_args; i++) {
        const struct sb_kv *kv = &req->args[i];
        if (strcmp(kv->key, key) != 0 || !kv->value)
            continue;
        size_t len = strlen(kv->value);
        if (used + len + 1 > buflen)
            return -1;
        char *copy = buf + used;
        memcpy(copy, kv->value, len + 1);
        used += len + 1;
        for (char *tok = copy; tok;) {
            char *comma = strchr(tok, ',');
            if (comma)
                *comma = '\0';
            while (*tok == ' ')
                tok++;
            size_t tl = strlen(tok);
            while (tl > 0 && tok[tl - 1] == ' ')
                tok[--tl] = '\0';
            if (*tok) {
                if ((size_t)n < max)
                    out[n] = tok;
                n++;
            }
            tok = comma ? comma + 1 : NULL;
        }
    }
    return n;
}
