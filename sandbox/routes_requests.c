/*
 * routes_requests.c - the maker/checker writes of part 2 §3.2-§3.4:
 *   POST /v1.1/request/add      (CanMakeRequest)  GOODWILL POINTS|COUPON,
 *                               CHANGE_IDENTIFIER MOBILE|EMAIL|EXTERNAL_ID
 *   POST /v1.1/request/approve  (CanCheckRequest) optional points override,
 *                               series_id for a coupon
 *   POST /v1.1/request/reject   (CanCheckRequest)
 *
 * Bodies are {"root":{"request":[...]}} (a bare object is accepted for the
 * list), at most 10 items (1060). Every item is decided in its own
 * BEGIN IMMEDIATE transaction: the status check, the effect (points, coupon
 * or identifier, requests_effects.c), the new status and the log row commit
 * together, and two checkers deciding the same request queue on the write
 * lock, so exactly one finds it PENDING; the other gets 9052.
 *
 * Item outcomes are in item_status with HTTP 200; the request-level status
 * is 200 / 201 (some failed, success "true") / 500 (all failed, success
 * "false"). A malformed body or batch size is a request-level 400.
 * Codes, where the reference leaves the mapping open (§5 emulator notes):
 *   9013 unknown request id      9052 request not PENDING
 *   9051 approver raised it      9055 reference_id already used (duplicate)
 *   9006 / 9008 bad or mismatched type / base_type, 9014 id/type/base_type missing
 *   9019 no customer identifier  1012 customer not found
 *   9021 requested_on in the future, 9016 requested_on malformed
 *   9024 / 9001 invalid new mobile or external id / email, 9012 old value not current
 *   9031 new equals old, 9002 / 9003 / 9005 new email / external id / mobile taken
 *   9028 the same change already pending, 1101 program_id not the org's program
 *   400  points not a number above 0, above the org's goodwill cap
 *        (org_config goodwill_points_cap, default 5000), or an unusable series
 *   9009 a database failure inside one item (the item is rolled back)
 * The maker may reject (withdraw) a request of their own; only approving it
 * is refused. client_auto_approve is not honoured: the emulated org has
 * auto-approval off, so every request starts PENDING.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
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

struct outcome {
    long code;         /* 0 = ok */
    char why[256];
};

static int fail(struct outcome *o, long code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct outcome *o, long code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->why, sizeof o->why, fmt, ap);
    va_end(ap);
    o->code = code;
    return -1;
}

/* A string or number field as text (buf), or NULL when absent, null or another type. */
static const char *field(const json_t *obj, const char *key, char *buf, size_t n)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (json_is_string(v))
        snprintf(buf, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, n, "%.17g", json_real_value(v));
    else
        return NULL;
    return buf;
}

static bool blank(const char *s)
{
    return !s || !*s;
}

/* A positive amount with at most three decimals. */
static bool parse_points(const char *s, double *out)
{
    if (blank(s))
        return false;
    char *end;
    double d = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || !isfinite(d) || d <= 0 || d > 1e12)
        return false;
    *out = round(d * 1000) / 1000;
    return *out > 0;
}

/* The request list of a body, or NULL (the reply is then written). */
static json_t *parse_items(struct sb_req *req, struct sb_resp *resp, json_t **doc)
{
    json_error_t jerr;
    *doc = req->body && req->body_len ? json_loadb(req->body, req->body_len, 0, &jerr) : NULL;
    json_t *root = json_object_get(*doc, "root");
    json_t *list = json_object_get(root ? root : *doc, "request");
    if (!list || !(json_is_array(list) || json_is_object(list))) {
        rq_v11_error(resp, 400, 400, "Body must be {\"root\":{\"request\":[...]}}");
        return NULL;
    }
    size_t n = json_is_array(list) ? json_array_size(list) : 1;
    if (n == 0) {
        rq_v11_error(resp, 400, 400, "No request given");
        return NULL;
    }
    if (n > RQ_MAX_BATCH) {
        rq_v11_error(resp, 400, 1060, "Exceeded maximum limit size of 10");
        return NULL;
    }
    return list;
}

