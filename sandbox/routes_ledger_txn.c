/*
 * routes_ledger_txn.c - a member's bills (part 1 §5.13, §5.14):
 *   GET /v2/customers/{id}/transactions   paged by record offset
 *   GET /v1.1/customer/transactions       with line items
 *
 * v2: limit default 20, 1..1000 (400 code 400 otherwise), offset in records;
 * sortBy only BILLING_TIME, sortOrder ASC or DESC (default DESC; ties by
 * id); startDate/endDate as "YYYY-MM-DD HH:MM:SS", ISO 8601 or a plain
 * date; transactionId a comma list. embed=BILL_STORE_DETAILS adds
 * billingStore, embed=BILL_POINTS adds billPoints, whose shape the
 * reference does not document (UNCONFIRMED): {pointsBreakup: [{programId,
 * issuedPoints, expiryDate}], aggregatedBillPoints: {issuedPoints,
 * redeemedPoints, returnedPoints, expiredPoints}}. An unknown member is
 * 404 8015 with no pagination block.
 *
 * v1.1 follows the emulator rules of §4.3 (numbers as strings, lists as
 * arrays, HTTP 200 with the status inside): one identifier key (mobile,
 * email, external_id, id; batches are not emulated: 400), optional
 * transaction_id, number, start_date/end_date, limit (default 10, 1..100),
 * offset, sort (trans_date | trans_id), order (asc | desc, default desc).
 * Each bill lists its line_items. A member that is not found is item code
 * 1012; a member without matching bills is item code 1051 with success
 * false (request status 500), as the reference's "no transactions found".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define V2_DEFAULT_LIMIT 20
#define V2_MAX_LIMIT 1000
#define V11_DEFAULT_LIMIT 10
#define V11_MAX_LIMIT 100
#define MAX_IDS 100

/* A time argument as a stored instant; "" keeps the bound open. */
static bool time_arg(const char *s, char out[SBTIME_ISO_LEN])
{
    time_t t;
    if (!s) {
        out[0] = '\0';
        return true;
    }
    if (sbtime_parse_iso(s, &t) != 0 && sbtime_parse_date(s, &t) != 0)
        return false;
    sbtime_iso(t, out);
    return true;
}

/* "1,2,3" -> "[1,2,3]" for json_each; NULL (no filter) when s is NULL. */
static bool id_list(const char *s, char *out, size_t cap)
{
    if (!s)
        return true;
    size_t k = 0;
    int n = 0;
    out[k++] = '[';
    const char *p = s;
    while (*p) {
        int64_t v;
        char buf[24];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof buf || ++n > MAX_IDS)
            return false;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (sb_parse_i64(buf, 1, INT64_MAX, &v))
            return false;
        int w = snprintf(out + k, cap - k, "%s%lld", n > 1 ? "," : "", (long long)v);
        if (w < 0 || (size_t)w >= cap - k - 1)
            return false;
        k += (size_t)w;
        p += len;
        if (*p == ',')
            p++;
    }
    out[k++] = ']';
    out[k] = '\0';
    return n > 0;
}

/* v2 */

#define V2_WHERE                                                                   \
    " FROM transactions t JOIN stores s ON s.id = t.store_id"                      \
    " WHERE t.customer_id = ?1 AND (?2 = '' OR t.billing_time >= ?2)"              \
    " AND (?3 = '' OR t.billing_time <= ?3)"                                       \
    " AND (?4 IS NULL OR t.id IN (SELECT value FROM json_each(?4)))"

#define V2_COLUMNS                                                                 \
    "SELECT t.id, t.billing_time, t.bill_number, t.type, t.notes, t.amount,"       \
    " t.gross_amount, t.discount, t.outlier_status, s.id, s.code, s.name,"         \
    " t.points_earned,"                                                            \
    " (SELECT coalesce(-sum(e.net_points), 0) FROM ledger_events e"                \
    "   WHERE e.transaction_id = t.id AND e.event_name = 'ReturnBill'),"           \
    " (SELECT min(x.expiry_date) FROM ledger_events e JOIN ledger_entries x"       \
    "   ON x.event_id = e.id WHERE e.transaction_id = t.id"                        \
    "   AND e.event_name = 'TransactionAdd')"

