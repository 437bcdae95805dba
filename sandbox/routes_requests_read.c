/*
 * routes_requests_read.c - reading requests (part 2 §3.5, §3.6, §3.8):
 *   GET /v1.1/request/get                      filters, at most 50 a page
 *   GET /v1.1/request/logs                     type, base_type, start_date, end_date required
 *   GET /v2/customers/{id}/goodwillRequest     the member's goodwill, newest first
 *   GET /v1.1/request/goodwill_config          the org's goodwill reasons, series and cap
 * Any signed-in till may read; only the writes need maker/checker rights.
 *
 * request/get: start_date / end_date (YYYY-MM-DD, on the raised time, end
 * inclusive; 9016 when malformed), one customer identifier (user_id = the
 * customer id, mobile, email, external_id; 1012 when nobody holds it),
 * status, type, base_type, start_id, end_id, start_limit (record offset)
 * and limit (default and most 50). At least one filter is required (400).
 * Emulator additions (UNCONFIRMED in the reference): `added_by` (the
 * raising till's code, from the older request/logs revision) filters too,
 * and rows come oldest first, the order a queue is worked in. count and
 * rows are strings; goodwill and change_identifier are arrays, or a bare
 * object when they hold exactly one item (as older samples show).
 *
 * request/logs additionally honours the older revision's request_id,
 * customer_id and added_by; limit defaults to 50 (at most 100), offset to 0.
 *
 * goodwill_config is not in the reference (UNCONFIRMED): Member Care keeps
 * the org's goodwill reasons and goodwill-enabled series in its settings and
 * the reference documents no lookup for them. Shape:
 *   {"response":{"status":{..},"goodwill_config":{"reasons":{"reason":[{code,
 *    description}]},"coupon_series":{"series":[{id,code,description,
 *    discount_type,discount_value,valid_till}]},"points_upper_cap":"5000",
 *    "program_id":"1414"}}}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/requests_store.h"
#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define GET_MAX 50
#define LOGS_MAX 100
#define MAX_PARAMS 16

/* A WHERE clause made of fixed fragments with one '?' each, and the values. */
struct where {
    char sql[1024];
    size_t n;
    struct {
        bool is_int;
        int64_t i;
        char t[256];
    } p[MAX_PARAMS];
    bool any;          /* a filter was given */
};

static void w_int(struct where *w, const char *frag, int64_t v)
{
    if (w->n >= MAX_PARAMS)
        return;
    size_t len = strlen(w->sql);
    snprintf(w->sql + len, sizeof w->sql - len, " AND %s", frag);
    w->p[w->n].is_int = true;
    w->p[w->n++].i = v;
    w->any = true;
}

static void w_text(struct where *w, const char *frag, const char *v)
{
    if (w->n >= MAX_PARAMS)
        return;
    size_t len = strlen(w->sql);
    snprintf(w->sql + len, sizeof w->sql - len, " AND %s", frag);
    w->p[w->n].is_int = false;
    snprintf(w->p[w->n++].t, sizeof w->p[0].t, "%s", v);
    w->any = true;
}

static void w_bind(const struct where *w, sqlite3_stmt *st)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->p[i].is_int)
            sqlite3_bind_int64(st, (int)i + 1, w->p[i].i);
        else
            sqlite3_bind_text(st, (int)i + 1, w->p[i].t, -1, SQLITE_TRANSIENT);
    }
}

/* Adds the date filters; false (reply written) when one is malformed. */
static bool dates(struct sb_req *req, struct sb_resp *resp, struct where *w)
{
    const char *keys[] = {"start_date", "end_date"};
    for (int k = 0; k < 2; k++) {
        const char *v = sb_arg(req, keys[k]);
        if (!v)
            continue;
        time_t t;
        if (sbtime_parse_date(v, &t)) {
            rq_v11_error(resp, 400, 9016, "Date format must be yyyy-MM-dd");
            return false;
        }
        char iso[SBTIME_ISO_LEN];
        sbtime_iso(k ? t + 86400 : t, iso);
        w_text(w, k ? "r.raised_on < ?" : "r.raised_on >= ?", iso);
    }
    return true;
}

