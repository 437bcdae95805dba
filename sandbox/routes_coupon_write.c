/*
 * routes_coupon_write.c - coupon writes (part 2 §1.7, §1.9, §1.13-§1.15):
 *   POST /v2/coupon/issue        {seriesId, customer{id|mobile|email|externalId}}
 *   POST /v2/coupon/redeem       {billAmount, transactionNumber, user{...},
 *                                 redemptionRequestList[{code}|{id}]} (<= 100)
 *   POST /v2/coupon/bulk/redeem  the same, at most 50 codes
 *   POST /v2/coupon/revoke       {couponSeriesId?, customer? | couponCodes?}
 *   POST|PATCH /v2/coupon/reactivate {redemptionIds[]}: the method is
 *                                 unconfirmed (§1.14), so both are served
 *   GET  /v1.1/coupon/resend     mobile|email|external_id + id|code
 *
 * Every write runs its checks and its changes in one BEGIN IMMEDIATE
 * transaction, so two tills redeeming the same coupon at once cannot both
 * succeed. Business rules, with §1.17 codes:
 *   issue   701 unknown member, 721 no member given, 746 no series id,
 *           707 unknown series, 712 series ended, 722 the series' issue
 *           limit (max_issue) reached. The coupon is valid 90 days, never
 *           past the series' end. Issue takes no client reference (the API
 *           has none), so a retry after a lost answer issues again: the
 *           console checks the member's coupons before retrying.
 *   redeem  all or nothing: 702 unknown code, 703 another member's coupon,
 *           660 revoked, 711 no redemptions left (a coupon redeems
 *           max_redeem times; reactivation gives one back), 713 expired,
 *           712 series ended, 716 the same code twice, 718 no bill number,
 *           733 bad bill amount, 749 for the others when one fails, 629
 *           too many codes. The stored redemption time is the sandbox's now.
 *   revoke  per code inside a success envelope (failedCount,
 *           failedToRevoke[{errorCode, errorMessage, couponCodes}]): 404
 *           unknown code, 682 not this member's / not this series', 405
 *           redeemed, 660 already revoked. Request errors: 756 neither codes
 *           nor customer, 746 series id missing with several codes or by
 *           customer, 707 unknown series, 712 series ended, 629 more than 50
 *           codes or more than 100 unredeemed coupons by customer.
 *   reactivate  661 no ids, 510 an id that is unknown or already reversed
 *           (all or nothing); the coupon becomes usable again.
 *   resend  item-level (HTTP 200, status 500 when it failed): 701 unknown
 *           member, 702 unknown coupon, 703 another member's, 704 a coupon
 *           that is not active. A resend records an SMS in interactions.
 * v2 request and business errors answer HTTP 400 with errors[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/coupon_db.h"
#include "sandbox/coupon_json.h"
#include "sandbox/customer_v2.h"
#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

#define REDEEM_MAX 100
#define BULK_REDEEM_MAX 50
#define REVOKE_CODES_MAX 50
#define REVOKE_BY_CUSTOMER_MAX 100
#define REACTIVATE_MAX 100
#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/* Body and JSON helpers */

static json_t *body_object(struct sb_req *req, struct sb_resp *resp)
{
    json_t *b = req->body && req->body_len ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
    if (b && json_is_object(b))
        return b;
    json_decref(b);
    sb_reply_v2_error(resp, 400, 629, "Invalid input: the body must be a JSON object");
    return NULL;
}

static bool jint(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    return json_is_string(v) && sb_parse_i64(json_string_value(v), INT64_MIN, INT64_MAX, out) == 0;
}

/* A string member, or a number's text in buf; NULL when absent. */
static const char *jtext(const json_t *obj, const char *key, char *buf, size_t n)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return NULL;
}