static const char sql_v2_count[] = "SELECT count(*)" V2_WHERE;
static const char sql_v2_desc[] =
    V2_COLUMNS V2_WHERE " ORDER BY t.billing_time DESC, t.id DESC LIMIT ?5 OFFSET ?6";
static const char sql_v2_asc[] =
    V2_COLUMNS V2_WHERE " ORDER BY t.billing_time ASC, t.id ASC LIMIT ?5 OFFSET ?6";

static bool embeds(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncasecmp(p, name, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

static json_t *v2_item(sqlite3_stmt *st, int64_t customer, bool store, bool points)
{
    json_t *o = json_pack(
        "{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:s}", "id",
        (json_int_t)sqlite3_column_int64(st, 0), "customerId", (json_int_t)customer,
        "loyaltyLogId", (json_int_t)sqlite3_column_int64(st, 0), "billingTime",
        (const char *)sqlite3_column_text(st, 1), "billNumber",
        (const char *)sqlite3_column_text(st, 2), "type", (const char *)sqlite3_column_text(st, 3),
        "notes", (const char *)sqlite3_column_text(st, 4), "amount", sqlite3_column_double(st, 5),
        "grossAmount", sqlite3_column_double(st, 6), "discount", sqlite3_column_double(st, 7),
        "outlierStatus", (const char *)sqlite3_column_text(st, 8));
    if (store)
        json_object_set_new(
            o, "billingStore",
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id",
                      (json_int_t)sqlite3_column_int64(st, 9), "code",
                      (const char *)sqlite3_column_text(st, 10), "description",
                      (const char *)sqlite3_column_text(st, 11), "name",
                      (const char *)sqlite3_column_text(st, 11), "type", "STORE", "adminType",
                      "GENERAL", "isActive", 1, "isOuEnabled", 0, "timeZoneId", "UTC"));
    if (points) {
        double issued = sqlite3_column_double(st, 12);
        json_t *brk = json_pack("{s:i,s:f}", "programId", SB_PROGRAM_ID, "issuedPoints", issued);
        if (sqlite3_column_type(st, 14) != SQLITE_NULL)
            json_object_set_new(brk, "expiryDate",
                                json_string((const char *)sqlite3_column_text(st, 14)));
        json_object_set_new(
            o, "billPoints",
            json_pack("{s:[o],s:{s:f,s:f,s:f,s:f}}", "pointsBreakup", brk,
                      "aggregatedBillPoints", "issuedPoints", issued, "redeemedPoints", 0.0,
                      "returnedPoints", sqlite3_column_double(st, 13), "expiredPoints", 0.0));
    }
    return o;
}

static void bind_v2(sqlite3_stmt *st, int64_t id, const char *from, const char *to,
                    const char *ids)
{
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    if (ids)
        sqlite3_bind_text(st, 4, ids, -1, SQLITE_TRANSIENT);
}

static void v2_transactions(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id, limit, offset;
    if (sb_parse_i64(req->params[0], 1, INT64_MAX, &id)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid customer id");
        return;
    }
    if (!sb_paging(req, resp, V2_DEFAULT_LIMIT, V2_MAX_LIMIT, &limit, &offset))
        return;
    const char *sort_by = sb_arg(req, "sortBy"), *order = sb_arg(req, "sortOrder");
    if (sort_by && strcmp(sort_by, "BILLING_TIME") != 0) {
        sb_reply_v2_error(resp, 400, 400, "Invalid sortBy: only BILLING_TIME is supported");
        return;
    }
    if (order && strcmp(order, "ASC") != 0 && strcmp(order, "DESC") != 0) {
        sb_reply_v2_error(resp, 400, 400, "Invalid sortOrder: ASC or DESC");
        return;
    }
    bool asc = order && strcmp(order, "ASC") == 0;
    char from[SBTIME_ISO_LEN], to[SBTIME_ISO_LEN], ids[MAX_IDS * 21 + 4];
    if (!time_arg(sb_arg(req, "startDate"), from) || !time_arg(sb_arg(req, "endDate"), to)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid startDate or endDate");
        return;
    }
    const char *idarg = sb_arg(req, "transactionId");
    if (!id_list(idarg, ids, sizeof ids)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid transactionId");
        return;
    }
    enum member_status ms = member_exists(req->db, id);
    if (ms == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    sqlite3_stmt *st = ms == MEMBER_OK ? store_stmt(req->db, sql_v2_count) : NULL;
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    bind_v2(st, id, from, to, idarg ? ids : NULL);
    int rc = sqlite3_step(st);
    int64_t total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    st = rc == SQLITE_ROW ? store_stmt(req->db, asc ? sql_v2_asc : sql_v2_desc) : NULL;
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    bind_v2(st, id, from, to, idarg ? ids : NULL);
    sqlite3_bind_int64(st, 5, limit);
    sqlite3_bind_int64(st, 6, offset);
    const char *embed = sb_arg(req, "embed");
    bool with_store = embeds(embed, "BILL_STORE_DETAILS"), with_points = embeds(embed, "BILL_POINTS");
    json_t *data = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(data, v2_item(st, id, with_store, with_points));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(data);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:I,s:I,s:s,s:s,s:I},s:o,s:[],s:[]}", "pagination", "limit",
                            (json_int_t)limit, "offset", (json_int_t)offset, "sortBy",
                            "BILLING_TIME", "sortOrder", asc ? "ASC" : "DESC", "total",
                            (json_int_t)total, "data", data, "warnings", "errors"));
}

