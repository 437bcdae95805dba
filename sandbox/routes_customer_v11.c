/*
 * routes_customer_v11.c - v1.1 customer reads (part 1 §5.6, §5.7):
 *   GET /v1.1/customer/get     one identifier key (mobile, email, external_id,
 *                              id, card_number, card_external_id), comma lists
 *                              for batches (at most 100)
 *   GET /v1.1/customer/search  q=(attr:OP:values)&(...), paged by start/rows
 *
 * The envelope follows the emulator rules of §4.3: arrays for lists,
 * numeric `code`, string `success`, and numbers as strings inside items.
 * A member that is not found is an item-level failure with code 1012; the
 * request-level status is then 201 (some failed) or 500 (all failed), sent
 * with HTTP 200 because the reference shows these only inside bodies
 * (part 2 §5). Missing or conflicting identifier keys and a bad query are
 * request-level 400s, sent with HTTP 400. JSON is the only format served.
 * customer/get always lists the member's coupons (coupon_limit, default 10,
 * at most 100; coupon_offset); transactions=true adds the 10 latest bills;
 * mlp=true adds points_summaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"
#include "sandbox/v11query.h"

#define BATCH_MAX 100
#define ROWS_MAX 100

static void v11_error(struct sb_resp *resp, int http, long code, const char *message)
{
    sb_reply_json(resp, http,
                  json_pack("{s:{s:o}}", "response", "status", sb_v11_status(false, code, message)));
}

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

static json_t *points_summary(const struct member *m)
{
    return json_pack(
        "{s:{s:[{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
        "s:o,s:s,s:s,s:o,s:[]}]}}",
        "points_summaries", "points_summary", "programId", id_str(SB_PROGRAM_ID), "redeemed",
        num(m->redeemed), "expired", num(m->expired), "returned", num(m->returned), "adjusted",
        num(m->adjusted), "lifetimePoints", num(m->lifetime_points), "loyaltyPoints",
        num(m->loyalty_points), "cumulativePurchases", num(m->lifetime_purchases), "currentSlab",
        sb_jstr(m->tier_name), "currentSlabDescription", sb_jstr(m->tier_description), "nextSlab",
        sb_jstr(m->next_name), "nextSlabSerialNumber", id_str(m->next_serial),
        "nextSlabDescription", sb_jstr(m->next_description), "slabSNo", id_str(m->tier_serial),
        "slabExpiryDate", v11_time(m->tier_expiry), "totalPoints",
        num(m->loyalty_points + m->delayed), "delayed_points", num(m->delayed),
        "delayed_returned_points", num(0), "total_available_points",
        num(m->loyalty_points + m->delayed), "total_returned_points", num(m->returned),
        "program_title", SB_PROGRAM_TITLE, "program_description", SB_PROGRAM_DESCRIPTION,
        "program_points_to_currency_ratio", num(SB_POINTS_TO_CURRENCY),
        "linked_partner_programs");
}

static json_t *transactions(struct store_conn *db, int64_t id, bool wanted)
{
    json_t *list = json_array();
    if (!wanted)
        return list;
    sqlite3_stmt *st = store_stmt(
        db, "SELECT t.id, t.bill_number, t.type, t.amount, t.gross_amount, t.discount,"
            " t.billing_time, s.name, s.code, t.points_earned,"
            " (SELECT coalesce(-sum(e.net_points), 0) FROM ledger_events e"
            "   WHERE e.transaction_id = t.id AND e.event_name = 'ReturnBill')"
            " FROM transactions t JOIN stores s ON s.id = t.store_id"
            " WHERE t.customer_id = ? ORDER BY t.billing_time DESC, t.id DESC LIMIT 10");
    if (!st) {
        json_decref(list);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(
            list,
            json_pack("{s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:s,s:{s:o,s:s,s:o,s:s,s:o}}", "id",
                      id_str(sqlite3_column_int64(st, 0)), "number",
                      (const char *)sqlite3_column_text(st, 1), "type",
                      (const char *)sqlite3_column_text(st, 2), "amount",
                      num(sqlite3_column_double(st, 3)), "gross_amount",
                      num(sqlite3_column_double(st, 4)), "discount",
                      num(sqlite3_column_double(st, 5)), "billing_time",
                      v11_time((const char *)sqlite3_column_text(st, 6)), "store",
                      (const char *)sqlite3_column_text(st, 7), "store_code",
                      (const char *)sqlite3_column_text(st, 8), "points", "issued",
                      num(sqlite3_column_double(st, 9)), "redeemed", "0", "returned",
                      num(sqlite3_column_double(st, 10)), "expired", "0", "program_id",
                      id_str(SB_PROGRAM_ID)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *coupons(struct store_conn *db, int64_t id, int64_t limit, int64_t offset)
{
    sqlite3_stmt *st = store_stmt(
        db, "SELECT c.id, c.code, c.series_id, s.description, c.valid_till, c.issued_on,"
            " c.status, c.redeemed_on FROM coupons c JOIN coupon_series s ON s.id = c.series_id"
            " WHERE c.customer_id = ? ORDER BY c.issued_on DESC, c.id DESC LIMIT ? OFFSET ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *valid = (const char *)sqlite3_column_text(st, 4);
        const char *redeemed_on = (const char *)sqlite3_column_text(st, 7);
        char date[SBTIME_DATE_LEN];
        snprintf(date, sizeof date, "%.10s", valid ? valid : "");
        json_array_append_new(
            list, json_pack("{s:o,s:s,s:o,s:s,s:s,s:o,s:s,s:s,s:o}", "id",
                            id_str(sqlite3_column_int64(st, 0)), "code",
                            (const char *)sqlite3_column_text(st, 1), "series_id",
                            id_str(sqlite3_column_int64(st, 2)), "description",
                            (const char *)sqlite3_column_text(st, 3), "valid_till", date,
                            "created_date", v11_time((const char *)sqlite3_column_text(st, 5)),
                            "status", (const char *)sqlite3_column_text(st, 6), "redeemed",
                            redeemed_on ? "true" : "false", "redeemed_on",
                            redeemed_on ? v11_time(redeemed_on) : json_string("")));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *field_list(const struct member *m)
{
    return json_pack("{s:[{s:s,s:o},{s:s,s:o}]}", "field", "name", "gender", "value",
                     sb_jstr(m->gender), "name", "city", "value", sb_jstr(m->city));
}

static json_t *customer_item(struct sb_req *req, const struct member *m, int64_t coupon_limit,
                             int64_t coupon_offset)
{
    json_t *txns = transactions(req->db, m->id, sb_arg_true(req, "transactions"));
    json_t *cps = txns ? coupons(req->db, m->id, coupon_limit, coupon_offset) : NULL;
    if (!txns || !cps) {
        json_decref(txns);
        return NULL;
    }
    const char *fraud = strcmp(m->fraud_status, "NOT_FRAUD") == 0 ? "NONE" : m->fraud_status;
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:{s:o,s:o},s:{s:o,s:o},"
        "s:{s:o,s:[],s:[]},s:{s:[]},s:o}",
        "user_id", id_str(m->id), "firstname", sb_jstr(m->first), "lastname", sb_jstr(m->last),
        "mobile", sb_jstr(m->mobile), "email", sb_jstr(m->email), "external_id",
        sb_jstr(m->external_id), "lifetime_points", num(m->lifetime_points),
        "lifetime_purchases", num(m->lifetime_purchases), "loyalty_points",
        num(m->loyalty_points), "current_slab", sb_jstr(m->tier_name), "registered_on",
        v11_time(m->created_on), "updated_on", v11_time(m->updated_on), "type",
        strcmp(m->loyalty_type, "loyalty") == 0 ? "LOYALTY" : "NON_LOYALTY", "source", "instore",
        "registered_by", sb_jstr(m->till_code), "registered_store", "code",
        sb_jstr(m->store_code), "name", sb_jstr(m->store_name), "registered_till", "code",
        sb_jstr(m->till_code), "name", sb_jstr(m->till_name), "fraud_details", "status",
        sb_jstr(fraud), "marked_by", "modified_on", "custom_fields", "field", "extended_fields",
        field_list(m));
    if (!o) {
        json_decref(txns);
        json_decref(cps);
        return NULL;
    }
    if (sb_arg_true(req, "mlp")) {
        json_t *ps = points_summary(m);
        json_object_update(o, ps);
        json_decref(ps);
    }
    json_object_set_new(o, "transactions", json_pack("{s:o}", "transaction", txns));
    json_object_set_new(o, "coupons", cps);
    json_object_set_new(o, "item_status", json_pack("{s:s,s:i,s:s,s:[]}", "success", "true",
                                                    "code", 1000, "message",
                                                    "Customer successfully retrieved",
                                                    "warnings"));
    return o;
}

static const struct {
    const char *key;  /* query key */
    const char *type; /* identifiers.type; NULL = customer id; "" = never stored */
} keys[] = {
    {"mobile", "mobile"},         {"email", "email"}, {"external_id", "externalId"},
    {"id", NULL},                 {"card_number", "cardnumber"},
    {"card_external_id", ""},
};