static size_t count_of(const json_t *list)
{
    return json_is_array(list) ? json_array_size(list) : 1;
}

static json_t *item_at(json_t *list, size_t i)
{
    return json_is_array(list) ? json_array_get(list, i) : list;
}

static void reply_batch(struct sb_resp *resp, json_t *items, size_t ok)
{
    size_t total = json_array_size(items);
    long code = ok == total ? 200 : ok ? 201 : 500;
    const char *msg = ok == total ? "Success" : ok ? "Some requests have failed"
                                                   : "All requests have failed";
    json_t *status = sb_v11_status(ok > 0, code, msg);
    json_object_set_new(status, "total", rq_id((int64_t)total));
    json_object_set_new(status, "success_count", rq_id((int64_t)ok));
    sb_reply_json(resp, 200, json_pack("{s:{s:o,s:{s:o}}}", "response", "status", status,
                                       "requests", "request", items));
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

/* add */

struct new_request {
    int64_t customer;
    char type[24], base[24];
    char ref[128], reason[128], comments[1024];
    double points;
    int64_t series;
    char old_value[256], new_value[256];
    time_t raised_on;
};

static int find_customer(struct sb_req *req, const json_t *cust, int64_t *id, struct outcome *o)
{
    static const struct {
        const char *key, *type;
    } keys[] = {{"id", NULL}, {"mobile", "mobile"}, {"email", "email"}, {"external_id", "externalId"}};
    char buf[256];
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *v = field(cust, keys[k].key, buf, sizeof buf);
        if (blank(v))
            continue;
        enum member_status s;
        if (!keys[k].type)
            s = sb_parse_i64(v, 1, INT64_MAX, id) ? MEMBER_NOT_FOUND : member_exists(req->db, *id);
        else
            s = member_find(req->db, keys[k].type, v, id);
        if (s == MEMBER_DB_ERROR)
            return fail(o, 9009, "Internal error, retry later");
        if (s == MEMBER_NOT_FOUND)
            return fail(o, 1012, "Customer not found for the given identifier");
        return 0;
    }
    return fail(o, 9019, "No customer identifiers passed");
}