/* The member of a {id|mobile|email|externalId} object; answers the error. */
static bool body_customer(struct sb_req *req, struct sb_resp *resp, const json_t *who, int64_t *id)
{
    char b1[32], b2[32], b3[32], b4[32];
    bool given = false;
    enum coupon_db_result r = COUPON_DB_NOT_FOUND;
    if (json_is_object(who))
        r = coupon_customer(req->db, jtext(who, "id", b1, sizeof b1),
                            jtext(who, "mobile", b2, sizeof b2), jtext(who, "email", b3, sizeof b3),
                            jtext(who, "externalId", b4, sizeof b4), &given, id);
    if (r == COUPON_DB_OK)
        return true;
    if (r == COUPON_DB_ERROR)
        sb_reply_db_error(resp, req->db);
    else if (!given)
        sb_reply_v2_error(resp, 400, 721, "Invalid customer: give id, mobile, email or externalId");
    else
        sb_reply_v2_error(resp, 400, 701, "Customer not found for the given identifier");
    return false;
}

static json_t *customer_block(struct store_conn *db, int64_t id)
{
    struct member m;
    json_t *profiles = json_array();
    if (member_load(db, id, &m) == MEMBER_OK) {
        json_array_append_new(profiles,
                              json_pack("{s:o,s:o,s:{},s:{},s:o,s:[],s:I,s:s,s:o}", "firstName",
                                        sb_jstr(m.first), "lastName", sb_jstr(m.last), "fields",
                                        "allFields", "identifiers", customer_v2_identifiers(&m),
                                        "commChannels", "userId", (json_int_t)m.id, "accountId", "",
                                        "identifiersAll", customer_v2_identifiers(&m)));
        member_free(&m);
    }
    return json_pack("{s:I,s:o}", "id", (json_int_t)id, "profiles", profiles);
}

static bool begin(struct store_conn *db)
{
    return sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
}

