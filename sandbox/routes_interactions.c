/*
 * routes_interactions.c - the messages sent to a member (part 2 §2.5, §2.6):
 *   GET /v1.1/customer/interaction   identifierName + identifierValue, or a
 *                                    direct key (mobile=, email=, ...);
 *                                    network (capillary by default), type,
 *                                    limit (default 50, 1..1000), offset
 *   GET /v2/customers/interaction    identifierName (mobile, email,
 *                                    external_id) + identifierValue; network,
 *                                    type, limit, offset as above; source
 *                                    and accountId are accepted and ignored
 *
 * The store keeps SMS, EMAIL and PUSH messages; they are the types sms,
 * email and push (push is not in the reference's type list, which leaves
 * "other messages" open: UNCONFIRMED). Messages are newest first; limit and
 * offset apply per type. Other networks (facebook, twitter, foursquare)
 * have no interactions here.
 *
 * v1.1 body as the reference sample: numeric status codes, `count` a
 * number, `used_status` a boolean, `last_interaction_time` "null" when
 * there is none, `reciever` (sic), a one-message list as a bare object,
 * types without messages carry no `messages` key. v2 body: `name`,
 * `interaction` [{count, name, messageList}], with the survey and
 * missed_call entries the sample shows, `sentDate` "DD-MM-YYYY HH:mm:ss",
 * `deliveredTime` ISO 8601 (null when not delivered), `campaignId` -1 for
 * none. Unknown member: v1.1 item-level 1012; v2 HTTP 404 with 1012.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"
#include "sandbox/tickets_v11.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX 1000

static const struct {
    const char *type, *channel; /* API type name, store channel */
} channels[] = {{"sms", "SMS"}, {"email", "EMAIL"}, {"push", "PUSH"}};
#define N_CHANNELS (sizeof channels / sizeof channels[0])

struct query {
    int64_t customer;
    int64_t limit, offset;
    const char *type;   /* NULL = every type */
    bool other_network; /* a network with no data here */
    const char *network;
};

/* Reads network, type, limit and offset. false with a message on a bad one. */
static bool read_query(struct sb_req *req, struct query *q, char *why, size_t n)
{
    static const char *const networks[] = {"capillary", "facebook", "twitter", "foursquare"};
    const char *net = sb_arg(req, "network");
    q->network = "capillary";
    if (net && *net) {
        size_t i = 0;
        while (i < 4 && strcasecmp(networks[i], net) != 0)
            i++;
        if (i == 4) {
            snprintf(why, n, "Invalid network: expected capillary, facebook, twitter or foursquare");
            return false;
        }
        q->network = networks[i];
        q->other_network = i != 0;
    }
    const char *type = sb_arg(req, "type");
    q->type = type && *type ? type : NULL;
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "offset");
    q->limit = LIMIT_DEFAULT;
    q->offset = 0;
    if ((l && sb_parse_i64(l, 1, LIMIT_MAX, &q->limit)) ||
        (o && sb_parse_i64(o, 0, INT32_MAX, &q->offset))) {
        snprintf(why, n, "Invalid limit or offset (limit is 1..1000)");
        return false;
    }
    return true;
}

/* Columns: 0 id, 1 receiver, 2 subject, 3 sent_on, 4 delivered_on, 5 status, 6 campaign. */
static sqlite3_stmt *messages(struct store_conn *db, const struct query *q, const char *channel)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT id, receiver, subject, sent_on, delivered_on, status,"
                                      " campaign_id FROM interactions"
                                      " WHERE customer_id = ? AND channel = ?"
                                      " ORDER BY sent_on DESC, id DESC LIMIT ? OFFSET ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, q->customer);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, q->limit);
    sqlite3_bind_int64(st, 4, q->offset);
    return st;
}

/* The store channel of an API type, or NULL for a type the store never has. */
static const char *channel_of(const char *type)
{
    for (size_t i = 0; i < N_CHANNELS; i++)
        if (strcasecmp(channels[i].type, type) == 0)
            return channels[i].channel;
    return NULL;
}