static enum member_status find(struct store_conn *db, int k, const char *value, int64_t *id)
{
    if (!keys[k].type) {
        if (sb_parse_i64(value, 1, INT64_MAX, id))
            return MEMBER_NOT_FOUND;
        return member_exists(db, *id);
    }
    if (!*keys[k].type)
        return MEMBER_NOT_FOUND;
    return member_find(db, keys[k].type, value, id);
}

static void customer_get(struct sb_req *req, struct sb_resp *resp)
{
    int which = -1;
    for (int k = 0; k < (int)(sizeof keys / sizeof keys[0]); k++) {
        if (!sb_arg(req, keys[k].key))
            continue;
        if (which >= 0) {
            v11_error(resp, 400, 400, "Give exactly one customer identifier");
            return;
        }
        which = k;
    }
    if (which < 0) {
        v11_error(resp, 400, 400, "No customer identifier given");
        return;
    }
    int64_t coupon_limit = 10, coupon_offset = 0;
    const char *cl = sb_arg(req, "coupon_limit"), *co = sb_arg(req, "coupon_offset");
    if ((cl && sb_parse_i64(cl, 1, ROWS_MAX, &coupon_limit)) ||
        (co && sb_parse_i64(co, 0, INT32_MAX, &coupon_offset))) {
        v11_error(resp, 400, 400, "Invalid coupon_limit or coupon_offset");
        return;
    }
    char *values = strdup(sb_arg(req, keys[which].key));
    if (!values) {
        v11_error(resp, 500, 500, "Out of memory");
        return;
    }
    json_t *items = json_array();
    int total = 0, ok = 0;
    for (char *save = NULL, *v = strtok_r(values, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
        if (++total > BATCH_MAX) {
            json_decref(items);
            free(values);
            v11_error(resp, 400, 400, "At most 100 customers per request");
            return;
        }
        int64_t id = 0;
        struct member m;
        enum member_status s = find(req->db, which, v, &id);
        if (s == MEMBER_OK)
            s = member_load(req->db, id, &m);
        if (s == MEMBER_DB_ERROR) {
            json_decref(items);
            free(values);
            sb_reply_db_error(resp, req->db);
            return;
        }
        if (s == MEMBER_NOT_FOUND) {
            json_array_append_new(
                items, json_pack("{s:o,s:{s:s,s:i,s:s,s:[]}}", keys[which].key, sb_jstr(v),
                                 "item_status", "success", "false", "code", 1012, "message",
                                 "Customer not found for the given identifier", "warnings"));
            continue;
        }
        json_t *item = customer_item(req, &m, coupon_limit, coupon_offset);
        member_free(&m);
        if (!item) {
            json_decref(items);
            free(values);
            sb_reply_db_error(resp, req->db);
            return;
        }
        json_array_append_new(items, item);
        ok++;
    }
    free(values);
    if (total == 0) {
        json_decref(items);
        v11_error(resp, 400, 400, "No customer identifier given");
        return;
    }
    long code = ok == total ? 200 : ok ? 201 : 500;
    const char *msg = ok == total ? "Success" : ok ? "Some requests have failed"
                                                   : "All requests have failed";
    json_t *status = sb_v11_status(ok > 0, code, msg);
    json_object_set_new(status, "total", id_str(total));
    json_object_set_new(status, "success_count", id_str(ok));
    sb_reply_json(resp, 200, json_pack("{s:{s:o,s:{s:o}}}", "response", "status", status,
                                       "customers", "customer", items));
}

static json_t *search_item(struct store_conn *db, const struct member *m)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT amount FROM transactions WHERE customer_id = ?"
                                      " ORDER BY billing_time DESC, id DESC LIMIT 1");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, m->id);
    int rc = sqlite3_step(st);
    double last = rc == SQLITE_ROW ? sqlite3_column_double(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return NULL;
    json_t *attributes = field_list(m);
    json_t *attr_list = json_object_get(attributes, "field");
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:O}}", "user_id",
        id_str(m->id), "org_id", id_str(SB_ORG_ID), "firstname", sb_jstr(m->first), "lastname",
        sb_jstr(m->last), "mobile", sb_jstr(m->mobile), "email", sb_jstr(m->email),
        "external_id", sb_jstr(m->external_id), "loyalty_points", num(m->loyalty_points),
        "lifetime_points", num(m->lifetime_points), "lifetime_purchases",
        num(m->lifetime_purchases), "current_slab", sb_jstr(m->tier_name), "registered_on",
        v11_time(m->created_on), "registered_by", sb_jstr(m->till_code), "last_trans_value",
        num(last), "attributes", "attribute", attr_list);
    json_decref(attributes);
    return o;
}