/* Adds a customer filter from the first identifier argument given. */
static bool customer(struct sb_req *req, struct sb_resp *resp, struct where *w, const char *id_key)
{
    static const struct {
        const char *key, *type;
    } keys[] = {{"mobile", "mobile"}, {"email", "email"}, {"external_id", "externalId"}};
    int64_t id = 0;
    enum member_status s = MEMBER_NOT_FOUND;
    const char *v = sb_arg(req, id_key);
    if (v && *v) {
        s = sb_parse_i64(v, 1, INT64_MAX, &id) ? MEMBER_NOT_FOUND : member_exists(req->db, id);
    } else {
        v = NULL;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !v; k++) {
            v = sb_arg(req, keys[k].key);
            if (v && !*v)
                v = NULL;
            if (v)
                s = member_find(req->db, keys[k].type, v, &id);
        }
        if (!v)
            return true;
    }
    if (s == MEMBER_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return false;
    }
    if (s == MEMBER_NOT_FOUND) {
        rq_v11_error(resp, 200, 1012, "Customer not found for the given identifier");
        return false;
    }
    w_int(w, "r.customer_id = ?", id);
    return true;
}

static const char *type_value(const char *v)
{
    if (strcasecmp(v, "GOODWILL") == 0)
        return "GOODWILL";
    if (strcasecmp(v, "CHANGE_IDENTIFIER") == 0)
        return "CHANGE_IDENTIFIER";
    if (strcasecmp(v, "TRANSACTION_UPDATE") == 0)
        return "TRANSACTION_UPDATE";
    return NULL;
}

static const char *base_value(const char *v)
{
    static const char *const bases[] = {"POINTS", "COUPON", "MOBILE", "EMAIL", "EXTERNAL_ID",
                                        "ADDRESS", "MERGE", "MOBILE_REALLOC", "TIER", "RETRO"};
    if (strcasecmp(v, "COUPONS") == 0)
        return "COUPON";
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (strcasecmp(v, bases[i]) == 0)
            return bases[i];
    return NULL;
}

/* status / type / base_type / id range / added_by; false when a value is bad. */
static bool common(struct sb_req *req, struct sb_resp *resp, struct where *w)
{
    const char *v = sb_arg(req, "status");
    if (v) {
        static const char *const st[] = {"PENDING", "APPROVED", "REJECTED", "CUSTOM"};
        size_t i = 0;
        while (i < 4 && strcasecmp(v, st[i]) != 0)
            i++;
        if (i == 4) {
            rq_v11_error(resp, 400, 400, "Invalid status: expected PENDING, APPROVED, REJECTED or CUSTOM");
            return false;
        }
        w_text(w, "r.status = ?", st[i]);
    }
    if ((v = sb_arg(req, "type")) != NULL) {
        const char *t = type_value(v);
        if (!t) {
            rq_v11_error(resp, 400, 9006, "Invalid request type");
            return false;
        }
        w_text(w, "r.type = ?", t);
    }
    if ((v = sb_arg(req, "base_type")) != NULL) {
        const char *b = base_value(v);
        if (!b) {
            rq_v11_error(resp, 400, 9008, "Invalid base type");
            return false;
        }
        w_text(w, "r.base_type = ?", b);
    }
    const char *ids[][2] = {{"start_id", "r.id >= ?"}, {"end_id", "r.id <= ?"}, {"request_id", "r.id = ?"}};
    for (int k = 0; k < 3; k++) {
        int64_t id;
        if ((v = sb_arg(req, ids[k][0])) == NULL)
            continue;
        if (sb_parse_i64(v, 0, INT64_MAX, &id)) {
            rq_v11_error(resp, 400, 400, "Invalid request id filter");
            return false;
        }
        w_int(w, ids[k][1], id);
    }
    if ((v = sb_arg(req, "added_by")) != NULL && *v)
        w_text(w, "ta.code = ?", v);
    return true;
}

/* Runs the filtered count and page; fills items (json array) and total. */
static bool query(struct store_conn *db, const struct where *w, int64_t limit, int64_t offset,
                  json_t *goodwill, json_t *changes, bool with_logs, int64_t *total)
{
    char count_sql[1400], page_sql[4096];
    snprintf(count_sql, sizeof count_sql,
             "SELECT count(*) FROM requests r JOIN tills ta ON ta.id = r.raised_by_till_id WHERE 1 = 1%s",
             w->sql);
    snprintf(page_sql, sizeof page_sql, "%s WHERE 1 = 1%s ORDER BY r.raised_on, r.id LIMIT ? OFFSET ?",
             rq_select_sql, w->sql);
    sqlite3_stmt *count = NULL, *page = NULL;
    bool ok = sqlite3_prepare_v2(db->db, count_sql, -1, &count, NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(db->db, page_sql, -1, &page, NULL) == SQLITE_OK;
    if (ok) {
        w_bind(w, count);
        w_bind(w, page);
        sqlite3_bind_int64(page, (int)w->n + 1, limit);
        sqlite3_bind_int64(page, (int)w->n + 2, offset);
        ok = sqlite3_step(count) == SQLITE_ROW;
        if (ok)
            *total = sqlite3_column_int64(count, 0);
    }
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(page)) == SQLITE_ROW) {
        struct rq_row r;
        rq_row_read(page, &r);
        json_t *item = with_logs ? rq_item_logs(db, &r) : rq_item_get(&r);
        if (!item) {
            ok = false;
            break;
        }
        json_array_append_new(strcmp(r.type, "GOODWILL") == 0 ? goodwill : changes, item);
    }
    ok = ok && rc == SQLITE_DONE;
    sqlite3_finalize(count);
    sqlite3_finalize(page);
    return ok;
}