/* v1.1 */

/* v1.1 sends numbers as strings: "520", or "12.500" when not whole. */
static json_t *num(double v)
{
    char buf[48];
    if (v == (double)(long long)v)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    else
        snprintf(buf, sizeof buf, "%.3f", v);
    return json_string(buf);
}

static json_t *id_str(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return json_string(buf);
}

static json_t *v11_time(const char *iso)
{
    char out[SBTIME_V11_LEN];
    sbtime_iso_to_v11(iso, out);
    return json_string(out);
}

static void v11_reply(struct sb_resp *resp, int http, bool ok, long code, const char *message,
                      json_t *customer)
{
    json_t *r = json_pack("{s:o}", "status", sb_v11_status(ok, code, message));
    if (customer)
        json_object_set_new(r, "customer", customer);
    sb_reply_json(resp, http, json_pack("{s:o}", "response", r));
}

#define V11_WHERE                                                                  \
    " FROM transactions t JOIN stores s ON s.id = t.store_id"                      \
    " WHERE t.customer_id = ?1 AND (?2 IS NULL OR t.id = ?2)"                      \
    " AND (?3 IS NULL OR t.bill_number = ?3)"                                      \
    " AND (?4 = '' OR t.billing_time >= ?4) AND (?5 = '' OR t.billing_time <= ?5)"

#define V11_COLUMNS                                                                \
    "SELECT t.id, t.bill_number, t.type, t.amount, t.gross_amount, t.discount,"    \
    " t.outlier_status, t.notes, t.billing_time, s.name, s.code, t.points_earned," \
    " (SELECT coalesce(-sum(e.net_points), 0) FROM ledger_events e"                \
    "   WHERE e.transaction_id = t.id AND e.event_name = 'ReturnBill'),"           \
    " (SELECT min(x.expiry_date) FROM ledger_events e JOIN ledger_entries x"       \
    "   ON x.event_id = e.id WHERE e.transaction_id = t.id"                        \
    "   AND e.event_name = 'TransactionAdd')"

static const char sql_v11_count[] = "SELECT count(*)" V11_WHERE;
static const char *const sql_v11_page[4] = {
    V11_COLUMNS V11_WHERE " ORDER BY t.billing_time DESC, t.id DESC LIMIT ?6 OFFSET ?7",
    V11_COLUMNS V11_WHERE " ORDER BY t.billing_time ASC, t.id ASC LIMIT ?6 OFFSET ?7",
    V11_COLUMNS V11_WHERE " ORDER BY t.id DESC LIMIT ?6 OFFSET ?7",
    V11_COLUMNS V11_WHERE " ORDER BY t.id ASC LIMIT ?6 OFFSET ?7",
};