/* The types to list: every channel, or the one asked for. */
static size_t types_of(const struct query *q, const char **out)
{
    if (!q->type) {
        for (size_t i = 0; i < N_CHANNELS; i++)
            out[i] = channels[i].type;
        return N_CHANNELS;
    }
    out[0] = q->type;
    return 1;
}

#define TEXT(st, i) ((const char *)sqlite3_column_text(st, i))

/* v1.1 */

static json_t *v11_type(struct store_conn *db, const struct query *q, const char *type)
{
    json_t *list = json_array();
    char last[SBTIME_V11_LEN] = "null";
    const char *channel = q->other_network ? NULL : channel_of(type);
    if (channel) {
        sqlite3_stmt *st = messages(db, q, channel);
        if (!st) {
            json_decref(list);
            return NULL;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *delivered = TEXT(st, 4);
            if (json_array_size(list) == 0)
                sbtime_iso_to_v11(TEXT(st, 3), last);
            json_array_append_new(
                list, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                                (json_int_t)sqlite3_column_int64(st, 0), "sender", "",
                                "reciever", sb_jstr(TEXT(st, 1)), "subject", sb_jstr(TEXT(st, 2)),
                                "status", sb_jstr(TEXT(st, 5)), "sent_time", tkv_time(TEXT(st, 3)),
                                "delivered_time", tkv_time(delivered), "campaign_id",
                                tkv_id(sqlite3_column_int64(st, 6))));
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            json_decref(list);
            return NULL;
        }
    }
    size_t n = json_array_size(list);
    json_t *o = json_pack("{s:s,s:b,s:I,s:o}", "last_interaction_time", last, "used_status", 0,
                          "count", (json_int_t)n, "type", sb_jstr(type));
    if (n)
        json_object_set_new(o, "messages", json_pack("{s:o}", "message", tkv_list(list)));
    else
        json_decref(list);
    return o;
}

static void get_v11(struct sb_req *req, struct sb_resp *resp)
{
    struct query q = {0};
    const char *key = NULL, *value = NULL;
    char why[120];
    enum tkv_find found = tkv_member_from_query(req, &q.customer, &key, &value);
    if (found == TKV_NO_IDENTIFIER) {
        sb_reply_json(resp, 400, json_pack("{s:{s:o}}", "response", "status",
                                           sb_v11_status(false, 1015, "Give one customer identifier: identifierName and identifierValue")));
        return;
    }
    if (!read_query(req, &q, why, sizeof why)) {
        sb_reply_json(resp, 400, json_pack("{s:{s:o}}", "response", "status",
                                           sb_v11_status(false, 400, why)));
        return;
    }
    struct member m;
    enum member_status ms = found == TKV_FOUND ? member_load(req->db, q.customer, &m)
                            : found == TKV_NOT_FOUND ? MEMBER_NOT_FOUND : MEMBER_DB_ERROR;
    if (ms == MEMBER_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (ms == MEMBER_NOT_FOUND) {
        sb_reply_json(resp, 200,
                      json_pack("{s:{s:o,s:{s:o,s:o}}}", "response", "status",
                                sb_v11_status(false, 500, "All requests have failed"), "customer",
                                key, sb_jstr(value), "item_status",
                                sb_v11_status(false, 1012, "Customer not found for the given identifier")));
        return;
    }
    json_t *cust = json_pack("{s:o,s:o,s:o,s:o}", "id", tkv_id(m.id), "mobile", sb_jstr(m.mobile),
                             "email", sb_jstr(m.email), "external_id", sb_jstr(m.external_id));
    member_free(&m);
    const char *types[N_CHANNELS];
    size_t nt = types_of(&q, types);
    json_t *ints = json_array();
    for (size_t i = 0; i < nt; i++) {
        json_t *one = v11_type(req->db, &q, types[i]);
        if (!one) {
            json_decref(ints);
            json_decref(cust);
            sb_reply_db_error(resp, req->db);
            return;
        }
        json_array_append_new(ints, one);
    }
    json_object_set_new(cust, "interactions",
                        json_pack("{s:[{s:s,s:o}]}", "network", "name", q.network, "interaction",
                                  ints));
    json_object_set_new(cust, "item_status",
                        sb_v11_status(true, 1000, "Customer successfully retrieved"));
    sb_reply_json(resp, 200, json_pack("{s:{s:o,s:o}}", "response", "status",
                                       sb_v11_status(true, 200, "Success"), "customer", cust));
}

/* v2 */

/* "DD-MM-YYYY HH:mm:ss" from a stored instant; "" when malformed. */
static json_t *v2_date(const char *iso)
{
    time_t t;
    char out[24] = "";
    if (iso && !sbtime_parse_iso(iso, &t)) {
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, sizeof out, "%d-%m-%Y %H:%M:%S", &tm);
    }
    return json_string(out);
}