static bool commit(struct store_conn *db)
{
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return true;
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

static void rollback(struct store_conn *db)
{
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

static int64_t next_id(struct store_conn *db, const char *sql)
{
    sqlite3_stmt *st = store_stmt(db, sql);
    if (!st)
        return -1;
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return id;
}

/* Issue */

/* An 8-character code from the coupon id; salt varies it after a clash. */
static void make_code(int64_t id, unsigned salt, char out[9])
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ULL + (uint64_t)salt * 0xD1B54A32D192ED03ULL;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    for (int i = 0; i < 8; i++, x >>= 5)
        out[i] = CODE_ALPHABET[x & 31];
    out[8] = '\0';
}

static void issue(struct sb_req *req, struct sb_resp *resp)
{
    json_t *body = body_object(req, resp);
    if (!body)
        return;
    int64_t series_id, customer;
    const json_t *sid = json_object_get(body, "seriesId");
    if (!sid || json_is_null(sid)) {
        sb_reply_v2_error(resp, 400, 746, "Series id missing");
        goto out;
    }
    if (!jint(sid, &series_id) || series_id <= 0) {
        sb_reply_v2_error(resp, 400, 707, "Coupon series id invalid");
        goto out;
    }
    if (!body_customer(req, resp, json_object_get(body, "customer"), &customer))
        goto out;
    if (!begin(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    struct coupon_series_row s;
    enum coupon_db_result r = coupon_series_by_id(req->db, series_id, &s);
    if (r != COUPON_DB_OK) {
        rollback(req->db);
        if (r == COUPON_DB_NOT_FOUND)
            sb_reply_v2_error(resp, 400, 707, "Coupon series id invalid");
        else
            sb_reply_db_error(resp, req->db);
        goto out;
    }
    if (coupon_time_past(s.valid_till, req->now)) {
        rollback(req->db);
        sb_reply_v2_error(resp, 400, 712, "Series or campaign expired");
        goto out;
    }
    if (s.max_issue >= 0 && s.issued >= s.max_issue) {
        rollback(req->db);
        char msg[200];
        snprintf(msg, sizeof msg, "Unable to issue coupon: series %s has issued all %lld coupons",
                 s.code, (long long)s.max_issue);
        sb_reply_v2_error(resp, 400, 722, msg);
        goto out;
    }
    int64_t id = next_id(req->db, "SELECT coalesce(max(id), 4100000) + 1 FROM coupons");
    char code[9], issued[SBTIME_ISO_LEN], valid[SBTIME_ISO_LEN];
    sbtime_iso(req->now, issued);
    coupon_valid_till_for(&s, req->now, valid);
    sqlite3_stmt *ins = store_stmt(req->db,
                                   "INSERT INTO coupons (id, code, series_id, customer_id, status,"
                                   " issued_on, issued_store_id, issued_till_id, valid_till)"
                                   " VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?)");
    sqlite3_stmt *upd = store_stmt(req->db, "UPDATE coupon_series SET issued_count ="
                                            " issued_count + 1 WHERE id = ?");
    bool ok = id > 0 && ins && upd;
    int rc = SQLITE_CONSTRAINT;
    for (unsigned salt = 0; ok && rc == SQLITE_CONSTRAINT && salt < 8; salt++) {
        make_code(id, salt, code);
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_text(ins, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 3, series_id);
        sqlite3_bind_int64(ins, 4, customer);
        sqlite3_bind_text(ins, 5, issued, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 6, req->till->store_id);
        sqlite3_bind_int64(ins, 7, req->till->id);
        sqlite3_bind_text(ins, 8, valid, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    if (ok) {
        sqlite3_bind_int64(upd, 1, series_id);
        ok = rc == SQLITE_DONE && step_done(upd);
    }
    if (!ok || !commit(req->db)) {
        if (!ok)
            rollback(req->db);
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:s,s:I,s:o,s:o,s:s,s:o,s:f,s:f,s:s,s:o,s:o,s:i,s:i,s:[]}", "code",
                            code, "seriesId", (json_int_t)series_id, "description",
                            sb_jstr(s.description), "discountCode", sb_jstr(s.code), "validTill",
                            valid, "discountType", sb_jstr(s.discount_type), "discountValue",
                            s.value, "discountUpto", s.upto, "discountOn", "BILL", "detailedInfo",
                            sb_jstr(s.description), "customer", customer_block(req->db, customer),
                            "redemptionCount", 0, "id", 0, "warnings"));
out:
    json_decref(body);
}

/* Redeem */

struct redeem_item {
    const char *label;     /* the code or id as sent */
    struct coupon_row c;
    long code;             /* 0 = fine */
    const char *message;
};

static json_t *redeem_failure(struct redeem_item *items, size_t n, size_t bad)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        long code = i == bad ? items[i].code : 749;
        const char *msg = i == bad ? items[i].message
                                   : "Failed because another coupon in the batch failed";
        char appended[200];
        snprintf(appended, sizeof appended, "%ld: %s", code, msg);
        json_array_append_new(list, json_pack("{s:s,s:s,s:[{s:b,s:I,s:s}]}", "code",
                                              items[i].label, "appendedErrorMessage", appended,
                                              "warnings", "status", 0, "code", (json_int_t)code,
                                              "message", msg));
    }
    return json_pack("{s:o,s:{s:b,s:I,s:s},s:[{s:b,s:I,s:s}],s:[]}", "redemption", list,
                     "redemptionStatus", "status", 0, "code", (json_int_t)items[bad].code,
                     "message", items[bad].message, "errors", "status", 0, "code",
                     (json_int_t)items[bad].code, "message", items[bad].message, "warnings");
}

static bool redeem_one(struct sb_req *req, struct redeem_item *it, const char *bill, double amount,
                       int64_t *redemption_id)
{
    char now[SBTIME_ISO_LEN];
    sbtime_iso(req->now, now);
    int64_t rid = next_id(req->db, "SELECT coalesce(max(id), 880000) + 1 FROM coupon_redemptions");
    sqlite3_stmt *ins = store_stmt(req->db,
                                   "INSERT INTO coupon_redemptions (id, coupon_id, customer_id,"
                                   " redeemed_on, bill_number, bill_amount, store_id, till_id)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *upd = store_stmt(req->db,
                                   "UPDATE coupons SET redeemed_on = ?, redeemed_store_id = ?,"
                                   " redeemed_till_id = ?, redeemed_bill = ?, status = ? WHERE id = ?");
    if (rid <= 0 || !ins || !upd)
        return false;
    sqlite3_bind_int64(ins, 1, rid);
    sqlite3_bind_int64(ins, 2, it->c.id);
    sqlite3_bind_int64(ins, 3, it->c.customer_id);
    sqlite3_bind_text(ins, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 5, bill, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(ins, 6, amount);
    sqlite3_bind_int64(ins, 7, req->till->store_id);
    sqlite3_bind_int64(ins, 8, req->till->id);
    if (!step_done(ins))
        return false;
    it->c.used++;
    sqlite3_bind_text(upd, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(upd, 2, req->till->store_id);
    sqlite3_bind_int64(upd, 3, req->till->id);
    sqlite3_bind_text(upd, 4, bill, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(upd, 5, coupon_state_word(coupon_state(&it->c, req->now)), -1, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 6, it->c.id);
    *redemption_id = rid;
    return step_done(upd);
}

static void redeem_with_limit(struct sb_req *req, struct sb_resp *resp, size_t limit)
{
    json_t *body = body_object(req, resp);
    if (!body)
        return;
    struct redeem_item *items = NULL;
    json_t *done = NULL;
    int64_t customer;
    const json_t *list = json_object_get(body, "redemptionRequestList");
    if (!body_customer(req, resp, json_object_get(body, "user"), &customer))
        goto out;
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (n == 0) {
        sb_reply_v2_error(resp, 400, 781, "Coupon id or code missing");
        goto out;
    }
    if (n > limit) {
        char msg[96];
        snprintf(msg, sizeof msg, "Invalid input: at most %zu coupons per call", limit);
        sb_reply_v2_error(resp, 400, 629, msg);
        goto out;
    }
    const json_t *txn = json_object_get(body, "transactionNumber");
    const char *bill = json_is_string(txn) ? json_string_value(txn) : "";
    if (!*bill || strlen(bill) > 64) {
        sb_reply_v2_error(resp, 400, 718, "Transaction number required to redeem");
        goto out;
    }
    char ab[32];
    const char *amount_text = jtext(body, "billAmount", ab, sizeof ab);
    const json_t *amount_json = json_object_get(body, "billAmount");
    double amount = json_is_real(amount_json) ? json_real_value(amount_json)
                    : amount_text                ? strtod(amount_text, NULL)
                                                 : 0;
    if (!(amount > 0 && amount < 1e12)) {
        sb_reply_v2_error(resp, 400, 733, "Invalid transaction amount");
        goto out;
    }
    items = calloc(n, sizeof *items);
    if (!items || !begin(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    size_t bad = n;
    for (size_t i = 0; i < n && bad == n; i++) {
        struct redeem_item *it = &items[i];
        const json_t *e = json_array_get(list, i);
        const json_t *cv = json_object_get(e, "code");
        int64_t cid;
        enum coupon_db_result r = COUPON_DB_NOT_FOUND;
        it->label = "";
        if (json_is_string(cv) && json_string_length(cv) > 0) {
            it->label = json_string_value(cv);
            r = coupon_by_code(req->db, it->label, &it->c);
        } else if (jint(json_object_get(e, "id"), &cid)) {
            r = coupon_by_id(req->db, cid, &it->c);
        }
        if (r == COUPON_DB_ERROR) {
            rollback(req->db);
            sb_reply_db_error(resp, req->db);
            goto out;
        }
        if (r == COUPON_DB_NOT_FOUND) {
            it->code = 702;
            it->message = "Coupon code invalid";
        } else {
            if (!*it->label)
                it->label = it->c.code;
            it->code = coupon_refusal(&it->c, customer, req->now, &it->message);
            for (size_t k = 0; k < i && !it->code; k++) {
                if (items[k].c.id == it->c.id) {
                    it->code = 716;
                    it->message = "Same coupon cannot be redeemed multiple times";
                }
            }
        }
        if (it->code)
            bad = i;
    }
    if (bad < n) {
        rollback(req->db);
        sb_reply_json(resp, 400, redeem_failure(items, n, bad));
        goto out;
    }
    done = json_array();
    for (size_t i = 0; i < n; i++) {
        int64_t rid = 0;
        if (!redeem_one(req, &items[i], bill, amount, &rid)) {
            rollback(req->db);
            sb_reply_db_error(resp, req->db);
            goto out;
        }
        const struct coupon_series_row *s = &items[i].c.series;
        json_array_append_new(
            done, json_pack("{s:I,s:b,s:i,s:[],s:s,s:s,s:o,s:I,s:b,s:f}", "id", (json_int_t)rid,
                            "currencyInput", 0, "localToBaseCurrencyExchangeRate", 0, "warnings",
                            "appendedErrorMessage", "", "code", items[i].c.code, "discountCode",
                            sb_jstr(s->code), "seriesCode", (json_int_t)s->id, "isAbsolute",
                            strcmp(s->discount_type, "ABS") == 0, "couponValue", s->value));
    }
    if (!commit(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:o,s:{s:b,s:i,s:s},s:o,s:[]}", "redemption", done,
                            "redemptionStatus", "status", 1, "code", 700, "message",
                            "Coupon processing successful", "customer",
                            customer_block(req->db, customer), "warnings"));
    done = NULL;
out:
    json_decref(done);
    free(items);
    json_decref(body);
}

static void redeem(struct sb_req *req, struct sb_resp *resp)
{
    redeem_with_limit(req, resp, REDEEM_MAX);
}

static void bulk_redeem(struct sb_req *req, struct sb_resp *resp)
{
    redeem_with_limit(req, resp, BULK_REDEEM_MAX);
}

/* Revoke */

static void add_failure(json_t *failed, long code, const char *message, const char *coupon)
{
    size_t i;
    json_t *g;
    json_array_foreach(failed, i, g) {
        if (json_integer_value(json_object_get(g, "errorCode")) == code) {
            json_array_append_new(json_object_get(g, "couponCodes"), sb_jstr(coupon));
            return;
        }
    }
    json_array_append_new(failed, json_pack("{s:I,s:s,s:[o]}", "errorCode", (json_int_t)code,
                                            "errorMessage", message, "couponCodes",
                                            sb_jstr(coupon)));
}

static bool revoke_row(struct sb_req *req, const struct coupon_row *c, json_t *revoked)
{
    char now[SBTIME_ISO_LEN];
    sbtime_iso(req->now, now);
    sqlite3_stmt *st = store_stmt(req->db, "UPDATE coupons SET status = 'REVOKED', revoked_on = ?,"
                                           " revoked_till_id = ? WHERE id = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, req->till->id);
    sqlite3_bind_int64(st, 3, c->id);
    if (!step_done(st))
        return false;
    json_array_append_new(revoked, json_pack("{s:I,s:s,s:I}", "couponId", (json_int_t)c->id,
                                             "couponCode", c->code, "issuedToUserId",
                                             (json_int_t)c->customer_id));
    return true;
}

/* Revokes the coupons named in codes; false on a database error. */
static bool revoke_codes(struct sb_req *req, const json_t *codes, int64_t series, int64_t customer,
                         json_t *revoked, json_t *failed, size_t *total)
{
    size_t i;
    const json_t *v;
    json_array_foreach(codes, i, v) {
        const char *code = json_is_string(v) ? json_string_value(v) : "";
        struct coupon_row c;
        enum coupon_db_result r = *code ? coupon_by_code(req->db, code, &c) : COUPON_DB_NOT_FOUND;
        (*total)++;
        if (r == COUPON_DB_ERROR)
            return false;
        if (r == COUPON_DB_NOT_FOUND)
            add_failure(failed, 404, "Coupon code not found", code);
        else if ((customer && c.customer_id != customer) || (series && c.series.id != series))
            add_failure(failed, 682, "Coupon not found", code);
        else if (coupon_state(&c, req->now) == COUPON_REVOKED)
            add_failure(failed, 660, "Coupon code has been revoked", code);
        else if (c.used > 0)
            add_failure(failed, 405, "Coupon code already redeemed", code);
        else if (!revoke_row(req, &c, revoked))
            return false;
    }
    return true;
}

/* Revokes every unredeemed coupon of series held by customer. 1 ok, 0 too
 * many, -1 database error. */
static int revoke_by_customer(struct sb_req *req, int64_t series, int64_t customer, json_t *revoked,
                              size_t *total)
{
    sqlite3_stmt *st = store_stmt(req->db,
                                  "SELECT c.id FROM coupons c WHERE c.customer_id = ? AND"
                                  " c.series_id = ? AND c.status <> 'REVOKED' AND NOT EXISTS"
                                  " (SELECT 1 FROM coupon_redemptions r WHERE r.coupon_id = c.id"
                                  " AND r.reversed_on IS NULL) ORDER BY c.id");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, customer);
    sqlite3_bind_int64(st, 2, series);
    int64_t ids[REVOKE_BY_CUSTOMER_MAX + 1];
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n <= REVOKE_BY_CUSTOMER_MAX)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return -1;
    if (n > REVOKE_BY_CUSTOMER_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        struct coupon_row c;
        if (coupon_by_id(req->db, ids[i], &c) != COUPON_DB_OK || !revoke_row(req, &c, revoked))
            return -1;
        (*total)++;
    }
    return 1;
}

static void revoke(struct sb_req *req, struct sb_resp *resp)
{
    json_t *body = body_object(req, resp);
    if (!body)
        return;
    json_t *revoked = NULL, *failed = NULL;
    const json_t *codes = json_object_get(body, "couponCodes");
    const json_t *who = json_object_get(body, "customer");
    size_t n_codes = json_is_array(codes) ? json_array_size(codes) : 0;
    int64_t series = 0, customer = 0;
    const json_t *sid = json_object_get(body, "couponSeriesId");
    if (n_codes == 0 && !json_is_object(who)) {
        sb_reply_v2_error(resp, 400, 756, "Neither coupon codes nor customer given");
        goto out;
    }
    if (n_codes > REVOKE_CODES_MAX) {
        sb_reply_v2_error(resp, 400, 629, "Invalid input: at most 50 coupon codes per call");
        goto out;
    }
    if (sid && !json_is_null(sid) && (!jint(sid, &series) || series <= 0)) {
        sb_reply_v2_error(resp, 400, 707, "Coupon series id invalid");
        goto out;
    }
    if (!series && n_codes != 1) {
        sb_reply_v2_error(resp, 400, 746, "Series id missing: give couponSeriesId");
        goto out;
    }
    if (json_is_object(who) && !body_customer(req, resp, who, &customer))
        goto out;
    if (!begin(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    if (series) {
        struct coupon_series_row s;
        enum coupon_db_result r = coupon_series_by_id(req->db, series, &s);
        if (r != COUPON_DB_OK || coupon_time_past(s.valid_till, req->now)) {
            rollback(req->db);
            if (r == COUPON_DB_ERROR)
                sb_reply_db_error(resp, req->db);
            else if (r == COUPON_DB_NOT_FOUND)
                sb_reply_v2_error(resp, 400, 707, "Coupon series id invalid");
            else
                sb_reply_v2_error(resp, 400, 712, "Series or campaign expired");
            goto out;
        }
    }
    revoked = json_array();
    failed = json_array();
    size_t total = 0;
    int by = 1;
    bool ok = n_codes ? revoke_codes(req, codes, series, customer, revoked, failed, &total)
                      : (by = revoke_by_customer(req, series, customer, revoked, &total)) >= 0;
    if (!ok || by == 0) {
        rollback(req->db);
        if (by == 0)
            sb_reply_v2_error(resp, 400, 629,
                              "Invalid input: more than 100 unredeemed coupons in the series");
        else
            sb_reply_db_error(resp, req->db);
        goto out;
    }
    if (!commit(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    size_t n_failed = 0, i;
    json_t *g;
    json_array_foreach(failed, i, g)
        n_failed += json_array_size(json_object_get(g, "couponCodes"));
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:I,s:I,s:o,s:o},s:[],s:[],s:b}", "entity", "totalCount",
                            (json_int_t)total, "failedCount", (json_int_t)n_failed,
                            "revokedCoupons", revoked, "failedToRevoke", failed, "warnings",
                            "errors", "success", 1));
    revoked = failed = NULL;
out:
    json_decref(revoked);
    json_decref(failed);
    json_decref(body);
}

/* Reactivate */

/* Re-derives a coupon's stored status and last redemption after a reversal. */
static bool restore_coupon(struct sb_req *req, int64_t coupon)
{
    struct coupon_row c;
    if (coupon_by_id(req->db, coupon, &c) != COUPON_DB_OK)
        return false;
    sqlite3_stmt *st = store_stmt(
        req->db,
        "UPDATE coupons SET status = ?1,"
        " redeemed_on = (SELECT redeemed_on FROM coupon_redemptions WHERE coupon_id = ?2 AND"
        "  reversed_on IS NULL ORDER BY redeemed_on DESC, id DESC LIMIT 1),"
        " redeemed_store_id = (SELECT store_id FROM coupon_redemptions WHERE coupon_id = ?2 AND"
        "  reversed_on IS NULL ORDER BY redeemed_on DESC, id DESC LIMIT 1),"
        " redeemed_till_id = (SELECT till_id FROM coupon_redemptions WHERE coupon_id = ?2 AND"
        "  reversed_on IS NULL ORDER BY redeemed_on DESC, id DESC LIMIT 1),"
        " redeemed_bill = (SELECT bill_number FROM coupon_redemptions WHERE coupon_id = ?2 AND"
        "  reversed_on IS NULL ORDER BY redeemed_on DESC, id DESC LIMIT 1)"
        " WHERE id = ?2");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, coupon_state_word(coupon_state(&c, req->now)), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, coupon);
    return step_done(st);
}

static void reactivate(struct sb_req *req, struct sb_resp *resp)
{
    json_t *body = body_object(req, resp);
    if (!body)
        return;
    const json_t *list = json_object_get(body, "redemptionIds");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (n == 0) {
        sb_reply_v2_error(resp, 400, 661, "No Redemption id passed");
        goto out;
    }
    if (n > REACTIVATE_MAX) {
        sb_reply_v2_error(resp, 400, 629, "Invalid input: at most 100 redemption ids per call");
        goto out;
    }
    if (!begin(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    sqlite3_stmt *find = store_stmt(req->db, "SELECT coupon_id FROM coupon_redemptions"
                                             " WHERE id = ? AND reversed_on IS NULL");
    sqlite3_stmt *rev = store_stmt(req->db, "UPDATE coupon_redemptions SET reversed_on = ?,"
                                            " reversed_till_id = ? WHERE id = ?");
    char now[SBTIME_ISO_LEN];
    sbtime_iso(req->now, now);
    bool ok = find && rev, invalid = false;
    for (size_t i = 0; ok && !invalid && i < n; i++) {
        int64_t rid, coupon = 0;
        if (!jint(json_array_get(list, i), &rid)) {
            invalid = true;
            break;
        }
        sqlite3_bind_int64(find, 1, rid);
        int rc = sqlite3_step(find);
        if (rc == SQLITE_ROW)
            coupon = sqlite3_column_int64(find, 0);
        sqlite3_reset(find);
        if (rc == SQLITE_DONE) {
            invalid = true;
            break;
        }
        ok = rc == SQLITE_ROW;
        if (ok) {
            sqlite3_bind_text(rev, 1, now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(rev, 2, req->till->id);
            sqlite3_bind_int64(rev, 3, rid);
            ok = step_done(rev) && restore_coupon(req, coupon);
        }
    }
    if (!ok || invalid) {
        rollback(req->db);
        if (invalid)
            sb_reply_v2_error(resp, 400, 510, "Invalid Redemption ids present");
        else
            sb_reply_db_error(resp, req->db);
        goto out;
    }
    if (!commit(req->db)) {
        sb_reply_db_error(resp, req->db);
        goto out;
    }
    sb_reply_json(resp, 200, json_pack("{s:[],s:[],s:b}", "warnings", "errors", "success", 1));
out:
    json_decref(body);
}

/* Resend (v1.1) */

static void resend_reply(struct sb_resp *resp, bool ok, const char *id, const char *code,
                         long item_code, const char *message)
{
    char ic[16];
    snprintf(ic, sizeof ic, "%ld", item_code);
    json_t *status = ok ? sb_v11_status(true, 200, "SUCCESS")
                        : sb_v11_status(false, 500, "All requests have failed due to errors");
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:[{s:o,s:o,s:{s:s,s:s,s:s}}]}}}", "response", "status",
                            status, "coupons", "coupon", "id", sb_jstr(id), "code", sb_jstr(code),
                            "item_status", "success", ok ? "true" : "false", "code", ic,
                            "message", message));
}

static bool record_sms(struct sb_req *req, const struct coupon_row *c, const char *mobile)
{
    char now[SBTIME_ISO_LEN], text[320];
    sbtime_iso(req->now, now);
    snprintf(text, sizeof text, "Your coupon %s (%s) is valid till %.10s. Show this code at the bill counter.",
             c->code, c->series.description, c->valid_till);
    int64_t id = next_id(req->db, "SELECT coalesce(max(id), 1750000000000) + 1 FROM interactions");
    sqlite3_stmt *st = store_stmt(req->db,
                                  "INSERT INTO interactions (id, customer_id, channel, receiver,"
                                  " subject, message, sent_on, delivered_on, status, campaign_id)"
                                  " VALUES (?, ?, 'SMS', ?, 'Your coupon', ?, ?, NULL, 'SENT', -1)");
    if (id <= 0 || !st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, c->customer_id);
    sqlite3_bind_text(st, 3, mobile, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
    return step_done(st);
}

static void resend(struct sb_req *req, struct sb_resp *resp)
{
    const char *id = sb_arg(req, "id"), *code = sb_arg(req, "code");
    if ((!id || !*id) && (!code || !*code)) {
        sb_reply_json(resp, 400, json_pack("{s:{s:o}}", "response", "status",
                                           sb_v11_status(false, 781, "Coupon id or code missing")));
        return;
    }
    bool given;
    int64_t customer;
    enum coupon_db_result cr = coupon_customer(req->db, NULL, sb_arg(req, "mobile"),
                                               sb_arg(req, "email"), sb_arg(req, "external_id"),
                                               &given, &customer);
    if (cr == COUPON_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (!given) {
        sb_reply_json(resp, 400, json_pack("{s:{s:o}}", "response", "status",
                                           sb_v11_status(false, 721,
                                                         "Invalid customer: give mobile, email or external_id")));
        return;
    }
    if (cr == COUPON_DB_NOT_FOUND) {
        resend_reply(resp, false, id, code, 701, "Customer not found for the given identifier");
        return;
    }
    struct coupon_row c;
    int64_t cid;
    enum coupon_db_result r = code && *code ? coupon_by_code(req->db, code, &c)
                              : sb_parse_i64(id, 1, INT64_MAX, &cid) ? COUPON_DB_NOT_FOUND
                                                                     : coupon_by_id(req->db, cid, &c);
    if (r == COUPON_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (r == COUPON_DB_NOT_FOUND) {
        resend_reply(resp, false, id, code, 702, "Coupon code invalid");
        return;
    }
    char cid_text[24];
    snprintf(cid_text, sizeof cid_text, "%lld", (long long)c.id);
    if (c.customer_id != customer) {
        resend_reply(resp, false, cid_text, c.code, 703, "Coupon not issued to this customer");
        return;
    }
    enum coupon_state state = coupon_state(&c, req->now);
    if (state != COUPON_ACTIVE) {
        char msg[128];
        snprintf(msg, sizeof msg, "Could not send the coupon: it is %s, only active coupons are resent",
                 state == COUPON_REDEEMED ? "redeemed" : state == COUPON_EXPIRED ? "expired" : "revoked");
        resend_reply(resp, false, cid_text, c.code, 704, msg);
        return;
    }
    struct member m;
    if (member_load(req->db, customer, &m) != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    bool sent = m.mobile && record_sms(req, &c, m.mobile);
    bool no_mobile = !m.mobile;
    member_free(&m);
    if (no_mobile) {
        resend_reply(resp, false, cid_text, c.code, 724, "Could not send the message: no mobile number");
        return;
    }
    if (!sent) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    resend_reply(resp, true, cid_text, c.code, 700, "Coupon Resent");
}

const struct sb_route sb_routes_coupon_write[] = {
    {"POST", "/v2/coupon/issue", issue, 0},
    {"POST", "/v2/coupon/redeem", redeem, 0},
    {"POST", "/v2/coupon/bulk/redeem", bulk_redeem, 0},
    {"POST", "/v2/coupon/revoke", revoke, 0},
    {"POST", "/v2/coupon/reactivate", reactivate, 0},
    {"PATCH", "/v2/coupon/reactivate", reactivate, 0},
    {"GET", "/v1.1/coupon/resend", resend, 0},
};
SB_ROUTES_END(coupon_write);