static void request_get(struct sb_req *req, struct sb_resp *resp)
{
    struct where w = {.sql = ""};
    if (!dates(req, resp, &w) || !customer(req, resp, &w, "user_id") || !common(req, resp, &w))
        return;
    if (!w.any) {
        rq_v11_error(resp, 400, 400, "At least one filter must be given");
        return;
    }
    int64_t limit = GET_MAX, offset = 0;
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "start_limit");
    if ((l && sb_parse_i64(l, 1, INT32_MAX, &limit)) || (o && sb_parse_i64(o, 0, INT32_MAX, &offset))) {
        rq_v11_error(resp, 400, 400, "Invalid limit or start_limit");
        return;
    }
    if (limit > GET_MAX)
        limit = GET_MAX;
    json_t *goodwill = json_array(), *changes = json_array();
    int64_t total = 0;
    if (!query(req->db, &w, limit, offset, goodwill, changes, false, &total)) {
        json_decref(goodwill);
        json_decref(changes);
        sb_reply_db_error(resp, req->db);
        return;
    }
    size_t rows = json_array_size(goodwill) + json_array_size(changes);
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:o,s:o,s:o,s:o,s:o}}}", "response", "status",
                            sb_v11_status(true, 200, "SUCCESS"), "requests", "count",
                            rq_id(total), "rows", rq_id((int64_t)rows), "goodwill",
                            rq_list(goodwill), "change_identifier", rq_list(changes),
                            "item_status", rq_item_status(true, 9000, "Request retrieved successfully")));
}

static void request_logs(struct sb_req *req, struct sb_resp *resp)
{
    const char *required[] = {"type", "base_type", "start_date", "end_date"};
    for (int k = 0; k < 4; k++) {
        const char *v = sb_arg(req, required[k]);
        if (!v || !*v) {
            char msg[96];
            snprintf(msg, sizeof msg, "%s is required (type, base_type, start_date, end_date)", required[k]);
            rq_v11_error(resp, 400, 400, msg);
            return;
        }
    }
    struct where w = {.sql = ""};
    if (!dates(req, resp, &w) || !customer(req, resp, &w, "customer_id") || !common(req, resp, &w))
        return;
    int64_t limit = 50, offset = 0;
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "offset");
    if ((l && sb_parse_i64(l, 1, LOGS_MAX, &limit)) || (o && sb_parse_i64(o, 0, INT32_MAX, &offset))) {
        rq_v11_error(resp, 400, 400, "Invalid limit (1..100) or offset");
        return;
    }
    const char *type = type_value(sb_arg(req, "type"));
    json_t *goodwill = json_array(), *changes = json_array();
    int64_t total = 0;
    if (!query(req->db, &w, limit, offset, goodwill, changes, true, &total)) {
        json_decref(goodwill);
        json_decref(changes);
        sb_reply_db_error(resp, req->db);
        return;
    }
    size_t rows = json_array_size(goodwill) + json_array_size(changes);
    json_t *block = json_pack("{s:o,s:I,s:o}", "count", rq_id(total), "rows", (json_int_t)rows,
                              "item_status", rq_item_status(true, 9000, "Request retrieved successfully"));
    if (strcmp(type, "GOODWILL") == 0) {
        json_object_set_new(block, "goodwill", goodwill);
        json_decref(changes);
    } else if (strcmp(type, "CHANGE_IDENTIFIER") == 0) {
        json_object_set_new(block, "change_identifier", changes);
        json_decref(goodwill);
    } else {
        json_object_set_new(block, "transaction_update", json_array());
        json_decref(goodwill);
        json_decref(changes);
    }
    sb_reply_json(resp, 200, json_pack("{s:{s:o,s:o}}", "response", "status",
                                       sb_v11_status(true, 200, "SUCCESS"), "requests", block));
}

