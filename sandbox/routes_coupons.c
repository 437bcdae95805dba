/*
 * routes_coupons.c - coupon reads (part 2 §1.2, §1.5, §1.6, §1.11, §1.16):
 *   GET /v2/customers/{id}/coupons   every coupon of the member, detailed
 *                                    dialect, newest first, no paging
 *   GET /v2/coupon                   couponIds / couponCodes / issuedToIds
 *                                    (repeatable or comma lists, at least one)
 *   GET /v1.1/coupon/get             id or code (comma lists), user_id=true
 *   GET /v2/coupon/is_redeemable     customer (id, mobile, email, externalId)
 *                                    + code (comma list), details=true
 *   GET /v2/coupon/series            ids (repeatable or comma list); without
 *                                    ids every series of the org (the v2 page
 *                                    documents only the batch form)
 *   GET /v1.1/coupon/series          id (optional, comma list); expired=
 *                                    true (ended series), false (running
 *                                    ones), extended (all, with settings)
 *
 * Errors: v2 request problems answer HTTP 400 with errors[] (1000 no filter,
 * 629 invalid input or too many codes, 781 code missing, 721 no customer
 * identifier, 707 no such series), 404 8015 / 701 for an unknown member.
 * Per-code outcomes stay inside a success: is_redeemable sets
 * isRedeemable:false with the §1.17 code in that item's warnings and
 * appendedErrorMessage; /v2/coupon lists unknown codes as warnings; v1.1
 * items carry item_status with the top-level status 200 / 201 / 500, sent
 * with HTTP 200 as the other v1.1 routes do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/coupon_db.h"
#include "sandbox/coupon_json.h"
#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

#define CODES_MAX 100
#define ARGBUF 8192

static json_t *v2_envelope(const char *key, json_t *payload, json_t *warnings)
{
    return json_pack("{s:o,s:o,s:[],s:b}", key, payload, "warnings",
                     warnings ? warnings : json_array(), "errors", "success", 1);
}

static json_t *warning(long code, const char *message)
{
    return json_pack("{s:b,s:I,s:s}", "status", 0, "code", (json_int_t)code, "message", message);
}

/* coupon_code_case: answers 400 itself when the value is not a case word. */
static bool code_case_arg(struct sb_req *req, struct sb_resp *resp, const char **mode)
{
    char probe[8];
    *mode = sb_arg(req, "coupon_code_case");
    if (coupon_code_case("A", *mode, probe, sizeof probe))
        return true;
    sb_reply_v2_error(resp, 400, 629, "Invalid coupon_code_case: expected LOWER, UPPER or AS_IT_IS");
    return false;
}

/* GET /v2/customers/{id}/coupons */