static json_t *v11_lines(struct store_conn *db, int64_t txn)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT serial, item_code, description, qty, rate, value,"
                                      " discount, amount FROM transaction_lines"
                                      " WHERE transaction_id = ? ORDER BY serial");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, txn);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "serial",
                            id_str(sqlite3_column_int64(st, 0)), "item_code",
                            (const char *)sqlite3_column_text(st, 1), "description",
                            (const char *)sqlite3_column_text(st, 2), "qty",
                            num(sqlite3_column_double(st, 3)), "rate",
                            num(sqlite3_column_double(st, 4)), "value",
                            num(sqlite3_column_double(st, 5)), "discount",
                            num(sqlite3_column_double(st, 6)), "amount",
                            num(sqlite3_column_double(st, 7))));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *v11_item(struct store_conn *db, sqlite3_stmt *st)
{
    int64_t txn = sqlite3_column_int64(st, 0);
    json_t *lines = v11_lines(db, txn);
    if (!lines)
        return NULL;
    char expiry[SBTIME_V11_LEN + 4] = "";
    if (sqlite3_column_type(st, 13) != SQLITE_NULL)
        snprintf(expiry, sizeof expiry, "%s 23:59:59", (const char *)sqlite3_column_text(st, 13));
    const char *type = (const char *)sqlite3_column_text(st, 2);
    return json_pack(
        "{s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o,s:s,s:s,"
        "s:{s:o,s:s,s:o,s:s,s:s,s:o},s:{s:[]},s:{s:[]},s:[],s:I,s:{s:o}}",
        "id", id_str(txn), "number", (const char *)sqlite3_column_text(st, 1), "type", type,
        "return_type", strcmp(type, "RETURN") == 0 ? "FULL" : "", "amount",
        num(sqlite3_column_double(st, 3)), "gross_amount", num(sqlite3_column_double(st, 4)),
        "discount", num(sqlite3_column_double(st, 5)), "outlier_status",
        (const char *)sqlite3_column_text(st, 6), "delivery_status", "DELIVERED", "notes",
        (const char *)sqlite3_column_text(st, 7), "billing_time",
        v11_time((const char *)sqlite3_column_text(st, 8)), "auto_update_time",
        v11_time((const char *)sqlite3_column_text(st, 8)), "store",
        (const char *)sqlite3_column_text(st, 9), "store_code",
        (const char *)sqlite3_column_text(st, 10), "points", "issued",
        num(sqlite3_column_double(st, 11)), "redeemed", "0", "returned",
        num(sqlite3_column_double(st, 12)), "expired", "0", "expiry_date", expiry, "program_id",
        id_str(SB_PROGRAM_ID), "custom_fields", "field", "extended_fields", "field", "coupons",
        "basket_size", (json_int_t)json_array_size(lines), "line_items", "line_item", lines);
}

static const char *const v11_keys[][2] = {
    {"mobile", "mobile"}, {"email", "email"}, {"external_id", "externalId"}, {"id", NULL},
};