static void goodwill_v2(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id, limit, offset, request_id = 0;
    if (sb_parse_i64(req->params[0], 1, INT64_MAX, &id)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid customer id");
        return;
    }
    if (!sb_paging(req, resp, 10, 100, &limit, &offset))
        return;
    const char *rid = sb_arg(req, "requestId");
    if (rid && sb_parse_i64(rid, 1, INT64_MAX, &request_id)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid requestId");
        return;
    }
    enum member_status s = member_exists(req->db, id);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_stmt *count = store_stmt(req->db, "SELECT count(*) FROM requests WHERE customer_id = ?"
                                              " AND type = 'GOODWILL' AND (? = 0 OR id = ?)");
    if (!count) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(count, 1, id);
    sqlite3_bind_int64(count, 2, request_id);
    sqlite3_bind_int64(count, 3, request_id);
    int64_t total = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : -1;
    sqlite3_reset(count);
    if (total < 0) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (request_id && total == 0) {
        sb_reply_v2_error(resp, 404, 9050, "Goodwill request not found");
        return;
    }
    char sql[2048];
    snprintf(sql, sizeof sql, "%s WHERE r.customer_id = ? AND r.type = 'GOODWILL' AND (? = 0 OR r.id = ?)"
                              " ORDER BY r.raised_on DESC, r.id DESC LIMIT ? OFFSET ?", rq_select_sql);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(req->db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, request_id);
    sqlite3_bind_int64(st, 3, request_id);
    sqlite3_bind_int64(st, 4, limit);
    sqlite3_bind_int64(st, 5, offset);
    json_t *data = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct rq_row r;
        rq_row_read(st, &r);
        json_array_append_new(data, rq_item_goodwill_v2(&r));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(data);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200, json_pack("{s:{s:I,s:I,s:I},s:o,s:[],s:[]}", "pagination", "limit",
                                       (json_int_t)limit, "offset", (json_int_t)offset, "total",
                                       (json_int_t)total, "data", data, "warnings", "errors"));
}

static void goodwill_config(struct sb_req *req, struct sb_resp *resp)
{
    json_t *reasons = json_array(), *series = json_array();
    sqlite3_stmt *st = store_stmt(req->db, "SELECT code, description FROM goodwill_reasons ORDER BY code");
    int rc = SQLITE_ERROR;
    if (st) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(reasons, json_pack("{s:s,s:s}", "code",
                                                     (const char *)sqlite3_column_text(st, 0), "description",
                                                     (const char *)sqlite3_column_text(st, 1)));
        sqlite3_reset(st);
    }
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(req->now, iso);
    sqlite3_stmt *ss = rc == SQLITE_DONE
                           ? store_stmt(req->db, "SELECT id, code, description, discount_type, discount_value,"
                                                 " valid_till FROM coupon_series WHERE valid_till >= ?"
                                                 " AND (max_issue < 0 OR issued_count < max_issue) ORDER BY id")
                           : NULL;
    if (ss) {
        sqlite3_bind_text(ss, 1, iso, -1, SQLITE_TRANSIENT);
        while ((rc = sqlite3_step(ss)) == SQLITE_ROW) {
            char date[SBTIME_DATE_LEN];
            snprintf(date, sizeof date, "%.10s", (const char *)sqlite3_column_text(ss, 5));
            json_array_append_new(
                series, json_pack("{s:o,s:s,s:s,s:s,s:o,s:s}", "id", rq_id(sqlite3_column_int64(ss, 0)),
                                  "code", (const char *)sqlite3_column_text(ss, 1), "description",
                                  (const char *)sqlite3_column_text(ss, 2), "discount_type",
                                  (const char *)sqlite3_column_text(ss, 3), "discount_value",
                                  rq_num(sqlite3_column_double(ss, 4)), "valid_till", date));
        }
        sqlite3_reset(ss);
    }
    if (rc != SQLITE_DONE) {
        json_decref(reasons);
        json_decref(series);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:{s:o},s:{s:o},s:o,s:o}}}", "response", "status",
                            sb_v11_status(true, 200, "SUCCESS"), "goodwill_config", "reasons",
                            "reason", reasons, "coupon_series", "series", series, "points_upper_cap",
                            rq_num(rq_points_cap(req->db)), "program_id", rq_id(SB_PROGRAM_ID)));
}

const struct sb_route sb_routes_requests_read[] = {
    {"GET", "/v1.1/request/get", request_get, 0},
    {"GET", "/v1.1/request/logs", request_logs, 0},
    {"GET", "/v1.1/request/goodwill_config", goodwill_config, 0},
    {"GET", "/v2/customers/{id}/goodwillRequest", goodwill_v2, 0},
};
SB_ROUTES_END(requests_read);