static void customer_coupons(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id;
    const char *mode;
    if (sb_parse_i64(req->params[0], 1, INT64_MAX, &id)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid customer id");
        return;
    }
    if (!code_case_arg(req, resp, &mode))
        return;
    enum member_status ms = member_exists(req->db, id);
    if (ms == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    sqlite3_stmt *st = store_stmt(req->db, "SELECT id FROM coupons WHERE customer_id = ?"
                                           " ORDER BY issued_on DESC, id DESC");
    if (ms != MEMBER_OK || !st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    size_t n = 0, cap = 16;
    int64_t *ids = malloc(cap * sizeof *ids);
    int rc = SQLITE_DONE;
    while (ids && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *bigger = realloc(ids, 2 * cap * sizeof *ids);
            if (!bigger)
                break;
            ids = bigger;
            cap *= 2;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    json_t *list = json_array();
    bool ok = ids && rc == SQLITE_DONE;
    for (size_t i = 0; ok && i < n; i++) {
        struct coupon_row c;
        json_t *o = NULL;
        ok = coupon_by_id(req->db, ids[i], &c) == COUPON_DB_OK &&
             (o = coupon_json_detailed(req->db, &c, req->now, mode)) != NULL;
        if (ok)
            json_array_append_new(list, o);
    }
    free(ids);
    if (!ok) {
        json_decref(list);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200, v2_envelope("entity", list, NULL));
}

/* GET /v2/coupon */

static bool seen(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void coupon_details(struct sb_req *req, struct sb_resp *resp)
{
    char bi[ARGBUF], bc[ARGBUF], bt[ARGBUF];
    const char *ids[CODES_MAX], *codes[CODES_MAX], *owners[CODES_MAX];
    const char *mode;
    long ni = coupon_arg_values(req, "couponIds", bi, sizeof bi, ids, CODES_MAX);
    long nc = coupon_arg_values(req, "couponCodes", bc, sizeof bc, codes, CODES_MAX);
    long nt = coupon_arg_values(req, "issuedToIds", bt, sizeof bt, owners, CODES_MAX);
    if (ni < 0 || nc < 0 || nt < 0 || ni > CODES_MAX || nc > CODES_MAX || nt > CODES_MAX) {
        sb_reply_v2_error(resp, 400, 629, "Invalid input: at most 100 ids, codes or customers");
        return;
    }
    if (ni + nc + nt == 0) {
        sb_reply_v2_error(resp, 400, 1000, "Filters not provided: couponIds, couponCodes or issuedToIds");
        return;
    }
    if (!code_case_arg(req, resp, &mode))
        return;
    json_t *data = json_array(), *warnings = json_array();
    int64_t done[3 * CODES_MAX];
    size_t n_done = 0;
    bool ok = true;
    for (long k = 0; ok && k < ni + nc; k++) {
        struct coupon_row c;
        enum coupon_db_result r;
        int64_t id = 0;
        const char *what = k < ni ? ids[k] : codes[k - ni];
        if (k < ni)
            r = sb_parse_i64(what, 1, INT64_MAX, &id) ? COUPON_DB_NOT_FOUND
                                                      : coupon_by_id(req->db, id, &c);
        else
            r = coupon_by_code(req->db, what, &c);
        if (r == COUPON_DB_ERROR) {
            ok = false;
        } else if (r == COUPON_DB_NOT_FOUND) {
            char msg[160];
            snprintf(msg, sizeof msg, "Coupon not found: %.100s", what);
            json_array_append_new(warnings, warning(780, msg));
        } else if (!seen(done, n_done, c.id) && n_done < sizeof done / sizeof done[0]) {
            done[n_done++] = c.id;
            json_array_append_new(data, coupon_json_basic(&c, mode));
        }
    }
    sqlite3_stmt *st = ok && nt ? store_stmt(req->db, "SELECT id FROM coupons WHERE customer_id = ?"
                                                      " ORDER BY issued_on DESC, id DESC LIMIT 100")
                                : NULL;
    if (ok && nt && !st)
        ok = false;
    for (long k = 0; ok && k < nt; k++) {
        int64_t owner;
        if (sb_parse_i64(owners[k], 1, INT64_MAX, &owner))
            continue;
        sqlite3_bind_int64(st, 1, owner);
        int64_t found[100];
        size_t nf = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && nf < 100)
            found[nf++] = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        for (size_t i = 0; ok && i < nf; i++) {
            struct coupon_row c;
            if (seen(done, n_done, found[i]) || n_done >= sizeof done / sizeof done[0])
                continue;
            ok = coupon_by_id(req->db, found[i], &c) == COUPON_DB_OK;
            if (ok) {
                done[n_done++] = c.id;
                json_array_append_new(data, coupon_json_basic(&c, mode));
            }
        }
    }
    if (!ok) {
        json_decref(data);
        json_decref(warnings);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200, json_pack("{s:o,s:o,s:[]}", "data", data, "warnings", warnings,
                                       "errors"));
}

/* v1.1 helpers */

static void v11_fail(struct sb_resp *resp, int http, long code, const char *message)
{
    sb_reply_json(resp, http,
                  json_pack("{s:{s:o}}", "response", "status", sb_v11_status(false, code, message)));
}

static json_t *v11_status_for(long ok, long total)
{
    long code = ok == total ? 200 : ok ? 201 : 500;
    const char *msg = ok == total ? "SUCCESS" : ok ? "Some requests have failed due to errors"
                                                   : "All requests have failed due to errors";
    return sb_v11_status(ok > 0 || total == 0, code, msg);
}

/* GET /v1.1/coupon/get */

static void v11_coupon_get(struct sb_req *req, struct sb_resp *resp)
{
    char bi[ARGBUF], bc[ARGBUF];
    const char *ids[CODES_MAX], *codes[CODES_MAX];
    long ni = coupon_arg_values(req, "id", bi, sizeof bi, ids, CODES_MAX);
    long nc = coupon_arg_values(req, "code", bc, sizeof bc, codes, CODES_MAX);
    if (ni < 0 || nc < 0 || ni + nc > CODES_MAX) {
        v11_fail(resp, 400, 629, "Invalid input: at most 100 ids or codes");
        return;
    }
    if (ni + nc == 0) {
        v11_fail(resp, 400, 781, "Coupon id or code missing");
        return;
    }
    bool user_id = sb_arg_true(req, "user_id");
    json_t *items = json_array();
    long ok = 0;
    for (long k = 0; k < ni + nc; k++) {
        struct coupon_row c;
        enum coupon_db_result r;
        int64_t id;
        const char *what = k < ni ? ids[k] : codes[k - ni];
        if (k < ni)
            r = sb_parse_i64(what, 1, INT64_MAX, &id) ? COUPON_DB_NOT_FOUND
                                                      : coupon_by_id(req->db, id, &c);
        else
            r = coupon_by_code(req->db, what, &c);
        json_t *item = r == COUPON_DB_OK ? coupon_json_v11(req->db, &c, user_id) : NULL;
        if (r == COUPON_DB_ERROR || (r == COUPON_DB_OK && !item)) {
            json_decref(items);
            sb_reply_db_error(resp, req->db);
            return;
        }
        if (item) {
            ok++;
            json_object_set_new(item, "item_status",
                                json_pack("{s:s,s:s,s:s}", "status", "true", "code", "700",
                                          "message", "Coupon processing successful"));
        } else {
            item = json_pack("{s:s,s:s,s:{s:s,s:s,s:s}}", k < ni ? "id" : "code", what,
                             k < ni ? "code" : "id", "", "item_status", "status", "false", "code",
                             "702", "message", "Coupon code invalid");
        }
        json_array_append_new(items, item);
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:o}}}", "response", "status", v11_status_for(ok, ni + nc),
                            "coupons", "coupon", items));
}