static int current_identifier(struct store_conn *db, int64_t customer, const char *type, char *out,
                              size_t n)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT value FROM identifiers WHERE customer_id = ? AND type = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, customer);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    snprintf(out, n, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int check_identifier(struct sb_req *req, const json_t *it, struct new_request *n,
                            struct outcome *o)
{
    const char *type = rq_identifier_type(n->base);
    char buf[256];
    const char *nv = field(it, "new_value", buf, sizeof buf);
    if (blank(nv))
        return fail(o, 9024, "New value invalid: new_value is required");
    snprintf(n->new_value, sizeof n->new_value, "%s", nv);
    if (strcmp(type, "email") == 0 && (!strchr(nv, '@') || strchr(nv, ' ')))
        return fail(o, 9001, "New email invalid");
    if (strcmp(type, "mobile") == 0 &&
        (strspn(nv, "0123456789") != strlen(nv) || strlen(nv) < 8 || strlen(nv) > 15))
        return fail(o, 9024, "New value invalid: a mobile is 8 to 15 digits");
    if (current_identifier(req->db, n->customer, type, n->old_value, sizeof n->old_value))
        return fail(o, 9009, "Internal error, retry later");
    const char *ov = field(it, "old_value", buf, sizeof buf);
    if (!blank(ov) && strcasecmp(ov, n->old_value) != 0)
        return fail(o, 9012, "Old value invalid: it is not the member's current %s", type);
    if (strcasecmp(n->new_value, n->old_value) == 0)
        return fail(o, 9031, "Old value equals new value");
    int64_t holder = 0;
    enum member_status s = member_find(req->db, type, n->new_value, &holder);
    if (s == MEMBER_DB_ERROR)
        return fail(o, 9009, "Internal error, retry later");
    if (s == MEMBER_OK && holder != n->customer)
        return fail(o, strcmp(type, "email") == 0 ? 9002 : strcmp(type, "externalId") == 0 ? 9003 : 9005,
                    "New %s already exists", type);
    sqlite3_stmt *st = store_stmt(req->db, "SELECT id FROM requests WHERE customer_id = ? AND"
                                           " type = 'CHANGE_IDENTIFIER' AND base_type = ? AND status = 'PENDING'");
    if (!st)
        return fail(o, 9009, "Internal error, retry later");
    sqlite3_bind_int64(st, 1, n->customer);
    sqlite3_bind_text(st, 2, n->base, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return fail(o, 9028, "Same identifier change already pending");
    return rc == SQLITE_DONE ? 0 : fail(o, 9009, "Internal error, retry later");
}

/* Validates an add item into n. */
static int check_add(struct sb_req *req, const json_t *it, struct new_request *n, struct outcome *o)
{
    char buf[1100];
    memset(n, 0, sizeof *n);
    if (!json_is_object(it))
        return fail(o, 400, "Each request must be an object");
    const char *v = field(it, "type", buf, sizeof buf);
    if (blank(v) || (strcasecmp(v, "GOODWILL") != 0 && strcasecmp(v, "CHANGE_IDENTIFIER") != 0))
        return fail(o, 9006, "Invalid request type");
    snprintf(n->type, sizeof n->type, "%s", strcasecmp(v, "GOODWILL") == 0 ? "GOODWILL" : "CHANGE_IDENTIFIER");
    bool goodwill = strcmp(n->type, "GOODWILL") == 0;
    v = field(it, "base_type", buf, sizeof buf);
    if (blank(v))
        return fail(o, 9008, "Invalid base type");
    if (goodwill && strcasecmp(v, "POINTS") == 0)
        snprintf(n->base, sizeof n->base, "POINTS");
    else if (goodwill && (strcasecmp(v, "COUPON") == 0 || strcasecmp(v, "COUPONS") == 0))
        snprintf(n->base, sizeof n->base, "COUPON");
    else if (!goodwill && (strcasecmp(v, "MOBILE") == 0 || strcasecmp(v, "EMAIL") == 0 ||
                           strcasecmp(v, "EXTERNAL_ID") == 0))
        for (size_t i = 0; i <= strlen(v) && i < sizeof n->base; i++)
            n->base[i] = (char)toupper((unsigned char)v[i]);
    else if (!goodwill)
        return fail(o, 9040, "Change type %s is not supported", v);
    else
        return fail(o, 9008, "Invalid base type");

    v = field(it, "reference_id", buf, sizeof buf);
    if (v && strlen(v) >= sizeof n->ref)
        return fail(o, 400, "reference_id is longer than 127 characters");
    snprintf(n->ref, sizeof n->ref, "%s", v ? v : "");
    v = field(it, "reason", buf, sizeof buf);
    if (v && strlen(v) >= sizeof n->reason)
        return fail(o, 400, "reason is longer than 127 characters");
    snprintf(n->reason, sizeof n->reason, "%s", v ? v : "");
    v = field(it, "comments", buf, sizeof buf);
    if (v && strlen(v) >= sizeof n->comments)
        return fail(o, 400, "comments are longer than 1023 characters");
    snprintf(n->comments, sizeof n->comments, "%s", v ? v : "");

    n->raised_on = req->now;
    v = field(it, "requested_on", buf, sizeof buf);
    if (!blank(v)) {
        time_t t;
        if (sbtime_parse_iso(v, &t))
            return fail(o, 9016, "requested_on must be YYYY-MM-DD HH:MM:SS");
        if (t > req->now)
            return fail(o, 9021, "requested_on is in the future");
        n->raised_on = t;
    }

    if (find_customer(req, json_object_get(it, "customer"), &n->customer, o))
        return -1;

    if (strcmp(n->base, "POINTS") == 0) {
        if (!parse_points(field(it, "points", buf, sizeof buf), &n->points))
            return fail(o, 400, "points must be a number above 0");
        double cap = rq_points_cap(req->db);
        if (n->points > cap)
            return fail(o, 400, "Goodwill of %.0f points is above the upper cap of %.0f points per request",
                        n->points, cap);
    } else if (strcmp(n->base, "COUPON") == 0) {
        if (sb_parse_i64(field(it, "series_id", buf, sizeof buf), 1, INT64_MAX, &n->series))
            return fail(o, 400, "series_id is required for a goodwill coupon");
        int u = rq_series_usable(req->db, n->series, req->now);
        if (u < 0)
            return fail(o, 9009, "Internal error, retry later");
        if (!u)
            return fail(o, 400, "Coupon series %lld is unknown, expired or fully issued",
                        (long long)n->series);
    } else if (check_identifier(req, it, n, o)) {
        return -1;
    }
    return 0;
}

static int insert_request(struct store_conn *db, const struct new_request *n, const struct sb_till *till,
                          int64_t *id)
{
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(n->raised_on, iso);
    sqlite3_stmt *st = store_stmt(
        db, "INSERT INTO requests (reference_id, customer_id, type, base_type, points, series_id,"
            " old_value, new_value, reason, comments, status, program_id, raised_by_till_id, raised_on)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,'PENDING',?,?,?)");
    if (!st)
        return -1;
    bool goodwill = strcmp(n->type, "GOODWILL") == 0;
    if (n->ref[0])
        sqlite3_bind_text(st, 1, n->ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, n->customer);
    sqlite3_bind_text(st, 3, n->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, n->base, -1, SQLITE_TRANSIENT);
    if (strcmp(n->base, "POINTS") == 0)
        sqlite3_bind_double(st, 5, n->points);
    if (n->series)
        sqlite3_bind_int64(st, 6, n->series);
    if (!goodwill) {
        sqlite3_bind_text(st, 7, n->old_value, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, n->new_value, -1, SQLITE_TRANSIENT);
    }
    if (n->reason[0])
        sqlite3_bind_text(st, 9, n->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, n->comments, -1, SQLITE_TRANSIENT);
    if (goodwill)
        sqlite3_bind_int64(st, 11, SB_PROGRAM_ID);
    sqlite3_bind_int64(st, 12, till->id);
    sqlite3_bind_text(st, 13, iso, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    *id = sqlite3_last_insert_rowid(db->db);
    return 0;
}

static json_t *add_ok_item(const struct rq_row *r)
{
    bool goodwill = strcmp(r->type, "GOODWILL") == 0;
    char v11[SBTIME_V11_LEN];
    sbtime_iso_to_v11(r->raised_on, v11);
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:n,s:s,s:o,s:o,s:o}", "reference_id",
        r->reference_id[0] ? sb_jstr(r->reference_id) : json_null(), "id", rq_id(r->id), "status",
        sb_jstr(r->status), "requested_on", v11, "type", sb_jstr(r->type), "base_type",
        sb_jstr(r->base_type), "customer", rq_customer_v11(r), "old_value",
        sb_jstr(goodwill ? r->mobile : r->old_value), "new_value", sb_jstr(r->new_value),
        "old_type", "", "new_type", "", "misc_info", "transaction_id", "0", "reason",
        sb_jstr(r->reason), "comments", sb_jstr(r->comments), "item_status",
        rq_item_status(true, goodwill ? 9100 : 9000,
                       goodwill ? "Goodwill request added successfully" : "Request added successfully"));
    if (o && goodwill) {
        json_object_set_new(o, "points", r->has_points ? rq_num(r->points) : json_string(""));
        json_object_set_new(o, "series_id", r->series_id ? rq_id(r->series_id) : json_string(""));
    }
    return o;
}

static json_t *fail_item(const json_t *it, const struct outcome *o, int64_t existing)
{
    char buf[256];
    const char *ref = field(it, "reference_id", buf, sizeof buf);
    json_t *item = json_pack("{s:o,s:o}", "reference_id", ref ? sb_jstr(ref) : json_null(),
                             "item_status", rq_item_status(false, o->code, o->why));
    const char *keys[] = {"id", "type", "base_type"};
    for (size_t k = 0; k < 3; k++) {
        const char *v = field(it, keys[k], buf, sizeof buf);
        if (v)
            json_object_set_new(item, keys[k], sb_jstr(v));
    }
    if (existing)
        json_object_set_new(item, "id", rq_id(existing));
    return item;
}

static void add(struct sb_req *req, struct sb_resp *resp)
{
    const char *program = sb_arg(req, "program_id");
    int64_t pid;
    if (program && (sb_parse_i64(program, 1, INT64_MAX, &pid) || pid != SB_PROGRAM_ID)) {
        rq_v11_error(resp, 400, 1101, "Invalid programId");
        return;
    }
    json_t *doc;
    json_t *list = parse_items(req, resp, &doc);
    if (!list) {
        json_decref(doc);
        return;
    }
    json_t *items = json_array();
    size_t ok = 0;
    for (size_t i = 0; i < count_of(list); i++) {
        json_t *it = item_at(list, i);
        struct new_request n;
        struct outcome o = {0};
        int64_t existing = 0, id = 0;
        if (!begin(req->db)) {
            fail(&o, 9009, "Internal error, retry later");
            json_array_append_new(items, fail_item(it, &o, 0));
            continue;
        }
        if (check_add(req, it, &n, &o) == 0 && n.ref[0]) {
            sqlite3_stmt *st = store_stmt(req->db, "SELECT id FROM requests WHERE reference_id = ?");
            if (!st) {
                fail(&o, 9009, "Internal error, retry later");
            } else {
                sqlite3_bind_text(st, 1, n.ref, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(st) == SQLITE_ROW)
                    existing = sqlite3_column_int64(st, 0);
                sqlite3_reset(st);
                if (existing)
                    fail(&o, 9055, "Request already queued: reference_id %s is request %lld", n.ref,
                         (long long)existing);
            }
        }
        struct rq_row r = {0};
        if (o.code == 0 && (insert_request(req->db, &n, req->till, &id) ||
                            rq_log(req->db, id, "RAISED", req->till->id, n.raised_on, n.comments) ||
                            rq_load(req->db, id, &r) != 1))
            fail(&o, 9009, "Internal error, retry later");
        if (o.code == 0 && !commit(req->db))
            fail(&o, 9009, "Internal error, retry later");
        else if (o.code != 0)
            rollback(req->db);
        if (o.code) {
            json_array_append_new(items, fail_item(it, &o, existing));
        } else {
            json_array_append_new(items, add_ok_item(&r));
            ok++;
        }
    }
    json_decref(doc);
    reply_batch(resp, items, ok);
}

/* approve / reject */

static int check_decision(struct sb_req *req, const json_t *it, bool approve, struct rq_row *r,
                          struct outcome *o)
{
    char buf[256];
    int64_t id;
    if (!json_is_object(it))
        return fail(o, 400, "Each request must be an object");
    const char *v = field(it, "id", buf, sizeof buf);
    if (blank(v))
        return fail(o, 9014, "Insufficient data to update the request: id is required");
    if (sb_parse_i64(v, 1, INT64_MAX, &id))
        return fail(o, 9013, "Request not found");
    int found = rq_load(req->db, id, r);
    if (found < 0)
        return fail(o, 9009, "Internal error, retry later");
    if (!found)
        return fail(o, 9013, "Request not found");
    const char *type = field(it, "type", buf, sizeof buf);
    if (blank(type))
        return fail(o, 9014, "Insufficient data to update the request: type is required");
    if (strcasecmp(type, r->type) != 0)
        return fail(o, 9006, "Invalid request type: request %lld is %s", (long long)id, r->type);
    const char *base = field(it, "base_type", buf, sizeof buf);
    if (blank(base))
        return fail(o, 9014, "Insufficient data to update the request: base_type is required");
    bool coupon_alias = strcasecmp(base, "COUPONS") == 0 && strcmp(r->base_type, "COUPON") == 0;
    if (strcasecmp(base, r->base_type) != 0 && !coupon_alias)
        return fail(o, 9008, "Invalid base type: request %lld is %s", (long long)id, r->base_type);
    if (strcmp(r->status, "PENDING") != 0)
        return fail(o, 9052, "Invalid request status: request %lld is already %s", (long long)id,
                    r->status);
    if (approve && r->raised_by == req->till->id)
        return fail(o, 9051, "Same user cannot request and approve: %s raised request %lld",
                    r->raised_code, (long long)id);
    return 0;
}

static json_t *decided_item(const struct rq_row *r, const char *assoc)
{
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o}", "id", rq_id(r->id), "type",
                          sb_jstr(r->type), "base_type", sb_jstr(r->base_type), "status",
                          sb_jstr(r->status), "assoc_id", assoc, "approved_value",
                          sb_jstr(r->approved_value), "updated_comments",
                          sb_jstr(r->updated_comments), "item_status",
                          rq_item_status(true, 9000, "Request updated successfully"));
    if (o && strcmp(r->type, "CHANGE_IDENTIFIER") == 0) {
        json_object_set_new(o, "old_value", sb_jstr(r->old_value));
        json_object_set_new(o, "new_value", sb_jstr(r->new_value));
    }
    return o;
}

