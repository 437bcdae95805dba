/*
 * routes_customer.c - v2 customer reads (part 1 §5.1, §5.2, §5.9, §5.11):
 *   GET /v2/customers/lookup/customerDetails
 *   GET /v2/customers/{id}
 *   GET /v2/customers/{id}/points/balance
 *   GET /v2/customers/{id}/loyaltyEvents
 *
 * Error mapping (the reference leaves HTTP statuses of business errors
 * unconfirmed; these are the emulator defaults it suggests):
 *   400 11013  identifierName / identifierValue / source missing
 *   400 8003   invalid source (lookup); 8012 on the by-id fetch, as §5.2 lists
 *   400 8013   identifierName not one of mobile, email, externalId, cardnumber
 *   404 8015   no such member (also a non-INSTORE source without accountId)
 *   404 8065   a non-INSTORE source with accountId: members exist only in INSTORE
 *   400 400    malformed customer id, limit or offset
 * loyaltyEvents pages with limit (default 10, 1..1000) and offset (records),
 * newest first; the response has no pagination block, as in the reference.
 */
#include <string.h>

#include "sandbox/customer_v2.h"
#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

#define EVENTS_MAX_LIMIT 1000

static void reply_member(struct sb_req *req, struct sb_resp *resp, int64_t id)
{
    struct member m;
    enum member_status s = member_load(req->db, id, &m);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    struct v2_embed embed = customer_v2_embed(sb_arg(req, "embed"));
    json_t *o = customer_v2_object(&m, req->db, &embed, req->now);
    member_free(&m);
    if (!o) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200, o);
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static void lookup_details(struct sb_req *req, struct sb_resp *resp)
{
    const char *source = sb_arg(req, "source");
    const char *name = sb_arg(req, "identifierName");
    const char *value = sb_arg(req, "identifierValue");
    if (empty(source) || empty(name) || empty(value)) {
        sb_reply_v2_error(resp, 400, 11013,
                          "identifierName, identifierValue, source cannot be empty");
        return;
    }
    if (!customer_v2_source_valid(source)) {
        sb_reply_v2_error(resp, 400, 8003, "Invalid source");
        return;
    }
    const char *type = customer_v2_identifier_type(name);
    if (!type) {
        sb_reply_v2_error(resp, 400, 8013, "Invalid identifier name");
        return;
    }
    if (strcmp(source, "INSTORE") != 0 && strcmp(source, "ALL") != 0) {
        if (empty(sb_arg(req, "accountId")))
            sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        else
            sb_reply_v2_error(resp, 404, 8065, "Customer not found in the given source");
        return;
    }
    int64_t id;
    enum member_status s = member_find(req->db, type, value, &id);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    reply_member(req, resp, id);
}

/* The {id} path capture; answers 400 itself when it is not an id. */
static bool path_id(struct sb_req *req, struct sb_resp *resp, int64_t *id)
{
    if (sb_parse_i64(req->params[0], 1, INT64_MAX, id) == 0)
        return true;
    sb_reply_v2_error(resp, 400, 400, "Invalid customer id");
    return false;
}

static void get_by_id(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id;
    if (!path_id(req, resp, &id))
        return;
    const char *source = sb_arg(req, "source");
    if (empty(source)) {
        sb_reply_v2_error(resp, 400, 11013, "source cannot be empty");
        return;
    }
    if (!customer_v2_source_valid(source)) {
        sb_reply_v2_error(resp, 400, 8012, "Invalid source");
        return;
    }
    reply_member(req, resp, id);
}

static void points_balance(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id;
    if (!path_id(req, resp, &id))
        return;
    const char *entity = sb_arg(req, "entityType");
    if (entity && strcmp(entity, "CUSTOMER") != 0) {
        if (strcmp(entity, "FLEET") == 0)
            sb_reply_v2_error(resp, 400, 1632, "Invalid group id, externalId or primary user id");
        else
            sb_reply_v2_error(resp, 400, 1212, "Invalid entity type");
        return;
    }
    const char *program = sb_arg(req, "programId");
    int64_t pid;
    if (program && !sb_arg_true(req, "fetchDataForAllPrograms") &&
        (sb_parse_i64(program, 1, INT64_MAX, &pid) || pid != SB_PROGRAM_ID)) {
        sb_reply_v2_error(resp, 400, 1218, "Customer is not part of the program");
        return;
    }
    struct member m;
    enum member_status s = member_load(req->db, id, &m);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    json_t *o = json_pack("{s:I,s:s,s:i,s:f,s:f,s:f,s:{s:f,s:f},s:[]}", "entityId",
                          (json_int_t)m.id, "entityType", "CUSTOMER", "programId", SB_PROGRAM_ID,
                          "totalPoints", m.loyalty_points + m.delayed, "mainPoints",
                          m.loyalty_points, "promisedPoints", m.delayed, "promisedPointsBreakup",
                          "delayedAccrualPoints", m.delayed, "externalTriggerBasedPoints", 0.0,
                          "warnings");
    member_free(&m);
    sb_reply_json(resp, 200, o);
}

static void loyalty_events(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id, limit, offset;
    if (!path_id(req, resp, &id) || !sb_paging(req, resp, 10, EVENTS_MAX_LIMIT, &limit, &offset))
        return;
    enum member_status s = member_exists(req->db, id);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_stmt *st = store_stmt(req->db,
                                  "SELECT id, created_on, event_name, status, unique_id"
                                  " FROM ledger_events WHERE customer_id = ?"
                                  " ORDER BY created_on DESC, id DESC LIMIT ? OFFSET ?");
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    json_t *data = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(
            data, json_pack("{s:I,s:I,s:s,s:s,s:i,s:s,s:s}", "id",
                            (json_int_t)sqlite3_column_int64(st, 0), "customerId", (json_int_t)id,
                            "date", (const char *)sqlite3_column_text(st, 1), "eventName",
                            (const char *)sqlite3_column_text(st, 2), "orgId", SB_ORG_ID,
                            "status", (const char *)sqlite3_column_text(st, 3), "uniqueId",
                            (const char *)sqlite3_column_text(st, 4)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(data);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200, json_pack("{s:o,s:[],s:[]}", "data", data, "warnings", "errors"));
}

const struct sb_route sb_routes_customer[] = {
    {"GET", "/v2/customers/lookup/customerDetails", lookup_details, 0},
    {"GET", "/v2/customers/{id}", get_by_id, 0},
    {"GET", "/v2/customers/{id}/points/balance", points_balance, 0},
    {"GET", "/v2/customers/{id}/loyaltyEvents", loyalty_events, 0},
};
SB_ROUTES_END(customer);