static json_t *v2_type(struct store_conn *db, const struct query *q, const char *type)
{
    json_t *list = json_array();
    const char *channel = q->other_network ? NULL : channel_of(type);
    if (channel) {
        sqlite3_stmt *st = messages(db, q, channel);
        if (!st) {
            json_decref(list);
            return NULL;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(
                list, json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:o,s:I}", "id",
                                (json_int_t)sqlite3_column_int64(st, 0), "receiver",
                                sb_jstr(TEXT(st, 1)), "subject", sb_jstr(TEXT(st, 2)),
                                "campaignId", (json_int_t)sqlite3_column_int64(st, 6), "status",
                                sb_jstr(TEXT(st, 5)), "sentDate", v2_date(TEXT(st, 3)),
                                "deliveredTime", sb_jstr_or_null(TEXT(st, 4)), "userId",
                                (json_int_t)q->customer));
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            json_decref(list);
            return NULL;
        }
    }
    return json_pack("{s:I,s:o,s:o}", "count", (json_int_t)json_array_size(list), "name",
                     sb_jstr(type), "messageList", list);
}

static void get_v2(struct sb_req *req, struct sb_resp *resp)
{
    struct query q = {0};
    char why[120];
    const char *name = sb_arg(req, "identifierName"), *value = sb_arg(req, "identifierValue");
    if (!name || !*name || !value || !*value) {
        sb_reply_v2_error(resp, 400, 11013, "identifierName and identifierValue cannot be empty");
        return;
    }
    static const char *const names[] = {"mobile", "email", "external_id", "externalId"};
    size_t k = 0;
    while (k < 4 && strcasecmp(names[k], name) != 0)
        k++;
    if (k == 4) {
        sb_reply_v2_error(resp, 400, 8013, "Invalid identifierName: expected mobile, email or external_id");
        return;
    }
    if (!read_query(req, &q, why, sizeof why)) {
        sb_reply_v2_error(resp, 400, 400, why);
        return;
    }
    const char *key = NULL, *used = NULL;
    switch (tkv_member_from_query(req, &q.customer, &key, &used)) {
    case TKV_FOUND:
        break;
    case TKV_DB_ERROR:
        sb_reply_db_error(resp, req->db);
        return;
    default:
        sb_reply_v2_error(resp, 404, 1012, "Customer not found for the given identifier");
        return;
    }
    const char *types[N_CHANNELS];
    size_t nt = types_of(&q, types);
    json_t *ints = json_array();
    if (!q.type) {
        json_array_append_new(ints, json_pack("{s:i,s:s,s:[]}", "count", 0, "name", "survey",
                                              "surveys"));
        json_array_append_new(ints, json_pack("{s:i,s:s,s:b}", "count", 0, "name", "missed_call",
                                              "usedStatus", 0));
    }
    for (size_t i = 0; i < nt; i++) {
        json_t *one = v2_type(req->db, &q, types[i]);
        if (!one) {
            json_decref(ints);
            sb_reply_db_error(resp, req->db);
            return;
        }
        json_array_append_new(ints, one);
    }
    sb_reply_json(resp, 200, json_pack("{s:s,s:o,s:[]}", "name", q.network, "interaction", ints,
                                       "warnings"));
}

const struct sb_route sb_routes_interactions[] = {
    {"GET", "/v1.1/customer/interaction", get_v11, 0},
    {"GET", "/v2/customers/interaction", get_v2, 0},
};
SB_ROUTES_END(interactions);