static void customer_search(struct sb_req *req, struct sb_resp *resp)
{
    const char *q = sb_arg(req, "q");
    if (!q || !*q) {
        v11_error(resp, 400, 400, "q is required, e.g. q=(firstname:STARTS:asha)");
        return;
    }
    /* An unencoded '&' between conditions splits them into separate query
     * keys; gather those back. */
    char text[2048];
    size_t at = (size_t)snprintf(text, sizeof text, "%s", q);
    for (size_t i = 0; i < req->n_args && at < sizeof text; i++)
        if (req->args[i].key[0] == '(' && !req->args[i].value)
            at += (size_t)snprintf(text + at, sizeof text - at, "&%s", req->args[i].key);
    if (at >= sizeof text) {
        v11_error(resp, 400, 400, "Invalid query: too long");
        return;
    }
    int64_t start = 0, rows = 10;
    const char *s = sb_arg(req, "start"), *r = sb_arg(req, "rows");
    if ((s && sb_parse_i64(s, 0, INT32_MAX, &start)) || (r && sb_parse_i64(r, 1, ROWS_MAX, &rows))) {
        v11_error(resp, 400, 400, "Invalid start or rows (rows is 1..100)");
        return;
    }
    struct v11q query;
    char why[160], msg[200];
    if (v11q_parse(&query, text, why, sizeof why)) {
        v11q_free(&query);
        snprintf(msg, sizeof msg, "Invalid query: %s", why);
        v11_error(resp, 400, 400, msg);
        return;
    }
    static const char from[] = " FROM customers c JOIN points_summary p ON p.customer_id = c.id"
                               " JOIN tiers t ON t.id = c.tier_id WHERE 1 = 1";
    char count_sql[4096], page_sql[4096];
    snprintf(count_sql, sizeof count_sql, "SELECT count(*)%s", from);
    snprintf(page_sql, sizeof page_sql, "SELECT c.id%s", from);
    int used = v11q_sql(&query, count_sql, sizeof count_sql, 1);
    if (used < 0 || v11q_sql(&query, page_sql, sizeof page_sql, 1) != used) {
        v11q_free(&query);
        v11_error(resp, 400, 400, "Invalid query: too complex");
        return;
    }
    size_t plen = strlen(page_sql);
    snprintf(page_sql + plen, sizeof page_sql - plen, " ORDER BY c.id LIMIT ?%d OFFSET ?%d",
             used + 1, used + 2);

    /* Query-shaped SQL is prepared per request, not cached. */
    sqlite3_stmt *count = NULL, *page = NULL;
    int64_t total = 0, ids[ROWS_MAX];
    size_t n = 0;
    sqlite3 *db = req->db->db;
    bool failed = sqlite3_prepare_v2(db, count_sql, -1, &count, NULL) != SQLITE_OK ||
                  sqlite3_prepare_v2(db, page_sql, -1, &page, NULL) != SQLITE_OK ||
                  v11q_bind(&query, count, 1) || v11q_bind(&query, page, 1);
    if (!failed) {
        sqlite3_bind_int64(page, used + 1, rows);
        sqlite3_bind_int64(page, used + 2, start);
        failed = sqlite3_step(count) != SQLITE_ROW;
        if (!failed)
            total = sqlite3_column_int64(count, 0);
        int rc = SQLITE_DONE;
        while (!failed && (rc = sqlite3_step(page)) == SQLITE_ROW && n < ROWS_MAX)
            ids[n++] = sqlite3_column_int64(page, 0);
        failed = failed || (rc != SQLITE_DONE && rc != SQLITE_ROW);
    }
    sqlite3_finalize(count);
    sqlite3_finalize(page);
    v11q_free(&query);
    if (failed) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        struct member m;
        enum member_status ms = member_load(req->db, ids[i], &m);
        if (ms == MEMBER_NOT_FOUND)
            continue;
        json_t *item = ms == MEMBER_OK ? search_item(req->db, &m) : NULL;
        if (ms == MEMBER_OK)
            member_free(&m);
        if (!item) {
            json_decref(items);
            sb_reply_db_error(resp, req->db);
            return;
        }
        json_array_append_new(items, item);
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:o,s:o,s:o,s:{s:o}}}}", "response", "status",
                            sb_v11_status(true, 200, "Success"), "customer", "count",
                            id_str(total), "start", id_str(start), "rows", id_str(rows),
                            "results", "item", items));
}

const struct sb_route sb_routes_customer_v11[] = {
    {"GET", "/v1.1/customer/get", customer_get, 0},
    {"GET", "/v1.1/customer/search", customer_search, 0},
};
SB_ROUTES_END(customer_v11);