/* GET /v2/coupon/is_redeemable */

static void is_redeemable(struct sb_req *req, struct sb_resp *resp)
{
    bool given;
    int64_t customer;
    enum coupon_db_result cr =
        coupon_customer(req->db, sb_arg(req, "id"), sb_arg(req, "mobile"), sb_arg(req, "email"),
                        sb_arg(req, "externalId"), &given, &customer);
    if (cr == COUPON_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (!given) {
        sb_reply_v2_error(resp, 400, 721, "Invalid customer: give id, mobile, email or externalId");
        return;
    }
    if (cr == COUPON_DB_NOT_FOUND) {
        sb_reply_v2_error(resp, 400, 701, "Customer not found for the given identifier");
        return;
    }
    char bc[ARGBUF];
    const char *codes[CODES_MAX];
    long nc = coupon_arg_values(req, "code", bc, sizeof bc, codes, CODES_MAX);
    if (nc < 0 || nc > CODES_MAX) {
        sb_reply_v2_error(resp, 400, 629, "Invalid input: more than 100 coupon codes");
        return;
    }
    if (nc == 0) {
        sb_reply_v2_error(resp, 400, 781, "Coupon id or code missing");
        return;
    }
    const char *details = sb_arg(req, "details");
    bool more = details && (strcasecmp(details, "true") == 0 || strcasecmp(details, "extended") == 0);
    json_t *list = json_array();
    for (long k = 0; k < nc; k++) {
        struct coupon_row c;
        enum coupon_db_result r = coupon_by_code(req->db, codes[k], &c);
        if (r == COUPON_DB_ERROR) {
            json_decref(list);
            sb_reply_db_error(resp, req->db);
            return;
        }
        const char *msg = "Coupon code invalid";
        long code = r == COUPON_DB_NOT_FOUND ? 702 : coupon_refusal(&c, customer, req->now, &msg);
        char appended[200] = "";
        if (code)
            snprintf(appended, sizeof appended, "%ld: %s", code, msg);
        json_t *item = json_pack(
            "{s:s,s:s,s:b,s:b,s:I,s:I,s:o,s:b,s:i}", "appendedErrorMessage", appended, "code",
            r == COUPON_DB_OK ? c.code : codes[k], "isAbsolute",
            r == COUPON_DB_OK && strcmp(c.series.discount_type, "ABS") == 0, "isRedeemable",
            code == 0, "numberOfRedemptionsByUser", (json_int_t)(r == COUPON_DB_OK ? c.used : 0),
            "redemptionsLeft", (json_int_t)(r == COUPON_DB_OK ? coupon_redemptions_left(&c) : 0),
            "warnings", code ? json_pack("[o]", warning(code, msg)) : json_array(),
            "currencyInput", 0, "localToBaseCurrencyExchangeRate", 0);
        if (more && r == COUPON_DB_OK && code == 0) {
            json_object_set_new(item, "discountType", json_string(c.series.discount_type));
            json_object_set_new(item, "discountValue", json_real(c.series.value));
            json_object_set_new(item, "discountUpto", json_real(c.series.upto));
            json_object_set_new(item, "couponseries", coupon_json_series_v2(&c.series));
        }
        json_array_append_new(list, item);
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:I,s:[]},s:o,s:{s:I,s:s,s:b},s:[]}", "customer", "id",
                            (json_int_t)customer, "profiles", "redemption", list,
                            "redemptionStatus", "code", (json_int_t)700, "message",
                            "Coupon isRedeem successful", "status", 1, "warnings"));
}