static void v11_transactions(struct sb_req *req, struct sb_resp *resp)
{
    const char *key = NULL, *value = NULL, *type = NULL;
    for (size_t i = 0; i < sizeof v11_keys / sizeof v11_keys[0]; i++) {
        const char *v = sb_arg(req, v11_keys[i][0]);
        if (!v)
            continue;
        if (key) {
            v11_reply(resp, 400, false, 400, "Give exactly one customer identifier", NULL);
            return;
        }
        key = v11_keys[i][0];
        type = v11_keys[i][1];
        value = v;
    }
    if (!key || !*value) {
        v11_reply(resp, 400, false, 400, "A customer identifier is required", NULL);
        return;
    }
    if (strchr(value, ',')) {
        v11_reply(resp, 400, false, 400, "Batch requests are not supported here", NULL);
        return;
    }
    int64_t limit = V11_DEFAULT_LIMIT, offset = 0, txn_id = 0;
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "offset");
    const char *tid = sb_arg(req, "transaction_id");
    const char *sort = sb_arg(req, "sort"), *order = sb_arg(req, "order");
    char from[SBTIME_ISO_LEN], to[SBTIME_ISO_LEN];
    if ((l && sb_parse_i64(l, 1, V11_MAX_LIMIT, &limit)) ||
        (o && sb_parse_i64(o, 0, INT32_MAX, &offset)) ||
        (tid && sb_parse_i64(tid, 1, INT64_MAX, &txn_id)) ||
        (sort && strcmp(sort, "trans_date") != 0 && strcmp(sort, "trans_id") != 0) ||
        (order && strcasecmp(order, "asc") != 0 && strcasecmp(order, "desc") != 0) ||
        !time_arg(sb_arg(req, "start_date"), from) || !time_arg(sb_arg(req, "end_date"), to)) {
        v11_reply(resp, 400, false, 400, "Invalid input", NULL);
        return;
    }
    int64_t id = 0;
    enum member_status ms;
    if (!type)
        ms = sb_parse_i64(value, 1, INT64_MAX, &id) ? MEMBER_NOT_FOUND
                                                    : member_exists(req->db, id);
    else
        ms = member_find(req->db, type, value, &id);
    if (ms == MEMBER_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (ms == MEMBER_NOT_FOUND) {
        json_t *c = json_pack("{s:s,s:o}", key, sb_jstr(value), "item_status",
                              json_pack("{s:s,s:s,s:s,s:{s:[]}}", "success", "false", "code",
                                        "1012", "message", "Customer not found", "warnings",
                                        "warning"));
        v11_reply(resp, 200, false, 500, "All requests have failed due to errors", c);
        return;
    }
    const char *number = sb_arg(req, "number");
    sqlite3_stmt *st = store_stmt(req->db, sql_v11_count);
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
#define BIND_V11(st)                                                           \
    do {                                                                       \
        sqlite3_bind_int64(st, 1, id);                                         \
        if (txn_id)                                                            \
            sqlite3_bind_int64(st, 2, txn_id);                                 \
        if (number)                                                            \
            sqlite3_bind_text(st, 3, number, -1, SQLITE_TRANSIENT);            \
        sqlite3_bind_text(st, 4, from, -1, SQLITE_TRANSIENT);                  \
        sqlite3_bind_text(st, 5, to, -1, SQLITE_TRANSIENT);                    \
    } while (0)
    BIND_V11(st);
    int rc = sqlite3_step(st);
    int64_t count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    int which = (sort && strcmp(sort, "trans_id") == 0 ? 2 : 0) +
                (order && strcasecmp(order, "asc") == 0 ? 1 : 0);
    st = rc == SQLITE_ROW ? store_stmt(req->db, sql_v11_page[which]) : NULL;
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    BIND_V11(st);
#undef BIND_V11
    sqlite3_bind_int64(st, 6, limit);
    sqlite3_bind_int64(st, 7, offset);
    json_t *list = json_array();
    char start[24] = "";
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *t = v11_item(req->db, st);
        if (!t)
            break;
        if (!start[0])
            snprintf(start, sizeof start, "%lld", (long long)sqlite3_column_int64(st, 0));
        json_array_append_new(list, t);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        sb_reply_db_error(resp, req->db);
        return;
    }
    struct member m;
    if (member_load(req->db, id, &m) != MEMBER_OK) {
        json_decref(list);
        sb_reply_db_error(resp, req->db);
        return;
    }
    bool found = json_array_size(list) > 0;
    json_t *c = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:I,s:s,s:o,s:{s:o},s:o}", "user_id",
        id_str(id), "firstname", sb_jstr(m.first), "lastname", sb_jstr(m.last), "mobile",
        sb_jstr(m.mobile), "email", sb_jstr(m.email), "external_id", sb_jstr(m.external_id),
        "lifetime_points", num(m.lifetime_points), "lifetime_purchases",
        num(m.lifetime_purchases), "loyalty_points", num(m.loyalty_points), "current_slab",
        sb_jstr(m.tier_name), "type", "LOYALTY", "registered_on",
        v11_time(m.created_on), "count", (json_int_t)count, "start", start, "rows",
        id_str(limit), "transactions", "transaction", list, "item_status",
        found ? json_pack("{s:s,s:s,s:s,s:{s:[]}}", "success", "true", "code", "1052",
                          "message", "Transactions fetched successfully", "warnings", "warning")
              : json_pack("{s:s,s:s,s:s,s:{s:[]}}", "success", "false", "code", "1051",
                          "message", "No transactions found", "warnings", "warning"));
    member_free(&m);
    if (found)
        v11_reply(resp, 200, true, 200, "Success", c);
    else
        v11_reply(resp, 200, false, 500, "All requests have failed due to errors", c);
}

const struct sb_route sb_routes_ledger_txn[] = {
    {"GET", "/v2/customers/{id}/transactions", v2_transactions, 0},
    {"GET", "/v1.1/customer/transactions", v11_transactions, 0},
};
SB_ROUTES_END(ledger_txn);
