/*
 * requests_store.c - loading and rendering requests, the request log and
 * the org's goodwill settings (see requests_store.h).
 *
 * Shapes (part 2 §3.5, §3.6, §3.8) with these emulator choices, marked
 * UNCONFIRMED in the reference:
 *   - request/get and request/logs items also carry `reference_id`,
 *     `points` (the requested goodwill points, "" for coupons), `series_id`,
 *     `program_id` and `customer.id`: the documented item has neither the
 *     amount nor the member's id, which a checker needs to decide.
 *   - request/logs items carry `history`, every log row of the request
 *     ({action, till{code,name}, time, comments}) besides the documented
 *     `logs.added_by` / `logs.updated_by`.
 *   - the v2 goodwillRequest item uses the request id for both `id` and
 *     `requestId`, adds `points` and `seriesId`, and puts the issued coupon
 *     code in `approvedValue` for an approved coupon.
 *   - assoc_id is "-1": the store keeps no link from a request to what its
 *     approval created.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/org.h"
#include "sandbox/requests_store.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define RQ_SELECT \
    "SELECT r.id, coalesce(r.reference_id, ''), r.customer_id, r.type, r.base_type, r.points," \
    " coalesce(r.series_id, 0), coalesce(r.old_value, ''), coalesce(r.new_value, '')," \
    " coalesce(r.reason, ''), r.comments, r.status, coalesce(r.approved_value, '')," \
    " coalesce(r.program_id, 0), r.raised_by_till_id, ta.code, ta.name, r.raised_on," \
    " coalesce(r.decided_by_till_id, 0), coalesce(td.code, ''), coalesce(td.name, '')," \
    " coalesce(r.decided_on, ''), r.updated_comments, c.first_name, c.last_name," \
    " coalesce((SELECT value FROM identifiers i WHERE i.customer_id = c.id AND i.type = 'mobile'), '')," \
    " coalesce((SELECT value FROM identifiers i WHERE i.customer_id = c.id AND i.type = 'email'), '')," \
    " coalesce((SELECT value FROM identifiers i WHERE i.customer_id = c.id AND i.type = 'externalId'), '')," \
    " c.fraud_status" \
    " FROM requests r JOIN customers c ON c.id = r.customer_id" \
    " JOIN tills ta ON ta.id = r.raised_by_till_id" \
    " LEFT JOIN tills td ON td.id = r.decided_by_till_id"

const char rq_select_sql[] = RQ_SELECT;

static void col(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

void rq_row_read(void *stmt, struct rq_row *r)
{
    sqlite3_stmt *st = stmt;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    col(st, 1, r->reference_id, sizeof r->reference_id);
    r->customer_id = sqlite3_column_int64(st, 2);
    col(st, 3, r->type, sizeof r->type);
    col(st, 4, r->base_type, sizeof r->base_type);
    r->has_points = sqlite3_column_type(st, 5) != SQLITE_NULL;
    r->points = sqlite3_column_double(st, 5);
    r->series_id = sqlite3_column_int64(st, 6);
    col(st, 7, r->old_value, sizeof r->old_value);
    col(st, 8, r->new_value, sizeof r->new_value);
    col(st, 9, r->reason, sizeof r->reason);
    col(st, 10, r->comments, sizeof r->comments);
    col(st, 11, r->status, sizeof r->status);
    col(st, 12, r->approved_value, sizeof r->approved_value);
    r->program_id = sqlite3_column_int64(st, 13);
    r->raised_by = sqlite3_column_int64(st, 14);
    col(st, 15, r->raised_code, sizeof r->raised_code);
    col(st, 16, r->raised_name, sizeof r->raised_name);
    col(st, 17, r->raised_on, sizeof r->raised_on);
    r->decided_by = sqlite3_column_int64(st, 18);
    col(st, 19, r->decided_code, sizeof r->decided_code);
    col(st, 20, r->decided_name, sizeof r->decided_name);
    col(st, 21, r->decided_on, sizeof r->decided_on);
    col(st, 22, r->updated_comments, sizeof r->updated_comments);
    col(st, 23, r->first, sizeof r->first);
    col(st, 24, r->last, sizeof r->last);
    col(st, 25, r->mobile, sizeof r->mobile);
    col(st, 26, r->email, sizeof r->email);
    col(st, 27, r->external_id, sizeof r->external_id);
    col(st, 28, r->fraud_status, sizeof r->fraud_status);
}

static const char rq_by_id_sql[] = RQ_SELECT " WHERE r.id = ?";

int rq_load(struct store_conn *db, int64_t id, struct rq_row *r)
{
    sqlite3_stmt *st = store_stmt(db, rq_by_id_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rq_row_read(st, r);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

json_t *rq_num(double v)
{
    char buf[48];
    if (v == (double)(long long)v)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    else
        snprintf(buf, sizeof buf, "%.3f", v);
    return json_string(buf);
}

json_t *rq_id(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return json_string(buf);
}

json_t *rq_list(json_t *list)
{
    if (json_array_size(list) != 1)
        return list;
    json_t *one = json_incref(json_array_get(list, 0));
    json_decref(list);
    return one;
}

static json_t *iso_or_empty(const char *iso)
{
    return sb_jstr(iso && *iso ? iso : "");
}

json_t *rq_customer_v11(const struct rq_row *r)
{
    const char *fraud = strcmp(r->fraud_status, "NOT_FRAUD") == 0 ? "NONE" : r->fraud_status;
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "firstname", sb_jstr(r->first), "lastname",
                     sb_jstr(r->last), "email", sb_jstr(r->email), "mobile", sb_jstr(r->mobile),
                     "external_id", sb_jstr(r->external_id), "fraud_status", sb_jstr(fraud), "id",
                     rq_id(r->customer_id));
}

static json_t *who(const char *code, const char *name)
{
    if (!*code)
        return json_object();
    return json_pack("{s:o,s:o}", "code", sb_jstr(code), "name", sb_jstr(name));
}

json_t *rq_item_get(const struct rq_row *r)
{
    bool goodwill = strcmp(r->type, "GOODWILL") == 0;
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                          rq_id(r->id), "type", sb_jstr(r->type), "status", sb_jstr(r->status),
                          "base_type", sb_jstr(r->base_type), "customer", rq_customer_v11(r),
                          "updated_comments", sb_jstr(r->updated_comments), "added_on",
                          iso_or_empty(r->raised_on), "last_action_on", iso_or_empty(r->decided_on),
                          "added_by", who(r->raised_code, r->raised_name), "updated_by",
                          who(r->decided_code, r->decided_name), "reference_id",
                          sb_jstr(r->reference_id), "comments", sb_jstr(r->comments), "reason",
                          sb_jstr(r->reason), "assoc_id", json_string(r->decided_by ? "-1" : ""));
    if (!o)
        return NULL;
    if (goodwill) {
        json_object_set_new(o, "approved_value", sb_jstr(r->approved_value));
        json_object_set_new(o, "points", r->has_points ? rq_num(r->points) : json_string(""));
        json_object_set_new(o, "series_id", r->series_id ? rq_id(r->series_id) : json_string(""));
        json_object_set_new(o, "program_id", r->program_id ? rq_id(r->program_id) : json_string(""));
    } else {
        json_object_set_new(o, "old_value", sb_jstr(r->old_value));
        json_object_set_new(o, "new_value", sb_jstr(r->new_value));
    }
    return o;
}

static json_t *history(struct store_conn *db, int64_t id)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT l.action, t.code, t.name, l.at, l.comments"
                                      " FROM request_logs l JOIN tills t ON t.id = l.till_id"
                                      " WHERE l.request_id = ? ORDER BY l.at, l.id");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:s,s:{s:s,s:s},s:s,s:s}", "action",
                            (const char *)sqlite3_column_text(st, 0), "till", "code",
                            (const char *)sqlite3_column_text(st, 1), "name",
                            (const char *)sqlite3_column_text(st, 2), "time",
                            (const char *)sqlite3_column_text(st, 3), "comments",
                            (const char *)sqlite3_column_text(st, 4)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *rq_item_logs(struct store_conn *db, const struct rq_row *r)
{
    json_t *h = history(db, r->id);
    if (!h)
        return NULL;
    json_t *updated = r->decided_by
                          ? json_pack("{s:{s:o,s:s,s:s},s:s,s:o}", "user", "name",
                                      sb_jstr(r->decided_name), "mobile", "", "email", "", "ip",
                                      "127.0.0.1", "time", sb_jstr(r->decided_on))
                          : json_object();
    json_t *o = rq_item_get(r);
    if (!o || !updated) {
        json_decref(o);
        json_decref(updated);
        json_decref(h);
        return NULL;
    }
    json_object_set_new(o, "one_step_change", json_string("false"));
    json_object_set_new(o, "approval_type", json_string("CLIENT"));
    json_object_set_new(
        o, "logs",
        json_pack("{s:{s:o,s:{},s:o},s:o}", "added_by", "till", who(r->raised_code, r->raised_name),
                  "store", "time", sb_jstr(r->raised_on), "updated_by", updated));
    json_object_set_new(o, "history", h);
    return o;
}

static json_t *entity(int64_t id, const char *code, const char *name)
{
    return json_pack("{s:I,s:o,s:s,s:o,s:s,s:I,s:s,s:b,s:b,s:i,s:i,s:i,s:b}", "id", (json_int_t)id,
                     "code", sb_jstr(code), "description", "", "name", sb_jstr(name), "type",
                     "TILL", "referenceId", (json_int_t)-1, "adminType", "GENERAL", "isActive", 1,
                     "isOuEnabled", 0, "timeZoneId", 0, "currencyId", 0, "languageId", 0,
                     "default", 0);
}

json_t *rq_item_goodwill_v2(const struct rq_row *r)
{
    bool approved = strcmp(r->status, "APPROVED") == 0;
    json_t *o = json_pack(
        "{s:I,s:o,s:o,s:o,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:b}", "id", (json_int_t)r->id,
        "addedBy", entity(r->raised_by, r->raised_code, r->raised_name), "addedOn",
        sb_jstr(r->raised_on), "updatedOn", sb_jstr(r->decided_by ? r->decided_on : r->raised_on),
        "programId", (json_int_t)(r->program_id ? r->program_id : SB_PROGRAM_ID), "userId",
        (json_int_t)r->customer_id, "requestId", (json_int_t)r->id, "goodwillType",
        sb_jstr(r->base_type), "goodwillStatus", sb_jstr(r->status), "comments",
        sb_jstr(r->comments), "reason", sb_jstr(r->reason), "updatedComments",
        sb_jstr(r->updated_comments), "earningEntityType", "CUSTOMER", "oneStep", 0);
    if (!o)
        return NULL;
    if (r->decided_by)
        json_object_set_new(o, "updatedBy", entity(r->decided_by, r->decided_code, r->decided_name));
    if (approved)
        json_object_set_new(o, "approvedValue", sb_jstr(r->approved_value));
    if (r->has_points)
        json_object_set_new(o, "points", rq_num(r->points));
    if (r->series_id)
        json_object_set_new(o, "seriesId", json_integer((json_int_t)r->series_id));
    json_object_set_new(o, "program",
                        json_pack("{s:i,s:s,s:f,s:s,s:b}", "programId", SB_PROGRAM_ID,
                                  "programName", SB_PROGRAM_TITLE, "pointsToCurrencyRatio",
                                  SB_POINTS_TO_CURRENCY, "programDescription",
                                  SB_PROGRAM_DESCRIPTION, "default", 1));
    return o;
}

void rq_v11_error(struct sb_resp *resp, int http, long code, const char *message)
{
    sb_reply_json(resp, http,
                  json_pack("{s:{s:o}}", "response", "status", sb_v11_status(false, code, message)));
}

json_t *rq_item_status(bool ok, long code, const char *message)
{
    return json_pack("{s:s,s:I,s:s}", "success", ok ? "true" : "false", "code", (json_int_t)code,
                     "message", message);
}

int rq_log(struct store_conn *db, int64_t request, const char *action, int64_t till, time_t at,
           const char *comments)
{
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(at, iso);
    sqlite3_stmt *st = store_stmt(db, "INSERT INTO request_logs (request_id, action, till_id, at,"
                                      " comments) VALUES (?,?,?,?,?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, request);
    sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, till);
    sqlite3_bind_text(st, 4, iso, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, comments ? comments : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

double rq_points_cap(struct store_conn *db)
{
    sqlite3_stmt *st =
        store_stmt(db, "SELECT value FROM org_config WHERE key = 'goodwill_points_cap'");
    double cap = RQ_DEFAULT_CAP;
    if (!st)
        return cap;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        char *end;
        double d = v ? strtod(v, &end) : 0;
        if (v && end != v && *end == '\0' && d > 0)
            cap = d;
    }
    sqlite3_reset(st);
    return cap;
}

int rq_series_usable(struct store_conn *db, int64_t series, time_t now)
{
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(now, iso);
    sqlite3_stmt *st = store_stmt(db, "SELECT 1 FROM coupon_series WHERE id = ? AND valid_till >= ?"
                                      " AND (max_issue < 0 OR issued_count < max_issue)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, series);
    sqlite3_bind_text(st, 2, iso, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

const char *rq_identifier_type(const char *base_type)
{
    if (strcmp(base_type, "MOBILE") == 0)
        return "mobile";
    if (strcmp(base_type, "EMAIL") == 0)
        return "email";
    if (strcmp(base_type, "EXTERNAL_ID") == 0)
        return "externalId";
    return NULL;
}