/* Series */

#define SERIES_SQL                                                                           \
    "SELECT s.id, s.code, s.description, s.discount_type, s.discount_value, s.discount_upto," \
    " s.valid_till, s.max_issue, s.issued_count, s.max_redeem, s.created_on,"                 \
    " (SELECT count(*) FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id"        \
    "  WHERE c.series_id = s.id AND r.reversed_on IS NULL)"                                   \
    " FROM coupon_series s"

/* Appends series rows (all, or the one with id when id > 0) to out through
 * render; false on a database error. */
static bool each_series(struct sb_req *req, int64_t id, int expired_filter,
                        json_t *(*render)(const struct coupon_series_row *, bool), bool extended,
                        json_t *out, size_t *found)
{
    sqlite3_stmt *st = id > 0 ? store_stmt(req->db, SERIES_SQL " WHERE s.id = ?")
                              : store_stmt(req->db, SERIES_SQL " ORDER BY s.id");
    if (!st)
        return false;
    if (id > 0)
        sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct coupon_series_row s;
        memset(&s, 0, sizeof s);
        s.id = sqlite3_column_int64(st, 0);
#define T(col, field) snprintf(field, sizeof field, "%s", (const char *)sqlite3_column_text(st, col))
        T(1, s.code);
        T(2, s.description);
        T(3, s.discount_type);
        T(6, s.valid_till);
        T(10, s.created_on);
#undef T
        s.value = sqlite3_column_double(st, 4);
        s.upto = sqlite3_column_double(st, 5);
        s.max_issue = sqlite3_column_int64(st, 7);
        s.issued = sqlite3_column_int64(st, 8);
        s.max_redeem = sqlite3_column_int64(st, 9);
        s.redeemed = sqlite3_column_int64(st, 11);
        bool ended = coupon_time_past(s.valid_till, req->now);
        if ((expired_filter == 1 && !ended) || (expired_filter == 0 && ended))
            continue;
        json_array_append_new(out, render(&s, extended));
        (*found)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

static json_t *render_v2(const struct coupon_series_row *s, bool extended)
{
    (void)extended;
    return coupon_json_series_v2(s);
}

static void v2_series(struct sb_req *req, struct sb_resp *resp)
{
    char bi[ARGBUF];
    const char *ids[CODES_MAX];
    long n = coupon_arg_values(req, "ids", bi, sizeof bi, ids, CODES_MAX);
    if (n < 0 || n > CODES_MAX) {
        sb_reply_v2_error(resp, 400, 629, "Invalid input: at most 100 series ids");
        return;
    }
    json_t *list = json_array(), *warnings = json_array();
    size_t found = 0;
    bool ok = true;
    if (n == 0)
        ok = each_series(req, 0, -1, render_v2, false, list, &found);
    for (long k = 0; ok && k < n; k++) {
        int64_t id;
        size_t before = found;
        if (sb_parse_i64(ids[k], 1, INT64_MAX, &id) == 0)
            ok = each_series(req, id, -1, render_v2, false, list, &found);
        if (ok && found == before) {
            char msg[160];
            snprintf(msg, sizeof msg, "Coupon series id invalid: %.60s", ids[k]);
            json_array_append_new(warnings, warning(707, msg));
        }
    }
    if (!ok) {
        json_decref(list);
        json_decref(warnings);
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (n > 0 && found == 0) {
        json_decref(list);
        json_decref(warnings);
        sb_reply_v2_error(resp, 400, 707, "Coupon series id invalid");
        return;
    }
    sb_reply_json(resp, 200, v2_envelope("entity", list, warnings));
}

static void v11_series(struct sb_req *req, struct sb_resp *resp)
{
    const char *expired = sb_arg(req, "expired");
    int filter = -1;
    bool extended = false;
    if (expired && strcasecmp(expired, "true") == 0)
        filter = 1;
    else if (expired && strcasecmp(expired, "false") == 0)
        filter = 0;
    else if (expired && strcasecmp(expired, "extended") == 0)
        extended = true;
    else if (expired) {
        v11_fail(resp, 400, 629, "Invalid expired: expected true, false or extended");
        return;
    }
    char bi[ARGBUF];
    const char *ids[CODES_MAX];
    long n = coupon_arg_values(req, "id", bi, sizeof bi, ids, CODES_MAX);
    if (n < 0 || n > CODES_MAX) {
        v11_fail(resp, 400, 629, "Invalid input: at most 100 series ids");
        return;
    }
    json_t *items = json_array();
    size_t found = 0;
    long ok_items = 0, total = 0;
    bool ok = true;
    if (n == 0) {
        ok = each_series(req, 0, filter, coupon_json_series_v11, extended, items, &found);
        ok_items = total = (long)found;
    }
    for (long k = 0; ok && k < n; k++) {
        int64_t id = 0;
        size_t before = found;
        total++;
        if (sb_parse_i64(ids[k], 1, INT64_MAX, &id) == 0)
            ok = each_series(req, id, filter, coupon_json_series_v11, extended, items, &found);
        if (found > before)
            ok_items++;
        else
            json_array_append_new(
                items, json_pack("{s:s,s:{s:s,s:s,s:s}}", "id", ids[k], "item_status", "success",
                                 "false", "code", "707", "message", "Coupon series id invalid"));
    }
    if (!ok) {
        json_decref(items);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:{s:o}}}}", "response", "status",
                            v11_status_for(ok_items, total), "series", "items", "item", items));
}

const struct sb_route sb_routes_coupons[] = {
    {"GET", "/v2/customers/{id}/coupons", customer_coupons, 0},
    {"GET", "/v2/coupon", coupon_details, 0},
    {"GET", "/v1.1/coupon/get", v11_coupon_get, 0},
    {"GET", "/v2/coupon/is_redeemable", is_redeemable, 0},
    {"GET", "/v2/coupon/series", v2_series, 0},
    {"GET", "/v1.1/coupon/series", v11_series, 0},
};
SB_ROUTES_END(coupons);