/* Applies the approval's effect; fills approved value and assoc id. */
static int apply(struct sb_req *req, const json_t *it, const struct rq_row *r, char *approved,
                 size_t alen, char *assoc, size_t slen, struct outcome *o)
{
    char buf[256];
    int rc;
    if (strcmp(r->base_type, "POINTS") == 0) {
        double points = r->points;
        const char *v = field(it, "points", buf, sizeof buf);
        if (!blank(v) && !parse_points(v, &points))
            return fail(o, 400, "points must be a number above 0");
        double cap = rq_points_cap(req->db);
        if (points > cap)
            return fail(o, 400, "Goodwill of %.0f points is above the upper cap of %.0f points per request",
                        points, cap);
        int64_t event = 0;
        rc = rq_credit_points(req->db, r, points, req->till, req->now, &event);
        if (rc > 0)
            return fail(o, rc, "Customer not in the loyalty program");
        if (rc < 0)
            return fail(o, 9009, "Internal error, retry later");
        json_t *n = rq_num(points);
        snprintf(approved, alen, "%s", json_string_value(n));
        json_decref(n);
        snprintf(assoc, slen, "%lld", (long long)event);
        return 0;
    }
    if (strcmp(r->base_type, "COUPON") == 0) {
        int64_t series = r->series_id, coupon = 0;
        const char *v = field(it, "series_id", buf, sizeof buf);
        if (!blank(v) && sb_parse_i64(v, 1, INT64_MAX, &series))
            return fail(o, 400, "series_id must be a series id");
        if (series <= 0)
            return fail(o, 9014, "Insufficient data to update the request: series_id is required");
        char code[16];
        rc = rq_issue_coupon(req->db, r, series, req->till, req->now, &coupon, code, o->why, sizeof o->why);
        if (rc > 0)
            return fail(o, rc, "%s", o->why);
        if (rc < 0)
            return fail(o, 9009, "Internal error, retry later");
        snprintf(approved, alen, "%s", code);
        snprintf(assoc, slen, "%lld", (long long)coupon);
        return 0;
    }
    rc = rq_change_identifier(req->db, r, req->now, o->why, sizeof o->why);
    if (rc > 0)
        return fail(o, rc, "%s", o->why);
    if (rc < 0)
        return fail(o, 9009, "Internal error, retry later");
    snprintf(approved, alen, "%.*s", (int)(alen - 1), r->new_value);
    snprintf(assoc, slen, "-1");
    return 0;
}

static int set_status(struct sb_req *req, const struct rq_row *r, const char *status,
                      const char *approved, const char *comments)
{
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(req->now, iso);
    sqlite3_stmt *st = store_stmt(req->db, "UPDATE requests SET status = ?, approved_value = ?,"
                                           " decided_by_till_id = ?, decided_on = ?, updated_comments = ?"
                                           " WHERE id = ? AND status = 'PENDING'");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    if (approved && *approved)
        sqlite3_bind_text(st, 2, approved, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, req->till->id);
    sqlite3_bind_text(st, 4, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, comments, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, r->id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || sqlite3_changes(req->db->db) != 1)
        return -1;
    return rq_log(req->db, r->id, strcmp(status, "APPROVED") == 0 ? "APPROVED" : "REJECTED",
                  req->till->id, req->now, comments);
}

static void decide(struct sb_req *req, struct sb_resp *resp, bool approve)
{
    json_t *doc;
    json_t *list = parse_items(req, resp, &doc);
    if (!list) {
        json_decref(doc);
        return;
    }
    json_t *items = json_array();
    size_t ok = 0;
    for (size_t i = 0; i < count_of(list); i++) {
        json_t *it = item_at(list, i);
        struct outcome o = {0};
        struct rq_row r = {0};
        char approved[64] = "", assoc[32] = "-1", buf[1100];
        const char *comments = field(it, "updated_comments", buf, sizeof buf);
        if (comments && strlen(comments) > 1000) {
            fail(&o, 400, "updated_comments are longer than 1000 characters");
            json_array_append_new(items, fail_item(it, &o, 0));
            continue;
        }
        if (!begin(req->db)) {
            fail(&o, 9009, "Internal error, retry later");
            json_array_append_new(items, fail_item(it, &o, 0));
            continue;
        }
        /* The status is read after the write lock is held, so a concurrent
         * decision on the same request is seen here as not PENDING. */
        if (check_decision(req, it, approve, &r, &o) == 0 && approve)
            apply(req, it, &r, approved, sizeof approved, assoc, sizeof assoc, &o);
        if (o.code == 0 &&
            (set_status(req, &r, approve ? "APPROVED" : "REJECTED", approved, comments ? comments : "") ||
             rq_load(req->db, r.id, &r) != 1))
            fail(&o, 9009, "Internal error, retry later");
        if (o.code == 0 && !commit(req->db))
            fail(&o, 9009, "Internal error, retry later");
        else if (o.code != 0)
            rollback(req->db);
        if (o.code) {
            json_array_append_new(items, fail_item(it, &o, 0));
        } else {
            json_array_append_new(items, decided_item(&r, assoc));
            ok++;
        }
    }
    json_decref(doc);
    reply_batch(resp, items, ok);
}

static void approve(struct sb_req *req, struct sb_resp *resp)
{
    decide(req, resp, true);
}

static void reject(struct sb_req *req, struct sb_resp *resp)
{
    decide(req, resp, false);
}

const struct sb_route sb_routes_requests[] = {
    {"POST", "/v1.1/request/add", add, SB_ROUTE_MAKER},
    {"POST", "/v1.1/request/approve", approve, SB_ROUTE_CHECKER},
    {"POST", "/v1.1/request/reject", reject, SB_ROUTE_CHECKER},
};
SB_ROUTES_END(requests);
